//! A citizen's own data at the server (issue 21): the server holds the
//! sealed events and no key, so no appeal recorded since sealing puts a
//! citizen's name, IIN or phone in any of its tables, and an erasure at the
//! point travels up as an event like any other. Both backends.

use crate::sync_support::*;
use chrono::{Duration as ChronoDuration, Utc};

const TRACES: [&str; 5] = [
    "Тұрсынбекова",
    "850315401231",
    "7017654321",
    "tursynbekova",
    "Жаңаталап",
];

fn run(point: &GenPoint, args: &[&str], stdin: &str) -> String {
    let out = output_with_stdin(point.cmd(args), stdin);
    assert!(out.status.success(), "{args:?}: {}", output_text(&out));
    output_text(&out)
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
    point.add_staff("dana", "Дана Ержанова", "supervisor", "3333");
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

/// Every file of a point's database, read whole.
fn point_bytes(point: &GenPoint) -> Vec<u8> {
    let mut b = std::fs::read(point.db.as_path()).unwrap();
    b.extend(std::fs::read(format!("{}-wal", point.db.display())).unwrap_or_default());
    b
}

fn holds(bytes: &[u8], t: &str) -> bool {
    bytes.windows(t.len()).any(|w| w == t.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_at_the_region_reaches_its_point_once_also_after_it_was_offline() {
    let dir = tempfile::tempdir().unwrap();
    let db = ServerDb::new(dir.path()).await;
    let mut server = ServerProc::start_db(&db, "127.0.0.1:0");
    let token = db.add_point("akm-1", REGION);
    let point = GenPoint::with_server("akm-1", Some((&server.url, &token)));
    point.generate(
        30,
        8,
        Utc::now() - ChronoDuration::hours(2),
        ChronoDuration::seconds(30),
    );
    let leave = |name: &str, iin: Option<&str>, phone: &str| {
        let mut args = vec![
            "appeal",
            "--category",
            "housing",
            "--text",
            "Үй кезегі",
            "--name",
            name,
            "--phone",
            phone,
            "--json",
        ];
        if let Some(i) = iin {
            args.extend(["--iin", i]);
        }
        let out = run(&point, &args, "");
        let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        v["number"].as_str().unwrap().to_string()
    };
    let first = leave("Тұрсынбекова Әлия", Some("850315401231"), "+77017654321");
    // the same citizen again, by phone only: erased with the first
    leave("Тұрсынбекова Әлия", None, "87017654321");
    leave("Серік Бекмұратов", None, "87015550011");
    run(&point, &["sync"], "");
    let out = output_with_stdin(
        db.cmd(&[
            "staff",
            "add",
            "sadyrbaeva",
            "--name",
            "Айгүл Садырбаева",
            "--role",
            "controller",
            "--region",
            REGION,
        ]),
        "2468\n",
    );
    assert!(out.status.success(), "{}", output_text(&out));

    let erase = |login: &str| {
        output_with_stdin(
            db.cmd(&[
                "appeal",
                "erase-citizen",
                &format!("akm-1/{first}"),
                "--reason",
                "облысқа өтініш № 9",
                "--login",
                login,
            ]),
            "2468\n",
        )
    };
    // nobody of the region may but its staff
    assert!(!erase("nobody").status.success());
    let out = erase("sadyrbaeva");
    assert!(out.status.success(), "{}", output_text(&out));

    // the point is offline meanwhile: nothing reaches it, nothing is lost
    server.kill9();
    let offline = point.cmd(&["sync"]).output().unwrap();
    assert!(!offline.status.success(), "{}", output_text(&offline));
    assert!(holds(&point_bytes(&point), "850315401231"));
    server.restart();
    let said = run(&point, &["sync"], "");
    assert!(said.contains("applied 1 decision"), "{said}");
    let said = run(&point, &["sync"], "");
    assert!(!said.contains("applied 1"), "applied once: {said}");

    let c = point.sqlite();
    let erased: i64 = c
        .query_row(
            "SELECT count(*) FROM appeals WHERE citizen_erased_at IS NOT NULL AND citizen_name IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(erased, 2, "both appeals of the citizen");
    let serik: i64 = c
        .query_row(
            "SELECT count(*) FROM appeals WHERE citizen_name = 'Серік Бекмұратов'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(serik, 1);
    let applied: i64 = c
        .query_row(
            "SELECT count(*) FROM events WHERE kind = 'from_region'
             AND json_extract(payload, '$.decision.kind') = 'citizen_erased'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(applied, 1);
    drop(c);
    let bytes = point_bytes(&point);
    for t in ["850315401231", "7017654321", "Тұрсынбекова", "tursynbekova"] {
        assert!(
            !holds(&bytes, t),
            "{t} at the point after the region's erasure"
        );
    }
}

async fn push(url: &str, token: &str, events: &[serde_json::Value]) -> (u16, serde_json::Value) {
    let r = reqwest::Client::new()
        .post(format!("{url}/api/v1/events"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "events": events }))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

/// An appeal recorded before sealing reached the server in clear: an
/// erasure at the point redacts the server's copy as the point redacts its
/// own, with the hash made again, so the point's resend of its redacted
/// event is a harmless duplicate, not a changed event.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_sent_in_clear_before_sealing_leaves_the_server_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = ServerDb::new(dir.path()).await;
    let server = ServerProc::start_db(&db, "127.0.0.1:0");
    let token = db.add_point("akm-1", REGION);
    let point = GenPoint::new("akm-1");
    point.generate(
        30,
        9,
        Utc::now() - ChronoDuration::hours(1),
        ChronoDuration::seconds(20),
    );
    let log = qabyldau::store::events::after(point.store().conn(), 0, 1000).unwrap();
    let mut events: Vec<serde_json::Value> = log
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect();
    // the first appeal, as a point before sealing sent it
    let i = events
        .iter()
        .position(|e| e["kind"] == "appeal_recorded")
        .expect("the generated day has an appeal");
    let appeal_id = events[i]["payload"]["appeal_id"].clone();
    let p = events[i]["payload"].as_object_mut().unwrap();
    p.remove("subject");
    p.insert(
        "citizen".into(),
        serde_json::json!({"name": "Тұрсынбекова Әлия", "iin": "850315401231"}),
    );
    p.insert("consent".into(), serde_json::json!(true));
    p.insert("text".into(), serde_json::json!("Үй кезегі, Жаңаталап"));
    let (s, r) = push(&server.url, &token, &events).await;
    assert_eq!(s, 200, "{r}");
    let held = db.raw_text().await;
    assert!(
        held.contains("850315401231"),
        "the control: it is there in clear"
    );

    let n = events.len() as u64;
    let erasure = serde_json::json!({
        "point_id": "akm-1", "seq": n + 1, "id": uuid::Uuid::now_v7(),
        "at": Utc::now(), "actor": "staff:dana", "kind": "citizen_erased", "version": 1,
        "payload": {"subjects": [], "appeals": [appeal_id], "texts": true,
                    "ground": {"ground": "consent_withdrawn", "request": "№ 17"}}
    });
    let (s, r) = push(&server.url, &token, &[erasure]).await;
    assert_eq!(s, 200, "{r}");
    let held = db.raw_text().await;
    for t in TRACES {
        assert!(!held.contains(t), "{t} at the server after the erasure");
    }
    // the point's own redacted event, sent again: held already, same hash
    let mut redacted = events[i].clone();
    assert!(qabyldau::domain::personal::redact_clear(
        &mut redacted["payload"],
        true
    ));
    let (s, r) = push(&server.url, &token, &[redacted]).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["duplicates"], 1, "{r}");
}

/// Kept no longer than needed, set at the region (issue 21.3): the
/// directive takes the place of the point's `[retention] years`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retention_directive_of_the_region_takes_the_place_of_the_points_years() {
    let dir = tempfile::tempdir().unwrap();
    let db = ServerDb::new(dir.path()).await;
    let server = ServerProc::start_db(&db, "127.0.0.1:0");
    let token = db.add_point("akm-1", REGION);
    let point = GenPoint::with_server("akm-1", Some((&server.url, &token)));
    // a day of appeals two years ago, most closed on the day
    point.generate(
        80,
        11,
        Utc::now() - ChronoDuration::days(730),
        ChronoDuration::seconds(30),
    );
    run(&point, &["sync"], "");
    let expired = |point: &GenPoint| run(point, &["citizen", "erase", "--expired"], "");
    // the point's own five years: nothing is due yet
    let said = expired(&point);
    assert!(said.contains("the citizen of 0 appeal(s)"), "{said}");
    let out = db
        .cmd(&["retention", "--years", "1", "--region", REGION])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", output_text(&out));
    let said = run(&point, &["sync"], "");
    assert!(said.contains("applied 1 decision"), "{said}");
    let said = expired(&point);
    assert!(!said.contains("the citizen of 0 appeal(s)"), "{said}");
    assert!(said.contains("closed more than 1 year(s) ago"), "{said}");
    let erased: i64 = point
        .sqlite()
        .query_row(
            "SELECT count(*) FROM appeals WHERE citizen_erased_for = 'expired'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(erased > 0);
    // a directive out of bounds is refused at the server
    let out = db.cmd(&["retention", "--years", "0"]).output().unwrap();
    assert!(!out.status.success());
    assert!(
        output_text(&out).contains("give 1 to 75 years"),
        "{}",
        output_text(&out)
    );
}
