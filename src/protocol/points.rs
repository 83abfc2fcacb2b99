//! Points and their live queues: `GET /api/v1/points`, and the payload of
//! the stream's events. Ticket numbers, categories, desks and times only:
//! no field can carry a citizen's name, phone, IIN or appeal text, so no
//! board anywhere can show them.

use crate::domain::event::DeskNo;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The query of `GET /api/v1/points` and `GET /api/v1/stream`: the
/// caller's scope, narrowed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointsQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<String>,
}

/// `GET /api/v1/points`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointsReply {
    pub generated_at: DateTime<Utc>,
    pub points: Vec<PointView>,
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
    /// Decisions of the region the point has not applied yet (docs/REGION.md);
    /// absent from a server that does not send them.
    #[serde(default)]
    pub region_pending: u64,
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
