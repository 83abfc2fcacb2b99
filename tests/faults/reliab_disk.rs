//! Disk full, at the point and at the server. The disk is "full" through
//! SQLite's `max_page_count` (the test hook `QABYLDAU_TEST_MAX_PAGE_COUNT`:
//! a small filesystem would need root): the database cannot grow past its
//! size, and SQLite answers SQLITE_FULL exactly as on a full disk. "Room is
//! made" by dropping a ballast table the test put in the file: its pages
//! become free pages inside the file, as deleting old files frees a disk.

use crate::support::{Pty, TempPoint};
use qabyldau::server::storage::sqlite::SqliteStorage;
use qabyldau::store::sync_state;
use qabyldau::sync::Forwarder;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

const HOOK: &str = "QABYLDAU_TEST_MAX_PAGE_COUNT";

/// `bytes` of ballast in the file; returns the page count now, which
/// becomes the limit.
fn ballast(db: &Path, bytes: u64) -> u64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.execute_batch(&format!(
        "CREATE TABLE reliab_ballast(b BLOB);
         INSERT INTO reliab_ballast VALUES (zeroblob({bytes}));"
    ))
    .unwrap();
    let pages: i64 = c.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    pages as u64
}

fn make_room(db: &Path) {
    let c = rusqlite::Connection::open(db).unwrap();
    c.execute_batch("DROP TABLE reliab_ballast").unwrap();
}

fn integrity_ok(db: &Path) {
    let c = rusqlite::Connection::open(db).unwrap();
    let r: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(r, "ok");
}

/// Runs a writer command until the disk is full; returns what it confirmed.
fn fill(point: &TempPoint, args: &[&str], limit: &str) -> Vec<String> {
    let out = std::process::Command::new(crate::support::BIN)
        .args(args)
        .envs(point.env())
        .env(HOOK, limit)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the disk never filled up");
    assert!(err.contains("the disk is full"), "a clear message: {err}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["number"].as_str().unwrap().to_string()
        })
        .collect()
}

fn stored(point: &TempPoint, what: &str) -> BTreeSet<String> {
    point.json(&[what, "--json"]).as_array().unwrap()[..]
        .iter()
        .map(|v| v["number"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_full_disk_at_the_kiosk_is_told_in_words_and_recording_resumes_after_room_is_made() {
    let point = TempPoint::new();
    let first = point.json(&["ticket", "--category", "housing", "--json"]);
    assert_eq!(first["number"], "Ж-001");
    let limit = ballast(&point.db, 800_000).to_string();

    // scripts fill the disk: each stops with a clear message
    let mut tickets = fill(
        &point,
        &[
            "ticket",
            "--category",
            "housing",
            "--count",
            "100000",
            "--json",
        ],
        &limit,
    );
    tickets.insert(0, "Ж-001".into());
    let appeals = fill(
        &point,
        &[
            "appeal",
            "--category",
            "roads",
            "--text",
            &"Жол жөндеуді сұраймыз. ".repeat(100),
            "--count",
            "100000",
            "--json",
        ],
        &limit,
    );
    eprintln!(
        "the disk filled after {} tickets and {} appeals",
        tickets.len(),
        appeals.len()
    );
    let before = point.json(&["events", "--json"]).as_array().unwrap().len();

    // the kiosk, in Kazakh: a ticket on a full disk
    let mut pty = Pty::spawn_env(
        &point,
        &["kiosk", "--allow-exit"],
        &[(HOOK, &limit)],
        80,
        24,
    );
    pty.wait_for("Қош келдіңіз!");
    pty.send("1");
    pty.wait_for("Не істегіңіз келеді?");
    pty.send("1");
    pty.wait_for("Мәселеңіздің тақырыбын таңдаңыз");
    pty.send("1");
    pty.enter();
    pty.wait_for("Кезектен тыс қабылдану құқығыңыз бар ма?");
    pty.send("1");
    let screen = pty.wait_for("Диск толып қалды. Ештеңе жазылмады.");
    assert!(!screen.contains("Сіздің талоныңыз"), "no number:\n{screen}");
    assert!(
        !screen.contains("SQLITE") && !screen.contains("database or disk"),
        "words, not codes:\n{screen}"
    );
    // nothing was recorded, nothing confirmed was lost
    assert_eq!(
        point.json(&["events", "--json"]).as_array().unwrap().len(),
        before
    );
    assert!(stored(&point, "queue").is_superset(&tickets.iter().cloned().collect()));
    assert!(stored(&point, "appeals").is_superset(&appeals.iter().cloned().collect()));

    // room is made; the same choice again gives the ticket
    make_room(&point.db);
    pty.send("1");
    let next = format!("Ж-{:03}", tickets.len() + 1);
    let screen = pty.wait_for(&format!("Сіздің талоныңыз: {next}"));
    assert!(!screen.contains("Диск толып қалды"), "{screen}");
    let queue = stored(&point, "queue");
    assert!(queue.contains(&next));
    assert_eq!(queue.len(), tickets.len() + 1);
    pty.enter();
    pty.wait_for("Қош келдіңіз!");
    pty.ctrl('q');
    assert!(pty.wait_exit(Duration::from_secs(30)).success());
    // and the scripts record again too
    let more = point.json(&[
        "appeal",
        "--category",
        "roads",
        "--text",
        "Рақмет",
        "--json",
    ]);
    assert!(more["seq"].as_u64().unwrap() as usize > before);
    integrity_ok(&point.db);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_server_answers_503_and_the_forwarder_keeps_the_events_until_room_is_made() {
    use crate::sync_support::*;
    let dir = tempfile::tempdir().unwrap();
    let server_db = dir.path().join("server.db");
    let token = cli_add_point(&server_db, "disk-1", REGION);
    // room for the whole log once the ballast goes; before that, room for
    // a few batches
    let limit = (ballast(&server_db, 16_000_000) + 40).to_string();
    let server = ServerProc::start_with_env(&server_db, "127.0.0.1:0", &[(HOOK, &limit)]);

    let point = GenPoint::new("disk-1");
    let total = 3_000;
    point.generate(total, 5, day_start(), chrono::Duration::seconds(10));

    // the forwarder delivers what fits, meets 503, and keeps everything
    let mut cfg = fast_sync(&server.url, &token);
    cfg.batch_events = 100;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (db, id) = (point.db.clone(), point.id.clone());
    let forwarder = tokio::spawn(async move {
        let mut f = Forwarder::open(&db, &id, cfg).await.unwrap();
        f.watch(async {
            let _ = stop_rx.await;
        })
        .await;
    });
    eventually(
        "the forwarder met a full server",
        Duration::from_secs(60),
        async || {
            sync_state::get(point.store().conn())
                .unwrap()
                .last_error
                .is_some_and(|e| e.contains("503"))
        },
    )
    .await;
    let st = sync_state::get(point.store().conn()).unwrap();
    eprintln!(
        "server full: {} of {total} events delivered, then: {}",
        st.acked_seq,
        st.last_error.as_deref().unwrap_or("")
    );
    assert!(st.acked_seq > 0, "some fitted before the disk was full");
    assert!(st.acked_seq < total, "the server had no room for all");
    assert_eq!(point.last_seq(), total, "the point keeps every event");

    // a batch straight to the full server: 503, Retry-After, words
    let held = sync_state::cursor(point.store().conn()).unwrap().0;
    let batch = qabyldau::store::events::after(point.store().conn(), held, 100).unwrap();
    let body = serde_json::json!({"events": batch, "head": total});
    let resp = reqwest::Client::new()
        .post(format!("{}/api/v1/events", server.url))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 503);
    let retry_after = resp.headers().get("retry-after").cloned();
    assert!(retry_after.is_some(), "a 503 names when to come back");
    let err: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(err["error"], "unavailable", "{err}");

    make_room(&server_db);
    eventually(
        "all delivered once room was made",
        Duration::from_secs(120),
        async || sync_state::cursor(point.store().conn()).unwrap().0 == total,
    )
    .await;
    stop_tx.send(()).unwrap();
    forwarder.await.unwrap();
    drop(server);
    let storage = SqliteStorage::open(&server_db).unwrap();
    assert_same_log(&storage, &point).await;
    integrity_ok(&server_db);
}
