//! The way back (docs/REGION.md): the region's log for one point, fetched
//! by the point after what it has applied.

use crate::domain::event::FromRegion;
use serde::{Deserialize, Serialize};

/// The longest a point may ask the server to hold a fetch open while there
/// is nothing new (a long poll), in seconds.
pub const MAX_WAIT_SECS: u64 = 25;

/// The most decisions in one answer.
pub const MAX_REGION_BATCH: usize = 1000;

/// `GET /api/v1/region-events?after=N&limit=L&wait=S`. `after` is also the
/// point's acknowledgement: it has applied everything up to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionEventsQuery {
    #[serde(default)]
    pub after: u64,
    #[serde(default)]
    pub limit: Option<usize>,
    /// Seconds to wait for something new when nothing is there yet.
    #[serde(default)]
    pub wait: Option<u64>,
}

/// The decisions after `after`, oldest first, and the last one the server
/// holds for the point. The point applies them in order and moves its own
/// cursor only by what it applied, so `deny_unknown_fields`: an answer it
/// does not fully understand is not applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionEventsReply {
    pub events: Vec<FromRegion>,
    pub head: u64,
}
