//! The SQLite backend: one writer connection (SQLite has one writer at a
//! time anyway) and a few reader connections, all used on tokio's blocking
//! threads. WAL and `synchronous=FULL`: an `acked_through` sent to a point
//! is on disk, so a crash of the server never loses an acknowledged event.

use super::{
    Batch, IngestOutcome, NewPoint, Placement, PointRecord, Principal, Resent, Scope, Storage,
    StorageError, StorageFuture, StorageResult, StoredEvent, SupervisorRecord, TokenLookup,
    compare_resent, place,
};
use crate::domain::report::{AppealFact, Facts, SessionFact, TicketFact};
use crate::domain::{EventRecord, PointId};
use crate::server::projection::local_date;
use crate::server::projection::{Change, TicketMoved};
use crate::server::protocol::{FactsQuery, Flag, PointView, QueueTicket, QueueView};
use crate::store::{fmt_time, parse_time};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior, params};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// (version, SQL); a released migration never changes.
const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("migrations/sqlite/0001_server.sql")),
    (2, include_str!("migrations/sqlite/0002_events_by_kind.sql")),
];
pub const LATEST: u32 = MIGRATIONS[MIGRATIONS.len() - 1].0;

const READERS: usize = 4;

pub struct SqliteStorage {
    inner: Arc<Inner>,
}

struct Inner {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(
                ErrorCode::DatabaseBusy
                | ErrorCode::DatabaseLocked
                | ErrorCode::DiskFull
                | ErrorCode::CannotOpen
                | ErrorCode::SystemIoFailure,
            ) => StorageError::Unavailable(e.to_string()),
            _ => StorageError::Backend(e.to_string()),
        }
    }
}

fn corrupt(e: impl std::fmt::Display) -> StorageError {
    StorageError::Corrupt(e.to_string())
}

fn time(s: &str) -> StorageResult<DateTime<Utc>> {
    parse_time(s).map_err(corrupt)
}

fn opt_time(s: Option<String>) -> StorageResult<Option<DateTime<Utc>>> {
    s.as_deref().map(time).transpose()
}

impl SqliteStorage {
    /// Opens (creating and migrating) the server database at `path`.
    pub fn open(path: &Path) -> StorageResult<SqliteStorage> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StorageError::Unavailable(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let mut writer = open_connection(path)?;
        migrate(&mut writer)?;
        let readers = (0..READERS)
            .map(|_| {
                let c = open_connection(path)?;
                c.pragma_update(None, "query_only", true)?;
                Ok(Mutex::new(c))
            })
            .collect::<StorageResult<Vec<_>>>()?;
        Ok(SqliteStorage {
            inner: Arc::new(Inner {
                writer: Mutex::new(writer),
                readers,
                next: AtomicUsize::new(0),
            }),
        })
    }

    fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> StorageResult<T> + Send + 'static,
    ) -> StorageFuture<'_, T> {
        let inner = Arc::clone(&self.inner);
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                // a panic inside `f` rolled its transaction back on unwind
                let mut conn = inner.writer.lock().unwrap_or_else(|p| p.into_inner());
                f(&mut conn)
            })
            .await
            .map_err(|e| StorageError::Backend(format!("storage task failed: {e}")))?
        })
    }

    fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> StorageResult<T> + Send + 'static,
    ) -> StorageFuture<'_, T> {
        let inner = Arc::clone(&self.inner);
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                let i = inner.next.fetch_add(1, Ordering::Relaxed) % inner.readers.len();
                let conn = inner.readers[i].lock().unwrap_or_else(|p| p.into_inner());
                f(&conn)
            })
            .await
            .map_err(|e| StorageError::Backend(format!("storage task failed: {e}")))?
        })
    }
}

fn open_connection(path: &Path) -> StorageResult<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| StorageError::Unavailable(format!("cannot open {}: {e}", path.display())))?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "wal")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "trusted_schema", false)?;
    // the disk-full tests' hook (a full disk at N pages), as at the point
    crate::store::test_page_limit(&conn)?;
    Ok(conn)
}

/// `PRAGMA application_id` of a server database ("QBLS"), so a point's
/// database given by mistake is refused instead of migrated.
pub const APPLICATION_ID: i32 = 0x5142_4C53;

fn migrate(conn: &mut Connection) -> StorageResult<()> {
    let app: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))?;
    if app != APPLICATION_ID && tables > 0 {
        return Err(StorageError::Corrupt(
            "this file is not a qabyldau server database (a point's database?); give the server its own --db".into(),
        ));
    }
    let found: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > LATEST {
        return Err(StorageError::SchemaTooNew {
            found,
            known: LATEST,
        });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now: u32 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if now >= *version {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        tracing::info!(version, "server database migrated");
    }
    Ok(())
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
}

impl Storage for SqliteStorage {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn add_point(
        &self,
        point: NewPoint,
        token_hash: String,
        at: DateTime<Utc>,
    ) -> StorageFuture<'_, ()> {
        self.write(move |c| {
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
            .map_err(|e| {
                if is_unique_violation(&e) {
                    StorageError::AlreadyExists(format!("point {}", point.id))
                } else {
                    e.into()
                }
            })?;
            Ok(())
        })
    }

    fn revoke_point(&self, id: PointId, at: DateTime<Utc>) -> StorageFuture<'_, ()> {
        self.write(move |c| {
            let n = c.execute(
                "UPDATE points SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
                params![id.as_str(), fmt_time(at)],
            )?;
            found(n, || format!("point {id}"))
        })
    }

    fn replace_point_token(&self, id: PointId, token_hash: String) -> StorageFuture<'_, ()> {
        self.write(move |c| {
            let n = c.execute(
                "UPDATE points SET token_hash = ?2, revoked_at = NULL WHERE id = ?1",
                params![id.as_str(), token_hash],
            )?;
            found(n, || format!("point {id}"))
        })
    }

    fn list_points(&self) -> StorageFuture<'_, Vec<PointRecord>> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT id, name, region, kind, created_at, revoked_at, acked_seq,
                        last_contact_at, flagged_seq
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
                ))
            })?;
            rows.map(|r| {
                let (id, name, region, kind, created, revoked, acked, contact, flagged) = r?;
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
                })
            })
            .collect()
        })
    }

    fn clear_flag(&self, id: PointId) -> StorageFuture<'_, ()> {
        self.write(move |c| {
            let n = c.execute(
                "UPDATE points SET flagged_seq = NULL, flagged_at = NULL WHERE id = ?1",
                [id.as_str()],
            )?;
            found(n, || format!("point {id}"))
        })
    }

    fn add_supervisor(
        &self,
        name: String,
        region: String,
        token_hash: String,
        at: DateTime<Utc>,
    ) -> StorageFuture<'_, ()> {
        self.write(move |c| {
            c.execute(
                "INSERT INTO supervisors (name, region, token_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![name, region, token_hash, fmt_time(at)],
            )
            .map_err(|e| {
                if is_unique_violation(&e) {
                    StorageError::AlreadyExists(format!("supervisor {name}"))
                } else {
                    e.into()
                }
            })?;
            Ok(())
        })
    }

    fn revoke_supervisor(&self, name: String, at: DateTime<Utc>) -> StorageFuture<'_, ()> {
        self.write(move |c| {
            let n = c.execute(
                "UPDATE supervisors SET revoked_at = COALESCE(revoked_at, ?2) WHERE name = ?1",
                params![name, fmt_time(at)],
            )?;
            found(n, || format!("supervisor {name}"))
        })
    }

    fn list_supervisors(&self) -> StorageFuture<'_, Vec<SupervisorRecord>> {
        self.read(|c| {
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
        })
    }

    fn authenticate(&self, token_hash: String) -> StorageFuture<'_, TokenLookup> {
        self.read(move |c| {
            let point: Option<(String, String, Option<String>)> = c
                .query_row(
                    "SELECT id, region, revoked_at FROM points WHERE token_hash = ?1",
                    [&token_hash],
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
                    [&token_hash],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            Ok(match sup {
                Some((_, _, Some(_))) => TokenLookup::Revoked,
                Some((name, region, None)) => {
                    TokenLookup::Valid(Principal::Supervisor { name, region })
                }
                None => TokenLookup::Unknown,
            })
        })
    }

    fn ingest_batch(&self, batch: Batch) -> StorageFuture<'_, IngestOutcome> {
        self.write(move |c| ingest(c, batch))
    }

    fn cursor(&self, point: PointId, at: DateTime<Utc>) -> StorageFuture<'_, (u64, bool)> {
        self.write(move |c| {
            let row: Option<(i64, Option<i64>)> = c
                .query_row(
                    "UPDATE points SET last_contact_at = ?2 WHERE id = ?1
                     RETURNING acked_seq, flagged_seq",
                    params![point.as_str(), fmt_time(at)],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let (acked, flagged) =
                row.ok_or_else(|| StorageError::NotFound(format!("point {point}")))?;
            Ok((acked as u64, flagged.is_some()))
        })
    }

    fn events(
        &self,
        point: PointId,
        after: u64,
        limit: usize,
    ) -> StorageFuture<'_, Vec<StoredEvent>> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT seq, id, at, actor, kind, version, payload, hash, received_at
                 FROM events WHERE point_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            )?;
            let rows =
                stmt.query_map(params![point.as_str(), after as i64, limit as i64], |r| {
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
                })?;
            rows.map(|r| {
                let (seq, id, at, actor, kind, version, payload, hash, received) = r?;
                Ok(StoredEvent {
                    record: EventRecord {
                        point_id: point.clone(),
                        seq: seq as u64,
                        id: id.parse().map_err(corrupt)?,
                        at: time(&at)?,
                        actor,
                        kind,
                        version,
                        payload: serde_json::from_str(&payload).map_err(corrupt)?,
                    },
                    hash,
                    received_at: time(&received)?,
                })
            })
            .collect()
        })
    }

    fn points(
        &self,
        scope: Scope,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> StorageFuture<'_, Vec<PointView>> {
        self.read(move |c| {
            let sql = "SELECT id, name, region, kind, revoked_at, acked_seq, reported_head,
                        last_contact_at, last_event_at, flagged_seq, flagged_at
                 FROM points WHERE (?1 IS NULL OR region = ?1) AND (?2 IS NULL OR id = ?2)
                 ORDER BY region, id";
            let mut stmt = c.prepare(sql)?;
            let point = scope.point.as_ref().map(|p| p.as_str());
            let rows = stmt.query_map(params![scope.region, point], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, Option<i64>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                    r.get::<_, Option<i64>>(9)?,
                    r.get::<_, Option<String>>(10)?,
                ))
            })?;
            let mut out = Vec::new();
            for r in rows {
                let (id, name, region, kind, revoked, acked, head, contact, last_event, fseq, fat) =
                    r?;
                let acked = acked as u64;
                let head = head.map(|h| h as u64);
                let contact = opt_time(contact)?;
                let flagged = match (fseq, fat) {
                    (Some(seq), Some(at)) => Some(Flag {
                        seq: seq as u64,
                        at: time(&at)?,
                    }),
                    _ => None,
                };
                let queue = queue_of(c, &id, today)?;
                out.push(PointView {
                    id,
                    name,
                    region,
                    kind,
                    revoked: revoked.is_some(),
                    acked_through: acked,
                    reported_head: head,
                    lag_events: head.map_or(0, |h| h.saturating_sub(acked)),
                    last_contact_at: contact,
                    lag_seconds: contact.map(|t| (now - t).num_seconds().max(0)),
                    last_event_at: opt_time(last_event)?,
                    flagged,
                    queue,
                });
            }
            Ok(out)
        })
    }

    fn queue(&self, point: PointId, today: NaiveDate) -> StorageFuture<'_, QueueView> {
        self.read(move |c| queue_of(c, point.as_str(), today))
    }

    fn report_facts(&self, q: FactsQuery) -> StorageFuture<'_, Facts> {
        self.read(move |c| report_facts(c, &q))
    }

    fn ping(&self) -> StorageFuture<'_, ()> {
        self.read(|c| {
            c.query_row("SELECT 1", [], |_| Ok(()))?;
            Ok(())
        })
    }
}

fn found(n: usize, what: impl FnOnce() -> String) -> StorageResult<()> {
    if n == 0 {
        Err(StorageError::NotFound(what()))
    } else {
        Ok(())
    }
}

/// One transaction: compare what is held, store what is new, apply it.
fn ingest(c: &mut Connection, batch: Batch) -> StorageResult<IngestOutcome> {
    let point = batch.point.as_str();
    let received = fmt_time(batch.received_at);
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let held: i64 = tx
        .query_row("SELECT acked_seq FROM points WHERE id = ?1", [point], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| StorageError::NotFound(format!("point {point}")))?;
    let held = held as u64;
    let (last, resent) = match place(&batch, held) {
        Placement::Heartbeat => {
            touch(&tx, point, batch.head, &received, None)?;
            tx.commit()?;
            return Ok(IngestOutcome::heartbeat(held));
        }
        Placement::Gap => return Ok(IngestOutcome::gap(held)),
        Placement::Continues { last, resent, .. } => (last, resent),
    };
    let mut duplicates = 0;
    if let Some((from, to)) = resent {
        let held_hashes = tx
            .prepare_cached(
                "SELECT seq, hash FROM events WHERE point_id = ?1 AND seq BETWEEN ?2 AND ?3 ORDER BY seq",
            )?
            .query_map(params![point, from as i64, to as i64], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        match compare_resent(&batch, (from, to), held_hashes)? {
            Resent::Same(n) => duplicates = n,
            Resent::Changed { seq, held_hash } => {
                drop(tx);
                flag(c, &batch, seq, &held_hash, batch.offered(seq))?;
                return Ok(IngestOutcome::Changed {
                    seq,
                    acked_through: held,
                });
            }
        }
    }
    let mut stored = 0;
    let mut queue_changed = false;
    let mut last_at = None;
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO events (point_id, seq, id, at, actor, kind, version, payload, hash, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        for e in batch.events.iter().filter(|e| e.record.seq > held) {
            let r = &e.record;
            insert.execute(params![
                point,
                r.seq as i64,
                r.id.to_string(),
                fmt_time(r.at),
                r.actor,
                r.kind,
                r.version,
                serde_json::to_string(&r.payload).map_err(corrupt)?,
                e.hash,
                received
            ])?;
            if let Some(change) = &e.change {
                queue_changed |= change.touches_queue();
                apply(&tx, point, r.seq, change)?;
            }
            last_at = Some(fmt_time(r.at));
            stored += 1;
        }
    }
    let acked = held.max(last);
    tx.execute(
        "UPDATE points SET acked_seq = ?2 WHERE id = ?1",
        params![point, acked as i64],
    )?;
    touch(&tx, point, batch.head, &received, last_at)?;
    tx.commit()?;
    Ok(IngestOutcome::Stored {
        acked_through: acked,
        stored,
        duplicates,
        queue_changed,
    })
}

fn touch(
    c: &Connection,
    point: &str,
    head: Option<u64>,
    at: &str,
    last_event_at: Option<String>,
) -> StorageResult<()> {
    c.execute(
        "UPDATE points SET last_contact_at = ?2, reported_head = COALESCE(?3, reported_head),
                last_event_at = COALESCE(?4, last_event_at)
         WHERE id = ?1",
        params![point, at, head.map(|h| h as i64), last_event_at],
    )?;
    Ok(())
}

/// Records a conflict in its own transaction: the batch left nothing, but
/// the flag and the offered event stay for a person to look at.
fn flag(
    c: &mut Connection,
    batch: &Batch,
    seq: u64,
    held_hash: &str,
    offered: &EventRecord,
) -> StorageResult<()> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let at = fmt_time(batch.received_at);
    tx.execute(
        "UPDATE points SET flagged_seq = COALESCE(flagged_seq, ?2), flagged_at = COALESCE(flagged_at, ?3),
                last_contact_at = ?3
         WHERE id = ?1",
        params![batch.point.as_str(), seq as i64, at],
    )?;
    tx.execute(
        "INSERT INTO conflicts (point_id, seq, held_hash, offered_hash, offered, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            batch.point.as_str(),
            seq as i64,
            held_hash,
            offered.content_hash(),
            serde_json::to_string(offered).map_err(corrupt)?,
            at
        ],
    )?;
    tx.commit()?;
    Ok(())
}

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
fn apply(c: &Connection, point: &str, seq: u64, change: &Change) -> StorageResult<()> {
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
                    deadline, closed_at, updated_at, recorded_by, repeated, iin_key, phone_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?4,
                    ?17, ?18, ?19, ?20)
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
                    phone_key
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
        } => {
            let n = c
                .prepare_cached(
                    "UPDATE appeals SET outcome = ?3, redirected_to = ?4, closed_at = ?5, updated_at = ?6
                 WHERE point_id = ?1 AND id = ?2",
                )?
                .execute(params![
                    point,
                    appeal_id.to_string(),
                    outcome,
                    redirected_to,
                    ot(closed_at),
                    t(at)
                ])?;
            if n == 1 {
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

fn queue_of(c: &Connection, point: &str, today: NaiveDate) -> StorageResult<QueueView> {
    let day = today.to_string();
    let mut stmt = c.prepare_cached(
        "SELECT number, category, priority, state, desk, taken_at, called_at
         FROM tickets WHERE point_id = ?1 AND service_date = ?2
           AND state IN ('waiting', 'called', 'serving')
         ORDER BY CASE WHEN state = 'waiting' THEN 1 ELSE 0 END,
                  called_at DESC, taken_at",
    )?;
    let rows = stmt.query_map(params![point, day], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<u16>>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, Option<String>>(6)?,
        ))
    })?;
    let mut now_serving = Vec::new();
    let mut waiting = Vec::new();
    for r in rows {
        let (number, category, priority, state, desk, taken, called) = r?;
        let ticket = QueueTicket {
            number,
            category,
            priority,
            desk,
            taken_at: time(&taken)?,
            called_at: opt_time(called)?,
            state,
        };
        if ticket.state == "waiting" {
            waiting.push(ticket);
        } else {
            now_serving.push(ticket);
        }
    }
    let (issued, served, no_shows): (i64, i64, i64) = c.query_row(
        "SELECT COUNT(*), COALESCE(SUM(state = 'done'), 0), COALESCE(SUM(state = 'no_show'), 0)
         FROM tickets WHERE point_id = ?1 AND service_date = ?2",
        params![point, day],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(QueueView {
        point_id: point.to_string(),
        service_date: today,
        now_serving,
        waiting,
        issued: issued as u64,
        served: served as u64,
        no_shows: no_shows as u64,
    })
}

/// The facts of a report, read the way a point reads its own
/// (`store::report`): each appeal's last outcome and last deadline set
/// before the period's end, found through the (point, appeal, seq) index.
/// `INDEXED BY`: left to itself the planner walks the point's whole
/// history backwards by primary key for every appeal (`ORDER BY seq DESC`
/// without a sort), which grows with the square of the history.
fn report_facts(c: &Connection, q: &FactsQuery) -> StorageResult<Facts> {
    let (start, end) = (fmt_time(q.period.start), fmt_time(q.period.end));
    let (from, to) = (q.period.from.to_string(), q.period.to.to_string());
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
         ORDER BY a.received_at",
    )?;
    let rows = stmt.query_map(params![start, end, q.region, q.point], |r| {
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
            received_on: local_date(received_at),
            kind: kind.parse().map_err(corrupt)?,
            channel: channel.parse().map_err(corrupt)?,
            category: crate::domain::CategoryId::new(category),
            desk,
            operator,
            repeated,
            session,
            outcome,
            redirected_to,
            closed_on: closed_at.map(local_date),
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
                (julianday(COALESCE(t.called_at, t.finished_at)) - julianday(t.taken_at)) * 1440.0
         FROM tickets t JOIN points p ON p.id = t.point_id
         WHERE t.service_date >= ?1 AND t.service_date <= ?2
           AND (?3 IS NULL OR p.region = ?3) AND (?4 IS NULL OR t.point_id = ?4)",
    )?;
    let rows = stmt.query_map(params![from, to, q.region, q.point], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<u16>>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<f64>>(5)?,
            r.get::<_, Option<f64>>(6)?,
            r.get::<_, Option<f64>>(7)?,
        ))
    })?;
    let mut tickets = Vec::new();
    for row in rows {
        let (point, date, category, desk, state, wait, service, waited) = row?;
        tickets.push(TicketFact {
            point,
            service_date: date.parse().map_err(corrupt)?,
            category: crate::domain::CategoryId::new(category),
            desk,
            state: state.parse().map_err(corrupt)?,
            wait_minutes: wait,
            service_minutes: service,
            waited_minutes: waited,
        });
    }
    let mut stmt = c.prepare_cached(
        "SELECT s.id, s.kind, s.date FROM sessions s JOIN points p ON p.id = s.point_id
         WHERE s.date >= ?1 AND s.date <= ?2
           AND (?3 IS NULL OR p.region = ?3) AND (?4 IS NULL OR s.point_id = ?4)",
    )?;
    let rows = stmt.query_map(params![from, to, q.region, q.point], |r| {
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
         ORDER BY e.point_id, e.seq",
    )?;
    let rows = stmt.query_map(params![start, end, q.region, q.point], |r| {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_points_database_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("point.db");
        let point = crate::domain::PointId::parse("p1").unwrap();
        drop(crate::store::Store::open(&path, &point).unwrap());
        let version = |p: &Path| -> u32 {
            Connection::open(p)
                .unwrap()
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap()
        };
        let before = version(&path);
        let err = SqliteStorage::open(&path).err().unwrap().to_string();
        assert!(err.contains("not a qabyldau server database"), "{err}");
        assert_eq!(version(&path), before);
        // a new file becomes a server database, and opens again
        let server = dir.path().join("server.db");
        drop(SqliteStorage::open(&server).unwrap());
        assert!(SqliteStorage::open(&server).is_ok());
        assert_eq!(version(&server), LATEST);
    }

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
