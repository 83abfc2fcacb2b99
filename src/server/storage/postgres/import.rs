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
    /// The point's zone (IANA), as the source kept it.
    pub timezone: String,
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

/// One event of a point's region log, as the source keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedRegionEvent {
    pub rseq: u64,
    pub id: uuid::Uuid,
    pub at: DateTime<Utc>,
    pub by_login: String,
    pub by_name: Option<String>,
    pub kind: String,
    /// `RegionDecision` as JSON, exactly as kept.
    pub decision: String,
}

/// A member of the region's staff with their PIN's hash and lock state.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedStaff {
    pub login: String,
    pub name: String,
    pub role: String,
    pub region: String,
    pub pin_hash: String,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
    pub failed_pins: u32,
    pub last_failed_at: Option<DateTime<Utc>>,
}

/// One recorded attempt to log in at the region.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedAttempt {
    pub login: String,
    pub at: DateTime<Utc>,
    pub result: String,
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
    pub region_events: u64,
    pub region_acked: u64,
    /// The appeals' outcomes, hashed: the decisions of the region are in
    /// the copy's appeals too.
    pub outcomes: String,
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
                     reported_head, last_contact_at, last_event_at, flagged_seq, flagged_at,
                     timezone)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                 ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, region = EXCLUDED.region,
                     kind = EXCLUDED.kind, token_hash = EXCLUDED.token_hash,
                     created_at = EXCLUDED.created_at, revoked_at = EXCLUDED.revoked_at,
                     reported_head = EXCLUDED.reported_head,
                     last_contact_at = EXCLUDED.last_contact_at,
                     last_event_at = EXCLUDED.last_event_at,
                     flagged_seq = EXCLUDED.flagged_seq, flagged_at = EXCLUDED.flagged_at,
                     timezone = EXCLUDED.timezone",
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
                    &p.timezone,
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

    /// A point's region log, copied as it is (a resumed run copies what is
    /// not there yet), and its decisions on appeals made again in the
    /// rebuilt appeals (by stamp, as the server made them): after the
    /// point's events, in one transaction.
    pub async fn import_region_events(
        &self,
        point: &str,
        events: &[ImportedRegionEvent],
        region_acked: u64,
    ) -> StorageResult<()> {
        use crate::domain::appeal_state::{Side, Stamp};
        use crate::domain::event::RegionDecision;
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        for e in events {
            let inserted = tx
                .execute(
                    "INSERT INTO region_events (point_id, rseq, id, at, by_login, by_name, kind, decision)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
                    &[
                        &point,
                        &(e.rseq as i64),
                        &e.id,
                        &ms(e.at),
                        &e.by_login,
                        &e.by_name,
                        &e.kind,
                        &e.decision,
                    ],
                )
                .await?;
            if inserted == 0 {
                continue;
            }
            let decision: RegionDecision = serde_json::from_str(&e.decision).map_err(corrupt)?;
            if let RegionDecision::AppealOutcomeSet(o) = decision {
                let stamp = Stamp::new(o.counts_at(e.at), Side::Region, e.rseq).encode();
                tx.execute(
                    "UPDATE appeals SET outcome = $3, redirected_to = $4, closed_at = $5,
                            updated_at = $6, outcome_stamp = $7
                     WHERE point_id = $1 AND id = $2
                       AND (outcome_stamp IS NULL OR outcome_stamp COLLATE \"C\" < $7::text COLLATE \"C\")",
                    &[
                        &point,
                        &o.appeal_id,
                        &o.outcome.as_str(),
                        &o.redirected_to.as_ref().map(|b| b.as_str()),
                        &oms(o.outcome.is_closed().then_some(e.at)),
                        &ms(e.at),
                        &stamp,
                    ],
                )
                .await?;
            }
        }
        tx.execute(
            "UPDATE points SET region_acked = GREATEST(region_acked, $2) WHERE id = $1",
            &[&point, &(region_acked as i64)],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn import_staff(&self, s: &ImportedStaff) -> StorageResult<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO staff (login, name, role, region, pin_hash, created_at, disabled_at,
                     failed_pins, last_failed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT (login) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role,
                     region = EXCLUDED.region, pin_hash = EXCLUDED.pin_hash,
                     created_at = EXCLUDED.created_at, disabled_at = EXCLUDED.disabled_at,
                     failed_pins = EXCLUDED.failed_pins, last_failed_at = EXCLUDED.last_failed_at",
                &[
                    &s.login,
                    &s.name,
                    &s.role,
                    &s.region,
                    &s.pin_hash,
                    &ms(s.created_at),
                    &oms(s.disabled_at),
                    &(s.failed_pins as i32),
                    &oms(s.last_failed_at),
                ],
            )
            .await?;
        Ok(())
    }

    /// The attempts, once: a run again copies only what the copy lacks.
    pub async fn import_attempts(&self, attempts: &[ImportedAttempt]) -> StorageResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let held: i64 = tx
            .query_one("SELECT COUNT(*) FROM staff_attempts", &[])
            .await?
            .get(0);
        // the source only grows: what the copy holds is its first rows
        for a in attempts.iter().skip(count(held) as usize) {
            tx.execute(
                "INSERT INTO staff_attempts (login, at, result) VALUES ($1, $2, $3)",
                &[&a.login, &ms(a.at), &a.result],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
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
                        (SELECT COUNT(*) FROM conflicts WHERE point_id = $1),
                        (SELECT COUNT(*) FROM region_events WHERE point_id = $1),
                        (SELECT COALESCE(MAX(region_acked), 0) FROM points WHERE id = $1),
                        (SELECT encode(sha256(convert_to(COALESCE(string_agg(
                             id::text || ' ' || outcome,
                             E'\n' ORDER BY id::text COLLATE \"C\"), ''), 'UTF8')), 'hex')
                         FROM appeals WHERE point_id = $1)",
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
            region_events: count(row.get(8)),
            region_acked: count(row.get(9)),
            outcomes: row.get(10),
        })
    }
}
