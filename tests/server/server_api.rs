//! API v1 over real HTTP on 127.0.0.1 (the server in process): what is
//! stored, what is refused and how precisely, who may read what, the live
//! stream. Events are real: made by the kiosk's use cases at a point.

use crate::sync_support::*;
use chrono::{Duration as ChronoDuration, Utc};
use qabyldau::domain::EventRecord;
use qabyldau::server::Limits;
use qabyldau::store::events;
use serde_json::{Value, json};
use std::time::Duration;

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

async fn push_raw(url: &str, token: &str, body: Vec<u8>) -> (u16, Value) {
    let resp = http()
        .post(format!("{url}/api/v1/events"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text:?}"));
    (status, body)
}

async fn push(url: &str, token: &str, events: &[EventRecord]) -> (u16, Value) {
    push_raw(
        url,
        token,
        serde_json::to_vec(&json!({ "events": events })).unwrap(),
    )
    .await
}

async fn get(url: &str, path: &str, token: &str) -> (u16, Value) {
    let resp = http()
        .get(format!("{url}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

fn log_of(point: &GenPoint) -> Vec<EventRecord> {
    events::after(point.store().conn(), 0, 100_000).unwrap()
}

/// A point with `n` real events.
fn point_with(id: &str, n: u64) -> GenPoint {
    let p = GenPoint::new(id);
    // within the point's today, also just after Almaty's midnight (the
    // queue shown is today's)
    let now = Utc::now();
    let midnight = now
        .with_timezone(&chrono_tz::Asia::Almaty)
        .date_naive()
        .and_hms_opt(0, 0, 1)
        .unwrap()
        .and_local_timezone(chrono_tz::Asia::Almaty)
        .unwrap()
        .with_timezone(&Utc);
    p.generate(
        n,
        42,
        (now - ChronoDuration::minutes(30)).max(midnight),
        ChronoDuration::seconds(1),
    );
    p
}

async fn held(server: &InProcServer, id: &str) -> usize {
    server
        .storage
        .events(qabyldau::domain::PointId::parse(id).unwrap(), 0, 1_000_000)
        .await
        .unwrap()
        .len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resend_is_harmless_and_the_reply_names_the_contiguous_end() {
    let server = InProcServer::start().await;
    let token = register(server.dyn_storage(), "p1", REGION).await;
    let point = point_with("p1", 30);
    let log = log_of(&point);

    let (s, r) = push(&server.url, &token, &log[0..10]).await;
    assert_eq!(
        (s, &r),
        (
            200,
            &json!({"acked_through": 10, "stored": 10, "duplicates": 0})
        )
    );
    let (s, r) = push(&server.url, &token, &log[0..10]).await;
    assert_eq!(
        (s, &r),
        (
            200,
            &json!({"acked_through": 10, "stored": 0, "duplicates": 10})
        )
    );
    let (s, r) = push(&server.url, &token, &log[4..15]).await;
    assert_eq!(
        (s, &r),
        (
            200,
            &json!({"acked_through": 15, "stored": 5, "duplicates": 6})
        )
    );
    let (s, r) = push(&server.url, &token, &[]).await;
    assert_eq!((s, r["acked_through"].as_u64()), (200, Some(15)));
    let (s, c) = get(&server.url, "/api/v1/cursor", &token).await;
    assert_eq!(
        (s, &c),
        (
            200,
            &json!({"point_id": "p1", "acked_through": 15, "flagged": false})
        )
    );
    let (_, r) = push(&server.url, &token, &log[15..]).await;
    assert_eq!(r["acked_through"].as_u64(), Some(30));
    assert_same_log(server.dyn_storage(), &point).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_refusal_is_precise_and_stores_nothing() {
    let limits = Limits {
        max_body_bytes: 64 * 1024,
        max_batch_events: 40,
        ..Limits::default()
    };
    let server = InProcServer::start_with(limits).await;
    let storage = server.dyn_storage();
    let token = register(storage, "p1", REGION).await;
    let other_token = register(storage, "p2", REGION).await;
    let supervisor = register_supervisor(storage, "anna", REGION).await;
    let revoked = register(storage, "p3", REGION).await;
    storage
        .revoke_point(qabyldau::domain::PointId::parse("p3").unwrap(), Utc::now())
        .await
        .unwrap();
    let point = point_with("p1", 60);
    let log = log_of(&point);
    let other = point_with("p2", 5);
    let (s, _) = push(&server.url, &token, &log[0..10]).await;
    assert_eq!(s, 200);

    // each case: the status, the error code, and the extra facts it names
    let cases: Vec<Case> = vec![
        (
            "forged token",
            "qbl_forged",
            body(&log[10..12]),
            401,
            "unknown_token",
            json!({}),
        ),
        (
            "revoked token",
            revoked.as_str(),
            body(&log[10..12]),
            401,
            "token_revoked",
            json!({}),
        ),
        (
            "supervisor writes",
            supervisor.as_str(),
            body(&log[10..12]),
            403,
            "read_only",
            json!({}),
        ),
        (
            "another point's events",
            token.as_str(),
            body(&log_of(&other)[0..2]),
            403,
            "wrong_point",
            json!({"index": 0}),
        ),
        (
            "another point's token for these events",
            other_token.as_str(),
            body(&log[0..2]),
            403,
            "wrong_point",
            json!({"index": 0}),
        ),
        (
            "a gap",
            token.as_str(),
            body(&log[12..14]),
            409,
            "gap",
            json!({"expected_seq": 11, "acked_through": 10}),
        ),
        (
            "a changed event under a known seq",
            token.as_str(),
            body(&changed(&log[4..14], 5)),
            409,
            "conflict",
            json!({"seq": 5, "acked_through": 10}),
        ),
        (
            "malformed JSON",
            token.as_str(),
            b"{\"events\": [".to_vec(),
            400,
            "malformed_json",
            json!({}),
        ),
        (
            "an unknown field in the batch",
            token.as_str(),
            serde_json::to_vec(&json!({"events": [], "colour": 1})).unwrap(),
            422,
            "invalid_body",
            json!({}),
        ),
        (
            "an unknown field in an event",
            token.as_str(),
            patched(&log[10..12], 1, "colour", json!("red")),
            422,
            "invalid_event",
            json!({"index": 1, "seq": 12}),
        ),
        (
            "a newer schema version",
            token.as_str(),
            patched(&log[10..12], 0, "version", json!(99)),
            422,
            "unsupported_version",
            json!({"index": 0, "seq": 11}),
        ),
        (
            "an unknown kind",
            token.as_str(),
            patched(&log[10..12], 0, "kind", json!("ticket_teleported")),
            422,
            "unknown_kind",
            json!({"index": 0, "seq": 11}),
        ),
        (
            "too many events",
            token.as_str(),
            body(&log[10..60]),
            413,
            "batch_too_large",
            json!({"limit": 40}),
        ),
        (
            "an oversized body",
            token.as_str(),
            oversized(&log[10..12], 200 * 1024),
            413,
            "body_too_large",
            json!({"limit": 65536}),
        ),
    ];
    for (what, tok, bytes, status, code, extra) in cases {
        let (s, r) = push_raw(&server.url, tok, bytes).await;
        assert_eq!(
            (s, r["error"].as_str()),
            (status, Some(code)),
            "{what}: {r}"
        );
        assert!(
            r["message"].as_str().is_some_and(|m| m.len() > 10),
            "{what}: a sentence for a person: {r}"
        );
        for (k, v) in extra.as_object().unwrap() {
            assert_eq!(&r[k], v, "{what}: {k} in {r}");
        }
        assert_eq!(held(&server, "p1").await, 10, "{what}: nothing stored");
        assert_eq!(held(&server, "p2").await, 0, "{what}: nothing stored");
    }
    // the conflict flagged the point, for the supervisor
    let (_, c) = get(&server.url, "/api/v1/cursor", &token).await;
    assert_eq!(c["flagged"], json!(true));
    let (_, pts) = get(&server.url, "/api/v1/points?point=p1", &supervisor).await;
    assert_eq!(pts["points"][0]["flagged"]["seq"], json!(5));
    // the sync goes on after a refusal, from where it was
    let (s, r) = push(&server.url, &token, &log[10..40]).await;
    assert_eq!((s, r["acked_through"].as_u64()), (200, Some(40)));
    // refusals are counted by reason
    let metrics = http()
        .get(format!("{}/metrics", server.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for reason in [
        "unknown_token",
        "gap",
        "conflict",
        "malformed_json",
        "body_too_large",
    ] {
        assert!(
            metrics.contains(&format!("qabyldau_rejects_total{{reason=\"{reason}\"}} 1")),
            "{reason} in {metrics}"
        );
    }
    assert!(
        metrics.contains("qabyldau_point_flagged{point=\"p1\"} 1"),
        "{metrics}"
    );
    server.stop().await;
}

/// What is sent, with which token, and the status, code and facts expected.
type Case<'a> = (&'a str, &'a str, Vec<u8>, u16, &'a str, Value);

fn body(events: &[EventRecord]) -> Vec<u8> {
    serde_json::to_vec(&json!({ "events": events })).unwrap()
}

/// The batch with event `seq` changed (another actor), as a tampered or
/// re-created database would send it.
fn changed(events: &[EventRecord], seq: u64) -> Vec<EventRecord> {
    let mut v = events.to_vec();
    let e = v.iter_mut().find(|e| e.seq == seq).unwrap();
    e.actor = "staff:someone-else".into();
    v
}

fn patched(events: &[EventRecord], index: usize, key: &str, value: Value) -> Vec<u8> {
    let mut v = serde_json::to_value(events).unwrap();
    v[index][key] = value;
    serde_json::to_vec(&json!({ "events": v })).unwrap()
}

/// A batch padded past `size` bytes with spaces (still valid JSON).
fn oversized(events: &[EventRecord], size: usize) -> Vec<u8> {
    let mut b = body(events);
    let close = b.pop().unwrap();
    b.extend(std::iter::repeat_n(b' ', size));
    b.push(close);
    b
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_see_their_scope_only() {
    let server = InProcServer::start().await;
    let s = server.dyn_storage();
    let t1 = register(s, "akm-1", "Ақмола облысы").await;
    let _t2 = register(s, "akm-2", "Ақмола облысы").await;
    let _t3 = register(s, "alm-1", "Алматы облысы").await;
    let akmola = register_supervisor(s, "anna", "Ақмола облысы").await;
    let national = register_supervisor(s, "nurlan", "*").await;
    let ids = |v: &Value| -> Vec<String> {
        v["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect()
    };
    let (st, v) = get(&server.url, "/api/v1/points", &akmola).await;
    assert_eq!(
        (st, ids(&v)),
        (200, vec!["akm-1".to_string(), "akm-2".into()])
    );
    let (st, v) = get(&server.url, "/api/v1/points", &national).await;
    assert_eq!((st, ids(&v).len()), (200, 3));
    let (st, v) = get(&server.url, "/api/v1/points", &t1).await;
    assert_eq!((st, ids(&v)), (200, vec!["akm-1".to_string()]));
    let region = "/api/v1/points?region=%D0%90%D0%BB%D0%BC%D0%B0%D1%82%D1%8B%20%D0%BE%D0%B1%D0%BB%D1%8B%D1%81%D1%8B";
    let (st, v) = get(&server.url, region, &akmola).await;
    assert_eq!((st, v["error"].as_str()), (403, Some("out_of_scope")));
    let (st, v) = get(&server.url, region, &national).await;
    assert_eq!((st, ids(&v)), (200, vec!["alm-1".to_string()]));
    let (st, v) = get(&server.url, "/api/v1/points?point=akm-2", &t1).await;
    assert_eq!((st, v["error"].as_str()), (403, Some("out_of_scope")));
    let (st, v) = get(&server.url, "/api/v1/cursor", &akmola).await;
    assert_eq!((st, v["error"].as_str()), (403, Some("read_only")));
    let (st, v) = get(
        &server.url,
        "/api/v1/report?from=2026-01-01&to=2026-12-31&region=x",
        &t1,
    )
    .await;
    assert_eq!((st, v["error"].as_str()), (403, Some("out_of_scope")));
    let (st, v) = get(
        &server.url,
        "/api/v1/report?from=2026-02-01&to=2026-01-01",
        &akmola,
    )
    .await;
    assert_eq!((st, v["error"].as_str()), (400, Some("bad_query")));
    let (st, v) = get(&server.url, "/api/v1/report?from=yesterday", &akmola).await;
    assert_eq!((st, v["error"].as_str()), (400, Some("bad_query")));
    let (st, v) = get(&server.url, "/api/v1/nothing", &akmola).await;
    assert_eq!((st, v["error"].as_str()), (404, Some("not_found")));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn points_show_the_live_queue_and_lag() {
    let server = InProcServer::start().await;
    let token = register(server.dyn_storage(), "p1", REGION).await;
    let supervisor = register_supervisor(server.dyn_storage(), "anna", REGION).await;
    let point = point_with("p1", 80);
    let log = log_of(&point);
    let req = json!({ "events": &log[0..50], "head": 80 });
    let (s, _) = push_raw(&server.url, &token, serde_json::to_vec(&req).unwrap()).await;
    assert_eq!(s, 200);
    let (_, v) = get(&server.url, "/api/v1/points", &supervisor).await;
    let p = &v["points"][0];
    assert_eq!(p["acked_through"], json!(50));
    assert_eq!(p["reported_head"], json!(80));
    assert_eq!(p["lag_events"], json!(30));
    assert!(p["last_contact_at"].is_string() && p["lag_seconds"].as_i64().unwrap() >= 0);
    // the queue equals the point's own, for the events held
    let (_, r) = push(&server.url, &token, &log[50..]).await;
    assert_eq!(r["acked_through"], json!(80));
    let (_, v) = get(&server.url, "/api/v1/points", &supervisor).await;
    let q = &v["points"][0]["queue"];
    let day = q["service_date"].as_str().unwrap().to_string();
    let conn = point.sqlite();
    let mine = |states: &str| -> Vec<String> {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT prefix || '-' || printf('%03d', number) FROM tickets
                 WHERE service_date = ?1 AND state IN ({states}) ORDER BY taken_at"
            ))
            .unwrap();
        stmt.query_map([&day], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let numbers = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|t| t["number"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(numbers(&q["waiting"]), mine("'waiting'"));
    let mut serving = numbers(&q["now_serving"]);
    serving.sort();
    let mut expected = mine("'called', 'serving'");
    expected.sort();
    assert_eq!(serving, expected);
    assert!(
        !mine("'waiting'").is_empty() || !expected.is_empty(),
        "the test has a queue to show"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stream_sends_the_points_then_each_change() {
    let server = InProcServer::start().await;
    let token = register(server.dyn_storage(), "p1", REGION).await;
    let supervisor = register_supervisor(server.dyn_storage(), "anna", REGION).await;
    let point = GenPoint::new("p1");
    let mut resp = http()
        .get(format!("{}/api/v1/stream", server.url))
        .bearer_auth(&supervisor)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let mut seen = String::new();
    let mut next_event = async |seen: &mut String, name: &str| -> Value {
        loop {
            if let Some(start) = seen.find(&format!("event: {name}\n")) {
                let rest = &seen[start..];
                if let Some(end) = rest.find("\n\n") {
                    let data: String = rest[..end]
                        .lines()
                        .filter_map(|l| l.strip_prefix("data: "))
                        .collect();
                    let v = serde_json::from_str(&data).unwrap();
                    *seen = seen[start + end..].to_string();
                    return v;
                }
            }
            let chunk = tokio::time::timeout(Duration::from_secs(30), resp.chunk())
                .await
                .expect("the stream went silent")
                .unwrap()
                .expect("the stream ended");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    let first = next_event(&mut seen, "points").await;
    assert_eq!(first[0]["id"], json!("p1"));
    assert_eq!(first[0]["queue"]["waiting"], json!([]));
    // a ticket taken at the point, forwarded: the board hears of it
    let ctx = point.ctx();
    let mut store = point.store();
    let t = qabyldau::app::kiosk::take_ticket(
        &mut store,
        &ctx,
        &qabyldau::domain::CategoryId::new("housing"),
        qabyldau::domain::Priority::Ordinary,
        qabyldau::domain::Lang::Kk,
        Utc::now(),
    )
    .unwrap();
    let (s, _) = push(&server.url, &token, &log_of(&point)).await;
    assert_eq!(s, 200);
    let change = next_event(&mut seen, "point").await;
    assert_eq!(change["id"], json!("p1"));
    assert_eq!(
        change["queue"]["waiting"][0]["number"],
        json!(t.number.to_string())
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_metrics_and_the_openapi_document() {
    let server = InProcServer::start().await;
    let token = register(server.dyn_storage(), "p1", REGION).await;
    let point = point_with("p1", 5);
    push(&server.url, &token, &log_of(&point)).await;
    let h: Value = http()
        .get(format!("{}/healthz", server.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (h["status"].as_str(), h["backend"].as_str()),
        (Some("ok"), Some(backend().name()))
    );
    let m = http()
        .get(format!("{}/metrics", server.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for line in [
        "qabyldau_events_ingested_total 5",
        "qabyldau_point_acked_seq{point=\"p1\"} 5",
        "qabyldau_point_lag_events{point=\"p1\"} 0",
        "qabyldau_http_requests_total{method=\"POST\",route=\"/api/v1/events\",status=\"200\"} 1",
    ] {
        assert!(m.contains(line), "{line} in\n{m}");
    }
    assert!(
        m.contains("qabyldau_point_lag_seconds{point=\"p1\"}"),
        "{m}"
    );
    let doc: Value = http()
        .get(format!("{}/api/v1/openapi.json", server.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/events",
        "/api/v1/cursor",
        "/api/v1/points",
        "/api/v1/stream",
        "/api/v1/report",
        "/healthz",
        "/metrics",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    for code in ["400", "401", "403", "409", "413", "422"] {
        assert!(
            doc["paths"]["/api/v1/events"]["post"]["responses"][code].is_object(),
            "{code} documented"
        );
    }
    server.stop().await;
}
