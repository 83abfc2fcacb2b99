//! The copy of a SQLite server into this database (`server migrate-to`):
//! points, supervisors and conflicts as they are, events through the
//! ingest's own steps, and a summary of each point to compare with the
//! source.

use super::ingest::PgStore;
use super::{PostgresStorage, corrupt, count, ms, oms};
use crate::domain::{EventRecord, PointId};
use crate::server::projection::Change;
use crate::server::storage::ingest::{IngestStore, IngestTx, NewEvent, PointTx};
use crate::server::storage::{StorageError, StorageResult};
use chrono::{DateTime, Utc};

/// A point as `server migrate-to` copies it from a SQLite server: all its
/// state but `acked_seq`, which follows the events copied.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedPoint {
    pub id: String,
    pub name: String,
    pub region: String,
    pub kind: String,
    pub token_hash: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub reported_head: Option<u64>,
    pub last_contact_at: Option<DateTime<Utc>>,
    pub last_event_at: Option<DateTime<Utc>>,
    pub flagged_seq: Option<u64>,
    pub flagged_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportedSupervisor {
    pub name: String,
    pub region: String,
    pub token_hash: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportedConflict {
    pub point_id: String,
    pub seq: u64,
    pub held_hash: String,
    pub offered_hash: String,
    pub offered: String,
    pub at: DateTime<Utc>,
}

/// A stored event as copied, with the time it first reached a server.
#[derive(Debug, Clone)]
pub struct ImportedEvent {
    pub record: EventRecord,
    pub hash: String,
    pub received_at: DateTime<Utc>,
    pub change: Option<Change>,
}

/// What a point's data adds up to, to compare a copy with its source.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PointSummary {
    pub events: u64,
    pub acked_seq: u64,
    /// SHA-256 over the events' hashes in `seq` order, one per line.
    pub chain: String,
    pub tickets: u64,
    pub appeals: u64,
    pub appeal_changes: u64,
    pub sessions: u64,
    pub conflicts: u64,
}

/// The copy of a SQLite server into this database (`server migrate-to`).
impl PostgresStorage {
    pub async fn import_point(&self, p: &ImportedPoint) -> StorageResult<()> {
        let head = p.reported_head.map(|h| h as i64);
        let flagged = p.flagged_seq.map(|s| s as i64);
        self.client()
            .await?
            .execute(
                "INSERT INTO points (id, name, region, kind, token_hash, created_at, revoked_at,
                     reported_head, last_contact_at, last_event_at, flagged_seq, flagged_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                 ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, region = EXCLUDED.region,
                     kind = EXCLUDED.kind, token_hash = EXCLUDED.token_hash,
                     created_at = EXCLUDED.created_at, revoked_at = EXCLUDED.revoked_at,
                     reported_head = EXCLUDED.reported_head,
                     last_contact_at = EXCLUDED.last_contact_at,
                     last_event_at = EXCLUDED.last_event_at,
                     flagged_seq = EXCLUDED.flagged_seq, flagged_at = EXCLUDED.flagged_at",
                &[
                    &p.id,
                    &p.name,
                    &p.region,
                    &p.kind,
                    &p.token_hash,
                    &ms(p.created_at),
                    &oms(p.revoked_at),
                    &head,
                    &oms(p.last_contact_at),
                    &oms(p.last_event_at),
                    &flagged,
                    &oms(p.flagged_at),
                ],
            )
            .await?;
        Ok(())
    }

    pub async fn import_supervisor(&self, s: &ImportedSupervisor) -> StorageResult<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO supervisors (name, region, token_hash, created_at, revoked_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (name) DO UPDATE SET region = EXCLUDED.region,
                     token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at,
                     revoked_at = EXCLUDED.revoked_at",
                &[
                    &s.name,
                    &s.region,
                    &s.token_hash,
                    &ms(s.created_at),
                    &oms(s.revoked_at),
                ],
            )
            .await?;
        Ok(())
    }

    pub async fn import_conflict(&self, c: &ImportedConflict) -> StorageResult<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO conflicts (point_id, seq, held_hash, offered_hash, offered, at)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                &[
                    &c.point_id,
                    &(c.seq as i64),
                    &c.held_hash,
                    &c.offered_hash,
                    &c.offered,
                    &ms(c.at),
                ],
            )
            .await?;
        Ok(())
    }

    /// The highest contiguous `seq` held for a point (0 when unknown).
    pub async fn acked_seq(&self, point: &str) -> StorageResult<u64> {
        let row = self
            .client()
            .await?
            .query_opt("SELECT acked_seq FROM points WHERE id = $1", &[&point])
            .await?;
        Ok(row.map_or(0, |r| count(r.get(0))))
    }

    /// Stores the next events of a point, consecutive from its `acked_seq`,
    /// and applies them, in one transaction; returns the new `acked_seq`.
    /// The ingest's own steps (`IngestTx`), without its answers to a point:
    /// anything but the next events in order means the copy is wrong.
    pub async fn import_events(&self, point: &str, events: &[ImportedEvent]) -> StorageResult<u64> {
        let id = PointId::parse(point).map_err(corrupt)?;
        let mut store = PgStore(self.client().await?);
        let mut tx = store.begin().await?;
        let held = tx
            .lock_point(&id)
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("point {point}")))?;
        let Some(first) = events.first().map(|e| e.record.seq) else {
            return Ok(held);
        };
        let consecutive = events
            .iter()
            .enumerate()
            .all(|(i, e)| e.record.seq == first + i as u64);
        if first != held + 1 || !consecutive {
            return Err(StorageError::Corrupt(format!(
                "point {point}: the copy holds events up to {held}, the next to copy start at {first}"
            )));
        }
        let rows: Vec<NewEvent<'_>> = events
            .iter()
            .map(|e| NewEvent {
                record: &e.record,
                hash: &e.hash,
                received_at: e.received_at,
            })
            .collect();
        let already = tx.insert_events(&id, &rows).await?;
        for (seq, hash) in &already {
            if events[(seq - first) as usize].hash != *hash {
                return Err(StorageError::Corrupt(format!(
                    "point {point}: event {seq} is held with another hash"
                )));
            }
        }
        let changes: Vec<(u64, &Change)> = events
            .iter()
            .filter(|e| !already.iter().any(|(s, _)| *s == e.record.seq))
            .filter_map(|e| e.change.as_ref().map(|c| (e.record.seq, c)))
            .collect();
        tx.apply(&id, &changes).await?;
        let acked = first + events.len() as u64 - 1;
        tx.acknowledge(&id, acked).await?;
        tx.commit().await?;
        Ok(acked)
    }

    /// Counts and the hash chain of a point, computed by the database.
    pub async fn summary(&self, point: &str) -> StorageResult<PointSummary> {
        let c = self.client().await?;
        let row = c
            .query_one(
                "SELECT (SELECT COUNT(*) FROM events WHERE point_id = $1),
                        (SELECT COALESCE(MAX(acked_seq), 0) FROM points WHERE id = $1),
                        (SELECT encode(sha256(convert_to(
                             COALESCE(string_agg(hash, E'\\n' ORDER BY seq), ''), 'UTF8')), 'hex')
                         FROM events WHERE point_id = $1),
                        (SELECT COUNT(*) FROM tickets WHERE point_id = $1),
                        (SELECT COUNT(*) FROM appeals WHERE point_id = $1),
                        (SELECT COUNT(*) FROM appeal_changes WHERE point_id = $1),
                        (SELECT COUNT(*) FROM sessions WHERE point_id = $1),
                        (SELECT COUNT(*) FROM conflicts WHERE point_id = $1)",
                &[&point],
            )
            .await?;
        Ok(PointSummary {
            events: count(row.get(0)),
            acked_seq: count(row.get(1)),
            chain: row.get(2),
            tickets: count(row.get(3)),
            appeals: count(row.get(4)),
            appeal_changes: count(row.get(5)),
            sessions: count(row.get(6)),
            conflicts: count(row.get(7)),
        })
    }
}
