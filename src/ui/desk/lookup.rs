//! The desk's "what became of my appeal?" for a citizen on the phone: the
//! same look-up as the kiosk's (number and the phone's last four digits or
//! the IIN), with the desk's own count of wrong tries, read out in the
//! desk's language.

use super::{Console, Env, Msg, Note, text};
use crate::app::AppResult;
use crate::app::lookup::{LookupResult, Station, look_up};
use crate::ui::kit::TextInput;
use crate::ui::worker::Jobs;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use std::sync::Arc;

pub struct LookupState {
    pub number: TextInput,
    pub second: TextInput,
    /// 0: the number, 1: the digits or the IIN.
    pub focus: usize,
    pub result: Option<LookupResult>,
    busy: bool,
}

impl Default for LookupState {
    fn default() -> Self {
        LookupState {
            number: TextInput::line(80),
            second: TextInput::line(20),
            focus: 0,
            result: None,
            busy: false,
        }
    }
}

impl LookupState {
    pub fn input(&self) -> &TextInput {
        if self.focus == 0 {
            &self.number
        } else {
            &self.second
        }
    }
}

pub fn on_key(c: &mut Console, key: KeyEvent, env: &Env, jobs: &mut Jobs<'_, Msg>) -> Option<Note> {
    let s = &mut c.lookup;
    if s.busy {
        return None;
    }
    match key.code {
        KeyCode::Esc => {
            // nothing of the last citizen's appeal stays on screen
            *s = LookupState::default();
            c.view = super::View::Queue;
        }
        KeyCode::Tab | KeyCode::Down | KeyCode::Up | KeyCode::BackTab => s.focus = 1 - s.focus,
        KeyCode::Enter if s.focus == 0 => s.focus = 1,
        KeyCode::Enter => {
            let number = s.number.text().trim().to_string();
            if number.is_empty() {
                s.focus = 0;
                return Some(Note::error(env.t("desk-lookup-number-missing")));
            }
            let second = s.second.text();
            let (ctx, now) = (Arc::clone(&env.ctx), env.now());
            s.busy = true;
            jobs.run(
                move |store| look_up(store, &ctx, Station::Desk, &number, &second, now),
                Msg::LookedUp,
            );
        }
        _ => {
            let input = if s.focus == 0 {
                &mut s.number
            } else {
                &mut s.second
            };
            if input.on_key(key) {
                s.result = None;
            }
        }
    }
    None
}

pub fn on_reply(c: &mut Console, r: AppResult<LookupResult>, env: &Env) -> Option<Note> {
    let s = &mut c.lookup;
    s.busy = false;
    match r {
        Ok(result) => {
            // the second factor is not kept once it was used
            s.second = TextInput::line(20);
            s.focus = 1;
            s.result = Some(result);
            None
        }
        Err(e) => Some(Note::error(text::error(env.lang, &e))),
    }
}

pub fn render(c: &Console, f: &mut Frame<'_>, body: Rect, env: &Env) {
    let s = &c.lookup;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", env.t("desk-lookup-title")));
    let inner = block.inner(body);
    f.render_widget(block, body);
    let label_w = 40usize;
    let field = |label: &str, input: &TextInput, focused: bool| {
        let mut spans = vec![Span::raw(crate::ui::kit::cut_pad(label, label_w))];
        spans.extend(
            input
                .view_line(
                    (inner.width as usize).saturating_sub(label_w + 1),
                    focused,
                    false,
                )
                .spans,
        );
        Line::from(spans)
    };
    let mut lines = vec![
        Line::from(env.t("desk-lookup-help")).style(env.theme().dim),
        Line::from(""),
        field(&env.t("desk-lookup-number"), &s.number, s.focus == 0),
        field(&env.t("desk-lookup-second"), &s.second, s.focus == 1),
        Line::from(""),
    ];
    let tz = env.ctx.tz();
    match &s.result {
        None => {}
        Some(LookupResult::Found(status)) => {
            for l in crate::ui::lookup_words::status_lines(env.lang, status, tz) {
                lines.push(Line::from(l));
            }
        }
        Some(other) => {
            if let Some(l) = crate::ui::lookup_words::refusal(env.lang, other, tz) {
                lines.push(Line::from(l).style(env.theme().alarm));
            }
        }
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
