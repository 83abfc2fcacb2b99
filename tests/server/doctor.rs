//! An admin's first commands on a new machine (issue 19.4): `config init`
//! writes a config that works, and `doctor` says in plain words what is
//! wrong: a database that is damaged, a token the server does not know, a
//! clock minutes off the server's. The real binary against a real server
//! (and, for the clock, a server that answers with a time of its own).

use crate::sync_support::*;
use chrono::{Duration as ChronoDuration, Utc};
use serde_json::Value;

fn doctor(point: &GenPoint) -> (bool, Vec<Value>) {
    let out = point.cmd(&["doctor", "--json"]).output().unwrap();
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", output_text(&out)));
    (out.status.success(), findings)
}

fn finding<'a>(findings: &'a [Value], check: &str) -> &'a Value {
    findings
        .iter()
        .find(|f| f["check"] == check)
        .unwrap_or_else(|| panic!("no {check} finding in {findings:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_finds_a_healthy_point_healthy_and_names_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let db = ServerDb::new(dir.path()).await;
    let server = ServerProc::start_db(&db, "127.0.0.1:0");
    let token = db.add_point("akm-1", REGION);
    let point = GenPoint::with_server("akm-1", Some((&server.url, &token)));
    point.generate(
        30,
        5,
        Utc::now() - ChronoDuration::hours(1),
        ChronoDuration::seconds(30),
    );
    let out = point.cmd(&["sync"]).output().unwrap();
    assert!(out.status.success(), "{}", output_text(&out));

    let (healthy, findings) = doctor(&point);
    for f in &findings {
        assert_eq!(f["verdict"], "ok", "{f}");
    }
    assert!(healthy);
    for check in [
        "config", "database", "disk", "log", "sync", "server", "clock",
    ] {
        finding(&findings, check);
    }
    assert!(
        finding(&findings, "server")["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("up to {}", point.last_seq()))
    );

    // a token the server does not know
    let wrong = GenPoint::with_server("akm-1", Some((&server.url, "qbl_not_a_token")));
    std::fs::copy(&point.db, &wrong.db).unwrap();
    let (healthy, findings) = doctor(&wrong);
    assert!(!healthy);
    let said = finding(&findings, "server");
    assert_eq!(said["verdict"], "problem");
    assert!(said["detail"].as_str().unwrap().contains("token"), "{said}");

    // a damaged database: pages in the middle overwritten
    let mut bytes = std::fs::read(&wrong.db).unwrap();
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 4096] {
        *b = 0x5a;
    }
    std::fs::write(&wrong.db, bytes).unwrap();
    let (healthy, findings) = doctor(&wrong);
    assert!(!healthy);
    let said = finding(&findings, "database");
    assert_eq!(said["verdict"], "problem", "{said}");
    assert!(
        said["detail"].as_str().unwrap().contains("damaged"),
        "{said}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clock_minutes_off_the_servers_is_a_problem() {
    use axum::http::{HeaderMap, header};
    // a server whose clock is seven minutes ahead of this machine's
    let ahead = axum::Router::new().fallback(|| async {
        let mut h = HeaderMap::new();
        let theirs = Utc::now() + ChronoDuration::minutes(7);
        h.insert(
            header::DATE,
            theirs
                .format("%a, %d %b %Y %H:%M:%S GMT")
                .to_string()
                .parse()
                .unwrap(),
        );
        (
            h,
            axum::Json(
                serde_json::json!({"point_id": "akm-2", "acked_through": 0, "flagged": false}),
            ),
        )
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, ahead).await.unwrap() });

    // a config as `config init` writes it, filled in by the admin
    let point = GenPoint::new("akm-2");
    std::fs::remove_file(&point.config).ok();
    let out = point
        .cmd(&["config", "init", point.config.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", output_text(&out));
    let written = std::fs::read_to_string(&point.config).unwrap();
    assert!(written.contains("# "), "the config is commented");
    // a second init replaces nothing
    let again = point
        .cmd(&["config", "init", point.config.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(output_text(&again).contains("nothing was written"));
    assert_eq!(std::fs::read_to_string(&point.config).unwrap(), written);
    std::fs::write(
        &point.config,
        written.replacen("id = \"point-1\"", "id = \"akm-2\"", 1)
            + &format!("\n[server]\nurl = \"{url}\"\ntoken = \"qbl_x\"\n"),
    )
    .unwrap();
    point.generate(
        5,
        1,
        Utc::now() - ChronoDuration::hours(1),
        ChronoDuration::seconds(30),
    );

    let (healthy, findings) = doctor(&point);
    assert_eq!(finding(&findings, "config")["verdict"], "ok");
    assert_eq!(finding(&findings, "server")["verdict"], "ok");
    let said = finding(&findings, "clock");
    assert_eq!(said["verdict"], "problem", "{said}");
    let detail = said["detail"].as_str().unwrap();
    assert!(detail.contains("behind the server's"), "{detail}");
    let secs: i64 = detail
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .unwrap();
    assert!((415..=425).contains(&secs), "{detail}");
    assert!(!healthy, "a clock minutes off fails the doctor");
}
