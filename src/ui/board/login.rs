//! The supervisor's login on the board: a login and a PIN, checked by
//! `app::staff::log_in` (with its lockout) on the worker thread.

use super::Look;
use crate::app::board::SupervisorLogin;
use crate::tr;
use crate::ui::kit::{TextInput, cut};
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

const MAX_LOGIN: usize = 32;
const MAX_PIN: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Field {
    #[default]
    Login,
    Pin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Message {
    Checking,
    Wrong(u32),
    Refused,
    NoLogins,
    Locked(DateTime<Utc>),
    NotSupervisor,
    Failed,
}

#[derive(Debug)]
pub(super) struct Form {
    login: TextInput,
    pin: TextInput,
    focus: Field,
    message: Option<Message>,
}

impl Default for Form {
    fn default() -> Self {
        Form {
            login: TextInput::line(MAX_LOGIN),
            pin: TextInput::line(MAX_PIN),
            focus: Field::default(),
            message: None,
        }
    }
}

pub(super) enum Action {
    None,
    Back,
    Submit { login: String, pin: String },
}

impl Form {
    fn busy(&self) -> bool {
        self.message == Some(Message::Checking)
    }

    pub(super) fn key(&mut self, key: KeyEvent) -> Action {
        if key.code == KeyCode::Esc {
            return Action::Back;
        }
        if self.busy() {
            return Action::None;
        }
        match key.code {
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
                self.focus = match self.focus {
                    Field::Login => Field::Pin,
                    Field::Pin => Field::Login,
                };
            }
            KeyCode::Enter if self.focus == Field::Login && self.pin.is_empty() => {
                self.focus = Field::Pin;
            }
            KeyCode::Enter => {
                if self.login.is_blank() {
                    self.focus = Field::Login;
                    return Action::None;
                }
                self.message = Some(Message::Checking);
                // the PIN leaves the form: it is not kept on screen or in memory
                let pin = self.pin.text();
                self.pin = TextInput::line(MAX_PIN);
                return Action::Submit {
                    login: self.login.text(),
                    pin,
                };
            }
            KeyCode::Backspace => {
                match self.focus {
                    Field::Login => self.login.backspace(),
                    Field::Pin => self.pin.backspace(),
                };
            }
            // a letter past the limit is dropped: the fields are short
            KeyCode::Char(c) => match self.focus {
                Field::Login => {
                    let _ = self.login.insert(c);
                }
                Field::Pin if c.is_ascii_digit() => {
                    let _ = self.pin.insert(c);
                }
                Field::Pin => {}
            },
            _ => {}
        }
        Action::None
    }

    pub(super) fn refused(&mut self, outcome: SupervisorLogin) {
        self.pin = TextInput::line(MAX_PIN);
        self.focus = Field::Pin;
        self.message = Some(match outcome {
            SupervisorLogin::Welcome { .. } => return,
            SupervisorLogin::NotSupervisor => Message::NotSupervisor,
            SupervisorLogin::WrongPin { attempts_left } => Message::Wrong(attempts_left),
            SupervisorLogin::Locked { until } => Message::Locked(until),
            SupervisorLogin::Refused => Message::Refused,
            SupervisorLogin::NoLogins => Message::NoLogins,
        });
    }

    pub(super) fn failed(&mut self) {
        self.pin = TextInput::line(MAX_PIN);
        self.message = Some(Message::Failed);
    }
}

pub(super) fn render(frame: &mut Frame<'_>, form: &Form, look: &Look<'_>) {
    let area = frame.area();
    let lang = look.lang;
    let width = area.width.min(60);
    let height = area.height.min(11);
    let x = area.x + (area.width - width) / 2;
    let y = area.y + (area.height - height) / 2;
    let popup = Rect::new(x, y, width, height);
    frame.render_widget(Clear, popup);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(" {} ", tr!(lang, "board-login-title")),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [login_row, pin_row, _, message_row, keys_row] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let field = |label: String, value: String, focused: bool| {
        let style = if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        };
        let cursor = if focused { "▏" } else { "" };
        Line::from(vec![
            Span::raw(format!("{label:<10} ")),
            Span::styled(format!("{value}{cursor}{:<1$}", "", 12), style),
        ])
    };
    frame.render_widget(
        Paragraph::new(field(
            tr!(lang, "board-login-login"),
            cut(&form.login.text(), 24),
            form.focus == Field::Login,
        )),
        login_row,
    );
    frame.render_widget(
        Paragraph::new(field(
            tr!(lang, "board-login-pin"),
            "•".repeat(form.pin.len()),
            form.focus == Field::Pin,
        )),
        pin_row,
    );
    let tz = look.ctx.tz();
    let theme = look.theme();
    let message = form.message.as_ref().map(|m| match m {
        Message::Checking => (tr!(lang, "board-login-checking"), theme.accent),
        Message::Wrong(left) => (tr!(lang, "board-login-wrong", left = *left), theme.error),
        Message::Refused => (tr!(lang, "board-login-refused"), theme.error),
        Message::NoLogins => (tr!(lang, "board-login-no-logins"), theme.error),
        Message::Locked(until) => (
            tr!(
                lang,
                "board-login-locked",
                time = until.with_timezone(&tz).format("%H:%M").to_string()
            ),
            theme.error,
        ),
        Message::NotSupervisor => (tr!(lang, "board-login-not-supervisor"), theme.error),
        Message::Failed => (tr!(lang, "board-login-failed"), theme.error),
    });
    if let Some((text, style)) = message {
        frame.render_widget(
            Paragraph::new(text)
                .style(style.add_modifier(Modifier::BOLD))
                .wrap(Wrap { trim: true }),
            message_row,
        );
    }
    frame.render_widget(
        Paragraph::new(cut(&tr!(lang, "board-login-keys"), keys_row.width as usize))
            .alignment(Alignment::Center)
            .style(look.theme().muted),
        keys_row,
    );
}
