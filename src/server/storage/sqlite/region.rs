//! The way back and the region's staff, in SQLite's SQL.

use super::points::{exists_or, found};
use super::{corrupt, opt_time, time};
use crate::domain::PointId;
use crate::domain::appeal_state::{Side, Stamp, seen_after};
use crate::domain::event::{
    AppealOutcomeSet, FromRegion, LoginResult, RegionDecision, RegionErasure,
};
use crate::domain::staff::MAX_WRONG_PINS;
use crate::domain::time::fmt_time;
use crate::server::storage::StorageResult;
use crate::server::storage::region::{
    AppealDecision, Audience, Decided, ErasureRequest, NewStaff, RegionBatch, StaffLogin,
    StaffRecord, login_result,
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

pub(super) fn add_staff(c: &Connection, s: &NewStaff, at: DateTime<Utc>) -> StorageResult<()> {
    c.execute(
        "INSERT INTO staff (login, name, role, region, pin_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            s.login,
            s.name,
            s.role.as_str(),
            s.region,
            s.pin_hash,
            fmt_time(at)
        ],
    )
    .map_err(exists_or(|| format!("staff login {}", s.login)))?;
    Ok(())
}

pub(super) fn disable_staff(c: &Connection, login: &str, at: DateTime<Utc>) -> StorageResult<()> {
    let n = c.execute(
        "UPDATE staff SET disabled_at = COALESCE(disabled_at, ?2) WHERE login = ?1",
        params![login, fmt_time(at)],
    )?;
    found(n, || format!("staff login {login}"))
}

const STAFF_COLUMNS: &str =
    "login, name, role, region, created_at, disabled_at, pin_hash, failed_pins, last_failed_at";

type StaffRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
    Option<String>,
);

fn staff_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StaffRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
    ))
}

fn staff_login_of(row: StaffRow) -> StorageResult<StaffLogin> {
    let (login, name, role, region, created, disabled, pin_hash, failed, last_failed) = row;
    Ok(StaffLogin {
        record: StaffRecord {
            login,
            name,
            role,
            region,
            created_at: time(&created)?,
            disabled_at: opt_time(disabled)?,
        },
        pin_hash,
        failed_pins: failed.max(0) as u32,
        last_failed_at: opt_time(last_failed)?,
    })
}

pub(super) fn list_staff(c: &Connection) -> StorageResult<Vec<StaffRecord>> {
    let mut stmt = c.prepare(&format!(
        "SELECT {STAFF_COLUMNS} FROM staff ORDER BY region, login"
    ))?;
    let rows = stmt.query_map([], staff_row)?;
    rows.map(|r| Ok(staff_login_of(r?)?.record)).collect()
}

pub(super) fn staff_login(c: &Connection, login: &str) -> StorageResult<Option<StaffLogin>> {
    c.query_row(
        &format!("SELECT {STAFF_COLUMNS} FROM staff WHERE login = ?1"),
        [login],
        staff_row,
    )
    .optional()?
    .map(staff_login_of)
    .transpose()
}

pub(super) fn record_staff_attempt(
    c: &mut Connection,
    login: &str,
    result: LoginResult,
    at: DateTime<Utc>,
) -> StorageResult<()> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let at = fmt_time(at);
    tx.execute(
        "INSERT INTO staff_attempts (login, at, result) VALUES (?1, ?2, ?3)",
        params![login, at, login_result(result)],
    )?;
    match result {
        LoginResult::Ok => {
            tx.execute("UPDATE staff SET failed_pins = 0 WHERE login = ?1", [login])?;
        }
        LoginResult::WrongPin => {
            tx.execute(
                "UPDATE staff SET last_failed_at = ?2, failed_pins =
                    CASE WHEN failed_pins >= ?3 THEN 1 ELSE failed_pins + 1 END
                 WHERE login = ?1",
                params![login, at, MAX_WRONG_PINS],
            )?;
        }
        LoginResult::Locked | LoginResult::UnknownLogin | LoginResult::Disabled => {}
    }
    tx.commit()?;
    Ok(())
}

/// Appends to one point's region log under its next `rseq`; inside the
/// caller's write transaction, which holds SQLite's one write lock.
fn append(
    c: &Connection,
    point: &str,
    (by, by_name): (&str, Option<&str>),
    decision: &RegionDecision,
    at: DateTime<Utc>,
) -> StorageResult<u64> {
    let rseq: i64 = c.query_row(
        "SELECT COALESCE(MAX(rseq), 0) + 1 FROM region_events WHERE point_id = ?1",
        [point],
        |r| r.get(0),
    )?;
    c.execute(
        "INSERT INTO region_events (point_id, rseq, id, at, by_login, by_name, kind, decision)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            point,
            rseq,
            Uuid::now_v7().to_string(),
            fmt_time(at),
            by,
            by_name,
            decision.kind(),
            serde_json::to_string(decision).map_err(corrupt)?
        ],
    )?;
    Ok(rseq as u64)
}

pub(super) fn publish(
    c: &mut Connection,
    audience: &Audience,
    by: &str,
    decision: &RegionDecision,
    at: DateTime<Utc>,
) -> StorageResult<Vec<PointId>> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let region = match audience {
        Audience::Everyone => None,
        Audience::Region(r) => Some(r.as_str()),
    };
    let points: Vec<String> = tx
        .prepare(
            "SELECT id FROM points WHERE revoked_at IS NULL AND (?1 IS NULL OR region = ?1)
             ORDER BY id",
        )?
        .query_map([region], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for p in &points {
        append(&tx, p, (by, None), decision, at)?;
    }
    tx.commit()?;
    points
        .iter()
        .map(|p| PointId::parse(p).map_err(corrupt))
        .collect()
}

pub(super) fn erase_citizen(c: &mut Connection, e: &ErasureRequest) -> StorageResult<Option<u64>> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let held: Option<String> = tx
        .query_row(
            "SELECT id FROM appeals WHERE point_id = ?1 AND number = ?2",
            params![e.point.as_str(), e.number],
            |r| r.get(0),
        )
        .optional()?;
    let Some(appeal_id) = held else {
        return Ok(None);
    };
    let decision = RegionDecision::CitizenErased(RegionErasure {
        appeal_id: appeal_id.parse().map_err(corrupt)?,
        texts: e.texts,
        ground: e.ground.clone(),
    });
    let rseq = append(
        &tx,
        e.point.as_str(),
        (&e.by, e.by_name.as_deref()),
        &decision,
        e.at,
    )?;
    tx.commit()?;
    Ok(Some(rseq))
}

pub(super) fn decide(c: &mut Connection, d: &AppealDecision) -> StorageResult<Decided> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let point = d.point.as_str();
    let held: Option<(String, String, Option<String>)> = tx
        .query_row(
            "SELECT id, outcome, outcome_stamp FROM appeals WHERE point_id = ?1 AND number = ?2",
            params![point, d.number],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((appeal_id, from, current)) = held else {
        return Ok(Decided::NoSuchAppeal);
    };
    let appeal_id: Uuid = appeal_id.parse().map_err(corrupt)?;
    let from: crate::domain::Outcome = from.parse().map_err(corrupt)?;
    if from.change_to(d.outcome, d.redirected_to.as_ref()).is_err() {
        return Ok(Decided::Illegal { from });
    }
    let current = current
        .map(|c| Stamp::decode(&c).map_err(corrupt))
        .transpose()?;
    let effective_at = seen_after(d.at, current.as_ref());
    let decision = RegionDecision::AppealOutcomeSet(AppealOutcomeSet {
        effective_at,
        appeal_id,
        outcome: d.outcome,
        redirected_to: d.redirected_to.clone(),
        note: d.answer.clone(),
    });
    let rseq = append(&tx, point, (&d.by, d.by_name.as_deref()), &decision, d.at)?;
    let stamp = Stamp::new(effective_at.unwrap_or(d.at), Side::Region, rseq).encode();
    let at = fmt_time(d.at);
    tx.execute(
        "UPDATE appeals SET outcome = ?3, redirected_to = ?4, closed_at = ?5, updated_at = ?6,
                outcome_stamp = ?7
         WHERE point_id = ?1 AND id = ?2",
        params![
            point,
            appeal_id.to_string(),
            d.outcome.as_str(),
            d.redirected_to.as_ref().map(|b| b.as_str()),
            d.outcome.is_closed().then_some(&at),
            at,
            stamp
        ],
    )?;
    tx.commit()?;
    Ok(Decided::Made { appeal_id, rseq })
}

pub(super) fn region_events(
    c: &Connection,
    point: &PointId,
    after: u64,
    limit: usize,
) -> StorageResult<RegionBatch> {
    c.execute(
        "UPDATE points SET region_acked = ?2 WHERE id = ?1 AND region_acked < ?2",
        params![point.as_str(), after as i64],
    )?;
    region_log(c, point, after, limit)
}

/// The point's region events after `after`, acknowledging nothing.
pub(super) fn region_log(
    c: &Connection,
    point: &PointId,
    after: u64,
    limit: usize,
) -> StorageResult<RegionBatch> {
    let mut stmt = c.prepare_cached(
        "SELECT rseq, id, at, by_login, by_name, decision FROM region_events
         WHERE point_id = ?1 AND rseq > ?2 ORDER BY rseq LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![point.as_str(), after as i64, limit as i64], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let events = rows
        .map(|r| {
            let (rseq, id, at, by, by_name, decision) = r?;
            Ok(FromRegion {
                rseq: rseq as u64,
                region_event_id: id.parse().map_err(corrupt)?,
                at: time(&at)?,
                by,
                by_name,
                decision: serde_json::from_str(&decision).map_err(corrupt)?,
            })
        })
        .collect::<StorageResult<Vec<_>>>()?;
    let head: i64 = c.query_row(
        "SELECT COALESCE(MAX(rseq), 0) FROM region_events WHERE point_id = ?1",
        [point.as_str()],
        |r| r.get(0),
    )?;
    Ok(RegionBatch {
        events,
        head: head as u64,
    })
}
