//! Reads of the `appeals` table.

use super::{Result, StoreError, parse_time, search};
use crate::domain::event::DeskNo;
use crate::domain::{AppealKind, AppealNo, CategoryId, Channel, Lang, Outcome};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppealRow {
    pub id: Uuid,
    pub number: AppealNo,
    pub received_at: DateTime<Utc>,
    pub kind: AppealKind,
    pub channel: Channel,
    pub category: CategoryId,
    pub consent: bool,
    pub citizen_name: Option<String>,
    pub citizen_iin: Option<String>,
    pub citizen_phone: Option<String>,
    pub settlement: Option<String>,
    pub workplace: Option<String>,
    pub text: String,
    pub heard_by: Vec<String>,
    pub ticket_id: Option<Uuid>,
    pub session_id: Option<Uuid>,
    pub desk: Option<DeskNo>,
    pub lang: Lang,
    pub recorded_by: String,
    pub repeated: bool,
    pub outcome: Outcome,
    pub redirected_to: Option<String>,
    pub under_control: bool,
    pub responsible: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub closed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// When the citizen's personal data was erased (the `citizen_*`
    /// fields are then empty although `consent` was given).
    pub citizen_erased_at: Option<DateTime<Utc>>,
    /// When the text was erased (`text` is then empty).
    pub text_erased_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, year, number, received_at, kind, channel, category, consent, citizen_name, \
    citizen_iin, citizen_phone, settlement, workplace, text, heard_by, ticket_id, session_id, desk, lang, \
    recorded_by, repeated, outcome, redirected_to, under_control, responsible, deadline, closed_at, updated_at, citizen_erased_at, text_erased_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Result<AppealRow>> {
    let id: String = r.get(0)?;
    let text = |i: usize| r.get::<_, String>(i);
    let opt = |i: usize| r.get::<_, Option<String>>(i);
    let (received, kind, channel, heard, lang, outcome, updated) = (
        text(3)?,
        text(4)?,
        text(5)?,
        text(14)?,
        text(18)?,
        text(21)?,
        text(27)?,
    );
    let (ticket, session, deadline, closed) = (opt(15)?, opt(16)?, opt(25)?, opt(26)?);
    let (citizen_erased, text_erased) = (opt(28)?, opt(29)?);
    let (year, number, category, consent) = (r.get(1)?, r.get(2)?, text(6)?, r.get(7)?);
    let (citizen_name, citizen_iin, citizen_phone, settlement, workplace, body) =
        (opt(8)?, opt(9)?, opt(10)?, opt(11)?, opt(12)?, text(13)?);
    let (desk, recorded_by, repeated, redirected_to, under_control, responsible) = (
        r.get(17)?,
        text(19)?,
        r.get(20)?,
        opt(22)?,
        r.get(23)?,
        opt(24)?,
    );
    let corrupt = |what: &str| StoreError::Corrupt(format!("appeal {id}: bad {what}"));
    let uuid = |s: Option<String>| -> Result<Option<Uuid>> {
        s.map(|s| s.parse().map_err(|_| corrupt("reference")))
            .transpose()
    };
    Ok((|| {
        Ok(AppealRow {
            id: id.parse().map_err(|_| corrupt("id"))?,
            number: AppealNo { year, number },
            received_at: parse_time(&received)?,
            kind: kind.parse().map_err(|_| corrupt("kind"))?,
            channel: channel.parse().map_err(|_| corrupt("channel"))?,
            category: CategoryId::new(category),
            consent,
            citizen_name,
            citizen_iin,
            citizen_phone,
            settlement,
            workplace,
            text: body,
            heard_by: serde_json::from_str(&heard)?,
            ticket_id: uuid(ticket)?,
            session_id: uuid(session)?,
            desk,
            lang: lang.parse().map_err(|_| corrupt("lang"))?,
            recorded_by,
            repeated,
            outcome: outcome.parse().map_err(|_| corrupt("outcome"))?,
            redirected_to,
            under_control,
            responsible,
            deadline: deadline
                .map(|d| d.parse().map_err(|_| corrupt("deadline")))
                .transpose()?,
            closed_at: closed.as_deref().map(parse_time).transpose()?,
            updated_at: parse_time(&updated)?,
            citizen_erased_at: citizen_erased.as_deref().map(parse_time).transpose()?,
            text_erased_at: text_erased.as_deref().map(parse_time).transpose()?,
        })
    })())
}

fn query(
    conn: &Connection,
    where_clause: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<AppealRow>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM appeals {where_clause}"))?;
    let rows = stmt.query_map(params, from_row)?;
    rows.map(|r| r?).collect()
}

/// The next registration number in `year`.
pub fn next_number(conn: &Connection, year: i32) -> Result<u32> {
    let last: u32 = conn.query_row(
        "SELECT COALESCE(MAX(number), 0) FROM appeals WHERE year = ?1",
        [year],
        |r| r.get(0),
    )?;
    Ok(last + 1)
}

pub fn get(conn: &Connection, id: Uuid) -> Result<Option<AppealRow>> {
    Ok(query(conn, "WHERE id = ?1", [id.to_string()])?
        .into_iter()
        .next())
}

pub fn by_number(conn: &Connection, number: AppealNo) -> Result<Option<AppealRow>> {
    Ok(query(
        conn,
        "WHERE year = ?1 AND number = ?2",
        params![number.year, number.number],
    )?
    .into_iter()
    .next())
}

pub fn exists(conn: &Connection, id: Uuid) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM appeals WHERE id = ?1",
            [id.to_string()],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// The newest `limit` appeals, newest first.
pub fn latest(conn: &Connection, limit: usize) -> Result<Vec<AppealRow>> {
    query(
        conn,
        "ORDER BY received_at DESC, rowid DESC LIMIT ?1",
        [limit as i64],
    )
}

/// Appeals received in `[from, to)`, oldest first.
pub fn received_between(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<AppealRow>> {
    query(
        conn,
        "WHERE received_at >= ?1 AND received_at < ?2 ORDER BY received_at, rowid",
        params![super::fmt_time(from), super::fmt_time(to)],
    )
}

/// Full-text search, best match first.
pub fn search(conn: &Connection, typed: &str, limit: usize) -> Result<Vec<AppealRow>> {
    let ids = search::appeal_ids(conn, typed, limit)?;
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        rows.extend(query(conn, "WHERE id = ?1", [id])?);
    }
    Ok(rows)
}

/// Full-text search, the newest match first (see `search::appeal_ids_newest`).
pub fn search_newest(conn: &Connection, typed: &str, limit: usize) -> Result<Vec<AppealRow>> {
    let ids = search::appeal_ids_newest(conn, typed, limit)?;
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        rows.extend(query(conn, "WHERE id = ?1", [id])?);
    }
    Ok(rows)
}

/// Earlier appeals of one citizen, known by IIN or phone, newest first.
pub fn of_citizen(
    conn: &Connection,
    iin: Option<&str>,
    phone: Option<&str>,
    limit: usize,
) -> Result<Vec<AppealRow>> {
    if iin.is_none() && phone.is_none() {
        return Ok(Vec::new());
    }
    query(
        conn,
        "WHERE citizen_iin = ?1 OR citizen_phone = ?2 ORDER BY received_at DESC LIMIT ?3",
        params![iin, phone, limit as i64],
    )
}

/// Appeals under control, the earliest deadline first.
pub fn under_control(conn: &Connection) -> Result<Vec<AppealRow>> {
    query(
        conn,
        "WHERE under_control = 1 ORDER BY deadline, received_at",
        [],
    )
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryRow {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub kind: String,
    pub detail: serde_json::Value,
}

/// The stamp of the change that set the appeal's outcome (`None`: an
/// appeal recorded before stamps, or unknown).
pub fn outcome_stamp(
    conn: &Connection,
    id: Uuid,
) -> Result<Option<crate::domain::appeal_state::Stamp>> {
    let text: Option<Option<String>> = conn
        .query_row(
            "SELECT outcome_stamp FROM appeals WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    text.flatten()
        .map(|t| {
            crate::domain::appeal_state::Stamp::decode(&t)
                .map_err(|e| super::StoreError::Corrupt(e.to_string()))
        })
        .transpose()
}

/// Who changed what on one appeal, in order.
pub fn history(conn: &Connection, id: Uuid) -> Result<Vec<HistoryRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, at, actor, kind, detail FROM appeal_history WHERE appeal_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([id.to_string()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    rows.map(|r| {
        let (seq, at, actor, kind, detail) = r?;
        Ok(HistoryRow {
            seq: seq as u64,
            at: parse_time(&at)?,
            actor,
            kind,
            detail: serde_json::from_str(&detail)?,
        })
    })
    .collect()
}
