//! The region as the point's backup (issue 19.3, docs/SYNC.md): a point
//! whose disk died is rebuilt on an empty machine from the server's copy
//! of its log and what the region decided for it, and goes on with no
//! `seq` and no ticket number used twice; a point restored from an older
//! backup takes back from the server what the backup lacks instead of
//! only raising an alarm. The real binary, both backends.

use crate::region_back::{PIN, add_staff, decide, open_appeal, outcome_at_point, sync};
use crate::sync_support::*;
use chrono::{Duration as ChronoDuration, Utc};
use std::process::Output;

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}", output_text(&out));
    output_text(&out)
}

/// The appeals' columns a point writes from a citizen's sealed data: on a
/// machine rebuilt from the server they cannot be read (their keys never
/// left the old machine), and read as erased.
const SEALED: [&str; 8] = [
    "citizen_name",
    "citizen_iin",
    "citizen_phone",
    "settlement",
    "workplace",
    "text",
    "citizen_erased_at",
    "text_erased_at",
];

/// Every row of the tables a person sees, as text: appeals with their
/// history, tickets, sessions, staff, the region's applied decisions;
/// with `sealed` false, the appeals without their sealed columns.
fn tables(point: &GenPoint) -> Vec<String> {
    tables_of(point, true)
}

fn tables_of(point: &GenPoint, sealed: bool) -> Vec<String> {
    let c = point.sqlite();
    let mut out = Vec::new();
    for (table, order) in [
        ("appeals", "id"),
        ("appeal_history", "seq"),
        ("tickets", "id"),
        ("sessions", "id"),
        ("staff", "login"),
        ("region_applied", "rseq"),
        ("settings", "key"),
    ] {
        let mut stmt = c
            .prepare(&format!("SELECT * FROM {table} ORDER BY {order}"))
            .unwrap();
        let n = stmt.column_count();
        let rows: Vec<String> = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| {
                        let name = r.as_ref().column_name(i).unwrap().to_string();
                        if !sealed && table == "appeals" && SEALED.contains(&name.as_str()) {
                            return format!("{name}=(sealed)");
                        }
                        if !sealed && table == "staff" && name == "pin_hash" {
                            return format!("{name}=(not sent)");
                        }
                        let value = match r.get_ref(i).unwrap() {
                            rusqlite::types::ValueRef::Text(t) => {
                                String::from_utf8_lossy(t).into_owned()
                            }
                            other => format!("{other:?}"),
                        };
                        format!("{name}={value}")
                    })
                    .collect();
                Ok(format!("{table}: {}", cells.join(" | ")))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        out.extend(rows);
    }
    out
}

fn ticket(point: &GenPoint) -> serde_json::Value {
    let said = ok(point
        .cmd(&["ticket", "--category", "housing", "--json", "--no-print"])
        .output()
        .unwrap());
    serde_json::from_str(said.lines().next().unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_point_rebuilt_from_the_server_is_the_same_and_numbers_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = ServerDb::new(dir.path()).await;
    let server = ServerProc::start_db(&db, "127.0.0.1:0");
    let token = db.add_point("akm-7", REGION);
    let point = GenPoint::with_server("akm-7", Some((&server.url, &token)));
    point.generate(
        120,
        7,
        Utc::now() - ChronoDuration::hours(3),
        ChronoDuration::seconds(30),
    );
    point.add_staff("dana", "Дана Ержанова", "supervisor", "3333");
    ticket(&point);
    sync(&point);
    // the region decided on one appeal, which the point applied and sent
    add_staff(&db, "sadyrbaeva", "controller", REGION);
    let decided = open_appeal(&point);
    let out = decide(
        &db,
        &format!("akm-7/{decided}"),
        "resolved_positive",
        "sadyrbaeva",
        PIN,
    );
    assert!(out.status.success(), "{}", output_text(&out));
    // the first sync applies it, the second sends the point's event of it
    sync(&point);
    sync(&point);
    assert_eq!(outcome_at_point(&point, &decided), "resolved_positive");
    let before = tables_of(&point, false);
    let last = point.last_seq();
    let today = Utc::now().date_naive();
    let figures = point_figures(&point.sqlite(), today - ChronoDuration::days(2), today);

    // a second decision while the point's disk is dead
    let later = {
        let c = point.sqlite();
        c.query_row(
            "SELECT year || '-' || printf('%05d', number) FROM appeals
             WHERE outcome IN ('registered', 'under_consideration') ORDER BY received_at DESC LIMIT 1",
            [],
            |r| r.get::<_, String>(0),
        )
        .unwrap()
    };
    assert_ne!(later, decided);
    let out = decide(
        &db,
        &format!("akm-7/{later}"),
        "consulted",
        "sadyrbaeva",
        PIN,
    );
    assert!(out.status.success(), "{}", output_text(&out));

    // the same config on a new, empty machine
    let fresh = GenPoint::with_server("akm-7", Some((&server.url, &token)));
    assert!(!fresh.db.exists());
    let said = ok(fresh.cmd(&["restore", "--from-server"]).output().unwrap());
    assert!(
        said.contains(&format!("{last} events")) && said.contains("1 decisions of the region"),
        "{said}"
    );
    assert!(said.contains("staff set-pin"), "{said}");
    let integrity: String = fresh
        .sqlite()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");

    // everything it held, row for row, and the decision made meanwhile
    assert_eq!(outcome_at_point(&fresh, &later), "consulted");
    let after: Vec<String> = tables_of(&fresh, false);
    let missing: Vec<&String> = before.iter().filter(|r| !after.contains(r)).collect();
    let changed: Vec<&String> = after
        .iter()
        .filter(|r| !before.contains(r))
        .filter(|r| !r.contains(&later) && !r.starts_with("region_applied"))
        .collect();
    assert!(missing.len() <= 1, "rows lost: {missing:#?}");
    for row in &missing {
        // only the appeal decided meanwhile reads otherwise
        assert!(row.starts_with("appeals: "), "{row}");
    }
    assert!(
        changed
            .iter()
            .all(|r| r.starts_with("appeals: ") || r.starts_with("appeal_history: ")),
        "rows that differ: {changed:#?}"
    );
    assert_eq!(
        point_figures(&fresh.sqlite(), today - ChronoDuration::days(2), today)[7..],
        figures[7..],
        "the tickets' figures"
    );
    // the log is the server's, hash for hash, and one event more: the
    // decision made meanwhile, applied here, not sent yet
    assert_eq!(fresh.last_seq(), last + 1);
    // what never leaves a point is not here, and said so: an appeal's
    // text reads as erased, a login has no PIN until an admin gives one
    let (text, erased): (String, Option<String>) = fresh
        .sqlite()
        .query_row(
            "SELECT text, text_erased_at FROM appeals WHERE year || '-' || printf('%05d', number) = ?1",
            [&decided],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(text.is_empty() && erased.is_some(), "{text:?} {erased:?}");
    let pin: Option<String> = fresh
        .sqlite()
        .query_row("SELECT pin_hash FROM staff WHERE login = 'dana'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(pin.is_none());
    ok(output_with_stdin(
        fresh.cmd(&["staff", "set-pin", "dana"]),
        "4444\n",
    ));
    let out = output_with_stdin(
        fresh.cmd(&["citizen", "looked", "--appeal", &decided, "--login", "dana"]),
        "4444\n",
    );
    assert!(
        out.status.success(),
        "the new PIN logs in: {}",
        output_text(&out)
    );

    // numbering goes on: the next ticket and the next seq are new ones
    // the old machine, had it lived (a copy of its database, offline),
    // would have given the same next number
    let twin = GenPoint::with_server("akm-7", None);
    for ext in ["", "-wal"] {
        let from = format!("{}{ext}", point.db.display());
        if std::path::Path::new(&from).exists() {
            std::fs::copy(&from, format!("{}{ext}", twin.db.display())).unwrap();
        }
    }
    let expected = ticket(&twin)["number"].clone();
    let next = ticket(&fresh);
    assert_eq!(next["number"], expected, "the next ticket number");
    assert!(next["seq"].as_u64().unwrap() > last + 1);
    let said = sync(&fresh);
    assert!(said.contains("0 already held"), "{said}");
    assert!(said.contains("0 pending"), "{said}");
    assert_same_log(db.open().await.as_ref(), &fresh).await;

    // a database already there is never replaced
    let again = fresh.cmd(&["restore", "--from-server"]).output().unwrap();
    assert!(!again.status.success());
    assert!(output_text(&again).contains("replaces none"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_backup_takes_back_what_it_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let db = ServerDb::new(dir.path()).await;
    let server = ServerProc::start_db(&db, "127.0.0.1:0");
    let token = db.add_point("akm-8", REGION);
    let point = GenPoint::with_server("akm-8", Some((&server.url, &token)));
    point.generate(
        40,
        8,
        Utc::now() - ChronoDuration::hours(3),
        ChronoDuration::seconds(30),
    );
    sync(&point);
    let backups = tempfile::tempdir().unwrap();
    ok(point
        .cmd(&["backup", "--to", backups.path().to_str().unwrap()])
        .output()
        .unwrap());
    let copy = std::fs::read_dir(backups.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    // after the copy: tickets, an appeal with a citizen's data, a login
    for _ in 0..5 {
        ticket(&point);
    }
    ok(output_with_stdin(
        point.cmd(&[
            "appeal",
            "--category",
            "housing",
            "--text",
            "Үй кезегі туралы",
            "--name",
            "Тұрсынбекова Әлия",
            "--phone",
            "+7 701 765 43 21",
        ]),
        "",
    ));
    point.add_staff("dana", "Дана Ержанова", "supervisor", "3333");
    sync(&point);
    let last = point.last_seq();
    let before = tables(&point);

    let said = ok(point
        .cmd(&["restore", copy.to_str().unwrap()])
        .output()
        .unwrap());
    assert!(said.contains("took back 7 events"), "{said}");
    assert_eq!(point.last_seq(), last);
    assert_eq!(tables(&point), before);
    let status: serde_json::Value = serde_json::from_slice(
        &point
            .cmd(&["sync", "--status", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(status["alarm"].is_null(), "{status}");
    ticket(&point);
    let said = sync(&point);
    assert!(said.contains("0 already held"), "{said}");
    assert_same_log(db.open().await.as_ref(), &point).await;

    // the same by the forwarder alone: a copy put back by hand, then sync
    std::fs::copy(&copy, &point.db).unwrap();
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", point.db.display()));
    }
    let said = sync(&point);
    assert!(said.contains("0 pending"), "{said}");
    assert_eq!(point.last_seq(), last + 1);
    assert_same_log(db.open().await.as_ref(), &point).await;
}
