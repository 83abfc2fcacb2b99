//! Points, supervisors and their tokens, and the cursor a point asks for.

use super::{Client, corrupt, count, ms};
use crate::domain::PointId;
use crate::server::storage::{
    NewPoint, PointRecord, Principal, StorageError, StorageResult, SupervisorRecord, TokenLookup,
};
use chrono::{DateTime, Utc};
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;

/// A unique violation on insert means `what` exists already; anything else
/// is a database error.
pub(super) fn exists_or(what: String) -> impl FnOnce(tokio_postgres::Error) -> StorageError {
    move |e| {
        if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
            StorageError::AlreadyExists(what)
        } else {
            e.into()
        }
    }
}

pub(super) fn found(n: u64, what: impl FnOnce() -> String) -> StorageResult<()> {
    if n == 0 {
        Err(StorageError::NotFound(what()))
    } else {
        Ok(())
    }
}

fn point_record(r: &Row) -> PointRecord {
    PointRecord {
        id: r.get(0),
        name: r.get(1),
        region: r.get(2),
        kind: r.get(3),
        created_at: r.get(4),
        revoked_at: r.get(5),
        acked_through: count(r.get(6)),
        last_contact_at: r.get(7),
        flagged_seq: r.get::<_, Option<i64>>(8).map(count),
        timezone: r.get(9),
    }
}

pub(super) async fn add_point(
    c: &Client,
    point: &NewPoint,
    token_hash: &str,
    at: DateTime<Utc>,
) -> StorageResult<()> {
    c.execute(
        "INSERT INTO points (id, name, region, kind, token_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &point.id.as_str(),
            &point.name,
            &point.region,
            &point.kind.as_str(),
            &token_hash,
            &ms(at),
        ],
    )
    .await
    .map_err(exists_or(format!("point {}", point.id)))?;
    Ok(())
}

pub(super) async fn revoke_point(c: &Client, id: &PointId, at: DateTime<Utc>) -> StorageResult<()> {
    let n = c
        .execute(
            "UPDATE points SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1",
            &[&id.as_str(), &ms(at)],
        )
        .await?;
    found(n, || format!("point {id}"))
}

pub(super) async fn replace_point_token(
    c: &Client,
    id: &PointId,
    token_hash: &str,
) -> StorageResult<()> {
    let n = c
        .execute(
            "UPDATE points SET token_hash = $2, revoked_at = NULL WHERE id = $1",
            &[&id.as_str(), &token_hash],
        )
        .await?;
    found(n, || format!("point {id}"))
}

pub(super) async fn list_points(c: &Client) -> StorageResult<Vec<PointRecord>> {
    let rows = c
        .query(
            // byte order, as SQLite sorts, whatever the database's locale
            "SELECT id, name, region, kind, created_at, revoked_at, acked_seq,
                    last_contact_at, flagged_seq, timezone
             FROM points ORDER BY region COLLATE \"C\", id COLLATE \"C\"",
            &[],
        )
        .await?;
    Ok(rows.iter().map(point_record).collect())
}

pub(super) async fn clear_flag(c: &Client, id: &PointId) -> StorageResult<()> {
    let n = c
        .execute(
            "UPDATE points SET flagged_seq = NULL, flagged_at = NULL WHERE id = $1",
            &[&id.as_str()],
        )
        .await?;
    found(n, || format!("point {id}"))
}

pub(super) async fn add_supervisor(
    c: &Client,
    name: &str,
    region: &str,
    token_hash: &str,
    at: DateTime<Utc>,
) -> StorageResult<()> {
    c.execute(
        "INSERT INTO supervisors (name, region, token_hash, created_at)
         VALUES ($1, $2, $3, $4)",
        &[&name, &region, &token_hash, &ms(at)],
    )
    .await
    .map_err(exists_or(format!("supervisor {name}")))?;
    Ok(())
}

pub(super) async fn revoke_supervisor(
    c: &Client,
    name: &str,
    at: DateTime<Utc>,
) -> StorageResult<()> {
    let n = c
        .execute(
            "UPDATE supervisors SET revoked_at = COALESCE(revoked_at, $2) WHERE name = $1",
            &[&name, &ms(at)],
        )
        .await?;
    found(n, || format!("supervisor {name}"))
}

pub(super) async fn list_supervisors(c: &Client) -> StorageResult<Vec<SupervisorRecord>> {
    let rows = c
        .query(
            "SELECT name, region, created_at, revoked_at FROM supervisors
             ORDER BY region COLLATE \"C\", name COLLATE \"C\"",
            &[],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| SupervisorRecord {
            name: r.get(0),
            region: r.get(1),
            created_at: r.get(2),
            revoked_at: r.get(3),
        })
        .collect())
}

pub(super) async fn token_hash(c: &Client, id: &PointId) -> StorageResult<Option<String>> {
    Ok(c.query_opt(
        "SELECT token_hash FROM points WHERE id = $1",
        &[&id.as_str()],
    )
    .await?
    .map(|r| r.get(0)))
}

pub(super) async fn authenticate(c: &Client, token_hash: &str) -> StorageResult<TokenLookup> {
    let point = c
        .query_opt(
            "SELECT id, region, revoked_at IS NOT NULL FROM points WHERE token_hash = $1",
            &[&token_hash],
        )
        .await?;
    if let Some(r) = point {
        let revoked: bool = r.get(2);
        return Ok(if revoked {
            TokenLookup::Revoked
        } else {
            TokenLookup::Valid(Principal::Point {
                id: PointId::parse(r.get::<_, &str>(0)).map_err(corrupt)?,
                region: r.get(1),
            })
        });
    }
    let sup = c
        .query_opt(
            "SELECT name, region, revoked_at IS NOT NULL FROM supervisors
             WHERE token_hash = $1",
            &[&token_hash],
        )
        .await?;
    Ok(match sup {
        Some(r) if r.get::<_, bool>(2) => TokenLookup::Revoked,
        Some(r) => TokenLookup::Valid(Principal::Supervisor {
            name: r.get(0),
            region: r.get(1),
        }),
        None => TokenLookup::Unknown,
    })
}

/// The point's cursor and flag; records the contact.
pub(super) async fn cursor(
    c: &Client,
    point: &PointId,
    at: DateTime<Utc>,
) -> StorageResult<(u64, bool)> {
    let row = c
        .query_opt(
            "UPDATE points SET last_contact_at = $2 WHERE id = $1
             RETURNING acked_seq, flagged_seq",
            &[&point.as_str(), &ms(at)],
        )
        .await?
        .ok_or_else(|| StorageError::NotFound(format!("point {point}")))?;
    Ok((count(row.get(0)), row.get::<_, Option<i64>>(1).is_some()))
}
