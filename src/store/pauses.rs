//! Desks on a break: the ones paused now (`paused_desks`), and the pauses
//! and resumes of a period read from the event log for the report.

use super::{Result, StoreError, fmt_time, parse_time};
use crate::domain::PointId;
use crate::domain::event::DeskNo;
use crate::domain::pause::{DeskPause, PauseMark, PauseReason, mark_of};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

fn reason(s: &str) -> Result<PauseReason> {
    s.parse().map_err(StoreError::Corrupt)
}

/// Every desk paused now, by number.
pub fn paused_now(conn: &Connection) -> Result<Vec<(DeskNo, DeskPause)>> {
    let mut stmt =
        conn.prepare_cached("SELECT desk, reason, since FROM paused_desks ORDER BY desk")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, DeskNo>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    rows.map(|row| {
        let (desk, why, since) = row?;
        Ok((
            desk,
            DeskPause {
                reason: reason(&why)?,
                since: parse_time(&since)?,
            },
        ))
    })
    .collect()
}

/// This desk's pause, if it is paused.
pub fn of_desk(conn: &Connection, desk: DeskNo) -> Result<Option<DeskPause>> {
    let row = conn
        .query_row(
            "SELECT reason, since FROM paused_desks WHERE desk = ?1",
            [desk],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?;
    row.map(|(why, since)| {
        Ok(DeskPause {
            reason: reason(&why)?,
            since: parse_time(&since)?,
        })
    })
    .transpose()
}

/// Pauses and resumes from `start` (included) to `end` (excluded), in
/// `seq` order, as `domain::pause::pauses` takes them.
pub fn marks(
    conn: &Connection,
    point: &PointId,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<PauseMark>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, kind, payload FROM events
         WHERE kind IN ('desk_paused', 'desk_resumed') AND at >= ?1 AND at < ?2
         ORDER BY seq",
    )?;
    let rows = stmt.query_map(params![fmt_time(start), fmt_time(end)], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (at, kind, payload) = row?;
        if let Some(m) = mark_of(point.as_str(), parse_time(&at)?, &kind, &payload)
            .map_err(StoreError::Corrupt)?
        {
            out.push(m);
        }
    }
    Ok(out)
}
