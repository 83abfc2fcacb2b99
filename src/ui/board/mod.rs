//! The live queue board: the hall view (who is called to which desk, who
//! waits) and, after a supervisor's login, the day's figures.
//!
//! Liveness: every tick (100 ms) the worker asks SQLite for
//! `PRAGMA data_version`, which changes only when another connection
//! commits. Only then does it read the board again, in one short snapshot
//! transaction. The screen asks to be drawn only when what it shows
//! changed: new data, a highlight running out, the clock's minute, a
//! language turn, a key, a resize.

mod chrome;
mod hall;
mod login;
mod region;
mod report;
mod supervisor;

pub use hall::long_wait as long_wait_text;
pub use region::{RegionBoard, RegionOptions};

pub use crate::ui::widgets::big_text::Big;

use crate::app::Context;
use crate::app::board::{self, BoardData, Call, SupervisorLogin};
use crate::domain::Lang;
use crate::sound::{Speaker, SpokenCall};
use crate::ui::kit::Theme;
use crate::ui::runtime::{Input, Screen};
use crate::ui::worker::Jobs;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Frame;
use std::sync::Arc;
use std::time::Duration;

/// How often the board looks for other processes' commits.
pub const POLL_EVERY: Duration = Duration::from_millis(100);

/// Where the board takes the time from: the wall clock, or a test's.
pub use crate::ui::kit::Clock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// A fixed language; `None` starts with the first of `[kiosk] languages`
    /// and turns through them if `[board] rotate_languages_secs` says so.
    pub lang: Option<Lang>,
    /// Start at the supervisor's login.
    pub supervisor: bool,
    /// Ring the terminal bell on a call.
    pub bell: bool,
}

pub enum Msg {
    /// `None`: nothing changed since the version the board knew.
    Polled(Result<Option<(i64, Box<BoardData>)>, String>),
    LoggedIn(Result<SupervisorLogin, String>),
    /// A report for the supervisor's report view.
    Report(crate::ui::report_view::Reply),
}

enum Mode {
    Hall,
    Login(login::Form),
    /// `report`: the report view instead of the live panel.
    Supervisor {
        name: String,
        report: bool,
    },
}

pub struct Board {
    ctx: Arc<Context>,
    clock: Clock,
    now: DateTime<Utc>,
    langs: Vec<Lang>,
    lang: Lang,
    rotate: Option<chrono::Duration>,
    lang_since: DateTime<Utc>,
    bell: bool,
    bell_due: bool,
    highlight_for: chrono::Duration,
    highlight_shown: bool,
    data: Option<BoardData>,
    read_failed: bool,
    mode: Mode,
    version: Option<i64>,
    in_flight: bool,
    force_read: bool,
    minute: i64,
    dirty: bool,
    quit: bool,
    report: crate::ui::report_view::ReportPane,
    /// Says each new call aloud (`[board] spoken_calls`), on its own thread.
    speaker: Option<Box<dyn Speaker>>,
}

impl Board {
    pub fn new(ctx: Context, options: Options, clock: Clock) -> Board {
        let now = clock.utc();
        let langs = if ctx.config.kiosk.languages.is_empty() {
            Lang::ALL.to_vec()
        } else {
            ctx.config.kiosk.languages.clone()
        };
        let lang = options.lang.unwrap_or(langs[0]);
        let secs = ctx.config.board.rotate_languages_secs;
        let rotate = (options.lang.is_none() && secs > 0 && langs.len() > 1)
            .then(|| chrono::Duration::seconds(secs as i64));
        let highlight_for = chrono::Duration::seconds(ctx.config.board.highlight_secs as i64);
        let mode = if options.supervisor {
            Mode::Login(login::Form::default())
        } else {
            Mode::Hall
        };
        Board {
            ctx: Arc::new(ctx),
            clock,
            now,
            langs,
            lang,
            rotate,
            lang_since: now,
            bell: options.bell,
            bell_due: false,
            highlight_for,
            highlight_shown: false,
            data: None,
            read_failed: false,
            mode,
            version: None,
            in_flight: false,
            force_read: true,
            minute: now.timestamp().div_euclid(60),
            dirty: true,
            quit: false,
            report: Default::default(),
            speaker: None,
        }
    }

    /// The board says each new call through `speaker`; it never waits for it.
    pub fn with_speaker(mut self, speaker: Box<dyn Speaker>) -> Board {
        self.speaker = Some(speaker);
        self
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn is_supervisor_view(&self) -> bool {
        matches!(self.mode, Mode::Supervisor { .. })
    }

    pub fn is_report_view(&self) -> bool {
        matches!(self.mode, Mode::Supervisor { report: true, .. })
    }

    /// The report view's state (period, report shown).
    pub fn report_pane(&self) -> &crate::ui::report_view::ReportPane {
        &self.report
    }

    pub fn is_login(&self) -> bool {
        matches!(self.mode, Mode::Login(_))
    }

    /// The call to highlight now, if the latest one is recent enough.
    fn highlighted(&self) -> Option<Call> {
        let call = self.data.as_ref()?.hall.latest_call()?;
        (self.now - call.at < self.highlight_for).then_some(call)
    }

    /// Asks the worker whether anything changed, and for the board if so.
    fn poll(&mut self, jobs: &mut Jobs<'_, Msg>) {
        if self.in_flight {
            return;
        }
        self.in_flight = true;
        let known = if self.force_read { None } else { self.version };
        self.force_read = false;
        let ctx = Arc::clone(&self.ctx);
        let now = self.now;
        let figures = self.is_supervisor_view();
        jobs.run(
            move |store| {
                // once a minute (and at the first read): tickets still
                // waiting when the point closed are closed as such
                if known.is_none()
                    && let Err(e) = crate::app::hours::close_waiting(store, &ctx, now)
                {
                    tracing::warn!(error = %e, "the board could not close the day's waiting tickets");
                }
                if known.is_none()
                    && let Err(e) = crate::app::citizen::erase_expired_daily(store, &ctx, now)
                {
                    tracing::warn!(error = %e, "retention: the expired personal data was not erased");
                }
                let version = store.data_version().map_err(|e| e.to_string())?;
                if Some(version) == known {
                    return Ok(None);
                }
                board::read(store, &ctx, now, figures)
                    .map(|data| Some((version, Box::new(data))))
                    .map_err(|e| e.to_string())
            },
            Msg::Polled,
        );
    }

    fn tick(&mut self, jobs: &mut Jobs<'_, Msg>) {
        self.now = self.clock.utc();
        let minute = self.now.timestamp().div_euclid(60);
        if minute != self.minute {
            // the clock on screen, the order of the line and the waits move
            // with time even when nobody writes
            self.minute = minute;
            self.force_read = true;
            self.dirty = true;
        }
        let turn_due = self
            .rotate
            .is_some_and(|every| self.now - self.lang_since >= every);
        if turn_due && matches!(self.mode, Mode::Hall) {
            self.next_lang();
        }
        let shown = self.highlighted().is_some();
        if shown != self.highlight_shown {
            self.highlight_shown = shown;
            self.dirty = true;
        }
        self.poll(jobs);
    }

    fn next_lang(&mut self) {
        let i = self.langs.iter().position(|l| *l == self.lang).unwrap_or(0);
        self.lang = self.langs[(i + 1) % self.langs.len()];
        self.lang_since = self.now;
        self.dirty = true;
    }

    fn back_to_hall(&mut self) {
        self.mode = Mode::Hall;
        self.lang_since = self.now;
        self.dirty = true;
    }

    fn key(&mut self, key: KeyEvent, jobs: &mut Jobs<'_, Msg>) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL)
            && matches!(key.code, KeyCode::Char('c' | 'C'))
        {
            self.quit = true;
            return;
        }
        self.dirty = true;
        match &mut self.mode {
            Mode::Hall => match key.code {
                KeyCode::Char('q' | 'Q') => self.quit = true,
                KeyCode::Char('s' | 'S') => self.mode = Mode::Login(login::Form::default()),
                KeyCode::Char('l' | 'L') => self.next_lang(),
                _ => {}
            },
            Mode::Supervisor { report: true, .. } => self.report_key(key, jobs),
            Mode::Supervisor { report, .. } => match key.code {
                KeyCode::Char('r' | 'R' | 'к' | 'К') => {
                    *report = true;
                    self.report.request(&self.ctx, self.now, jobs, Msg::Report);
                }
                KeyCode::Esc | KeyCode::Char('h' | 'H') => self.back_to_hall(),
                KeyCode::Char('q' | 'Q') => self.quit = true,
                KeyCode::Char('l' | 'L') => self.next_lang(),
                _ => {}
            },
            Mode::Login(form) => match form.key(key) {
                login::Action::None => {}
                login::Action::Back => self.back_to_hall(),
                login::Action::Submit { login, pin } => {
                    let now = self.now;
                    jobs.run(
                        move |store| {
                            board::supervisor_log_in(store, &login, &pin, now)
                                .map_err(|e| e.to_string())
                        },
                        Msg::LoggedIn,
                    );
                }
            },
        }
    }
}

impl Board {
    /// Keys of the report view: typed dates take every key; otherwise R
    /// goes back to the live panel, Esc to the hall, and the period keys
    /// go to the pane.
    fn report_key(&mut self, key: KeyEvent, jobs: &mut Jobs<'_, Msg>) {
        let today = self.ctx.service_date(self.now);
        if self.report.editing().is_none() {
            match key.code {
                KeyCode::Char('r' | 'R' | 'к' | 'К') => {
                    if let Mode::Supervisor { report, .. } = &mut self.mode {
                        *report = false;
                    }
                    return;
                }
                KeyCode::Esc | KeyCode::Char('h' | 'H') => return self.back_to_hall(),
                KeyCode::Char('q' | 'Q') => {
                    self.quit = true;
                    return;
                }
                KeyCode::Char('l' | 'L') => return self.next_lang(),
                _ => {}
            }
        }
        use crate::ui::report_view::KeyOutcome;
        if self.report.on_key(key, today) == KeyOutcome::Compute {
            self.report.request(&self.ctx, self.now, jobs, Msg::Report);
        }
    }
}

impl Screen for Board {
    type Msg = Msg;

    fn on_input(&mut self, input: Input, jobs: &mut Jobs<'_, Msg>) {
        match input {
            Input::Tick => self.tick(jobs),
            Input::Key(k) => self.key(k, jobs),
            Input::Resize(..) => self.dirty = true,
            Input::Mouse(_) => {}
            // only the login form takes text: type a pasted login, one line
            Input::Paste(text) => {
                for c in crate::domain::sanitize_line(&text).chars().take(64) {
                    self.key(
                        crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c)),
                        jobs,
                    );
                }
            }
        }
    }

    fn on_reply(&mut self, msg: Msg, jobs: &mut Jobs<'_, Msg>) {
        match msg {
            Msg::Polled(result) => {
                self.in_flight = false;
                match result {
                    Ok(None) => {}
                    Ok(Some((version, data))) => {
                        let mut calls = match &self.data {
                            Some(old) => data.hall.new_calls_since(&old.hall),
                            None => Vec::new(),
                        };
                        if !calls.is_empty() {
                            self.bell_due = self.bell;
                        }
                        if let Some(speaker) = &self.speaker {
                            calls.sort_by_key(|c| (c.at, c.desk));
                            for c in calls {
                                speaker.say(SpokenCall {
                                    ticket: c.number,
                                    desk: c.desk,
                                });
                            }
                        }
                        self.version = Some(version);
                        self.data = Some(*data);
                        self.read_failed = false;
                        self.highlight_shown = self.highlighted().is_some();
                        self.dirty = true;
                        // a supervisor logged in while this read ran without figures
                        if self.is_supervisor_view()
                            && self.data.as_ref().is_some_and(|d| d.figures.is_none())
                        {
                            self.force_read = true;
                            self.poll(jobs);
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "the board could not read the database");
                        self.force_read = true;
                        if !self.read_failed {
                            self.read_failed = true;
                            self.dirty = true;
                        }
                    }
                }
            }
            Msg::Report(reply) => {
                self.dirty = true;
                self.report
                    .on_reply(reply, &self.ctx, self.now, jobs, Msg::Report);
            }
            Msg::LoggedIn(result) => {
                let Mode::Login(form) = &mut self.mode else {
                    return;
                };
                self.dirty = true;
                match result {
                    Ok(SupervisorLogin::Welcome { name }) => {
                        self.mode = Mode::Supervisor {
                            name,
                            report: false,
                        };
                        self.force_read = true;
                        self.poll(jobs);
                    }
                    Ok(other) => form.refused(other),
                    Err(e) => {
                        tracing::warn!(error = %e, "supervisor login failed");
                        form.failed();
                    }
                }
            }
        }
    }

    fn render(&self, frame: &mut Frame<'_>) {
        let look = Look {
            ctx: &self.ctx,
            lang: self.lang,
            now: self.now,
            highlight: self.highlighted(),
            latest_call: self.data.as_ref().and_then(|d| d.hall.latest_call()),
            read_failed: self.read_failed,
            remote: None,
        };
        match &self.mode {
            Mode::Hall => hall::render(frame, self.data.as_ref().map(|d| &d.hall), &look),
            Mode::Login(form) => login::render(frame, form, &look),
            Mode::Supervisor { name, report: true } => {
                report::render(frame, name, &self.report, &look)
            }
            Mode::Supervisor { name, .. } => supervisor::render(
                frame,
                name,
                self.data.as_ref().and_then(|d| d.figures.as_ref()),
                self.data.as_ref().map(|d| &d.hall),
                self.data.as_ref().and_then(|d| d.sync.as_ref()),
                &look,
            ),
        }
    }

    fn finished(&self) -> bool {
        self.quit
    }

    fn tick_every(&self) -> Duration {
        POLL_EVERY
    }

    fn take_bell(&mut self) -> bool {
        std::mem::take(&mut self.bell_due)
    }

    fn needs_redraw(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }
}

/// What every view needs besides its data.
pub(super) struct Look<'a> {
    pub ctx: &'a Context,
    pub lang: Lang,
    pub now: DateTime<Utc>,
    /// The latest call while it is fresh.
    pub highlight: Option<Call>,
    pub latest_call: Option<Call>,
    pub read_failed: bool,
    /// On a regional board's hall of one point: the link to the server.
    pub remote: Option<RemoteLink>,
}

/// How fresh a regional board's data is, in words, and whether the link
/// is down (drawn in red).
pub(super) struct RemoteLink {
    pub text: String,
    pub down: bool,
}

impl Look<'_> {
    /// The palette the point's config chose.
    pub(super) fn theme(&self) -> &'static Theme {
        Theme::for_context(self.ctx)
    }

    fn local_time(&self) -> String {
        self.now
            .with_timezone(&self.ctx.tz())
            .format("%H:%M")
            .to_string()
    }
}
