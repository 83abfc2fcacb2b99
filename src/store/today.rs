//! The day's figures a supervisor watches, and the one short read
//! transaction a board refresh runs in.

use super::{Read, Result, StoreError, fmt_time, parse_time};
use crate::domain::event::DeskNo;
use crate::domain::{AppealNo, CategoryId};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, params};

/// Runs `f` in one read transaction: every query in it sees the same
/// snapshot of the database, and the snapshot is let go at once, so a
/// board never holds the WAL back from being checkpointed.
pub fn snapshot<T>(db: &impl Read, f: impl FnOnce(&Snapshot<'_>) -> Result<T>) -> Result<T> {
    let tx = db.conn().unchecked_transaction()?;
    let snap = Snapshot(tx);
    let value = f(&snap)?;
    snap.0.commit()?;
    Ok(value)
}

/// A read transaction: every read through it sees the same moment.
pub struct Snapshot<'c>(rusqlite::Transaction<'c>);

impl Read for Snapshot<'_> {
    fn conn(&self) -> &Connection {
        &self.0
    }
}

/// Tickets taken on a service day.
pub fn tickets_taken(conn: &Connection, day: NaiveDate) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM tickets WHERE service_date = ?1",
        [day.to_string()],
        |r| r.get(0),
    )?)
}

/// What became of the appeals received in a period, by their outcome now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AppealFigures {
    pub received: u32,
    pub resolved_positive: u32,
    pub consulted: u32,
    /// Still open: registered, or under consideration.
    pub under_consideration: u32,
    pub redirected: u32,
}

/// Appeals received in `[from, to)`.
pub fn appeal_figures(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<AppealFigures> {
    let mut stmt = conn.prepare_cached(
        "SELECT COUNT(*),
                COALESCE(SUM(outcome = 'resolved_positive'), 0),
                COALESCE(SUM(outcome = 'consulted'), 0),
                COALESCE(SUM(outcome IN ('registered', 'under_consideration')), 0),
                COALESCE(SUM(outcome = 'redirected'), 0)
         FROM appeals WHERE received_at >= ?1 AND received_at < ?2",
    )?;
    Ok(stmt.query_row(params![fmt_time(from), fmt_time(to)], |r| {
        Ok(AppealFigures {
            received: r.get(0)?,
            resolved_positive: r.get(1)?,
            consulted: r.get(2)?,
            under_consideration: r.get(3)?,
            redirected: r.get(4)?,
        })
    })?)
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeskFigures {
    pub desk: DeskNo,
    /// Tickets the desk finished today.
    pub served: u32,
    /// Mean minutes from the start of serving to the end, over those
    /// tickets: the service time of docs/REPORTS.md.
    pub mean_service_minutes: Option<f64>,
}

/// Per desk that finished at least one ticket on `day`, by desk number.
pub fn desk_figures(conn: &Connection, day: NaiveDate) -> Result<Vec<DeskFigures>> {
    let mut stmt = conn.prepare_cached(
        "SELECT desk, COUNT(*),
                AVG(CASE WHEN serving_at IS NOT NULL AND finished_at IS NOT NULL
                         THEN (julianday(finished_at) - julianday(serving_at)) * 1440.0 END)
         FROM tickets
         WHERE service_date = ?1 AND state = 'done' AND desk IS NOT NULL
         GROUP BY desk ORDER BY desk",
    )?;
    let rows = stmt.query_map([day.to_string()], |r| {
        Ok(DeskFigures {
            desk: r.get(0)?,
            served: r.get(1)?,
            mean_service_minutes: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WaitFigures {
    /// Tickets of the day that have been called (whatever happened next).
    pub called: u32,
    /// Minutes from taking a ticket to its (latest) call.
    pub mean_minutes: Option<f64>,
    pub longest_minutes: Option<f64>,
    /// When the longest-waiting ticket still in the line was taken.
    pub oldest_waiting_since: Option<DateTime<Utc>>,
}

/// Waits of the day. A recall moves `called_at`, so a recalled ticket's
/// wait runs to its latest call.
pub fn waits(conn: &Connection, day: NaiveDate) -> Result<WaitFigures> {
    let d = day.to_string();
    let (called, mean, longest) = conn
        .prepare_cached(
            "SELECT COUNT(*),
                    AVG((julianday(called_at) - julianday(taken_at)) * 1440.0),
                    MAX((julianday(called_at) - julianday(taken_at)) * 1440.0)
             FROM tickets WHERE service_date = ?1 AND called_at IS NOT NULL",
        )?
        .query_row([&d], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                r.get::<_, Option<f64>>(1)?,
                r.get::<_, Option<f64>>(2)?,
            ))
        })?;
    let oldest: Option<String> = conn
        .prepare_cached(
            "SELECT MIN(taken_at) FROM tickets WHERE service_date = ?1 AND state = 'waiting'",
        )?
        .query_row([&d], |r| r.get(0))?;
    Ok(WaitFigures {
        called,
        mean_minutes: mean,
        longest_minutes: longest,
        oldest_waiting_since: oldest.as_deref().map(parse_time).transpose()?,
    })
}

/// An appeal under control whose deadline has passed with no answer yet.
/// Only what a supervisor needs to chase it: no citizen, no text.
#[derive(Debug, Clone, PartialEq)]
pub struct OverdueAppeal {
    pub number: AppealNo,
    pub category: CategoryId,
    pub deadline: NaiveDate,
    pub responsible: Option<String>,
}

/// Open appeals under control with a deadline before `today`, the most
/// overdue first.
pub fn overdue_under_control(conn: &Connection, today: NaiveDate) -> Result<Vec<OverdueAppeal>> {
    let mut stmt = conn.prepare_cached(
        "SELECT year, number, category, deadline, responsible FROM appeals
         WHERE under_control = 1 AND deadline < ?1
           AND outcome IN ('registered', 'under_consideration')
         ORDER BY deadline, year, number",
    )?;
    let rows = stmt.query_map([today.to_string()], |r| {
        Ok((
            r.get::<_, i32>(0)?,
            r.get::<_, u32>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    rows.map(|r| {
        let (year, number, category, deadline, responsible) = r?;
        Ok(OverdueAppeal {
            number: AppealNo { year, number },
            category: CategoryId::new(category),
            deadline: deadline
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("deadline {deadline:?}")))?,
            responsible,
        })
    })
    .collect()
}

/// Tickets taken on `day` per local hour (index 0..24). `utc_offset_minutes`
/// is the point's offset from UTC on that day (+300 in Kazakhstan).
pub fn arrivals_per_hour(
    conn: &Connection,
    day: NaiveDate,
    utc_offset_minutes: i32,
) -> Result<[u32; 24]> {
    let mut stmt = conn.prepare_cached(
        "SELECT CAST(strftime('%H', taken_at, ?2) AS INTEGER), COUNT(*)
         FROM tickets WHERE service_date = ?1 GROUP BY 1",
    )?;
    let shift = format!("{utc_offset_minutes:+} minutes");
    let rows = stmt.query_map(params![day.to_string(), shift], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?))
    })?;
    let mut hours = [0u32; 24];
    for row in rows {
        let (hour, count) = row?;
        if let Some(slot) = usize::try_from(hour).ok().and_then(|h| hours.get_mut(h)) {
            *slot += count;
        }
    }
    Ok(hours)
}
