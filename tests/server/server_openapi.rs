//! The API document and the server, held together: a property-based client
//! reads `assets/openapi.json`, sends generated requests to every operation
//! of the server in process (good and bad tokens, documented and unknown
//! query parameters, valid and invalid values, real batches, gaps, changed
//! events, broken and oversized bodies, methods a path does not answer) and
//! checks that every status it gets is documented for that operation, that
//! every documented JSON body parses and matches its schema, and that the
//! stream's first event is one of the documented named events with JSON of
//! its schema.

use crate::sync_support::*;
use chrono::{Duration as ChronoDuration, Utc};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use qabyldau::domain::{EventRecord, PointId};
use qabyldau::server::Limits;
use qabyldau::store::events;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

const DOC: &str = include_str!("../../assets/openapi.json");

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// One operation of the document.
#[derive(Debug, Clone)]
struct Op {
    path: String,
    method: String,
    params: Vec<Param>,
    responses: Value,
}

#[derive(Debug, Clone)]
struct Param {
    name: String,
    schema: Value,
}

/// Every operation the document lists.
fn operations(doc: &Value) -> Vec<Op> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let params = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .map(|p| {
                            assert_eq!(p["in"], "query", "{path}: only query parameters");
                            Param {
                                name: p["name"].as_str().unwrap().to_string(),
                                schema: p["schema"].clone(),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            ops.push(Op {
                path: path.clone(),
                method: method.to_uppercase(),
                params,
                responses: op["responses"].clone(),
            });
        }
    }
    ops
}

/// A validator for `schema`, a part of the document (its `$ref`s resolve
/// in the document's components).
fn validator(doc: &Value, schema: &Value) -> jsonschema::Validator {
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": doc["components"],
        "allOf": [schema],
    });
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("schema {schema}: {e}"))
}

fn matches(doc: &Value, schema: &Value, value: &Value) -> Result<(), String> {
    let v = validator(doc, schema);
    let errors: Vec<String> = v.iter_errors(value).map(|e| e.to_string()).collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("{errors:?} in {value}"))
    }
}

/// What came back, as far as the check needs it.
#[derive(Debug)]
struct Answer {
    status: u16,
    content_type: String,
    /// The whole body, or for a stream the first event's `(name, data)`.
    body: Body,
}

#[derive(Debug)]
enum Body {
    Whole(String),
    Event { name: String, data: String },
}

/// Checks an answer of `op` against the document.
fn check(doc: &Value, op: &Op, a: &Answer) -> Result<(), String> {
    let what = format!("{} {} answered {}", op.method, op.path, a.status);
    let Some(response) = op.responses.get(a.status.to_string()) else {
        return Err(format!("{what}, which the document does not list: {a:?}"));
    };
    let content = response["content"].as_object();
    let Some(content) = content else {
        return Ok(());
    };
    let media = a.content_type.split(';').next().unwrap_or("").trim();
    let Some(entry) = content.get(media) else {
        return Err(format!(
            "{what} as {media:?}; documented: {:?}",
            content.keys().collect::<Vec<_>>()
        ));
    };
    match &a.body {
        Body::Whole(text) if media == "application/json" => {
            let value: Value = serde_json::from_str(text)
                .map_err(|e| format!("{what}: not JSON ({e}): {text}"))?;
            matches(doc, &entry["schema"], &value).map_err(|e| format!("{what}: {e}"))
        }
        Body::Whole(_) => Ok(()),
        Body::Event { name, data } => {
            let item = &entry["itemSchema"];
            if item.is_null() {
                return Err(format!("{what}: a stream without an itemSchema"));
            }
            let event = json!({"event": name, "data": data});
            matches(doc, item, &event).map_err(|e| format!("{what}: event {e}"))?;
            // the data is JSON of the event's own schema (contentSchema is
            // an annotation to a validator: checked here)
            let json: Value = serde_json::from_str(data)
                .map_err(|e| format!("{what}: event {name}'s data is not JSON ({e})"))?;
            let alternatives = item["oneOf"].as_array().cloned().unwrap_or_default();
            let own = alternatives
                .iter()
                .map(|alt| resolve(doc, alt))
                .find(|alt| alt["properties"]["event"]["const"] == json!(name))
                .ok_or_else(|| format!("{what}: no schema for event {name}"))?;
            matches(doc, &own["properties"]["data"]["contentSchema"], &json)
                .map_err(|e| format!("{what}: event {name}: {e}"))
        }
    }
}

fn resolve(doc: &Value, schema: &Value) -> Value {
    match schema["$ref"].as_str() {
        Some(r) => doc
            .pointer(r.trim_start_matches('#'))
            .cloned()
            .unwrap_or_else(|| panic!("{r} not in the document")),
        None => schema.clone(),
    }
}

/// Whom a request claims to be.
#[derive(Debug, Clone, Copy)]
enum Who {
    Nobody,
    NotBearer,
    Malformed,
    Unknown,
    Revoked,
    Point,
    OtherPoint,
    Supervisor,
    National,
}

/// What a batch holds.
#[derive(Debug, Clone)]
enum Batch {
    /// `len` events of the point's log from `from` (0-based), maybe with a head.
    Log {
        from: usize,
        len: usize,
        head: Option<u64>,
    },
    /// Like `Log`, with the first event changed.
    Changed { from: usize, len: usize },
    /// Events of another point.
    Foreign,
    /// More events than the server takes at once.
    TooMany,
    /// More bytes than the server takes.
    TooBig,
    /// Bytes that are not JSON.
    Garbage(Vec<u8>),
    /// JSON of any shape.
    Json(Value),
    /// An event with one field spoilt.
    BadEvent(usize, &'static str, Value),
}

#[derive(Debug, Clone)]
enum Call {
    /// The operation as documented, with `params` choices for its query
    /// parameters and maybe one more parameter it does not list.
    Op {
        op: usize,
        who: Who,
        params: Vec<(u8, u8)>,
        unknown: Option<(String, String)>,
        batch: Batch,
    },
    /// A method the operation's path does not answer.
    WrongMethod { op: usize, method: &'static str },
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        let key = prop_oneof![
            Just("events".to_string()),
            Just("head".to_string()),
            Just("timezone".to_string()),
            Just("seq".to_string()),
            "[a-z]{1,6}"
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(key, inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn batch() -> impl Strategy<Value = Batch> {
    let field = prop_oneof![
        Just(("seq", json!(0))),
        Just(("seq", json!(-3))),
        Just(("seq", json!("7"))),
        Just(("version", json!(99))),
        Just(("kind", json!("teleported"))),
        Just(("payload", json!({"on": "yes"}))),
        Just(("id", json!("not-a-uuid"))),
        Just(("colour", json!("red"))),
        Just(("at", json!("yesterday"))),
    ];
    prop_oneof![
        4 => (0usize..LOG, 0usize..12, prop::option::of(0u64..100))
            .prop_map(|(from, len, head)| Batch::Log { from, len, head }),
        1 => (0usize..LOG, 1usize..4).prop_map(|(from, len)| Batch::Changed { from, len }),
        1 => Just(Batch::Foreign),
        1 => Just(Batch::TooMany),
        1 => Just(Batch::TooBig),
        1 => prop::collection::vec(any::<u8>(), 0..40).prop_map(Batch::Garbage),
        2 => any_json().prop_map(Batch::Json),
        2 => (0usize..LOG, field).prop_map(|(i, (f, v))| Batch::BadEvent(i, f, v)),
    ]
}

/// Operations picked more often where there is more to try: the batch
/// and the report's parameters.
fn op_index(ops: &[Op]) -> impl Strategy<Value = usize> + use<> {
    let weighted: Vec<(u32, BoxedStrategy<usize>)> = ops
        .iter()
        .enumerate()
        .map(|(i, op)| {
            let weight = match op.path.as_str() {
                "/api/v1/events" => 6,
                "/api/v1/report" => 3,
                "/api/v1/points" | "/api/v1/stream" => 2,
                _ => 1,
            };
            (weight, Just(i).boxed())
        })
        .collect();
    proptest::strategy::Union::new_weighted(weighted)
}

fn call(ops: &[Op]) -> impl Strategy<Value = Call> + use<> {
    let who = prop_oneof![
        1 => Just(Who::Nobody),
        1 => Just(Who::NotBearer),
        1 => Just(Who::Malformed),
        1 => Just(Who::Unknown),
        1 => Just(Who::Revoked),
        6 => Just(Who::Point),
        1 => Just(Who::OtherPoint),
        2 => Just(Who::Supervisor),
        1 => Just(Who::National),
    ];
    let unknown = prop::option::weighted(
        0.1,
        (
            prop_oneof![Just("colour".to_string()), "[a-z_]{1,8}"],
            "[a-z0-9]{0,5}",
        ),
    );
    prop_oneof![
        9 => (
            op_index(ops),
            who,
            // absent, valid (six times as often), or not valid
            prop::collection::vec(
                (0u8..8).prop_map(|c| match c { 0 => 0, 7 => 2, _ => 1 }),
                5
            )
            .prop_flat_map(|cs| {
                let n = cs.len();
                (Just(cs), prop::collection::vec(any::<u8>(), n))
            })
            .prop_map(|(cs, picks)| cs.into_iter().zip(picks).collect::<Vec<_>>()),
            unknown,
            batch()
        )
            .prop_map(|(op, who, params, unknown, batch)| Call::Op {
                op,
                who,
                params,
                unknown,
                batch
            }),
        1 => (0..ops.len(), prop_oneof![Just("DELETE"), Just("PUT"), Just("PATCH")])
            .prop_map(|(op, method)| Call::WrongMethod { op, method }),
    ]
}

/// Events in the point's log, for batches.
const LOG: usize = 30;
/// The server's limits in this test: small, so 413 is cheap to reach.
const MAX_EVENTS: usize = 40;
const MAX_BYTES: usize = 256 * 1024;

struct World {
    server: InProcServer,
    log: Vec<EventRecord>,
    foreign: Vec<EventRecord>,
    tokens: Tokens,
}

struct Tokens {
    point: String,
    other: String,
    revoked: String,
    supervisor: String,
    national: String,
}

async fn world() -> World {
    let server = InProcServer::start_with(Limits {
        max_body_bytes: MAX_BYTES,
        max_batch_events: MAX_EVENTS,
        request_timeout: Duration::from_secs(30),
    })
    .await;
    let s = server.dyn_storage();
    let point = register(s, "p1", REGION).await;
    let other = register(s, "p2", "Басқа облыс").await;
    let revoked = register(s, "p3", REGION).await;
    s.revoke_point(PointId::parse("p3").unwrap(), Utc::now())
        .await
        .unwrap();
    let supervisor = register_supervisor(s, "sup", REGION).await;
    let national = register_supervisor(s, "all", "*").await;
    let log_of = |id: &str| {
        let p = GenPoint::new(id);
        p.generate(
            LOG as u64,
            7,
            Utc::now() - ChronoDuration::minutes(30),
            ChronoDuration::seconds(1),
        );
        events::after(p.store().conn(), 0, 100_000).unwrap()
    };
    World {
        log: log_of("p1"),
        foreign: log_of("p2"),
        server,
        tokens: Tokens {
            point,
            other,
            revoked,
            supervisor,
            national,
        },
    }
}

fn value_for(p: &Param, choice: u8, pick: u8) -> Option<String> {
    let pick = pick as usize;
    let valid = || -> String {
        if let Some(e) = p.schema["enum"].as_array() {
            return e[pick % e.len()].as_str().unwrap().to_string();
        }
        match (p.name.as_str(), p.schema["format"].as_str()) {
            (_, Some("date")) => {
                let days = [
                    "2025-12-31",
                    "2026-01-01",
                    "2026-03-02",
                    "2030-06-30",
                    "9999-12-31",
                ];
                days[pick % days.len()].to_string()
            }
            ("point", _) => ["p1", "p2", "p3", "nowhere"][pick % 4].to_string(),
            ("region", _) => [REGION, "Басқа облыс", "*", "Elsewhere"][pick % 4].to_string(),
            ("wait_limits", _) => ["housing:20", "legal:15,housing:45", ""][pick % 3].to_string(),
            ("after" | "limit", _) => ["0", "1", "3", "1000000"][pick % 4].to_string(),
            // a long poll would only slow the run: nothing new arrives
            ("wait", _) => "0".to_string(),
            _ => "x".to_string(),
        }
    };
    let invalid = [
        "",
        "not-a-date",
        "2026-13-45",
        "a b/c",
        "%zz",
        "-1",
        "🙂",
        "p1;drop",
    ];
    match choice {
        0 => None,
        1 => Some(valid()),
        _ => Some(invalid[pick % invalid.len()].to_string()),
    }
}

fn body_of(w: &World, b: &Batch) -> Vec<u8> {
    let slice = |from: usize, len: usize| -> Vec<EventRecord> {
        w.log[from.min(LOG)..(from + len).min(LOG)].to_vec()
    };
    let v = match b {
        Batch::Log { from, len, head } => {
            let mut v = json!({"events": slice(*from, *len)});
            if let Some(h) = head {
                v["head"] = json!(h);
            }
            v
        }
        Batch::Changed { from, len } => {
            let mut events = slice(*from, (*len).max(1));
            if let Some(e) = events.first_mut() {
                e.actor = "staff:someone-else".into();
            }
            json!({ "events": events })
        }
        Batch::Foreign => json!({"events": w.foreign[..3]}),
        Batch::TooMany => {
            let e = &w.log[0];
            json!({"events": vec![e; MAX_EVENTS + 1]})
        }
        Batch::TooBig => return vec![b' '; MAX_BYTES + 1],
        Batch::Garbage(bytes) => return bytes.clone(),
        Batch::Json(v) => v.clone(),
        Batch::BadEvent(i, field, value) => {
            let mut e = serde_json::to_value(&w.log[*i]).unwrap();
            e[*field] = value.clone();
            json!({"events": [e]})
        }
    };
    serde_json::to_vec(&v).unwrap()
}

async fn answer(resp: reqwest::Response) -> Answer {
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = if content_type.starts_with("text/event-stream") {
        first_event(resp).await
    } else {
        Body::Whole(resp.text().await.unwrap_or_default())
    };
    Answer {
        status,
        content_type,
        body,
    }
}

/// The stream's first event (comments skipped).
async fn first_event(mut resp: reqwest::Response) -> Body {
    let mut buf = String::new();
    let read = async {
        while let Ok(Some(chunk)) = resp.chunk().await {
            buf.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buf.find("\n\n") {
                let block: String = buf.drain(..end + 2).collect();
                let (mut name, mut data) = (None, Vec::new());
                for line in block.lines() {
                    if let Some(n) = line.strip_prefix("event:") {
                        name = Some(n.trim_start().to_string());
                    } else if let Some(d) = line.strip_prefix("data:") {
                        data.push(d.strip_prefix(' ').unwrap_or(d).to_string());
                    }
                }
                if !data.is_empty() {
                    return Body::Event {
                        name: name.unwrap_or_else(|| "message".into()),
                        data: data.join("\n"),
                    };
                }
            }
        }
        Body::Whole(buf.clone())
    };
    tokio::time::timeout(Duration::from_secs(20), read)
        .await
        .expect("the stream's first event within 20 s")
}

async fn send(w: &World, ops: &[Op], c: &Call) -> (Op, Answer) {
    let client = http();
    match c {
        Call::WrongMethod { op, method } => {
            let op = &ops[*op];
            let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let resp = client
                .request(m, format!("{}{}", w.server.url, op.path))
                .bearer_auth(&w.tokens.point)
                .send()
                .await
                .unwrap();
            (op.clone(), answer(resp).await)
        }
        Call::Op {
            op,
            who,
            params,
            unknown,
            batch,
        } => {
            let op = &ops[*op];
            let mut url = reqwest::Url::parse(&format!("{}{}", w.server.url, op.path)).unwrap();
            let mut query: Vec<(String, String)> = op
                .params
                .iter()
                .zip(params)
                .filter_map(|(p, (choice, pick))| {
                    value_for(p, *choice, *pick).map(|v| (p.name.clone(), v))
                })
                .collect();
            if let Some((k, v)) = unknown {
                if !op.params.iter().any(|p| &p.name == k) {
                    query.push((k.clone(), v.clone()));
                }
            }
            if !query.is_empty() {
                url.query_pairs_mut().extend_pairs(&query);
            }
            let mut req = match op.method.as_str() {
                "GET" => client.get(url),
                "POST" => client
                    .post(url)
                    .header("content-type", "application/json")
                    .body(body_of(w, batch)),
                other => panic!("a method the test does not send: {other}"),
            };
            let t = &w.tokens;
            req = match who {
                Who::Nobody => req,
                Who::NotBearer => req.header("authorization", format!("Basic {}", t.point)),
                Who::Malformed => req.bearer_auth("qbl_not-hex"),
                Who::Unknown => req.bearer_auth(format!("qbl_{}", "ab".repeat(32))),
                Who::Revoked => req.bearer_auth(&t.revoked),
                Who::Point => req.bearer_auth(&t.point),
                Who::OtherPoint => req.bearer_auth(&t.other),
                Who::Supervisor => req.bearer_auth(&t.supervisor),
                Who::National => req.bearer_auth(&t.national),
            };
            (op.clone(), answer(req.send().await.unwrap()).await)
        }
    }
}

/// What a method a path does not answer gets: 405, in JSON as the
/// document's description says.
fn check_wrong_method(doc: &Value, a: &Answer) -> Result<(), String> {
    if a.status != 405 {
        return Err(format!("a method the path does not answer: {a:?}"));
    }
    let v: Value = match &a.body {
        Body::Whole(t) => serde_json::from_str(t).map_err(|e| format!("405 not JSON: {e}"))?,
        other => return Err(format!("405 as {other:?}")),
    };
    matches(doc, &json!({"$ref": "#/components/schemas/Error"}), &v)
}

#[test]
fn every_answer_of_the_server_is_in_its_document() {
    let doc: Value = serde_json::from_str(DOC).unwrap();
    let ops = operations(&doc);
    assert!(ops.len() >= 8, "{ops:?}");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let w = Arc::new(rt.block_on(world()));
    let seen = std::cell::RefCell::new(std::collections::BTreeMap::<(String, u16), u32>::new());
    // first calls known to reach each kind of answer, so every run checks
    // them whatever the generator picks after
    let at = |path: &str| ops.iter().position(|o| o.path == path).unwrap();
    let valid = vec![(1, 1), (1, 2), (0, 0), (0, 0), (1, 0)];
    let fixed = [
        (
            at("/api/v1/events"),
            Who::Point,
            vec![],
            Batch::Log {
                from: 0,
                len: 5,
                head: Some(9),
            },
        ),
        (
            at("/api/v1/events"),
            Who::Point,
            vec![],
            Batch::Log {
                from: 2,
                len: 6,
                head: None,
            },
        ),
        (
            at("/api/v1/events"),
            Who::Point,
            vec![],
            Batch::Log {
                from: 20,
                len: 2,
                head: None,
            },
        ),
        (
            at("/api/v1/events"),
            Who::Point,
            vec![],
            Batch::Changed { from: 1, len: 1 },
        ),
        (
            at("/api/v1/events"),
            Who::Point,
            vec![],
            Batch::Garbage(b"{".to_vec()),
        ),
        (at("/api/v1/events"), Who::Point, vec![], Batch::TooMany),
        (
            at("/api/v1/events"),
            Who::Supervisor,
            vec![],
            Batch::Json(json!({"events": []})),
        ),
        (
            at("/api/v1/events"),
            Who::Nobody,
            vec![],
            Batch::Json(json!({"events": []})),
        ),
        (
            at("/api/v1/events"),
            Who::Point,
            vec![],
            Batch::BadEvent(0, "kind", json!("x")),
        ),
        (
            at("/api/v1/report"),
            Who::Supervisor,
            valid.clone(),
            Batch::Json(Value::Null),
        ),
        (
            at("/api/v1/report"),
            Who::Point,
            valid,
            Batch::Json(Value::Null),
        ),
        (
            at("/api/v1/points"),
            Who::Supervisor,
            vec![(1, 0)],
            Batch::Json(Value::Null),
        ),
        (
            at("/api/v1/points"),
            Who::Supervisor,
            vec![(1, 1)],
            Batch::Json(Value::Null),
        ),
        (
            at("/api/v1/stream"),
            Who::National,
            vec![],
            Batch::Json(Value::Null),
        ),
    ];
    for (op, who, mut params, batch) in fixed {
        params.resize(5, (0, 0));
        let c = Call::Op {
            op,
            who,
            params,
            unknown: None,
            batch,
        };
        let (op, a) = rt.block_on(send(&w, &ops, &c));
        if let Err(e) = check(&doc, &op, &a) {
            panic!("{c:?}: {e}");
        }
        *seen
            .borrow_mut()
            .entry((format!("{} {}", op.method, op.path), a.status))
            .or_default() += 1;
    }
    let mut runner = TestRunner::new(Config {
        cases: 500,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&call(&ops), |c| {
        let (op, a) = rt.block_on(send(&w, &ops, &c));
        let checked = match c {
            Call::WrongMethod { .. } => check_wrong_method(&doc, &a),
            Call::Op { .. } => check(&doc, &op, &a),
        };
        *seen
            .borrow_mut()
            .entry((format!("{} {}", op.method, op.path), a.status))
            .or_default() += 1;
        checked.map_err(TestCaseError::fail)
    });
    let seen = seen.into_inner();
    eprintln!("statuses seen: {seen:?}");
    if let Err(e) = result {
        panic!("{e}");
    }
    // the generator reached what it was made for
    for (op, status) in [
        ("POST /api/v1/events", 200),
        ("POST /api/v1/events", 400),
        ("POST /api/v1/events", 401),
        ("POST /api/v1/events", 409),
        ("POST /api/v1/events", 413),
        ("POST /api/v1/events", 422),
        ("GET /api/v1/stream", 200),
        ("GET /api/v1/stream", 400),
        ("GET /api/v1/report", 200),
        ("GET /api/v1/points", 403),
    ] {
        assert!(
            seen.contains_key(&(op.to_string(), status)),
            "never saw {op} answer {status}: {seen:?}"
        );
    }
    let w = Arc::try_unwrap(w).ok().expect("one owner left");
    rt.block_on(w.server.stop());
}

/// The request a point sends is the documented one: every field of
/// `PushRequest` is in the document's schema (which refuses others), and
/// a push with all of them, its zone too, matches it.
#[test]
fn the_push_request_is_the_documented_one() {
    let doc: Value = serde_json::from_str(DOC).unwrap();
    let schema = &doc["components"]["schemas"]["PushRequest"];
    let push = qabyldau::protocol::PushRequest {
        events: vec![],
        head: Some(7),
        timezone: Some("Asia/Tokyo".into()),
    };
    let value = serde_json::to_value(&push).unwrap();
    let sent: Vec<&String> = value.as_object().unwrap().keys().collect();
    let documented: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
    assert_eq!(sent, documented);
    matches(
        &doc,
        &json!({"$ref": "#/components/schemas/PushRequest"}),
        &value,
    )
    .unwrap();
    assert!(
        matches(
            &doc,
            &json!({"$ref": "#/components/schemas/PushRequest"}),
            &json!({"events": [], "timezone": 5}),
        )
        .is_err()
    );
}

/// The check can fail: on the document as it stood before this test (no
/// 400 for the stream, its events described as a plain string), the
/// stream's answers to an unknown parameter and to a good request are
/// both found wrong.
#[test]
fn the_check_fails_on_the_document_it_was_written_against() {
    let mut doc: Value = serde_json::from_str(DOC).unwrap();
    let stream = doc["paths"]["/api/v1/stream"]["get"]
        .as_object_mut()
        .unwrap();
    stream["responses"].as_object_mut().unwrap().remove("400");
    stream["responses"]["200"]["content"]["text/event-stream"] =
        json!({"schema": {"type": "string"}});
    let ops = operations(&doc);
    let i = ops.iter().position(|o| o.path == "/api/v1/stream").unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let w = world().await;
        let ask = |unknown: Option<(String, String)>| Call::Op {
            op: i,
            who: Who::Supervisor,
            params: vec![(0, 0); 5],
            unknown,
            batch: Batch::Garbage(vec![]),
        };
        let (op, a) = send(&w, &ops, &ask(Some(("colour".into(), "red".into())))).await;
        assert_eq!(a.status, 400);
        let err = check(&doc, &op, &a).unwrap_err();
        assert!(err.contains("does not list"), "{err}");
        let (op, a) = send(&w, &ops, &ask(None)).await;
        assert_eq!(a.status, 200);
        let err = check(&doc, &op, &a).unwrap_err();
        assert!(err.contains("itemSchema"), "{err}");
        // and the document as it is now passes both
        let now: Value = serde_json::from_str(DOC).unwrap();
        let ops_now = operations(&now);
        for unknown in [Some(("colour".to_string(), "red".to_string())), None] {
            let (op, a) = send(&w, &ops_now, &ask(unknown)).await;
            check(&now, &op, &a).unwrap();
        }
        w.server.stop().await;
    });
}
