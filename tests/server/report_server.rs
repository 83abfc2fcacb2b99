//! The regional server's report is the point's own report: the same
//! figures (docs/REPORTS.md), for past periods too, where appeals changed
//! after the period ended, and for every breakdown.

use crate::sync_support::*;
use chrono::{NaiveDate, TimeZone, Utc};
use qabyldau::app;
use qabyldau::app::demo::{self, DemoOptions};
use qabyldau::domain::report::GroupBy;
use qabyldau::sync::Forwarder;
use serde_json::Value;
use std::time::Duration;

async fn get(url: &str, token: &str) -> Value {
    let reply = reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .timeout(Duration::from_secs(60))
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success(), "{url}: {}", reply.status());
    reply.json().await.unwrap()
}

fn by_name(by: Option<GroupBy>) -> String {
    by.map(|b| format!("&by={}", serde_json::to_value(b).unwrap().as_str().unwrap()))
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_reports_what_the_points_report() {
    let server = InProcServer::start().await;
    // weeks of demo history at two points, up to a moment in the past
    let now = Utc.with_ymd_and_hms(2026, 3, 4, 8, 30, 0).unwrap();
    let points = [GenPoint::new("akm-a"), GenPoint::new("akm-b")];
    for (seed, p) in points.iter().enumerate() {
        let mut store = p.store();
        demo::fill(
            &mut store,
            &p.ctx(),
            DemoOptions {
                days: 30,
                seed: seed as u64 + 5,
            },
            now,
        )
        .unwrap();
        let token = register(server.dyn_storage(), p.id.as_str(), REGION).await;
        let mut f = Forwarder::open(&p.db, &p.id, fast_sync(&server.url, &token))
            .await
            .unwrap();
        let round = f.run_once().await.unwrap();
        assert_eq!(round.pending, 0);
    }
    let supervisor = register_supervisor(server.dyn_storage(), "anna", REGION).await;
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let periods = [
        ("2026-01-15", "2026-03-03"),
        ("2026-02-01", "2026-02-27"),
        ("2026-03-02", "2026-03-02"),
    ];
    let breakdowns = [
        None,
        Some(GroupBy::Category),
        Some(GroupBy::Operator),
        Some(GroupBy::Month),
    ];
    for (from, to) in periods {
        let mut region_received = 0;
        for p in &points {
            let (store, ctx) = (p.store(), p.ctx());
            for by in breakdowns {
                let mine = app::report::local(&store, &ctx, d(from), d(to), by, now).unwrap();
                let url = format!(
                    "{}/api/v1/report?from={from}&to={to}&point={}{}",
                    server.url,
                    p.id,
                    by_name(by)
                );
                let theirs = get(&url, &supervisor).await;
                assert_eq!(
                    theirs,
                    serde_json::to_value(&mine).unwrap(),
                    "{} {from}..{to} by {by:?}",
                    p.id
                );
                if by.is_none() {
                    region_received += mine.appeals.received;
                    // the data set is not trivial
                    if from == "2026-01-15" {
                        assert!(
                            mine.appeals.received > 100 && mine.control.taken_under_control > 0
                        );
                        assert!(mine.appeals.repeated > 0 && mine.tickets.served > 0);
                    }
                }
            }
        }
        let region = get(
            &format!("{}/api/v1/report?from={from}&to={to}&by=point", server.url),
            &supervisor,
        )
        .await;
        assert_eq!(
            region["appeals"]["received"], region_received,
            "{from}..{to}"
        );
        assert_eq!(region["groups"].as_array().unwrap().len(), 2);
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_command_asks_the_server_and_prints_the_same() {
    let server = InProcServer::start().await;
    let now = Utc.with_ymd_and_hms(2026, 3, 4, 8, 30, 0).unwrap();
    let p = GenPoint::new("akm-c");
    demo::fill(
        &mut p.store(),
        &p.ctx(),
        DemoOptions { days: 10, seed: 9 },
        now,
    )
    .unwrap();
    let token = register(server.dyn_storage(), p.id.as_str(), REGION).await;
    let mut f = Forwarder::open(&p.db, &p.id, fast_sync(&server.url, &token))
        .await
        .unwrap();
    assert_eq!(f.run_once().await.unwrap().pending, 0);

    let run = |args: Vec<String>| {
        let out = p
            .cmd(&args.iter().map(String::as_str).collect::<Vec<_>>())
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let period = [
        "report",
        "--from",
        "2026-02-20",
        "--to",
        "2026-03-03",
        "--by",
        "channel",
    ]
    .map(String::from);
    let (ok, local, err) = run([&period[..], &["--format".into(), "json".into()]].concat());
    assert!(ok, "{err}");
    let remote_args = [
        &period[..],
        &[
            "--format".into(),
            "json".into(),
            "--server".into(),
            server.url.clone(),
            "--token".into(),
            token.clone(),
        ],
    ]
    .concat();
    let (ok, remote, err) = tokio::task::spawn_blocking(move || run_owned(remote_args))
        .await
        .unwrap();
    assert!(ok, "{err}");
    let mut local: Value = serde_json::from_str(&local).unwrap();
    // the point adds its own count of erased citizens, which the server
    // does not keep; every other figure is the same
    assert_eq!(
        local["erasures"],
        serde_json::json!({"for_age": 0, "on_request": 0})
    );
    local.as_object_mut().unwrap().remove("erasures");
    assert_eq!(serde_json::from_str::<Value>(&remote).unwrap(), local);
    assert!(local["appeals"]["received"].as_u64().unwrap() > 20);

    // a wrong token: a clear refusal, nothing printed as figures
    let bad = [
        &period[..],
        &[
            "--server".into(),
            server.url.clone(),
            "--token".into(),
            "qbl_forged".into(),
        ],
    ]
    .concat();
    let (ok, out, err) = tokio::task::spawn_blocking(move || run_owned(bad))
        .await
        .unwrap();
    assert!(!ok && out.is_empty(), "{out}");
    assert!(err.contains("401"), "{err}");
    server.stop().await;

    fn run_owned(args: Vec<String>) -> (bool, String, String) {
        let out = std::process::Command::new(BIN)
            .args(&args)
            .env("HOME", std::env::temp_dir())
            .env("QABYLDAU_CONFIG", "/nonexistent/qabyldau.toml")
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    }
}

/// A point in another zone than the region's (Asia/Tokyo, UTC+9, against
/// Almaty's UTC+5) counts its own days at the server too: what it recorded
/// after its local midnight, which is still the evening before in Almaty,
/// is on its next day in the server's report, as in its own; a region's
/// report adds up the points' own days; the board's "today" for the point
/// is its own today.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_point_in_another_zone_counts_its_own_days() {
    use chrono::Duration as ChronoDuration;
    use qabyldau::server::storage::Scope;
    let server = InProcServer::start().await;
    let tokyo = GenPoint::in_zone("akm-tokyo", "Asia/Tokyo");
    let home = GenPoint::new("akm-home");
    // 21:00 on 2 March in Tokyo to 02:00 on the 3rd (12:00 to 17:00 UTC,
    // 17:00 to 22:00 of the 2nd in Almaty): tickets, appeals and outcomes
    // on both sides of Tokyo's midnight
    let start = Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap();
    tokyo.generate(300, 21, start, ChronoDuration::minutes(1));
    home.generate(120, 22, start, ChronoDuration::minutes(2));
    // Tokyo by the real `qabyldau sync`, which reads the zone from the
    // point's config; the other by the forwarder of the screens
    let token = register(server.dyn_storage(), tokyo.id.as_str(), REGION).await;
    let mut sync = tokyo.cmd(&["sync", "--server", &server.url, "--token", &token]);
    let out = tokio::task::spawn_blocking(move || sync.output().unwrap())
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = register(server.dyn_storage(), home.id.as_str(), REGION).await;
    let mut f = Forwarder::open(&home.db, &home.id, home.sync_config(&server.url, &token))
        .await
        .unwrap();
    assert_eq!(f.run_once().await.unwrap().pending, 0);
    let listed = server.storage.list_points().await.unwrap();
    let zone = |id: &str| listed.iter().find(|p| p.id == id).unwrap().timezone.clone();
    assert_eq!(zone("akm-tokyo"), "Asia/Tokyo");
    assert_eq!(zone("akm-home"), "Asia/Almaty");

    let supervisor = register_supervisor(server.dyn_storage(), "anna", REGION).await;
    let now = Utc::now();
    let periods = [
        ("2026-03-02", "2026-03-02"),
        ("2026-03-03", "2026-03-03"),
        ("2026-03-01", "2026-03-03"),
    ];
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let mut tokyo_days = Vec::new();
    for (from, to) in periods {
        let mut received = 0;
        let mut issued = 0;
        for p in [&tokyo, &home] {
            for by in [None, Some(GroupBy::Category), Some(GroupBy::Month)] {
                let mine =
                    app::report::local(&p.store(), &p.ctx(), d(from), d(to), by, now).unwrap();
                let url = format!(
                    "{}/api/v1/report?from={from}&to={to}&point={}{}",
                    server.url,
                    p.id,
                    by_name(by)
                );
                let theirs = get(&url, &supervisor).await;
                assert_eq!(
                    theirs,
                    serde_json::to_value(&mine).unwrap(),
                    "{} {from}..{to} by {by:?}",
                    p.id
                );
                if by.is_none() {
                    received += mine.appeals.received;
                    issued += mine.tickets.issued;
                    if p.id.as_str() == "akm-tokyo" {
                        tokyo_days.push((mine.appeals.received, mine.tickets.issued));
                    }
                }
            }
        }
        // several zones in one report: each point's own days, added up
        let region = get(
            &format!("{}/api/v1/report?from={from}&to={to}&by=point", server.url),
            &supervisor,
        )
        .await;
        assert_eq!(region["appeals"]["received"], received, "{from}..{to}");
        assert_eq!(region["tickets"]["issued"], issued, "{from}..{to}");
    }
    // Tokyo's history is split by its own midnight, and whole over the
    // three days
    let [(a2, t2), (a3, t3), (all, tall)] = tokyo_days[..] else {
        panic!("{tokyo_days:?}")
    };
    assert!(a2 > 0 && a3 > 0 && t2 > 0 && t3 > 0, "{tokyo_days:?}");
    assert_eq!((a2 + a3, t2 + t3), (all, tall));

    // 17:30 UTC: already 02:30 on the 3rd in Tokyo, 22:30 on the 2nd in
    // Almaty; each board shows its point's own day
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 17, 30, 0).unwrap();
    for (p, today) in [(&tokyo, "2026-03-03"), (&home, "2026-03-02")] {
        let count = |states: &str| -> u64 {
            p.sqlite()
                .query_row(
                    &format!(
                        "SELECT COUNT(*) FROM tickets WHERE service_date = ?1 AND state IN ({states})"
                    ),
                    [today],
                    |r| r.get::<_, i64>(0),
                )
                .unwrap() as u64
        };
        let all = "'waiting', 'called', 'serving', 'done', 'no_show', 'cancelled'";
        let scope = Scope {
            region: None,
            point: Some(p.id.clone()),
        };
        let views = server.storage.points(scope, at).await.unwrap();
        let queue = server.storage.queue(p.id.clone(), at).await.unwrap();
        assert_eq!(views[0].queue, queue);
        assert_eq!(queue.service_date, d(today), "{}", p.id);
        assert_eq!(
            (
                queue.issued,
                queue.served,
                queue.waiting.len() as u64,
                queue.now_serving.len() as u64
            ),
            (
                count(all),
                count("'done'"),
                count("'waiting'"),
                count("'called', 'serving'")
            ),
            "{}",
            p.id
        );
        assert!(queue.issued > 0, "{}", p.id);
    }
    server.stop().await;
}
