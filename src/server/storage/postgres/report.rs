//! The facts of a report (`Storage::report_facts`), the same SQL question
//! as SQLite's so both backends give the same figures to the digit.

use super::{Client, corrupt};
use crate::domain::report::{AppealFact, Facts, SessionFact, TicketFact};
use crate::server::projection::local_date_in;
use crate::server::storage::FactsQuery;
use crate::server::storage::StorageResult;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Julian day of a time as SQLite's `julianday()` computes it (whole
/// milliseconds over 86,400,000, in double precision), so the minutes of
/// waiting and service are the same floating-point numbers on both backends.
macro_rules! julianday {
    ($col:literal) => {
        concat!(
            "(((EXTRACT(EPOCH FROM ",
            $col,
            ") * 1000)::bigint + 210866760000000)::float8 / 86400000::float8)"
        )
    };
}

/// The facts of a report, read the way SQLite reads them: each appeal's
/// last outcome and last deadline set before the period's end, found
/// through the (point, appeal, seq) index.
pub(super) async fn report_facts(c: &Client, q: &FactsQuery) -> StorageResult<Facts> {
    let (start, end) = (q.period.start, q.period.end);
    let (from, to) = (q.period.from, q.period.to);
    let (zone, tz) = (q.timezone.as_str(), q.tz());
    let appeals_sql = "SELECT a.point_id, a.received_at, a.kind, a.channel, a.category, a.desk,
                a.recorded_by, a.repeated, a.session_id, o.outcome, o.redirected_to, o.at,
                d.deadline
         FROM appeals a
         JOIN points p ON p.id = a.point_id
         JOIN LATERAL (
             SELECT h.outcome, h.redirected_to, h.at FROM appeal_changes h
             WHERE h.point_id = a.point_id AND h.appeal_id = a.id AND h.at < $2
               AND h.outcome IS NOT NULL
             ORDER BY h.seq DESC LIMIT 1) o ON true
         LEFT JOIN LATERAL (
             SELECT h.deadline FROM appeal_changes h
             WHERE h.point_id = a.point_id AND h.appeal_id = a.id AND h.at < $2
               AND h.deadline IS NOT NULL
             ORDER BY h.seq DESC LIMIT 1) d ON true
         WHERE a.received_at >= $1 AND a.received_at < $2
           AND ($3::text IS NULL OR p.region = $3) AND ($4::text IS NULL OR a.point_id = $4)
           AND p.timezone = $5
         ORDER BY a.received_at";
    let tickets_sql = concat!(
        "SELECT t.point_id, t.service_date, t.category, t.desk, t.state, (",
        julianday!("t.called_at"),
        " - ",
        julianday!("t.taken_at"),
        ") * 1440::float8,
         CASE WHEN t.state = 'done' THEN (",
        julianday!("t.finished_at"),
        " - ",
        julianday!("t.serving_at"),
        ") * 1440::float8 END, t.print_failed, (",
        julianday!("COALESCE(t.called_at, t.finished_at)"),
        " - ",
        julianday!("t.taken_at"),
        ") * 1440::float8
         FROM tickets t JOIN points p ON p.id = t.point_id
         WHERE t.service_date >= $1 AND t.service_date <= $2
           AND ($3::text IS NULL OR p.region = $3) AND ($4::text IS NULL OR t.point_id = $4)
           AND p.timezone = $5"
    );
    let sessions_sql =
        "SELECT s.id, s.kind, s.date FROM sessions s JOIN points p ON p.id = s.point_id
         WHERE s.date >= $1 AND s.date <= $2
           AND ($3::text IS NULL OR p.region = $3) AND ($4::text IS NULL OR s.point_id = $4)
           AND p.timezone = $5";
    let pauses_sql = "SELECT e.point_id, e.at, e.kind, e.payload FROM events e
         JOIN points p ON p.id = e.point_id
         WHERE e.kind IN ('desk_paused', 'desk_resumed') AND e.at >= $1 AND e.at < $2
           AND ($3::text IS NULL OR p.region = $3) AND ($4::text IS NULL OR e.point_id = $4)
           AND p.timezone = $5
         ORDER BY e.point_id COLLATE \"C\", e.seq";
    let (a, t, s, pm) = futures::future::try_join4(
        c.query(appeals_sql, &[&start, &end, &q.region, &q.point, &zone]),
        c.query(tickets_sql, &[&from, &to, &q.region, &q.point, &zone]),
        c.query(sessions_sql, &[&from, &to, &q.region, &q.point, &zone]),
        c.query(pauses_sql, &[&start, &end, &q.region, &q.point, &zone]),
    )
    .await?;
    let mut pause_marks = Vec::new();
    for r in pm {
        pause_marks.extend(
            crate::domain::pause::mark_of(r.get(0), r.get(1), r.get(2), r.get(3))
                .map_err(corrupt)?,
        );
    }
    let desk = |d: Option<i32>| d.map(|d| u16::try_from(d).map_err(corrupt)).transpose();
    let mut appeals = Vec::with_capacity(a.len());
    for r in a {
        let received_at: DateTime<Utc> = r.get(1);
        let outcome: crate::domain::Outcome = r.get::<_, &str>(9).parse().map_err(corrupt)?;
        let changed: DateTime<Utc> = r.get(11);
        let closed_at = outcome.is_closed().then_some(changed);
        appeals.push(AppealFact {
            point: r.get(0),
            received_at,
            received_on: local_date_in(received_at, tz),
            kind: r.get::<_, &str>(2).parse().map_err(corrupt)?,
            channel: r.get::<_, &str>(3).parse().map_err(corrupt)?,
            category: crate::domain::CategoryId::new(r.get::<_, String>(4)),
            desk: desk(r.get(5))?,
            operator: r.get(6),
            repeated: r.get(7),
            session: r.get::<_, Option<Uuid>>(8).map(|u| u.to_string()),
            outcome,
            redirected_to: r.get(10),
            closed_on: closed_at.map(|t| local_date_in(t, tz)),
            closed_at,
            control_deadline: r.get(12),
        });
    }
    let mut tickets = Vec::with_capacity(t.len());
    for r in t {
        tickets.push(TicketFact {
            point: r.get(0),
            service_date: r.get(1),
            category: crate::domain::CategoryId::new(r.get::<_, String>(2)),
            desk: desk(r.get(3))?,
            state: r.get::<_, &str>(4).parse().map_err(corrupt)?,
            wait_minutes: r.get(5),
            service_minutes: r.get(6),
            not_printed: r.get(7),
            waited_minutes: r.get(8),
        });
    }
    let mut sessions = Vec::with_capacity(s.len());
    for r in s {
        sessions.push(SessionFact {
            id: r.get::<_, Uuid>(0).to_string(),
            kind: serde_json::from_value(serde_json::Value::String(r.get(1))).map_err(corrupt)?,
            date: r.get(2),
        });
    }
    Ok(Facts {
        appeals,
        tickets,
        sessions,
        pause_marks,
    })
}
