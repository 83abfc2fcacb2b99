//! The report pane's state, shared by the desk and the board: which period
//! is chosen (today, this week, this month, or two typed dates), the report
//! being computed, and the one shown.
//!
//! The report is computed on the database thread (`Jobs::run`). One job is
//! in flight at a time; each request has a generation number, and a reply
//! for an older one is dropped and the newest period asked for at once, so
//! a supervisor flicking through periods on a big database waits for one
//! stale report at most, and never sees one under the wrong title.

use super::names::cut;
use crate::app::Context;
use crate::app::desk::form::{parse_date, show_date};
use crate::app::report::{self, ScreenReport};
use crate::domain::Lang;
use crate::domain::report::PeriodChoice;
use crate::tr;
use crate::ui::kit::Theme;
use crate::ui::worker::Jobs;
use chrono::{DateTime, NaiveDate, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use std::sync::Arc;
use unicode_width::UnicodeWidthStr;

/// A computed report, or why not, for the request `generation`.
pub struct Reply {
    pub generation: u64,
    /// Boxed: a report is large next to the screens' other messages.
    pub result: Result<Box<ScreenReport>, String>,
}

/// Why typed dates were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    BadFrom,
    BadTo,
    EndsBeforeStart,
    StartsAfterToday,
}

impl Problem {
    pub fn text(self, lang: Lang) -> String {
        tr!(
            lang,
            match self {
                Problem::BadFrom => "report-bad-from",
                Problem::BadTo => "report-bad-to",
                Problem::EndsBeforeStart => "report-ends-before-start",
                Problem::StartsAfterToday => "report-starts-after-today",
            }
        )
    }
}

/// The two dates being typed for "a chosen period".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatesForm {
    pub from: String,
    pub to: String,
    /// The end date has the cursor (else the start date).
    pub on_to: bool,
    /// The field has just got the cursor: the first character typed
    /// replaces what it holds, as in a selected field.
    pub fresh: bool,
    /// The cursor went to the end date by itself (a whole start date was
    /// typed): a Tab now, from someone used to pressing it, leaves it
    /// there instead of sending it back to overwrite the start date.
    pub jumped: bool,
}

impl DatesForm {
    fn field(&mut self) -> &mut String {
        if self.on_to {
            &mut self.to
        } else {
            &mut self.from
        }
    }

    fn switch(&mut self) {
        self.on_to = !self.on_to;
        self.fresh = true;
    }

    fn type_char(&mut self, c: char) {
        self.jumped = false;
        if std::mem::take(&mut self.fresh) {
            self.field().clear();
        }
        let f = self.field();
        if f.chars().count() < DATE_LEN {
            f.push(c);
        }
        // a whole start date typed: the end date is next
        if !self.on_to && self.from.chars().count() == DATE_LEN && parse_date(&self.from).is_some()
        {
            self.switch();
            self.jumped = true;
        }
    }
}

/// What a key did to the pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOutcome {
    /// Not a key of the pane: the screen may use it.
    NotMine,
    Handled,
    /// The period changed or a refresh was asked for: compute.
    Compute,
    /// Typed dates were refused; the pane keeps them for correcting.
    Refused(Problem),
}

pub struct ReportPane {
    choice: PeriodChoice,
    editing: Option<DatesForm>,
    /// Dates last typed, offered again when "a period" is chosen again.
    typed: Option<(NaiveDate, NaiveDate)>,
    generation: u64,
    in_flight: bool,
    /// The latest report that came back, with its dates.
    shown: Option<((NaiveDate, NaiveDate), Box<ScreenReport>)>,
    /// The dates the latest request was for.
    asked: Option<(NaiveDate, NaiveDate)>,
    failed: bool,
    problem: Option<Problem>,
}

impl Default for ReportPane {
    fn default() -> Self {
        ReportPane::new(PeriodChoice::ThisMonth)
    }
}

/// Longest typed date: "01.03.2026".
const DATE_LEN: usize = 10;

impl ReportPane {
    pub fn new(choice: PeriodChoice) -> Self {
        ReportPane {
            choice,
            editing: None,
            typed: None,
            generation: 0,
            in_flight: false,
            shown: None,
            asked: None,
            failed: false,
            problem: None,
        }
    }

    pub fn choice(&self) -> PeriodChoice {
        self.choice
    }

    pub fn editing(&self) -> Option<&DatesForm> {
        self.editing.as_ref()
    }

    pub fn problem(&self) -> Option<Problem> {
        self.problem
    }

    /// A report is being computed.
    pub fn computing(&self) -> bool {
        self.in_flight
    }

    pub fn failed(&self) -> bool {
        self.failed
    }

    /// The report for the period asked for last, if it has come.
    pub fn current(&self) -> Option<&ScreenReport> {
        let (dates, r) = self.shown.as_ref()?;
        (Some(*dates) == self.asked).then_some(&**r)
    }

    /// Handles a key; `Compute` means the caller should call `request`.
    pub fn on_key(&mut self, key: KeyEvent, today: NaiveDate) -> KeyOutcome {
        if let Some(form) = &mut self.editing {
            return match key.code {
                KeyCode::Esc => {
                    self.editing = None;
                    self.problem = None;
                    KeyOutcome::Handled
                }
                KeyCode::Tab if std::mem::take(&mut form.jumped) => KeyOutcome::Handled,
                KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
                    form.jumped = false;
                    form.switch();
                    KeyOutcome::Handled
                }
                KeyCode::Backspace => {
                    form.jumped = false;
                    form.fresh = false;
                    form.field().pop();
                    KeyOutcome::Handled
                }
                KeyCode::Enter => self.submit(today),
                KeyCode::Char(c) if c.is_ascii_digit() || matches!(c, '.' | '/' | '-') => {
                    form.type_char(c);
                    KeyOutcome::Handled
                }
                // letters and the rest do nothing while dates are typed
                _ => KeyOutcome::Handled,
            };
        }
        let choice = match key.code {
            KeyCode::Char('1') => PeriodChoice::Today,
            KeyCode::Char('2') => PeriodChoice::ThisWeek,
            KeyCode::Char('3') => PeriodChoice::ThisMonth,
            KeyCode::Char('4') => {
                let (from, to) = self.typed.unwrap_or_else(|| self.choice.dates(today));
                self.editing = Some(DatesForm {
                    from: show_date(from),
                    to: show_date(to),
                    on_to: false,
                    fresh: true,
                    jumped: false,
                });
                self.problem = None;
                return KeyOutcome::Handled;
            }
            KeyCode::Enter => {
                self.failed = false;
                return KeyOutcome::Compute;
            }
            _ => return KeyOutcome::NotMine,
        };
        self.choice = choice;
        self.problem = None;
        KeyOutcome::Compute
    }

    fn submit(&mut self, today: NaiveDate) -> KeyOutcome {
        let Some(form) = self.editing.as_mut() else {
            return KeyOutcome::NotMine;
        };
        let checked = match (parse_date(&form.from), parse_date(&form.to)) {
            (None, _) => Err((Problem::BadFrom, false)),
            (_, None) => Err((Problem::BadTo, true)),
            (Some(from), Some(to)) if to < from => Err((Problem::EndsBeforeStart, true)),
            (Some(from), Some(_)) if from > today => Err((Problem::StartsAfterToday, false)),
            (Some(from), Some(to)) => Ok((from, to)),
        };
        match checked {
            Ok((from, to)) => {
                self.editing = None;
                self.problem = None;
                self.typed = Some((from, to));
                self.choice = PeriodChoice::Dates { from, to };
                KeyOutcome::Compute
            }
            Err((problem, on_to)) => {
                form.on_to = on_to;
                form.fresh = true;
                self.problem = Some(problem);
                KeyOutcome::Refused(problem)
            }
        }
    }

    /// Asks the database thread for the report of the chosen period, or,
    /// if one is being computed, makes this the one asked for when it
    /// comes back.
    pub fn request<M: Send + 'static>(
        &mut self,
        ctx: &Arc<Context>,
        now: DateTime<Utc>,
        jobs: &mut Jobs<'_, M>,
        wrap: fn(Reply) -> M,
    ) {
        let today = ctx.service_date(now);
        self.generation += 1;
        self.asked = Some(self.choice.dates(today));
        self.failed = false;
        if !self.in_flight {
            self.send(ctx, now, jobs, wrap);
        }
    }

    fn send<M: Send + 'static>(
        &mut self,
        ctx: &Arc<Context>,
        now: DateTime<Utc>,
        jobs: &mut Jobs<'_, M>,
        wrap: fn(Reply) -> M,
    ) {
        let Some((from, to)) = self.asked else {
            return;
        };
        self.in_flight = true;
        let generation = self.generation;
        let ctx = Arc::clone(ctx);
        jobs.run(
            move |store| {
                report::for_screen(store, &ctx, from, to, now)
                    .map(Box::new)
                    .map_err(|e| e.to_string())
            },
            move |result| wrap(Reply { generation, result }),
        );
    }

    /// Takes a reply: shown if it is for the latest request; dropped if
    /// not, and then the latest request is sent.
    pub fn on_reply<M: Send + 'static>(
        &mut self,
        reply: Reply,
        ctx: &Arc<Context>,
        now: DateTime<Utc>,
        jobs: &mut Jobs<'_, M>,
        wrap: fn(Reply) -> M,
    ) {
        self.in_flight = false;
        if reply.generation != self.generation {
            self.send(ctx, now, jobs, wrap);
            return;
        }
        match reply.result {
            Ok(r) => {
                let dates = (r.report.period.from, r.report.period.to);
                self.shown = Some((dates, r));
                self.failed = false;
            }
            Err(e) => {
                tracing::error!(error = %e, "the report could not be computed");
                self.failed = true;
            }
        }
    }

    /// The period line: the four choices, the chosen one marked, the typed
    /// dates when a period is being typed, and on the right what is going
    /// on (computing, failed, or the dates shown).
    pub fn render_picker(
        &self,
        area: Rect,
        buf: &mut Buffer,
        lang: Lang,
        today: NaiveDate,
        theme: &Theme,
    ) {
        if area.height == 0 {
            return;
        }
        let on = theme.accent_bar;
        let off = Style::new();
        let mut spans = Vec::new();
        let items = [
            ("1", "report-choice-today", PeriodChoice::Today),
            ("2", "report-choice-week", PeriodChoice::ThisWeek),
            ("3", "report-choice-month", PeriodChoice::ThisMonth),
        ];
        for (key, label, choice) in items {
            let chosen = self.editing.is_none() && self.choice == choice;
            spans.push(Span::styled(
                format!(" {key} {} ", tr!(lang, label)),
                if chosen { on } else { off },
            ));
        }
        let typed_chosen = matches!(self.choice, PeriodChoice::Dates { .. });
        let mut four = format!(" 4 {}", tr!(lang, "report-choice-dates"));
        match &self.editing {
            Some(form) => {
                spans.push(Span::styled(four + " ", on.add_modifier(Modifier::BOLD)));
                let field_style = |focus: bool| {
                    if focus {
                        theme.called
                    } else {
                        Style::new().add_modifier(Modifier::UNDERLINED)
                    }
                };
                // the cursor right after the text, the field as wide as a date
                let shown = |text: &str, focus: bool| {
                    let cursor = if focus { "▏" } else { "" };
                    let width = DATE_LEN + cursor.len().min(1);
                    format!("{:<width$}", format!("{text}{cursor}"))
                };
                spans.push(Span::raw(" "));
                spans.push(Span::styled(
                    shown(&form.from, !form.on_to),
                    field_style(!form.on_to),
                ));
                spans.push(Span::raw(" – "));
                spans.push(Span::styled(
                    shown(&form.to, form.on_to),
                    field_style(form.on_to),
                ));
            }
            None => {
                if let PeriodChoice::Dates { from, to } = self.choice {
                    four.push_str(&format!(": {}", dates_text(from, to)));
                }
                four.push(' ');
                spans.push(Span::styled(four, if typed_chosen { on } else { off }));
            }
        }
        let used: usize = spans.iter().map(|s| s.content.width()).sum();
        let width = area.width as usize;
        let status = if self.editing.is_some() {
            None
        } else if self.failed {
            Some((tr!(lang, "report-failed"), theme.error))
        } else if self.computing() {
            Some((
                tr!(lang, "report-computing"),
                theme.warning.add_modifier(Modifier::BOLD),
            ))
        } else if !typed_chosen {
            let (from, to) = self.choice.dates(today);
            Some((dates_text(from, to), theme.muted))
        } else {
            None
        };
        if let Some((text, style)) = status {
            let room = width.saturating_sub(used + 2);
            if room >= 8 {
                let text = cut(&text, room);
                spans.push(Span::raw(" ".repeat(width - used - text.width())));
                spans.push(Span::styled(text, style));
            }
        }
        Paragraph::new(Line::from(spans)).render(area, buf);
    }
}

/// "01.03.2026 – 18.03.2026", or one date for one day.
pub fn dates_text(from: NaiveDate, to: NaiveDate) -> String {
    if from == to {
        show_date(from)
    } else {
        format!("{} – {}", show_date(from), show_date(to))
    }
}
