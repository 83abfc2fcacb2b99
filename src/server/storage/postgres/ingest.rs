//! The steps of the ingest (`storage::ingest`) in PostgreSQL's SQL. The
//! point's row lock (`SELECT … FOR UPDATE`) serialises the batches of one
//! point; batches of different points run in parallel.

use super::apply::{Statements, apply};
use super::{Client, corrupt, count, ms};
use crate::domain::PointId;
use crate::server::projection::Change;
use crate::server::storage::StorageResult;
use crate::server::storage::ingest::{Conflict, Contact, IngestStore, IngestTx, NewEvent, PointTx};
use deadpool_postgres::Transaction;

/// A pooled connection, for the length of one ingest.
pub(super) struct PgStore(pub Client);

pub(super) struct PgTx<'t>(Transaction<'t>);

impl IngestStore for PgStore {
    type Tx<'t>
        = PgTx<'t>
    where
        Self: 't;

    async fn begin(&mut self) -> StorageResult<PgTx<'_>> {
        // dropped unfinished (a request cancelled), it rolls back
        Ok(PgTx(self.0.transaction().await?))
    }
}

impl PointTx for PgTx<'_> {
    async fn lock_point(&mut self, point: &PointId) -> StorageResult<Option<u64>> {
        // a second batch of this point waits here until this one commits,
        // then sees its acked_seq
        let row = self
            .0
            .query_opt(
                "SELECT acked_seq FROM points WHERE id = $1 FOR UPDATE",
                &[&point.as_str()],
            )
            .await?;
        Ok(row.map(|r| count(r.get(0))))
    }

    async fn commit(self) -> StorageResult<()> {
        Ok(self.0.commit().await?)
    }

    async fn rollback(self) -> StorageResult<()> {
        Ok(self.0.rollback().await?)
    }
}

impl IngestTx for PgTx<'_> {
    async fn held_hashes(
        &mut self,
        point: &PointId,
        from: u64,
        to: u64,
    ) -> StorageResult<Vec<(u64, String)>> {
        Ok(self
            .0
            .query(
                "SELECT seq, hash FROM events WHERE point_id = $1 AND seq BETWEEN $2 AND $3
                 ORDER BY seq",
                &[&point.as_str(), &(from as i64), &(to as i64)],
            )
            .await?
            .iter()
            .map(|r| (count(r.get(0)), r.get(1)))
            .collect())
    }

    /// One statement for the whole batch: arrays unnested, `ON CONFLICT DO
    /// NOTHING`, the seqs inserted returned.
    async fn insert_events(
        &mut self,
        point: &PointId,
        events: &[NewEvent<'_>],
    ) -> StorageResult<Vec<(u64, String)>> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let n = events.len();
        let (mut seqs, mut ids, mut ats) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let (mut actors, mut kinds, mut versions) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let (mut payloads, mut hashes, mut received) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for e in events {
            let r = e.record;
            seqs.push(r.seq as i64);
            ids.push(r.id);
            ats.push(ms(r.at));
            actors.push(r.actor.as_str());
            kinds.push(r.kind.as_str());
            versions.push(r.version as i32);
            payloads.push(serde_json::to_string(&r.payload).map_err(corrupt)?);
            hashes.push(e.hash);
            received.push(ms(e.received_at));
        }
        let insert = self
            .0
            .prepare_cached(
                "INSERT INTO events (point_id, seq, id, at, actor, kind, version, payload, hash, received_at)
                 SELECT $1, u.* FROM UNNEST($2::bigint[], $3::uuid[], $4::timestamptz[], $5::text[],
                     $6::text[], $7::integer[], $8::text[], $9::text[], $10::timestamptz[]) AS u
                 ON CONFLICT (point_id, seq) DO NOTHING
                 RETURNING seq",
            )
            .await?;
        let inserted = self
            .0
            .query(
                &insert,
                &[
                    &point.as_str(),
                    &seqs,
                    &ids,
                    &ats,
                    &actors,
                    &kinds,
                    &versions,
                    &payloads,
                    &hashes,
                    &received,
                ],
            )
            .await?;
        if inserted.len() == n {
            return Ok(Vec::new());
        }
        let mut fresh = vec![false; n];
        for r in &inserted {
            fresh[(r.get::<_, i64>(0) - seqs[0]) as usize] = true;
        }
        let held: Vec<i64> = seqs
            .iter()
            .zip(&fresh)
            .filter(|(_, f)| !**f)
            .map(|(s, _)| *s)
            .collect();
        Ok(self
            .0
            .query(
                "SELECT seq, hash FROM events WHERE point_id = $1 AND seq = ANY($2) ORDER BY seq",
                &[&point.as_str(), &held],
            )
            .await?
            .iter()
            .map(|r| (count(r.get(0)), r.get(1)))
            .collect())
    }

    async fn apply(&mut self, point: &PointId, changes: &[(u64, &Change)]) -> StorageResult<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let st = Statements::prepare(&self.0).await?;
        let (tx, point) = (&self.0, point.as_str());
        // an erasure is several statements, each after the last answer: in
        // a pipeline the changes after it would overtake its later ones
        if changes
            .iter()
            .any(|(_, c)| matches!(c, Change::CitizenErased { .. }))
        {
            for (seq, c) in changes {
                apply(tx, &st, point, *seq as i64, c).await?;
            }
            return Ok(());
        }
        // pipelined: each statement is sent when its future is first polled,
        // in this order, and the server runs them in the order it got them
        futures::future::try_join_all(
            changes
                .iter()
                .map(|(seq, c)| apply(tx, &st, point, *seq as i64, c)),
        )
        .await?;
        Ok(())
    }

    async fn acknowledge(&mut self, point: &PointId, acked: u64) -> StorageResult<()> {
        self.0
            .execute(
                "UPDATE points SET acked_seq = $2 WHERE id = $1",
                &[&point.as_str(), &(acked as i64)],
            )
            .await?;
        Ok(())
    }

    async fn touch(&mut self, point: &PointId, contact: Contact) -> StorageResult<()> {
        let head = contact.head.map(|h| h.min(i64::MAX as u64) as i64);
        self.0
            .execute(
                "UPDATE points SET last_contact_at = $2, reported_head = COALESCE($3, reported_head),
                        last_event_at = COALESCE($4, last_event_at),
                        timezone = COALESCE($5, timezone)
                 WHERE id = $1",
                &[
                    &point.as_str(),
                    &ms(contact.at),
                    &head,
                    &contact.last_event_at.map(ms),
                    &contact.timezone.map(|t| t.name()),
                ],
            )
            .await?;
        Ok(())
    }

    async fn flag(&mut self, point: &PointId, conflict: Conflict<'_>) -> StorageResult<()> {
        let at = ms(conflict.at);
        self.0
            .execute(
                "UPDATE points SET flagged_seq = COALESCE(flagged_seq, $2),
                        flagged_at = COALESCE(flagged_at, $3), last_contact_at = $3
                 WHERE id = $1",
                &[&point.as_str(), &(conflict.seq as i64), &at],
            )
            .await?;
        self.0
            .execute(
                "INSERT INTO conflicts (point_id, seq, held_hash, offered_hash, offered, at)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                &[
                    &point.as_str(),
                    &(conflict.seq as i64),
                    &conflict.held_hash,
                    &conflict.offered.content_hash(),
                    &serde_json::to_string(conflict.offered).map_err(corrupt)?,
                    &at,
                ],
            )
            .await?;
        Ok(())
    }
}
