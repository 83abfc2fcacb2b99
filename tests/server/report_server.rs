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
    let local: Value = serde_json::from_str(&local).unwrap();
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
