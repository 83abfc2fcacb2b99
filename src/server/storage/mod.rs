//! The server's storage, behind one trait so SQLite (the default, embedded)
//! and PostgreSQL (a national office, replicated) are interchangeable.
//!
//! The HTTP layer decides everything that does not need the database:
//! tokens are hashed before they get here, events are validated and turned
//! into `projection::Change`s, the batch is checked to be consecutive. A
//! backend only stores, compares hashes, and answers queries. Methods return
//! boxed futures so the server can hold an `Arc<dyn Storage>` chosen at run
//! time.

pub(crate) mod ingest;
pub mod postgres;
pub mod region;
pub mod sqlite;

use super::projection::Change;
use crate::domain::event::{LoginResult, RegionDecision};
use crate::domain::report::Facts;
use crate::domain::{EventRecord, PointId, PointKind};
use crate::protocol::{PointView, QueueView};
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use region::{
    AppealDecision, Audience, Decided, ErasureRequest, NewStaff, RegionBatch, StaffLogin,
    StaffRecord,
};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// Busy, disk full, unreachable: worth retrying later (503).
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    #[error(
        "the server database was made by a newer qabyldau (schema {found}, this program knows up to {known})"
    )]
    SchemaTooNew { found: u32, known: u32 },
    #[error("{0} already exists")]
    AlreadyExists(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error("storage error: {0}")]
    Backend(String),
}

pub type StorageResult<T> = Result<T, StorageError>;
pub type StorageFuture<'a, T> = BoxFuture<'a, StorageResult<T>>;

/// Who a bearer token belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A point: may push its own events and read its own state.
    Point { id: PointId, region: String },
    /// A supervisor: may read one region (`*`: all regions), write nothing.
    Supervisor { name: String, region: String },
}

/// What a token hash resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenLookup {
    Valid(Principal),
    Revoked,
    Unknown,
}

/// A request for points outside the caller's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("outside the caller's scope")]
pub struct OutOfScope;

/// Which points a read covers: those matching both filters (`None`
/// matches all).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scope {
    pub region: Option<String>,
    pub point: Option<PointId>,
}

impl Scope {
    pub fn all() -> Scope {
        Scope::default()
    }

    /// The widest scope a principal may read.
    pub fn of(principal: &Principal) -> Scope {
        match principal {
            Principal::Point { id, region } => Scope {
                region: Some(region.clone()),
                point: Some(id.clone()),
            },
            Principal::Supervisor { region, .. } if region == ALL_REGIONS => Scope::all(),
            Principal::Supervisor { region, .. } => Scope {
                region: Some(region.clone()),
                point: None,
            },
        }
    }

    /// This scope narrowed to what a request asks for; `Err` when it asks
    /// for something outside.
    pub fn narrow(
        self,
        region: Option<String>,
        point: Option<PointId>,
    ) -> Result<Scope, OutOfScope> {
        let pick = |mine: Option<String>, asked: Option<String>| match (mine, asked) {
            (Some(m), Some(a)) if m != a => Err(OutOfScope),
            (Some(m), _) => Ok(Some(m)),
            (None, a) => Ok(a),
        };
        Ok(Scope {
            region: pick(self.region, region)?,
            point: pick(self.point.map(String::from), point.map(String::from))?
                .map(|p| PointId::parse(&p).map_err(|_| OutOfScope))
                .transpose()?,
        })
    }

    pub fn contains(&self, point: &PointId, region: &str) -> bool {
        self.region.as_deref().is_none_or(|r| r == region)
            && self.point.as_ref().is_none_or(|p| p == point)
    }
}

/// A supervisor's region that means every region.
pub const ALL_REGIONS: &str = "*";

/// A point as registered by an administrator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPoint {
    pub id: PointId,
    pub name: String,
    pub region: String,
    pub kind: PointKind,
}

/// A registered point as `server point list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PointRecord {
    pub id: String,
    pub name: String,
    pub region: String,
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub acked_through: u64,
    pub last_contact_at: Option<DateTime<Utc>>,
    pub flagged_seq: Option<u64>,
    /// The point's time zone (IANA), as it last said; Asia/Almaty until
    /// it does.
    pub timezone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupervisorRecord {
    pub name: String,
    pub region: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// One validated event of a batch, with its hash and what it changes.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub record: EventRecord,
    pub hash: String,
    pub change: Option<Change>,
}

/// A validated batch: the point's events, consecutive and in `seq` order.
#[derive(Debug, Clone)]
pub struct Batch {
    pub point: PointId,
    pub events: Vec<Incoming>,
    /// The point's own last `seq`, as it reported.
    pub head: Option<u64>,
    /// The point's time zone, when it said (kept on its row).
    pub timezone: Option<chrono_tz::Tz>,
    pub received_at: DateTime<Utc>,
}

impl Batch {
    /// The batch's event under `seq` (one of its own).
    pub(crate) fn offered(&self, seq: u64) -> &EventRecord {
        let first = self.events[0].record.seq;
        &self.events[(seq - first) as usize].record
    }

    /// The hash of the batch's event under `seq` (one of its own).
    pub(crate) fn offered_hash(&self, seq: u64) -> &str {
        let first = self.events[0].record.seq;
        &self.events[(seq - first) as usize].hash
    }
}

/// What became of a batch. Anything but `Stored` left no event behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestOutcome {
    Stored {
        acked_through: u64,
        stored: u64,
        duplicates: u64,
        /// Whether a live queue changed (boards are told).
        queue_changed: bool,
    },
    /// The batch starts after `expected`: events are missing in between.
    Gap { expected: u64, acked_through: u64 },
    /// The event `seq` differs from the one held under that `seq`; the
    /// point is flagged.
    Changed { seq: u64, acked_through: u64 },
}

impl IngestOutcome {
    /// An empty batch: nothing stored, the cursor confirmed.
    pub(crate) fn heartbeat(held: u64) -> Self {
        IngestOutcome::Stored {
            acked_through: held,
            stored: 0,
            duplicates: 0,
            queue_changed: false,
        }
    }

    /// A batch past the next expected `seq`.
    pub(crate) fn gap(held: u64) -> Self {
        IngestOutcome::Gap {
            expected: held + 1,
            acked_through: held,
        }
    }
}

/// One stored event with the hash it was stored under.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub record: EventRecord,
    pub hash: String,
    pub received_at: DateTime<Utc>,
}

/// What a storage backend is asked for a report: the facts of the points
/// whose zone is `timezone`, their local dates counted in it, `period` its
/// local days.
#[derive(Debug, Clone, PartialEq)]
pub struct FactsQuery {
    pub period: crate::domain::report::Period,
    pub region: Option<String>,
    pub point: Option<String>,
    /// A zone as the points' rows keep it (an IANA name): the points are
    /// chosen by this text, so a name this program cannot parse still
    /// selects its points (counted in the region's zone, `zone_of`).
    pub timezone: String,
    /// The waiting limits the report counts against: the server does not
    /// know the points' configs, the asker says them (the default is a
    /// point's default, one for every topic).
    pub wait_limits: crate::domain::queue::WaitLimits,
}

impl FactsQuery {
    /// The zone the query's local dates are counted in.
    pub fn tz(&self) -> chrono_tz::Tz {
        super::projection::zone_of(&self.timezone)
    }
}

/// The server's storage. Every method is one short transaction (or a
/// read); `ingest_batch` is one transaction for the whole batch.
pub trait Storage: Send + Sync + 'static {
    /// A short name for logs and `/healthz` ("sqlite", "postgres").
    fn backend(&self) -> &'static str;

    // --- points and tokens ---
    fn add_point(
        &self,
        point: NewPoint,
        token_hash: String,
        at: DateTime<Utc>,
    ) -> StorageFuture<'_, ()>;
    /// Revokes the point's token; its events stay. `NotFound` if unknown.
    fn revoke_point(&self, id: PointId, at: DateTime<Utc>) -> StorageFuture<'_, ()>;
    /// Gives a point a new token (after a revoke, or a lost one).
    fn replace_point_token(&self, id: PointId, token_hash: String) -> StorageFuture<'_, ()>;
    fn list_points(&self) -> StorageFuture<'_, Vec<PointRecord>>;
    /// Clears a point's conflict flag once a person has looked at it.
    fn clear_flag(&self, id: PointId) -> StorageFuture<'_, ()>;
    fn add_supervisor(
        &self,
        name: String,
        region: String,
        token_hash: String,
        at: DateTime<Utc>,
    ) -> StorageFuture<'_, ()>;
    fn revoke_supervisor(&self, name: String, at: DateTime<Utc>) -> StorageFuture<'_, ()>;
    fn list_supervisors(&self) -> StorageFuture<'_, Vec<SupervisorRecord>>;
    fn authenticate(&self, token_hash: String) -> StorageFuture<'_, TokenLookup>;
    /// What the server keeps of the point's token (its SHA-256, the key of
    /// the point's field files), revoked or not; `None`: no such point.
    fn point_token_hash(&self, id: PointId) -> StorageFuture<'_, Option<String>>;

    // --- events ---
    /// Stores a batch in one transaction (see `IngestOutcome`), applies the
    /// changes of the new events to the tables, and records the contact.
    fn ingest_batch(&self, batch: Batch) -> StorageFuture<'_, IngestOutcome>;
    /// The highest contiguous `seq` held for the point, and whether it is
    /// flagged; records the contact.
    fn cursor(&self, point: PointId, at: DateTime<Utc>) -> StorageFuture<'_, (u64, bool)>;
    /// Up to `limit` stored events of a point after `after`, in order.
    fn events(
        &self,
        point: PointId,
        after: u64,
        limit: usize,
    ) -> StorageFuture<'_, Vec<StoredEvent>>;

    // --- reads for boards and reports ---
    /// Points in scope with their state and their queue of today as of
    /// `now`, each point's today in its own zone.
    fn points(&self, scope: Scope, now: DateTime<Utc>) -> StorageFuture<'_, Vec<PointView>>;
    /// A point's queue of its own today, as of `now`.
    fn queue(&self, point: PointId, now: DateTime<Utc>) -> StorageFuture<'_, QueueView>;
    /// What the figures of a period are computed from (appeals received in
    /// it with their outcome as of its end, tickets of its days, sessions
    /// dated in it), within the query's region and point. The figures
    /// themselves are computed once, by `domain::report::compute`, for every
    /// backend and for the points alike.
    fn report_facts(&self, query: FactsQuery) -> StorageFuture<'_, Facts>;
    /// A cheap check that the database answers.
    fn ping(&self) -> StorageFuture<'_, ()>;

    // --- the region's staff ---
    /// `AlreadyExists` if the login is taken.
    fn add_staff(&self, staff: NewStaff, at: DateTime<Utc>) -> StorageFuture<'_, ()>;
    /// `NotFound` if unknown.
    fn disable_staff(&self, login: String, at: DateTime<Utc>) -> StorageFuture<'_, ()>;
    fn list_staff(&self) -> StorageFuture<'_, Vec<StaffRecord>>;
    fn staff_login(&self, login: String) -> StorageFuture<'_, Option<StaffLogin>>;
    /// Records an attempt and keeps the count of wrong PINs in a row (a
    /// right PIN resets it; a wrong one after an expired lock starts it
    /// again at 1).
    fn record_staff_attempt(
        &self,
        login: String,
        result: LoginResult,
        at: DateTime<Utc>,
    ) -> StorageFuture<'_, ()>;

    // --- the way back (docs/REGION.md) ---
    /// Appends `decision` to the region log of every point of `audience`,
    /// in one transaction; returns the points it reached.
    fn publish(
        &self,
        audience: Audience,
        by: String,
        decision: RegionDecision,
        at: DateTime<Utc>,
    ) -> StorageFuture<'_, Vec<PointId>>;
    /// Makes a decision on an appeal: the server's appeal and the point's
    /// region log change in one transaction.
    fn decide(&self, decision: AppealDecision) -> StorageFuture<'_, Decided>;
    /// Puts an erasure of an appeal's citizen in the point's region log;
    /// its `rseq`, or `None` when the server holds no such appeal.
    fn erase_citizen(&self, request: ErasureRequest) -> StorageFuture<'_, Option<u64>>;
    /// Up to `limit` of the point's region events after `after`, in order;
    /// records that the point has applied through `after`.
    fn region_events(
        &self,
        point: PointId,
        after: u64,
        limit: usize,
    ) -> StorageFuture<'_, RegionBatch>;
    /// The same events, acknowledging nothing: for a field file written at
    /// the region (`server export-for`), which the point has not applied.
    fn region_log(
        &self,
        point: PointId,
        after: u64,
        limit: usize,
    ) -> StorageFuture<'_, RegionBatch>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pid(s: &str) -> PointId {
        PointId::parse(s).unwrap()
    }

    #[test]
    fn scopes_narrow_but_never_widen() {
        let sup = Principal::Supervisor {
            name: "s".into(),
            region: "Akmola".into(),
        };
        let s = Scope::of(&sup);
        assert!(s.contains(&pid("a"), "Akmola") && !s.contains(&pid("a"), "Almaty"));
        assert!(s.clone().narrow(Some("Almaty".into()), None).is_err());
        let one = s.narrow(None, Some(pid("a"))).unwrap();
        assert_eq!(one.region.as_deref(), Some("Akmola"));
        assert!(!one.contains(&pid("b"), "Akmola"));
        let point = Principal::Point {
            id: pid("a"),
            region: "Akmola".into(),
        };
        assert!(Scope::of(&point).narrow(None, Some(pid("b"))).is_err());
        let national = Principal::Supervisor {
            name: "n".into(),
            region: ALL_REGIONS.into(),
        };
        assert!(Scope::of(&national).contains(&pid("z"), "Almaty"));
    }
}
