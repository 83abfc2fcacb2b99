//! The regional board's link to the server: `GET /api/v1/points` for the
//! state, then `GET /api/v1/stream` (server-sent events) for changes, on a
//! tokio task of its own, through the one `ApiClient`. What it learns goes
//! to the screen as messages; the screen never waits on the network. A
//! failure (no connection, a refused token, a stream that ends or goes
//! silent) is reported with the time until the next try, which grows with
//! full jitter up to a cap (a server's `Retry-After` is a floor).
//!
//! The server's answers carry ticket numbers, categories, desks and times
//! only (`protocol::QueueView`); the text it sends (point names, error
//! messages) is made one safe line before anything shows it.

use super::api::{ApiClient, ApiError, Timeouts};
use super::backoff::Backoff;
use crate::protocol::{PointView, PointsQuery, StreamEvent};
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

/// Starts following the server. The task ends when the screen is gone
/// (the receiver dropped) or the handle is aborted.
pub fn spawn(cfg: FeedConfig, tx: UnboundedSender<FeedEvent>) -> JoinHandle<()> {
    tokio::spawn(run(cfg, tx))
}

async fn run(cfg: FeedConfig, tx: UnboundedSender<FeedEvent>) {
    let mut backoff = Backoff::new(cfg.backoff_base, cfg.backoff_cap);
    let mut rng = rand::rngs::StdRng::from_os_rng();
    let timeouts = Timeouts {
        connect: cfg.connect_timeout,
        // the stream's keep-alives reset it; silence this long is a dead link
        read: cfg.stream_silence,
        total: Duration::from_secs(60),
    };
    let client = match ApiClient::new(&cfg.server, &cfg.token, timeouts) {
        Ok(c) => c,
        Err(e) => {
            let _ = tx.send(FeedEvent::Down {
                problem: problem(e),
                retry_in: Duration::MAX,
            });
            return;
        }
    };
    let scope = PointsQuery {
        region: None,
        point: cfg.point.clone(),
    };
    loop {
        let started = Instant::now();
        let Some(error) = session(&client, &scope, cfg.refresh, &tx).await else {
            return; // the board closed
        };
        if tx.is_closed() {
            return;
        }
        // a session that was live a while starts the waits from the beginning
        if started.elapsed() > Duration::from_secs(10) {
            backoff.reset();
        }
        let retry_after = error.retry_after();
        let problem = problem(error);
        if matches!(problem, Problem::Refused(_)) {
            backoff.give_up_for_now();
        }
        let retry_in = backoff.next_delay(&mut rng, retry_after);
        tracing::warn!(problem = %problem.detail(), retry_in_ms = retry_in.as_millis() as u64, "board: no live link to the server");
        if tx.send(FeedEvent::Down { problem, retry_in }).is_err() {
            return;
        }
        tokio::time::sleep(retry_in).await;
    }
}

/// One connection: the state, then the stream until it fails. Returns why
/// it ended, or `None` when the board closed.
async fn session(
    client: &ApiClient,
    scope: &PointsQuery,
    every: Duration,
    tx: &UnboundedSender<FeedEvent>,
) -> Option<ApiError> {
    let points = match client.points(scope).await {
        Ok(reply) => reply.points,
        Err(e) => return Some(e),
    };
    tx.send(FeedEvent::Points(points)).ok()?;
    let mut stream = match client.stream(scope).await {
        Ok(s) => s,
        Err(e) => return Some(e),
    };
    tx.send(FeedEvent::Live).ok()?;
    let mut refresh = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    refresh.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            // dropping an unfinished `next()` loses nothing (StreamReader::next)
            events = stream.next() => match events {
                Ok(events) => {
                    for e in events {
                        tx.send(message(e)).ok()?;
                    }
                }
                Err(e) => return Some(e),
            },
            _ = refresh.tick() => match client.points(scope).await {
                Ok(reply) => tx.send(FeedEvent::Points(reply.points)).ok()?,
                Err(e) => return Some(e),
            },
        }
    }
}

fn message(e: StreamEvent) -> FeedEvent {
    match e {
        StreamEvent::Points(points) => FeedEvent::Points(points),
        StreamEvent::Point(point) => FeedEvent::Point(point),
    }
}

/// Why the board is not live, as the screen words it: a refused token or
/// scope, a server that is not there (or failing: 5xx), or anything else.
fn problem(e: ApiError) -> Problem {
    if let Some(r) = e.refusal() {
        return match r.status {
            401 | 403 => Problem::Refused(r.summary()),
            s if s >= 500 => Problem::Unreachable(r.summary()),
            _ => Problem::Failed(r.summary()),
        };
    }
    match e {
        ApiError::Unreachable(s) | ApiError::Timeout(s) | ApiError::Unreadable(s) => {
            Problem::Unreachable(s)
        }
        other => Problem::Failed(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ErrorBody;
    use crate::sync::api::Refusal;

    fn refusal(status: u16) -> Refusal {
        Refusal {
            status,
            body: ErrorBody::new("unknown_token", "no such token"),
            json: true,
            retry_after: None,
        }
    }

    #[test]
    fn failures_are_worded_by_what_the_board_can_do_about_them() {
        assert_eq!(
            problem(ApiError::Unauthorized(Box::new(refusal(401)))),
            Problem::Refused("401 unknown_token: no such token".into())
        );
        assert!(matches!(
            problem(ApiError::Forbidden(Box::new(refusal(403)))),
            Problem::Refused(_)
        ));
        assert!(matches!(
            problem(ApiError::Busy(Box::new(refusal(503)))),
            Problem::Unreachable(_)
        ));
        assert!(matches!(
            problem(ApiError::Refused(Box::new(refusal(400)))),
            Problem::Failed(_)
        ));
        assert_eq!(
            problem(ApiError::Timeout("timed out: x".into())),
            Problem::Unreachable("timed out: x".into())
        );
        assert!(matches!(
            problem(ApiError::Oversized("big".into())),
            Problem::Failed(_)
        ));
        assert!(matches!(
            problem(ApiError::Setup("ftp".into())),
            Problem::Failed(_)
        ));
    }
}
