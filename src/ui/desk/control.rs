//! The control list (appeals under control, overdue first) and one appeal
//! in detail, with its history and the dialogs that change it: a follow-up
//! note, the outcome, the deadline, control on or off.

use super::{Console, Env, Msg, Note, View, centered, text};
use crate::app::AppResult;
use crate::app::citizen::Whom;
use crate::app::desk::appeals::{extend_deadline, follow_up, set_control, set_outcome};
use crate::app::desk::form::{parse_date, show_date};
use crate::app::desk::records::{self, AppealRecord, HistoryEntry};
use crate::app::desk::{DeskError, Field, Invalid, Operator, Problem};
use crate::domain::appeal::Outcome;
use crate::domain::event::DocumentRef;
use crate::domain::workdays::{Calendar, days_left};
use crate::domain::{AppealText, PersonName, ShortText, sanitize, sanitize_line};
use crate::tr;
use crate::ui::kit::{TextInput, cut, cut_pad, wrap_line, wrap_words};
use crate::ui::worker::Jobs;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use std::sync::Arc;
use unicode_width::UnicodeWidthStr;
use uuid::Uuid;

#[derive(Default)]
pub struct ControlState {
    pub rows: Vec<AppealRecord>,
    pub sel: usize,
    pub loaded: bool,
    /// Where Esc goes from the detail view.
    pub back: Option<View>,
}

/// Which of a two-field dialog's fields takes the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pair {
    First,
    Second,
}

impl Pair {
    fn other(self) -> Pair {
        match self {
            Pair::First => Pair::Second,
            Pair::Second => Pair::First,
        }
    }
}

/// Where the keys go in the outcome dialog, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeFocus {
    Choice,
    RedirectedTo,
    Note,
}

/// A dialog over an appeal's detail: each holds the fields its change needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    /// A follow-up note.
    Note { note: TextInput },
    /// A new outcome; the body redirected to, when that is the outcome.
    Outcome {
        to: Outcome,
        redirected_to: TextInput,
        note: TextInput,
        focus: OutcomeFocus,
    },
    /// A later deadline and why (the appeal is under control).
    Extend {
        deadline: TextInput,
        reason: TextInput,
        focus: Pair,
    },
    /// Putting the appeal under control: who answers for it, by when.
    Control {
        responsible: TextInput,
        deadline: TextInput,
        focus: Pair,
    },
    /// Taking it off control: a yes or no.
    Release,
    /// A supervisor erasing the citizen's personal data at their request:
    /// the request noted, and whether the texts go too.
    Erase {
        request: TextInput,
        texts: bool,
        focus: Pair,
    },
}

impl Dialog {
    /// Tab, ↓ (`forward`) or Shift-Tab, ↑ between the fields.
    fn step(&mut self, forward: bool) {
        match self {
            Dialog::Note { .. } | Dialog::Release => {}
            Dialog::Outcome { focus, .. } => {
                use OutcomeFocus::*;
                *focus = match (*focus, forward) {
                    (Choice, true) | (Note, false) => RedirectedTo,
                    (RedirectedTo, true) | (Choice, false) => Note,
                    (Note, true) | (RedirectedTo, false) => Choice,
                };
            }
            Dialog::Extend { focus, .. }
            | Dialog::Control { focus, .. }
            | Dialog::Erase { focus, .. } => {
                *focus = focus.other();
            }
        }
    }

    /// The text field that takes typing now, if any.
    fn typing(&mut self) -> Option<&mut TextInput> {
        match self {
            Dialog::Note { note } => Some(note),
            Dialog::Outcome { focus, .. } if *focus == OutcomeFocus::Choice => None,
            Dialog::Outcome {
                focus: OutcomeFocus::RedirectedTo,
                redirected_to,
                ..
            } => Some(redirected_to),
            Dialog::Outcome { note, .. } => Some(note),
            Dialog::Extend {
                deadline,
                reason,
                focus,
            } => Some(if *focus == Pair::First {
                deadline
            } else {
                reason
            }),
            Dialog::Control {
                responsible,
                deadline,
                focus,
            } => Some(if *focus == Pair::First {
                responsible
            } else {
                deadline
            }),
            Dialog::Release => None,
            Dialog::Erase { request, focus, .. } => (*focus == Pair::First).then_some(request),
        }
    }

    /// The text field that takes typing now, to look at.
    pub(super) fn typed(&self) -> Option<&TextInput> {
        match self {
            Dialog::Note { note } => Some(note),
            Dialog::Outcome {
                focus: OutcomeFocus::Choice,
                ..
            }
            | Dialog::Release => None,
            Dialog::Outcome {
                focus: OutcomeFocus::RedirectedTo,
                redirected_to,
                ..
            } => Some(redirected_to),
            Dialog::Outcome { note, .. } => Some(note),
            Dialog::Extend {
                deadline,
                reason,
                focus,
            } => Some(if *focus == Pair::First {
                deadline
            } else {
                reason
            }),
            Dialog::Control {
                responsible,
                deadline,
                focus,
            } => Some(if *focus == Pair::First {
                responsible
            } else {
                deadline
            }),
            Dialog::Erase { request, focus, .. } => (*focus == Pair::First).then_some(request),
        }
    }

    fn title_key(&self) -> &'static str {
        match self {
            Dialog::Note { .. } => "desk-dlg-note",
            Dialog::Outcome { .. } => "desk-dlg-outcome",
            Dialog::Extend { .. } => "desk-dlg-extend",
            Dialog::Control { .. } => "desk-dlg-control",
            Dialog::Release => "desk-dlg-release",
            Dialog::Erase { .. } => "desk-dlg-erase",
        }
    }
}

pub struct Detail {
    pub appeal: AppealRecord,
    pub recorded_by: records::Who,
    pub history: Vec<HistoryEntry>,
    pub scroll: usize,
    /// The first row of the card's upper pane shown (PgDn/PgUp): a long
    /// text is read whole.
    pub text_scroll: usize,
    pub dialog: Option<Dialog>,
}

pub fn load_list(jobs: &mut Jobs<'_, Msg>) {
    jobs.run(|store| records::under_control(store), Msg::Control);
}

pub fn on_list(c: &mut Console, r: AppResult<Vec<AppealRecord>>, env: &Env) -> Option<Note> {
    match r {
        Ok(mut rows) => {
            // overdue first: the earliest deadline first does that; rows
            // without a deadline go last
            rows.sort_by_key(|a| (a.deadline.is_none(), a.deadline, a.received_at));
            c.control.rows = rows;
            c.control.sel = c.control.sel.min(c.control.rows.len().saturating_sub(1));
            c.control.loaded = true;
            None
        }
        Err(e) => Some(Note::error(text::error(env.lang, &e))),
    }
}

pub fn load_detail(id: Uuid, jobs: &mut Jobs<'_, Msg>) {
    jobs.run(move |store| records::detail(store, id), Msg::Detail);
}

/// Opens an appeal's card. Who was shown its citizen is recorded first
/// (`app::citizen::record_view`): a card that cannot be accounted for is
/// not shown.
pub fn open_detail(
    c: &mut Console,
    id: Uuid,
    back: View,
    now: chrono::DateTime<chrono::Utc>,
    jobs: &mut Jobs<'_, Msg>,
) {
    c.control.back = Some(back);
    c.detail = None;
    c.view = View::Detail;
    let who = c.op.actor();
    jobs.run(
        move |store| {
            crate::app::citizen::record_view(store, &who, id, now)?;
            records::detail(store, id)
        },
        Msg::Detail,
    );
}

pub fn on_detail(c: &mut Console, r: AppResult<records::AppealDetail>, env: &Env) -> Option<Note> {
    match r {
        Ok(records::AppealDetail {
            appeal,
            recorded_by,
            history,
        }) => {
            let (scroll, text_scroll, dialog) = match c.detail.take() {
                Some(d) if d.appeal.id == appeal.id => (d.scroll, d.text_scroll, d.dialog),
                _ => (0, 0, None),
            };
            c.detail = Some(Detail {
                appeal,
                recorded_by,
                history,
                scroll,
                text_scroll,
                dialog,
            });
            None
        }
        Err(e) => {
            c.view = c.control.back.unwrap_or(View::Queue);
            Some(Note::error(text::error(env.lang, &e)))
        }
    }
}

pub fn on_list_key(
    c: &mut Console,
    key: KeyEvent,
    env: &Env,
    jobs: &mut Jobs<'_, Msg>,
) -> Option<Note> {
    let s = &mut c.control;
    match key.code {
        KeyCode::Esc => c.view = View::Queue,
        KeyCode::Down => s.sel = (s.sel + 1).min(s.rows.len().saturating_sub(1)),
        KeyCode::Up => s.sel = s.sel.saturating_sub(1),
        KeyCode::Enter => {
            if let Some(a) = s.rows.get(s.sel) {
                let id = a.id;
                open_detail(c, id, View::Control, env.now(), jobs);
            }
        }
        _ => {}
    }
    None
}

/// What a key on the detail view opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Note,
    Outcome,
    Extend,
    Control,
    Release,
    Erase,
}

fn dialog(open: Open, a: &AppealRecord, env: &Env) -> Dialog {
    let today = env.ctx.service_date(env.now());
    let date = |d| TextInput::line(10).with(&show_date(Calendar::builtin().default_deadline(d)));
    match open {
        Open::Note => Dialog::Note {
            note: TextInput::line(AppealText::MAX),
        },
        Open::Outcome => Dialog::Outcome {
            // the first outcome the appeal can go to from where it is
            to: Outcome::ALL
                .iter()
                .copied()
                .find(|o| {
                    a.outcome
                        .change_to(*o, ShortText::parse("x").ok().as_ref())
                        .is_ok()
                })
                .unwrap_or(Outcome::ALL[0]),
            redirected_to: TextInput::line(ShortText::MAX),
            note: TextInput::line(AppealText::MAX),
            focus: OutcomeFocus::Choice,
        },
        Open::Extend => Dialog::Extend {
            deadline: date(a.deadline.unwrap_or(today).max(today)),
            reason: TextInput::line(AppealText::MAX),
            focus: Pair::First,
        },
        Open::Control => Dialog::Control {
            responsible: TextInput::line(PersonName::MAX),
            deadline: date(today),
            focus: Pair::First,
        },
        Open::Release => Dialog::Release,
        Open::Erase => Dialog::Erase {
            request: TextInput::line(ShortText::MAX),
            texts: false,
            focus: Pair::First,
        },
    }
}

pub fn on_detail_key(
    c: &mut Console,
    key: KeyEvent,
    env: &Env,
    jobs: &mut Jobs<'_, Msg>,
) -> Option<Note> {
    let Some(d) = c.detail.as_mut() else {
        if key.code == KeyCode::Esc {
            c.view = c.control.back.unwrap_or(View::Queue);
        }
        return None;
    };
    if let Some(dlg) = d.dialog.as_mut() {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => d.dialog = None,
            KeyCode::Tab | KeyCode::Down => dlg.step(true),
            KeyCode::BackTab | KeyCode::Up => dlg.step(false),
            KeyCode::Enter => return submit(dlg, &d.appeal, &c.op, env, jobs),
            KeyCode::Char('s') if ctrl => return submit(dlg, &d.appeal, &c.op, env, jobs),
            KeyCode::Left | KeyCode::Right | KeyCode::Char(' ')
                if matches!(
                    dlg,
                    Dialog::Outcome {
                        focus: OutcomeFocus::Choice,
                        ..
                    }
                ) =>
            {
                if let Dialog::Outcome { to, .. } = dlg {
                    let n = Outcome::ALL.len();
                    let at = Outcome::ALL.iter().position(|o| o == to).unwrap_or(0);
                    let next = if key.code == KeyCode::Left {
                        (at + n - 1) % n
                    } else {
                        (at + 1) % n
                    };
                    *to = Outcome::ALL[next];
                }
            }
            KeyCode::Left | KeyCode::Right | KeyCode::Char(' ')
                if matches!(
                    dlg,
                    Dialog::Erase {
                        focus: Pair::Second,
                        ..
                    }
                ) =>
            {
                if let Dialog::Erase { texts, .. } = dlg {
                    *texts = !*texts;
                }
            }
            _ => {
                if let Some(t) = dlg.typing() {
                    t.on_key(key);
                }
            }
        }
        return None;
    }
    let open = match key.code {
        KeyCode::Esc => {
            let back = c.control.back.unwrap_or(View::Queue);
            c.detail = None;
            c.view = back;
            if back == View::Control {
                load_list(jobs);
            }
            return None;
        }
        KeyCode::Down => {
            d.scroll = (d.scroll + 1).min(d.history.len().saturating_sub(1));
            return None;
        }
        KeyCode::Up => {
            d.scroll = d.scroll.saturating_sub(1);
            return None;
        }
        // the card's upper pane: a long text, read a few rows at a time
        // (render keeps the offset within what there is)
        KeyCode::PageDown => {
            d.text_scroll += CARD_SCROLL_STEP;
            return None;
        }
        KeyCode::PageUp => {
            d.text_scroll = d.text_scroll.saturating_sub(CARD_SCROLL_STEP);
            return None;
        }
        // P, or the key under it on a Russian layout
        KeyCode::Char('p' | 'P' | 'з' | 'З') => {
            return super::reprint::send(DocumentRef::Receipt(d.appeal.id), env, jobs);
        }
        KeyCode::Char('n' | 'N' | 'т' | 'Т') => Open::Note,
        KeyCode::Char('o' | 'O' | 'щ' | 'Щ') => Open::Outcome,
        KeyCode::Char('e' | 'E' | 'у' | 'У') => {
            if !d.appeal.under_control {
                return Some(Note::error(env.t("desk-err-not-under-control")));
            }
            Open::Extend
        }
        KeyCode::Char('c' | 'C' | 'с' | 'С') => {
            if d.appeal.under_control {
                Open::Release
            } else {
                Open::Control
            }
        }
        // D, or the key under it on a Russian layout: only a supervisor
        KeyCode::Char('d' | 'D' | 'в' | 'В') => {
            if !c.op.role.can_supervise() {
                return Some(Note::error(env.t("desk-erase-not-allowed")));
            }
            Open::Erase
        }
        _ => return None,
    };
    d.dialog = Some(dialog(open, &d.appeal, env));
    None
}

fn refuse(field: Field, problem: Problem, env: &Env) -> Option<Note> {
    Some(Note::error(text::error(
        env.lang,
        &DeskError::Invalid(vec![Invalid { field, problem }]).into(),
    )))
}

fn submit(
    dlg: &Dialog,
    appeal: &AppealRecord,
    op: &Operator,
    env: &Env,
    jobs: &mut Jobs<'_, Msg>,
) -> Option<Note> {
    let (id, number) = (appeal.id, appeal.number);
    let op = op.clone();
    let now = env.now();
    match dlg {
        Dialog::Note { note } => {
            let note = note.text();
            jobs.run(
                move |store| follow_up(store, &op, id, &note, now),
                |r| Msg::Done("desk-note-added", r),
            );
        }
        Dialog::Outcome {
            to,
            redirected_to,
            note,
            ..
        } => {
            let (to, body, note) = (*to, redirected_to.text(), note.text());
            jobs.run(
                move |store| set_outcome(store, &op, id, to, &body, &note, now),
                |r| Msg::Done("desk-outcome-changed", r),
            );
        }
        Dialog::Extend {
            deadline, reason, ..
        } => {
            let Some(date) = parse_date(&deadline.text()) else {
                return refuse(Field::Deadline, Problem::BadDate, env);
            };
            let reason = reason.text();
            jobs.run(
                move |store| extend_deadline(store, &op, id, date, &reason, now),
                |r| Msg::Done("desk-deadline-extended", r),
            );
        }
        Dialog::Control {
            responsible,
            deadline,
            ..
        } => {
            let Some(date) = parse_date(&deadline.text()) else {
                return refuse(Field::Deadline, Problem::BadDate, env);
            };
            let who = responsible.text();
            let ctx = Arc::clone(&env.ctx);
            jobs.run(
                move |store| set_control(store, &ctx, &op, id, Some((&who, date)), now),
                |r| Msg::Done("desk-control-set", r),
            );
        }
        Dialog::Release => {
            let ctx = Arc::clone(&env.ctx);
            jobs.run(
                move |store| set_control(store, &ctx, &op, id, None, now),
                |r| Msg::Done("desk-control-lifted", r),
            );
        }
        Dialog::Erase { request, texts, .. } => {
            let Ok(request) = ShortText::parse(&request.text()) else {
                return Some(Note::error(env.t("desk-erase-request-needed")));
            };
            let (texts, number) = (*texts, number);
            jobs.run(
                move |store| {
                    crate::app::citizen::erase_as(
                        store,
                        &op.login,
                        op.role,
                        &Whom::Appeal(number),
                        texts,
                        request,
                        now,
                    )
                    .map(|_| ())
                },
                |r| Msg::Done("desk-citizen-erased", r),
            );
        }
    }
    None
}

/// "5 days left" or "overdue by 3 days", and whether it is overdue.
pub fn left_text(deadline: Option<chrono::NaiveDate>, env: &Env) -> (String, bool) {
    match deadline {
        None => (String::new(), false),
        Some(d) => {
            let n = days_left(env.ctx.service_date(env.now()), d);
            if n < 0 {
                (tr!(env.lang, "desk-days-overdue", count = -n), true)
            } else {
                (tr!(env.lang, "desk-days-left", count = n), false)
            }
        }
    }
}

/// Widths of the "days left" and "responsible" columns in a list `w`
/// wide: "days left" as wide as its longest text ("просрочено на 16 дней"
/// must not be cut at 80 columns), the responsible person at most 18, and
/// the rest shared with the citizen's name.
fn list_widths(w: usize, lefts: impl Iterator<Item = usize>) -> (usize, usize) {
    let left_w = (lefts.max().unwrap_or(0) + 1).clamp(12, 30);
    let rest = w.saturating_sub(1 + 11 + 11 + left_w);
    (left_w, (rest / 2).clamp(8, 18))
}

pub fn render_list(c: &Console, f: &mut Frame<'_>, body: Rect, env: &Env) {
    let lang = env.lang;
    let rows = &c.control.rows;
    let lefts: Vec<(String, bool)> = rows.iter().map(|a| left_text(a.deadline, env)).collect();
    let overdue = lefts.iter().filter(|(_, late)| *late).count();
    let block = Block::default().borders(Borders::ALL).title(format!(
        " {} ",
        tr!(
            lang,
            "desk-control-title",
            count = rows.len(),
            overdue = overdue
        )
    ));
    let inner = block.inner(body);
    f.render_widget(block, body);
    if rows.is_empty() {
        let hint = if c.control.loaded {
            env.t("desk-control-empty")
        } else {
            env.t("desk-loading")
        };
        f.render_widget(Paragraph::new(hint).style(env.theme().dim), inner);
        return;
    }
    let w = inner.width as usize;
    let (left_w, resp_w) = list_widths(w, lefts.iter().map(|(t, _)| t.width()));
    let head = format!(
        " {}{}{}{}{}",
        cut_pad(&env.t("desk-col-number"), 11),
        cut_pad(&env.t("desk-col-deadline"), 11),
        cut_pad(&env.t("desk-col-left"), left_w - 1) + " ",
        cut_pad(&env.t("desk-col-responsible"), resp_w.saturating_sub(1)) + " ",
        env.t("desk-col-citizen")
    );
    let mut lines = vec![Line::from(Span::styled(
        cut(&head, w),
        Style::default().add_modifier(Modifier::BOLD),
    ))];
    let height = (inner.height as usize).saturating_sub(1);
    let start = (c.control.sel + 1).saturating_sub(height);
    for (i, a) in rows.iter().enumerate().skip(start).take(height) {
        let (left, late) = (&lefts[i].0, lefts[i].1);
        let line = format!(
            "{}{}{}{}{}",
            cut_pad(&a.number.to_string(), 11),
            cut_pad(&a.deadline.map(show_date).unwrap_or_default(), 11),
            // each column a space short of its width: a cut name never
            // runs into the next column
            cut_pad(left, left_w - 1) + " ",
            cut_pad(
                &sanitize_line(a.responsible.as_deref().unwrap_or("")),
                resp_w.saturating_sub(1)
            ) + " ",
            text::citizen(lang, a)
        );
        let mut style = if late {
            env.theme().alarm
        } else {
            Style::default()
        };
        if i == c.control.sel {
            style = style.add_modifier(Modifier::REVERSED);
        }
        let mark = if late { "!" } else { " " };
        lines.push(Line::from(Span::styled(
            cut(&format!("{mark}{line}"), w),
            style,
        )));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// One history entry as a sentence: who did what.
fn history_text(h: &HistoryEntry, env: &Env) -> String {
    let lang = env.lang;
    let d = &h.detail;
    let s = |k: &str| {
        d.get(k)
            .and_then(|v| v.as_str())
            .map(|v| sanitize(v, false))
    };
    match h.kind.as_str() {
        "appeal_recorded" => env.t("desk-h-recorded"),
        "appeal_outcome_set" => {
            let o = s("outcome")
                .and_then(|o| o.parse::<Outcome>().ok())
                .map(|o| text::outcome(lang, o))
                .unwrap_or_default();
            let mut t = tr!(lang, "desk-h-outcome", outcome = o);
            if let Some(b) = s("redirected_to") {
                t.push_str(&format!(" → {b}"));
            }
            if let Some(n) = s("note") {
                t.push_str(&format!(": {n}"));
            }
            t
        }
        "appeal_control_set" => match d.get("control").filter(|c| !c.is_null()) {
            Some(c) => {
                let who = c
                    .get("responsible")
                    .and_then(|v| v.as_str())
                    .map(sanitize_line)
                    .unwrap_or_default();
                let date = c
                    .get("deadline")
                    .and_then(|v| v.as_str())
                    .and_then(parse_date)
                    .map(show_date)
                    .unwrap_or_default();
                tr!(lang, "desk-h-control", responsible = who, deadline = date)
            }
            None => env.t("desk-h-control-off"),
        },
        "appeal_deadline_extended" => tr!(
            lang,
            "desk-h-extended",
            deadline = s("deadline")
                .as_deref()
                .and_then(parse_date)
                .map(show_date)
                .unwrap_or_default(),
            reason = s("reason").unwrap_or_default()
        ),
        "appeal_follow_up" => tr!(lang, "desk-h-note", note = s("note").unwrap_or_default()),
        other => sanitize_line(other),
    }
}

pub fn render_detail(c: &Console, f: &mut Frame<'_>, body: Rect, env: &Env) {
    let lang = env.lang;
    let Some(d) = &c.detail else {
        f.render_widget(
            Paragraph::new(env.t("desk-loading")).block(Block::default().borders(Borders::ALL)),
            body,
        );
        return;
    };
    let a = &d.appeal;
    let tz = env.ctx.tz();
    let mut title = tr!(lang, "desk-detail-title", number = a.number.to_string());
    if a.repeated {
        title = format!("{title} · {}", env.t("desk-repeated"));
    }
    let [top, bottom] = Layout::vertical([Constraint::Length(11), Constraint::Min(3)]).areas(body);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "));
    let inner = block.inner(top);
    f.render_widget(block, top);
    let dim = env.theme().dim;
    let kv = |k: &str, v: String| {
        Line::from(vec![
            Span::styled(format!("{}: ", env.t(k)), dim),
            Span::raw(v),
        ])
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{}: ", env.t("desk-received")), dim),
            Span::raw(format!(
                "{} · {} · {}",
                a.received_at.with_timezone(&tz).format("%d.%m.%Y %H:%M"),
                text::kind(lang, a.kind),
                text::channel(lang, a.channel)
            )),
        ]),
        kv("desk-f-category", env.ctx.catalogue.name(&a.category, lang)),
    ];
    let citizen = match &a.citizen_name {
        None => text::citizen(lang, a),
        Some(n) => {
            let mut parts = vec![sanitize_line(n)];
            parts.extend(
                a.citizen_iin
                    .as_deref()
                    .map(|i| format!("{} {i}", env.t("desk-f-iin"))),
            );
            parts.extend(a.citizen_phone.as_deref().map(sanitize_line));
            parts.extend(a.settlement.as_deref().map(sanitize_line));
            parts.extend(a.workplace.as_deref().map(sanitize_line));
            parts.join(" · ")
        }
    };
    lines.push(kv("desk-citizen", citizen));
    if !a.heard_by.is_empty() {
        let names: Vec<String> = a.heard_by.iter().map(|n| sanitize_line(n)).collect();
        lines.push(kv("desk-f-heard-by", names.join(", ")));
    }
    let mut outcome = text::outcome(lang, a.outcome);
    if let Some(b) = &a.redirected_to {
        outcome.push_str(&format!(" → {}", sanitize_line(b)));
    }
    lines.push(kv("desk-f-outcome", outcome));
    if a.under_control {
        let (left, late) = left_text(a.deadline, env);
        let style = if late {
            env.theme().alarm
        } else {
            env.theme().accent
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", env.t("desk-f-control")), dim),
            Span::styled(
                format!(
                    "{} · {} · {}",
                    sanitize_line(a.responsible.as_deref().unwrap_or("")),
                    a.deadline.map(show_date).unwrap_or_default(),
                    left
                ),
                style,
            ),
        ]));
    }
    lines.push(kv("desk-recorded-by", text::who(lang, &d.recorded_by)));
    // every line wrapped to the pane, the text whole: nothing is cut, a
    // long card scrolls (PgDn, PgUp) and says when there is more
    let width = inner.width as usize;
    let mut rows: Vec<Line> = lines
        .into_iter()
        .flat_map(|l| wrap_line(l, width))
        .collect();
    let shown_text = if a.text_erased {
        env.t("desk-text-erased")
    } else {
        sanitize(&a.text, true)
    };
    for l in shown_text.lines() {
        for row in wrap_words(l, width) {
            rows.push(Line::from(Span::styled(
                row,
                Style::default().add_modifier(Modifier::ITALIC),
            )));
        }
    }
    let height = inner.height as usize;
    let first = d.text_scroll.min(rows.len().saturating_sub(height));
    let more_below = first + height < rows.len();
    let shown: Vec<Line> = rows.into_iter().skip(first).take(height).collect();
    f.render_widget(Paragraph::new(shown), inner);
    if first > 0 || more_below {
        let mark = match (first > 0, more_below) {
            (true, true) => "▲▼",
            (false, true) => "▼",
            _ => "▲",
        };
        let hint = format!(" {mark} {} ", env.t("desk-card-more"));
        let w = unicode_width::UnicodeWidthStr::width(hint.as_str()) as u16;
        let at = Rect::new(
            top.right().saturating_sub(w + 1),
            top.bottom().saturating_sub(1),
            w.min(top.width),
            1,
        );
        f.render_widget(Paragraph::new(hint).style(env.theme().accent), at);
    }

    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", env.t("desk-history-changes")));
    let inner = block.inner(bottom);
    f.render_widget(block, bottom);
    let w = inner.width as usize;
    // an entry is wrapped, not cut (a decision of the region with the
    // answer given is long): its later rows under its text
    let mut lines: Vec<Line> = Vec::new();
    for h in d.history.iter().skip(d.scroll) {
        if lines.len() >= inner.height as usize {
            break;
        }
        let when = h.at.with_timezone(&tz).format("%d.%m %H:%M").to_string();
        let who = text::who(lang, &h.who);
        let indent = when.width() + 1;
        let rows = wrap_words(
            &format!("{who} {}", history_text(h, env)),
            w.saturating_sub(indent).max(10),
        );
        for (i, row) in rows.into_iter().enumerate() {
            if i == 0 {
                let rest = row.strip_prefix(who.as_str()).map(str::to_string);
                let mut spans = vec![Span::styled(format!("{when} "), dim)];
                match rest {
                    Some(rest) => {
                        spans.push(Span::styled(who.clone(), env.theme().accent));
                        spans.push(Span::raw(rest));
                    }
                    None => spans.push(Span::raw(row)),
                }
                lines.push(Line::from(spans));
            } else {
                lines.push(Line::from(format!("{}{row}", " ".repeat(indent))));
            }
        }
    }
    lines.truncate(inner.height as usize);
    f.render_widget(Paragraph::new(lines), inner);
    if let Some(dlg) = &d.dialog {
        render_dialog(dlg, a, f, body, env);
    }
}

fn render_dialog(dlg: &Dialog, a: &AppealRecord, f: &mut Frame<'_>, body: Rect, env: &Env) {
    let lang = env.lang;
    let area = centered(body, 70, 9);
    f.render_widget(Clear, area);
    let title = env.t(dlg.title_key());
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} · {} ", a.number));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = (inner.width as usize).saturating_sub(20);
    let style = |on: bool| {
        if on {
            env.theme().focus
        } else {
            Style::default()
        }
    };
    let field = |key: &str, input: &TextInput, on: bool| {
        let mut spans = vec![Span::styled(cut_pad(&env.t(key), 20), style(on))];
        spans.extend(input.view_line(w, on, false).spans);
        Line::from(spans)
    };
    let mut lines = Vec::new();
    match dlg {
        Dialog::Note { note } => lines.push(field("desk-f-note", note, true)),
        Dialog::Outcome {
            to,
            redirected_to,
            note,
            focus,
        } => {
            lines.push(Line::from(vec![
                Span::styled(
                    cut_pad(&env.t("desk-f-outcome"), 20),
                    style(*focus == OutcomeFocus::Choice),
                ),
                Span::raw(format!("◂ {} ▸", text::outcome(lang, *to))),
            ]));
            lines.push(Line::from(Span::styled(
                format!(
                    "{}{}",
                    " ".repeat(20),
                    tr!(
                        lang,
                        "desk-dlg-outcome-now",
                        outcome = text::outcome(lang, a.outcome)
                    )
                ),
                env.theme().dim,
            )));
            lines.push(field(
                "desk-f-redirected",
                redirected_to,
                *focus == OutcomeFocus::RedirectedTo,
            ));
            lines.push(field("desk-f-note", note, *focus == OutcomeFocus::Note));
        }
        Dialog::Extend {
            deadline,
            reason,
            focus,
        } => {
            lines.push(field(
                "desk-f-new-deadline",
                deadline,
                *focus == Pair::First,
            ));
            lines.push(field("desk-f-reason", reason, *focus == Pair::Second));
        }
        Dialog::Control {
            responsible,
            deadline,
            focus,
        } => {
            lines.push(field(
                "desk-f-responsible",
                responsible,
                *focus == Pair::First,
            ));
            lines.push(field("desk-f-deadline", deadline, *focus == Pair::Second));
        }
        Dialog::Release => lines.push(Line::from(env.t("desk-dlg-release-ask"))),
        Dialog::Erase {
            request,
            texts,
            focus,
        } => {
            lines.push(Line::from(Span::styled(
                env.t("desk-dlg-erase-warn"),
                env.theme().alarm,
            )));
            lines.push(field("desk-f-request", request, *focus == Pair::First));
            lines.push(Line::from(vec![
                Span::styled(
                    cut_pad(&env.t("desk-f-erase-texts"), 20),
                    style(*focus == Pair::Second),
                ),
                Span::raw(format!(
                    "◂ {} ▸",
                    env.t(if *texts { "desk-yes" } else { "desk-no" })
                )),
            ]));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        env.t("desk-dlg-hint"),
        env.theme().dim,
    )));
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// Rows PgDn and PgUp move the card's upper pane by.
const CARD_SCROLL_STEP: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome() -> Dialog {
        Dialog::Outcome {
            to: Outcome::ALL[0],
            redirected_to: TextInput::line(10),
            note: TextInput::line(10),
            focus: OutcomeFocus::Choice,
        }
    }

    #[test]
    fn the_outcome_dialog_types_where_its_focus_is() {
        let mut d = outcome();
        assert!(d.typing().is_none(), "the choice takes no letters");
        d.step(true);
        d.typing().unwrap().paste("Әкімдік").unwrap();
        d.step(true);
        d.typing().unwrap().paste("жауап").unwrap();
        d.step(true);
        assert!(matches!(
            d,
            Dialog::Outcome {
                focus: OutcomeFocus::Choice,
                ..
            }
        ));
        d.step(false);
        let Dialog::Outcome {
            redirected_to,
            note,
            focus,
            ..
        } = &d
        else {
            unreachable!()
        };
        assert_eq!(redirected_to.text(), "Әкімдік");
        assert_eq!(note.text(), "жауап");
        assert_eq!(*focus, OutcomeFocus::Note);
    }

    #[test]
    fn two_fields_switch_and_a_question_takes_no_text() {
        let mut d = Dialog::Control {
            responsible: TextInput::line(10),
            deadline: TextInput::line(10),
            focus: Pair::First,
        };
        d.typing().unwrap().paste("Нұрлан").unwrap();
        d.step(false);
        d.typing().unwrap().paste("01.04.2026").unwrap();
        let Dialog::Control {
            responsible,
            deadline,
            ..
        } = &d
        else {
            unreachable!()
        };
        assert_eq!(
            (responsible.text(), deadline.text()),
            ("Нұрлан".into(), "01.04.2026".into())
        );
        let mut r = Dialog::Release;
        r.step(true);
        assert!(r.typing().is_none());
    }
}
