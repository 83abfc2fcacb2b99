//! Reception sessions: the one open now, the latest ones, and the dialog
//! that opens a new one (kind, date, place, officials present).

use super::{Console, Env, Msg, Note, View, centered, text};
use crate::app::AppResult;
use crate::app::desk::Problem;
use crate::app::desk::form::{parse_date, show_date};
use crate::app::desk::records::SessionRecord;
use crate::app::desk::sessions::{close_session, open_session, recent};
use crate::domain::event::SessionKind;
use crate::domain::{ShortText, sanitize_line};
use crate::tr;
use crate::ui::kit::{TextInput, cut, cut_pad};
use crate::ui::worker::Jobs;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

#[derive(Default)]
pub struct SessionsState {
    pub rows: Vec<SessionRecord>,
    pub dialog: Option<SessionDialog>,
}

pub struct SessionDialog {
    pub mobile: bool,
    pub date: TextInput,
    pub place: TextInput,
    pub officials: Vec<(String, bool)>,
    pub other: TextInput,
    /// 0 kind, 1 date, 2 place, 3.. officials, last: others.
    pub focus: usize,
}

impl SessionDialog {
    fn new(env: &Env) -> Self {
        SessionDialog {
            mobile: true,
            date: TextInput::line(10).with(&show_date(env.ctx.service_date(env.now()))),
            place: TextInput::line(ShortText::MAX),
            officials: env
                .ctx
                .config
                .point
                .officials
                .iter()
                .map(|o| (sanitize_line(o), false))
                .filter(|(o, _)| !o.is_empty())
                .collect(),
            other: TextInput::line(ShortText::MAX),
            focus: 0,
        }
    }

    /// The text field that takes typing now, if the focus is on one.
    pub(super) fn typed(&self) -> Option<&TextInput> {
        match self.focus {
            1 => Some(&self.date),
            2 => Some(&self.place),
            f if f == self.stops() - 1 => Some(&self.other),
            _ => None,
        }
    }

    fn stops(&self) -> usize {
        4 + self.officials.len()
    }
}

pub fn load(jobs: &mut Jobs<'_, Msg>) {
    jobs.run(|store| recent(store, 20), Msg::Sessions);
}

pub fn on_reply(c: &mut Console, r: AppResult<Vec<SessionRecord>>, env: &Env) -> Option<Note> {
    match r {
        Ok(rows) => {
            c.sessions.rows = rows;
            None
        }
        Err(e) => Some(Note::error(text::error(env.lang, &e))),
    }
}

pub fn on_key(c: &mut Console, key: KeyEvent, env: &Env, jobs: &mut Jobs<'_, Msg>) -> Option<Note> {
    let Some(d) = c.sessions.dialog.as_mut() else {
        match key.code {
            KeyCode::Esc => c.view = View::Queue,
            KeyCode::Char('o' | 'O' | 'щ' | 'Щ') => {
                if c.snap.session.is_some() {
                    return Some(Note::error(env.t("desk-err-session-open")));
                }
                c.sessions.dialog = Some(SessionDialog::new(env));
            }
            KeyCode::Char('c' | 'C' | 'с' | 'С') => {
                let op = c.op.clone();
                let now = env.now();
                jobs.run(
                    move |store| close_session(store, &op, now),
                    |r| Msg::Done("desk-session-closed", r),
                );
            }
            _ => {}
        }
        return None;
    };
    let n = d.stops();
    match key.code {
        KeyCode::Esc => c.sessions.dialog = None,
        KeyCode::Tab | KeyCode::Down => d.focus = (d.focus + 1) % n,
        KeyCode::BackTab | KeyCode::Up => d.focus = (d.focus + n - 1) % n,
        KeyCode::Enter => return submit(c, env, jobs),
        KeyCode::Left | KeyCode::Right | KeyCode::Char(' ') if d.focus == 0 => d.mobile = !d.mobile,
        KeyCode::Char(' ') if (3..n - 1).contains(&d.focus) => {
            let o = &mut d.officials[d.focus - 3];
            o.1 = !o.1;
        }
        _ => {
            let target = match d.focus {
                1 => Some(&mut d.date),
                2 => Some(&mut d.place),
                f if f == n - 1 => Some(&mut d.other),
                _ => None,
            };
            if let Some(t) = target {
                t.on_key(key);
            }
        }
    }
    None
}

fn submit(c: &mut Console, env: &Env, jobs: &mut Jobs<'_, Msg>) -> Option<Note> {
    // taken out: an opened session closes the dialog, a wrong date puts it back
    let d = c.sessions.dialog.take()?;
    let Some(date) = parse_date(&d.date.text()) else {
        c.sessions.dialog = Some(d);
        return Some(Note::error(format!(
            "{}: {}",
            env.t("desk-f-date"),
            text::problem(env.lang, Problem::BadDate)
        )));
    };
    let kind = if d.mobile {
        SessionKind::Mobile
    } else {
        SessionKind::OnSite
    };
    let place = d.place.text().to_string();
    let mut officials: Vec<String> = d
        .officials
        .iter()
        .filter(|(_, on)| *on)
        .map(|(o, _)| o.clone())
        .collect();
    officials.extend(
        d.other
            .text()
            .split([',', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from),
    );
    let op = c.op.clone();
    let now = env.now();
    jobs.run(
        move |store| open_session(store, &op, kind, date, &place, &officials, now).map(|_| ()),
        |r| Msg::Done("desk-session-opened", r),
    );
    None
}

pub fn render(c: &Console, f: &mut Frame<'_>, body: Rect, env: &Env) {
    let lang = env.lang;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", env.t("desk-sessions-title")));
    let inner = block.inner(body);
    f.render_widget(block, body);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    match &c.snap.session {
        Some(s) => {
            lines.push(Line::from(Span::styled(
                cut(
                    &tr!(
                        lang,
                        "desk-session-now",
                        kind = text::session_kind(lang, s.kind),
                        place = sanitize_line(&s.place),
                        count = s.appeals
                    ),
                    w,
                ),
                env.theme().accent_bar,
            )));
            if !s.officials.is_empty() {
                let names: Vec<String> = s.officials.iter().map(|o| sanitize_line(o)).collect();
                lines.push(Line::from(cut(
                    &format!("{}: {}", env.t("desk-f-officials"), names.join(", ")),
                    w,
                )));
            }
            lines.push(Line::from(Span::styled(
                env.t("desk-session-close-hint"),
                env.theme().dim,
            )));
        }
        None => lines.push(Line::from(Span::styled(
            env.t("desk-session-none"),
            env.theme().dim,
        ))),
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        env.t("desk-sessions-recent"),
        Style::default().add_modifier(Modifier::BOLD),
    )));
    for s in &c.sessions.rows {
        let state = if s.closed_at.is_some() {
            env.t("desk-session-closed-mark")
        } else {
            env.t("desk-session-open-mark")
        };
        lines.push(Line::from(cut(
            &format!(
                "{} {} {} · {} · {} · {}",
                show_date(s.date),
                cut_pad(&text::session_kind(lang, s.kind), 16),
                sanitize_line(&s.place),
                tr!(lang, "desk-appeals-count", count = s.appeals),
                state,
                sanitize_line(&s.opened_by)
            ),
            w,
        )));
    }
    f.render_widget(Paragraph::new(lines), inner);
    if let Some(d) = &c.sessions.dialog {
        render_dialog(d, f, body, env);
    }
}

fn render_dialog(d: &SessionDialog, f: &mut Frame<'_>, body: Rect, env: &Env) {
    let lang = env.lang;
    let area = centered(body, 70, (9 + d.officials.len()) as u16);
    f.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", env.t("desk-session-new")));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let style = |on: bool| {
        if on {
            env.theme().focus
        } else {
            Style::default()
        }
    };
    let w = (inner.width as usize).saturating_sub(20);
    let field = |key: &str, input: &TextInput, on: bool| {
        let mut spans = vec![Span::styled(cut_pad(&env.t(key), 20), style(on))];
        spans.extend(input.view_line(w, on, false).spans);
        Line::from(spans)
    };
    let kind = text::session_kind(
        lang,
        if d.mobile {
            SessionKind::Mobile
        } else {
            SessionKind::OnSite
        },
    );
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                cut_pad(&env.t("desk-f-session-kind"), 20),
                style(d.focus == 0),
            ),
            Span::raw(format!("◂ {kind} ▸")),
        ]),
        field("desk-f-date", &d.date, d.focus == 1),
        field("desk-f-place", &d.place, d.focus == 2),
    ];
    for (i, (name, on)) in d.officials.iter().enumerate() {
        let head = if i == 0 {
            env.t("desk-f-officials")
        } else {
            String::new()
        };
        lines.push(Line::from(vec![
            Span::styled(cut_pad(&head, 20), style(d.focus == 3 + i)),
            Span::styled(
                cut(&format!("{}{name}", if *on { "[x] " } else { "[ ] " }), w),
                style(d.focus == 3 + i),
            ),
        ]));
    }
    lines.push(field(
        "desk-f-heard-other",
        &d.other,
        d.focus == d.stops() - 1,
    ));
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        env.t("desk-dlg-hint"),
        env.theme().dim,
    )));
    f.render_widget(Paragraph::new(lines), inner);
}
