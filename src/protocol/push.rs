//! A point's batch of events (`POST /api/v1/events`) and the cursor
//! (`GET /api/v1/cursor`): how far the server holds the point's log.

use serde::{Deserialize, Serialize};

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
