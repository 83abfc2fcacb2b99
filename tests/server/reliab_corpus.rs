//! Bad input to the server: a table of cases, each naming what is sent,
//! with which token, and the expected outcome (status, error code, what is
//! stored). Covers what a broken, old, hostile or confused client sends:
//! invalid UTF-8, numbers too large for any type or any database, wrong
//! schema versions, 1 MB texts, deep nesting, replayed, reordered and
//! future batches, another point's token, a revoked token. The screens'
//! side of hostile text is `tests/reliab_screens.rs` with the corpus in
//! `tests/corpus/hostile_text.json`.

use crate::sync_support::*;
use chrono::{Duration as ChronoDuration, Utc};
use qabyldau::domain::{EventRecord, PointId};
use qabyldau::store::events;
use serde_json::{Value, json};
use std::time::Duration;

/// What the server must answer: a status and an error code (or, for 200,
/// what the reply says was stored and found held).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Refused(u16, &'static str),
    Accepted { stored: u64, duplicates: u64 },
}

struct Case {
    what: &'static str,
    token: Option<String>,
    body: Vec<u8>,
    expect: Expect,
}

fn events_body(events: &[EventRecord]) -> Vec<u8> {
    serde_json::to_vec(&json!({ "events": events })).unwrap()
}

/// The batch with `key` of event `index` replaced by raw JSON text (so
/// numbers no type can hold can be written).
fn patched_raw(events: &[EventRecord], index: usize, key: &str, raw: &str) -> Vec<u8> {
    let mut v = serde_json::to_value(events).unwrap();
    v[index][key] = json!("@@PATCH@@");
    let text = serde_json::to_string(&json!({ "events": v })).unwrap();
    text.replace("\"@@PATCH@@\"", raw).into_bytes()
}

fn patched_payload(events: &[EventRecord], index: usize, key: &str, value: Value) -> Vec<u8> {
    let mut v = serde_json::to_value(events).unwrap();
    v[index]["payload"][key] = value;
    serde_json::to_vec(&json!({ "events": v })).unwrap()
}

async fn send(url: &str, token: Option<&str>, body: Vec<u8>) -> (u16, Value) {
    let mut req = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
        .post(format!("{url}/api/v1/events"))
        .header("content-type", "application/json")
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    let v = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text:?}"));
    (status, v)
}

async fn held(server: &InProcServer, id: &str) -> usize {
    server
        .storage
        .events(PointId::parse(id).unwrap(), 0, 1_000_000)
        .await
        .unwrap()
        .len()
}

fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_input_gets_its_named_answer_and_stores_nothing() {
    let server = InProcServer::start().await;
    let storage = server.dyn_storage();
    let token = register(storage, "p1", REGION).await;
    let other = register(storage, "p2", REGION).await;
    let supervisor = register_supervisor(storage, "anna", REGION).await;
    let revoked = register(storage, "p3", REGION).await;
    storage
        .revoke_point(PointId::parse("p3").unwrap(), Utc::now())
        .await
        .unwrap();
    let point = GenPoint::new("p1");
    point.generate(
        80,
        3,
        Utc::now() - ChronoDuration::hours(1),
        ChronoDuration::seconds(10),
    );
    let log = events::after(point.store().conn(), 0, 1000).unwrap();
    let (s, _) = send(&server.url, Some(&token), events_body(&log[..10])).await;
    assert_eq!(s, 200);
    // the first appeal after the held part, and the batch up to it
    let appeal_at = log[10..]
        .iter()
        .position(|e| e.kind == "appeal_recorded")
        .expect("the generated log has appeals");
    let to_appeal = &log[10..=10 + appeal_at];
    let next = &log[10..13];
    let t = || Some(token.clone());
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));

    let cases = vec![
        Case {
            what: "invalid UTF-8 bytes as the body",
            token: t(),
            body: b"\xff\xfe\x00{\"events\":[]}".to_vec(),
            expect: Expect::Refused(400, "malformed_json"),
        },
        Case {
            what: "invalid UTF-8 inside a JSON string",
            token: t(),
            body: b"{\"events\":[{\"seq\":11,\"actor\":\"\xc3\x28\xff\"}]}".to_vec(),
            expect: Expect::Refused(400, "malformed_json"),
        },
        Case {
            what: "an empty body",
            token: t(),
            body: Vec::new(),
            expect: Expect::Refused(400, "malformed_json"),
        },
        Case {
            what: "JSON nested 10,000 deep (a stack-overflow attempt)",
            token: t(),
            body: format!("{{\"events\":{deep}}}").into_bytes(),
            expect: Expect::Refused(400, "malformed_json"),
        },
        Case {
            what: "a number no type can hold (1e400)",
            token: t(),
            body: b"{\"events\":[],\"head\":1e400}".to_vec(),
            expect: Expect::Refused(400, "malformed_json"),
        },
        Case {
            what: "head beyond u64 (2^64)",
            token: t(),
            body: b"{\"events\":[],\"head\":18446744073709551616}".to_vec(),
            expect: Expect::Refused(422, "invalid_body"),
        },
        Case {
            what: "head beyond a database's reach (2^63)",
            token: t(),
            body: b"{\"events\":[],\"head\":9223372036854775808}".to_vec(),
            expect: Expect::Refused(422, "invalid_body"),
        },
        Case {
            what: "a batch that is a list, not an object",
            token: t(),
            body: b"[]".to_vec(),
            expect: Expect::Refused(422, "invalid_body"),
        },
        Case {
            what: "seq beyond u64 (2^64)",
            token: t(),
            body: patched_raw(next, 0, "seq", "18446744073709551616"),
            expect: Expect::Refused(422, "invalid_event"),
        },
        Case {
            what: "seq beyond a database's reach (2^63)",
            token: t(),
            body: patched_raw(next, 0, "seq", "9223372036854775808"),
            expect: Expect::Refused(422, "invalid_event"),
        },
        Case {
            what: "a negative seq",
            token: t(),
            body: patched_raw(next, 0, "seq", "-11"),
            expect: Expect::Refused(422, "invalid_event"),
        },
        Case {
            what: "seq as a string",
            token: t(),
            body: patched_raw(next, 0, "seq", "\"11\""),
            expect: Expect::Refused(422, "invalid_event"),
        },
        Case {
            what: "a newer schema version (2)",
            token: t(),
            body: patched_raw(next, 1, "version", "2"),
            expect: Expect::Refused(422, "unsupported_version"),
        },
        Case {
            what: "schema version 0",
            token: t(),
            body: patched_raw(next, 0, "version", "0"),
            expect: Expect::Refused(422, "unsupported_version"),
        },
        Case {
            what: "a version beyond u32 (2^32)",
            token: t(),
            body: patched_raw(next, 0, "version", "4294967296"),
            expect: Expect::Refused(422, "invalid_event"),
        },
        Case {
            what: "an unknown field in a payload",
            token: t(),
            body: patched_payload(to_appeal, appeal_at, "colour", json!("red")),
            expect: Expect::Refused(422, "invalid_payload"),
        },
        Case {
            what: "a 1 MB appeal text",
            token: t(),
            body: patched_payload(to_appeal, appeal_at, "text", json!("Ә".repeat(1 << 19))),
            expect: Expect::Refused(422, "invalid_payload"),
        },
        Case {
            what: "a 5 MB body",
            token: t(),
            body: {
                let mut b = events_body(next);
                let close = b.pop().unwrap();
                b.extend(std::iter::repeat_n(b' ', 5 << 20));
                b.push(close);
                b
            },
            expect: Expect::Refused(413, "body_too_large"),
        },
        Case {
            what: "a reordered batch (12, 11)",
            token: t(),
            body: events_body(&[log[11].clone(), log[10].clone()]),
            expect: Expect::Refused(422, "not_consecutive"),
        },
        Case {
            what: "a batch with a hole (11, 13)",
            token: t(),
            body: events_body(&[log[10].clone(), log[12].clone()]),
            expect: Expect::Refused(422, "not_consecutive"),
        },
        Case {
            what: "a batch from the future (21..30 while 10 are held)",
            token: t(),
            body: events_body(&log[20..30]),
            expect: Expect::Refused(409, "gap"),
        },
        Case {
            what: "a replayed batch (1..10 again)",
            token: t(),
            body: events_body(&log[..10]),
            expect: Expect::Accepted {
                stored: 0,
                duplicates: 10,
            },
        },
        Case {
            what: "this point's events with another point's token",
            token: Some(other.clone()),
            body: events_body(next),
            expect: Expect::Refused(403, "wrong_point"),
        },
        Case {
            what: "a revoked token",
            token: Some(revoked.clone()),
            body: events_body(next),
            expect: Expect::Refused(401, "token_revoked"),
        },
        Case {
            what: "no token",
            token: None,
            body: events_body(next),
            expect: Expect::Refused(401, "missing_token"),
        },
        Case {
            what: "a token of 10,000 characters",
            token: Some(format!("qbl_{}", "x".repeat(10_000))),
            body: events_body(next),
            expect: Expect::Refused(401, "bad_token"),
        },
        Case {
            what: "a supervisor's token writing",
            token: Some(supervisor.clone()),
            body: events_body(next),
            expect: Expect::Refused(403, "read_only"),
        },
    ];
    let mut failures = Vec::new();
    for case in &cases {
        let (status, reply) = send(&server.url, case.token.as_deref(), case.body.clone()).await;
        let got = match status {
            200 => Expect::Accepted {
                stored: reply["stored"].as_u64().unwrap(),
                duplicates: reply["duplicates"].as_u64().unwrap(),
            },
            _ => Expect::Refused(
                status,
                match reply["error"].as_str() {
                    Some(code) => CODES.iter().find(|c| **c == code).copied().unwrap_or("?"),
                    None => "?",
                },
            ),
        };
        if got != case.expect {
            failures.push(format!(
                "{}: expected {:?}, got {status} {reply}",
                case.what, case.expect
            ));
        }
        if status != 200 {
            let message = reply["message"].as_str().unwrap_or_default();
            assert!(
                message.len() > 10,
                "{}: a sentence for a person: {reply}",
                case.what
            );
            assert!(
                !message.chars().any(forbidden),
                "{}: {message:?}",
                case.what
            );
        }
        assert_eq!(
            held(&server, "p1").await,
            10,
            "{}: nothing stored",
            case.what
        );
        assert_eq!(
            held(&server, "p2").await,
            0,
            "{}: nothing stored",
            case.what
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!(
        "{} bad inputs, each with its named answer, nothing stored",
        cases.len()
    );

    // after all that, the sync goes on from where it was
    let (s, r) = send(&server.url, Some(&token), events_body(&log[10..])).await;
    assert_eq!((s, r["acked_through"].as_u64()), (200, Some(80)));
    assert_same_log(storage, &point).await;
    server.stop().await;
}

const CODES: &[&str] = &[
    "malformed_json",
    "invalid_body",
    "invalid_event",
    "unsupported_version",
    "unknown_kind",
    "invalid_payload",
    "not_consecutive",
    "body_too_large",
    "batch_too_large",
    "gap",
    "conflict",
    "wrong_point",
    "token_revoked",
    "unknown_token",
    "missing_token",
    "bad_token",
    "read_only",
];

/// A point that sends escape sequences and bidi overrides inside its
/// events (a patched or broken kiosk): the events are valid and stored as
/// sent (they are the point's history), and nothing of them reaches the
/// server's own tables unclean.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_text_inside_events_never_reaches_the_servers_tables() {
    let server = InProcServer::start().await;
    let token = register(server.dyn_storage(), "p9", REGION).await;
    let point = GenPoint::new("p9");
    point.generate(
        60,
        9,
        Utc::now() - ChronoDuration::hours(1),
        ChronoDuration::seconds(10),
    );
    let log = events::after(point.store().conn(), 0, 1000).unwrap();
    let mut v = serde_json::to_value(&log).unwrap();
    let mut patched = 0;
    for e in v.as_array_mut().unwrap() {
        if e["kind"] == "appeal_recorded" {
            e["payload"]["text"] = json!("\u{1b}]0;pwned\u{7}Су \u{202e}жоқ\u{1b}[2J");
            e["actor"] = json!("staff:aigul\u{1b}[2J\u{202e}");
            if e["payload"]["citizen"].is_object() {
                // in clear, as a point before sealing sends a citizen
                e["payload"]["citizen"] = json!({ "name": "\u{1b}[31mСерік\u{2066}" });
                e["payload"].as_object_mut().unwrap().remove("subject");
            }
            patched += 1;
        }
        if e["kind"] == "ticket_taken" {
            e["actor"] = json!("kiosk\u{1b}[2J");
        }
    }
    assert!(patched > 0);
    let (s, r) = send(
        &server.url,
        Some(&token),
        serde_json::to_vec(&json!({ "events": v })).unwrap(),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["acked_through"].as_u64(), Some(60));
    let texts = server_table_texts(server.dir.path()).await;
    assert!(
        texts.iter().any(|(t, _)| t == "appeals"),
        "the appeals table was read"
    );
    let values = texts.len();
    for (t, s) in &texts {
        assert!(!s.chars().any(forbidden), "{t}: {s:?}");
        assert!(!s.contains("pwned") && !s.contains("[2J"), "{t}: {s:?}");
    }
    assert!(
        values > 100,
        "the server's tables were read: {values} values"
    );
    server.stop().await;
}
