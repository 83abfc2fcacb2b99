//! The facts of a report (`Storage::report_facts`).

use super::{corrupt, time};
use crate::domain::report::{AppealFact, Facts, SessionFact, TicketFact};
use crate::domain::time::fmt_time;
use crate::server::projection::local_date_in;
use crate::server::storage::FactsQuery;
use crate::server::storage::StorageResult;
use chrono::NaiveDate;
use rusqlite::{Connection, params};

/// The facts of a report, read the way a point reads its own
/// (`store::report`): each appeal's last outcome and last deadline set
/// before the period's end, found through the (point, appeal, seq) index.
/// `INDEXED BY`: left to itself the planner walks the point's whole
/// history backwards by primary key for every appeal (`ORDER BY seq DESC`
/// without a sort), which grows with the square of the history.
pub(super) fn report_facts(c: &Connection, q: &FactsQuery) -> StorageResult<Facts> {
    let (start, end) = (fmt_time(q.period.start), fmt_time(q.period.end));
    let (from, to) = (q.period.from.to_string(), q.period.to.to_string());
    let (zone, tz) = (q.timezone.as_str(), q.tz());
    let mut stmt = c.prepare_cached(
        "SELECT a.point_id, a.received_at, a.kind, a.channel, a.category, a.desk, a.recorded_by,
                a.repeated, a.session_id, o.outcome, o.redirected_to, o.at,
                (SELECT h.deadline FROM appeal_changes h INDEXED BY appeal_changes_by_appeal
                 WHERE h.point_id = a.point_id AND h.appeal_id = a.id AND h.at < ?2
                   AND h.deadline IS NOT NULL
                 ORDER BY h.seq DESC LIMIT 1)
         FROM appeals a
         JOIN points p ON p.id = a.point_id
         JOIN appeal_changes o ON o.point_id = a.point_id AND o.seq = (
             SELECT h.seq FROM appeal_changes h INDEXED BY appeal_changes_by_appeal
             WHERE h.point_id = a.point_id AND h.appeal_id = a.id AND h.at < ?2
               AND h.outcome IS NOT NULL
             ORDER BY h.seq DESC LIMIT 1)
         WHERE a.received_at >= ?1 AND a.received_at < ?2
           AND (?3 IS NULL OR p.region = ?3) AND (?4 IS NULL OR a.point_id = ?4)
           AND p.timezone = ?5
         ORDER BY a.received_at",
    )?;
    let rows = stmt.query_map(params![start, end, q.region, q.point, zone], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<u16>>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, bool>(7)?,
            r.get::<_, Option<String>>(8)?,
            (
                r.get::<_, String>(9)?,
                r.get::<_, Option<String>>(10)?,
                r.get::<_, String>(11)?,
            ),
            r.get::<_, Option<String>>(12)?,
        ))
    })?;
    let mut appeals = Vec::new();
    for row in rows {
        let (
            point,
            received,
            kind,
            channel,
            category,
            desk,
            operator,
            repeated,
            session,
            outcome,
            deadline,
        ) = row?;
        let (outcome, redirected_to, changed) = outcome;
        let received_at = time(&received)?;
        let outcome: crate::domain::Outcome = outcome.parse().map_err(corrupt)?;
        let closed_at = outcome.is_closed().then(|| time(&changed)).transpose()?;
        appeals.push(AppealFact {
            point,
            received_at,
            received_on: local_date_in(received_at, tz),
            kind: kind.parse().map_err(corrupt)?,
            channel: channel.parse().map_err(corrupt)?,
            category: crate::domain::CategoryId::new(category),
            desk,
            operator,
            repeated,
            session,
            outcome,
            redirected_to,
            closed_on: closed_at.map(|t| local_date_in(t, tz)),
            closed_at,
            control_deadline: deadline
                .map(|d| d.parse::<NaiveDate>().map_err(corrupt))
                .transpose()?,
        });
    }
    let mut stmt = c.prepare_cached(
        "SELECT t.point_id, t.service_date, t.category, t.desk, t.state,
                (julianday(t.called_at) - julianday(t.taken_at)) * 1440.0,
                CASE WHEN t.state = 'done' THEN (julianday(t.finished_at) - julianday(t.serving_at)) * 1440.0 END,
                t.print_failed,
                (julianday(COALESCE(t.called_at, t.finished_at)) - julianday(t.taken_at)) * 1440.0
         FROM tickets t JOIN points p ON p.id = t.point_id
         WHERE t.service_date >= ?1 AND t.service_date <= ?2
           AND (?3 IS NULL OR p.region = ?3) AND (?4 IS NULL OR t.point_id = ?4)
           AND p.timezone = ?5",
    )?;
    let rows = stmt.query_map(params![from, to, q.region, q.point, zone], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<u16>>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<f64>>(5)?,
            r.get::<_, Option<f64>>(6)?,
            r.get::<_, bool>(7)?,
            r.get::<_, Option<f64>>(8)?,
        ))
    })?;
    let mut tickets = Vec::new();
    for row in rows {
        let (point, date, category, desk, state, wait, service, not_printed, waited) = row?;
        tickets.push(TicketFact {
            point,
            service_date: date.parse().map_err(corrupt)?,
            category: crate::domain::CategoryId::new(category),
            desk,
            state: state.parse().map_err(corrupt)?,
            wait_minutes: wait,
            service_minutes: service,
            not_printed,
            waited_minutes: waited,
        });
    }
    let mut stmt = c.prepare_cached(
        "SELECT s.id, s.kind, s.date FROM sessions s JOIN points p ON p.id = s.point_id
         WHERE s.date >= ?1 AND s.date <= ?2
           AND (?3 IS NULL OR p.region = ?3) AND (?4 IS NULL OR s.point_id = ?4)
           AND p.timezone = ?5",
    )?;
    let rows = stmt.query_map(params![from, to, q.region, q.point, zone], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut sessions = Vec::new();
    for row in rows {
        let (id, kind, date) = row?;
        sessions.push(SessionFact {
            id,
            kind: serde_json::from_value(serde_json::Value::String(kind)).map_err(corrupt)?,
            date: date.parse().map_err(corrupt)?,
        });
    }
    let mut stmt = c.prepare_cached(
        "SELECT e.point_id, e.at, e.kind, e.payload FROM events e
         JOIN points p ON p.id = e.point_id
         WHERE e.kind IN ('desk_paused', 'desk_resumed') AND e.at >= ?1 AND e.at < ?2
           AND (?3 IS NULL OR p.region = ?3) AND (?4 IS NULL OR e.point_id = ?4)
           AND p.timezone = ?5
         ORDER BY e.point_id, e.seq",
    )?;
    let rows = stmt.query_map(params![start, end, q.region, q.point, zone], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut pause_marks = Vec::new();
    for row in rows {
        let (point, at, kind, payload) = row?;
        pause_marks.extend(
            crate::domain::pause::mark_of(&point, time(&at)?, &kind, &payload).map_err(corrupt)?,
        );
    }
    Ok(Facts {
        appeals,
        tickets,
        sessions,
        pause_marks,
    })
}
