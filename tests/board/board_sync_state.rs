//! The supervisor's sync box: the link to the regional server as the
//! point's own database records it (`store::sync_state`), in the three
//! languages at 80×24 and 200×60: a healthy link, events waiting with the
//! last error, and an alarm (in red).

use crate::board_common::screen::*;
use crate::board_common::*;
use chrono::{DateTime, Duration, Utc};
use qabyldau::app::staff;
use qabyldau::domain::event::Role;
use qabyldau::domain::{Actor, Lang};
use qabyldau::store::{Store, sync_state};
use qabyldau::ui::runtime::Screen;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 60)];
const URL: &str = "https://qabyldau.akmola.example.kz";

fn linked_config() -> String {
    format!("{CONFIG}\n[server]\nurl = \"{URL}\"\ntoken = \"qbl_test\"\n")
}

/// A quiet morning: a few tickets (so a few events), one supervisor.
fn point() -> (Store, qabyldau::app::Context, DateTime<Utc>) {
    let ctx = ctx_with(&linked_config());
    let mut s = store(&ctx);
    for (i, cat) in ["housing", "utilities", "labour", "housing", "social"]
        .into_iter()
        .enumerate()
    {
        take(&mut s, &ctx, cat, local(9, 10 + i as u32));
    }
    staff::add(
        &mut s,
        &Actor::system(),
        "dana",
        "Дана Серікова",
        Role::Supervisor,
        "2468",
        local(8, 0),
    )
    .unwrap();
    (s, ctx, local(10, 30))
}

fn last_seq(s: &Store) -> u64 {
    qabyldau::store::events::last_seq(s.conn()).unwrap()
}

/// Everything sent a moment ago; a screen's forwarder holds the lease.
fn healthy(s: &Store, now: DateTime<Utc>) {
    let c = s.conn();
    sync_state::set_cursor(c, 0, URL).unwrap();
    sync_state::record_attempt(c, now - Duration::seconds(20)).unwrap();
    sync_state::record_ack(c, last_seq(s), now - Duration::seconds(20)).unwrap();
    assert!(sync_state::try_lease(c, "kiosk-1", now, Duration::seconds(30)).unwrap());
}

/// The link broke at 09:50: the last events wait, the error is recorded.
fn failing(s: &Store, now: DateTime<Utc>) {
    let c = s.conn();
    sync_state::set_cursor(c, 0, URL).unwrap();
    sync_state::record_ack(c, last_seq(s) - 4, local(9, 50)).unwrap();
    sync_state::record_error(
        c,
        "cannot reach the regional server: connection refused (qabyldau.akmola.example.kz)",
        now - Duration::minutes(1),
    )
    .unwrap();
    assert!(sync_state::try_lease(c, "desk-2", now, Duration::seconds(30)).unwrap());
}

/// The server was restored from a backup and lost events; they were sent
/// again, but a person must look.
fn alarmed(s: &Store, now: DateTime<Utc>) {
    healthy(s, now);
    sync_state::set_alarm(
        s.conn(),
        Some(&qabyldau::domain::sync_alarm::SyncAlarm::Rewound { from: 2, to: 6 }),
        local(10, 2),
    )
    .unwrap();
}

/// A supervisor logs in a minute before `now` (the login is an event
/// too), `set` records the link's state, and at `now` the board reads again.
fn supervisor_board(
    s: &mut Store,
    ctx: &qabyldau::app::Context,
    now: DateTime<Utc>,
    lang: Lang,
    set: fn(&Store, DateTime<Utc>),
) -> qabyldau::ui::board::Board {
    let clock = TestClock::at(now - Duration::minutes(1));
    let mut b = board(ctx, &clock, Some(lang), true);
    log_in(&mut b, s, "dana", "2468");
    assert!(b.is_supervisor_view());
    set(s, now);
    // the clock's minute turns: the board reads everything again
    clock.set(now);
    tick(&mut b, s);
    b
}

fn untouched(_: &Store, _: DateTime<Utc>) {}

fn snapshots(name: &str, set: fn(&Store, DateTime<Utc>), expect: [&str; 3]) {
    for (lang, expected) in Lang::ALL.into_iter().zip(expect) {
        let (mut s, ctx, now) = point();
        let b = supervisor_board(&mut s, &ctx, now, lang, set);
        for (w, h) in SIZES {
            let screen = render(&b, w, h);
            assert!(screen.contains(expected), "{lang} {w}x{h}:\n{screen}");
            insta::assert_snapshot!(format!("sync_{name}_{lang}_{w}x{h}"), screen);
        }
    }
}

#[test]
fn a_healthy_link() {
    snapshots(
        "healthy",
        healthy,
        [
            "Барлық оқиға серверде",
            "Все события переданы",
            "All events are at the server",
        ],
    );
}

#[test]
fn events_waiting_with_the_last_error() {
    snapshots(
        "failing",
        failing,
        [
            "4 оқиға әлі жіберілмеген",
            "Ещё не отправлено: 4 события",
            "4 events not sent yet",
        ],
    );
    // the error itself, on a screen with room for it
    let (mut s, ctx, now) = point();
    let b = supervisor_board(&mut s, &ctx, now, Lang::En, failing);
    let screen = render(&b, 200, 60);
    assert!(
        screen.contains("Last error (10:29): cannot reach the regional server"),
        "{screen}"
    );
    assert!(screen.contains("last success 09:50"), "{screen}");
}

#[test]
fn an_alarm_in_red() {
    // in the screen's language, the events named as a range in words
    // (it was the forwarder's English "events 2..6" on every screen)
    snapshots(
        "alarm",
        alarmed,
        [
            "ДАБЫЛ (10:02): сервер 2–6 оқиғаларын жоғалтқан",
            "ТРЕВОГА (10:02): сервер потерял события с 2 по 6",
            "ALARM (10:02): the server had lost events 2 to 6",
        ],
    );
    let (mut s, ctx, now) = point();
    let b = supervisor_board(&mut s, &ctx, now, Lang::Ru, alarmed);
    for (w, h) in SIZES {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| b.render(f)).unwrap();
        let buf = terminal.backend().buffer();
        let row = (0..h)
            .find(|&y| {
                (0..w)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
                    .contains("ТРЕВОГА")
            })
            .expect("the alarm is on screen");
        let x = (0..w).find(|&x| buf[(x, row)].symbol() == "Т").unwrap();
        assert_eq!(buf[(x, row)].fg, Color::Red, "{w}x{h}");
        // and the box around it
        assert_eq!(buf[(0, row)].fg, Color::Red, "{w}x{h}");
    }
}

#[test]
fn the_box_follows_the_database_while_the_supervisor_looks() {
    let (mut s, ctx, now) = point();
    let clock = TestClock::at(now);
    let mut b = board(&ctx, &clock, Some(Lang::En), true);
    log_in(&mut b, &mut s, "dana", "2468");
    // linked in the config, nothing sent yet (five tickets, the
    // supervisor's login and its first log-in), no forwarder
    let screen = render(&b, 80, 24);
    assert!(screen.contains("7 events not sent yet"), "{screen}");
    assert!(screen.contains("no success yet"), "{screen}");
    assert!(screen.contains("sending is not running"), "{screen}");
    // a forwarder sends everything; the board's next read shows it
    healthy(&s, now + Duration::seconds(50));
    clock.set(now + Duration::minutes(1));
    tick(&mut b, &mut s);
    let screen = render(&b, 80, 24);
    assert!(screen.contains("All events are at the server"), "{screen}");
    assert!(screen.contains("last success 10:30"), "{screen}");
    assert!(screen.contains("sending is on"), "{screen}");
}

#[test]
fn without_a_server_it_says_so() {
    let ctx = ctx();
    let mut s = store(&ctx);
    staff::add(
        &mut s,
        &Actor::system(),
        "dana",
        "Дана Серікова",
        Role::Supervisor,
        "2468",
        local(8, 0),
    )
    .unwrap();
    for (lang, text) in [
        (Lang::Kk, "өңірлік сервер бапталмаған"),
        (Lang::Ru, "Региональный сервер для этого пункта не настроен"),
        (Lang::En, "No regional server is configured"),
    ] {
        let b = supervisor_board(&mut s, &ctx, local(10, 0), lang, untouched);
        let screen = render(&b, 80, 24);
        assert!(screen.contains(text), "{screen}");
    }
}
