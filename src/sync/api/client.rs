//! `ApiClient`: one reqwest client per link to the server, and the calls
//! of API v1 with their answers turned into types.

use super::error::{ApiError, retry_after, safe};
use crate::domain::report::Report;
use crate::protocol::{
    CursorReply, EventsQuery, EventsReply, PointsQuery, PointsReply, PushReply, RegionEventsQuery,
    RegionEventsReply, ReportQuery, StreamEvent, paths,
};
use crate::sync::sse::Parser;
use chrono::Utc;
use reqwest::{RequestBuilder, Response, Url};
use serde::de::DeserializeOwned;
use std::time::Duration;

/// Timeouts of every request: connecting, waiting for each read, and the
/// whole exchange (the stream has none: it lasts while the board watches,
/// and the read timeout tells a silent one).
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub connect: Duration,
    pub read: Duration,
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            read: Duration::from_secs(30),
            total: Duration::from_secs(90),
        }
    }
}

/// The largest answer (or stream event) taken from the server: a region's
/// points with their queues fit many times over; a hostile or broken
/// server cannot make the point eat its memory.
const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;

/// Of an error body only the start is read: it ends as one short line.
const MAX_ERROR_BYTES: usize = 64 * 1024;

pub struct ApiClient {
    http: reqwest::Client,
    base: String,
    token: String,
    total: Duration,
    pub(super) max_answer_bytes: usize,
}

/// What the server said to a batch: the answers the forwarder acts on.
/// Everything else is an `ApiError`.
#[derive(Debug)]
pub enum PushAnswer {
    Acked(PushReply),
    /// 413: send fewer events at once.
    TooLarge,
    /// 409 gap: the server expects `expected` next (it holds less than we thought).
    Gap {
        expected: u64,
    },
    /// 409 conflict: the server holds a different event under `seq`.
    Conflict {
        seq: u64,
        message: String,
    },
}

impl ApiClient {
    /// `server` is the base address (`https://host:port`, a trailing slash
    /// is dropped); `token` is sent as a bearer token with every call.
    pub fn new(server: &str, token: &str, timeouts: Timeouts) -> Result<ApiClient, ApiError> {
        let base = server.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(ApiError::Setup(format!(
                "the server address must start with http:// or https://, not {:?}",
                safe(&base)
            )));
        }
        Url::parse(&base).map_err(|e| ApiError::Setup(format!("bad server address: {e}")))?;
        let http = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .read_timeout(timeouts.read)
            .user_agent(concat!("qabyldau/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::Setup(safe(&format!("cannot set up HTTP: {e}"))))?;
        Ok(ApiClient {
            http,
            base,
            token: token.trim().to_string(),
            total: timeouts.total,
            max_answer_bytes: MAX_ANSWER_BYTES,
        })
    }

    /// The server's address as given, without a trailing slash.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `GET /api/v1/cursor`: how far the server holds this point's log.
    pub async fn cursor(&self) -> Result<CursorReply, ApiError> {
        let req = self.http.get(self.url(paths::CURSOR, &[])?);
        self.call(req).await
    }

    /// `GET /api/v1/cursor`, with the server's clock: its `Date` header
    /// against this machine's clock at the middle of the round trip
    /// (`skew`: the server's time less ours; `None` when the server sent
    /// no date). The header has whole seconds, so a skew of one second is
    /// noise.
    pub async fn cursor_and_clock(
        &self,
    ) -> Result<(CursorReply, Option<chrono::TimeDelta>), ApiError> {
        let sent = Utc::now();
        let resp = self
            .http
            .get(self.url(paths::CURSOR, &[])?)
            .bearer_auth(&self.token)
            .timeout(self.total)
            .send()
            .await
            .map_err(ApiError::network)?;
        let back = Utc::now();
        let theirs = resp
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok());
        let middle = sent + (back - sent) / 2;
        // the header's whole second began up to a second before: its
        // middle is the best guess
        let skew =
            theirs.map(|t| t.with_timezone(&Utc) + chrono::TimeDelta::milliseconds(500) - middle);
        let resp = checked(resp).await?;
        let body = read_body(resp, self.max_answer_bytes).await?;
        let cursor = serde_json::from_slice(&body)
            .map_err(|e| ApiError::Unreadable(safe(&format!("unreadable answer: {e}"))))?;
        Ok((cursor, skew))
    }

    /// `GET /api/v1/events`: this point's own events as the server holds
    /// them, after `after`.
    pub async fn events(&self, query: &EventsQuery) -> Result<EventsReply, ApiError> {
        let mut pairs = vec![("after", query.after.to_string())];
        if let Some(limit) = query.limit {
            pairs.push(("limit", limit.to_string()));
        }
        let req = self.http.get(self.url(paths::EVENTS, &pairs)?);
        self.call(req).await
    }

    /// `POST /api/v1/events` with one batch, already encoded as JSON.
    pub async fn push(&self, body: Vec<u8>) -> Result<PushAnswer, ApiError> {
        let req = self
            .http
            .post(self.url(paths::EVENTS, &[])?)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        match self.call::<PushReply>(req).await {
            Ok(reply) => Ok(PushAnswer::Acked(reply)),
            Err(ApiError::TooLarge(_)) => Ok(PushAnswer::TooLarge),
            Err(ApiError::Refused(r)) if r.status == 409 => {
                match (r.body.error.as_str(), r.body.expected_seq, r.body.seq) {
                    ("gap", Some(expected), _) => Ok(PushAnswer::Gap { expected }),
                    ("conflict", _, Some(seq)) => Ok(PushAnswer::Conflict {
                        seq,
                        message: r.body.message,
                    }),
                    _ => Err(ApiError::Refused(r)),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// `GET /api/v1/region-events`: the region's decisions for this point
    /// after `after` (which acknowledges what it applied), the server
    /// holding the request up to `wait` seconds while there are none.
    pub async fn region_events(
        &self,
        query: &RegionEventsQuery,
    ) -> Result<RegionEventsReply, ApiError> {
        let mut pairs = vec![("after", query.after.to_string())];
        if let Some(limit) = query.limit {
            pairs.push(("limit", limit.to_string()));
        }
        if let Some(wait) = query.wait {
            pairs.push(("wait", wait.to_string()));
        }
        let req = self.http.get(self.url(paths::REGION_EVENTS, &pairs)?);
        self.call(req).await
    }

    /// `GET /api/v1/points`: the points in scope with their live queues.
    pub async fn points(&self, query: &PointsQuery) -> Result<PointsReply, ApiError> {
        let req = self.http.get(self.url(paths::POINTS, &scope(query))?);
        self.call(req).await
    }

    /// `GET /api/v1/stream`: the queues' changes as they happen.
    pub async fn stream(&self, query: &PointsQuery) -> Result<StreamReader, ApiError> {
        let req = self
            .http
            .get(self.url(paths::STREAM, &scope(query))?)
            .bearer_auth(&self.token);
        let resp = req.send().await.map_err(ApiError::network)?;
        let resp = checked(resp).await?;
        Ok(StreamReader {
            resp,
            parser: Parser::new(self.max_answer_bytes),
        })
    }

    /// `GET /api/v1/report`: the figures of a period, as the point's own
    /// report would give them.
    pub async fn report(&self, query: &ReportQuery) -> Result<Report, ApiError> {
        let mut pairs = vec![
            ("from", query.from.to_string()),
            ("to", query.to.to_string()),
        ];
        if let Some(region) = &query.region {
            pairs.push(("region", region.clone()));
        }
        if let Some(point) = &query.point {
            pairs.push(("point", point.clone()));
        }
        if let Some(limit) = query.wait_limit_minutes {
            pairs.push(("wait_limit_minutes", limit.to_string()));
        }
        if let Some(limits) = query.wait_limits.as_ref().filter(|l| !l.is_empty()) {
            pairs.push(("wait_limits", limits.clone()));
        }
        if let Some(by) = query.by.and_then(|b| serde_json::to_value(b).ok()) {
            pairs.push(("by", by.as_str().unwrap_or_default().to_string()));
        }
        let req = self.http.get(self.url(paths::REPORT, &pairs)?);
        self.call(req).await
    }

    fn url(&self, path: &str, pairs: &[(&str, String)]) -> Result<Url, ApiError> {
        let mut url = Url::parse(&format!("{}{path}", self.base))
            .map_err(|e| ApiError::Setup(format!("bad server address: {e}")))?;
        if !pairs.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(pairs.iter().map(|(k, v)| (k, v)));
        }
        Ok(url)
    }

    /// Sends with the token and the total timeout, and reads a JSON answer.
    async fn call<T: DeserializeOwned>(&self, req: RequestBuilder) -> Result<T, ApiError> {
        let resp = req
            .bearer_auth(&self.token)
            .timeout(self.total)
            .send()
            .await
            .map_err(ApiError::network)?;
        let resp = checked(resp).await?;
        let body = read_body(resp, self.max_answer_bytes).await?;
        serde_json::from_slice(&body)
            .map_err(|e| ApiError::Unreadable(safe(&format!("unreadable answer: {e}"))))
    }
}

fn scope(query: &PointsQuery) -> Vec<(&'static str, String)> {
    let mut pairs = Vec::new();
    if let Some(region) = &query.region {
        pairs.push(("region", region.clone()));
    }
    if let Some(point) = &query.point {
        pairs.push(("point", point.clone()));
    }
    pairs
}

/// The response if it is a success; the refusal it carries otherwise.
async fn checked(mut resp: Response) -> Result<Response, ApiError> {
    let status = resp.status();
    if status.is_success() {
        return Ok(resp);
    }
    let wait = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| retry_after(v, Utc::now()));
    // the start of the body is enough for one line; a cut or broken
    // body still leaves the status to act on
    let mut body = Vec::new();
    while body.len() < MAX_ERROR_BYTES {
        match resp.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    body.truncate(MAX_ERROR_BYTES);
    Err(ApiError::refused(status.as_u16(), &body, wait))
}

/// The whole body, if it is not larger than `limit`.
async fn read_body(mut resp: Response, limit: usize) -> Result<Vec<u8>, ApiError> {
    let too_large =
        || ApiError::Oversized(format!("the server's answer is larger than {limit} bytes"));
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(ApiError::network)? {
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The open stream of `GET /api/v1/stream`, read as it arrives.
pub struct StreamReader {
    resp: Response,
    parser: Parser,
}

impl StreamReader {
    /// Waits for the next piece of the stream and returns the events it
    /// completed (often none: a keep-alive, half an event). Events of a
    /// kind this version does not know are skipped, and so is one whose
    /// data does not read (it is logged). Dropping the future before it is
    /// ready loses nothing: a piece is taken from the body only when it is
    /// returned. The end of the stream is an error: a board wants it open.
    pub async fn next(&mut self) -> Result<Vec<StreamEvent>, ApiError> {
        let chunk = self.resp.chunk().await.map_err(ApiError::network)?;
        let Some(bytes) = chunk else {
            return Err(ApiError::Unreachable("the server closed the stream".into()));
        };
        let events = self
            .parser
            .push(&bytes)
            .map_err(|e| ApiError::Oversized(e.to_string()))?;
        Ok(events
            .into_iter()
            .filter_map(|e| {
                StreamEvent::decode(&e.event, &e.data)
                    .inspect_err(|err| {
                        tracing::warn!(error = %err, "unreadable stream event");
                    })
                    .ok()
                    .flatten()
            })
            .collect())
    }
}
