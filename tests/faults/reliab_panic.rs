//! A panic anywhere ends the program cleanly. The real kiosk in a
//! pseudo-terminal is made to panic off the main thread through two test
//! hooks (docs/RELIABILITY.md): inside a write transaction on the database
//! thread (`QABYLDAU_TEST_PANIC_DB_WRITE`) and in the forwarder's task
//! right after the server acknowledged a batch (`QABYLDAU_TEST_PANIC_FORWARDER`).
//! Before, such a panic left the kiosk half alive: the terminal restored
//! underneath a screen that waited forever. Now each must
//!
//! - end the process with the panic status (101), so getty or systemd
//!   starts the kiosk again;
//! - leave the terminal as it was (out of the alternate screen, the cursor
//!   shown, mouse and bracketed paste off, raw mode off), as the pty saw it;
//! - log where it happened (thread, file, line) in the log file;
//! - lose nothing confirmed and commit nothing half done: the database is
//!   whole, the ticket shown before the panic is there, the one whose
//!   transaction panicked is not, and a restarted kiosk carries on.

use crate::support::{Modes, Pty, TEST_CONFIG, TempPoint};
use crate::sync_support::{REGION, ServerProc, cli_add_point};
use qabyldau::domain::PointId;
use qabyldau::server::storage::Storage;
use qabyldau::server::storage::sqlite::SqliteStorage;
use qabyldau::store::{Store, events, sync_state};
use std::time::Duration;

/// The status a panic ends the program with (cli::crash).
const PANIC_STATUS: u32 = 101;

fn take_a_ticket(pty: &mut Pty) {
    pty.send("1");
    pty.wait_for("Не істегіңіз келеді?");
    pty.send("1");
    pty.wait_for("Мәселеңіздің тақырыбын таңдаңыз");
    pty.send("1");
    pty.enter();
    pty.wait_for("Кезектен тыс қабылдану құқығыңыз бар ма?");
    pty.send("1");
}

/// The terminal as the pty left it: given back whole.
fn assert_terminal_given_back(what: &str, modes: Modes) {
    assert!(
        !modes.alternate_screen,
        "{what}: still in the alternate screen: {modes:?}"
    );
    assert!(!modes.cursor_hidden, "{what}: the cursor is hidden");
    assert!(!modes.mouse_captured, "{what}: the mouse is captured");
    assert!(!modes.bracketed_paste, "{what}: bracketed paste is on");
    assert!(!modes.raw, "{what}: raw mode is on");
}

/// Everything the program logged (the daily files beside the database).
fn log_text(point: &TempPoint) -> String {
    let mut text = String::new();
    if let Ok(dir) = std::fs::read_dir(point.path().join("logs")) {
        for entry in dir.flatten() {
            text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
        }
    }
    text
}

/// The log says which thread panicked, and where in the source.
fn assert_logged(point: &TempPoint, thread: &str, file: &str) {
    let log = log_text(point);
    let line = log
        .lines()
        .find(|l| l.contains("panic") && l.contains("ERROR"))
        .unwrap_or_else(|| panic!("no panic in the log:\n{log}"));
    assert!(
        line.contains(&format!("thread=\"{thread}\""))
            || line.contains(&format!("thread={thread}")),
        "the thread is named: {line}"
    );
    assert!(line.contains(file), "the file is named: {line}");
    assert!(line.contains("line="), "the line is named: {line}");
}

fn integrity(conn: &rusqlite::Connection) -> String {
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

fn tickets(point: &TempPoint) -> Vec<String> {
    point
        .sqlite()
        .prepare("SELECT prefix || '-' || printf('%03d', number) FROM tickets ORDER BY rowid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_panic_on_the_database_thread_ends_the_kiosk_and_commits_nothing_half_done() {
    let point = TempPoint::new();
    // the second write on the database thread panics before its commit
    let env = [
        ("QABYLDAU_TEST_PANIC_DB_WRITE", "2"),
        ("RUST_BACKTRACE", "0"),
    ];
    let mut pty = Pty::spawn_env(&point, &["kiosk", "--allow-exit"], &env, 100, 30);
    pty.wait_for("Қош келдіңіз!");
    take_a_ticket(&mut pty);
    pty.wait_for("Сіздің талоныңыз: Ж-001");
    pty.enter();
    pty.wait_for("Қош келдіңіз!");
    // the second ticket: its transaction panics after the event and the
    // ticket row are written, before COMMIT
    take_a_ticket(&mut pty);
    let status = pty.wait_exit(Duration::from_secs(30));
    assert_eq!(
        status.exit_code(),
        PANIC_STATUS,
        "the panic status, so the kiosk is started again: {status:?}"
    );
    let screen = pty.wait_for("forced panic inside a write transaction");
    assert!(
        screen.contains("'db'"),
        "the message names the thread:\n{screen}"
    );
    assert_terminal_given_back("database thread", pty.modes());
    assert_logged(&point, "db", "src/store/mod.rs");

    let conn = point.sqlite();
    assert_eq!(integrity(&conn), "ok");
    let log: i64 = conn
        .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(log, 1, "the panicking transaction left no event");
    drop(conn);
    assert_eq!(tickets(&point), ["Ж-001"], "and no ticket row");

    // started again (as getty would), the kiosk gives the next number
    let mut pty = Pty::spawn(&point, &["kiosk", "--allow-exit"], 100, 30);
    pty.wait_for("Қош келдіңіз!");
    take_a_ticket(&mut pty);
    pty.wait_for("Сіздің талоныңыз: Ж-002");
    pty.enter();
    pty.wait_for("Қош келдіңіз!");
    pty.ctrl('q');
    assert!(pty.wait_exit(Duration::from_secs(30)).success());
    assert_eq!(tickets(&point), ["Ж-001", "Ж-002"]);
}

#[test]
fn a_panic_in_the_forwarder_ends_the_kiosk_and_loses_nothing() {
    let server_dir = tempfile::tempdir().unwrap();
    let server_db = server_dir.path().join("server.db");
    let token = cli_add_point(&server_db, "test-point", REGION);
    let mut server = ServerProc::start(&server_db, "127.0.0.1:0");
    let point = TempPoint::with_config(&format!(
        "{TEST_CONFIG}\n[server]\nurl = \"{}\"\ntoken = \"{token}\"\n",
        server.url
    ));
    let env = [
        ("QABYLDAU_TEST_PANIC_FORWARDER", "1"),
        ("RUST_BACKTRACE", "0"),
    ];
    let mut pty = Pty::spawn_env(&point, &["kiosk", "--allow-exit"], &env, 100, 30);
    pty.wait_for("Қош келдіңіз!");
    // the ticket is the forwarder's first batch: the server acknowledges
    // it, and the forwarder panics before the point records that
    take_a_ticket(&mut pty);
    let status = pty.wait_exit(Duration::from_secs(60));
    assert_eq!(status.exit_code(), PANIC_STATUS, "{status:?}");
    let screen = pty.wait_for("forced panic in the forwarder");
    assert!(
        screen.contains("'forwarder'"),
        "the message names the thread:\n{screen}"
    );
    assert_terminal_given_back("forwarder", pty.modes());
    assert_logged(&point, "forwarder", "src/sync/mod.rs");

    assert_eq!(integrity(&point.sqlite()), "ok");
    assert_eq!(tickets(&point), ["Ж-001"], "the confirmed ticket is kept");
    let id = PointId::parse("test-point").unwrap();
    let store = Store::open(&point.db, &id).unwrap();
    assert_eq!(
        sync_state::cursor(store.conn()).unwrap().0,
        0,
        "the panic came before the point recorded the acknowledgement"
    );
    drop(store);

    // the next forwarder (once the dead kiosk's 30 s lease has run out:
    // `sync` exits 3 while it holds) finds the server ahead, moves on, and
    // sends nothing twice
    let start = std::time::Instant::now();
    loop {
        let out = point.run(&["sync"]);
        let text = String::from_utf8_lossy(&out.stdout);
        if out.status.success() {
            assert!(text.contains(" 0 pending"), "{text}");
            break;
        }
        assert!(
            out.status.code() == Some(3) && start.elapsed() < Duration::from_secs(90),
            "{text} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    server.kill9();
    let storage = SqliteStorage::open(&server_db).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let held = rt.block_on(storage.events(id.clone(), 0, 100)).unwrap();
    let store = Store::open(&point.db, &id).unwrap();
    let mine = events::after(store.conn(), 0, 100).unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(held.len(), 1, "the server holds the ticket once");
    assert_eq!(held[0].record, mine[0]);
    assert_eq!(sync_state::cursor(store.conn()).unwrap().0, 1);
    let conn = rusqlite::Connection::open(&server_db).unwrap();
    assert_eq!(integrity(&conn), "ok");
}
