//! The queue view: today's line for this desk and the current ticket, with
//! keys to call, recall, serve, mark a no-show, transfer and finish.

use super::{Console, Env, Msg, Note, View, centered, poll, text};
use crate::app::AppResult;
use crate::app::desk::records::TicketRecord;
use crate::app::desk::tickets::{self, Move, TransferTo, Which};
use crate::app::desk::{Operator, set_campaign_mode};
use crate::domain::event::{DeskNo, DocumentRef};
use crate::domain::{CategoryId, TicketState, sanitize_line};
use crate::tr;
use crate::ui::kit::cut;
use crate::ui::worker::Jobs;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use std::sync::Arc;
use uuid::Uuid;

/// What the operator asked for; a transfer carries where to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Call,
    /// The ticket chosen in the line, out of turn.
    CallChosen(Uuid),
    Recall,
    Serve,
    NoShow,
    /// The desk's last no-show back into the line (undo for `X`).
    Return,
    Transfer(TransferTo),
    Finish,
}

/// The transfer dialog: a category, and a desk or any desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub category: usize,
    /// Index into `desks`; 0 is "any desk serving the category".
    pub desk: usize,
    pub desks: Vec<Option<DeskNo>>,
    pub on_desk: bool,
}

pub fn on_key(c: &mut Console, key: KeyEvent, env: &Env, jobs: &mut Jobs<'_, Msg>) -> Option<Note> {
    // a ticket chosen in the line takes Enter (call it), P (reprint its
    // paper) and Esc (back to the next in turn); ↑↓ choose
    match (key.code, c.chosen) {
        (KeyCode::Down, _) => {
            c.chosen = step_choice(&c.snap.line, c.chosen, true);
            return None;
        }
        (KeyCode::Up, _) => {
            c.chosen = step_choice(&c.snap.line, c.chosen, false);
            return None;
        }
        (KeyCode::Esc, Some(_)) => {
            c.chosen = None;
            return None;
        }
        (KeyCode::Enter, Some(id)) => {
            run(c, Action::CallChosen(id), env, jobs);
            return None;
        }
        (KeyCode::Char('p' | 'P' | 'з' | 'З'), Some(id)) => {
            return super::reprint::send(DocumentRef::Ticket(id), env, jobs);
        }
        _ => {}
    }
    let action = match key.code {
        KeyCode::Char('n' | 'N' | 'т' | 'Т') | KeyCode::Enter => Action::Call,
        KeyCode::Char('r' | 'R' | 'к' | 'К') => Action::Recall,
        KeyCode::Char('s' | 'S' | 'ы' | 'Ы') => Action::Serve,
        KeyCode::Char('x' | 'X' | 'ч' | 'Ч') => Action::NoShow,
        KeyCode::Char('u' | 'U' | 'г' | 'Г') => Action::Return,
        KeyCode::Char('f' | 'F' | 'а' | 'А') => Action::Finish,
        KeyCode::Char('t' | 'T' | 'е' | 'Е') => {
            return open_transfer(c, env);
        }
        KeyCode::Char('a' | 'A' | 'ф' | 'Ф') => return c.show(View::Form, env, jobs),
        KeyCode::Char('p' | 'P' | 'з' | 'З') => return super::pause::on_p(c, env, jobs),
        _ => return None,
    };
    run(c, action, env, jobs);
    None
}

/// Runs a ticket action on the database thread.
fn run(c: &Console, action: Action, env: &Env, jobs: &mut Jobs<'_, Msg>) {
    let ctx = Arc::clone(&env.ctx);
    let op: Operator = c.op.clone();
    let (desk, now) = (env.desk, env.now());
    let asked = action.clone();
    jobs.run(
        move |store| -> AppResult<TicketRecord> {
            let m = match asked {
                Action::Call => return tickets::call_next(store, &ctx, &op, desk, now),
                Action::CallChosen(id) => {
                    return tickets::call(store, &ctx, &op, desk, Which::Chosen(id), now);
                }
                Action::Return => return tickets::return_no_show(store, &ctx, &op, desk, now),
                Action::Recall => Move::Recall,
                Action::Serve => Move::StartServing,
                Action::NoShow => Move::NoShow,
                Action::Finish => Move::Finish,
                Action::Transfer(to) => Move::Transfer(to),
            };
            tickets::move_current(store, &ctx, &op, desk, m, now)
        },
        move |r| Msg::Ticket(action, r),
    );
}

pub fn on_reply(
    c: &mut Console,
    action: Action,
    r: AppResult<TicketRecord>,
    env: &Env,
    jobs: &mut Jobs<'_, Msg>,
) -> Option<Note> {
    poll(env, -1, jobs);
    if matches!(action, Action::Call | Action::CallChosen(_)) && r.is_ok() {
        c.chosen = None;
    }
    let t = match r {
        Ok(t) => t,
        Err(e) => return Some(Note::error(text::error(env.lang, &e))),
    };
    let no = t.number.to_string();
    let lang = env.lang;
    let note = match action {
        Action::Call | Action::CallChosen(_) => tr!(lang, "desk-called", ticket = no),
        Action::Recall => tr!(lang, "desk-recalled", ticket = no),
        Action::Serve => tr!(lang, "desk-serving", ticket = no),
        Action::NoShow => tr!(lang, "desk-no-show-done", ticket = no),
        Action::Return => tr!(lang, "desk-returned", ticket = no),
        Action::Transfer(_) => tr!(lang, "desk-transferred", ticket = no),
        Action::Finish => tr!(lang, "desk-finished", ticket = no),
    };
    // the form follows the ticket being served
    if action == Action::Serve && c.form.is_pristine() {
        c.form =
            super::form::FormState::new(env, Some(&t), c.snap.campaign, c.snap.session.as_ref());
    }
    Some(Note::info(note))
}

fn open_transfer(c: &mut Console, env: &Env) -> Option<Note> {
    let Some(current) = &c.snap.current else {
        return Some(Note::error(env.t("desk-err-no-ticket")));
    };
    let cats = env.ctx.catalogue.all();
    let category = cats
        .iter()
        .position(|k| k.id == current.category)
        .unwrap_or(0);
    let mut desks = vec![None];
    desks.extend(
        env.ctx
            .config
            .desks
            .iter()
            .map(|d| d.number)
            .filter(|&n| n != env.desk)
            .map(Some),
    );
    c.transfer = Some(Transfer {
        category,
        desk: 0,
        desks,
        on_desk: false,
    });
    None
}

pub fn on_transfer_key(
    c: &mut Console,
    key: KeyEvent,
    env: &Env,
    jobs: &mut Jobs<'_, Msg>,
) -> Option<Note> {
    let n_cats = env.ctx.catalogue.all().len();
    // the dialog is taken out while its key is handled and put back
    // unless the key closes it
    let mut t = c.transfer.take()?;
    match key.code {
        KeyCode::Esc => return None,
        KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => t.on_desk = !t.on_desk,
        KeyCode::Left | KeyCode::Right | KeyCode::Char(' ') => {
            let back = key.code == KeyCode::Left;
            let (i, n) = if t.on_desk {
                (&mut t.desk, t.desks.len())
            } else {
                (&mut t.category, n_cats)
            };
            *i = if back { (*i + n - 1) % n } else { (*i + 1) % n };
        }
        KeyCode::Enter => {
            let to = TransferTo {
                category: env.ctx.catalogue.all()[t.category].id.clone(),
                desk: t.desks[t.desk],
            };
            run(c, Action::Transfer(to), env, jobs);
            return None;
        }
        _ => {}
    }
    c.transfer = Some(t);
    None
}

pub fn toggle_campaign(c: &mut Console, env: &Env, jobs: &mut Jobs<'_, Msg>) -> Option<Note> {
    let on = !c.snap.campaign;
    let op = c.op.clone();
    let now = env.now();
    jobs.run(
        move |store| set_campaign_mode(store, &op, on, now),
        move |r| {
            Msg::Done(
                if on {
                    "desk-campaign-switched-on"
                } else {
                    "desk-campaign-switched-off"
                },
                r,
            )
        },
    );
    None
}

/// The choice after ↓ (`down`) or ↑ in `line`: ↓ from none chooses the
/// first, ↑ from the first goes back to none (the next in turn).
fn step_choice(line: &[TicketRecord], chosen: Option<Uuid>, down: bool) -> Option<Uuid> {
    let at = chosen.and_then(|id| line.iter().position(|t| t.id == id));
    let next = match (at, down) {
        (None, true) => Some(0),
        (None, false) => None,
        (Some(i), true) => Some((i + 1).min(line.len().saturating_sub(1))),
        (Some(0), false) => None,
        (Some(i), false) => Some(i - 1),
    };
    next.and_then(|i| line.get(i)).map(|t| t.id)
}

/// The choice still stands after the line was read again only while its
/// ticket is still waiting in it.
pub fn keep_choice(line: &[TicketRecord], chosen: Option<Uuid>) -> Option<Uuid> {
    chosen.filter(|id| line.iter().any(|t| t.id == *id))
}

/// The key help of the queue view: with a ticket chosen, what can be done
/// to it.
pub fn keys(c: &Console, env: &Env) -> String {
    match c.chosen {
        Some(_) => env.t("desk-keys-queue-chosen"),
        None => env.t("desk-keys-queue"),
    }
}

/// How long the citizen waited: until the call, as the reports count it
/// (a ticket still in the line is still waiting).
fn waited_minutes(t: &TicketRecord, env: &Env) -> i64 {
    let until = t.called_at.unwrap_or_else(|| env.now());
    (until - t.taken_at).num_minutes().max(0)
}

pub fn render(c: &Console, f: &mut Frame<'_>, body: Rect, env: &Env) {
    let [left, right] =
        Layout::horizontal([Constraint::Length(42), Constraint::Min(20)]).areas(body);
    render_line(c, f, left, env);
    render_current(c, f, right, env);
}

fn render_line(c: &Console, f: &mut Frame<'_>, area: Rect, env: &Env) {
    let lang = env.lang;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(
            " {} ",
            tr!(lang, "desk-queue-title", count = c.snap.line.len())
        ))
        .title_bottom(
            Line::from(format!(" {} ", env.t("desk-queue-choose"))).style(env.theme().dim),
        );
    let inner = block.inner(area);
    f.render_widget(block, area);
    if c.snap.line.is_empty() {
        f.render_widget(
            Paragraph::new(env.t("desk-queue-empty")).style(env.theme().dim),
            inner,
        );
        return;
    }
    let w = inner.width as usize;
    let limits = env.ctx.wait_limit();
    let rows = inner.height as usize;
    // the chosen ticket stays in sight in a line longer than the pane
    let chosen_at = c
        .chosen
        .and_then(|id| c.snap.line.iter().position(|t| t.id == id));
    let skip = chosen_at.map_or(0, |i| (i + 1).saturating_sub(rows));
    let lines: Vec<Line> = c
        .snap
        .line
        .iter()
        .skip(skip)
        .take(rows)
        .map(|t| {
            let long =
                crate::domain::queue::over_limit(t.taken_at, env.now(), limits.of(&t.category));
            let mins = tr!(lang, "desk-minutes-short", count = waited_minutes(t, env));
            // past the waiting limit: "!" and the minutes in red
            let mins = if long { format!("!{mins}") } else { mins };
            let mark = if t.priority.is_priority() { "★" } else { " " };
            // the chosen ticket is marked as well as reversed: a
            // monochrome console sees it too
            let chosen = if c.chosen == Some(t.id) { ">" } else { " " };
            let head = format!("{chosen}{mark} {} ", t.number);
            let room = w.saturating_sub(head.chars().count() + mins.chars().count() + 1);
            let name = cut(&env.ctx.catalogue.name(&t.category, lang), room);
            let pad = room.saturating_sub(unicode_width::UnicodeWidthStr::width(name.as_str()));
            let style = if t.priority.is_priority() {
                env.theme().focus
            } else {
                Style::default()
            };
            let line = Line::from(vec![
                Span::styled(head, style),
                Span::raw(name),
                Span::raw(" ".repeat(pad + 1)),
                if long {
                    Span::styled(mins, env.theme().alarm.add_modifier(Modifier::BOLD))
                } else {
                    Span::raw(mins)
                },
            ]);
            if c.chosen == Some(t.id) {
                line.style(Style::default().add_modifier(Modifier::REVERSED))
            } else {
                line
            }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

fn render_current(c: &Console, f: &mut Frame<'_>, area: Rect, env: &Env) {
    let lang = env.lang;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", env.t("desk-current-title")));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let mut lines = Vec::new();
    if let Some(p) = &c.snap.pause {
        lines.push(super::pause::paused_line(p, env));
        lines.push(Line::from(""));
    }
    match &c.snap.current {
        None => lines.push(Line::from(Span::styled(
            env.t("desk-current-none"),
            env.theme().dim,
        ))),
        Some(t) => {
            let state_style = match t.state {
                TicketState::Serving => env.theme().ok,
                _ => env.theme().warning,
            };
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{}  ", t.number),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::styled(text::state(lang, t.state), state_style),
            ]));
            lines.push(Line::from(env.ctx.catalogue.name(&t.category, lang)));
            lines.push(Line::from(format!(
                "{}: {}",
                env.t("desk-priority"),
                text::priority(lang, t.priority)
            )));
            lines.push(Line::from(tr!(
                lang,
                "desk-waited",
                count = waited_minutes(t, env)
            )));
            if t.recalls > 0 {
                lines.push(Line::from(tr!(lang, "desk-recalls", count = t.recalls)));
            }
            let hint = match t.state {
                TicketState::Called => env.t("desk-hint-called"),
                _ => env.t("desk-hint-serving"),
            };
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(hint, env.theme().accent)));
        }
    }
    lines.push(Line::from(""));
    if let Some(s) = &c.snap.session {
        lines.push(Line::from(Span::styled(
            tr!(
                lang,
                "desk-session-now",
                kind = text::session_kind(lang, s.kind),
                place = sanitize_line(&s.place),
                count = s.appeals
            ),
            env.theme().accent,
        )));
    }
    if c.snap.campaign {
        lines.push(Line::from(Span::styled(
            env.t("desk-campaign-note"),
            env.theme().warning,
        )));
    }
    if c.form.is_dirty() {
        lines.push(Line::from(Span::styled(
            env.t("desk-draft-kept"),
            env.theme().dim,
        )));
    }
    f.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
        inner,
    );
}

pub fn render_transfer(t: &Transfer, f: &mut Frame<'_>, body: Rect, env: &Env) {
    let lang = env.lang;
    let area = centered(body, 60, 8);
    f.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", env.t("desk-transfer-title")));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let cat: &CategoryId = &env.ctx.catalogue.all()[t.category].id;
    let desk = match t.desks[t.desk] {
        None => env.t("desk-transfer-any-desk"),
        Some(n) => tr!(lang, "desk-transfer-desk", desk = n),
    };
    let focus = |on: bool| {
        if on {
            env.theme().focus
        } else {
            Style::default()
        }
    };
    let w = inner.width.saturating_sub(16) as usize;
    let lines = vec![
        Line::from(vec![
            Span::styled(
                format!("{:<14}", env.t("desk-f-category")),
                focus(!t.on_desk),
            ),
            Span::raw(format!(
                "◂ {} ▸",
                cut(&env.ctx.catalogue.name(cat, lang), w.saturating_sub(4))
            )),
        ]),
        Line::from(""),
        Line::from(vec![
            Span::styled(
                format!("{:<14}", env.t("desk-transfer-to")),
                focus(t.on_desk),
            ),
            Span::raw(format!("◂ {desk} ▸")),
        ]),
        Line::from(""),
        Line::from(Span::styled(env.t("desk-transfer-hint"), env.theme().dim)),
    ];
    f.render_widget(Paragraph::new(lines), inner);
}
