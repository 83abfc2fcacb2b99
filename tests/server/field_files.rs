//! The field kit's USB stick (issue 19.1, docs/SYNC.md "By hand"): a point
//! with no network for a whole trip carries its events to the region in a
//! file, and the region's decisions come back in one; whatever the order
//! and however often a file is imported, each event and each decision is
//! held once, and the network sync afterwards finds no gap and no double.
//! The real binary, both backends.

use crate::region_back::{PIN, add_staff, decide, open_appeal, outcome_at_point, sync};
use crate::sync_support::*;
use chrono::{Duration as ChronoDuration, Utc};
use std::path::Path;
use std::process::Output;

fn run(cmd: std::process::Command) -> Output {
    output_with_stdin(cmd, "")
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}", output_text(&out));
    output_text(&out)
}

fn refused(out: Output) -> String {
    assert!(!out.status.success(), "taken: {}", output_text(&out));
    output_text(&out)
}

fn import(db: &ServerDb, file: &Path) -> Output {
    run(db.cmd(&["import", file.to_str().unwrap(), "--json"]))
}

fn import_ok(db: &ServerDb, file: &Path) -> serde_json::Value {
    let out = import(db, file);
    assert!(out.status.success(), "{}", output_text(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn export(point: &GenPoint, file: &Path) -> String {
    ok(run(point.cmd(&[
        "sync",
        "--export",
        file.to_str().unwrap(),
    ])))
}

/// A point of the region, registered, whose config names the server (not
/// contacted until the test says so: the trip).
fn travelling_point(db: &ServerDb, url: &str, id: &str) -> GenPoint {
    let token = db.add_point(id, REGION);
    GenPoint::with_server(id, Some((url, &token)))
}

fn day(point: &GenPoint, n: u64, seed: u64) {
    point.generate(
        n,
        seed,
        Utc::now() - ChronoDuration::hours(3),
        ChronoDuration::seconds(20),
    );
}

async fn held(db: &ServerDb, point: &GenPoint) -> u64 {
    db.open()
        .await
        .cursor(point.id.clone(), Utc::now())
        .await
        .unwrap()
        .0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trip_on_a_stick_is_held_once_whatever_the_order_and_sync_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = ServerDb::new(dir.path()).await;
    let server = ServerProc::start_db(&db, "127.0.0.1:0");
    let stick = tempfile::tempdir().unwrap();
    let files = |p: &GenPoint, n: &str| stick.path().join(format!("{}-{n}.qbl", p.id));

    // two points on the road: each exports twice, the second file
    // overlapping the first (nothing was acknowledged in between)
    let (one, two) = (
        travelling_point(&db, &server.url, "akm-1"),
        travelling_point(&db, &server.url, "akm-2"),
    );
    for (p, seed) in [(&one, 11), (&two, 12)] {
        day(p, 40, seed);
        export(p, &files(p, "a"));
        day(p, 30, seed + 100);
        let said = export(p, &files(p, "b"));
        assert!(said.contains("events 1–"), "{said}");
    }
    let (a1, b1) = (files(&one, "a"), files(&one, "b"));
    let (a2, b2) = (files(&two, "a"), files(&two, "b"));

    // a file with one byte changed is refused whole: nothing of it stored
    let mut bytes = std::fs::read(&b1).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] = if bytes[middle] == b'7' { b'8' } else { b'7' };
    let damaged = stick.path().join("damaged.qbl");
    std::fs::write(&damaged, &bytes).unwrap();
    let said = refused(import(&db, &damaged));
    assert!(said.contains("damaged or was changed"), "{said}");
    assert_eq!(
        held(&db, &one).await,
        0,
        "nothing of a damaged file is stored"
    );
    // a file cut short (the stick pulled out while copying)
    std::fs::write(&damaged, &std::fs::read(&a1).unwrap()[..500]).unwrap();
    let said = refused(import(&db, &damaged));
    assert!(said.contains("cut short"), "{said}");

    // one point's files in the order written, the other's the other way
    // round, and every file twice over
    let first = import_ok(&db, &a1);
    assert_eq!(first["duplicates"], 0, "{first}");
    let second = import_ok(&db, &b1);
    assert_eq!(
        second["duplicates"], first["events"],
        "the overlap is held once"
    );
    let later = import_ok(&db, &b2);
    assert_eq!(later["duplicates"], 0, "{later}");
    let earlier = import_ok(&db, &a2);
    assert_eq!(
        earlier["stored"], 0,
        "the earlier file adds nothing: {earlier}"
    );
    for file in [&a1, &b1, &a2, &b2] {
        let again = import_ok(&db, file);
        assert_eq!(again["stored"], 0, "{} twice: {again}", file.display());
    }
    let storage = db.open().await;
    for p in [&one, &two] {
        assert_eq!(held(&db, p).await, p.last_seq());
        assert_same_log(storage.as_ref(), p).await;
    }

    // back on the network: the point learns how far the server holds its
    // log, sends nothing twice, and what it records next goes on from there
    for (p, seed) in [(&one, 21), (&two, 22)] {
        let said = sync(p);
        assert!(said.contains("sent 0 events"), "{said}");
        day(p, 10, seed);
        let said = sync(p);
        assert!(said.contains("0 already held"), "{said}");
        assert!(said.contains("0 pending"), "{said}");
        assert_same_log(storage.as_ref(), p).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_with_a_hole_or_a_changed_event_is_refused_by_the_apis_rules() {
    let dir = tempfile::tempdir().unwrap();
    let db = ServerDb::new(dir.path()).await;
    let stick = tempfile::tempdir().unwrap();
    let url = "http://127.0.0.1:9";
    let point = travelling_point(&db, url, "akm-3");
    day(&point, 40, 31);

    // the point believes the server holds 1..=25 (a sync the server then
    // lost, say): its file starts at 26, and the server holds nothing
    point
        .sqlite()
        .execute("UPDATE sync_state SET acked_seq = 25", [])
        .unwrap();
    let gap = stick.path().join("gap.qbl");
    export(&point, &gap);
    let said = refused(import(&db, &gap));
    assert!(
        said.contains("events are missing") && said.contains("starts at 26"),
        "{said}"
    );
    assert_eq!(held(&db, &point).await, 0);
    // `--all` carries the whole log, and is taken
    let all = stick.path().join("all.qbl");
    ok(run(point.cmd(&[
        "sync",
        "--export",
        all.to_str().unwrap(),
        "--all",
    ])));
    import_ok(&db, &all);
    assert_eq!(held(&db, &point).await, point.last_seq());

    // another database under the same point and token (a wrong backup
    // restored, say): its events differ under the same seq
    let config = std::fs::read_to_string(&point.config).unwrap();
    let twin = GenPoint::with_server("akm-3", None);
    std::fs::write(&twin.config, config).unwrap();
    day(&twin, 45, 99);
    let changed = stick.path().join("changed.qbl");
    export(&twin, &changed);
    let said = refused(import(&db, &changed));
    assert!(
        said.contains("differs from the one the server already holds"),
        "{said}"
    );
    let out = run(db.cmd(&["point", "list", "--json"]));
    let points: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = points
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "akm-3")
        .unwrap();
    assert!(row["flagged_seq"].as_u64().is_some(), "flagged: {row}");
    assert_same_log(db.open().await.as_ref(), &point).await;

    // a point's file is sealed with its own token: one with another
    // point's name in it does not pass for that point's
    let other = travelling_point(&db, url, "akm-4");
    let stolen = std::fs::read_to_string(&all).unwrap().replacen(
        "\"point_id\":\"akm-3\"",
        "\"point_id\":\"akm-4\"",
        1,
    );
    let forged = stick.path().join("forged.qbl");
    std::fs::write(&forged, stolen).unwrap();
    let said = refused(import(&db, &forged));
    assert!(said.contains("damaged or was changed"), "{said}");
    assert_eq!(held(&db, &other).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_regions_decisions_come_back_on_a_stick_and_apply_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = ServerDb::new(dir.path()).await;
    let server = ServerProc::start_db(&db, "127.0.0.1:0");
    let stick = tempfile::tempdir().unwrap();
    let point = travelling_point(&db, &server.url, "akm-5");
    let neighbour = travelling_point(&db, &server.url, "akm-6");
    day(&point, 60, 41);
    let up = stick.path().join("up.qbl");
    export(&point, &up);
    import_ok(&db, &up);

    // the region decides on one of its appeals and switches campaign mode
    add_staff(&db, "sadyrbaeva", "controller", REGION);
    let number = open_appeal(&point);
    let out = decide(
        &db,
        &format!("akm-5/{number}"),
        "resolved_positive",
        "sadyrbaeva",
        PIN,
    );
    assert!(out.status.success(), "{}", output_text(&out));
    ok(run(db.cmd(&["campaign", "on", "--region", REGION])));

    let down = stick.path().join("down.qbl");
    let said = ok(run(db.cmd(&[
        "export-for",
        "akm-5",
        down.to_str().unwrap(),
    ])));
    assert!(said.contains("decisions 1–2"), "{said}");

    // only the point it is for takes it
    let said = refused(run(neighbour.cmd(&[
        "sync",
        "--import",
        down.to_str().unwrap(),
    ])));
    assert!(said.contains("this file is for point akm-5"), "{said}");
    // nor is a point's own events file taken as the region's
    let said = refused(run(point.cmd(&["sync", "--import", up.to_str().unwrap()])));
    assert!(said.contains("takes the region's decisions"), "{said}");

    // a damaged one applies nothing
    let mut bytes = std::fs::read(&down).unwrap();
    let at = bytes.len() - 80;
    bytes[at] ^= 0x20;
    let damaged = stick.path().join("down-damaged.qbl");
    std::fs::write(&damaged, bytes).unwrap();
    let events_before = point.last_seq();
    let said = refused(run(point.cmd(&[
        "sync",
        "--import",
        damaged.to_str().unwrap(),
    ])));
    assert!(said.contains("damaged or was changed"), "{said}");
    assert_eq!(point.last_seq(), events_before);

    let said = ok(run(point.cmd(&[
        "sync",
        "--import",
        down.to_str().unwrap(),
    ])));
    assert!(said.contains("applied 2 decisions"), "{said}");
    assert_eq!(outcome_at_point(&point, &number), "resolved_positive");
    assert!(point.ctx().campaign_mode(&point.store()).unwrap());
    // again: nothing changes, not even an event
    let after_once = point.last_seq();
    assert_eq!(after_once, events_before + 2);
    let said = ok(run(point.cmd(&[
        "sync",
        "--import",
        down.to_str().unwrap(),
    ])));
    assert!(
        said.contains("applied 0 decisions of the region (2 already applied)"),
        "{said}"
    );
    assert_eq!(point.last_seq(), after_once);

    // back on the network: the fetch finds nothing new and the point's
    // events (the two it applied) go up once
    let said = sync(&point);
    assert!(said.contains("applied 0 decisions"), "{said}");
    assert!(said.contains("0 pending"), "{said}");
    assert_same_log(db.open().await.as_ref(), &point).await;
}
