//! `qabyldau server migrate-to`: copies a regional SQLite server into
//! PostgreSQL. Events are the truth: points, supervisors, events and
//! conflicts are copied; tickets, appeals, their history and sessions are
//! rebuilt by replaying the events through the same projection the server
//! applies at ingest. The region log (docs/REGION.md) is a truth too: it
//! is copied with the region's staff and their login attempts, and its
//! decisions on appeals are made again in the rebuilt appeals, by the same
//! stamps, so a decision a point has not echoed yet is not lost.
//!
//! Resumable: each point's events are copied in transactions that advance
//! its `acked_seq` in the copy, so a run that stops (killed, the network
//! gone) continues where it stopped; a run on a server that kept working
//! copies what arrived since. Each run reads one snapshot of the SQLite
//! file, so a server still running meanwhile does not disturb it. At the end every point is compared: events
//! counted, a SHA-256 over their hashes in `seq` order (computed by each
//! database), and the rebuilt tables counted.

use super::projection::{change_of, zone_of};
use super::storage::postgres::{
    ImportedAttempt, ImportedConflict, ImportedEvent, ImportedPoint, ImportedRegionEvent,
    ImportedStaff, ImportedSupervisor, PointSummary, PostgresStorage,
};
use super::storage::{StorageError, sqlite};
use crate::domain::time::parse_time;
use crate::domain::{EventRecord, PointId};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex};

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("the SQLite server database {path}: {why}")]
    Source { path: String, why: String },
    #[error(transparent)]
    Target(#[from] StorageError),
    #[error("the copy differs from the source: {0}")]
    Mismatch(String),
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Events copied per transaction.
    pub batch_events: usize,
    /// Stop (as if interrupted) after this many events copied in this run.
    pub stop_after_events: Option<u64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            batch_events: 2000,
            stop_after_events: None,
        }
    }
}

/// One point's part of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointCopy {
    pub id: String,
    /// The copy held events up to here when the run began.
    pub resumed_after: u64,
    pub copied: u64,
    pub summary: PointSummary,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub points: Vec<PointCopy>,
    pub supervisors: usize,
    pub conflicts: usize,
    /// False when the run stopped early (`stop_after_events`): run again.
    pub complete: bool,
}

impl Report {
    pub fn copied(&self) -> u64 {
        self.points.iter().map(|p| p.copied).sum()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.complete {
            return write!(
                f,
                "Stopped after {} events; run the same command again to continue.",
                self.copied()
            );
        }
        let events: u64 = self.points.iter().map(|p| p.summary.events).sum();
        write!(
            f,
            "Done: {} points, {} supervisors, {events} events ({} copied now), {} conflicts. \
             Verified: per point the events counted, their hash chain and the rebuilt \
             tickets, appeals (their outcomes too), appeal history, sessions and the region log are the same as in SQLite.",
            self.points.len(),
            self.supervisors,
            self.copied(),
            self.conflicts,
        )
    }
}

type Source = Arc<Mutex<Connection>>;

/// Runs SQLite reads on a blocking thread.
async fn read<T: Send + 'static>(
    src: &Source,
    path: &str,
    f: impl FnOnce(&Connection) -> rusqlite::Result<Result<T, String>> + Send + 'static,
) -> Result<T, MigrateError> {
    let src = Arc::clone(src);
    let fail = |why: String| MigrateError::Source {
        path: path.to_string(),
        why,
    };
    tokio::task::spawn_blocking(move || {
        let conn = src.lock().unwrap_or_else(|p| p.into_inner());
        f(&conn)
    })
    .await
    .map_err(|e| fail(e.to_string()))?
    .map_err(|e| fail(e.to_string()))?
    .map_err(fail)
}

fn time(s: &str) -> Result<DateTime<Utc>, String> {
    parse_time(s).map_err(|e| e.to_string())
}

fn opt_time(s: Option<String>) -> Result<Option<DateTime<Utc>>, String> {
    s.as_deref().map(time).transpose()
}

fn open_source(path: &Path) -> Result<Connection, MigrateError> {
    let fail = |why: String| MigrateError::Source {
        path: path.display().to_string(),
        why,
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| fail(e.to_string()))?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(|e| fail(e.to_string()))?;
    // one read transaction for the whole run: a server still running
    // while it copies cannot make the copy and its checks disagree (WAL
    // gives this reader the snapshot of its first read)
    conn.execute_batch("BEGIN")
        .map_err(|e| fail(e.to_string()))?;
    let app: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| fail(e.to_string()))?;
    if app != sqlite::APPLICATION_ID {
        return Err(fail("not a qabyldau server database".into()));
    }
    let version: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| fail(e.to_string()))?;
    if version > sqlite::LATEST {
        return Err(fail(format!(
            "made by a newer qabyldau (schema {version}, this program knows up to {})",
            sqlite::LATEST
        )));
    }
    Ok(conn)
}

/// Copies the SQLite server at `source` into `target`; `progress` gets a
/// line per point.
pub async fn migrate(
    source: &Path,
    target: &PostgresStorage,
    options: Options,
    mut progress: impl FnMut(String),
) -> Result<Report, MigrateError> {
    let path = source.display().to_string();
    let src: Source = Arc::new(Mutex::new(open_source(source)?));
    let points = read(&src, &path, read_points).await?;
    for p in &points {
        target.import_point(p).await?;
    }
    let supervisors = read(&src, &path, read_supervisors).await?;
    for s in &supervisors {
        target.import_supervisor(s).await?;
    }
    // the region's staff and their attempts (a source older than the way
    // back has none)
    for s in &read(&src, &path, read_staff).await? {
        target.import_staff(s).await?;
    }
    target
        .import_attempts(&read(&src, &path, read_attempts).await?)
        .await?;
    let mut budget = options.stop_after_events;
    let mut copies = Vec::new();
    for p in &points {
        let resumed_after = target.acked_seq(&p.id).await?;
        let mut held = resumed_after;
        let mut copied = 0;
        loop {
            let limit = match budget {
                Some(0) => {
                    progress(format!("{}: stopped at event {held}", p.id));
                    copies.push(PointCopy {
                        id: p.id.clone(),
                        resumed_after,
                        copied,
                        summary: PointSummary::default(),
                    });
                    return Ok(Report {
                        points: copies,
                        supervisors: supervisors.len(),
                        conflicts: 0,
                        complete: false,
                    });
                }
                Some(b) => options.batch_events.min(b as usize),
                None => options.batch_events,
            };
            let id = p.id.clone();
            let tz = zone_of(&p.timezone);
            let events = read(&src, &path, move |c| read_events(c, &id, tz, held, limit)).await?;
            let Some(last) = events.last().map(|e| e.record.seq) else {
                break;
            };
            held = target.import_events(&p.id, &events).await?;
            debug_assert_eq!(held, last);
            copied += events.len() as u64;
            if let Some(b) = budget.as_mut() {
                *b -= events.len() as u64;
            }
        }
        // the region log after the events: its decisions on appeals are
        // made again in the appeals the events rebuilt
        let id = p.id.clone();
        let (region_events, region_acked) =
            read(&src, &path, move |c| read_region_events(c, &id)).await?;
        target
            .import_region_events(&p.id, &region_events, region_acked)
            .await?;
        progress(if resumed_after > 0 {
            format!(
                "{}: {copied} events copied after the {resumed_after} copied before, {held} in all",
                p.id
            )
        } else {
            format!("{}: {copied} events copied", p.id)
        });
        copies.push(PointCopy {
            id: p.id.clone(),
            resumed_after,
            copied,
            summary: PointSummary::default(),
        });
    }
    let conflicts = read(&src, &path, read_conflicts).await?;
    for c in &conflicts {
        target.import_conflict(c).await?;
    }
    // verification: every point, as each database counts and hashes it
    let mut differences = Vec::new();
    for copy in &mut copies {
        let id = copy.id.clone();
        let theirs = read(&src, &path, move |c| summary(c, &id)).await?;
        let ours = target.summary(&copy.id).await?;
        if ours != theirs {
            differences.push(format!(
                "point {}: SQLite {theirs:?}, PostgreSQL {ours:?}",
                copy.id
            ));
        }
        copy.summary = ours;
    }
    if !differences.is_empty() {
        return Err(MigrateError::Mismatch(differences.join("; ")));
    }
    progress(format!(
        "verified {} points: events, hash chains and rebuilt tables agree",
        copies.len()
    ));
    Ok(Report {
        points: copies,
        supervisors: supervisors.len(),
        conflicts: conflicts.len(),
        complete: true,
    })
}

type Read<T> = rusqlite::Result<Result<T, String>>;

/// Whether the source has this table (one older than the way back has not
/// got the region's).
fn has_table(c: &Connection, table: &str) -> rusqlite::Result<bool> {
    c.query_row(
        "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [table],
        |r| r.get(0),
    )
}

fn read_staff(c: &Connection) -> Read<Vec<ImportedStaff>> {
    if !has_table(c, "staff")? {
        return Ok(Ok(Vec::new()));
    }
    let mut stmt = c.prepare(
        "SELECT login, name, role, region, pin_hash, created_at, disabled_at, failed_pins,
                last_failed_at FROM staff ORDER BY login",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                (
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ),
                (
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, i64>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ),
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(
            |((login, name, role, region, pin_hash), (created, disabled, failed, last))| {
                Ok(ImportedStaff {
                    login,
                    name,
                    role,
                    region,
                    pin_hash,
                    created_at: time(&created)?,
                    disabled_at: opt_time(disabled)?,
                    failed_pins: failed.max(0) as u32,
                    last_failed_at: opt_time(last)?,
                })
            },
        )
        .collect())
}

fn read_attempts(c: &Connection) -> Read<Vec<ImportedAttempt>> {
    if !has_table(c, "staff_attempts")? {
        return Ok(Ok(Vec::new()));
    }
    let mut stmt = c.prepare("SELECT login, at, result FROM staff_attempts ORDER BY rowid")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|(login, at, result)| {
            Ok(ImportedAttempt {
                login,
                at: time(&at)?,
                result,
            })
        })
        .collect())
}

/// A point's region log and how far the point has applied it.
fn read_region_events(c: &Connection, point: &str) -> Read<(Vec<ImportedRegionEvent>, u64)> {
    if !has_table(c, "region_events")? {
        return Ok(Ok((Vec::new(), 0)));
    }
    let acked: i64 = c
        .query_row(
            "SELECT region_acked FROM points WHERE id = ?1",
            [point],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0);
    let mut stmt = c.prepare(
        "SELECT rseq, id, at, by_login, by_name, kind, decision FROM region_events
         WHERE point_id = ?1 ORDER BY rseq",
    )?;
    let rows = stmt
        .query_map([point], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let events = rows
        .into_iter()
        .map(|(rseq, id, at, by_login, by_name, kind, decision)| {
            Ok(ImportedRegionEvent {
                rseq: rseq.max(0) as u64,
                id: id
                    .parse()
                    .map_err(|e| format!("region event {rseq}: {e}"))?,
                at: time(&at)?,
                by_login,
                by_name,
                kind,
                decision,
            })
        })
        .collect::<Result<Vec<_>, String>>();
    Ok(events.map(|e| (e, acked.max(0) as u64)))
}

fn read_points(c: &Connection) -> Read<Vec<ImportedPoint>> {
    // the source is opened read-only and not migrated: one that no server
    // of this version has opened yet has no zones, and its points are on
    // the region's, as migration 0002 would make them
    let zoned: bool = c.query_row(
        "SELECT COUNT(*) > 0 FROM pragma_table_info('points') WHERE name = 'timezone'",
        [],
        |r| r.get(0),
    )?;
    let timezone = if zoned { "timezone" } else { "'Asia/Almaty'" };
    let mut stmt = c.prepare(&format!(
        "SELECT id, name, region, kind, token_hash, created_at, revoked_at, reported_head,
                last_contact_at, last_event_at, flagged_seq, flagged_at, {timezone}
         FROM points ORDER BY id"
    ))?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                (
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ),
                (
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<i64>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                    r.get::<_, Option<String>>(9)?,
                    r.get::<_, Option<i64>>(10)?,
                    r.get::<_, Option<String>>(11)?,
                    r.get::<_, String>(12)?,
                ),
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|((id, name, region, kind, token_hash), times)| {
            let (created, revoked, head, contact, last_event, fseq, fat, timezone) = times;
            Ok(ImportedPoint {
                id,
                name,
                region,
                kind,
                token_hash,
                created_at: time(&created)?,
                revoked_at: opt_time(revoked)?,
                reported_head: head.map(|h| h.max(0) as u64),
                last_contact_at: opt_time(contact)?,
                last_event_at: opt_time(last_event)?,
                flagged_seq: fseq.map(|s| s.max(0) as u64),
                flagged_at: opt_time(fat)?,
                timezone,
            })
        })
        .collect())
}

fn read_supervisors(c: &Connection) -> Read<Vec<ImportedSupervisor>> {
    let mut stmt = c.prepare(
        "SELECT name, region, token_hash, created_at, revoked_at FROM supervisors ORDER BY name",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|(name, region, token_hash, created, revoked)| {
            Ok(ImportedSupervisor {
                name,
                region,
                token_hash,
                created_at: time(&created)?,
                revoked_at: opt_time(revoked)?,
            })
        })
        .collect())
}

fn read_conflicts(c: &Connection) -> Read<Vec<ImportedConflict>> {
    let mut stmt = c.prepare(
        "SELECT point_id, seq, held_hash, offered_hash, offered, at FROM conflicts
         ORDER BY point_id, seq, at",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|(point_id, seq, held_hash, offered_hash, offered, at)| {
            Ok(ImportedConflict {
                point_id,
                seq: seq.max(0) as u64,
                held_hash,
                offered_hash,
                offered,
                at: time(&at)?,
            })
        })
        .collect())
}

/// Up to `limit` events of a point after `after`, each checked against its
/// stored hash and turned into its projection change.
fn read_events(
    c: &Connection,
    point: &str,
    tz: chrono_tz::Tz,
    after: u64,
    limit: usize,
) -> Read<Vec<ImportedEvent>> {
    let Ok(point_id) = PointId::parse(point) else {
        return Ok(Err(format!("point id {point:?} is not valid")));
    };
    let mut stmt = c.prepare_cached(
        "SELECT seq, id, at, actor, kind, version, payload, hash, received_at
         FROM events WHERE point_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    let rows = stmt
        .query_map(params![point, after as i64, limit as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, u32>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(
            |(seq, id, at, actor, kind, version, payload, hash, received)| {
                let record = EventRecord {
                    point_id: point_id.clone(),
                    seq: seq.max(0) as u64,
                    id: id.parse().map_err(|e| format!("event {seq}: {e}"))?,
                    at: time(&at)?,
                    actor,
                    kind,
                    version,
                    payload: serde_json::from_str(&payload)
                        .map_err(|e| format!("event {seq}: {e}"))?,
                };
                if record.content_hash() != hash {
                    return Err(format!(
                        "point {point}, event {seq}: its content does not match its stored hash"
                    ));
                }
                let body = record
                    .body()
                    .map_err(|e| format!("point {point}, event {seq}: {e}"))?;
                Ok(ImportedEvent {
                    change: change_of(&record, &body, tz),
                    record,
                    hash,
                    received_at: time(&received)?,
                })
            },
        )
        .collect())
}

/// The same summary as `PostgresStorage::summary`, counted by SQLite.
fn summary(c: &Connection, point: &str) -> Read<PointSummary> {
    let n = |sql: &str| -> rusqlite::Result<u64> {
        c.query_row(sql, [point], |r| r.get::<_, i64>(0))
            .map(|v| v.max(0) as u64)
    };
    let mut chain = Sha256::new();
    let mut stmt = c.prepare("SELECT hash FROM events WHERE point_id = ?1 ORDER BY seq")?;
    let mut rows = stmt.query([point])?;
    let mut first = true;
    while let Some(r) = rows.next()? {
        if !first {
            chain.update(b"\n");
        }
        first = false;
        chain.update(r.get_ref(0)?.as_str().unwrap_or_default().as_bytes());
    }
    let acked: Option<i64> = c
        .query_row("SELECT acked_seq FROM points WHERE id = ?1", [point], |r| {
            r.get(0)
        })
        .optional()?;
    let region = has_table(c, "region_events")?;
    let (region_events, region_acked) = if region {
        (
            n("SELECT COUNT(*) FROM region_events WHERE point_id = ?1")?,
            n("SELECT COALESCE(MAX(region_acked), 0) FROM points WHERE id = ?1")?,
        )
    } else {
        (0, 0)
    };
    // the same text as PostgreSQL hashes: id and outcome per appeal
    let mut outcomes = Sha256::new();
    let mut stmt =
        c.prepare("SELECT id || ' ' || outcome FROM appeals WHERE point_id = ?1 ORDER BY id")?;
    let mut rows = stmt.query([point])?;
    let mut first = true;
    while let Some(r) = rows.next()? {
        if !first {
            outcomes.update(b"\n");
        }
        first = false;
        outcomes.update(r.get_ref(0)?.as_str().unwrap_or_default().as_bytes());
    }
    Ok(Ok(PointSummary {
        events: n("SELECT COUNT(*) FROM events WHERE point_id = ?1")?,
        acked_seq: acked.unwrap_or(0).max(0) as u64,
        chain: hex::encode(chain.finalize()),
        tickets: n("SELECT COUNT(*) FROM tickets WHERE point_id = ?1")?,
        appeals: n("SELECT COUNT(*) FROM appeals WHERE point_id = ?1")?,
        appeal_changes: n("SELECT COUNT(*) FROM appeal_changes WHERE point_id = ?1")?,
        sessions: n("SELECT COUNT(*) FROM sessions WHERE point_id = ?1")?,
        // the copy keeps one row per (seq, offered event, time)
        conflicts: n("SELECT COUNT(*) FROM (SELECT DISTINCT seq, offered_hash, at
                      FROM conflicts WHERE point_id = ?1)")?,
        region_events,
        region_acked,
        outcomes: hex::encode(outcomes.finalize()),
    }))
}
