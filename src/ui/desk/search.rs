//! Full-text search over all appeals and citizens. Searches run on the
//! database thread; while one runs, further typing waits, and a reply for
//! an older query is dropped and the newest query sent instead, so the
//! results on screen always belong to what is typed.

use super::{Console, Env, Msg, Note, View, control, text};
use crate::app::AppResult;
use crate::app::desk::form::show_date;
use crate::app::desk::records::{self, AppealRecord};
use crate::tr;
use crate::ui::kit::{TextInput, cut};
use crate::ui::worker::Jobs;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Results shown at most.
pub const LIMIT: usize = 50;

pub struct SearchState {
    pub query: TextInput,
    pub results: Vec<AppealRecord>,
    pub sel: usize,
    /// The query the results belong to.
    pub shown_for: Option<String>,
    generation: u64,
    in_flight: bool,
}

impl Default for SearchState {
    fn default() -> Self {
        SearchState {
            query: TextInput::line(200),
            results: Vec::new(),
            sel: 0,
            shown_for: None,
            generation: 0,
            in_flight: false,
        }
    }
}

impl SearchState {
    fn send(&mut self, jobs: &mut Jobs<'_, Msg>) {
        let q = self.query.text().to_string();
        let generation = self.generation;
        self.in_flight = true;
        jobs.run(
            move |store| records::search(store, &q, LIMIT),
            move |r| Msg::Search(generation, r),
        );
    }

    fn changed(&mut self, jobs: &mut Jobs<'_, Msg>) {
        self.generation += 1;
        if !self.in_flight {
            self.send(jobs);
        }
    }
}

pub fn on_key(c: &mut Console, key: KeyEvent, env: &Env, jobs: &mut Jobs<'_, Msg>) -> Option<Note> {
    let s = &mut c.search;
    match key.code {
        KeyCode::Esc => c.view = View::Queue,
        KeyCode::Down => s.sel = (s.sel + 1).min(s.results.len().saturating_sub(1)),
        KeyCode::Up => s.sel = s.sel.saturating_sub(1),
        KeyCode::Enter => {
            if let Some(a) = s.results.get(s.sel) {
                let id = a.id;
                control::open_detail(c, id, View::Search, env.now(), jobs);
            }
        }
        _ => {
            if s.query.on_key(key) {
                s.changed(jobs);
            }
        }
    }
    None
}

pub fn on_reply(
    c: &mut Console,
    generation: u64,
    r: AppResult<Vec<AppealRecord>>,
    env: &Env,
    jobs: &mut Jobs<'_, Msg>,
) -> Option<Note> {
    let s = &mut c.search;
    s.in_flight = false;
    if generation != s.generation {
        // typed on while it ran: this answer is stale
        s.send(jobs);
        return None;
    }
    match r {
        Ok(rows) => {
            s.results = rows;
            s.sel = 0;
            s.shown_for = Some(s.query.text().to_string());
            None
        }
        Err(e) => Some(Note::error(text::error(env.lang, &e))),
    }
}

pub fn render(c: &Console, f: &mut Frame<'_>, body: Rect, env: &Env) {
    let s = &c.search;
    let lang = env.lang;
    let [top, list] = Layout::vertical([Constraint::Length(3), Constraint::Min(1)]).areas(body);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", env.t("desk-search-title")));
    let inner = block.inner(top);
    f.render_widget(block, top);
    let count = match &s.shown_for {
        Some(q) if !q.trim().is_empty() => {
            if s.results.len() >= LIMIT {
                tr!(lang, "desk-search-many", count = LIMIT)
            } else {
                tr!(lang, "desk-search-found", count = s.results.len())
            }
        }
        _ => String::new(),
    };
    let w = (inner.width as usize).saturating_sub(count.chars().count() + 2);
    let mut spans = vec![Span::raw("› ")];
    spans.extend(s.query.view_line(w.saturating_sub(2), true, false).spans);
    f.render_widget(Paragraph::new(Line::from(spans)), inner);
    f.render_widget(
        Paragraph::new(count)
            .alignment(ratatui::layout::Alignment::Right)
            .style(env.theme().dim),
        inner,
    );
    let block = Block::default().borders(Borders::ALL);
    let inner = block.inner(list);
    f.render_widget(block, list);
    if s.results.is_empty() {
        let hint = if s.query.is_blank() {
            env.t("desk-search-hint")
        } else {
            env.t("desk-search-nothing")
        };
        f.render_widget(Paragraph::new(hint).style(env.theme().dim), inner);
        return;
    }
    let height = inner.height as usize;
    let start = (s.sel + 1).saturating_sub(height);
    let lines: Vec<Line> = s
        .results
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, a)| result_line(a, i == s.sel, inner.width as usize, env))
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

/// One appeal in a list: number, date, citizen, topic, outcome, text.
pub fn result_line(a: &AppealRecord, selected: bool, width: usize, env: &Env) -> Line<'static> {
    let lang = env.lang;
    let date = a.received_at.with_timezone(&env.ctx.tz()).date_naive();
    let who = text::citizen(lang, a);
    let first = if a.text_erased {
        env.t("desk-text-erased")
    } else {
        crate::domain::sanitize_line(a.text.lines().next().unwrap_or_default())
    };
    let line = format!(
        "{} {} {} · {} · {} · {}",
        a.number,
        show_date(date),
        who,
        env.ctx.catalogue.name(&a.category, lang),
        text::outcome(lang, a.outcome),
        first
    );
    let style = if selected {
        Style::default().add_modifier(Modifier::REVERSED)
    } else {
        Style::default()
    };
    Line::from(Span::styled(cut(&line, width), style))
}
