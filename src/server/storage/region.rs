//! What the server's storage is asked for the way back (docs/REGION.md)
//! and for the region's own staff: plain values, so each backend only
//! stores and answers and the rules live once, in `server::region`.

use crate::domain::event::{FromRegion, LoginResult};
use crate::domain::staff::RegionRole;
use crate::domain::{AppealText, ShortText};
use crate::domain::{Outcome, PointId};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

/// The points a region-wide act is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every point that is not revoked.
    Everyone,
    /// The points of one region that are not revoked.
    Region(String),
}

/// A decision on one appeal, checked by `server::region` (who may, which
/// appeal) and made by the storage in one transaction with its event of
/// the point's region log.
#[derive(Debug, Clone, PartialEq)]
pub struct AppealDecision {
    pub point: PointId,
    /// The point's number of the appeal ("2026-00042").
    pub number: String,
    pub outcome: Outcome,
    pub redirected_to: Option<ShortText>,
    /// The answer given to the citizen.
    pub answer: Option<AppealText>,
    pub by: String,
    pub by_name: Option<String>,
    pub at: DateTime<Utc>,
}

/// An erasure of the citizen who brought an appeal, asked at the region:
/// made by the storage in one transaction with its event of the point's
/// region log (the server holds no key to delete: the point does that).
#[derive(Debug, Clone, PartialEq)]
pub struct ErasureRequest {
    pub point: PointId,
    /// The point's number of the appeal ("2026-00042").
    pub number: String,
    pub texts: bool,
    pub ground: crate::domain::event::ErasureGround,
    pub by: String,
    pub by_name: Option<String>,
    pub at: DateTime<Utc>,
}

/// What became of a decision.
#[derive(Debug, Clone, PartialEq)]
pub enum Decided {
    /// Made, and the point's region log holds it under `rseq`.
    Made { appeal_id: Uuid, rseq: u64 },
    /// The point holds no appeal of that number (not yet forwarded?).
    NoSuchAppeal,
    /// The outcome cannot follow the appeal's present one.
    Illegal { from: Outcome },
}

/// A member of the region's staff being added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaff {
    pub login: String,
    pub name: String,
    pub role: RegionRole,
    pub region: String,
    pub pin_hash: String,
}

/// A member of the region's staff as `server staff list` shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffRecord {
    pub login: String,
    pub name: String,
    pub role: String,
    pub region: String,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
}

/// What checking a login needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffLogin {
    pub record: StaffRecord,
    pub pin_hash: String,
    pub failed_pins: u32,
    pub last_failed_at: Option<DateTime<Utc>>,
}

/// A batch of a point's region log.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionBatch {
    pub events: Vec<FromRegion>,
    /// The last `rseq` held for the point (0: none).
    pub head: u64,
}

/// How an attempt is kept in `staff_attempts.result`: the words of the
/// point's own login events.
pub fn login_result(r: LoginResult) -> &'static str {
    match r {
        LoginResult::Ok => "ok",
        LoginResult::WrongPin => "wrong_pin",
        LoginResult::Locked => "locked",
        LoginResult::UnknownLogin => "unknown_login",
        LoginResult::Disabled => "disabled",
    }
}
