//! Reads of the `tickets` table.

use super::{Result, StoreError, parse_time};
use crate::domain::event::DeskNo;
use crate::domain::{CategoryId, Lang, Priority, TicketNo, TicketState};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TicketRow {
    pub id: Uuid,
    pub service_date: NaiveDate,
    pub number: TicketNo,
    pub category: CategoryId,
    pub priority: Priority,
    pub lang: Lang,
    pub state: TicketState,
    pub desk: Option<DeskNo>,
    pub target_desk: Option<DeskNo>,
    pub taken_at: DateTime<Utc>,
    pub called_at: Option<DateTime<Utc>>,
    pub serving_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub recalls: u32,
}

const COLUMNS: &str = "id, service_date, prefix, number, category, priority, lang, state, desk, \
                       target_desk, taken_at, called_at, serving_at, finished_at, recalls";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Result<TicketRow>> {
    let id: String = r.get(0)?;
    let date: String = r.get(1)?;
    let prefix: String = r.get(2)?;
    let category: String = r.get(4)?;
    let priority: String = r.get(5)?;
    let lang: String = r.get(6)?;
    let state: String = r.get(7)?;
    let taken: String = r.get(10)?;
    let called: Option<String> = r.get(11)?;
    let serving: Option<String> = r.get(12)?;
    let finished: Option<String> = r.get(13)?;
    let number: u32 = r.get(3)?;
    let desk: Option<DeskNo> = r.get(8)?;
    let target_desk: Option<DeskNo> = r.get(9)?;
    let recalls: u32 = r.get(14)?;
    let corrupt = |what: &str, v: &str| StoreError::Corrupt(format!("ticket {id}: {what} {v:?}"));
    Ok((|| {
        Ok(TicketRow {
            id: id.parse().map_err(|_| corrupt("id", &id))?,
            service_date: date.parse().map_err(|_| corrupt("date", &date))?,
            number: TicketNo::new(
                prefix
                    .chars()
                    .next()
                    .ok_or_else(|| corrupt("prefix", &prefix))?,
                number,
            ),
            category: CategoryId::new(category),
            priority: priority
                .parse()
                .map_err(|_| corrupt("priority", &priority))?,
            lang: lang.parse().map_err(|_| corrupt("lang", &lang))?,
            state: state.parse().map_err(|_| corrupt("state", &state))?,
            desk,
            target_desk,
            taken_at: parse_time(&taken)?,
            called_at: called.as_deref().map(parse_time).transpose()?,
            serving_at: serving.as_deref().map(parse_time).transpose()?,
            finished_at: finished.as_deref().map(parse_time).transpose()?,
            recalls,
        })
    })())
}

fn collect(
    rows: impl Iterator<Item = rusqlite::Result<Result<TicketRow>>>,
) -> Result<Vec<TicketRow>> {
    rows.map(|r| r?).collect()
}

/// The next daily number for a prefix: numbering restarts each service day.
pub fn next_number(conn: &Connection, day: NaiveDate, prefix: char) -> Result<u32> {
    let last: u32 = conn.query_row(
        "SELECT COALESCE(MAX(number), 0) FROM tickets WHERE service_date = ?1 AND prefix = ?2",
        params![day.to_string(), prefix.to_string()],
        |r| r.get(0),
    )?;
    Ok(last + 1)
}

pub fn get(conn: &Connection, id: Uuid) -> Result<Option<TicketRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM tickets WHERE id = ?1"),
        [id.to_string()],
        from_row,
    )
    .optional()?
    .transpose()
}

/// All tickets of one service day, in the order they were taken.
pub fn of_day(conn: &Connection, day: NaiveDate) -> Result<Vec<TicketRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM tickets WHERE service_date = ?1 ORDER BY taken_at, rowid"
    ))?;
    let rows = stmt.query_map([day.to_string()], from_row)?;
    collect(rows)
}

/// Tickets of one day in one state.
pub fn of_day_in_state(
    conn: &Connection,
    day: NaiveDate,
    state: TicketState,
) -> Result<Vec<TicketRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM tickets WHERE service_date = ?1 AND state = ?2 ORDER BY taken_at, rowid"
    ))?;
    let rows = stmt.query_map(params![day.to_string(), state.as_str()], from_row)?;
    collect(rows)
}

/// Tickets still waiting from `day` or any day before it: those the
/// closing of the point may have to close.
pub fn waiting_through(conn: &Connection, day: NaiveDate) -> Result<Vec<TicketRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM tickets WHERE state = 'waiting' AND service_date <= ?1
         ORDER BY service_date, taken_at, rowid"
    ))?;
    let rows = stmt.query_map([day.to_string()], from_row)?;
    collect(rows)
}

/// Tickets taken on `day` for `category`, in any state.
pub fn count_of_category(conn: &Connection, day: NaiveDate, category: &str) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM tickets WHERE service_date = ?1 AND category = ?2",
        params![day.to_string(), category],
        |r| r.get(0),
    )?)
}

/// Mean minutes from being called to finishing, over the day's done
/// tickets; `None` before the first one.
pub fn mean_service_minutes(conn: &Connection, day: NaiveDate) -> Result<Option<f64>> {
    Ok(conn.query_row(
        "SELECT AVG((julianday(finished_at) - julianday(called_at)) * 1440.0)
         FROM tickets WHERE service_date = ?1 AND state = 'done' AND called_at IS NOT NULL",
        [day.to_string()],
        |r| r.get(0),
    )?)
}
