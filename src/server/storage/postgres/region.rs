//! The way back and the region's staff, in PostgreSQL's SQL. A point's
//! region log is appended to only with the point's row locked, so two
//! decisions at once cannot take the same `rseq`.

use super::points::{exists_or, found};
use super::{Client, corrupt, count, ms, oms};
use crate::domain::PointId;
use crate::domain::appeal_state::{Side, Stamp, seen_after};
use crate::domain::event::{
    AppealOutcomeSet, FromRegion, LoginResult, RegionDecision, RegionErasure,
};
use crate::domain::staff::MAX_WRONG_PINS;
use crate::server::storage::StorageResult;
use crate::server::storage::region::{
    AppealDecision, Audience, Decided, ErasureRequest, NewStaff, RegionBatch, StaffLogin,
    StaffRecord, login_result,
};
use chrono::{DateTime, Utc};
use tokio_postgres::Row;
use uuid::Uuid;

pub(super) async fn add_staff(c: &Client, s: &NewStaff, at: DateTime<Utc>) -> StorageResult<()> {
    c.execute(
        "INSERT INTO staff (login, name, role, region, pin_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &s.login,
            &s.name,
            &s.role.as_str(),
            &s.region,
            &s.pin_hash,
            &ms(at),
        ],
    )
    .await
    .map_err(exists_or(format!("staff login {}", s.login)))?;
    Ok(())
}

pub(super) async fn disable_staff(c: &Client, login: &str, at: DateTime<Utc>) -> StorageResult<()> {
    let n = c
        .execute(
            "UPDATE staff SET disabled_at = COALESCE(disabled_at, $2) WHERE login = $1",
            &[&login, &ms(at)],
        )
        .await?;
    found(n, || format!("staff login {login}"))
}

const STAFF_COLUMNS: &str =
    "login, name, role, region, created_at, disabled_at, pin_hash, failed_pins, last_failed_at";

fn staff_login_of(r: &Row) -> StaffLogin {
    StaffLogin {
        record: StaffRecord {
            login: r.get(0),
            name: r.get(1),
            role: r.get(2),
            region: r.get(3),
            created_at: r.get(4),
            disabled_at: r.get(5),
        },
        pin_hash: r.get(6),
        failed_pins: r.get::<_, i32>(7).max(0) as u32,
        last_failed_at: r.get(8),
    }
}

pub(super) async fn list_staff(c: &Client) -> StorageResult<Vec<StaffRecord>> {
    let rows = c
        .query(
            &format!(
                "SELECT {STAFF_COLUMNS} FROM staff ORDER BY region COLLATE \"C\", login COLLATE \"C\""
            ),
            &[],
        )
        .await?;
    Ok(rows.iter().map(|r| staff_login_of(r).record).collect())
}

pub(super) async fn staff_login(c: &Client, login: &str) -> StorageResult<Option<StaffLogin>> {
    let row = c
        .query_opt(
            &format!("SELECT {STAFF_COLUMNS} FROM staff WHERE login = $1"),
            &[&login],
        )
        .await?;
    Ok(row.as_ref().map(staff_login_of))
}

pub(super) async fn record_staff_attempt(
    c: &mut Client,
    login: &str,
    result: LoginResult,
    at: DateTime<Utc>,
) -> StorageResult<()> {
    let tx = c.transaction().await?;
    let at = ms(at);
    tx.execute(
        "INSERT INTO staff_attempts (login, at, result) VALUES ($1, $2, $3)",
        &[&login, &at, &login_result(result)],
    )
    .await?;
    match result {
        LoginResult::Ok => {
            tx.execute(
                "UPDATE staff SET failed_pins = 0 WHERE login = $1",
                &[&login],
            )
            .await?;
        }
        LoginResult::WrongPin => {
            tx.execute(
                "UPDATE staff SET last_failed_at = $2, failed_pins =
                    CASE WHEN failed_pins >= $3 THEN 1 ELSE failed_pins + 1 END
                 WHERE login = $1",
                &[&login, &at, &(MAX_WRONG_PINS as i32)],
            )
            .await?;
        }
        LoginResult::Locked | LoginResult::UnknownLogin | LoginResult::Disabled => {}
    }
    tx.commit().await?;
    Ok(())
}

/// Appends to one point's region log under its next `rseq`; the caller's
/// transaction holds the point's row locked.
async fn append(
    tx: &deadpool_postgres::Transaction<'_>,
    point: &str,
    (by, by_name): (&str, Option<&str>),
    decision: &RegionDecision,
    at: DateTime<Utc>,
) -> StorageResult<u64> {
    let rseq: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(rseq), 0) + 1 FROM region_events WHERE point_id = $1",
            &[&point],
        )
        .await?
        .get(0);
    tx.execute(
        "INSERT INTO region_events (point_id, rseq, id, at, by_login, by_name, kind, decision)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &point,
            &rseq,
            &Uuid::now_v7(),
            &ms(at),
            &by,
            &by_name,
            &decision.kind(),
            &serde_json::to_string(decision).map_err(corrupt)?,
        ],
    )
    .await?;
    Ok(count(rseq))
}

pub(super) async fn publish(
    c: &mut Client,
    audience: &Audience,
    by: &str,
    decision: &RegionDecision,
    at: DateTime<Utc>,
) -> StorageResult<Vec<PointId>> {
    let tx = c.transaction().await?;
    let region = match audience {
        Audience::Everyone => None,
        Audience::Region(r) => Some(r.as_str()),
    };
    // locked in one order, so two directives at once cannot deadlock
    let rows = tx
        .query(
            "SELECT id FROM points WHERE revoked_at IS NULL AND ($1::text IS NULL OR region = $1)
             ORDER BY id COLLATE \"C\" FOR UPDATE",
            &[&region],
        )
        .await?;
    let points: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    for p in &points {
        append(&tx, p, (by, None), decision, at).await?;
    }
    tx.commit().await?;
    points
        .iter()
        .map(|p| PointId::parse(p).map_err(corrupt))
        .collect()
}

pub(super) async fn erase_citizen(
    c: &mut Client,
    e: &ErasureRequest,
) -> StorageResult<Option<u64>> {
    let tx = c.transaction().await?;
    let point = e.point.as_str();
    // the point's row locked, as for a decision: its region log's next rseq
    tx.execute("SELECT 1 FROM points WHERE id = $1 FOR UPDATE", &[&point])
        .await?;
    let held = tx
        .query_opt(
            "SELECT id FROM appeals WHERE point_id = $1 AND number = $2",
            &[&point, &e.number],
        )
        .await?;
    let Some(row) = held else {
        return Ok(None);
    };
    let decision = RegionDecision::CitizenErased(RegionErasure {
        appeal_id: row.get(0),
        texts: e.texts,
        ground: e.ground.clone(),
    });
    let rseq = append(&tx, point, (&e.by, e.by_name.as_deref()), &decision, e.at).await?;
    tx.commit().await?;
    Ok(Some(rseq))
}

pub(super) async fn decide(c: &mut Client, d: &AppealDecision) -> StorageResult<Decided> {
    let tx = c.transaction().await?;
    let point = d.point.as_str();
    tx.execute("SELECT 1 FROM points WHERE id = $1 FOR UPDATE", &[&point])
        .await?;
    let held = tx
        .query_opt(
            "SELECT id, outcome, outcome_stamp FROM appeals
             WHERE point_id = $1 AND number = $2 FOR UPDATE",
            &[&point, &d.number],
        )
        .await?;
    let Some(row) = held else {
        return Ok(Decided::NoSuchAppeal);
    };
    let appeal_id: Uuid = row.get(0);
    let from: crate::domain::Outcome = row.get::<_, String>(1).parse().map_err(corrupt)?;
    if from.change_to(d.outcome, d.redirected_to.as_ref()).is_err() {
        return Ok(Decided::Illegal { from });
    }
    let current = row
        .get::<_, Option<String>>(2)
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
    let rseq = append(&tx, point, (&d.by, d.by_name.as_deref()), &decision, d.at).await?;
    let stamp = Stamp::new(effective_at.unwrap_or(d.at), Side::Region, rseq).encode();
    tx.execute(
        "UPDATE appeals SET outcome = $3, redirected_to = $4, closed_at = $5, updated_at = $6,
                outcome_stamp = $7
         WHERE point_id = $1 AND id = $2",
        &[
            &point,
            &appeal_id,
            &d.outcome.as_str(),
            &d.redirected_to.as_ref().map(|b| b.as_str()),
            &oms(d.outcome.is_closed().then_some(d.at)),
            &ms(d.at),
            &stamp,
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(Decided::Made { appeal_id, rseq })
}

pub(super) async fn region_events(
    c: &Client,
    point: &PointId,
    after: u64,
    limit: usize,
) -> StorageResult<RegionBatch> {
    c.execute(
        "UPDATE points SET region_acked = $2 WHERE id = $1 AND region_acked < $2",
        &[&point.as_str(), &(after as i64)],
    )
    .await?;
    region_log(c, point, after, limit).await
}

/// The point's region events after `after`, acknowledging nothing.
pub(super) async fn region_log(
    c: &Client,
    point: &PointId,
    after: u64,
    limit: usize,
) -> StorageResult<RegionBatch> {
    let after = after as i64;
    let rows = c
        .query(
            "SELECT rseq, id, at, by_login, by_name, decision FROM region_events
             WHERE point_id = $1 AND rseq > $2 ORDER BY rseq LIMIT $3",
            &[&point.as_str(), &after, &(limit as i64)],
        )
        .await?;
    let events = rows
        .iter()
        .map(|r| {
            Ok(FromRegion {
                rseq: count(r.get(0)),
                region_event_id: r.get(1),
                at: r.get(2),
                by: r.get(3),
                by_name: r.get(4),
                decision: serde_json::from_str(r.get::<_, &str>(5)).map_err(corrupt)?,
            })
        })
        .collect::<StorageResult<Vec<_>>>()?;
    let head: i64 = c
        .query_one(
            "SELECT COALESCE(MAX(rseq), 0) FROM region_events WHERE point_id = $1",
            &[&point.as_str()],
        )
        .await?
        .get(0);
    Ok(RegionBatch {
        events,
        head: count(head),
    })
}
