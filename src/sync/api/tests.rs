//! The client against a small server on 127.0.0.1 that answers what each
//! test tells it to, and remembers what it was asked.

use super::error::retry_after;
use super::*;
use crate::protocol::{PointsQuery, StreamEvent};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::TimeZone;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The status, headers and body the fake server answers with.
type Answer = (u16, Vec<(&'static str, String)>, String);

#[derive(Clone, Default)]
struct Fake {
    answer: Arc<Mutex<Answer>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

#[derive(Debug, Clone)]
struct Seen {
    path: String,
    query: Option<String>,
    authorization: Option<String>,
    user_agent: Option<String>,
}

impl Fake {
    fn answer(&self, status: u16, headers: &[(&'static str, &str)], body: &str) {
        *self.answer.lock().unwrap() = (
            status,
            headers.iter().map(|(k, v)| (*k, v.to_string())).collect(),
            body.to_string(),
        );
    }
}

async fn serve(State(fake): State<Fake>, req: Request) -> Response {
    let header = |name| {
        req.headers()
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(String::from)
    };
    fake.seen.lock().unwrap().push(Seen {
        path: req.uri().path().to_string(),
        query: req.uri().query().map(String::from),
        authorization: header(header::AUTHORIZATION),
        user_agent: header(header::USER_AGENT),
    });
    let (status, headers, body) = fake.answer.lock().unwrap().clone();
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        map.insert(k, v.parse().unwrap());
    }
    (StatusCode::from_u16(status).unwrap(), map, Body::from(body)).into_response()
}

async fn fake_server() -> (Fake, String) {
    let fake = Fake::default();
    fake.answer(200, &[], "{}");
    let app = axum::Router::new().fallback(serve).with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (fake, url)
}

fn client(url: &str) -> ApiClient {
    ApiClient::new(url, " qbl_secret \n", Timeouts::default()).unwrap()
}

const CURSOR: &str = r#"{"point_id":"p1","acked_through":7,"flagged":false}"#;

#[tokio::test]
async fn the_token_and_the_user_agent_go_with_every_call() {
    let (fake, url) = fake_server().await;
    let c = client(&url);
    fake.answer(200, &[], CURSOR);
    assert_eq!(c.cursor().await.unwrap().acked_through, 7);
    fake.answer(200, &[], r#"{"acked_through":7,"stored":0,"duplicates":0}"#);
    assert!(matches!(
        c.push(b"{\"events\":[]}".to_vec()).await.unwrap(),
        PushAnswer::Acked(_)
    ));
    fake.answer(
        200,
        &[],
        r#"{"generated_at":"2026-03-09T05:00:00Z","points":[]}"#,
    );
    let q = PointsQuery {
        region: None,
        point: Some("a b&c".into()),
    };
    assert!(c.points(&q).await.unwrap().points.is_empty());
    let seen = fake.seen.lock().unwrap().clone();
    let paths: Vec<&str> = seen.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        paths,
        ["/api/v1/cursor", "/api/v1/events", "/api/v1/points"]
    );
    for s in &seen {
        assert_eq!(s.authorization.as_deref(), Some("Bearer qbl_secret"));
        assert!(s.user_agent.as_deref().unwrap().starts_with("qabyldau/"));
    }
    // the point's id is escaped, not spliced into the address
    assert_eq!(seen[0].query, None);
    assert_eq!(seen[2].query.as_deref(), Some("point=a+b%26c"));
}

#[tokio::test]
async fn every_refusal_becomes_its_kind_with_the_servers_code() {
    let (fake, url) = fake_server().await;
    let c = client(&url);
    let body = |code: &str| format!(r#"{{"error":"{code}","message":"because"}}"#);
    fake.answer(401, &[], &body("token_revoked"));
    let e = c.cursor().await.unwrap_err();
    assert!(matches!(&e, ApiError::Unauthorized(r) if r.body.error == "token_revoked"));
    assert!(!e.is_transient());
    // the text the point records and `sync --status` shows, as before
    assert_eq!(
        e.to_string(),
        "the server answered 401 token_revoked: because"
    );
    assert_eq!(e.refusal().unwrap().summary(), "401 token_revoked: because");
    fake.answer(403, &[], &body("out_of_scope"));
    let e = c.cursor().await.unwrap_err();
    assert!(matches!(&e, ApiError::Forbidden(r) if r.status == 403 && r.json));
    assert!(!e.is_transient());
    fake.answer(413, &[], &body("body_too_large"));
    assert!(matches!(
        c.cursor().await.unwrap_err(),
        ApiError::TooLarge(_)
    ));
    fake.answer(400, &[], &body("bad_query"));
    let e = c.cursor().await.unwrap_err();
    assert!(matches!(&e, ApiError::Refused(r) if r.body.error == "bad_query"));
    assert!(!e.is_transient());
    // a proxy's page instead of the API's JSON: the status still counts
    fake.answer(502, &[], "<html>Bad gateway</html>");
    let e = c.cursor().await.unwrap_err();
    let r = e.refusal().unwrap();
    assert!(!r.json && r.body.error == "unexpected", "{r:?}");
    assert_eq!(r.summary(), "502: <html>Bad gateway</html>");
    assert!(e.is_transient());
}

#[tokio::test]
async fn a_busy_server_says_when_to_come_back() {
    let (fake, url) = fake_server().await;
    let c = client(&url);
    fake.answer(503, &[("retry-after", "7")], "<html>busy</html>");
    let e = c.cursor().await.unwrap_err();
    assert!(matches!(e, ApiError::Busy(_)), "{e:?}");
    assert!(e.is_transient());
    assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
    fake.answer(429, &[("retry-after", "120")], &"x".repeat(10));
    let e = c.cursor().await.unwrap_err();
    assert!(matches!(e, ApiError::Busy(_)), "{e:?}");
    assert_eq!(e.retry_after(), Some(Duration::from_secs(120)));
    // without the header there is no floor
    fake.answer(503, &[], "");
    assert_eq!(c.cursor().await.unwrap_err().retry_after(), None);
}

#[test]
fn retry_after_is_seconds_or_an_http_date() {
    let now = chrono::Utc.with_ymd_and_hms(2026, 3, 9, 7, 28, 0).unwrap();
    assert_eq!(retry_after(" 30 ", now), Some(Duration::from_secs(30)));
    assert_eq!(
        retry_after("Mon, 09 Mar 2026 07:29:30 GMT", now),
        Some(Duration::from_secs(90))
    );
    // a date already past: come back now
    assert_eq!(
        retry_after("Mon, 09 Mar 2026 07:00:00 GMT", now),
        Some(Duration::ZERO)
    );
    assert_eq!(retry_after("soon", now), None);
    assert_eq!(retry_after("-5", now), None);
}

#[tokio::test]
async fn what_the_server_says_becomes_one_safe_line() {
    let (fake, url) = fake_server().await;
    let c = client(&url);
    let hostile = format!(
        r#"{{"error":"x\u001b[2J","message":"{}\u001b[31mred\nsecond line\u202eevil"}}"#,
        "long ".repeat(200)
    );
    fake.answer(500, &[], &hostile);
    let e = c.cursor().await.unwrap_err();
    let r = e.refusal().unwrap();
    for text in [
        e.to_string(),
        r.summary(),
        r.body.error.clone(),
        r.body.message.clone(),
    ] {
        assert!(!text.contains('\x1b'), "{text:?}");
        assert!(!text.contains('\n'), "{text:?}");
        assert!(!text.contains('\u{202e}'), "{text:?}");
    }
    assert!(r.body.message.chars().count() <= 300);
    // a body that is not JSON is cut and cleaned the same way
    fake.answer(500, &[], &format!("\x1b]0;title\x07{}", "<p>".repeat(500)));
    let r = c.cursor().await.unwrap_err().refusal().unwrap().clone();
    assert!(!r.body.message.contains('\x1b') && !r.body.message.contains('\x07'));
    assert!(r.body.message.chars().count() <= 300);
}

#[tokio::test]
async fn a_success_that_is_not_the_apis_json_is_unreadable() {
    let (fake, url) = fake_server().await;
    let c = client(&url);
    fake.answer(200, &[], "<html>Welcome to the hotel Wi-Fi</html>");
    let e = c.cursor().await.unwrap_err();
    assert!(matches!(e, ApiError::Unreadable(_)), "{e:?}");
    assert!(e.to_string().starts_with("unreadable answer: "), "{e}");
    assert!(e.is_transient());
}

#[tokio::test]
async fn an_answer_beyond_the_limit_is_not_read() {
    let (fake, url) = fake_server().await;
    let mut c = client(&url);
    c.max_answer_bytes = 1000;
    let points = format!(
        r#"{{"generated_at":"2026-03-09T05:00:00Z","points":[],"pad":"{}"}}"#,
        "x".repeat(5000)
    );
    fake.answer(200, &[], &points);
    let e = c.points(&PointsQuery::default()).await.unwrap_err();
    assert!(matches!(e, ApiError::Oversized(_)), "{e:?}");
    assert!(!e.is_transient());
}

#[tokio::test]
async fn the_push_answers_the_forwarder_acts_on() {
    let (fake, url) = fake_server().await;
    let c = client(&url);
    fake.answer(
        413,
        &[],
        r#"{"error":"body_too_large","message":"m","limit":10}"#,
    );
    assert!(matches!(
        c.push(vec![]).await.unwrap(),
        PushAnswer::TooLarge
    ));
    fake.answer(
        409,
        &[],
        r#"{"error":"gap","message":"m","expected_seq":4,"acked_through":3}"#,
    );
    assert!(matches!(
        c.push(vec![]).await.unwrap(),
        PushAnswer::Gap { expected: 4 }
    ));
    fake.answer(
        409,
        &[],
        r#"{"error":"conflict","message":"differs\u001b[0m","seq":9}"#,
    );
    match c.push(vec![]).await.unwrap() {
        PushAnswer::Conflict { seq, message } => {
            assert_eq!(seq, 9);
            assert!(!message.contains('\x1b'), "{message:?}");
        }
        other => panic!("{other:?}"),
    }
    // a 409 that is neither is a refusal like any other
    fake.answer(409, &[], r#"{"error":"gap","message":"no numbers"}"#);
    assert!(matches!(
        c.push(vec![]).await.unwrap_err(),
        ApiError::Refused(r) if r.status == 409
    ));
    fake.answer(401, &[], r#"{"error":"unknown_token","message":"m"}"#);
    assert!(matches!(
        c.push(vec![]).await.unwrap_err(),
        ApiError::Unauthorized(_)
    ));
}

#[tokio::test]
async fn nobody_listening_is_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let e = client(&url).cursor().await.unwrap_err();
    assert!(matches!(e, ApiError::Unreachable(_)), "{e:?}");
    assert!(e.to_string().starts_with("cannot connect: "), "{e}");
    assert!(e.is_transient());
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    // accepts the connection, reads nothing, says nothing
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = vec![];
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let timeouts = Timeouts {
        connect: Duration::from_secs(5),
        read: Duration::from_millis(200),
        total: Duration::from_millis(400),
    };
    let e = ApiClient::new(&url, "t", timeouts)
        .unwrap()
        .cursor()
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::Timeout(_)), "{e:?}");
    assert!(e.to_string().starts_with("timed out: "), "{e}");
    assert!(e.is_transient());
}

#[test]
fn only_http_addresses_are_taken() {
    for bad in ["ftp://host", "host:8080", "", "http://"] {
        let e = ApiClient::new(bad, "t", Timeouts::default())
            .err()
            .unwrap_or_else(|| panic!("{bad:?} was taken"));
        assert!(matches!(e, ApiError::Setup(_)), "{bad:?}: {e:?}");
        assert!(!e.is_transient());
    }
    let c = ApiClient::new(" https://region.example/ ", "t", Timeouts::default()).unwrap();
    assert_eq!(c.base(), "https://region.example");
}

#[tokio::test]
async fn the_stream_gives_its_events_and_skips_what_it_does_not_know() {
    let (fake, url) = fake_server().await;
    let c = client(&url);
    fake.answer(
        200,
        &[("content-type", "text/event-stream")],
        ": keep-alive\n\nevent: points\ndata: []\n\nevent: newer_kind\ndata: 1\n\nevent: point\ndata: {broken\n\nevent: points\ndata: [\ndata: ]\n\n",
    );
    let mut stream = c.stream(&PointsQuery::default()).await.unwrap();
    let mut got = vec![];
    let end = loop {
        match stream.next().await {
            Ok(events) => got.extend(events),
            Err(e) => break e,
        }
    };
    assert_eq!(
        got,
        vec![StreamEvent::Points(vec![]), StreamEvent::Points(vec![])]
    );
    assert!(
        matches!(end, ApiError::Unreachable(ref s) if s.contains("closed")),
        "{end:?}"
    );
    // a refused stream is a refusal like any call
    fake.answer(403, &[], r#"{"error":"out_of_scope","message":"m"}"#);
    assert!(matches!(
        c.stream(&PointsQuery::default()).await.err().unwrap(),
        ApiError::Forbidden(_)
    ));
}

#[tokio::test]
async fn an_event_beyond_the_limit_ends_the_stream() {
    let (fake, url) = fake_server().await;
    let mut c = client(&url);
    c.max_answer_bytes = 100;
    fake.answer(
        200,
        &[],
        &format!("event: points\ndata: {}", "x".repeat(500)),
    );
    let mut stream = c.stream(&PointsQuery::default()).await.unwrap();
    let e = loop {
        if let Err(e) = stream.next().await {
            break e;
        }
    };
    assert!(matches!(e, ApiError::Oversized(_)), "{e:?}");
}
