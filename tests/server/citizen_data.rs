//! A citizen's own data at the server (issue 21): the server holds the
//! sealed events and no key, so no appeal recorded since sealing puts a
//! citizen's name, IIN or phone in any of its tables, and an erasure at the
//! point travels up as an event like any other. Both backends.

use crate::sync_support::*;
use chrono::{Duration as ChronoDuration, Utc};
use std::io::Write;
use std::process::{Output, Stdio};

const TRACES: [&str; 5] = [
    "Тұрсынбекова",
    "850315401231",
    "7017654321",
    "tursynbekova",
    "Жаңаталап",
];

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn run(point: &GenPoint, args: &[&str], stdin: &str) -> String {
    let mut child = point
        .cmd(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", text(&out));
    text(&out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_never_holds_a_sealed_citizen_and_learns_of_the_erasure() {
    let dir = tempfile::tempdir().unwrap();
    let db = ServerDb::new(dir.path()).await;
    let server = ServerProc::start_db(&db, "127.0.0.1:0");
    let token = db.add_point("akm-1", REGION);
    let point = GenPoint::with_server("akm-1", Some((&server.url, &token)));
    point.generate(
        40,
        7,
        Utc::now() - ChronoDuration::hours(2),
        ChronoDuration::seconds(30),
    );
    let left = run(
        &point,
        &[
            "appeal",
            "--category",
            "housing",
            "--text",
            "Үй кезегі",
            "--name",
            "Тұрсынбекова Әлия",
            "--iin",
            "850315401231",
            "--phone",
            "+7 701 765 43 21",
            "--settlement",
            "Жаңаталап",
            "--json",
        ],
        "",
    );
    let id: serde_json::Value = serde_json::from_str(left.lines().next().unwrap()).unwrap();
    let id = id["id"].as_str().unwrap().to_string();
    run(
        &point,
        &[
            "staff",
            "add",
            "dana",
            "--name",
            "Дана Ержанова",
            "--role",
            "supervisor",
        ],
        "3333\n",
    );
    run(&point, &["sync"], "");

    // the appeal is there (its id), the citizen is not
    let held = db.raw_text().await;
    assert!(held.contains(&id), "the appeal reached the server");
    for t in TRACES {
        assert!(!held.contains(t), "{t} at the server");
    }
    // the point itself holds them, readable: the control of the check
    let mut at_point = std::fs::read(point.db.as_path()).unwrap();
    at_point.extend(std::fs::read(format!("{}-wal", point.db.display())).unwrap_or_default());
    assert!(
        at_point
            .windows("850315401231".len())
            .any(|w| w == b"850315401231")
    );

    run(
        &point,
        &[
            "citizen",
            "erase",
            "--iin",
            "850315401231",
            "--login",
            "dana",
            "--reason",
            "№ 17",
        ],
        "3333\n",
    );
    run(&point, &["sync"], "");
    let held = db.raw_text().await;
    assert!(
        held.contains("citizen_erased"),
        "the erasure reached the server"
    );
    for t in TRACES {
        assert!(!held.contains(t), "{t} at the server after the erasure");
    }
}
