//! The steps of the ingest (`storage::ingest`) in SQLite's SQL. The writer
//! connection's `BEGIN IMMEDIATE` takes the database's one write lock, which
//! is also the lock on the point.

use super::{apply, corrupt};
use crate::domain::PointId;
use crate::domain::time::fmt_time;
use crate::server::projection::Change;
use crate::server::storage::StorageResult;
use crate::server::storage::ingest::{Conflict, Contact, IngestStore, IngestTx, NewEvent, PointTx};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

/// The writer connection, for the length of one ingest.
pub(super) struct SqliteStore<'c>(pub &'c mut Connection);

pub(super) struct SqliteTx<'t>(Transaction<'t>);

impl IngestStore for SqliteStore<'_> {
    type Tx<'t>
        = SqliteTx<'t>
    where
        Self: 't;

    async fn begin(&mut self) -> StorageResult<SqliteTx<'_>> {
        Ok(SqliteTx(self.0.transaction_with_behavior(
            TransactionBehavior::Immediate,
        )?))
    }
}

impl PointTx for SqliteTx<'_> {
    async fn lock_point(&mut self, point: &PointId) -> StorageResult<Option<u64>> {
        let held: Option<i64> = self
            .0
            .query_row(
                "SELECT acked_seq FROM points WHERE id = ?1",
                [point.as_str()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(held.map(|h| h as u64))
    }

    async fn commit(self) -> StorageResult<()> {
        Ok(self.0.commit()?)
    }

    async fn rollback(self) -> StorageResult<()> {
        Ok(self.0.rollback()?)
    }
}

impl IngestTx for SqliteTx<'_> {
    async fn held_hashes(
        &mut self,
        point: &PointId,
        from: u64,
        to: u64,
    ) -> StorageResult<Vec<(u64, String)>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT seq, hash FROM events WHERE point_id = ?1 AND seq BETWEEN ?2 AND ?3 ORDER BY seq",
            )?
            .query_map(params![point.as_str(), from as i64, to as i64], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    async fn insert_events(
        &mut self,
        point: &PointId,
        events: &[NewEvent<'_>],
    ) -> StorageResult<Vec<(u64, String)>> {
        let mut insert = self.0.prepare_cached(
            "INSERT INTO events (point_id, seq, id, at, actor, kind, version, payload, hash, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (point_id, seq) DO NOTHING",
        )?;
        let mut already = Vec::new();
        for e in events {
            let r = e.record;
            let inserted = insert.execute(params![
                point.as_str(),
                r.seq as i64,
                r.id.to_string(),
                fmt_time(r.at),
                r.actor,
                r.kind,
                r.version,
                serde_json::to_string(&r.payload).map_err(corrupt)?,
                e.hash,
                fmt_time(e.received_at)
            ])?;
            if inserted == 0 {
                let hash: String = self.0.query_row(
                    "SELECT hash FROM events WHERE point_id = ?1 AND seq = ?2",
                    params![point.as_str(), r.seq as i64],
                    |row| row.get(0),
                )?;
                already.push((r.seq, hash));
            }
        }
        Ok(already)
    }

    async fn apply(&mut self, point: &PointId, changes: &[(u64, &Change)]) -> StorageResult<()> {
        for (seq, change) in changes {
            apply::apply(&self.0, point.as_str(), *seq, change)?;
        }
        Ok(())
    }

    async fn acknowledge(&mut self, point: &PointId, acked: u64) -> StorageResult<()> {
        self.0.execute(
            "UPDATE points SET acked_seq = ?2 WHERE id = ?1",
            params![point.as_str(), acked as i64],
        )?;
        Ok(())
    }

    async fn touch(&mut self, point: &PointId, contact: Contact) -> StorageResult<()> {
        self.0.execute(
            "UPDATE points SET last_contact_at = ?2, reported_head = COALESCE(?3, reported_head),
                    last_event_at = COALESCE(?4, last_event_at)
             WHERE id = ?1",
            params![
                point.as_str(),
                fmt_time(contact.at),
                contact.head.map(|h| h as i64),
                contact.last_event_at.map(fmt_time)
            ],
        )?;
        Ok(())
    }

    async fn flag(&mut self, point: &PointId, conflict: Conflict<'_>) -> StorageResult<()> {
        let at = fmt_time(conflict.at);
        self.0.execute(
            "UPDATE points SET flagged_seq = COALESCE(flagged_seq, ?2), flagged_at = COALESCE(flagged_at, ?3),
                    last_contact_at = ?3
             WHERE id = ?1",
            params![point.as_str(), conflict.seq as i64, at],
        )?;
        self.0.execute(
            "INSERT INTO conflicts (point_id, seq, held_hash, offered_hash, offered, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                point.as_str(),
                conflict.seq as i64,
                conflict.held_hash,
                conflict.offered.content_hash(),
                serde_json::to_string(conflict.offered).map_err(corrupt)?,
                at
            ],
        )?;
        Ok(())
    }
}
