//! The forwarder's HTTP calls, with the API's answers turned into types.
//! Anything the server says is untrusted text: it is made one safe line
//! before it goes anywhere a person will read it.

use super::SyncError;
use crate::server::protocol::{CursorReply, ErrorBody, PushReply};
use reqwest::StatusCode;
use std::time::Duration;

/// Timeouts of every request: connecting, waiting for each read, and the
/// whole exchange.
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

pub struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

/// What the server said to a batch.
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

impl Client {
    pub fn new(server: &str, token: &str, timeouts: Timeouts) -> Result<Client, SyncError> {
        let base = server.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(SyncError::Config(format!(
                "the server address must start with http:// or https://, not {:?}",
                crate::domain::text::sanitize_line(&base)
            )));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .read_timeout(timeouts.read)
            .timeout(timeouts.total)
            .user_agent(concat!("qabyldau/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SyncError::Config(format!("cannot set up HTTP: {e}")))?;
        Ok(Client {
            http,
            base,
            token: token.trim().to_string(),
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub async fn cursor(&self) -> Result<CursorReply, SyncError> {
        let resp = self
            .http
            .get(format!("{}/api/v1/cursor", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(network)?;
        if resp.status() == StatusCode::OK {
            return resp.json().await.map_err(network);
        }
        Err(refusal(resp).await)
    }

    /// The figures of a period (`GET /api/v1/report`), as the point's own
    /// report would give them.
    pub async fn report(
        &self,
        query: &crate::server::protocol::ReportQuery,
    ) -> Result<crate::domain::report::Report, SyncError> {
        let mut url = reqwest::Url::parse(&format!("{}/api/v1/report", self.base))
            .map_err(|e| SyncError::Config(format!("bad server address: {e}")))?;
        {
            let mut pairs = url.query_pairs_mut();
            pairs.append_pair("from", &query.from.to_string());
            pairs.append_pair("to", &query.to.to_string());
            if let Some(region) = &query.region {
                pairs.append_pair("region", region);
            }
            if let Some(point) = &query.point {
                pairs.append_pair("point", point);
            }
            if let Some(limit) = query.wait_limit_minutes {
                pairs.append_pair("wait_limit_minutes", &limit.to_string());
            }
            if let Some(by) = query.by.and_then(|b| serde_json::to_value(b).ok()) {
                pairs.append_pair("by", by.as_str().unwrap_or_default());
            }
        }
        let resp = self
            .http
            .get(url)
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(network)?;
        if resp.status() == StatusCode::OK {
            return resp.json().await.map_err(network);
        }
        Err(refusal(resp).await)
    }

    /// Sends one batch, already encoded as JSON.
    pub async fn push(&self, body: Vec<u8>) -> Result<PushAnswer, SyncError> {
        let resp = self
            .http
            .post(format!("{}/api/v1/events", self.base))
            .bearer_auth(&self.token)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(network)?;
        match resp.status() {
            StatusCode::OK => Ok(PushAnswer::Acked(resp.json().await.map_err(network)?)),
            StatusCode::PAYLOAD_TOO_LARGE => Ok(PushAnswer::TooLarge),
            StatusCode::CONFLICT => {
                let status = resp.status();
                let body = error_body(resp).await;
                match (body.error.as_str(), body.expected_seq, body.seq) {
                    ("gap", Some(expected), _) => Ok(PushAnswer::Gap { expected }),
                    ("conflict", _, Some(seq)) => Ok(PushAnswer::Conflict {
                        seq,
                        message: safe(&body.message),
                    }),
                    _ => Err(server_error(status, body, None)),
                }
            }
            _ => Err(refusal(resp).await),
        }
    }
}

fn network(e: reqwest::Error) -> SyncError {
    // the error text can quote the URL; it is ours, but keep it one line
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else if e.is_decode() {
        "unreadable answer"
    } else {
        "network error"
    };
    SyncError::Network(safe(&format!("{kind}: {e}")))
}

fn safe(s: &str) -> String {
    crate::domain::text::sanitize_line(s)
        .chars()
        .take(300)
        .collect()
}

/// The server's JSON error, or a stand-in when it sent something else
/// (a proxy's HTML page, nothing at all).
async fn error_body(resp: reqwest::Response) -> ErrorBody {
    let text = resp.text().await.unwrap_or_default();
    serde_json::from_str::<ErrorBody>(&text)
        .unwrap_or_else(|_| ErrorBody::new("unexpected", safe(&text)))
}

async fn refusal(resp: reqwest::Response) -> SyncError {
    let status = resp.status();
    let retry_after = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let body = error_body(resp).await;
    server_error(status, body, retry_after)
}

fn server_error(status: StatusCode, body: ErrorBody, retry_after: Option<Duration>) -> SyncError {
    SyncError::Server {
        status: status.as_u16(),
        code: safe(&body.error),
        message: safe(&body.message),
        retry_after,
    }
}
