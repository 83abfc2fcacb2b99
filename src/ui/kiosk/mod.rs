//! The self-service kiosk: a citizen picks a language, then takes a queue
//! ticket or leaves a written appeal or proposal, and walks away with a
//! number. The flow lives here; each screen draws itself in its own file.
//!
//! ```text
//! welcome ─ menu ─┬─ topic ─ priority ─ (taking) ─ ticket ─┐
//!                 ├─ topic ─ consent ─ fields ─ review ─ (saving) ─ receipt
//!                 └─ look-up: number ─ digits or IIN ─ (looking up) ─ status
//! every step ── idle timeout ──▶ welcome (the form is forgotten)
//! ```

mod big_number;
mod choices;
mod chrome;
mod exit;
mod keyboard;
mod screens;
mod step;
#[cfg(test)]
mod tests;

pub use crate::ui::kit::Clock;
pub use step::Msg;

use crate::app::kiosk as usecase;
use crate::app::{AppError, Context};
use crate::domain::{CategoryId, Lang, Priority};
use crate::ui::kit::TextInput;
use crate::ui::runtime::{Input, Screen};
use crate::ui::worker::Jobs;
use choices::DigitResult;
use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use exit::ExitPrompt;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;
use step::{Choice, Draft, Field, LookupStage, Paper, Problem, Purpose, Step, Target};

/// How long a ticket or an appeal number stays on screen.
pub const RESULT_SECS: u64 = 30;

/// How long it stays when its paper did not come out: long enough to
/// write the number down or photograph it, whatever the idle timeout.
pub const TROUBLE_SECS: u64 = 120;

/// The last part of the idle timeout, counted down on screen before a
/// half-done form is wiped.
pub const IDLE_WARNING: Duration = Duration::from_secs(10);

/// How the kiosk was started.
#[derive(Debug, Clone, Copy, Default)]
pub struct KioskOptions {
    /// Development: Ctrl-Q or F12 leaves at once, no PIN.
    pub allow_exit: bool,
    /// Whether an exit PIN is set (checked again when the prompt opens).
    pub exit_pin_set: bool,
    /// Campaign mode as known at start (read again at each new citizen).
    pub campaign: bool,
}

pub struct Kiosk {
    ctx: Arc<Context>,
    clock: Clock,
    options: KioskOptions,
    lang: Lang,
    campaign: bool,
    step: Step,
    problem: Option<Problem>,
    last_input: std::time::Instant,
    exit: Option<ExitPrompt>,
    /// Wrong exit PINs, kept when the prompt closes so Esc does not reset them.
    exit_guard: exit::Guard,
    finished: bool,
    /// What the last frame drew where: clicks are tested against it.
    hits: RefCell<Hits>,
    /// The receipt printer's thread, when the config has one.
    printer: Option<crate::print::Spooler>,
    /// The on-screen keyboard's layout and shift (`[kiosk] touch`), set
    /// anew for each field.
    keyboard: keyboard::Keyboard,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Hits {
    targets: Vec<(Rect, Target)>,
    /// Rows per column of the last choice list (Left/Right jump by it).
    rows: usize,
    columns: usize,
    /// How far the review can scroll, as last drawn.
    scroll_max: u16,
}

impl Hits {
    fn add_choices(&mut self, placed: &choices::Placed) {
        for &(i, r) in &placed.items {
            self.targets.push((r, Target::Choice(i)));
        }
        self.rows = placed.rows.max(1);
        self.columns = placed
            .items
            .iter()
            .map(|(_, r)| r.x)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
    }

    fn add(&mut self, rect: Rect, target: Target) {
        self.targets.push((rect, target));
    }

    fn set_scroll_max(&mut self, max: u16) {
        self.scroll_max = max;
    }
}

/// What a key or a touch means to the step on screen.
#[derive(Debug, Clone, PartialEq)]
enum Cmd {
    Up,
    Down,
    Left,
    Right,
    Enter,
    Back,
    Next,
    Digit(char),
    Char(char),
    Backspace,
    Delete,
    Home,
    End,
    Paste(String),
    Hit(Target),
}

impl Kiosk {
    pub fn new(ctx: Arc<Context>, clock: Clock, options: KioskOptions) -> Self {
        let lang = first_lang(&ctx);
        let now = clock.instant();
        Kiosk {
            ctx,
            clock,
            options,
            lang,
            campaign: options.campaign,
            step: Step::welcome(),
            problem: None,
            last_input: now,
            exit: None,
            exit_guard: exit::Guard::default(),
            finished: false,
            hits: RefCell::new(Hits::default()),
            printer: None,
            keyboard: keyboard::Keyboard::default(),
        }
    }

    /// A touch screen: fields get the on-screen keyboard.
    pub(super) fn touch(&self) -> bool {
        self.ctx.config.kiosk.touch
    }

    /// The keyboard's keys as they are now, for `field`.
    pub(super) fn keyboard_rows(&self, field: Field) -> Vec<Vec<keyboard::Key>> {
        self.keyboard.rows(field.multiline())
    }

    /// Prints every ticket and receipt on `spooler`'s printer; its reports
    /// must come back to this screen as `Msg::Printed`.
    pub fn with_printer(mut self, spooler: crate::print::Spooler) -> Self {
        self.printer = Some(spooler);
        self
    }

    /// Hands `doc` to the print thread: what the paper's state is now.
    fn print(&self, doc: Option<crate::print::Document>) -> Paper {
        match (&self.printer, doc) {
            (None, _) => Paper::NoPrinter,
            (Some(spooler), Some(doc)) => {
                let reference = doc.reference();
                spooler.submit(doc, false);
                Paper::Printing(reference)
            }
            // recorded, but what to print could not be read back
            (Some(_), None) => Paper::Failed(crate::domain::event::PrintFailure::Failed),
        }
    }

    fn languages(&self) -> &[Lang] {
        &self.ctx.config.kiosk.languages
    }

    fn idle_timeout(&self) -> Duration {
        Duration::from_secs(self.ctx.config.kiosk.idle_timeout_secs)
    }

    fn result_timeout(&self) -> Duration {
        if self.step.paper().is_some_and(Paper::is_trouble) {
            return Duration::from_secs(TROUBLE_SECS);
        }
        Duration::from_secs(RESULT_SECS).min(self.idle_timeout())
    }

    /// Back to the welcome screen; whatever was typed is gone.
    fn reset(&mut self) {
        self.step = Step::welcome();
        self.lang = first_lang(&self.ctx);
        self.problem = None;
        self.exit = None;
    }

    fn go(&mut self, step: Step) {
        self.step = step;
        self.problem = None;
    }

    fn on_tick(&mut self, jobs: &mut Jobs<'_, Msg>) {
        let now = self.clock.instant();
        if self.step.is_busy() {
            return;
        }
        // a first digit that waited in vain for a second is the choice
        let count = self.choice_count();
        if let Some(i) = self
            .step
            .choice_mut()
            .and_then(|c| c.digits.due(count, now))
        {
            if let Some(c) = self.step.choice_mut() {
                c.selected = i;
            }
            self.last_input = now;
            self.choose(i, jobs);
            return;
        }
        // a result screen closes by its own clock (longer when its paper
        // did not come out), not by the idle timeout
        if let Some(since) = self.step.shown_since() {
            if now.duration_since(since) >= self.result_timeout() {
                self.reset();
            }
            return;
        }
        let idle = now.duration_since(self.last_input) >= self.idle_timeout();
        if idle && !self.at_rest() {
            self.reset();
        }
    }

    /// Nothing to forget: the welcome screen as it first shows.
    fn at_rest(&self) -> bool {
        matches!(self.step, Step::Welcome(Choice { selected: 0, .. }))
            && self.exit.is_none()
            && self.problem.is_none()
    }

    /// Seconds before what the citizen did is wiped for want of a touch,
    /// during the last `IDLE_WARNING` of the idle timeout: the screen
    /// counts them down, and any key or touch keeps the form.
    pub(super) fn idle_seconds_left(&self) -> Option<u64> {
        if self.step.is_busy() || self.step.shown_since().is_some() || self.at_rest() {
            return None;
        }
        let idle = self.clock.instant().duration_since(self.last_input);
        let left = self.idle_timeout().saturating_sub(idle);
        (left <= IDLE_WARNING && !left.is_zero()).then(|| left.as_secs_f64().ceil() as u64)
    }

    fn on_key(&mut self, key: KeyEvent, jobs: &mut Jobs<'_, Msg>) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        // the hidden way out; Ctrl-C, Ctrl-Z, Ctrl-\ and the rest do nothing
        if key.code == KeyCode::F(12) || (ctrl && key.code == KeyCode::Char('q')) {
            self.open_exit(jobs);
            return;
        }
        if ctrl || alt {
            return;
        }
        if let Some(prompt) = &mut self.exit {
            let close = prompt.on_key(key.code);
            match close {
                exit::Action::Stay => {}
                exit::Action::Close => self.exit = None,
                exit::Action::Check(_) if self.exit_guard.is_locked(self.clock.instant()) => {
                    prompt.problem = Some(Problem::PinLocked);
                }
                exit::Action::Check(pin) => {
                    jobs.run(
                        move |store| usecase::check_exit_pin(store, &pin),
                        Msg::ExitPin,
                    );
                }
            }
            return;
        }
        let typing = matches!(self.step, Step::Field { .. } | Step::Lookup { .. });
        let multiline = matches!(&self.step, Step::Field { field, .. } if field.multiline());
        let cmd = match key.code {
            KeyCode::Esc => Cmd::Back,
            KeyCode::Enter if multiline => Cmd::Char('\n'),
            KeyCode::Enter => Cmd::Enter,
            KeyCode::Tab => Cmd::Next,
            KeyCode::Up => Cmd::Up,
            KeyCode::Down => Cmd::Down,
            KeyCode::Left => Cmd::Left,
            KeyCode::Right => Cmd::Right,
            KeyCode::Home => Cmd::Home,
            KeyCode::End => Cmd::End,
            KeyCode::Backspace => Cmd::Backspace,
            KeyCode::Delete => Cmd::Delete,
            KeyCode::Char(c) if typing => Cmd::Char(c),
            KeyCode::Char(c) if c.is_ascii_digit() => Cmd::Digit(c),
            _ => return,
        };
        self.command(cmd, jobs);
    }

    fn on_mouse(&mut self, m: crossterm::event::MouseEvent, jobs: &mut Jobs<'_, Msg>) {
        let cmd = match m.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                let hit = self
                    .hits
                    .borrow()
                    .targets
                    .iter()
                    .find(|(r, _)| r.contains((m.column, m.row).into()))
                    .map(|&(_, t)| t);
                match hit {
                    Some(t) => Cmd::Hit(t),
                    None => return,
                }
            }
            MouseEventKind::ScrollUp => Cmd::Up,
            MouseEventKind::ScrollDown => Cmd::Down,
            _ => return,
        };
        if self.exit.is_some() {
            return;
        }
        self.command(cmd, jobs);
    }

    fn open_exit(&mut self, jobs: &mut Jobs<'_, Msg>) {
        if self.options.allow_exit {
            self.finished = true;
            return;
        }
        self.exit = Some(ExitPrompt::new(self.options.exit_pin_set));
        jobs.run(|store| usecase::exit_pin_is_set(store), Msg::ExitPinSet);
    }

    fn command(&mut self, cmd: Cmd, jobs: &mut Jobs<'_, Msg>) {
        if self.step.is_busy() {
            return;
        }
        let now = self.clock.instant();
        if let Step::Field { .. } = self.step {
            self.field_command(cmd);
            return;
        }
        if let Step::Lookup { .. } = self.step {
            self.lookup_command(cmd, jobs);
            return;
        }
        if let Step::Ticket { .. } | Step::Receipt { .. } | Step::Status { .. } = self.step {
            // any key or touch: done
            if matches!(cmd, Cmd::Enter | Cmd::Back | Cmd::Hit(_) | Cmd::Next) {
                self.reset();
            }
            return;
        }
        if let Step::Review { scroll, .. } = &mut self.step {
            let max = self.hits.borrow().scroll_max;
            match cmd {
                Cmd::Up | Cmd::Hit(Target::Scroll(false)) => {
                    *scroll = scroll.saturating_sub(1);
                    return;
                }
                Cmd::Down | Cmd::Hit(Target::Scroll(true)) => {
                    *scroll = (*scroll + 1).min(max);
                    return;
                }
                _ => {}
            }
        }
        let count = self.choice_count();
        let (rows, columns) = {
            let h = self.hits.borrow();
            (h.rows.max(1), h.columns.max(1))
        };
        let Some(choice) = self.step.choice_mut() else {
            return;
        };
        let chosen = match cmd {
            Cmd::Up => {
                choice.selected = choice.selected.saturating_sub(1);
                None
            }
            Cmd::Down => {
                choice.selected = (choice.selected + 1).min(count.saturating_sub(1));
                None
            }
            Cmd::Left if columns > 1 => {
                choice.selected = choice.selected.saturating_sub(rows);
                None
            }
            Cmd::Right if columns > 1 => {
                choice.selected = (choice.selected + rows).min(count.saturating_sub(1));
                None
            }
            Cmd::Enter | Cmd::Next => Some(choice.selected),
            Cmd::Digit(d) => match choice.digits.push(d, count, now) {
                DigitResult::Choose(i) => Some(i),
                DigitResult::Select(i) => {
                    choice.selected = i;
                    None
                }
                DigitResult::Nothing => None,
            },
            Cmd::Hit(Target::Choice(i)) => Some(i),
            Cmd::Back | Cmd::Hit(Target::Back) => {
                self.back();
                return;
            }
            _ => None,
        };
        if let Some(i) = chosen.filter(|&i| i < count) {
            if let Some(c) = self.step.choice_mut() {
                c.selected = i;
                c.digits.clear();
            }
            self.choose(i, jobs);
        }
    }

    /// How many choices the step on screen offers.
    fn choice_count(&self) -> usize {
        match &self.step {
            Step::Welcome(_) => self.languages().len(),
            // a ticket, a written appeal, what became of my appeal
            Step::Menu(_) => 3,
            Step::Topic { .. } => self.topics().len(),
            Step::Priority { .. } => Priority::ALL.len(),
            Step::Consent { .. } => 2,
            Step::Review { .. } => 3,
            _ => 0,
        }
    }

    /// The topics offered: all, or only proposals for the programme in
    /// campaign mode.
    fn topics(&self) -> Vec<CategoryId> {
        self.ctx
            .catalogue
            .offered(self.campaign)
            .into_iter()
            .map(|c| c.id.clone())
            .collect()
    }

    fn choose(&mut self, i: usize, jobs: &mut Jobs<'_, Msg>) {
        let step = std::mem::replace(&mut self.step, Step::welcome());
        match step {
            Step::Welcome(_) => {
                self.lang = self.languages()[i];
                // campaign mode may have been switched since the last citizen
                let ctx = Arc::clone(&self.ctx);
                jobs.run(
                    move |store| ctx.campaign_mode(store).map_err(AppError::from),
                    Msg::Campaign,
                );
                self.go(Step::Menu(Choice::default()));
            }
            Step::Menu(_) if i == 2 => self.go(Step::Lookup {
                stage: LookupStage::Number,
                input: TextInput::line(LOOKUP_MAX),
            }),
            Step::Menu(_) => {
                let purpose = if i == 0 {
                    Purpose::Ticket
                } else {
                    Purpose::Appeal
                };
                self.after_menu(purpose);
            }
            Step::Topic { purpose, .. } => {
                let category = self.topics()[i].clone();
                self.after_topic(purpose, category);
            }
            Step::Priority { category, .. } => {
                let priority = Priority::ALL[i];
                self.take_ticket(category, priority, jobs);
            }
            Step::Consent { mut draft, .. } => {
                draft.set_consent(i == 0);
                let field = Field::first(draft.consent);
                self.edit(draft, field);
            }
            Step::Review { draft, .. } => match i {
                0 => self.save(draft, jobs),
                1 => self.go(Step::Consent {
                    choice: Choice::at(if draft.consent { 0 } else { 1 }),
                    draft,
                }),
                _ => self.reset(),
            },
            other => self.step = other,
        }
    }

    fn after_menu(&mut self, purpose: Purpose) {
        let topics = self.topics();
        // one topic (campaign mode): nothing to choose
        if let [only] = topics.as_slice() {
            self.after_topic(purpose, only.clone());
        } else {
            self.go(Step::Topic {
                purpose,
                choice: Choice::default(),
            });
        }
    }

    fn after_topic(&mut self, purpose: Purpose, category: CategoryId) {
        match purpose {
            Purpose::Ticket => self.go(Step::Priority {
                category,
                choice: Choice::default(),
            }),
            Purpose::Appeal => self.go(Step::Consent {
                draft: Draft::new(category),
                choice: Choice::default(),
            }),
        }
    }

    fn edit(&mut self, draft: Draft, field: Field) {
        self.keyboard = keyboard::Keyboard::for_field(
            self.lang,
            field == Field::Phone,
            matches!(field, Field::Name | Field::Settlement | Field::Workplace),
        );
        let input = TextInput::new(draft.get(field), field.multiline(), field.max());
        self.go(Step::Field {
            draft,
            field,
            input,
        });
    }

    /// One step back (Esc). The welcome screen has nowhere to go back to.
    fn back(&mut self) {
        let step = std::mem::replace(&mut self.step, Step::welcome());
        let purpose_of = |draft: Option<&Draft>| {
            if draft.is_some() {
                Purpose::Appeal
            } else {
                Purpose::Ticket
            }
        };
        let to_topic = |k: &mut Kiosk, purpose: Purpose, category: &CategoryId| {
            let topics = k.topics();
            if topics.len() <= 1 {
                k.go(Step::Menu(Choice::at(if purpose == Purpose::Ticket {
                    0
                } else {
                    1
                })));
            } else {
                let at = topics.iter().position(|c| c == category).unwrap_or(0);
                k.go(Step::Topic {
                    purpose,
                    choice: Choice::at(at),
                });
            }
        };
        match step {
            Step::Welcome(c) => self.step = Step::Welcome(c),
            Step::Menu(_) => self.reset(),
            Step::Topic { purpose, .. } => self.go(Step::Menu(Choice::at(match purpose {
                Purpose::Ticket => 0,
                Purpose::Appeal => 1,
            }))),
            Step::Priority { category, .. } => to_topic(self, purpose_of(None), &category),
            Step::Consent { draft, .. } => to_topic(self, Purpose::Appeal, &draft.category),
            Step::Field {
                mut draft,
                field,
                input,
            } => {
                // what was typed is kept for when they come forward again
                draft.set(field, input.text());
                match field.prev(draft.consent) {
                    Some(prev) => self.edit(draft, prev),
                    None => self.go(Step::Consent {
                        choice: Choice::at(if draft.consent { 0 } else { 1 }),
                        draft,
                    }),
                }
            }
            Step::Review { draft, .. } => self.edit(draft, Field::Text),
            other => self.step = other,
        }
    }

    fn field_command(&mut self, cmd: Cmd) {
        let Step::Field {
            draft,
            field,
            input,
        } = &mut self.step
        else {
            return;
        };
        let field = *field;
        let typed = match cmd {
            // a key of the on-screen keyboard types as the keyboard would
            Cmd::Hit(Target::Kbd(key)) => match self.keyboard.press(key) {
                Some('\u{8}') => {
                    input.backspace();
                    Ok(())
                }
                Some('\n') if field.multiline() => input.newline(),
                Some('\n') | None => Ok(()),
                Some(c) => input.insert(c),
            },
            Cmd::Char('\n') => input.newline(),
            Cmd::Char(c) => input.insert(c),
            Cmd::Paste(text) => input.paste(&text),
            Cmd::Backspace => {
                input.backspace();
                Ok(())
            }
            Cmd::Delete => {
                input.delete();
                Ok(())
            }
            Cmd::Left => {
                input.left();
                Ok(())
            }
            Cmd::Right => {
                input.right();
                Ok(())
            }
            Cmd::Up => {
                input.up();
                Ok(())
            }
            Cmd::Down => {
                input.down();
                Ok(())
            }
            Cmd::Home => {
                input.home();
                Ok(())
            }
            Cmd::End => {
                input.end();
                Ok(())
            }
            Cmd::Enter | Cmd::Next | Cmd::Hit(Target::Next) => {
                let text = input.text();
                match field.check(&text) {
                    Ok(()) => {
                        let mut draft = draft.clone();
                        draft.set(field, text);
                        match field.next() {
                            Some(next) => self.edit(draft, next),
                            None => self.go(Step::Review {
                                draft,
                                choice: Choice::default(),
                                scroll: 0,
                            }),
                        }
                    }
                    Err(p) => self.problem = Some(p),
                }
                return;
            }
            Cmd::Back | Cmd::Hit(Target::Back) => {
                self.back();
                return;
            }
            Cmd::Digit(_) | Cmd::Hit(Target::Choice(_) | Target::Key(_) | Target::Scroll(_)) => {
                Ok(())
            }
        };
        self.problem = typed.err().map(|e| Problem::TooLong {
            max: e.max,
            len: e.len,
        });
    }

    fn take_ticket(&mut self, category: CategoryId, priority: Priority, jobs: &mut Jobs<'_, Msg>) {
        let ctx = Arc::clone(&self.ctx);
        let (lang, now) = (self.lang, self.clock.utc());
        let cat = category.clone();
        self.go(Step::Taking { category, priority });
        jobs.run(
            move |store| {
                let issued = usecase::take_ticket(store, &ctx, &cat, priority, lang, now)?;
                // committed: what the paper says is read after, and a
                // failure to read it loses nothing but the paper
                let slip = crate::app::print::ticket_slip(store, &ctx, issued.id, now)
                    .inspect_err(|e| tracing::warn!(error = %e, "kiosk: no ticket slip"))
                    .ok();
                Ok((issued, slip))
            },
            Msg::Ticket,
        );
    }

    fn save(&mut self, draft: Draft, jobs: &mut Jobs<'_, Msg>) {
        let appeal = match draft.to_appeal(self.ctx.catalogue, self.lang) {
            Ok(a) => a,
            Err((field, problem)) => {
                // a field went wrong since it was checked: show it there
                self.edit(draft, field);
                self.problem = Some(problem);
                return;
            }
        };
        let ctx = Arc::clone(&self.ctx);
        let now = self.clock.utc();
        self.go(Step::Saving { draft });
        let lang = self.lang;
        jobs.run(
            move |store| {
                let received = usecase::leave_written_appeal(store, &ctx, appeal, now)?;
                let receipt = crate::app::print::receipt(store, &ctx, received.id, Some(lang))
                    .inspect_err(|e| tracing::warn!(error = %e, "kiosk: no receipt"))
                    .ok();
                Ok((received, receipt))
            },
            Msg::Appeal,
        );
    }

    fn on_message(&mut self, msg: Msg) {
        let now = self.clock.instant();
        match msg {
            Msg::Campaign(Ok(on)) => self.campaign = on,
            Msg::Campaign(Err(e)) => {
                tracing::warn!(error = %e, "kiosk: cannot read campaign mode");
            }
            Msg::Ticket(result) => {
                let Step::Taking { category, priority } = &self.step else {
                    return;
                };
                let (category, priority) = (category.clone(), *priority);
                match result {
                    Ok((issued, slip)) => {
                        let paper = self.print(slip.map(crate::print::Document::Ticket));
                        self.go(Step::Ticket {
                            issued,
                            category,
                            priority,
                            since: now,
                            paper,
                        })
                    }
                    Err(e) => {
                        let at = Priority::ALL.iter().position(|p| *p == priority);
                        self.go(Step::Priority {
                            category,
                            choice: Choice::at(at.unwrap_or(0)),
                        });
                        self.problem = Some(Problem::from(&e));
                    }
                }
                self.last_input = now;
            }
            Msg::Appeal(result) => {
                let Step::Saving { draft } = &self.step else {
                    return;
                };
                let draft = draft.clone();
                match result {
                    Ok((received, receipt)) => {
                        let paper =
                            self.print(receipt.clone().map(crate::print::Document::Receipt));
                        self.go(Step::Receipt {
                            received,
                            anonymous: !draft.consent,
                            since: now,
                            receipt,
                            paper,
                        })
                    }
                    Err(e) => {
                        self.go(Step::Review {
                            draft,
                            choice: Choice::default(),
                            scroll: 0,
                        });
                        self.problem = Some(Problem::from(&e));
                    }
                }
                self.last_input = now;
            }
            Msg::ExitPinSet(Ok(set)) => {
                self.options.exit_pin_set = set;
                if let Some(p) = &mut self.exit {
                    p.pin_set = set;
                }
            }
            Msg::ExitPinSet(Err(e)) => tracing::warn!(error = %e, "kiosk: exit PIN unknown"),
            // handled in on_reply, which has the jobs to record them with
            Msg::Printed(_) | Msg::PrintRecorded(_) => {}
            Msg::LookedUp(result) => {
                if !matches!(self.step, Step::LookingUp) {
                    return;
                }
                match result {
                    Ok(result) => self.go(Step::Status { result, since: now }),
                    Err(e) => {
                        self.go(Step::Lookup {
                            stage: LookupStage::Number,
                            input: TextInput::line(LOOKUP_MAX),
                        });
                        self.problem = Some(Problem::from(&e));
                    }
                }
                self.last_input = now;
            }
            Msg::ExitPin(result) => {
                let Some(prompt) = &mut self.exit else {
                    return;
                };
                match result {
                    Ok(true) => {
                        self.exit_guard = exit::Guard::default();
                        tracing::info!("kiosk: left with the exit PIN");
                        self.finished = true;
                    }
                    Ok(false) => prompt.refused(self.exit_guard.wrong(now)),
                    Err(e) => prompt.problem = Some(Problem::from(&e)),
                }
            }
        }
    }
}

/// The longest number or second factor typed: "point-id/2026-00042" or an IIN.
const LOOKUP_MAX: usize = 80;

impl Kiosk {
    /// Typing in "what became of my appeal?": keys or the on-screen keypad.
    fn lookup_command(&mut self, cmd: Cmd, jobs: &mut Jobs<'_, Msg>) {
        let Step::Lookup { stage, input } = &mut self.step else {
            return;
        };
        self.problem = None;
        let typed = match cmd {
            Cmd::Char(c) | Cmd::Digit(c) | Cmd::Hit(Target::Key(c)) if c != '\u{8}' => {
                // what a number or an IIN is made of; the rest is ignored
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '_' | '.') {
                    input.insert(c)
                } else {
                    Ok(())
                }
            }
            Cmd::Hit(Target::Key(_)) | Cmd::Backspace => {
                input.backspace();
                Ok(())
            }
            Cmd::Delete => {
                input.delete();
                Ok(())
            }
            Cmd::Left => {
                input.left();
                Ok(())
            }
            Cmd::Right => {
                input.right();
                Ok(())
            }
            Cmd::Home => {
                input.home();
                Ok(())
            }
            Cmd::End => {
                input.end();
                Ok(())
            }
            Cmd::Paste(text) => {
                let clean: String = text
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '_' | '.'))
                    .collect();
                input.paste(&clean)
            }
            Cmd::Back | Cmd::Hit(Target::Back) => {
                match stage {
                    LookupStage::Number => self.go(Step::Menu(Choice::at(2))),
                    LookupStage::SecondFactor { number } => {
                        let number = number.clone();
                        self.go(Step::Lookup {
                            stage: LookupStage::Number,
                            input: TextInput::line(LOOKUP_MAX).with(&number),
                        });
                    }
                }
                return;
            }
            Cmd::Enter | Cmd::Next | Cmd::Hit(Target::Next) => {
                let text = input.text().trim().to_string();
                match stage {
                    LookupStage::Number if text.is_empty() => {
                        self.problem = Some(Problem::Required);
                    }
                    LookupStage::Number => self.go(Step::Lookup {
                        stage: LookupStage::SecondFactor { number: text },
                        input: TextInput::line(LOOKUP_MAX),
                    }),
                    LookupStage::SecondFactor { number } => {
                        let (ctx, now) = (Arc::clone(&self.ctx), self.clock.utc());
                        let number = number.clone();
                        self.go(Step::LookingUp);
                        jobs.run(
                            move |store| {
                                crate::app::lookup::look_up(
                                    store,
                                    &ctx,
                                    crate::app::lookup::Station::Kiosk,
                                    &number,
                                    &text,
                                    now,
                                )
                            },
                            Msg::LookedUp,
                        );
                    }
                }
                return;
            }
            _ => Ok(()),
        };
        self.problem = typed.err().map(|e| Problem::TooLong {
            max: e.max,
            len: e.len,
        });
    }

    /// A print job ended: its event is written whatever the screen shows
    /// now; the screen changes only if it still shows that document.
    fn on_printed(&mut self, report: crate::print::PrintReport, jobs: &mut Jobs<'_, Msg>) {
        let now = self.clock.utc();
        let result = report.result.as_ref().map_err(|f| f.reason).copied();
        let printed = report.document;
        let now_instant = self.clock.instant();
        jobs.run(
            move |store| {
                crate::app::print::record(store, &crate::domain::Actor::kiosk(), &report, now)
            },
            Msg::PrintRecorded,
        );
        let shown = match &mut self.step {
            Step::Ticket { paper, since, .. } | Step::Receipt { paper, since, .. } => {
                Some((paper, since))
            }
            _ => None,
        };
        if let Some((paper, since)) = shown
            && let Paper::Printing(doc) = *paper
            && doc == printed
        {
            *paper = match result {
                Ok(()) => Paper::Printed,
                Err(reason) => {
                    // the longer wait counts from the bad news
                    *since = now_instant;
                    Paper::Failed(reason)
                }
            };
        }
    }
}

fn first_lang(ctx: &Context) -> Lang {
    ctx.config
        .kiosk
        .languages
        .first()
        .copied()
        .unwrap_or(Lang::Kk)
}

impl Screen for Kiosk {
    type Msg = Msg;

    fn on_input(&mut self, input: Input, jobs: &mut Jobs<'_, Msg>) {
        match input {
            Input::Tick => {
                self.on_tick(jobs);
                return;
            }
            // a mouse merely passing over is not somebody using the kiosk
            Input::Resize(..)
            | Input::Mouse(MouseEvent {
                kind: MouseEventKind::Moved,
                ..
            }) => return,
            Input::Key(k) => self.on_key(k, jobs),
            Input::Mouse(m) => self.on_mouse(m, jobs),
            Input::Paste(text) => {
                if self.exit.is_none() {
                    self.command(Cmd::Paste(text), jobs);
                }
            }
        }
        self.last_input = self.clock.instant();
    }

    fn on_reply(&mut self, msg: Msg, jobs: &mut Jobs<'_, Msg>) {
        match msg {
            Msg::Printed(report) => self.on_printed(report, jobs),
            Msg::PrintRecorded(Ok(_)) => {}
            Msg::PrintRecorded(Err(e)) => {
                tracing::error!(error = %e, "kiosk: the print result was not recorded")
            }
            msg => self.on_message(msg),
        }
    }

    fn render(&self, frame: &mut Frame<'_>) {
        let mut hits = Hits::default();
        screens::render(self, frame.area(), frame.buffer_mut(), &mut hits);
        *self.hits.borrow_mut() = hits;
    }

    fn finished(&self) -> bool {
        self.finished
    }
}
