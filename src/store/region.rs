//! What the region decided for this point, applied exactly once
//! (docs/REGION.md): each decision becomes a `from_region` event of the
//! point's own log, in one transaction with the tables it changes and with
//! its row in `region_applied`. A decision already applied (a resend, a
//! replay after `kill -9` between the commit and the acknowledgement) is
//! skipped; one that would leave a hole in the region's sequence is refused.

use super::{Result, Store, StoreError};
use crate::domain::Actor;
use crate::domain::event::{EventBody, FromRegion, RegionDecision};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;

/// What one batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// Decisions applied now.
    pub applied: u64,
    /// Decisions that were applied before (sent again).
    pub skipped: u64,
    /// The region's sequence applied through, after the batch.
    pub through: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the region sent its decision {got} while decision {expected} is the next one this point needs; nothing of the batch was applied"
)]
pub struct RegionGap {
    pub expected: u64,
    pub got: u64,
}

/// The name a regional login's decisions came with, if any did.
pub fn staff_name(conn: &Connection, login: &str) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT name FROM region_staff WHERE login = ?1",
            [login],
            |r| r.get(0),
        )
        .optional()?)
}

/// The region's sequence this point has applied through (0: nothing yet).
pub fn applied_through(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT COALESCE(MAX(rseq), 0) FROM region_applied",
        [],
        |r| r.get(0),
    )?;
    Ok(n.max(0) as u64)
}

/// Applies the decisions in `rseq` order, all or none. `at` is when the
/// point applied them (the events' time); the decisions keep their own.
pub fn apply(store: &mut Store, decisions: &[FromRegion], at: DateTime<Utc>) -> Result<Applied> {
    let done = write(store, decisions, at)?;
    if done.applied > 0
        && decisions
            .iter()
            .any(|d| matches!(d.decision, RegionDecision::CitizenErased(_)))
    {
        // an erasure leaves nothing of the citizen in the -wal file
        // (docs/ARCHITECTURE.md, "A citizen's own data")
        store.truncate_wal()?;
    }
    Ok(done)
}

fn write(store: &mut Store, decisions: &[FromRegion], at: DateTime<Utc>) -> Result<Applied> {
    store.write(&Actor::system(), at, |w| {
        let mut done = Applied {
            through: applied_through(w.conn())?,
            ..Applied::default()
        };
        let mut sorted: Vec<&FromRegion> = decisions.iter().collect();
        sorted.sort_by_key(|d| d.rseq);
        for d in sorted {
            if d.rseq <= done.through {
                done.skipped += 1;
                continue;
            }
            if d.rseq != done.through + 1 {
                return Err(StoreError::Corrupt(
                    RegionGap {
                        expected: done.through + 1,
                        got: d.rseq,
                    }
                    .to_string(),
                ));
            }
            let seq = w.append_as(&d.actor(), &EventBody::FromRegion(Box::new(d.clone())))?;
            w.conn().execute(
                "INSERT INTO region_applied (rseq, region_event_id, seq) VALUES (?1, ?2, ?3)",
                (d.rseq as i64, d.region_event_id.to_string(), seq as i64),
            )?;
            done.applied += 1;
            done.through = d.rseq;
        }
        Ok(done)
    })
}
