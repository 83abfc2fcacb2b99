//! Reads of the `sessions` table: reception sessions (a mobile reception in
//! a village, an on-site reception at a plant).

use super::{Result, StoreError, parse_time};
use crate::domain::event::SessionKind;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionRow {
    pub id: Uuid,
    pub kind: SessionKind,
    pub date: NaiveDate,
    pub place: String,
    pub officials: Vec<String>,
    pub opened_at: DateTime<Utc>,
    pub opened_by: String,
    pub closed_at: Option<DateTime<Utc>>,
    /// Appeals recorded while it was open.
    pub appeals: u32,
}

const COLUMNS: &str = "s.id, s.kind, s.date, s.place, s.officials, s.opened_at, s.opened_by, s.closed_at, \
    (SELECT COUNT(*) FROM appeals a WHERE a.session_id = s.id)";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Result<SessionRow>> {
    let (id, kind, date, place, officials): (String, String, String, String, String) =
        (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
    let (opened_at, opened_by, closed_at, appeals): (String, String, Option<String>, u32) =
        (r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?);
    let corrupt = |what: &str| StoreError::Corrupt(format!("session {id}: bad {what}"));
    Ok((|| {
        Ok(SessionRow {
            id: id.parse().map_err(|_| corrupt("id"))?,
            kind: serde_json::from_value(serde_json::Value::String(kind))
                .map_err(|_| corrupt("kind"))?,
            date: date.parse().map_err(|_| corrupt("date"))?,
            place,
            officials: serde_json::from_str(&officials)?,
            opened_at: parse_time(&opened_at)?,
            opened_by,
            closed_at: closed_at.as_deref().map(parse_time).transpose()?,
            appeals,
        })
    })())
}

/// The session open now, if any (the latest opened).
pub fn open(conn: &Connection) -> Result<Option<SessionRow>> {
    conn.query_row(
        &format!(
            "SELECT {COLUMNS} FROM sessions s WHERE s.closed_at IS NULL
             ORDER BY s.opened_at DESC, s.rowid DESC LIMIT 1"
        ),
        [],
        from_row,
    )
    .optional()?
    .transpose()
}

/// The latest sessions, newest first.
pub fn recent(conn: &Connection, limit: usize) -> Result<Vec<SessionRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM sessions s ORDER BY s.opened_at DESC, s.rowid DESC LIMIT ?1"
    ))?;
    let rows = stmt.query_map([limit as i64], from_row)?;
    rows.map(|r| r?).collect()
}
