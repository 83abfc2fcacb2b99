//! Every way a call to the regional API can fail, as one type. The
//! callers act on the kind (wait and retry, wait long, halve the batch,
//! tell a person); the texts are the ones the point has always recorded
//! and shown.

use crate::protocol::ErrorBody;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// What the server said when it refused, each text one safe line.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub status: u16,
    /// The API's error body; when the server (or a proxy before it) sent
    /// something else, the code `unexpected` and the start of that body.
    pub body: ErrorBody,
    /// Whether `body` came as the API's JSON.
    pub json: bool,
    /// How long the server asked us to wait (`Retry-After`).
    pub retry_after: Option<Duration>,
}

impl Refusal {
    /// The refusal in one line without a preamble, as the regional board
    /// shows it: `401 unknown_token: no such token`, or `502: <html>…`
    /// when the body was not the API's.
    pub fn summary(&self) -> String {
        let line = if self.json {
            format!("{} {}: {}", self.status, self.body.error, self.body.message)
        } else {
            format!("{}: {}", self.status, self.body.message)
        };
        safe(&line)
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the server answered {} {}: {}",
            self.status, self.body.error, self.body.message
        )
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The address is not an http(s) URL, or HTTP could not be set up.
    #[error("{0}")]
    Setup(String),
    /// No connection: refused, reset, no route, or the stream ended.
    #[error("{0}")]
    Unreachable(String),
    /// Connecting, a read or the whole exchange took longer than allowed.
    #[error("{0}")]
    Timeout(String),
    /// A successful answer that is not the JSON the API promises (a
    /// captive portal's page, a cut body).
    #[error("{0}")]
    Unreadable(String),
    /// An answer (or one event of the stream) larger than the point takes.
    #[error("{0}")]
    Oversized(String),
    /// 401: the token is unknown or revoked.
    #[error("{0}")]
    Unauthorized(Box<Refusal>),
    /// 403: the token may not do or read this.
    #[error("{0}")]
    Forbidden(Box<Refusal>),
    /// 413: what we sent is larger than the server takes.
    #[error("{0}")]
    TooLarge(Box<Refusal>),
    /// 503 or 429: the server is busy or starting; `Retry-After` says when
    /// to come back.
    #[error("{0}")]
    Busy(Box<Refusal>),
    /// Any other refusal, with the server's code.
    #[error("{0}")]
    Refused(Box<Refusal>),
}

impl ApiError {
    /// The server's refusal, when it answered with one.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            ApiError::Unauthorized(r)
            | ApiError::Forbidden(r)
            | ApiError::TooLarge(r)
            | ApiError::Busy(r)
            | ApiError::Refused(r) => Some(r),
            _ => None,
        }
    }

    /// What the server asked us to wait, if anything.
    pub fn retry_after(&self) -> Option<Duration> {
        self.refusal().and_then(|r| r.retry_after)
    }

    /// Failures that waiting a little may heal (the network, a busy or
    /// restarting server, a proxy's hiccup). The others need a person: a
    /// revoked token, a refused scope, a request the server will never
    /// take.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Unreachable(_)
            | ApiError::Timeout(_)
            | ApiError::Unreadable(_)
            | ApiError::Busy(_) => true,
            ApiError::Refused(r) => r.status == 408 || r.status >= 500,
            ApiError::Setup(_)
            | ApiError::Oversized(_)
            | ApiError::Unauthorized(_)
            | ApiError::Forbidden(_)
            | ApiError::TooLarge(_) => false,
        }
    }

    /// A refusal by its status. `body` is what the server sent (at most
    /// the first bytes of it).
    pub(super) fn refused(status: u16, body: &[u8], retry_after: Option<Duration>) -> ApiError {
        let text = String::from_utf8_lossy(body);
        let (body, json) = match serde_json::from_str::<ErrorBody>(&text) {
            Ok(mut b) => {
                b.error = safe(&b.error);
                b.message = safe(&b.message);
                (b, true)
            }
            Err(_) => (ErrorBody::new("unexpected", safe(&text)), false),
        };
        // boxed: a refusal carries the server's texts, the other kinds a line
        let r = Box::new(Refusal {
            status,
            body,
            json,
            retry_after,
        });
        match status {
            401 => ApiError::Unauthorized(r),
            403 => ApiError::Forbidden(r),
            413 => ApiError::TooLarge(r),
            429 | 503 => ApiError::Busy(r),
            _ => ApiError::Refused(r),
        }
    }

    /// A failure of the exchange itself.
    pub(super) fn network(e: reqwest::Error) -> ApiError {
        // the error text can quote the URL; it is ours, but keep it one line
        if e.is_timeout() {
            ApiError::Timeout(safe(&format!("timed out: {e}")))
        } else if e.is_connect() {
            ApiError::Unreachable(safe(&format!("cannot connect: {e}")))
        } else if e.is_decode() {
            ApiError::Unreadable(safe(&format!("unreadable answer: {e}")))
        } else {
            ApiError::Unreachable(safe(&format!("network error: {e}")))
        }
    }
}

/// `Retry-After`: seconds, or an HTTP date (RFC 9110 allows both).
pub(super) fn retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (at.with_timezone(&Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

/// Untrusted text as one safe line of at most 300 characters.
pub(super) fn safe(s: &str) -> String {
    crate::domain::text::sanitize_line(s)
        .chars()
        .take(300)
        .collect()
}
