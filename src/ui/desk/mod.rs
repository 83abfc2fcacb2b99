//! The desk operator console: login, the queue, the appeal form, search,
//! the control list, reception sessions. Keyboard only; every database job
//! goes through `Jobs`, so the loop never waits on the disk.

pub mod control;
pub mod form;
pub mod login;
pub mod lookup;
pub mod pause;
pub mod queue;
pub mod report;
pub mod reprint;
pub mod search;
pub mod sessions;
pub mod text;

#[cfg(test)]
mod tests;

use super::kit::{Theme, cut, wrap_words};
use super::runtime::{Input, Screen};
use super::worker::Jobs;
use crate::app::desk::Operator;
use crate::app::desk::records::{AppealRecord, SessionRecord, TicketRecord};
use crate::app::desk::state::{self, DeskState};
use crate::app::kiosk::AppealReceived;
use crate::app::staff::LoginOutcome;
use crate::app::{AppResult, Context};
use crate::domain::Lang;
use crate::domain::event::DeskNo;
use crate::tr;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use std::sync::Arc;
use std::time::Duration;

/// The smallest terminal the console is laid out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// The time the screen works with: the system clock, or one a test sets.
pub use crate::ui::kit::Clock;

/// What every part of the console needs.
#[derive(Clone)]
pub struct Env {
    pub ctx: Arc<Context>,
    pub desk: DeskNo,
    pub lang: Lang,
    pub clock: Clock,
    /// The point's receipt printer, when the config has one: reprints go
    /// to its thread and come back as `Msg::Printed`.
    pub printer: Option<Arc<crate::print::Spooler>>,
}

impl Env {
    /// The palette the point's config chose.
    pub fn theme(&self) -> &'static Theme {
        Theme::for_context(&self.ctx)
    }
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
    pub fn t(&self, key: &str) -> String {
        crate::i18n::t(self.lang, key)
    }
}

/// A line at the bottom telling what just happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub error: bool,
    pub text: String,
}

impl Note {
    pub fn info(text: String) -> Self {
        Note { error: false, text }
    }
    pub fn error(text: String) -> Self {
        Note { error: true, text }
    }
}

/// What the queue pane and the header show, re-read when the database
/// changes.
pub type Snapshot = DeskState;

pub enum Msg {
    Login(String, AppResult<LoginOutcome>),
    Polled(AppResult<Option<Snapshot>>),
    Ticket(queue::Action, AppResult<TicketRecord>),
    Saved(AppResult<AppealReceived>),
    History(u64, AppResult<Vec<AppealRecord>>),
    Search(u64, AppResult<Vec<AppealRecord>>),
    Control(AppResult<Vec<AppealRecord>>),
    Detail(AppResult<crate::app::desk::records::AppealDetail>),
    Sessions(AppResult<Vec<SessionRecord>>),
    /// A report computed for the F8 view.
    Report(crate::ui::report_view::Reply),
    /// A change that has nothing to show but a message: the key of it.
    Done(&'static str, AppResult<()>),
    /// What the citizen's look-up found.
    LookedUp(AppResult<crate::app::lookup::LookupResult>),
    /// What to reprint, read back from the tables.
    Reprint(AppResult<crate::print::Document>),
    /// From the print thread: what became of a reprint.
    Printed(crate::print::PrintReport),
    /// The reprint's event was written (its report, to say how it went).
    PrintRecorded(crate::print::PrintReport, AppResult<u64>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Queue,
    Form,
    Search,
    Control,
    Detail,
    Sessions,
    Report,
    Lookup,
}

pub struct Console {
    pub op: Operator,
    pub view: View,
    pub snap: Snapshot,
    pub form: form::FormState,
    pub search: search::SearchState,
    pub control: control::ControlState,
    pub detail: Option<control::Detail>,
    pub sessions: sessions::SessionsState,
    pub transfer: Option<queue::Transfer>,
    /// The reason dialog of `P`.
    pub pause: Option<pause::PauseDialog>,
    pub report: crate::ui::report_view::ReportPane,
    pub lookup: lookup::LookupState,
    /// The ticket chosen in the line (↑↓), by id so that it stays chosen
    /// while the line is re-read; `None`: the next in turn.
    pub chosen: Option<uuid::Uuid>,
}

enum State {
    Login(login::LoginState),
    Console(Box<Console>),
}

pub struct DeskScreen {
    env: Env,
    state: State,
    note: Option<Note>,
    quit: bool,
    ticks: u32,
    /// Ctrl-Q was pressed once with an unsaved appeal form.
    confirm_logout: bool,
    /// The last frame asked for a bigger window: keys and pastes are
    /// ignored until it is, so nobody types blind. Set where the size is
    /// known (each frame, each resize).
    too_small: std::cell::Cell<bool>,
}

/// Ticks between re-reads of the line even when nothing was written: the
/// waiting-limit rule reorders it as time passes.
const RELOAD_EVERY_TICKS: u32 = 20;

impl DeskScreen {
    pub fn new(ctx: Context, desk: DeskNo, lang: Lang, clock: Clock) -> Self {
        DeskScreen {
            env: Env {
                ctx: Arc::new(ctx),
                desk,
                lang,
                clock,
                printer: None,
            },
            state: State::Login(login::LoginState::default()),
            note: None,
            quit: false,
            ticks: 0,
            confirm_logout: false,
            too_small: std::cell::Cell::new(false),
        }
    }

    /// Reprints go to `spooler`'s printer; its reports must come back to
    /// this screen as `Msg::Printed`.
    pub fn with_printer(mut self, spooler: crate::print::Spooler) -> Self {
        self.env.printer = Some(Arc::new(spooler));
        self
    }

    pub fn lang(&self) -> Lang {
        self.env.lang
    }

    pub fn note(&self) -> Option<&Note> {
        self.note.as_ref()
    }

    pub fn console(&self) -> Option<&Console> {
        match &self.state {
            State::Console(c) => Some(c),
            State::Login(_) => None,
        }
    }

    /// Delivers inline replies at once (tests and benches drive the screen
    /// with `Jobs::inline`, where replies wait in the jobs queue).
    pub fn pump(&mut self, jobs: &mut Jobs<'_, Msg>) {
        loop {
            let replies = jobs.take_replies();
            if replies.is_empty() {
                break;
            }
            for r in replies {
                self.on_reply(r, jobs);
            }
        }
    }

    fn switch_lang(&mut self) {
        self.env.lang = match self.env.lang {
            Lang::Kk => Lang::Ru,
            Lang::Ru => Lang::En,
            Lang::En => Lang::Kk,
        };
        self.note = None;
    }

    fn on_key(&mut self, key: KeyEvent, jobs: &mut Jobs<'_, Msg>) {
        if key.code == KeyCode::F(7) {
            self.switch_lang();
            return;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match &mut self.state {
            State::Login(l) => {
                if (ctrl && key.code == KeyCode::Char('q')) || key.code == KeyCode::Esc {
                    self.quit = true;
                    return;
                }
                if let Some(note) = l.on_key(key, &self.env, jobs) {
                    self.note = Some(note);
                }
            }
            State::Console(c) => {
                let logout = ctrl && key.code == KeyCode::Char('q');
                if logout && c.form.is_dirty() && !self.confirm_logout {
                    self.confirm_logout = true;
                    self.note = Some(Note::error(self.env.t("desk-logout-confirm")));
                    return;
                }
                self.confirm_logout = false;
                if logout {
                    self.state = State::Login(login::LoginState::default());
                    self.note = Some(Note::info(self.env.t("desk-logged-out")));
                    return;
                }
                let note = c.on_key(key, &self.env, jobs);
                if let Some(n) = note {
                    self.note = Some(n);
                }
            }
        }
    }

    /// A paste goes into the text field that has the focus: cleaned of
    /// anything a terminal would act on, on one line (a pasted newline must
    /// not act as Enter), and all of it or nothing, as the kiosk's: a
    /// clipped text could lose the part that matters. Where no text field
    /// has the focus it is dropped, so pasted letters never act as keys
    /// (a pasted "т" on the queue would call the next ticket).
    fn on_paste(&mut self, text: &str, jobs: &mut Jobs<'_, Msg>) {
        let field = match &self.state {
            State::Login(l) if !l.checking => Some(l.typed()),
            State::Login(_) => None,
            State::Console(c) => c.typed(),
        };
        let Some(field) = field else {
            return;
        };
        let clean = crate::domain::sanitize(text, false);
        let len = field.len() + clean.chars().count();
        if len > field.max() {
            self.note = Some(Note::error(text::problem(
                self.env.lang,
                crate::app::desk::Problem::TooLong { max: field.max() },
            )));
            return;
        }
        // typed letter by letter, so the view reacts as to typing (a
        // search runs, the citizen's history is looked up)
        for c in clean.chars() {
            self.on_key(KeyEvent::from(KeyCode::Char(c)), jobs);
        }
    }

    fn poll(&mut self, force: bool, jobs: &mut Jobs<'_, Msg>) {
        if let State::Console(c) = &self.state {
            let known = if force { -1 } else { c.snap.version };
            poll(&self.env, known, jobs);
        }
    }
}

fn too_small(width: u16, height: u16) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

/// Reads the snapshot when the database changed since `known` (-1: always).
pub fn poll(env: &Env, known: i64, jobs: &mut Jobs<'_, Msg>) {
    let ctx = Arc::clone(&env.ctx);
    let (desk, now) = (env.desk, env.now());
    jobs.run(
        move |store| state::read_state(store, &ctx, desk, now, known),
        Msg::Polled,
    );
}

impl Console {
    fn new(op: Operator, env: &Env) -> Self {
        Console {
            op,
            view: View::Queue,
            snap: Snapshot::default(),
            form: form::FormState::new(env, None, false, None),
            search: search::SearchState::default(),
            control: control::ControlState::default(),
            detail: None,
            sessions: sessions::SessionsState::default(),
            transfer: None,
            pause: None,
            report: Default::default(),
            lookup: Default::default(),
            chosen: None,
        }
    }

    /// The text field that takes typing now, if any.
    fn typed(&self) -> Option<&crate::ui::kit::TextInput> {
        if self.transfer.is_some() {
            return None;
        }
        match self.view {
            View::Form => self.form.input(self.form.focus),
            View::Search => Some(&self.search.query),
            View::Detail => self.detail.as_ref()?.dialog.as_ref()?.typed(),
            View::Sessions => self.sessions.dialog.as_ref()?.typed(),
            View::Lookup => Some(self.lookup.input()),
            View::Queue | View::Control | View::Report => None,
        }
    }

    fn on_key(&mut self, key: KeyEvent, env: &Env, jobs: &mut Jobs<'_, Msg>) -> Option<Note> {
        // an open dialog takes every key
        if self.transfer.is_some() {
            return queue::on_transfer_key(self, key, env, jobs);
        }
        if self.pause.is_some() {
            return pause::on_dialog_key(self, key, env, jobs);
        }
        if self.view == View::Detail && self.detail.as_ref().is_some_and(|d| d.dialog.is_some()) {
            return control::on_detail_key(self, key, env, jobs);
        }
        if self.view == View::Sessions && self.sessions.dialog.is_some() {
            return sessions::on_key(self, key, env, jobs);
        }
        match key.code {
            KeyCode::F(1) => return self.show(View::Queue, env, jobs),
            KeyCode::F(2) => return self.show(View::Form, env, jobs),
            KeyCode::F(3) => return self.show(View::Search, env, jobs),
            KeyCode::F(4) => return self.show(View::Control, env, jobs),
            KeyCode::F(5) => return self.show(View::Sessions, env, jobs),
            KeyCode::F(6) => return queue::toggle_campaign(self, env, jobs),
            KeyCode::F(8) => return report::open(self, env, jobs),
            KeyCode::F(9) => return self.show(View::Lookup, env, jobs),
            _ => {}
        }
        match self.view {
            View::Queue => queue::on_key(self, key, env, jobs),
            View::Form => form::on_key(self, key, env, jobs),
            View::Search => search::on_key(self, key, env, jobs),
            View::Control => control::on_list_key(self, key, env, jobs),
            View::Detail => control::on_detail_key(self, key, env, jobs),
            View::Sessions => sessions::on_key(self, key, env, jobs),
            View::Report => report::on_key(self, key, env, jobs),
            View::Lookup => lookup::on_key(self, key, env, jobs),
        }
    }

    /// Switches to a view, loading what it shows.
    pub fn show(&mut self, view: View, env: &Env, jobs: &mut Jobs<'_, Msg>) -> Option<Note> {
        self.view = view;
        match view {
            View::Form => form::enter(self, env),
            View::Control => control::load_list(jobs),
            View::Sessions => sessions::load(jobs),
            View::Search => {}
            View::Queue | View::Detail | View::Report | View::Lookup => {}
        }
        None
    }

    fn on_reply(&mut self, msg: Msg, env: &Env, jobs: &mut Jobs<'_, Msg>) -> Option<Note> {
        match msg {
            Msg::Login(..) => None,
            Msg::Polled(Ok(Some(snap))) => {
                self.snap = snap;
                self.chosen = queue::keep_choice(&self.snap.line, self.chosen);
                None
            }
            Msg::Polled(Ok(None)) => None,
            Msg::Polled(Err(e)) => Some(Note::error(text::error(env.lang, &e))),
            Msg::Ticket(action, r) => queue::on_reply(self, action, r, env, jobs),
            Msg::Saved(r) => form::on_saved(self, r, env, jobs),
            Msg::History(generation, r) => {
                self.form.on_history(generation, r);
                None
            }
            Msg::Search(generation, r) => search::on_reply(self, generation, r, env, jobs),
            Msg::Control(r) => control::on_list(self, r, env),
            Msg::Detail(r) => control::on_detail(self, r, env),
            Msg::Sessions(r) => sessions::on_reply(self, r, env),
            Msg::Report(r) => {
                report::on_reply(self, r, env, jobs);
                None
            }
            Msg::LookedUp(r) => lookup::on_reply(self, r, env),
            Msg::Reprint(r) => reprint::on_document(r, env),
            Msg::Printed(report) => {
                reprint::on_printed(self.op.actor(), report, env, jobs);
                None
            }
            Msg::PrintRecorded(report, r) => reprint::on_recorded(&report, r, env),
            Msg::Done(key, r) => {
                poll(env, -1, jobs);
                match r {
                    Ok(()) => {
                        if let Some(d) = &mut self.detail {
                            d.dialog = None;
                            control::load_detail(d.appeal.id, jobs);
                        }
                        if self.view == View::Sessions {
                            sessions::load(jobs);
                        }
                        Some(Note::info(env.t(key)))
                    }
                    Err(e) => Some(Note::error(text::error(env.lang, &e))),
                }
            }
        }
    }

    fn render(&self, f: &mut Frame<'_>, body: Rect, env: &Env) {
        match self.view {
            View::Queue => queue::render(self, f, body, env),
            View::Form => form::render(self, f, body, env),
            View::Search => search::render(self, f, body, env),
            View::Control => control::render_list(self, f, body, env),
            View::Detail => control::render_detail(self, f, body, env),
            View::Sessions => sessions::render(self, f, body, env),
            View::Report => report::render(self, f, body, env),
            View::Lookup => lookup::render(self, f, body, env),
        }
        if let Some(t) = &self.transfer {
            queue::render_transfer(t, f, body, env);
        }
        if let Some(d) = &self.pause {
            pause::render_dialog(d, f, body, env);
        }
    }

    fn keys(&self, env: &Env) -> String {
        if self.transfer.is_some() || self.pause.is_some() {
            return env.t("desk-keys-dialog");
        }
        match self.view {
            View::Queue => queue::keys(self, env),
            View::Form => env.t("desk-keys-form"),
            View::Search => env.t("desk-keys-search"),
            View::Control => env.t("desk-keys-control"),
            View::Detail if self.detail.as_ref().is_some_and(|d| d.dialog.is_some()) => {
                env.t("desk-keys-dialog")
            }
            View::Detail if self.op.role.can_supervise() => env.t("desk-keys-detail-supervisor"),
            View::Detail => env.t("desk-keys-detail"),
            View::Sessions if self.sessions.dialog.is_some() => env.t("desk-keys-dialog"),
            View::Sessions => env.t("desk-keys-sessions"),
            View::Report => report::keys(self, env),
            View::Lookup => env.t("desk-keys-lookup"),
        }
    }
}

impl Screen for DeskScreen {
    type Msg = Msg;

    fn on_input(&mut self, input: Input, jobs: &mut Jobs<'_, Msg>) {
        match input {
            Input::Resize(w, h) => self.too_small.set(too_small(w, h)),
            Input::Key(_) | Input::Paste(_) if self.too_small.get() => {}
            Input::Key(k) if k.kind != KeyEventKind::Release => self.on_key(k, jobs),
            Input::Key(_) | Input::Mouse(_) => {}
            Input::Paste(text) => self.on_paste(&text, jobs),
            Input::Tick => {
                self.ticks = self.ticks.wrapping_add(1);
                let force = self.ticks % RELOAD_EVERY_TICKS == 0;
                self.poll(force, jobs);
            }
        }
    }

    fn on_reply(&mut self, msg: Msg, jobs: &mut Jobs<'_, Msg>) {
        match (&mut self.state, msg) {
            (State::Login(l), Msg::Login(login, r)) => match l.on_reply(&login, r, &self.env) {
                Ok(op) => {
                    self.note = Some(Note::info(tr!(
                        self.env.lang,
                        "desk-welcome",
                        name = crate::domain::sanitize_line(&op.name)
                    )));
                    self.state = State::Console(Box::new(Console::new(op, &self.env)));
                    self.poll(true, jobs);
                }
                Err(note) => self.note = Some(note),
            },
            // a reprint's report is recorded even after a logout
            (State::Login(_), Msg::Printed(report)) => {
                reprint::on_printed(crate::domain::Actor::system(), report, &self.env, jobs);
            }
            (State::Login(_), _) => {}
            (State::Console(c), msg) => {
                if let Some(n) = c.on_reply(msg, &self.env, jobs) {
                    self.note = Some(n);
                }
            }
        }
    }

    fn render(&self, f: &mut Frame<'_>) {
        let area = f.area();
        f.render_widget(Clear, area);
        self.too_small.set(too_small(area.width, area.height));
        if self.too_small.get() {
            let msg = Paragraph::new(vec![
                Line::from(crate::tr!(self.env.lang, "window-too-small")),
                Line::from(format!("{MIN_WIDTH}×{MIN_HEIGHT}")),
            ])
            .wrap(ratatui::widgets::Wrap { trim: true });
            f.render_widget(msg, area);
            return;
        }
        // a message longer than a line takes two, wrapped at words, rather
        // than being cut mid-word; longer still, the second row ends in "…"
        let note_rows: Vec<String> = self
            .note
            .as_ref()
            .map(|n| wrap_words(&n.text, area.width as usize))
            .unwrap_or_default();
        let note_height = if note_rows.len() > 1 { 2 } else { 1 };
        let [head, body, note, keys1, keys2] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(note_height),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        self.render_header(f, head);
        match &self.state {
            State::Login(l) => l.render(f, body, &self.env),
            State::Console(c) => c.render(f, body, &self.env),
        }
        if let Some(n) = &self.note {
            let style = if n.error {
                self.env.theme().alarm
            } else {
                self.env.theme().ok_bar
            };
            let width = note.width as usize;
            let mut lines: Vec<Line> = note_rows
                .iter()
                .take(2)
                .map(|r| Line::from(r.clone()))
                .collect();
            if note_rows.len() > 2 {
                let rest = note_rows[1..].join(" ");
                lines[1] = Line::from(cut(&rest, width));
            }
            f.render_widget(Paragraph::new(lines).style(style), note);
        }
        let (k1, k2) = match &self.state {
            State::Login(_) => (self.env.t("desk-keys-login"), String::new()),
            State::Console(c) => (c.keys(&self.env), self.env.t("desk-keys-global")),
        };
        let dim = self.env.theme().keys;
        f.render_widget(
            Paragraph::new(cut(&k1, keys1.width as usize)).style(dim),
            keys1,
        );
        f.render_widget(
            Paragraph::new(cut(&k2, keys2.width as usize)).style(dim),
            keys2,
        );
    }

    fn finished(&self) -> bool {
        self.quit
    }

    fn tick_every(&self) -> Duration {
        Duration::from_millis(500)
    }
}

impl DeskScreen {
    fn render_header(&self, f: &mut Frame<'_>, area: Rect) {
        let env = &self.env;
        let local = env.now().with_timezone(&env.ctx.tz());
        let mut spans = vec![Span::styled(
            format!(" {} ", tr!(env.lang, "desk-title", desk = env.desk)),
            Style::default().add_modifier(Modifier::BOLD),
        )];
        if let State::Console(c) = &self.state {
            spans.push(Span::raw(format!(
                "· {} ({}) ",
                crate::domain::sanitize_line(&c.op.name),
                text::role(env.lang, c.op.role)
            )));
            if c.snap.campaign {
                spans.push(Span::styled(
                    format!(" {} ", env.t("desk-campaign-on")),
                    env.theme().mark,
                ));
            }
            if c.snap.session.is_some() {
                spans.push(Span::styled(
                    format!(" {} ", env.t("desk-session-open-mark")),
                    env.theme().accent_bar,
                ));
            }
        }
        let clock = format!(
            "{} {} ",
            env.lang.code().to_uppercase(),
            local.format("%d.%m.%Y %H:%M")
        );
        let left: String = spans.iter().map(|s| s.content.as_ref()).collect();
        let used = unicode_width::UnicodeWidthStr::width(left.as_str());
        let pad = (area.width as usize).saturating_sub(used + clock.chars().count());
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::raw(clock));
        f.render_widget(
            Paragraph::new(Line::from(spans)).style(env.theme().header),
            area,
        );
    }
}

/// A centred box for dialogs.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
