//! Key press to redrawn frame at the desk, with 100,000 appeals in the
//! database: the screen's update (including the database work the key
//! starts, run inline) and its render into an 80×24 `TestBackend`.
//!
//! Run: `cargo bench --bench desk_frame`

#[path = "desk_support/mod.rs"]
mod desk_support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use desk_support::{ctx, now, percentiles, working_copy};
use qabyldau::app::kiosk::take_ticket;
use qabyldau::app::staff;
use qabyldau::domain::staff::Role;
use qabyldau::domain::{Actor, CategoryId, Lang, Priority};
use qabyldau::store::Store;
use qabyldau::ui::desk::{Clock, DeskScreen, Msg};
use qabyldau::ui::runtime::{Input, Screen};
use qabyldau::ui::worker::Jobs;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Instant;

struct Bench {
    screen: DeskScreen,
    store: Store,
    term: Terminal<TestBackend>,
}

impl Bench {
    fn press(&mut self, code: KeyCode, mods: KeyModifiers) -> f64 {
        let started = Instant::now();
        {
            let mut jobs: Jobs<'_, Msg> = Jobs::inline(&mut self.store);
            self.screen
                .on_input(Input::Key(KeyEvent::new(code, mods)), &mut jobs);
            self.screen.pump(&mut jobs);
        }
        let screen = &self.screen;
        self.term.draw(|f| screen.render(f)).unwrap();
        started.elapsed().as_secs_f64() * 1e6
    }

    fn key(&mut self, code: KeyCode) -> f64 {
        self.press(code, KeyModifiers::NONE)
    }

    fn typ(&mut self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
    }
}

fn report(name: &str, samples: Vec<f64>) {
    let n = samples.len();
    let (p50, p99) = percentiles(samples);
    println!(
        "{name:<52} n={n:<4} p50 {:>8.2} ms   p99 {:>8.2} ms",
        p50 / 1000.0,
        p99 / 1000.0
    );
}

fn main() {
    let (_dir, mut store) = working_copy();
    let ctx = ctx();
    staff::add(
        &mut store,
        &Actor::system(),
        "aigul",
        "Айгүл",
        Role::Admin,
        "1357",
        now(),
    )
    .unwrap();
    for i in 0..40 {
        let p = if i % 7 == 0 {
            Priority::Veteran
        } else {
            Priority::Ordinary
        };
        take_ticket(
            &mut store,
            &ctx,
            &CategoryId::new("housing"),
            p,
            Lang::Ru,
            now(),
        )
        .unwrap();
    }
    let mut b = Bench {
        screen: DeskScreen::new(ctx.clone(), 1, Lang::Ru, Clock::fixed(now())),
        store,
        term: Terminal::new(TestBackend::new(80, 24)).unwrap(),
    };
    b.typ("aigul");
    b.key(KeyCode::Enter);
    b.typ("1357");
    b.key(KeyCode::Enter);
    assert!(b.screen.console().is_some(), "logged in");
    println!("desk, 100,000 appeals, 80×24, update + render per key press:");

    // queue view: switching the language redraws everything, no database
    let s: Vec<f64> = (0..300).map(|_| b.key(KeyCode::F(7))).collect();
    report("queue view: F7 (language, full redraw)", s);

    // queue view: the timer tick re-reading the line (no change: one pragma)
    let s: Vec<f64> = (0..300)
        .map(|_| {
            let started = Instant::now();
            {
                let mut jobs: Jobs<'_, Msg> = Jobs::inline(&mut b.store);
                b.screen.on_input(Input::Tick, &mut jobs);
                b.screen.pump(&mut jobs);
            }
            let screen = &b.screen;
            b.term.draw(|f| screen.render(f)).unwrap();
            started.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    report("queue view: timer tick (poll + redraw)", s);

    // the appeal form: a letter into the text, then into the name (which
    // looks up the citizen's earlier appeals once the name has two words)
    b.key(KeyCode::F(2));
    for _ in 0..9 {
        b.key(KeyCode::Tab);
    }
    let s: Vec<f64> = "В квартире холодно батареи едва тёплые с октября и дети болеют уже месяц"
        .chars()
        .cycle()
        .take(300)
        .map(|c| b.key(KeyCode::Char(c)))
        .collect();
    report("form: a letter into the appeal text", s);
    for _ in 0..9 {
        b.key(KeyCode::BackTab);
    }
    let mut s = Vec::new();
    for _ in 0..10 {
        for c in "Жұмабаев Серік".chars() {
            s.push(b.key(KeyCode::Char(c)));
        }
        for _ in 0.."Жұмабаев Серік".chars().count() {
            b.key(KeyCode::Backspace);
        }
    }
    report("form: a letter into the name (+ citizen history)", s);
    b.press(KeyCode::Char('n'), KeyModifiers::CONTROL);
    b.press(KeyCode::Char('n'), KeyModifiers::CONTROL);

    // search: every letter runs a full-text search over 100,000 appeals
    b.key(KeyCode::F(3));
    let mut s = Vec::new();
    for _ in 0..10 {
        for c in "жылу холодно".chars() {
            s.push(b.key(KeyCode::Char(c)));
        }
        for _ in 0.."жылу холодно".chars().count() {
            b.key(KeyCode::Backspace);
        }
    }
    report("search: a letter typed (search + redraw)", s);
    b.key(KeyCode::Esc);

    // control list and detail
    let started = Instant::now();
    b.key(KeyCode::F(4));
    println!(
        "{:<52} {:>8.2} ms  ({} appeals under control)",
        "control list: F4 (load + sort + redraw)",
        started.elapsed().as_secs_f64() * 1000.0,
        b.screen.console().unwrap().control.rows.len()
    );
    let s: Vec<f64> = (0..300)
        .map(|i| {
            b.key(if i % 40 < 20 {
                KeyCode::Down
            } else {
                KeyCode::Up
            })
        })
        .collect();
    report("control list: ↑/↓", s);
    let mut s = Vec::new();
    for _ in 0..50 {
        s.push(b.key(KeyCode::Enter));
        b.key(KeyCode::Esc);
        b.key(KeyCode::Down);
    }
    report("control list: Enter (appeal + history + redraw)", s);
}
