//! What an event changes in the server's tables (`projection::Change`),
//! in SQLite's SQL.

use crate::domain::time::fmt_time;
use crate::server::projection::{Change, TicketMoved};
use crate::server::storage::StorageResult;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, params};

/// Whether the citizen (?2 IIN key, ?3 phone key) appealed at point ?1
/// before. Two EXISTS, not one with OR: with OR the planner cannot use the
/// partial indexes and read every appeal of the point for each new one
/// (quadratic: about 300 events/s on average over the first 98,000 events
/// of one point, and slowing).
const REPEATED_CITIZEN: &str =
    "SELECT EXISTS (SELECT 1 FROM appeals WHERE point_id = ?1 AND iin_key = ?2)
         OR EXISTS (SELECT 1 FROM appeals WHERE point_id = ?1 AND phone_key = ?3)";

/// The SQL of one `Change`. An update that finds no row is ignored: the
/// events are the truth, and refusing them would stop the point's sync.
pub(super) fn apply(c: &Connection, point: &str, seq: u64, change: &Change) -> StorageResult<()> {
    let t = |t: &DateTime<Utc>| fmt_time(*t);
    let ot = |t: &Option<DateTime<Utc>>| t.map(fmt_time);
    match change {
        Change::TicketTaken {
            ticket_id,
            number,
            service_date,
            category,
            priority,
            at,
        } => {
            c.prepare_cached(
                "INSERT INTO tickets (point_id, id, number, service_date, category, priority, state, taken_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'waiting', ?7)
                 ON CONFLICT (point_id, id) DO NOTHING",
            )?
            .execute(params![
                point,
                ticket_id.to_string(),
                number,
                service_date.to_string(),
                category,
                priority,
                t(at)
            ])?;
        }
        Change::TicketMoved(TicketMoved {
            ticket_id,
            state,
            desk,
            clear_desk,
            category,
            called_at,
            serving_at,
            finished_at,
        }) => {
            c.prepare_cached(
                "UPDATE tickets SET state = ?3,
                        desk = CASE WHEN ?5 THEN NULL ELSE COALESCE(?4, desk) END,
                        category = COALESCE(?6, category),
                        called_at = COALESCE(?7, called_at),
                        serving_at = COALESCE(?8, serving_at),
                        finished_at = COALESCE(?9, finished_at)
                 WHERE point_id = ?1 AND id = ?2",
            )?
            .execute(params![
                point,
                ticket_id.to_string(),
                state.as_str(),
                desk,
                clear_desk,
                category,
                ot(called_at),
                ot(serving_at),
                ot(finished_at)
            ])?;
        }
        Change::AppealRecorded {
            appeal_id,
            number,
            received_at,
            received_date,
            kind,
            channel,
            category,
            outcome,
            redirected_to,
            session_id,
            ticket_id,
            desk,
            deadline,
            closed_at,
            recorded_by,
            iin_key,
            phone_key,
            stamp,
        } => {
            // the same rule as the point's projection: this citizen, known
            // by IIN or phone, appealed here before
            let repeated: bool = (iin_key.is_some() || phone_key.is_some())
                && c.prepare_cached(REPEATED_CITIZEN)?
                    .query_row(params![point, iin_key, phone_key], |r| r.get(0))?;
            let inserted = c
                .prepare_cached(
                    "INSERT INTO appeals (point_id, id, number, received_at, received_date, kind, channel,
                    category, outcome, redirected_to, session_id, ticket_id, desk, under_control,
                    deadline, closed_at, updated_at, recorded_by, repeated, iin_key, phone_key,
                    outcome_stamp)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?4,
                    ?17, ?18, ?19, ?20, ?21)
                 ON CONFLICT (point_id, id) DO NOTHING",
                )?
                .execute(params![
                    point,
                    appeal_id.to_string(),
                    number,
                    t(received_at),
                    received_date.to_string(),
                    kind,
                    channel,
                    category,
                    outcome,
                    redirected_to,
                    session_id.map(|s| s.to_string()),
                    ticket_id.map(|s| s.to_string()),
                    desk,
                    deadline.is_some(),
                    deadline.map(|d| d.to_string()),
                    ot(closed_at),
                    recorded_by,
                    repeated,
                    iin_key,
                    phone_key,
                    stamp
                ])?;
            if inserted == 1 {
                appeal_change(
                    c,
                    point,
                    seq,
                    appeal_id,
                    received_at,
                    Some(outcome),
                    redirected_to.as_deref(),
                    *deadline,
                )?;
            }
        }
        Change::AppealOutcome {
            appeal_id,
            outcome,
            redirected_to,
            closed_at,
            at,
            stamp,
        } => {
            let n = c
                .prepare_cached(
                    "UPDATE appeals SET outcome = ?3, redirected_to = ?4, closed_at = ?5, updated_at = ?6,
                        outcome_stamp = ?7
                 WHERE point_id = ?1 AND id = ?2 AND (outcome_stamp IS NULL OR outcome_stamp < ?7)",
                )?
                .execute(params![
                    point,
                    appeal_id.to_string(),
                    outcome,
                    redirected_to,
                    ot(closed_at),
                    t(at),
                    stamp
                ])?;
            if n == 1 || appeal_held(c, point, appeal_id)? {
                appeal_change(
                    c,
                    point,
                    seq,
                    appeal_id,
                    at,
                    Some(outcome),
                    redirected_to.as_deref(),
                    None,
                )?;
            }
        }
        Change::AppealControl {
            appeal_id,
            deadline,
            at,
        } => {
            let n = c
                .prepare_cached(
                    "UPDATE appeals SET under_control = ?3, deadline = ?4, updated_at = ?5
                 WHERE point_id = ?1 AND id = ?2",
                )?
                .execute(params![
                    point,
                    appeal_id.to_string(),
                    deadline.is_some(),
                    deadline.map(|d| d.to_string()),
                    t(at)
                ])?;
            if n == 1 && deadline.is_some() {
                appeal_change(c, point, seq, appeal_id, at, None, None, *deadline)?;
            }
        }
        Change::AppealDeadline {
            appeal_id,
            deadline,
            at,
        } => {
            let n = c
                .prepare_cached(
                    "UPDATE appeals SET deadline = ?3, updated_at = ?4 WHERE point_id = ?1 AND id = ?2",
                )?
                .execute(params![
                    point,
                    appeal_id.to_string(),
                    deadline.to_string(),
                    t(at)
                ])?;
            if n == 1 {
                appeal_change(c, point, seq, appeal_id, at, None, None, Some(*deadline))?;
            }
        }
        Change::AppealTouched { appeal_id, at } => {
            c.prepare_cached("UPDATE appeals SET updated_at = ?3 WHERE point_id = ?1 AND id = ?2")?
                .execute(params![point, appeal_id.to_string(), t(at)])?;
        }
        Change::SessionOpened {
            session_id,
            kind,
            date,
            place,
            at,
        } => {
            c.prepare_cached(
                "INSERT INTO sessions (point_id, id, kind, date, place, opened_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (point_id, id) DO NOTHING",
            )?
            .execute(params![
                point,
                session_id.to_string(),
                kind,
                date.to_string(),
                place,
                t(at)
            ])?;
        }
        Change::SessionClosed { session_id, at } => {
            c.prepare_cached(
                "UPDATE sessions SET closed_at = ?3 WHERE point_id = ?1 AND id = ?2 AND closed_at IS NULL",
            )?
            .execute(params![point, session_id.to_string(), t(at)])?;
        }
        Change::TicketNotPrinted { ticket_id } => {
            c.prepare_cached(
                "UPDATE tickets SET print_failed = 1 WHERE point_id = ?1 AND id = ?2",
            )?
            .execute(params![point, ticket_id.to_string()])?;
        }
        Change::ReceiptNotPrinted { appeal_id } => {
            c.prepare_cached(
                "UPDATE appeals SET receipt_print_failed = 1 WHERE point_id = ?1 AND id = ?2",
            )?
            .execute(params![point, appeal_id.to_string()])?;
        }
        Change::CitizenErased { appeals, texts } => citizen_erased(c, point, appeals, *texts)?,
    }
    Ok(())
}

/// Redacts a recording event written before sealing, as the point does,
/// and stores the hash of what is left: the point's resend of its own
/// redacted event is then the harmless resend it is.
fn redact_event(c: &Connection, point: &str, seq: i64, texts: bool) -> StorageResult<()> {
    use super::corrupt;
    let id = crate::domain::PointId::parse(point).map_err(corrupt)?;
    // the event as every read of the server's log reads it
    let Some(mut record) = super::reads::events(c, &id, (seq - 1).max(0) as u64, 1)?
        .pop()
        .map(|e| e.record)
        .filter(|r| r.seq == seq as u64)
    else {
        return Ok(());
    };
    if record.kind != "appeal_recorded"
        || !crate::domain::personal::redact_clear(&mut record.payload, texts)
    {
        return Ok(());
    }
    c.execute(
        "UPDATE events SET payload = ?3, hash = ?4 WHERE point_id = ?1 AND seq = ?2",
        params![
            point,
            seq,
            serde_json::to_string(&record.payload).map_err(corrupt)?,
            record.content_hash()
        ],
    )?;
    Ok(())
}

/// The appeals named and every other of the same citizen at the point (the
/// same IIN or phone key: the point's pseudonym for a sealed citizen);
/// their keys dropped, their recording events redacted if in clear.
fn citizen_erased(
    c: &Connection,
    point: &str,
    named: &[uuid::Uuid],
    texts: bool,
) -> StorageResult<()> {
    let mut ids: Vec<String> = named.iter().map(|a| a.to_string()).collect();
    for a in named {
        let mut stmt = c.prepare_cached(
            "SELECT o.id FROM appeals a JOIN appeals o ON o.point_id = a.point_id
               AND ((a.iin_key IS NOT NULL AND o.iin_key = a.iin_key)
                 OR (a.phone_key IS NOT NULL AND o.phone_key = a.phone_key))
             WHERE a.point_id = ?1 AND a.id = ?2",
        )?;
        for id in stmt.query_map(params![point, a.to_string()], |r| r.get::<_, String>(0))? {
            ids.push(id?);
        }
    }
    ids.sort();
    ids.dedup();
    for id in &ids {
        let recorded: Option<i64> = c.query_row(
            "SELECT MIN(seq) FROM appeal_changes WHERE point_id = ?1 AND appeal_id = ?2",
            params![point, id],
            |r| r.get(0),
        )?;
        if let Some(seq) = recorded {
            redact_event(c, point, seq, texts)?;
        }
        c.prepare_cached(
            "UPDATE appeals SET iin_key = NULL, phone_key = NULL WHERE point_id = ?1 AND id = ?2",
        )?
        .execute(params![point, id])?;
    }
    Ok(())
}

/// One row of an appeal's outcome and deadline history.
#[allow(clippy::too_many_arguments)]
fn appeal_change(
    c: &Connection,
    point: &str,
    seq: u64,
    appeal_id: &uuid::Uuid,
    at: &DateTime<Utc>,
    outcome: Option<&str>,
    redirected_to: Option<&str>,
    deadline: Option<NaiveDate>,
) -> StorageResult<()> {
    c.prepare_cached(
        "INSERT INTO appeal_changes (point_id, seq, appeal_id, at, outcome, redirected_to, deadline)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (point_id, seq) DO NOTHING",
    )?
    .execute(params![
        point,
        seq as i64,
        appeal_id.to_string(),
        fmt_time(*at),
        outcome,
        redirected_to,
        deadline.map(|d| d.to_string())
    ])?;
    Ok(())
}

fn appeal_held(c: &Connection, point: &str, appeal_id: &uuid::Uuid) -> StorageResult<bool> {
    Ok(
        c.prepare_cached("SELECT EXISTS (SELECT 1 FROM appeals WHERE point_id = ?1 AND id = ?2)")?
            .query_row(params![point, appeal_id.to_string()], |r| r.get(0))?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::storage::sqlite::SqliteStorage;

    /// Ingest stays linear in a point's appeals: the repeated-citizen check
    /// looks the IIN and the phone up in their indexes instead of reading
    /// the point's appeals one by one.
    #[test]
    fn the_repeated_citizen_check_uses_the_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.db");
        drop(SqliteStorage::open(&path).unwrap());
        let c = Connection::open(&path).unwrap();
        let mut plan = c
            .prepare(&format!("EXPLAIN QUERY PLAN {REPEATED_CITIZEN}"))
            .unwrap();
        let steps: Vec<String> = plan
            .query_map(params!["p1", "iin", "phone"], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let searches: Vec<&String> = steps.iter().filter(|s| s.contains("appeals")).collect();
        assert_eq!(searches.len(), 2, "{steps:?}");
        assert!(
            searches[0].contains("INDEX appeals_by_iin_key"),
            "{steps:?}"
        );
        assert!(
            searches[1].contains("INDEX appeals_by_phone_key"),
            "{steps:?}"
        );
    }
}
