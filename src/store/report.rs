//! The facts a report is computed from, read from the point's tables and
//! the appeals' history, as of the end of the period.

use super::{Result, StoreError, fmt_time, parse_time};
use crate::domain::report::{AppealFact, Period, SessionFact, TicketFact};
use crate::domain::{CategoryId, PointId};
use chrono::NaiveDate;
use chrono_tz::Tz;
use rusqlite::{Connection, params};

/// Appeals received in the period. Outcome, redirection and closing come
/// from the last outcome event before the period's end; the control
/// deadline from the last deadline set before it.
pub fn appeal_facts(
    conn: &Connection,
    point: &PointId,
    period: &Period,
    tz: Tz,
) -> Result<Vec<AppealFact>> {
    // For each appeal, its last outcome event and its last deadline before
    // the end, found through the (appeal_id, seq) index: a few rows per
    // appeal, no sort of the whole history.
    let mut stmt = conn.prepare_cached(
        "SELECT a.received_at, a.kind, a.channel, a.category, a.desk, a.recorded_by, a.repeated, a.session_id,
                json_extract(o.detail, '$.outcome'), json_extract(o.detail, '$.redirected_to'), o.at,
                (SELECT COALESCE(json_extract(h.detail, '$.control.deadline'), json_extract(h.detail, '$.deadline'))
                 FROM appeal_history h
                 WHERE h.appeal_id = a.id AND h.at < ?2
                   AND h.kind IN ('appeal_recorded', 'appeal_control_set', 'appeal_deadline_extended')
                   AND COALESCE(json_extract(h.detail, '$.control.deadline'), json_extract(h.detail, '$.deadline')) IS NOT NULL
                 ORDER BY h.seq DESC LIMIT 1)
         FROM appeals a
         JOIN appeal_history o ON o.seq = (
             SELECT h.seq FROM appeal_history h
             WHERE h.appeal_id = a.id AND h.at < ?2 AND h.kind IN ('appeal_recorded', 'appeal_outcome_set')
             ORDER BY h.seq DESC LIMIT 1)
         WHERE a.received_at >= ?1 AND a.received_at < ?2
         ORDER BY a.received_at",
    )?;
    let rows = stmt.query_map(params![fmt_time(period.start), fmt_time(period.end)], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<u16>>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, bool>(6)?,
            r.get::<_, Option<String>>(7)?,
            r.get::<_, String>(8)?,
            r.get::<_, Option<String>>(9)?,
            r.get::<_, String>(10)?,
            r.get::<_, Option<String>>(11)?,
        ))
    })?;
    let bad = |what: &str, v: &str| StoreError::Corrupt(format!("appeal {what} {v:?}"));
    rows.map(|row| {
        let (
            received,
            kind,
            channel,
            category,
            desk,
            operator,
            repeated,
            session,
            outcome,
            body,
            changed,
            deadline,
        ) = row?;
        let received_at = parse_time(&received)?;
        let outcome: crate::domain::Outcome =
            outcome.parse().map_err(|_| bad("outcome", &outcome))?;
        let closed_at = outcome
            .is_closed()
            .then(|| parse_time(&changed))
            .transpose()?;
        Ok(AppealFact {
            point: point.to_string(),
            received_at,
            received_on: received_at.with_timezone(&tz).date_naive(),
            kind: kind.parse().map_err(|_| bad("kind", &kind))?,
            channel: channel.parse().map_err(|_| bad("channel", &channel))?,
            category: CategoryId::new(category),
            desk,
            operator,
            repeated,
            session,
            outcome,
            redirected_to: body,
            closed_on: closed_at.map(|t| t.with_timezone(&tz).date_naive()),
            closed_at,
            control_deadline: deadline
                .map(|d| d.parse::<NaiveDate>().map_err(|_| bad("deadline", &d)))
                .transpose()?,
        })
    })
    .collect()
}

/// Tickets of the period's service days. Wait: taken to (last) called;
/// service: start of serving to finish.
pub fn ticket_facts(
    conn: &Connection,
    point: &PointId,
    period: &Period,
) -> Result<Vec<TicketFact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT service_date, category, desk, state,
                (julianday(called_at) - julianday(taken_at)) * 1440.0,
                CASE WHEN state = 'done' THEN (julianday(finished_at) - julianday(serving_at)) * 1440.0 END,
                print_failed,
                (julianday(COALESCE(called_at, finished_at)) - julianday(taken_at)) * 1440.0
         FROM tickets WHERE service_date >= ?1 AND service_date <= ?2",
    )?;
    let rows = stmt.query_map(
        params![period.from.to_string(), period.to.to_string()],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<u16>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<f64>>(4)?,
                r.get::<_, Option<f64>>(5)?,
                r.get::<_, bool>(6)?,
                r.get::<_, Option<f64>>(7)?,
            ))
        },
    )?;
    rows.map(|row| {
        let (date, category, desk, state, wait, service, not_printed, waited) = row?;
        Ok(TicketFact {
            point: point.to_string(),
            service_date: date
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("ticket date {date:?}")))?,
            category: CategoryId::new(category),
            desk,
            state: state.parse().map_err(StoreError::Corrupt)?,
            wait_minutes: wait,
            service_minutes: service,
            not_printed,
            waited_minutes: waited,
        })
    })
    .collect()
}

pub fn session_facts(conn: &Connection, period: &Period) -> Result<Vec<SessionFact>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, kind, date FROM sessions WHERE date >= ?1 AND date <= ?2")?;
    let rows = stmt.query_map(
        params![period.from.to_string(), period.to.to_string()],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        },
    )?;
    rows.map(|row| {
        let (id, kind, date) = row?;
        Ok(SessionFact {
            id,
            kind: serde_json::from_value(serde_json::Value::String(kind))?,
            date: date
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("session date {date:?}")))?,
        })
    })
    .collect()
}
