//! The way back (issue 13, docs/REGION.md) with the real binary on loopback:
//! the region's staff decide on an appeal and switch campaign mode at the
//! server, and the points apply it at their sync, exactly once, only their
//! own. Both backends (the server suite's PostgreSQL pass).

use crate::sync_support::*;
use chrono::{Duration as ChronoDuration, Utc};
use std::process::{Output, Stdio};

pub(crate) const PIN: &str = "2468";

/// `server ARGS` with `stdin` on standard input (a PIN, for scripts).
pub(crate) fn with_stdin(db: &ServerDb, args: &[&str], stdin: &str) -> Output {
    output_with_stdin(db.cmd(args), &format!("{stdin}\n"))
}

pub(crate) fn add_staff(db: &ServerDb, login: &str, role: &str, region: &str) {
    let out = with_stdin(
        db,
        &[
            "staff",
            "add",
            login,
            "--name",
            "Айгүл Садырбаева",
            "--role",
            role,
            "--region",
            region,
        ],
        PIN,
    );
    assert!(out.status.success(), "{}", output_text(&out));
}

pub(crate) fn decide(db: &ServerDb, appeal: &str, outcome: &str, login: &str, pin: &str) -> Output {
    with_stdin(
        db,
        &[
            "appeal",
            "decide",
            appeal,
            "--outcome",
            outcome,
            "--answer",
            "Пәтер кезегі қаралды: өтініш қанағаттандырылды",
            "--login",
            login,
        ],
        pin,
    )
}

pub(crate) fn sync(point: &GenPoint) -> String {
    let out = point.cmd(&["sync"]).output().unwrap();
    assert!(out.status.success(), "{}", output_text(&out));
    output_text(&out)
}

/// A point of `REGION` with a day of real events, forwarded once.
fn forwarded_point(db: &ServerDb, server: &ServerProc, id: &str, seed: u64) -> GenPoint {
    let token = db.add_point(id, REGION);
    let point = GenPoint::with_server(id, Some((&server.url, &token)));
    point.generate(
        60,
        seed,
        Utc::now() - ChronoDuration::hours(2),
        ChronoDuration::seconds(30),
    );
    sync(&point);
    point
}

/// An appeal of the point that is still open: its number.
pub(crate) fn open_appeal(point: &GenPoint) -> String {
    point
        .sqlite()
        .query_row(
            "SELECT year || '-' || printf('%05d', number) FROM appeals
             WHERE outcome IN ('registered', 'under_consideration') ORDER BY received_at LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("the generated point has an open appeal")
}

pub(crate) fn outcome_at_point(point: &GenPoint, number: &str) -> String {
    point
        .sqlite()
        .query_row(
            "SELECT outcome FROM appeals WHERE year || '-' || printf('%05d', number) = ?1",
            [number],
            |r| r.get(0),
        )
        .unwrap()
}

pub(crate) fn count(point: &GenPoint, sql: &str) -> i64 {
    point.sqlite().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_at_the_region_reaches_its_point_once_and_no_other() {
    let dir = tempfile::tempdir().unwrap();
    let db = ServerDb::new(dir.path()).await;
    let server = ServerProc::start_db(&db, "127.0.0.1:0");
    let mine = forwarded_point(&db, &server, "akm-1", 1);
    let other = forwarded_point(&db, &server, "akm-2", 2);
    add_staff(&db, "sadyrbaeva", "controller", REGION);
    let number = open_appeal(&mine);

    // the point's own number alone is ambiguous at the region
    let out = decide(&db, &number, "resolved_positive", "sadyrbaeva", PIN);
    assert!(!out.status.success());
    assert!(
        output_text(&out).contains("name the point too"),
        "{}",
        output_text(&out)
    );

    let out = decide(
        &db,
        &format!("akm-1/{number}"),
        "resolved_positive",
        "sadyrbaeva",
        PIN,
    );
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(
        output_text(&out).contains("region decision 1"),
        "{}",
        output_text(&out)
    );

    let said = sync(&mine);
    assert!(said.contains("applied 1 decisions"), "{said}");
    assert_eq!(outcome_at_point(&mine, &number), "resolved_positive");
    // the answer and who gave it are in the appeal's history
    let (actor, detail): (String, String) = mine
        .sqlite()
        .query_row(
            "SELECT h.actor, h.detail FROM appeal_history h JOIN appeals a ON a.id = h.appeal_id
             WHERE year || '-' || printf('%05d', a.number) = ?1 ORDER BY h.seq DESC LIMIT 1",
            [&number],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(actor, "region:sadyrbaeva");
    assert!(detail.contains("қанағаттандырылды"), "{detail}");
    // `appeals --json` shows the new outcome
    let out = mine
        .cmd(&["appeals", "--json", "--limit", "1000"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            format!(
                "{}-{:05}",
                r["number"]["year"],
                r["number"]["number"].as_u64().unwrap()
            ) == number
        })
        .expect("the appeal is listed");
    assert_eq!(row["outcome"], "resolved_positive");

    // resent, synced again, replayed: applied once
    let said = sync(&mine);
    assert!(said.contains("applied 0 decisions"), "{said}");
    let from_region = "SELECT COUNT(*) FROM events WHERE kind = 'from_region'";
    assert_eq!(count(&mine, from_region), 1);
    let reply = qabyldau::sync::api::ApiClient::new(
        &server.url,
        &mine.ctx().config.server.as_ref().unwrap().token,
        Default::default(),
    )
    .unwrap()
    .region_events(&qabyldau::protocol::RegionEventsQuery {
        after: 0,
        limit: None,
        wait: None,
    })
    .await
    .unwrap();
    assert_eq!(reply.events.len(), 1);
    let mut store = mine.store();
    let again = qabyldau::store::region::apply(&mut store, &reply.events, Utc::now()).unwrap();
    assert_eq!((again.applied, again.skipped), (0, 1));
    assert_eq!(count(&mine, from_region), 1);

    // the other point of the region received nothing
    let said = sync(&other);
    assert!(said.contains("applied 0 decisions"), "{said}");
    assert_eq!(count(&other, from_region), 0);

    // the point's echo went up (the syncs above pushed it): the server's
    // appeal stays decided and agrees with the point's
    drop(store);
    let id: String = mine
        .sqlite()
        .query_row(
            "SELECT id FROM appeals WHERE year || '-' || printf('%05d', number) = ?1",
            [&number],
            |r| r.get(0),
        )
        .unwrap();
    let on_server = server_outcomes(&db, "akm-1").await;
    assert_eq!(on_server[&id], "resolved_positive");
    assert_eq!(on_server, point_outcomes(&mine));
    let echoes = "SELECT COUNT(*) FROM events WHERE kind = 'from_region' AND seq <= (SELECT acked_seq FROM sync_state)";
    assert_eq!(count(&mine, echoes), 1, "the echo is held by the server");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_may_decide_and_who_may_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = ServerDb::new(dir.path()).await;
    let server = ServerProc::start_db(&db, "127.0.0.1:0");
    let point = forwarded_point(&db, &server, "akm-1", 3);
    let appeal = format!("akm-1/{}", open_appeal(&point));
    add_staff(&db, "reader", "supervisor", REGION);
    add_staff(&db, "almaty", "controller", "Алматы облысы");
    add_staff(&db, "ctrl", "controller", REGION);

    let out = decide(&db, &appeal, "declined", "reader", PIN);
    assert!(!out.status.success());
    assert!(
        output_text(&out).contains("cannot decide"),
        "{}",
        output_text(&out)
    );

    let out = decide(&db, &appeal, "declined", "almaty", PIN);
    assert!(!out.status.success());
    assert!(
        output_text(&out).contains("works for the region Алматы облысы"),
        "{}",
        output_text(&out)
    );

    let out = decide(&db, &appeal, "declined", "nobody", PIN);
    assert!(
        output_text(&out).contains("no such login"),
        "{}",
        output_text(&out)
    );

    let out = decide(&db, "akm-1/2026-99999", "declined", "ctrl", PIN);
    assert!(
        output_text(&out).contains("holds no appeal akm-1/2026-99999"),
        "{}",
        output_text(&out)
    );

    // a state body only with a redirection, and a redirection names one
    let out = with_stdin(
        &db,
        &[
            "appeal",
            "decide",
            &appeal,
            "--outcome",
            "declined",
            "--body",
            "Әкімдік",
            "--login",
            "ctrl",
        ],
        PIN,
    );
    assert!(
        output_text(&out).contains("only with the outcome redirected"),
        "{}",
        output_text(&out)
    );
    let out = decide(&db, &appeal, "redirected", "ctrl", PIN);
    assert!(
        output_text(&out).contains("names the state body"),
        "{}",
        output_text(&out)
    );

    // five wrong PINs lock the login, and the right one is then refused too
    for left in (0..5).rev() {
        let out = decide(&db, &appeal, "declined", "ctrl", "1111");
        assert!(
            output_text(&out).contains(&format!("{left} tries left")),
            "{}",
            output_text(&out)
        );
    }
    let out = decide(&db, &appeal, "declined", "ctrl", PIN);
    assert!(!out.status.success());
    assert!(
        output_text(&out).contains("is locked"),
        "{}",
        output_text(&out)
    );

    // nothing of it reached the point
    let said = sync(&point);
    assert!(said.contains("applied 0 decisions"), "{said}");

    // a supervisor's token reads the region but has no region log
    let out = db
        .cmd(&["supervisor", "add", "Анна", "--region", REGION])
        .output()
        .unwrap();
    let sup_token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let reply = reqwest::Client::new()
        .get(format!("{}/api/v1/region-events?after=0", server.url))
        .bearer_auth(&sup_token)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 403);
    let body: serde_json::Value = reply.json().await.unwrap();
    assert_eq!(body["error"], "read_only");
    assert!(
        body["message"].as_str().unwrap().contains("region log"),
        "{body}"
    );
    // and a point's token with a bad query is told so
    let reply = reqwest::Client::new()
        .get(format!("{}/api/v1/region-events?after=minus", server.url))
        .bearer_auth(&point.ctx().config.server.as_ref().unwrap().token)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 400);
    let body: serde_json::Value = reply.json().await.unwrap();
    assert_eq!(body["error"], "bad_query");

    // a disabled login is refused
    let out = db.cmd(&["staff", "disable", "reader"]).output().unwrap();
    assert!(out.status.success(), "{}", output_text(&out));
    let out = decide(&db, &appeal, "declined", "reader", PIN);
    assert!(
        output_text(&out).contains("disabled"),
        "{}",
        output_text(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn campaign_mode_reaches_every_point_of_the_region_also_those_offline() {
    let dir = tempfile::tempdir().unwrap();
    let db = ServerDb::new(dir.path()).await;
    let server = ServerProc::start_db(&db, "127.0.0.1:0");
    let points: Vec<GenPoint> = (0..10)
        .map(|i| {
            let id = format!("akm-{i}");
            let token = db.add_point(&id, REGION);
            GenPoint::with_server(&id, Some((&server.url, &token)))
        })
        .collect();
    let elsewhere_token = db.add_point("alm-1", "Алматы облысы");
    let elsewhere = GenPoint::with_server("alm-1", Some((&server.url, &elsewhere_token)));

    let out = db
        .cmd(&["campaign", "on", "--region", REGION])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(
        output_text(&out).contains("10 point(s)"),
        "{}",
        output_text(&out)
    );

    let campaign = |p: &GenPoint| p.ctx().campaign_mode(&p.store()).unwrap();
    let directives = "SELECT COUNT(*) FROM events WHERE kind = 'from_region'";
    // seven are online now; three come back later
    for p in &points[..7] {
        sync(p);
    }
    for p in &points[..7] {
        assert!(campaign(p), "{} follows the directive", p.id);
        assert_eq!(count(p, directives), 1);
    }
    for p in &points[7..] {
        assert!(!campaign(p), "{} has not heard yet", p.id);
    }
    // the regional board counts what each point has not applied
    let storage = db.open().await;
    let views = storage
        .points(qabyldau::server::storage::Scope::all(), Utc::now())
        .await
        .unwrap();
    let pending = |id: &str| views.iter().find(|v| v.id == id).unwrap().region_pending;
    assert_eq!(pending("akm-0"), 0);
    assert_eq!(pending("akm-8"), 1);
    assert_eq!(pending("alm-1"), 0);
    for p in &points[7..] {
        sync(p);
        sync(p);
    }
    for p in &points {
        assert!(campaign(p), "{}", p.id);
        assert_eq!(count(p, directives), 1, "{}", p.id);
    }
    sync(&elsewhere);
    assert!(!campaign(&elsewhere));
    assert_eq!(count(&elsewhere, directives), 0);

    // the kiosk takes only proposals now
    let ctx = points[0].ctx();
    let mut store = points[0].store();
    let cat = ctx.catalogue.all().iter().find(|c| !c.programme).unwrap();
    let refused = qabyldau::app::kiosk::take_ticket(
        &mut store,
        &ctx,
        &cat.id,
        qabyldau::domain::Priority::Ordinary,
        qabyldau::domain::Lang::Kk,
        Utc::now(),
    );
    assert!(
        refused.is_err(),
        "a ticket outside the programme in campaign mode"
    );
}

/// The server's appeals of a point with their outcomes, read by SQL.
async fn server_outcomes(db: &ServerDb, point: &str) -> std::collections::BTreeMap<String, String> {
    match db {
        ServerDb::Sqlite { path, .. } => {
            let c = rusqlite::Connection::open(path).unwrap();
            let mut stmt = c
                .prepare("SELECT id, outcome FROM appeals WHERE point_id = ?1")
                .unwrap();
            stmt.query_map([point], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        }
        ServerDb::Postgres { db, .. } => db
            .client()
            .await
            .query(
                "SELECT id::text, outcome FROM appeals WHERE point_id = $1",
                &[&point],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect(),
    }
}

fn point_outcomes(point: &GenPoint) -> std::collections::BTreeMap<String, String> {
    let c = point.sqlite();
    let mut stmt = c.prepare("SELECT id, outcome FROM appeals").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// `kill -9` of the point's `qabyldau sync` while it applies what the
/// region sent, round after round at random moments (seed printed;
/// `QABYLDAU_REGION_KILL_SEED` replays): every decision applied exactly
/// once and in order, the database intact after every kill, and once both
/// directions have drained the point's and the server's appeals agree.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_while_the_point_applies_the_regions_decisions() {
    use qabyldau::server::region::{self, DecisionRequest};
    use rand::{Rng, SeedableRng};
    let seed: u64 = std::env::var("QABYLDAU_REGION_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::rng().random());
    eprintln!("region kill loop: seed {seed} (replay: QABYLDAU_REGION_KILL_SEED={seed})");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let dir = tempfile::tempdir().unwrap();
    let db = ServerDb::new(dir.path()).await;
    let server = ServerProc::start_db(&db, "127.0.0.1:0");
    let point = forwarded_point(&db, &server, "akm-1", 7);
    add_staff(&db, "ctrl", "controller", REGION);
    let storage = db.open().await;
    let staff = region::log_in(storage.as_ref(), "ctrl", PIN, Utc::now())
        .await
        .unwrap();
    let open: Vec<String> = {
        let c = point.sqlite();
        let mut stmt = c
            .prepare(
                "SELECT year || '-' || printf('%05d', number) FROM appeals
                 WHERE outcome IN ('registered', 'under_consideration') LIMIT 3",
            )
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert!(!open.is_empty());
    // decisions on the open appeals (closed, reopened, closed, …) between
    // campaign directives: several of the forwarder's batches
    let mut made = 0u64;
    for i in 0..1200 {
        if i % 3 == 0 {
            let n = &open[(i / 3) % open.len()];
            let round = (i / 3) / open.len();
            let outcome = if round % 2 == 0 {
                qabyldau::domain::Outcome::ResolvedPositive
            } else {
                qabyldau::domain::Outcome::UnderConsideration
            };
            region::decide(
                storage.as_ref(),
                &staff,
                DecisionRequest {
                    appeal: qabyldau::domain::FullAppealNo::parse_at(n, &point.id).unwrap(),
                    outcome,
                    body: None,
                    answer: None,
                },
                Utc::now(),
            )
            .await
            .unwrap();
        } else {
            region::campaign(storage.as_ref(), i % 2 == 0, None, Utc::now())
                .await
                .unwrap();
        }
        made += 1;
    }
    let check = |at: &str| {
        let c = point.sqlite();
        let ok: String = c
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok", "{at}");
        let mut stmt = c
            .prepare(
                "SELECT json_extract(payload, '$.rseq') FROM events WHERE kind = 'from_region' ORDER BY seq",
            )
            .unwrap();
        let rseqs: Vec<u64> = stmt
            .query_map([], |r| r.get::<_, i64>(0))
            .unwrap()
            .map(|r| r.unwrap() as u64)
            .collect();
        let expected: Vec<u64> = (1..=rseqs.len() as u64).collect();
        assert_eq!(rseqs, expected, "{at}: each decision once, in order");
        rseqs.len() as u64
    };
    let mut kills = 0;
    for round in 0..40 {
        let mut child = point
            .cmd(&["sync"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(rng.random_range(5..120)));
        let finished = child.try_wait().unwrap().is_some();
        if !finished {
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
        // the killed forwarder's lease would run out in 30 s: as if it had
        point
            .sqlite()
            .execute(
                "UPDATE sync_state SET lease_holder = NULL, lease_expires_at = NULL",
                [],
            )
            .unwrap();
        let applied = check(&format!("round {round}, seed {seed}"));
        if applied == made && finished {
            break;
        }
    }
    // both directions drained: the echoes went up
    sync(&point);
    sync(&point);
    assert_eq!(check("drained"), made, "seed {seed}");
    assert!(
        kills > 0,
        "seed {seed}: no sync was killed; the test proved nothing"
    );
    assert_eq!(
        point_outcomes(&point),
        server_outcomes(&db, "akm-1").await,
        "seed {seed}"
    );
    eprintln!("region kill loop: seed {seed}: {kills} kills, {made} decisions applied once");
}

/// One step of a random history of an appeal changed on both sides.
#[derive(Debug, Clone)]
enum Step {
    /// The desk sets the other outcome, its clock `skew` seconds off.
    AtPoint { skew: i64 },
    /// A controller sets the other outcome at the region.
    AtRegion,
    /// The point forwards and applies what the region sent.
    Sync,
    /// The same, and the region's decisions fetched once more (a resend:
    /// the answer to the first fetch lost).
    SyncTwice,
    /// The link is down: nothing.
    Lost,
}

fn steps() -> impl proptest::strategy::Strategy<Value = Vec<Step>> {
    use proptest::prelude::*;
    prop::collection::vec(
        prop_oneof![
            (-3i64..3).prop_map(|skew| Step::AtPoint { skew }),
            Just(Step::AtRegion),
            Just(Step::Sync),
            Just(Step::SyncTwice),
            Just(Step::Lost),
        ],
        1..14,
    )
}

/// Random edits of the same appeals at the point and at the region,
/// delivered in random interleavings with resends and losses: once both
/// directions have drained, the point and the server show the same
/// outcome for every appeal (docs/SYNC.md, the way back).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_on_both_sides_converge_whatever_the_order() {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::{Config, TestRunner};
    use qabyldau::app::desk::Operator;
    use qabyldau::domain::Outcome;
    use qabyldau::server::region::{self, DecisionRequest};
    use qabyldau::sync::Forwarder;
    // the same cases every run (proptest's fixed seed); more with
    // QABYLDAU_CONVERGE_CASES for a longer search
    let cases: u32 = std::env::var("QABYLDAU_CONVERGE_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12);
    let mut runner = TestRunner::new(Config {
        cases,
        ..Config::default()
    });
    for case in 0..u64::from(cases) {
        let history = steps().new_tree(&mut runner).unwrap().current();
        let dir = tempfile::tempdir().unwrap();
        let db = ServerDb::new(dir.path()).await;
        let storage = db.open().await;
        let server = InProcServer::start_on(
            std::sync::Arc::clone(&storage),
            tempfile::tempdir().unwrap(),
            qabyldau::server::Limits::default(),
            "127.0.0.1:0",
        )
        .await;
        let token = register(storage.as_ref(), "akm-1", REGION).await;
        let point = GenPoint::new("akm-1");
        point.generate(
            80,
            case,
            Utc::now() - ChronoDuration::hours(1),
            ChronoDuration::seconds(20),
        );
        let mut f = Forwarder::open(&point.db, &point.id, fast_sync(&server.url, &token))
            .await
            .unwrap();
        f.run_once().await.unwrap();
        let (id, number): (String, String) = point
            .sqlite()
            .query_row(
                "SELECT id, year || '-' || printf('%05d', number) FROM appeals
                 ORDER BY received_at LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let id: uuid::Uuid = id.parse().unwrap();
        let staff = controller(storage.as_ref(), "ctrl", REGION).await;
        let op = Operator {
            login: qabyldau::domain::staff::Login::parse("aigul").unwrap(),
            name: "Айгүл".into(),
            role: qabyldau::domain::staff::Role::Admin,
        };
        // a closed appeal is reopened, an open one closed: always legal
        let other = |o: &str| {
            if o.parse::<Outcome>().unwrap().is_closed() {
                Outcome::UnderConsideration
            } else {
                Outcome::ResolvedPositive
            }
        };
        for step in &history {
            match step {
                Step::AtPoint { skew } => {
                    let mut store = point.store();
                    let now = outcome_at_point(&point, &number);
                    qabyldau::app::desk::appeals::set_outcome(
                        &mut store,
                        &op,
                        id,
                        other(&now),
                        "",
                        "",
                        Utc::now() + ChronoDuration::seconds(*skew),
                    )
                    .unwrap_or_else(|e| panic!("{history:?}: {e}"));
                }
                Step::AtRegion => {
                    let held = server_outcomes(&db, "akm-1").await[&id.to_string()].clone();
                    region::decide(
                        storage.as_ref(),
                        &staff,
                        DecisionRequest {
                            appeal: qabyldau::domain::FullAppealNo::parse_at(&number, &point.id)
                                .unwrap(),
                            outcome: other(&held),
                            body: None,
                            answer: None,
                        },
                        Utc::now(),
                    )
                    .await
                    .unwrap_or_else(|e| panic!("{history:?}: {e}"));
                }
                Step::Sync => {
                    f.run_once().await.unwrap();
                }
                Step::SyncTwice => {
                    f.run_once().await.unwrap();
                    let reply = qabyldau::sync::api::ApiClient::new(
                        &server.url,
                        &token,
                        Default::default(),
                    )
                    .unwrap()
                    .region_events(&qabyldau::protocol::RegionEventsQuery {
                        after: 0,
                        limit: None,
                        wait: None,
                    })
                    .await
                    .unwrap();
                    let mut store = point.store();
                    qabyldau::store::region::apply(&mut store, &reply.events, Utc::now()).unwrap();
                }
                Step::Lost => {}
            }
            // a few milliseconds between steps, so times differ as in life
            tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        }
        // drained both ways: push, pull, and the pull's echoes pushed
        f.run_once().await.unwrap();
        f.run_once().await.unwrap();
        assert_eq!(
            point_outcomes(&point),
            server_outcomes(&db, "akm-1").await,
            "case {case}: {history:?}"
        );
        drop(f);
        server.stop().await;
    }
}
