//! Driving the board screen without a terminal: inline jobs, a clock the
//! test sets, and the rendered buffer as text.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use qabyldau::app::Context;
use qabyldau::domain::Lang;
use qabyldau::store::Store;
use qabyldau::ui::board::{Board, Options};
use qabyldau::ui::runtime::{Input, Screen};
use qabyldau::ui::worker::Jobs;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::{Arc, Mutex};

/// A clock the test moves by hand.
#[derive(Clone)]
pub struct TestClock(Arc<Mutex<DateTime<Utc>>>);

impl TestClock {
    pub fn at(t: DateTime<Utc>) -> Self {
        TestClock(Arc::new(Mutex::new(t)))
    }
    pub fn set(&self, t: DateTime<Utc>) {
        *self.0.lock().unwrap() = t;
    }
    pub fn advance(&self, d: chrono::Duration) {
        *self.0.lock().unwrap() += d;
    }
}

pub fn board(ctx: &Context, clock: &TestClock, lang: Option<Lang>, supervisor: bool) -> Board {
    let c = clock.clone();
    Board::new(
        ctx.clone(),
        Options {
            lang,
            supervisor,
            bell: true,
        },
        qabyldau::ui::kit::Clock::from_fn(move || *c.0.lock().unwrap()),
    )
}

/// Feeds `input` and every reply it leads to, as the event loop would.
pub fn drive(board: &mut Board, store: &mut Store, input: Input) {
    let mut jobs = Jobs::inline(store);
    board.on_input(input, &mut jobs);
    loop {
        let replies = jobs.take_replies();
        if replies.is_empty() {
            break;
        }
        for r in replies {
            board.on_reply(r, &mut jobs);
        }
    }
}

pub fn tick(board: &mut Board, store: &mut Store) {
    drive(board, store, Input::Tick);
}

pub fn key(board: &mut Board, store: &mut Store, code: KeyCode) {
    drive(
        board,
        store,
        Input::Key(KeyEvent::new(code, KeyModifiers::NONE)),
    );
}

pub fn type_text(board: &mut Board, store: &mut Store, text: &str) {
    for c in text.chars() {
        key(board, store, KeyCode::Char(c));
    }
}

/// Logs a supervisor in through the form, as a person would.
pub fn log_in(board: &mut Board, store: &mut Store, login: &str, pin: &str) {
    if !board.is_login() {
        key(board, store, KeyCode::Char('s'));
    }
    type_text(board, store, login);
    key(board, store, KeyCode::Tab);
    type_text(board, store, pin);
    key(board, store, KeyCode::Enter);
}

/// The screen as text, one line per row.
pub fn render(board: &Board, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| board.render(f)).unwrap();
    let buf = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
