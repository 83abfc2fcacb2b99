//! The tests that only make sense with PostgreSQL: `server migrate-to`
//! from a SQLite server with 50,000 events (whole, and interrupted then
//! resumed), the same figures and points after it, each point's zone
//! carried; a schema newer than the binary; an older schema migrated; the
//! `server` commands on `--database-url`.
//!
//! A program of its own (`harness = false`) so that without
//! `QABYLDAU_TEST_DATABASE_URL` it says plainly that these tests, and the
//! server suite on PostgreSQL, were SKIPPED, instead of showing passes. The
//! server suite itself runs on PostgreSQL with `QABYLDAU_TEST_BACKEND=postgres`
//! (`.ci/run` does both).
mod sync_support;

use chrono::{Duration as ChronoDuration, Utc};
use qabyldau::app::demo::{self, DemoOptions};
use qabyldau::server::Limits;
use qabyldau::server::migrate::{self, Options};
use qabyldau::server::storage::Storage;
use qabyldau::server::storage::postgres::PostgresStorage;
use qabyldau::server::storage::sqlite::SqliteStorage;
use qabyldau::sync::Forwarder;
use serde_json::Value;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};
use sync_support::*;

type Case = fn() -> Pin<Box<dyn Future<Output = ()>>>;

const CASES: &[(&str, Case)] = &[
    (
        "migrate_to_copies_50000_events_with_the_same_figures",
        || Box::pin(migrate_to_copies_50000_events_with_the_same_figures()),
    ),
    ("a_schema_newer_than_the_program_is_refused", || {
        Box::pin(a_schema_newer_than_the_program_is_refused())
    }),
    ("a_version_1_database_gains_the_points_zones", || {
        Box::pin(a_version_1_database_gains_the_points_zones())
    }),
    ("migrate_to_carries_each_points_zone", || {
        Box::pin(migrate_to_carries_each_points_zone())
    }),
    ("migrate_to_carries_the_region_log_and_staff", || {
        Box::pin(migrate_to_carries_the_region_log_and_staff())
    }),
    ("server_commands_work_on_postgresql", || {
        Box::pin(server_commands_work_on_postgresql())
    }),
];

/// What to run, from libtest's command line as `cargo test` passes it:
/// names (or parts of names) to run, names to skip, `--exact`, `--list`.
/// Options that take a value (`--test-threads 2`, `--format pretty`, …)
/// are not names.
#[derive(Debug, Default, PartialEq)]
struct Selection {
    filters: Vec<String>,
    skip: Vec<String>,
    exact: bool,
    list: bool,
    /// `--ignored`: only ignored tests, and this runner has none.
    ignored_only: bool,
}

/// libtest's options that take a value, given as `--opt value` or `--opt=value`.
const VALUE_OPTIONS: &[&str] = &[
    "--test-threads",
    "--format",
    "--color",
    "--logfile",
    "--skip",
    "--shuffle-seed",
    "-Z",
];
/// libtest's options without a value (this runner has no ignored tests,
/// and runs its cases one after the other anyway).
const FLAGS: &[&str] = &[
    "--exact",
    "--list",
    "--nocapture",
    "--no-capture",
    "--show-output",
    "--ignored",
    "--include-ignored",
    "--quiet",
    "-q",
    "--test",
    "--bench",
    "--force-run-in-process",
    "--exclude-should-panic",
    "--fail-fast",
    "--shuffle",
    "--report-time",
    "--ensure-time",
];

fn parse_args(args: &[String]) -> Result<Selection, String> {
    let mut sel = Selection::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if arg.starts_with('-') => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        if VALUE_OPTIONS.contains(&name) {
            let value = match inline {
                Some(v) => v,
                None => it
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value"))?,
            };
            if name == "--skip" {
                sel.skip.push(value);
            }
        } else if FLAGS.contains(&name) && inline.is_none() {
            sel.exact |= name == "--exact";
            sel.list |= name == "--list";
            sel.ignored_only |= name == "--ignored";
        } else if arg.starts_with('-') {
            return Err(format!("unknown option {arg:?}"));
        } else {
            sel.filters.push(arg.clone());
        }
    }
    Ok(sel)
}

impl Selection {
    fn matches(&self, name: &str) -> bool {
        let hit = |f: &String| {
            if self.exact {
                name == f
            } else {
                name.contains(f.as_str())
            }
        };
        !self.ignored_only
            && (self.filters.is_empty() || self.filters.iter().any(hit))
            && !self.skip.iter().any(hit)
    }
}

/// The runner's own test, run first on every run (it needs no database):
/// option values are not taken for names. It once took the `1` of
/// `--test-threads 1` as a name filter and ran none of the cases.
fn arguments_are_parsed_as_libtest_does() {
    let parse = |a: &[&str]| parse_args(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let all = |sel: &Selection| CASES.iter().filter(|(n, _)| sel.matches(n)).count();
    let sel = parse(&["--test-threads", "1", "--format", "pretty", "--color=never"]).unwrap();
    assert_eq!(sel, Selection::default());
    assert_eq!(all(&sel), CASES.len(), "option values are not filters");
    let sel = parse(&["--nocapture", "schema"]).unwrap();
    assert_eq!(all(&sel), 1);
    let sel = parse(&["--skip", "schema"]).unwrap();
    assert_eq!(all(&sel), CASES.len() - 1);
    let sel = parse(&["--exact", "a_schema_newer_than_the_program_is_refused"]).unwrap();
    assert_eq!(all(&sel), 1);
    assert!(
        !parse(&["--exact", "schema"])
            .unwrap()
            .matches("a_schema_newer")
    );
    assert!(parse(&["--list"]).unwrap().list);
    assert_eq!(all(&parse(&["--ignored"]).unwrap()), 0, "none is ignored");
    assert!(parse(&["--test-threads"]).is_err(), "a value is missing");
    assert!(
        parse(&["--frobnicate"]).is_err(),
        "an unknown option is refused"
    );
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let selection = match parse_args(&args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("tests/postgres.rs: {e}");
            return ExitCode::from(101);
        }
    };
    let chosen: Vec<&(&str, Case)> = CASES
        .iter()
        .filter(|(name, _)| selection.matches(name))
        .collect();
    let runner_test = "arguments_are_parsed_as_libtest_does";
    if selection.list {
        if selection.matches(runner_test) {
            println!("{runner_test}: test");
        }
        for (name, _) in &chosen {
            println!("{name}: test");
        }
        return ExitCode::SUCCESS;
    }
    if selection.matches(runner_test) {
        if std::panic::catch_unwind(arguments_are_parsed_as_libtest_does).is_err() {
            println!("test {runner_test} ... FAILED");
            return ExitCode::from(101);
        }
        println!("test {runner_test} ... ok");
    }
    let Some(url) = test_database_url() else {
        println!();
        println!(
            "PostgreSQL half SKIPPED: {DATABASE_URL_VAR} is unset. Not run: these {} tests, and the",
            chosen.len()
        );
        println!(
            "server suite on PostgreSQL (set {DATABASE_URL_VAR}, and {BACKEND_VAR}=postgres; .ci/run does)."
        );
        for (name, _) in &chosen {
            println!("test {name} ... SKIPPED ({DATABASE_URL_VAR} unset)");
        }
        println!();
        return ExitCode::SUCCESS;
    };
    println!();
    println!(
        "running {} PostgreSQL tests on {}",
        chosen.len(),
        redact(&url)
    );
    if backend() != Backend::Postgres {
        println!(
            "note: the server suite runs on SQLite in this pass; on PostgreSQL with {BACKEND_VAR}=postgres"
        );
    }
    let mut failed = Vec::new();
    for (name, case) in &chosen {
        let start = Instant::now();
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap()
                .block_on(case())
        }));
        let secs = start.elapsed().as_secs_f64();
        match result {
            Ok(()) => println!("test {name} ... ok ({secs:.1} s)"),
            Err(_) => {
                println!("test {name} ... FAILED ({secs:.1} s)");
                failed.push(*name);
            }
        }
    }
    println!();
    if failed.is_empty() {
        println!("test result: ok. {} passed; 0 failed", chosen.len());
        ExitCode::SUCCESS
    } else {
        println!(
            "test result: FAILED. {} passed; {} failed: {}",
            chosen.len() - failed.len(),
            failed.len(),
            failed.join(", ")
        );
        ExitCode::from(101)
    }
}

/// A URL without its password, for the log.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if url[s + 3..at].contains(':') => {
            let user_end = s + 3 + url[s + 3..at].find(':').unwrap();
            format!("{}:***{}", &url[..user_end], &url[at..])
        }
        _ => url.to_string(),
    }
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap()
}

async fn get_json(url: &str, token: &str) -> Value {
    let reply = http().get(url).bearer_auth(token).send().await.unwrap();
    assert!(reply.status().is_success(), "{url}: {}", reply.status());
    reply.json().await.unwrap()
}

/// Forwards a point's whole log to a server.
async fn forward(server: &InProcServer, point: &GenPoint, region: &str) -> String {
    let token = register(server.dyn_storage(), point.id.as_str(), region).await;
    let mut f = Forwarder::open(&point.db, &point.id, fast_sync(&server.url, &token))
        .await
        .unwrap();
    let round = f.run_once().await.unwrap();
    assert_eq!(round.pending, 0);
    token
}

/// `qabyldau --db SQLITE server migrate-to --database-url URL`.
fn migrate_cli(sqlite: &Path, url: &str) -> String {
    let out = std::process::Command::new(BIN)
        .arg("--db")
        .arg(sqlite)
        .args(["server", "migrate-to", "--database-url", url])
        .env("HOME", sqlite.parent().unwrap())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "migrate-to failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// What a supervisor sees on a server: reports of several periods and
/// breakdowns, and the points (without the seconds since the last contact,
/// which move with the clock).
async fn supervisor_view(url: &str, token: &str) -> Vec<(String, Value)> {
    let today = qabyldau::server::projection::local_date(Utc::now());
    let periods = [
        ("2025-01-01".to_string(), today.to_string()),
        (
            (today - ChronoDuration::days(40)).to_string(),
            (today - ChronoDuration::days(10)).to_string(),
        ),
        (
            (today - ChronoDuration::days(3)).to_string(),
            (today - ChronoDuration::days(3)).to_string(),
        ),
        (today.to_string(), today.to_string()),
    ];
    let breakdowns = [
        "",
        "&by=category",
        "&by=channel",
        "&by=kind",
        "&by=point",
        "&by=desk",
        "&by=operator",
        "&by=month",
    ];
    let mut out = Vec::new();
    for (from, to) in &periods {
        for by in breakdowns {
            let q = format!("/api/v1/report?from={from}&to={to}{by}");
            out.push((q.clone(), get_json(&format!("{url}{q}"), token).await));
        }
        for filter in [
            "&point=akm-b",
            &format!("&region={}", urlencode(OTHER_REGION)),
        ] {
            let q = format!("/api/v1/report?from={from}&to={to}&by=category{filter}");
            out.push((q.clone(), get_json(&format!("{url}{q}"), token).await));
        }
    }
    let mut points = get_json(&format!("{url}/api/v1/points"), token).await;
    for p in points["points"].as_array_mut().unwrap() {
        p["lag_seconds"] = Value::Null;
    }
    points["generated_at"] = Value::Null;
    out.push(("/api/v1/points".into(), points));
    out
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

const OTHER_REGION: &str = "Алматы облысы";
const EVENTS: u64 = 50_000;

async fn migrate_to_copies_50000_events_with_the_same_figures() {
    // a regional SQLite server, fed by real points through the forwarder
    let dir = tempfile::tempdir().unwrap();
    let sqlite_path = dir.path().join("server.db");
    let sqlite: Arc<dyn Storage> = Arc::new(SqliteStorage::open(&sqlite_path).unwrap());
    let server = InProcServer::start_on(
        Arc::clone(&sqlite),
        tempfile::tempdir().unwrap(),
        Limits::default(),
        "127.0.0.1:0",
    )
    .await;
    let clock = Instant::now();
    let now = Utc::now();
    let (a, b) = (GenPoint::scratch("akm-a"), GenPoint::scratch("akm-b"));
    let (c, e) = (GenPoint::scratch("alm-c"), GenPoint::scratch("akm-e"));
    // two cores: the points are filled side by side
    std::thread::scope(|s| {
        // months of demo history: appeals under control, extended, closed
        // late, sessions, repeated citizens
        let demo = s.spawn(|| {
            for (seed, p) in [&a, &b].into_iter().enumerate() {
                demo::fill(
                    &mut p.store(),
                    &p.ctx(),
                    DemoOptions {
                        days: 60,
                        seed: seed as u64 + 11,
                    },
                    now,
                )
                .unwrap();
            }
        });
        // the rest: busy points, today's queue included
        let busy = move |p: &GenPoint, n: u64, seed: u64| {
            p.generate(
                n,
                seed,
                now - ChronoDuration::seconds(n as i64 * 2),
                ChronoDuration::seconds(2),
            )
        };
        let c_ref = &c;
        let c_done = s.spawn(move || busy(c_ref, 20_000, 3));
        demo.join().unwrap();
        let rest = EVENTS.saturating_sub(a.last_seq() + b.last_seq() + 20_000);
        busy(&e, rest.max(1_000), 4);
        c_done.join().unwrap();
    });
    let total = a.last_seq() + b.last_seq() + c.last_seq() + e.last_seq();
    assert!(total >= EVENTS, "{total} events");
    eprintln!("{total} events generated in {:?}", clock.elapsed());
    let (_, _, c_token, _) = futures::join!(
        forward(&server, &a, REGION),
        forward(&server, &b, REGION),
        forward(&server, &c, OTHER_REGION),
        forward(&server, &e, REGION),
    );
    // a point that never sent anything, revoked; a supervisor of all regions
    register(server.dyn_storage(), "akm-d", REGION).await;
    server
        .storage
        .revoke_point(
            qabyldau::domain::PointId::parse("akm-d").unwrap(),
            Utc::now(),
        )
        .await
        .unwrap();
    let national = register_supervisor(server.dyn_storage(), "nation", "*").await;
    // a changed event offered under a known seq: the point is flagged and
    // the conflict kept
    let mut changed = qabyldau::store::events::after(c.store().conn(), 0, 1).unwrap();
    changed[0].actor = "someone-else".into();
    let reply = http()
        .post(format!("{}/api/v1/events", server.url))
        .bearer_auth(&c_token)
        .json(&serde_json::json!({ "events": changed }))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status().as_u16(), 409);
    let before = supervisor_view(&server.url, &national).await;
    assert!(
        before[0].1["appeals"]["received"].as_u64().unwrap() > 1000,
        "a data set worth comparing"
    );

    eprintln!("forwarded in {:?}", clock.elapsed());
    // A: one run of the real command, while the SQLite server still runs
    let whole = FreshPg::create().await;
    let out = migrate_cli(&sqlite_path, &whole.url);
    assert!(
        out.contains(&format!("alm-c: {} events copied", c.last_seq())),
        "{out}"
    );
    assert!(
        out.contains("Done: 5 points, 1 supervisors") && out.contains("Verified"),
        "{out}"
    );
    eprintln!("migrated in {:?}", clock.elapsed());
    // again: nothing more to copy, and still verified
    let again = migrate_cli(&sqlite_path, &whole.url);
    assert!(again.contains("akm-a: 0 events copied after"), "{again}");
    assert!(again.contains("(0 copied now)"), "{again}");

    // B: interrupted inside the second point, then resumed by the command
    let resumed = FreshPg::create().await;
    let target = PostgresStorage::connect(&resumed.url).await.unwrap();
    let stop = a.last_seq() + 1_234;
    let partial = migrate::migrate(
        &sqlite_path,
        &target,
        Options {
            batch_events: 1000,
            stop_after_events: Some(stop),
        },
        |_| {},
    )
    .await
    .unwrap();
    assert!(!partial.complete);
    assert_eq!(partial.copied(), stop);
    assert_eq!(target.acked_seq("akm-a").await.unwrap(), a.last_seq());
    assert_eq!(target.acked_seq("akm-b").await.unwrap(), 1_234);
    assert_eq!(target.acked_seq("alm-c").await.unwrap(), 0);
    drop(target);
    let out = migrate_cli(&sqlite_path, &resumed.url);
    assert!(
        out.contains(&format!(
            "akm-b: {} events copied after the 1234 copied before",
            b.last_seq() - 1_234
        )),
        "{out}"
    );

    // C: the real command killed (SIGKILL) while copying, then run again
    let killed = FreshPg::create().await;
    let mut child = std::process::Command::new(BIN)
        .arg("--db")
        .arg(&sqlite_path)
        .args([
            "server",
            "migrate-to",
            "--batch-events",
            "500",
            "--database-url",
            &killed.url,
        ])
        .env("HOME", dir.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.starts_with("akm-a:") {
        line.clear();
        assert!(
            std::io::BufRead::read_line(&mut lines, &mut line).unwrap() > 0,
            "migrate-to ended before copying akm-a"
        );
    }
    unsafe {
        libc::kill(child.id() as i32, libc::SIGKILL);
    }
    child.wait().unwrap();
    let target = PostgresStorage::connect(&killed.url).await.unwrap();
    let held_c = target.acked_seq("alm-c").await.unwrap();
    drop(target);
    assert!(held_c < c.last_seq(), "killed before the end");
    let out = migrate_cli(&sqlite_path, &killed.url);
    assert!(out.contains("Verified"), "{out}");
    server.stop().await;
    eprintln!(
        "migrated again, interrupted, resumed, killed and resumed in {:?}",
        clock.elapsed()
    );

    // every copy: the same figures, the same points, the same logs
    for copy in [&whole, &resumed, &killed] {
        let pg: Arc<dyn Storage> = Arc::new(PostgresStorage::connect(&copy.url).await.unwrap());
        let on_pg = InProcServer::start_on(
            Arc::clone(&pg),
            tempfile::tempdir().unwrap(),
            Limits::default(),
            "127.0.0.1:0",
        )
        .await;
        let after = supervisor_view(&on_pg.url, &national).await;
        assert_eq!(after.len(), before.len());
        for ((q, theirs), (_, ours)) in before.iter().zip(&after) {
            assert_eq!(ours, theirs, "{q} differs on PostgreSQL");
        }
        for p in [&a, &b, &c, &e] {
            assert_same_log(pg.as_ref(), p).await;
        }
        // the points' tokens were copied as hashes: the points go on
        // syncing to the new server
        let cursor: Value = get_json(&format!("{}/api/v1/cursor", on_pg.url), &c_token).await;
        assert_eq!(cursor["acked_through"].as_u64(), Some(c.last_seq()));
        assert_eq!(cursor["flagged"], Value::Bool(true));
        on_pg.stop().await;
    }
}

/// A PostgreSQL database a server of schema 1 left (its points with no
/// zone) is migrated: its points are on the region's zone.
async fn a_version_1_database_gains_the_points_zones() {
    let db = FreshPg::create().await;
    let client = db.client().await;
    client
        .batch_execute(include_str!(
            "../src/server/storage/migrations/postgres/0001_server.sql"
        ))
        .await
        .unwrap();
    client
        .batch_execute(
            "CREATE TABLE qabyldau_schema (version integer PRIMARY KEY,
                 applied_at timestamptz NOT NULL DEFAULT now());
             INSERT INTO qabyldau_schema (version) VALUES (1);
             INSERT INTO points (id, name, region, kind, token_hash, created_at)
             VALUES ('akm-old', 'Old', 'r', 'office', 'h', now())",
        )
        .await
        .unwrap();
    drop(client);
    let pg = PostgresStorage::connect(&db.url).await.unwrap();
    let points = pg.list_points().await.unwrap();
    assert_eq!(points.len(), 1);
    assert_eq!(points[0].timezone, "Asia/Almaty");
}

/// `migrate-to` copies each point's zone: a point in Asia/Tokyo has the
/// same days on PostgreSQL, and a SQLite server of schema 1 (never opened
/// by this version, so without zones) gives points on the region's zone.
async fn migrate_to_carries_each_points_zone() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite_path = dir.path().join("server.db");
    let sqlite: Arc<dyn Storage> = Arc::new(SqliteStorage::open(&sqlite_path).unwrap());
    let server = InProcServer::start_on(
        Arc::clone(&sqlite),
        tempfile::tempdir().unwrap(),
        Limits::default(),
        "127.0.0.1:0",
    )
    .await;
    // on both sides of Tokyo's midnight (15:00 UTC), all on the 2nd in Almaty
    let tokyo = GenPoint::in_zone("akm-tokyo", "Asia/Tokyo");
    let start = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 3, 2, 13, 0, 0).unwrap();
    tokyo.generate(200, 31, start, ChronoDuration::minutes(1));
    let token = register(server.dyn_storage(), tokyo.id.as_str(), REGION).await;
    let mut f = Forwarder::open(&tokyo.db, &tokyo.id, tokyo.sync_config(&server.url, &token))
        .await
        .unwrap();
    assert_eq!(f.run_once().await.unwrap().pending, 0);
    drop(f);
    let supervisor = register_supervisor(server.dyn_storage(), "anna", REGION).await;
    let report = |url: String, day: &str| {
        let token = supervisor.clone();
        let day = day.to_string();
        async move {
            get_json(
                &format!("{url}/api/v1/report?from={day}&to={day}&point=akm-tokyo"),
                &token,
            )
            .await
        }
    };
    let before = [
        report(server.url.clone(), "2026-03-02").await,
        report(server.url.clone(), "2026-03-03").await,
    ];
    assert!(before[1]["appeals"]["received"].as_u64().unwrap() > 0);
    server.stop().await;
    drop(sqlite);

    let db = FreshPg::create().await;
    let out = migrate_cli(&sqlite_path, &db.url);
    assert!(out.contains("akm-tokyo: 200 events copied"), "{out}");
    let pg: Arc<dyn Storage> = Arc::new(PostgresStorage::connect(&db.url).await.unwrap());
    let points = pg.list_points().await.unwrap();
    assert_eq!(points[0].timezone, "Asia/Tokyo");
    let on_pg = InProcServer::start_on(
        Arc::clone(&pg),
        tempfile::tempdir().unwrap(),
        Limits::default(),
        "127.0.0.1:0",
    )
    .await;
    let after = [
        report(on_pg.url.clone(), "2026-03-02").await,
        report(on_pg.url.clone(), "2026-03-03").await,
    ];
    assert_eq!(after, before);
    // 17:00 UTC is 02:00 on the 3rd in Tokyo: the board's today there
    let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 3, 2, 17, 0, 0).unwrap();
    let queue = pg.queue(tokyo.id.clone(), at).await.unwrap();
    assert_eq!(queue.service_date.to_string(), "2026-03-03");
    assert!(queue.issued > 0);
    on_pg.stop().await;

    // a server database of schema 1, never opened since points had zones
    let old = dir.path().join("old.db");
    let c = rusqlite::Connection::open(&old).unwrap();
    c.execute_batch(include_str!(
        "../src/server/storage/migrations/sqlite/0001_server.sql"
    ))
    .unwrap();
    c.pragma_update(
        None,
        "application_id",
        qabyldau::server::storage::sqlite::APPLICATION_ID,
    )
    .unwrap();
    c.pragma_update(None, "user_version", 1).unwrap();
    c.execute(
        "INSERT INTO points (id, name, region, kind, token_hash, created_at)
         VALUES ('akm-old', 'Old', 'r', 'office', 'h', '2026-01-01T00:00:00.000Z')",
        [],
    )
    .unwrap();
    drop(c);
    let db = FreshPg::create().await;
    let target = PostgresStorage::connect(&db.url).await.unwrap();
    let done = migrate::migrate(&old, &target, Options::default(), |_| {})
        .await
        .unwrap();
    assert!(done.complete);
    let points = target.list_points().await.unwrap();
    assert_eq!(
        (points[0].id.as_str(), points[0].timezone.as_str()),
        ("akm-old", "Asia/Almaty")
    );
}

/// The way back survives the move to PostgreSQL: the region's decisions
/// (in the point's region log and in the server's appeals), the point's
/// acknowledgement and the region's staff with their PINs. Without the
/// copy a point that had applied decision 2 would skip the new server's
/// decisions 1 and 2 as already applied.
async fn migrate_to_carries_the_region_log_and_staff() {
    use qabyldau::domain::event::LoginResult;
    use qabyldau::server::region::{self, DecisionRequest};
    let dir = tempfile::tempdir().unwrap();
    let sqlite_path = dir.path().join("server.db");
    let sqlite: Arc<dyn Storage> = Arc::new(SqliteStorage::open(&sqlite_path).unwrap());
    let server = InProcServer::start_on(
        Arc::clone(&sqlite),
        tempfile::tempdir().unwrap(),
        Limits::default(),
        "127.0.0.1:0",
    )
    .await;
    let point = GenPoint::new("akm-1");
    point.generate(
        80,
        41,
        Utc::now() - ChronoDuration::hours(3),
        ChronoDuration::minutes(1),
    );
    let token = forward(&server, &point, REGION).await;
    let staff = controller(sqlite.as_ref(), "ctrl", REGION).await;
    let number: String = point
        .sqlite()
        .query_row(
            "SELECT year || '-' || printf('%05d', number) FROM appeals
             WHERE outcome IN ('registered', 'under_consideration') LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    region::decide(
        sqlite.as_ref(),
        &staff,
        DecisionRequest {
            appeal: qabyldau::domain::FullAppealNo::parse_at(&number, &point.id).unwrap(),
            outcome: qabyldau::domain::Outcome::Declined,
            body: None,
            answer: None,
        },
        Utc::now(),
    )
    .await
    .unwrap();
    region::campaign(sqlite.as_ref(), true, None, Utc::now())
        .await
        .unwrap();
    // the point applies both; the decision's echo stays unsent, so only
    // the region log knows it
    let mut f = Forwarder::open(&point.db, &point.id, fast_sync(&server.url, &token))
        .await
        .unwrap();
    assert_eq!(f.pull_region().await.unwrap().through, 2);
    drop(f);
    server.stop().await;
    drop(sqlite);

    let db = FreshPg::create().await;
    let out = migrate_cli(&sqlite_path, &db.url);
    assert!(out.contains("Verified"), "{out}");
    // a second run copies nothing twice
    let again = migrate_cli(&sqlite_path, &db.url);
    assert!(again.contains("Verified"), "{again}");
    let pg: Arc<dyn Storage> = Arc::new(PostgresStorage::connect(&db.url).await.unwrap());
    // the decision is in the copy's appeals, though its echo never came
    let facts: String = db
        .client()
        .await
        .query_one(
            "SELECT outcome FROM appeals WHERE point_id = 'akm-1' AND number = $1",
            &[&number],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(facts, "declined");
    // the point's acknowledgement and the log go on from 2
    let batch = pg.region_events(point.id.clone(), 2, 100).await.unwrap();
    assert_eq!((batch.events.len(), batch.head), (0, 2));
    let next = region::campaign(pg.as_ref(), false, None, Utc::now())
        .await
        .unwrap();
    assert_eq!(next.len(), 1);
    assert_eq!(
        pg.region_events(point.id.clone(), 2, 100)
            .await
            .unwrap()
            .events[0]
            .rseq,
        3
    );
    // the staff log in at the copy with the same PIN
    let staff = region::log_in(pg.as_ref(), "ctrl", "2468", Utc::now())
        .await
        .unwrap();
    assert_eq!(staff.name, "Айгүл Садырбаева");
    let attempts: i64 = db
        .client()
        .await
        .query_one(
            "SELECT COUNT(*) FROM staff_attempts WHERE result = $1",
            &[&qabyldau::server::storage::region::login_result(
                LoginResult::Ok,
            )],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(attempts, 2, "the source's attempt and this one");
    assert_eq!(
        pg.region_events(point.id.clone(), 0, 100)
            .await
            .unwrap()
            .events
            .len(),
        3
    );
}

async fn a_schema_newer_than_the_program_is_refused() {
    let db = FreshPg::create().await;
    drop(PostgresStorage::connect(&db.url).await.unwrap());
    db.client()
        .await
        .execute("INSERT INTO qabyldau_schema (version) VALUES (99)", &[])
        .await
        .unwrap();
    let err = PostgresStorage::connect(&db.url)
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("newer qabyldau (schema 99"), "{err}");
    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(BIN)
        .args(["server", "--database-url", &db.url, "point", "list"])
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("made by a newer qabyldau (schema 99, this program knows up to"),
        "{stderr}"
    );
    // a database of another program is refused, not mixed into
    let other = FreshPg::create().await;
    other
        .client()
        .await
        .batch_execute("CREATE TABLE points (x integer)")
        .await
        .unwrap();
    let err = PostgresStorage::connect(&other.url)
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("another program"), "{err}");
}

async fn server_commands_work_on_postgresql() {
    let db = FreshPg::create().await;
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str], env_url: bool| {
        let mut c = std::process::Command::new(BIN);
        c.arg("server");
        if env_url {
            c.env("QABYLDAU_DATABASE_URL", &db.url);
        } else {
            c.args(["--database-url", &db.url]);
        }
        let out = c.args(args).env("HOME", home.path()).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let token = run(
        &[
            "point",
            "add",
            "akm-1",
            "--name",
            "Көкшетау",
            "--region",
            REGION,
            "--kind",
            "office",
        ],
        false,
    );
    assert!(token.trim().starts_with("qbl_"));
    // the URL from the environment, and after the subcommand
    run(&["supervisor", "add", "Анна", "--region", REGION], true);
    run(&["point", "revoke", "akm-1"], true);
    let list: Value = serde_json::from_str(&run(&["point", "list", "--json"], true)).unwrap();
    assert_eq!(list[0]["id"], "akm-1");
    assert!(list[0]["revoked_at"].is_string());
    let fresh = run(&["point", "new-token", "akm-1"], true);
    let sups: Value = serde_json::from_str(&run(&["supervisor", "list", "--json"], false)).unwrap();
    assert_eq!(sups[0]["name"], "Анна");
    // the database holds the hashes only
    let c = db.client().await;
    let row = c
        .query_one("SELECT token_hash, revoked_at IS NULL FROM points", &[])
        .await
        .unwrap();
    assert_eq!(
        row.get::<_, String>(0),
        qabyldau::server::auth::hash_token(fresh.trim())
    );
    assert!(row.get::<_, bool>(1), "a new token lifts the revocation");
    run(&["point", "clear-flag", "akm-1"], true);
    let table = run(&["point", "list"], false);
    assert!(
        table.contains("akm-1") && table.contains("Көкшетау"),
        "{table}"
    );
}
