//! The regional board's link to the server: `GET /api/v1/points` for the
//! state, then `GET /api/v1/stream` (server-sent events) for changes, on a
//! tokio task of its own. What it learns goes to the screen as messages;
//! the screen never waits on the network. A failure (no connection, a
//! refused token, a stream that ends or goes silent) is reported with the
//! time until the next try, which grows with full jitter up to a cap.
//!
//! The server's answers carry ticket numbers, categories, desks and times
//! only (`protocol::QueueView`); the text it sends (point names,
//! error messages) is made one safe line before anything shows it.

use super::backoff::Backoff;
use super::sse::{Parser, SseEvent};
use crate::protocol::PointsReply;
use crate::protocol::{ErrorBody, PointView};
use rand::SeedableRng;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

/// Where and how the board follows the region.
#[derive(Debug, Clone)]
pub struct FeedConfig {
    pub server: String,
    pub token: String,
    /// One point instead of every point the token may read.
    pub point: Option<String>,
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    /// How often the whole state is read again: the last contact of a
    /// point that only sends heartbeats changes without a stream event.
    pub refresh: Duration,
    pub connect_timeout: Duration,
    /// A stream silent this long is taken for dead (the server sends a
    /// keep-alive every 15 s).
    pub stream_silence: Duration,
}

impl FeedConfig {
    pub fn new(server: impl Into<String>, token: impl Into<String>) -> FeedConfig {
        FeedConfig {
            server: server.into().trim().trim_end_matches('/').to_string(),
            token: token.into().trim().to_string(),
            point: None,
            backoff_base: Duration::from_secs(1),
            backoff_cap: Duration::from_secs(30),
            refresh: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            stream_silence: Duration::from_secs(45),
        }
    }
}

/// What the feed tells the screen.
#[derive(Debug, Clone, PartialEq)]
pub enum FeedEvent {
    /// The stream is open: what follows is live.
    Live,
    /// Every point in scope: the first state, a periodic refresh, or again
    /// after the board fell behind the server's changes.
    Points(Vec<PointView>),
    /// One point, after its queue changed.
    Point(Box<PointView>),
    /// The server is not there or refused; the next try is in `retry_in`.
    Down {
        problem: Problem,
        retry_in: Duration,
    },
}

/// Why the board is not live, in one safe line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No answer: connection refused, timed out, the stream ended.
    Unreachable(String),
    /// The server refused the token or the scope (401, 403).
    Refused(String),
    /// Any other answer the board cannot use.
    Failed(String),
}

impl Problem {
    pub fn detail(&self) -> &str {
        match self {
            Problem::Unreachable(s) | Problem::Refused(s) | Problem::Failed(s) => s,
        }
    }
}

/// The largest event the board takes from the stream.
const MAX_EVENT_BYTES: usize = 32 * 1024 * 1024;

/// Starts following the server. The task ends when the screen is gone
/// (the receiver dropped) or the handle is aborted.
pub fn spawn(cfg: FeedConfig, tx: UnboundedSender<FeedEvent>) -> JoinHandle<()> {
    tokio::spawn(run(cfg, tx))
}

async fn run(cfg: FeedConfig, tx: UnboundedSender<FeedEvent>) {
    let mut backoff = Backoff::new(cfg.backoff_base, cfg.backoff_cap);
    let mut rng = rand::rngs::StdRng::from_os_rng();
    let clients = match Clients::new(&cfg) {
        Ok(c) => c,
        Err(problem) => {
            let _ = tx.send(FeedEvent::Down {
                problem,
                retry_in: Duration::MAX,
            });
            return;
        }
    };
    loop {
        let started = Instant::now();
        let problem = session(&cfg, &clients, &tx).await;
        if tx.is_closed() {
            return;
        }
        // a session that was live a while starts the waits from the beginning
        if started.elapsed() > Duration::from_secs(10) {
            backoff.reset();
        }
        if matches!(problem, Problem::Refused(_)) {
            backoff.give_up_for_now();
        }
        let retry_in = backoff.next_delay(&mut rng, None);
        tracing::warn!(problem = %problem.detail(), retry_in_ms = retry_in.as_millis() as u64, "board: no live link to the server");
        if tx.send(FeedEvent::Down { problem, retry_in }).is_err() {
            return;
        }
        tokio::time::sleep(retry_in).await;
    }
}

struct Clients {
    /// For `/points`: every timeout set.
    short: reqwest::Client,
    /// For the stream: no total timeout (it lasts), a read timeout longer
    /// than the keep-alive.
    long: reqwest::Client,
}

impl Clients {
    fn new(cfg: &FeedConfig) -> Result<Clients, Problem> {
        if !(cfg.server.starts_with("http://") || cfg.server.starts_with("https://")) {
            return Err(Problem::Failed(format!(
                "the server address must start with http:// or https://, not {:?}",
                safe(&cfg.server)
            )));
        }
        let build = |total: Option<Duration>| {
            let mut b = reqwest::Client::builder()
                .connect_timeout(cfg.connect_timeout)
                .read_timeout(cfg.stream_silence)
                .user_agent(concat!("qabyldau-board/", env!("CARGO_PKG_VERSION")));
            if let Some(t) = total {
                b = b.timeout(t);
            }
            b.build()
                .map_err(|e| Problem::Failed(safe(&format!("cannot set up HTTP: {e}"))))
        };
        Ok(Clients {
            short: build(Some(Duration::from_secs(60)))?,
            long: build(None)?,
        })
    }
}

fn url(cfg: &FeedConfig, path: &str) -> String {
    match &cfg.point {
        Some(p) => format!("{}{path}?point={}", cfg.server, encode(p)),
        None => format!("{}{path}", cfg.server),
    }
}

/// A point id is letters, digits and dashes; anything else is escaped.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// One connection: the state, then the stream until it fails. Returns why
/// it ended.
async fn session(cfg: &FeedConfig, c: &Clients, tx: &UnboundedSender<FeedEvent>) -> Problem {
    match fetch_points(cfg, c).await {
        Ok(points) => {
            if tx.send(FeedEvent::Points(points)).is_err() {
                return Problem::Failed("the board closed".into());
            }
        }
        Err(p) => return p,
    }
    let mut resp = match c
        .long
        .get(url(cfg, "/api/v1/stream"))
        .bearer_auth(&cfg.token)
        .send()
        .await
    {
        Ok(r) if r.status().is_success() => r,
        Ok(r) => return refusal(r).await,
        Err(e) => return network(e),
    };
    if tx.send(FeedEvent::Live).is_err() {
        return Problem::Failed("the board closed".into());
    }
    let mut parser = Parser::new(MAX_EVENT_BYTES);
    let mut refresh =
        tokio::time::interval_at(tokio::time::Instant::now() + cfg.refresh, cfg.refresh);
    refresh.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            // dropping an unfinished `chunk()` loses nothing: a frame is
            // taken from the body only when it is returned
            chunk = resp.chunk() => match chunk {
                Ok(Some(bytes)) => {
                    let events = match parser.push(&bytes) {
                        Ok(e) => e,
                        Err(e) => return Problem::Failed(e.to_string()),
                    };
                    for e in events {
                        if let Some(msg) = decode(e) && tx.send(msg).is_err() {
                            return Problem::Failed("the board closed".into());
                        }
                    }
                }
                Ok(None) => return Problem::Unreachable("the server closed the stream".into()),
                Err(e) => return network(e),
            },
            _ = refresh.tick() => match fetch_points(cfg, c).await {
                Ok(points) => {
                    if tx.send(FeedEvent::Points(points)).is_err() {
                        return Problem::Failed("the board closed".into());
                    }
                }
                Err(p) => return p,
            },
        }
    }
}

async fn fetch_points(cfg: &FeedConfig, c: &Clients) -> Result<Vec<PointView>, Problem> {
    let resp = c
        .short
        .get(url(cfg, "/api/v1/points"))
        .bearer_auth(&cfg.token)
        .send()
        .await
        .map_err(network)?;
    if !resp.status().is_success() {
        return Err(refusal(resp).await);
    }
    let reply: PointsReply = resp.json().await.map_err(network)?;
    Ok(reply.points)
}

/// A stream event as a message; anything unreadable is logged and skipped.
fn decode(e: SseEvent) -> Option<FeedEvent> {
    let msg = match e.event.as_str() {
        "points" => serde_json::from_str(&e.data).map(FeedEvent::Points),
        "point" => serde_json::from_str(&e.data).map(|p| FeedEvent::Point(Box::new(p))),
        _ => return None,
    };
    msg.inspect_err(|err| tracing::warn!(error = %err, "board: unreadable stream event"))
        .ok()
}

fn network(e: reqwest::Error) -> Problem {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else if e.is_decode() {
        "unreadable answer"
    } else {
        "network error"
    };
    Problem::Unreachable(safe(&format!("{kind}: {e}")))
}

async fn refusal(resp: reqwest::Response) -> Problem {
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap_or_default();
    let message = serde_json::from_str::<ErrorBody>(&text)
        .map(|b| format!("{status} {}: {}", b.error, b.message))
        .unwrap_or_else(|_| format!("{status}: {text}"));
    match status {
        401 | 403 => Problem::Refused(safe(&message)),
        _ if status >= 500 => Problem::Unreachable(safe(&message)),
        _ => Problem::Failed(safe(&message)),
    }
}

fn safe(s: &str) -> String {
    crate::domain::text::sanitize_line(s)
        .chars()
        .take(300)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_ids_are_escaped_in_the_query() {
        let mut cfg = FeedConfig::new("http://h:1/", "t");
        assert_eq!(url(&cfg, "/api/v1/points"), "http://h:1/api/v1/points");
        cfg.point = Some("akm-01".into());
        assert_eq!(
            url(&cfg, "/api/v1/stream"),
            "http://h:1/api/v1/stream?point=akm-01"
        );
        cfg.point = Some("a b&c".into());
        assert_eq!(
            url(&cfg, "/api/v1/points"),
            "http://h:1/api/v1/points?point=a%20b%26c"
        );
    }

    #[test]
    fn unknown_and_broken_events_are_skipped() {
        let e = |event: &str, data: &str| SseEvent {
            event: event.into(),
            data: data.into(),
        };
        assert_eq!(decode(e("hello", "{}")), None);
        assert_eq!(decode(e("point", "{not json")), None);
        assert_eq!(decode(e("points", "[]")), Some(FeedEvent::Points(vec![])));
    }
}
