//! Reads for the forwarder, boards and `/metrics`: stored events, points
//! with their state, and a point's live queue.

use super::{corrupt, opt_time, time};
use crate::domain::{EventRecord, PointId};
use crate::protocol::{Flag, PointView, QueueTicket, QueueView};
use crate::server::projection::{REGION_TZ, local_date_in, zone_of};
use crate::server::storage::{Scope, StorageResult, StoredEvent};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

pub(super) fn events(
    c: &Connection,
    point: &PointId,
    after: u64,
    limit: usize,
) -> StorageResult<Vec<StoredEvent>> {
    let mut stmt = c.prepare_cached(
        "SELECT seq, id, at, actor, kind, version, payload, hash, received_at
         FROM events WHERE point_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![point.as_str(), after as i64, limit as i64], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, u32>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, String>(7)?,
            r.get::<_, String>(8)?,
        ))
    })?;
    rows.map(|r| {
        let (seq, id, at, actor, kind, version, payload, hash, received) = r?;
        Ok(StoredEvent {
            record: EventRecord {
                point_id: point.clone(),
                seq: seq as u64,
                id: id.parse().map_err(corrupt)?,
                at: time(&at)?,
                actor,
                kind,
                version,
                payload: serde_json::from_str(&payload).map_err(corrupt)?,
            },
            hash,
            received_at: time(&received)?,
        })
    })
    .collect()
}

pub(super) fn points(
    c: &Connection,
    scope: &Scope,
    now: DateTime<Utc>,
) -> StorageResult<Vec<PointView>> {
    let sql = "SELECT id, name, region, kind, revoked_at, acked_seq, reported_head,
                last_contact_at, last_event_at, flagged_seq, flagged_at, timezone,
                (SELECT COALESCE(MAX(rseq), 0) FROM region_events e WHERE e.point_id = points.id)
                    - region_acked
         FROM points WHERE (?1 IS NULL OR region = ?1) AND (?2 IS NULL OR id = ?2)
         ORDER BY region, id";
    let mut stmt = c.prepare(sql)?;
    let point = scope.point.as_ref().map(|p| p.as_str());
    let rows = stmt.query_map(params![scope.region, point], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, i64>(5)?,
            r.get::<_, Option<i64>>(6)?,
            r.get::<_, Option<String>>(7)?,
            r.get::<_, Option<String>>(8)?,
            r.get::<_, Option<i64>>(9)?,
            r.get::<_, Option<String>>(10)?,
            r.get::<_, String>(11)?,
            r.get::<_, i64>(12)?,
        ))
    })?;
    let mut out = Vec::new();
    for r in rows {
        let (
            id,
            name,
            region,
            kind,
            revoked,
            acked,
            head,
            contact,
            last_event,
            fseq,
            fat,
            tz,
            pending,
        ) = r?;
        let acked = acked as u64;
        let head = head.map(|h| h as u64);
        let contact = opt_time(contact)?;
        let flagged = match (fseq, fat) {
            (Some(seq), Some(at)) => Some(Flag {
                seq: seq as u64,
                at: time(&at)?,
            }),
            _ => None,
        };
        // a point in another zone has begun (or not yet begun) its own day
        let queue = queue_of(c, &id, local_date_in(now, zone_of(&tz)))?;
        out.push(PointView {
            id,
            name,
            region,
            kind,
            revoked: revoked.is_some(),
            acked_through: acked,
            reported_head: head,
            lag_events: head.map_or(0, |h| h.saturating_sub(acked)),
            last_contact_at: contact,
            lag_seconds: contact.map(|t| (now - t).num_seconds().max(0)),
            last_event_at: opt_time(last_event)?,
            flagged,
            queue,
            region_pending: pending.max(0) as u64,
        });
    }
    Ok(out)
}

pub(super) fn queue_of(c: &Connection, point: &str, today: NaiveDate) -> StorageResult<QueueView> {
    let day = today.to_string();
    let mut stmt = c.prepare_cached(
        "SELECT number, category, priority, state, desk, taken_at, called_at
         FROM tickets WHERE point_id = ?1 AND service_date = ?2
           AND state IN ('waiting', 'called', 'serving')
         ORDER BY CASE WHEN state = 'waiting' THEN 1 ELSE 0 END,
                  called_at DESC, taken_at",
    )?;
    let rows = stmt.query_map(params![point, day], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<u16>>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, Option<String>>(6)?,
        ))
    })?;
    let mut now_serving = Vec::new();
    let mut waiting = Vec::new();
    for r in rows {
        let (number, category, priority, state, desk, taken, called) = r?;
        let ticket = QueueTicket {
            number,
            category,
            priority,
            desk,
            taken_at: time(&taken)?,
            called_at: opt_time(called)?,
            state,
        };
        if ticket.state == "waiting" {
            waiting.push(ticket);
        } else {
            now_serving.push(ticket);
        }
    }
    let (issued, served, no_shows): (i64, i64, i64) = c.query_row(
        "SELECT COUNT(*), COALESCE(SUM(state = 'done'), 0), COALESCE(SUM(state = 'no_show'), 0)
         FROM tickets WHERE point_id = ?1 AND service_date = ?2",
        params![point, day],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(QueueView {
        point_id: point.to_string(),
        service_date: today,
        now_serving,
        waiting,
        issued: issued as u64,
        served: served as u64,
        no_shows: no_shows as u64,
    })
}

/// A point's queue of its own today (the region's for a point not
/// registered: an empty queue either way).
pub(super) fn queue(
    c: &Connection,
    point: &PointId,
    now: DateTime<Utc>,
) -> StorageResult<QueueView> {
    let tz: Option<String> = c
        .query_row(
            "SELECT timezone FROM points WHERE id = ?1",
            [point.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    let tz = tz.as_deref().map_or(REGION_TZ, zone_of);
    queue_of(c, point.as_str(), local_date_in(now, tz))
}
