//! A point's batch of events (`POST /api/v1/events`), the cursor
//! (`GET /api/v1/cursor`): how far the server holds the point's log, and
//! the server's copy of that log read back (`GET /api/v1/events`), for a
//! point rebuilt on a new machine or restored from an older backup.

use crate::domain::EventRecord;
use serde::{Deserialize, Serialize};

/// The most events in one answer of `GET /api/v1/events`.
pub const MAX_EVENTS_PAGE: usize = 1000;

/// The body of `POST /api/v1/events`. `events` are checked one by one
/// (so an error can name the event), hence raw JSON values here; each is
/// a `domain::event::EventRecord`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub events: Vec<serde_json::Value>,
    /// The highest `seq` the point has written, so the server can show how
    /// far behind the point is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<u64>,
    /// The point's time zone (an IANA name, its `[point] timezone`): the
    /// server keeps it on the point's row and counts the point's local
    /// dates in it (appeals' days, today's queue, the report's days). A
    /// point that never sent one is on Asia/Almaty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
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

/// `GET /api/v1/events?after=N&limit=L`: the calling point's own events
/// as the server holds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsQuery {
    #[serde(default)]
    pub after: u64,
    #[serde(default)]
    pub limit: Option<usize>,
}

/// The events after `after`, in `seq` order, and how far the server holds
/// the log. The point writes them into its own database as they are, so
/// `deny_unknown_fields`: an answer it does not fully understand is not
/// written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsReply {
    pub events: Vec<EventRecord>,
    pub acked_through: u64,
}
