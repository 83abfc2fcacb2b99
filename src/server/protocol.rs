//! The JSON of API v1, shared by the server and the forwarder so the two
//! cannot drift apart. `docs/API.md` and `assets/openapi.json` describe the
//! same shapes.

use crate::domain::event::DeskNo;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The body of `POST /api/v1/events`. `events` are checked one by one
/// (so an error can name the event), hence raw JSON values here.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub events: Vec<serde_json::Value>,
    /// The highest `seq` the point has written, so the server can show how
    /// far behind the point is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<u64>,
}

/// The answer to an accepted batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushReply {
    /// The server holds this point's events `1..=acked_through`.
    pub acked_through: u64,
    /// Events of this batch stored now.
    pub stored: u64,
    /// Events of this batch the server already held, with the same hash.
    pub duplicates: u64,
}

/// `GET /api/v1/cursor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CursorReply {
    pub point_id: String,
    pub acked_through: u64,
    /// Set when the point once sent a changed event under a known `seq`.
    pub flagged: bool,
}

/// Every error the API returns: a stable machine `error` code, a sentence
/// for a person, and, where it helps, the numbers to act on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
    /// A gap: the `seq` the server expects next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_seq: Option<u64>,
    /// Gap and conflict: what the server holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acked_through: Option<u64>,
    /// The `seq` of the event the error is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// The position of that event in the batch (from 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// A limit that was exceeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
}

impl ErrorBody {
    pub fn new(error: &str, message: impl Into<String>) -> Self {
        ErrorBody {
            error: error.into(),
            message: message.into(),
            expected_seq: None,
            acked_through: None,
            seq: None,
            index: None,
            limit: None,
        }
    }
}

/// One point as `GET /api/v1/points` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointView {
    pub id: String,
    pub name: String,
    pub region: String,
    pub kind: String,
    pub revoked: bool,
    /// The server holds events `1..=acked_through`.
    pub acked_through: u64,
    /// The point's own last `seq` as it reported at its last contact.
    pub reported_head: Option<u64>,
    /// Events the point had and the server did not, at the last contact.
    pub lag_events: u64,
    pub last_contact_at: Option<DateTime<Utc>>,
    /// Seconds since the last contact, when there was one.
    pub lag_seconds: Option<i64>,
    /// The time of the newest event held.
    pub last_event_at: Option<DateTime<Utc>>,
    pub flagged: Option<Flag>,
    pub queue: QueueView,
}

/// A changed event was offered under a `seq` the server already held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    pub seq: u64,
    pub at: DateTime<Utc>,
}

/// A point's live queue for one service day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    pub point_id: String,
    pub service_date: NaiveDate,
    /// Called or being served, newest call first.
    pub now_serving: Vec<QueueTicket>,
    /// Waiting, in the order they were taken.
    pub waiting: Vec<QueueTicket>,
    pub issued: u64,
    pub served: u64,
    pub no_shows: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueTicket {
    pub number: String,
    pub category: String,
    pub priority: String,
    pub state: String,
    pub desk: Option<DeskNo>,
    pub taken_at: DateTime<Utc>,
    pub called_at: Option<DateTime<Utc>>,
}

/// The query of `GET /api/v1/report`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub point: Option<String>,
    /// Break the appeal figures down: category, channel, kind, point, desk,
    /// operator or month.
    #[serde(default)]
    pub by: Option<crate::domain::report::GroupBy>,
    /// The waiting limit "waited over the limit" counts against; the
    /// points' default (30) when not given.
    #[serde(default)]
    pub wait_limit_minutes: Option<u32>,
}

/// A point's default waiting limit, which a report at the server counts
/// against unless asked otherwise.
pub const DEFAULT_WAIT_LIMIT_MINUTES: u32 = 30;

/// What a storage backend is asked for a report.
#[derive(Debug, Clone, PartialEq)]
pub struct FactsQuery {
    pub period: crate::domain::report::Period,
    pub region: Option<String>,
    pub point: Option<String>,
    /// The waiting limit the report counts against: the server does not
    /// know the points' configs, the asker says it (the default is a
    /// point's default).
    pub wait_limit_minutes: u32,
}
