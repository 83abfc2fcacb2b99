//! The login screen: login and PIN (masked). The PIN is checked on the
//! database thread (argon2 takes a moment), never on the render loop.

use super::{Env, Msg, Note, centered};
use crate::app::AppResult;
use crate::app::desk::Operator;
use crate::app::staff::{self, LoginOutcome};
use crate::tr;
use crate::ui::kit::TextInput;
use crate::ui::worker::Jobs;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub struct LoginState {
    pub login: TextInput,
    pub pin: TextInput,
    pub on_pin: bool,
    pub checking: bool,
}

impl Default for LoginState {
    fn default() -> Self {
        LoginState {
            login: TextInput::line(32),
            pin: TextInput::line(8),
            on_pin: false,
            checking: false,
        }
    }
}

impl LoginState {
    /// The field that takes typing now.
    pub fn typed(&self) -> &TextInput {
        if self.on_pin { &self.pin } else { &self.login }
    }

    pub fn on_key(&mut self, key: KeyEvent, env: &Env, jobs: &mut Jobs<'_, Msg>) -> Option<Note> {
        if self.checking {
            return None;
        }
        match key.code {
            KeyCode::Tab | KeyCode::Down | KeyCode::Up | KeyCode::BackTab => {
                self.on_pin = !self.on_pin;
                None
            }
            KeyCode::Enter if !self.on_pin => {
                self.on_pin = true;
                None
            }
            KeyCode::Enter => self.submit(env, jobs),
            KeyCode::Char(c) if self.on_pin && !c.is_ascii_digit() => {
                Some(Note::error(env.t("desk-login-pin-digits")))
            }
            _ => {
                let field = if self.on_pin {
                    &mut self.pin
                } else {
                    &mut self.login
                };
                field.on_key(key);
                None
            }
        }
    }

    fn submit(&mut self, env: &Env, jobs: &mut Jobs<'_, Msg>) -> Option<Note> {
        if self.login.is_blank() {
            self.on_pin = false;
            return Some(Note::error(env.t("desk-login-empty")));
        }
        if self.pin.is_blank() {
            return Some(Note::error(env.t("desk-login-pin-empty")));
        }
        let (login, pin) = (self.login.text().to_string(), self.pin.text().to_string());
        let (desk, now) = (env.desk, env.now());
        self.checking = true;
        let typed = login.clone();
        jobs.run(
            move |store| staff::log_in(store, &login, &pin, Some(desk), now),
            move |r| Msg::Login(typed, r),
        );
        Some(Note::info(env.t("desk-login-checking")))
    }

    /// The operator when the login worked, or the message to show.
    pub fn on_reply(
        &mut self,
        _login: &str,
        r: AppResult<LoginOutcome>,
        env: &Env,
    ) -> Result<Operator, Note> {
        self.checking = false;
        self.pin = TextInput::line(8);
        let lang = env.lang;
        match r {
            Ok(LoginOutcome::Welcome { login, name, role }) => Ok(Operator { login, name, role }),
            Ok(LoginOutcome::WrongPin { attempts_left }) => Err(Note::error(tr!(
                lang,
                "desk-login-wrong-pin",
                count = attempts_left
            ))),
            Ok(LoginOutcome::Locked { until }) => Err(Note::error(tr!(
                lang,
                "desk-login-locked",
                time = until
                    .with_timezone(&env.ctx.tz())
                    .format("%H:%M")
                    .to_string()
            ))),
            Ok(LoginOutcome::Refused) => Err(Note::error(env.t("desk-login-refused"))),
            Ok(LoginOutcome::NoLogins) => Err(Note::error(env.t("desk-login-no-logins"))),
            Err(e) => Err(Note::error(super::text::error(lang, &e))),
        }
    }

    pub fn render(&self, f: &mut Frame<'_>, body: Rect, env: &Env) {
        let area = centered(body, 52, 10);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(format!(" {} ", env.t("desk-login-title")));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let label = |s: String, focused: bool| {
            let style = if focused {
                env.theme().focus
            } else {
                Style::default()
            };
            Span::styled(format!("{:<12}", s), style)
        };
        let width = inner.width.saturating_sub(13) as usize;
        let mut login_line = vec![label(env.t("desk-login-login"), !self.on_pin)];
        login_line.extend(self.login.view_line(width, !self.on_pin, false).spans);
        let mut pin_line = vec![label(env.t("desk-login-pin"), self.on_pin)];
        pin_line.extend(self.pin.view_line(width, self.on_pin, true).spans);
        let lines = vec![
            Line::from(tr!(env.lang, "desk-login-desk", desk = env.desk)),
            Line::from(""),
            Line::from(login_line),
            Line::from(""),
            Line::from(pin_line),
            Line::from(""),
            Line::from(Span::styled(env.t("desk-login-hint"), env.theme().dim)),
        ];
        f.render_widget(Paragraph::new(lines), inner);
    }
}
