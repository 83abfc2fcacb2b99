//! The real `qabyldau board` in a pseudo-terminal while this test process,
//! as another program at the point would, takes and calls tickets in the
//! same database.

use crate::board_common::{call, ctx_with, take};
use crate::support::{Pty, TEST_CONFIG, TempPoint};
use chrono::Utc;
use qabyldau::store::Store;

/// The point's database, opened as a second process would.
fn desk(point: &TempPoint) -> (Store, qabyldau::app::Context) {
    let ctx = ctx_with(TEST_CONFIG);
    let store = Store::open(&point.db, ctx.point_id()).unwrap();
    (store, ctx)
}

#[test]
fn a_call_made_by_another_process_appears_on_the_board() {
    let point = TempPoint::new();
    let mut board = Pty::spawn(&point, &["board", "--lang", "en", "--no-bell"], 80, 24);
    board.wait_for("Now serving");
    board.wait_for("No one is waiting");

    let (mut store, ctx) = desk(&point);
    let ticket = take(&mut store, &ctx, "housing", Utc::now());
    let screen = board.wait_for("Ж-001");
    assert!(screen.contains("1 person waiting"), "{screen}");

    call(&mut store, ticket, 2, Utc::now());
    let screen = board.wait_for("Ticket Ж-001, please go to desk 2");
    assert!(screen.contains("Desk 2"), "{screen}");
    assert!(screen.contains("No one is waiting"), "{screen}");
    // the database says the same
    let (state, desk): (String, i64) = point
        .sqlite()
        .query_row(
            "SELECT state, desk FROM tickets WHERE prefix = 'Ж' AND number = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((state.as_str(), desk), ("called", 2));
    let queue = point.json(&["queue", "--json"]);
    assert_eq!(queue[0]["number"], "Ж-001");
    assert_eq!(queue[0]["state"], "called");

    board.send("q");
    assert!(
        board
            .wait_exit(std::time::Duration::from_secs(30))
            .success()
    );
}

#[test]
fn a_supervisor_logs_in_and_sees_the_days_figures() {
    let point = TempPoint::new();
    let mut board = Pty::spawn(&point, &["board", "--supervisor", "--lang", "ru"], 100, 30);
    board.wait_for("Вход руководителя");
    let (mut store, ctx) = desk(&point);
    qabyldau::app::staff::add(
        &mut store,
        &qabyldau::domain::Actor::system(),
        "dana",
        "Дана Серікова",
        qabyldau::domain::event::Role::Supervisor,
        "2468",
        Utc::now(),
    )
    .unwrap();
    take(&mut store, &ctx, "roads", Utc::now());
    board.send("dana\t2468\r");
    board.wait_for("Руководитель: Дана Серікова");
    // the figures come from a read that may finish a frame later
    board.wait_for("Выдано талонов");
    board.wait_for("в очереди 1 человек");
    // the login is in the event log
    let events = point.json(&["events", "--json"]);
    let last = events.as_array().unwrap().last().unwrap();
    assert_eq!(last["kind"], "login_attempted");
    assert_eq!(last["actor"], "staff:dana");
    // back to the hall
    board.esc();
    board.wait_for("Сейчас принимают");
}

#[test]
fn a_storm_of_resizes_down_to_1x1_does_not_break_the_board() {
    let point = TempPoint::new();
    let mut board = Pty::spawn(&point, &["board", "--lang", "kk"], 80, 24);
    board.wait_for("Қазір қабылдауда");
    let (mut store, ctx) = desk(&point);
    let t = take(&mut store, &ctx, "labour", Utc::now());
    call(&mut store, t, 1, Utc::now());
    board.wait_for("Т-001 талоны");
    let mut sizes = vec![
        (1, 1),
        (2, 1),
        (1, 2),
        (3, 3),
        (200, 60),
        (10, 4),
        (1, 60),
        (200, 1),
    ];
    for i in 0..60u16 {
        sizes.push((1 + (i * 37) % 200, 1 + (i * 13) % 60));
    }
    for (w, h) in sizes {
        board.resize(w, h);
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    board.resize(200, 60);
    // drawn anew at the wall size: the keys fit in the footer there
    board.wait_for("S басшы · L тіл · Q шығу");
    let screen = board.wait_for("Т-001 талоны, 1-терезеге өтіңіз");
    assert!(screen.contains("Қазір қабылдауда"), "{screen}");
    assert!(board.is_running());
}
