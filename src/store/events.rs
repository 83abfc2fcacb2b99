//! The `events` table: append inside a write transaction, read in order.

use super::{Result, StoreError, fmt_time, parse_time};
use crate::domain::PointId;
use crate::domain::event::{EventBody, EventRecord, PAYLOAD_VERSION};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row};
use uuid::Uuid;

/// Appends with `seq` = last + 1. Only called inside a `BEGIN IMMEDIATE`
/// transaction, which holds the write lock, so no two processes can take
/// the same `seq`, and a rolled-back transaction leaves no gap.
pub(super) fn append(
    conn: &Connection,
    point: &PointId,
    actor: &str,
    at: DateTime<Utc>,
    body: &EventBody,
) -> Result<u64> {
    let seq = last_seq(conn)? + 1;
    let payload = serde_json::to_string(&body.payload())?;
    conn.execute(
        "INSERT INTO events (seq, point_id, id, at, actor, kind, version, payload)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        (
            seq as i64,
            point.as_str(),
            Uuid::now_v7().to_string(),
            fmt_time(at),
            actor,
            body.kind(),
            PAYLOAD_VERSION,
            payload,
        ),
    )?;
    Ok(seq)
}

/// Writes an event as it was recorded (taken back from the server), with
/// its own `seq`, id and time.
pub(super) fn insert(conn: &Connection, e: &EventRecord) -> Result<()> {
    conn.execute(
        "INSERT INTO events (seq, point_id, id, at, actor, kind, version, payload)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        (
            e.seq as i64,
            e.point_id.as_str(),
            e.id.to_string(),
            fmt_time(e.at),
            &e.actor,
            &e.kind,
            e.version,
            serde_json::to_string(&e.payload)?,
        ),
    )?;
    Ok(())
}

pub fn last_seq(conn: &Connection) -> Result<u64> {
    let seq: i64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))?;
    Ok(seq as u64)
}

/// Up to `limit` events after `after`, in `seq` order.
pub fn after(conn: &Connection, after: u64, limit: usize) -> Result<Vec<EventRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, point_id, id, at, actor, kind, version, payload
         FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let rows = stmt.query_map((after as i64, limit as i64), raw_row)?;
    rows.map(|r| r.map_err(StoreError::from).and_then(into_record))
        .collect()
}

pub fn get(conn: &Connection, seq: u64) -> Result<Option<EventRecord>> {
    conn.query_row(
        "SELECT seq, point_id, id, at, actor, kind, version, payload FROM events WHERE seq = ?1",
        [seq as i64],
        raw_row,
    )
    .optional()?
    .map(into_record)
    .transpose()
}

type RawRow = (i64, String, String, String, String, String, u32, String);

fn raw_row(r: &Row<'_>) -> rusqlite::Result<RawRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
    ))
}

fn into_record((seq, point, id, at, actor, kind, version, payload): RawRow) -> Result<EventRecord> {
    Ok(EventRecord {
        point_id: PointId::parse(&point).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        seq: seq as u64,
        id: id
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("event id {id:?}: {e}")))?,
        at: parse_time(&at)?,
        actor,
        kind,
        version,
        payload: serde_json::from_str(&payload)?,
    })
}
