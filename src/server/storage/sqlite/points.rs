//! Points, supervisors and their tokens, and the cursor a point asks for.

use super::{corrupt, opt_time, time};
use crate::domain::PointId;
use crate::domain::time::fmt_time;
use crate::server::storage::{
    NewPoint, PointRecord, Principal, StorageError, StorageResult, SupervisorRecord, TokenLookup,
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

pub(super) fn is_unique_violation(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
}

/// A unique violation on insert means `what` exists already.
pub(super) fn exists_or(
    what: impl FnOnce() -> String,
) -> impl FnOnce(rusqlite::Error) -> StorageError {
    move |e| {
        if is_unique_violation(&e) {
            StorageError::AlreadyExists(what())
        } else {
            e.into()
        }
    }
}

pub(super) fn found(n: usize, what: impl FnOnce() -> String) -> StorageResult<()> {
    if n == 0 {
        Err(StorageError::NotFound(what()))
    } else {
        Ok(())
    }
}

pub(super) fn add_point(
    c: &Connection,
    point: &NewPoint,
    token_hash: &str,
    at: DateTime<Utc>,
) -> StorageResult<()> {
    c.execute(
        "INSERT INTO points (id, name, region, kind, token_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            point.id.as_str(),
            point.name,
            point.region,
            point.kind.as_str(),
            token_hash,
            fmt_time(at)
        ],
    )
    .map_err(exists_or(|| format!("point {}", point.id)))?;
    Ok(())
}

pub(super) fn revoke_point(c: &Connection, id: &PointId, at: DateTime<Utc>) -> StorageResult<()> {
    let n = c.execute(
        "UPDATE points SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
        params![id.as_str(), fmt_time(at)],
    )?;
    found(n, || format!("point {id}"))
}

pub(super) fn replace_point_token(
    c: &Connection,
    id: &PointId,
    token_hash: &str,
) -> StorageResult<()> {
    let n = c.execute(
        "UPDATE points SET token_hash = ?2, revoked_at = NULL WHERE id = ?1",
        params![id.as_str(), token_hash],
    )?;
    found(n, || format!("point {id}"))
}

pub(super) fn list_points(c: &Connection) -> StorageResult<Vec<PointRecord>> {
    let mut stmt = c.prepare(
        "SELECT id, name, region, kind, created_at, revoked_at, acked_seq,
                last_contact_at, flagged_seq, timezone
         FROM points ORDER BY region, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, i64>(6)?,
            r.get::<_, Option<String>>(7)?,
            r.get::<_, Option<i64>>(8)?,
            r.get::<_, String>(9)?,
        ))
    })?;
    rows.map(|r| {
        let (id, name, region, kind, created, revoked, acked, contact, flagged, timezone) = r?;
        Ok(PointRecord {
            id,
            name,
            region,
            kind,
            created_at: time(&created)?,
            revoked_at: opt_time(revoked)?,
            acked_through: acked as u64,
            last_contact_at: opt_time(contact)?,
            flagged_seq: flagged.map(|s| s as u64),
            timezone,
        })
    })
    .collect()
}

pub(super) fn clear_flag(c: &Connection, id: &PointId) -> StorageResult<()> {
    let n = c.execute(
        "UPDATE points SET flagged_seq = NULL, flagged_at = NULL WHERE id = ?1",
        [id.as_str()],
    )?;
    found(n, || format!("point {id}"))
}

pub(super) fn add_supervisor(
    c: &Connection,
    name: &str,
    region: &str,
    token_hash: &str,
    at: DateTime<Utc>,
) -> StorageResult<()> {
    c.execute(
        "INSERT INTO supervisors (name, region, token_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![name, region, token_hash, fmt_time(at)],
    )
    .map_err(exists_or(|| format!("supervisor {name}")))?;
    Ok(())
}

pub(super) fn revoke_supervisor(
    c: &Connection,
    name: &str,
    at: DateTime<Utc>,
) -> StorageResult<()> {
    let n = c.execute(
        "UPDATE supervisors SET revoked_at = COALESCE(revoked_at, ?2) WHERE name = ?1",
        params![name, fmt_time(at)],
    )?;
    found(n, || format!("supervisor {name}"))
}

pub(super) fn list_supervisors(c: &Connection) -> StorageResult<Vec<SupervisorRecord>> {
    let mut stmt = c.prepare(
        "SELECT name, region, created_at, revoked_at FROM supervisors ORDER BY region, name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    rows.map(|r| {
        let (name, region, created, revoked) = r?;
        Ok(SupervisorRecord {
            name,
            region,
            created_at: time(&created)?,
            revoked_at: opt_time(revoked)?,
        })
    })
    .collect()
}

pub(super) fn token_hash(c: &Connection, id: &PointId) -> StorageResult<Option<String>> {
    Ok(c.query_row(
        "SELECT token_hash FROM points WHERE id = ?1",
        [id.as_str()],
        |r| r.get(0),
    )
    .optional()?)
}

pub(super) fn authenticate(c: &Connection, token_hash: &str) -> StorageResult<TokenLookup> {
    let point: Option<(String, String, Option<String>)> = c
        .query_row(
            "SELECT id, region, revoked_at FROM points WHERE token_hash = ?1",
            [token_hash],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((id, region, revoked)) = point {
        return Ok(match revoked {
            Some(_) => TokenLookup::Revoked,
            None => TokenLookup::Valid(Principal::Point {
                id: PointId::parse(&id).map_err(corrupt)?,
                region,
            }),
        });
    }
    let sup: Option<(String, String, Option<String>)> = c
        .query_row(
            "SELECT name, region, revoked_at FROM supervisors WHERE token_hash = ?1",
            [token_hash],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(match sup {
        Some((_, _, Some(_))) => TokenLookup::Revoked,
        Some((name, region, None)) => TokenLookup::Valid(Principal::Supervisor { name, region }),
        None => TokenLookup::Unknown,
    })
}

/// The point's cursor and flag; records the contact.
pub(super) fn cursor(
    c: &Connection,
    point: &PointId,
    at: DateTime<Utc>,
) -> StorageResult<(u64, bool)> {
    let row: Option<(i64, Option<i64>)> = c
        .query_row(
            "UPDATE points SET last_contact_at = ?2 WHERE id = ?1
             RETURNING acked_seq, flagged_seq",
            params![point.as_str(), fmt_time(at)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (acked, flagged) = row.ok_or_else(|| StorageError::NotFound(format!("point {point}")))?;
    Ok((acked as u64, flagged.is_some()))
}
