//! The PostgreSQL backend: for a national office that aggregates every
//! region, or a region whose IT staff run a replicated, backed-up database.
//!
//! A deadpool pool of tokio-postgres connections. The projection is the
//! same `Change` values SQLite applies, turned into PostgreSQL's SQL; the
//! statements of one batch are pipelined on its connection (sent in order
//! without waiting for each answer, executed by the server in that order),
//! so a batch costs a few round trips, not one per event.
//!
//! Concurrency: batches of one point are serialised by a row lock on the
//! point (`SELECT ... FOR UPDATE`), so two of them can never both pass the
//! gap check; batches of different points run in parallel.

use super::{
    Batch, IngestOutcome, NewPoint, Placement, PointRecord, Principal, Resent, Scope, Storage,
    StorageError, StorageFuture, StorageResult, StoredEvent, SupervisorRecord, TokenLookup,
    compare_resent, place,
};
use crate::domain::report::{AppealFact, Facts, SessionFact, TicketFact};
use crate::domain::{EventRecord, PointId};
use crate::server::projection::{Change, TicketMoved, local_date};
use crate::server::protocol::{FactsQuery, Flag, PointView, QueueTicket, QueueView};
use chrono::{DateTime, NaiveDate, Utc};
use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use std::str::FromStr;
use std::time::Duration;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::{NoTls, Row};
use uuid::Uuid;

/// (version, SQL); a released migration never changes.
const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("migrations/postgres/0001_server.sql")),
    (
        2,
        include_str!("migrations/postgres/0002_events_by_kind.sql"),
    ),
];
pub const LATEST: u32 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// The key of the advisory lock two servers starting at once take while
/// migrating ("QBLS").
const MIGRATION_LOCK: i64 = 0x5142_4C53;

/// Connections kept open at most.
const POOL_SIZE: usize = 16;

pub struct PostgresStorage {
    pool: Pool,
    /// `HOST:PORT`, for messages (never the password).
    target: String,
}

type Param<'a> = &'a (dyn ToSql + Sync);

/// A time as the server keeps it: to the millisecond, as SQLite's text
/// does, so both backends hold and answer the same values.
fn ms(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
}

fn oms(t: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    t.map(ms)
}

fn corrupt(e: impl std::fmt::Display) -> StorageError {
    StorageError::Corrupt(e.to_string())
}

fn count(n: i64) -> u64 {
    n.max(0) as u64
}

impl From<tokio_postgres::Error> for StorageError {
    fn from(e: tokio_postgres::Error) -> Self {
        match e.as_db_error() {
            Some(db) => {
                let code = db.code().code();
                let transient = db.code() == &SqlState::T_R_SERIALIZATION_FAILURE
                    || db.code() == &SqlState::T_R_DEADLOCK_DETECTED
                    || db.code() == &SqlState::LOCK_NOT_AVAILABLE
                    // connection, resources, operator intervention
                    || ["08", "53", "57"].iter().any(|c| code.starts_with(c));
                let text = format!("{code}: {}", db.message());
                if transient {
                    StorageError::Unavailable(text)
                } else {
                    StorageError::Backend(text)
                }
            }
            // no answer from the database: the connection broke
            None => StorageError::Unavailable(e.to_string()),
        }
    }
}

/// The host and port a URL names, for messages.
fn target_of(config: &tokio_postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(tokio_postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!("{host}:{port}")
}

/// A unique violation on insert means `what` exists already; anything else
/// is a database error.
fn exists_or(what: String) -> impl FnOnce(tokio_postgres::Error) -> StorageError {
    move |e| {
        if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
            StorageError::AlreadyExists(what)
        } else {
            e.into()
        }
    }
}

impl PostgresStorage {
    /// Connects to the database at `url` (`postgres://user@host:port/db`),
    /// creating and migrating the server's tables. Fails with "cannot
    /// connect to PostgreSQL at HOST:PORT: ..." when nothing answers there.
    pub async fn connect(url: &str) -> StorageResult<PostgresStorage> {
        let mut config = tokio_postgres::Config::from_str(url).map_err(|e| {
            StorageError::Backend(format!(
                "not a PostgreSQL URL (postgres://USER@HOST:PORT/DATABASE): {e}"
            ))
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("qabyldau-server");
        }
        let target = target_of(&config);
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(Duration::from_secs(20)))
            .create_timeout(Some(Duration::from_secs(15)))
            .recycle_timeout(Some(Duration::from_secs(5)))
            .build()
            .map_err(|e| StorageError::Backend(format!("connection pool: {e}")))?;
        let storage = PostgresStorage { pool, target };
        let mut client = storage.client().await?;
        migrate(&mut client).await?;
        Ok(storage)
    }

    /// `HOST:PORT` of the database.
    pub fn target(&self) -> &str {
        &self.target
    }

    pub(crate) async fn client(&self) -> StorageResult<deadpool_postgres::Object> {
        self.pool.get().await.map_err(|e| {
            let why = match e {
                PoolError::Backend(e) => e.to_string(),
                PoolError::Timeout(_) => "no connection within the time allowed".to_string(),
                other => other.to_string(),
            };
            StorageError::Unavailable(format!(
                "cannot connect to PostgreSQL at {}: {why}",
                self.target
            ))
        })
    }

    fn run<'a, T: Send + 'a>(
        &'a self,
        f: impl std::future::Future<Output = StorageResult<T>> + Send + 'a,
    ) -> StorageFuture<'a, T> {
        Box::pin(f)
    }
}

async fn migrate(client: &mut deadpool_postgres::Object) -> StorageResult<()> {
    let tx = client.transaction().await?;
    // two servers starting at once: one migrates, the other waits
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    let ours: bool = tx
        .query_one("SELECT to_regclass('qabyldau_schema') IS NOT NULL", &[])
        .await?
        .get(0);
    if !ours {
        let taken: bool = tx
            .query_one("SELECT to_regclass('points') IS NOT NULL", &[])
            .await?
            .get(0);
        if taken {
            return Err(StorageError::Corrupt(
                "this database already has tables of another program (points); give the server its own database".into(),
            ));
        }
        tx.batch_execute(
            "CREATE TABLE qabyldau_schema (
                 version    integer     PRIMARY KEY,
                 applied_at timestamptz NOT NULL DEFAULT now())",
        )
        .await?;
    }
    let found: i32 = tx
        .query_one("SELECT COALESCE(MAX(version), 0) FROM qabyldau_schema", &[])
        .await?
        .get(0);
    let found = found.max(0) as u32;
    if found > LATEST {
        return Err(StorageError::SchemaTooNew {
            found,
            known: LATEST,
        });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO qabyldau_schema (version) VALUES ($1)",
            &[&(*version as i32)],
        )
        .await?;
        tracing::info!(version, "server database (PostgreSQL) migrated");
    }
    tx.commit().await?;
    Ok(())
}

fn found(n: u64, what: impl FnOnce() -> String) -> StorageResult<()> {
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
    }
}

impl Storage for PostgresStorage {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn add_point(
        &self,
        point: NewPoint,
        token_hash: String,
        at: DateTime<Utc>,
    ) -> StorageFuture<'_, ()> {
        self.run(async move {
            let c = self.client().await?;
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
        })
    }

    fn revoke_point(&self, id: PointId, at: DateTime<Utc>) -> StorageFuture<'_, ()> {
        self.run(async move {
            let n = self
                .client()
                .await?
                .execute(
                    "UPDATE points SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1",
                    &[&id.as_str(), &ms(at)],
                )
                .await?;
            found(n, || format!("point {id}"))
        })
    }

    fn replace_point_token(&self, id: PointId, token_hash: String) -> StorageFuture<'_, ()> {
        self.run(async move {
            let n = self
                .client()
                .await?
                .execute(
                    "UPDATE points SET token_hash = $2, revoked_at = NULL WHERE id = $1",
                    &[&id.as_str(), &token_hash],
                )
                .await?;
            found(n, || format!("point {id}"))
        })
    }

    fn list_points(&self) -> StorageFuture<'_, Vec<PointRecord>> {
        self.run(async move {
            let rows = self
                .client()
                .await?
                .query(
                    // byte order, as SQLite sorts, whatever the database's locale
                    "SELECT id, name, region, kind, created_at, revoked_at, acked_seq,
                            last_contact_at, flagged_seq
                     FROM points ORDER BY region COLLATE \"C\", id COLLATE \"C\"",
                    &[],
                )
                .await?;
            Ok(rows.iter().map(point_record).collect())
        })
    }

    fn clear_flag(&self, id: PointId) -> StorageFuture<'_, ()> {
        self.run(async move {
            let n = self
                .client()
                .await?
                .execute(
                    "UPDATE points SET flagged_seq = NULL, flagged_at = NULL WHERE id = $1",
                    &[&id.as_str()],
                )
                .await?;
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
        self.run(async move {
            self.client()
                .await?
                .execute(
                    "INSERT INTO supervisors (name, region, token_hash, created_at)
                     VALUES ($1, $2, $3, $4)",
                    &[&name, &region, &token_hash, &ms(at)],
                )
                .await
                .map_err(exists_or(format!("supervisor {name}")))?;
            Ok(())
        })
    }

    fn revoke_supervisor(&self, name: String, at: DateTime<Utc>) -> StorageFuture<'_, ()> {
        self.run(async move {
            let n = self
                .client()
                .await?
                .execute(
                    "UPDATE supervisors SET revoked_at = COALESCE(revoked_at, $2) WHERE name = $1",
                    &[&name, &ms(at)],
                )
                .await?;
            found(n, || format!("supervisor {name}"))
        })
    }

    fn list_supervisors(&self) -> StorageFuture<'_, Vec<SupervisorRecord>> {
        self.run(async move {
            let rows = self
                .client()
                .await?
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
        })
    }

    fn authenticate(&self, token_hash: String) -> StorageFuture<'_, TokenLookup> {
        self.run(async move {
            let c = self.client().await?;
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
        })
    }

    fn ingest_batch(&self, batch: Batch) -> StorageFuture<'_, IngestOutcome> {
        self.run(self.ingest(batch))
    }

    fn cursor(&self, point: PointId, at: DateTime<Utc>) -> StorageFuture<'_, (u64, bool)> {
        self.run(async move {
            let row = self
                .client()
                .await?
                .query_opt(
                    "UPDATE points SET last_contact_at = $2 WHERE id = $1
                     RETURNING acked_seq, flagged_seq",
                    &[&point.as_str(), &ms(at)],
                )
                .await?
                .ok_or_else(|| StorageError::NotFound(format!("point {point}")))?;
            Ok((count(row.get(0)), row.get::<_, Option<i64>>(1).is_some()))
        })
    }

    fn events(
        &self,
        point: PointId,
        after: u64,
        limit: usize,
    ) -> StorageFuture<'_, Vec<StoredEvent>> {
        self.run(async move {
            let c = self.client().await?;
            let stmt = c
                .prepare_cached(
                    "SELECT seq, id, at, actor, kind, version, payload, hash, received_at
                     FROM events WHERE point_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                )
                .await?;
            let rows = c
                .query(
                    &stmt,
                    &[
                        &point.as_str(),
                        &(after.min(i64::MAX as u64) as i64),
                        &(limit.min(i64::MAX as usize) as i64),
                    ],
                )
                .await?;
            rows.iter()
                .map(|r| {
                    Ok(StoredEvent {
                        record: EventRecord {
                            point_id: point.clone(),
                            seq: count(r.get(0)),
                            id: r.get(1),
                            at: r.get(2),
                            actor: r.get(3),
                            kind: r.get(4),
                            version: r.get::<_, i32>(5).max(0) as u32,
                            payload: serde_json::from_str(r.get(6)).map_err(corrupt)?,
                        },
                        hash: r.get(7),
                        received_at: r.get(8),
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
        self.run(async move {
            let c = self.client().await?;
            let point = scope.point.as_ref().map(|p| p.as_str());
            let rows = c
                .query(
                    "SELECT id, name, region, kind, revoked_at IS NOT NULL, acked_seq, reported_head,
                            last_contact_at, last_event_at, flagged_seq, flagged_at
                     FROM points WHERE ($1::text IS NULL OR region = $1)
                       AND ($2::text IS NULL OR id = $2)
                     ORDER BY region COLLATE \"C\", id COLLATE \"C\"",
                    &[&scope.region, &point],
                )
                .await?;
            // the queues of all points, asked at once on the connection
            let queues = futures::future::try_join_all(
                rows.iter()
                    .map(|r| queue_of(&c, r.get::<_, &str>(0), today)),
            )
            .await?;
            Ok(rows
                .iter()
                .zip(queues)
                .map(|(r, queue)| {
                    let acked = count(r.get(5));
                    let head = r.get::<_, Option<i64>>(6).map(count);
                    let contact: Option<DateTime<Utc>> = r.get(7);
                    let flagged = match (r.get::<_, Option<i64>>(9), r.get(10)) {
                        (Some(seq), Some(at)) => Some(Flag {
                            seq: count(seq),
                            at,
                        }),
                        _ => None,
                    };
                    PointView {
                        id: r.get(0),
                        name: r.get(1),
                        region: r.get(2),
                        kind: r.get(3),
                        revoked: r.get(4),
                        acked_through: acked,
                        reported_head: head,
                        lag_events: head.map_or(0, |h| h.saturating_sub(acked)),
                        last_contact_at: contact,
                        lag_seconds: contact.map(|t| (now - t).num_seconds().max(0)),
                        last_event_at: r.get(8),
                        flagged,
                        queue,
                    }
                })
                .collect())
        })
    }

    fn queue(&self, point: PointId, today: NaiveDate) -> StorageFuture<'_, QueueView> {
        self.run(async move {
            let c = self.client().await?;
            queue_of(&c, point.as_str(), today).await
        })
    }

    fn report_facts(&self, q: FactsQuery) -> StorageFuture<'_, Facts> {
        self.run(async move {
            let c = self.client().await?;
            report_facts(&c, &q).await
        })
    }

    fn ping(&self) -> StorageFuture<'_, ()> {
        self.run(async move {
            self.client().await?.query_one("SELECT 1", &[]).await?;
            Ok(())
        })
    }
}

/// An event to store, with the time it reached the (first) server.
pub(crate) struct ToStore<'a> {
    pub record: &'a EventRecord,
    pub hash: &'a str,
    pub received_at: DateTime<Utc>,
    pub change: Option<&'a Change>,
}

/// What storing events found: how many were new, and a `seq` whose held
/// event differs from the offered one (someone else stored it first).
pub(crate) struct Stored {
    stored: u64,
    duplicates: u64,
    conflict: Option<(u64, String)>,
}

impl PostgresStorage {
    /// One transaction: lock the point, compare what is held, store what
    /// is new, apply it.
    async fn ingest(&self, batch: Batch) -> StorageResult<IngestOutcome> {
        let point = batch.point.as_str();
        let received = ms(batch.received_at);
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // the lock: a second batch of this point waits here until this
        // one commits, then sees its acked_seq
        let held = tx
            .query_opt(
                "SELECT acked_seq FROM points WHERE id = $1 FOR UPDATE",
                &[&point],
            )
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("point {point}")))?;
        let held = count(held.get(0));
        let head = batch.head.map(|h| h.min(i64::MAX as u64) as i64);
        let (last, resent) = match place(&batch, held) {
            Placement::Heartbeat => {
                touch(&tx, point, head, received, None).await?;
                tx.commit().await?;
                return Ok(IngestOutcome::heartbeat(held));
            }
            Placement::Gap => return Ok(IngestOutcome::gap(held)),
            Placement::Continues { last, resent, .. } => (last, resent),
        };
        let mut duplicates = 0;
        if let Some((from, to)) = resent {
            let held_hashes = tx
                .query(
                    "SELECT seq, hash FROM events WHERE point_id = $1 AND seq BETWEEN $2 AND $3
                     ORDER BY seq",
                    &[&point, &(from as i64), &(to as i64)],
                )
                .await?
                .iter()
                .map(|r| (count(r.get(0)), r.get(1)))
                .collect();
            match compare_resent(&batch, (from, to), held_hashes)? {
                Resent::Same(n) => duplicates = n,
                Resent::Changed { seq, held_hash } => {
                    tx.rollback().await?;
                    self.flag(&batch, seq, &held_hash, batch.offered(seq))
                        .await?;
                    return Ok(IngestOutcome::Changed {
                        seq,
                        acked_through: held,
                    });
                }
            }
        }
        let new: Vec<ToStore<'_>> = batch
            .events
            .iter()
            .filter(|e| e.record.seq > held)
            .map(|e| ToStore {
                record: &e.record,
                hash: &e.hash,
                received_at: received,
                change: e.change.as_ref(),
            })
            .collect();
        let queue_changed = new
            .iter()
            .any(|e| e.change.is_some_and(Change::touches_queue));
        let last_at = new.last().map(|e| ms(e.record.at));
        let outcome = store_events(&tx, point, &new).await?;
        if let Some((seq, hash)) = outcome.conflict {
            tx.rollback().await?;
            self.flag(&batch, seq, &hash, batch.offered(seq)).await?;
            return Ok(IngestOutcome::Changed {
                seq,
                acked_through: held,
            });
        }
        let acked = held.max(last);
        tx.execute(
            "UPDATE points SET acked_seq = $2 WHERE id = $1",
            &[&point, &(acked as i64)],
        )
        .await?;
        touch(&tx, point, head, received, last_at).await?;
        tx.commit().await?;
        Ok(IngestOutcome::Stored {
            acked_through: acked,
            stored: outcome.stored,
            duplicates: duplicates + outcome.duplicates,
            queue_changed,
        })
    }

    /// Records a conflict in its own transaction: the batch left nothing,
    /// but the flag and the offered event stay for a person to look at.
    async fn flag(
        &self,
        batch: &Batch,
        seq: u64,
        held_hash: &str,
        offered: &EventRecord,
    ) -> StorageResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let at = ms(batch.received_at);
        tx.execute(
            "UPDATE points SET flagged_seq = COALESCE(flagged_seq, $2),
                    flagged_at = COALESCE(flagged_at, $3), last_contact_at = $3
             WHERE id = $1",
            &[&batch.point.as_str(), &(seq as i64), &at],
        )
        .await?;
        tx.execute(
            "INSERT INTO conflicts (point_id, seq, held_hash, offered_hash, offered, at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            &[
                &batch.point.as_str(),
                &(seq as i64),
                &held_hash,
                &offered.content_hash(),
                &serde_json::to_string(offered).map_err(corrupt)?,
                &at,
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn touch(
    tx: &deadpool_postgres::Transaction<'_>,
    point: &str,
    head: Option<i64>,
    at: DateTime<Utc>,
    last_event_at: Option<DateTime<Utc>>,
) -> StorageResult<()> {
    tx.execute(
        "UPDATE points SET last_contact_at = $2, reported_head = COALESCE($3, reported_head),
                last_event_at = COALESCE($4, last_event_at)
         WHERE id = $1",
        &[&point, &at, &head, &last_event_at],
    )
    .await?;
    Ok(())
}

/// Inserts consecutive new events of a point in one statement (arrays
/// unnested; `ON CONFLICT DO NOTHING`), then applies their changes,
/// pipelined in `seq` order. An event another transaction stored first is
/// compared by hash: a duplicate, or the conflict to report.
pub(crate) async fn store_events(
    tx: &deadpool_postgres::Transaction<'_>,
    point: &str,
    events: &[ToStore<'_>],
) -> StorageResult<Stored> {
    if events.is_empty() {
        return Ok(Stored {
            stored: 0,
            duplicates: 0,
            conflict: None,
        });
    }
    let mut seqs = Vec::with_capacity(events.len());
    let mut ids = Vec::with_capacity(events.len());
    let mut ats = Vec::with_capacity(events.len());
    let mut actors = Vec::with_capacity(events.len());
    let mut kinds = Vec::with_capacity(events.len());
    let mut versions = Vec::with_capacity(events.len());
    let mut payloads = Vec::with_capacity(events.len());
    let mut hashes = Vec::with_capacity(events.len());
    let mut received = Vec::with_capacity(events.len());
    for e in events {
        let r = e.record;
        seqs.push(r.seq as i64);
        ids.push(r.id);
        ats.push(ms(r.at));
        actors.push(r.actor.as_str());
        kinds.push(r.kind.as_str());
        versions.push(r.version as i32);
        payloads.push(serde_json::to_string(&r.payload).map_err(corrupt)?);
        hashes.push(e.hash);
        received.push(e.received_at);
    }
    let insert = tx
        .prepare_cached(
            "INSERT INTO events (point_id, seq, id, at, actor, kind, version, payload, hash, received_at)
             SELECT $1, u.* FROM UNNEST($2::bigint[], $3::uuid[], $4::timestamptz[], $5::text[],
                 $6::text[], $7::integer[], $8::text[], $9::text[], $10::timestamptz[]) AS u
             ON CONFLICT (point_id, seq) DO NOTHING
             RETURNING seq",
        )
        .await?;
    let inserted = tx
        .query(
            &insert,
            &[
                &point, &seqs, &ids, &ats, &actors, &kinds, &versions, &payloads, &hashes,
                &received,
            ],
        )
        .await?;
    let mut duplicates = 0;
    let mut fresh = vec![false; events.len()];
    let first = seqs[0];
    for r in &inserted {
        fresh[(r.get::<_, i64>(0) - first) as usize] = true;
    }
    if inserted.len() < events.len() {
        // held already, though the point's cursor did not say so
        let rows = tx
            .query(
                "SELECT seq, hash FROM events WHERE point_id = $1 AND seq = ANY($2)",
                &[
                    &point,
                    &seqs
                        .iter()
                        .zip(&fresh)
                        .filter(|(_, f)| !**f)
                        .map(|(s, _)| *s)
                        .collect::<Vec<_>>(),
                ],
            )
            .await?;
        for r in rows {
            let (seq, hash): (i64, String) = (r.get(0), r.get(1));
            if hash != events[(seq - first) as usize].hash {
                return Ok(Stored {
                    stored: 0,
                    duplicates: 0,
                    conflict: Some((count(seq), hash)),
                });
            }
            duplicates += 1;
        }
    }
    let st = Statements::prepare(tx).await?;
    let changes = events
        .iter()
        .zip(&fresh)
        .filter(|(_, f)| **f)
        .filter_map(|(e, _)| e.change.map(|c| (e.record.seq as i64, c)));
    // pipelined: each statement is sent when its future is first polled,
    // in this order, and the server runs them in the order it got them
    futures::future::try_join_all(changes.map(|(seq, c)| apply(tx, &st, point, seq, c))).await?;
    Ok(Stored {
        stored: inserted.len() as u64,
        duplicates,
        conflict: None,
    })
}

/// The prepared statements of the projection (cached per connection).
struct Statements {
    ticket_taken: tokio_postgres::Statement,
    ticket_moved: tokio_postgres::Statement,
    appeal_recorded: tokio_postgres::Statement,
    appeal_outcome: tokio_postgres::Statement,
    appeal_control: tokio_postgres::Statement,
    appeal_deadline: tokio_postgres::Statement,
    appeal_touched: tokio_postgres::Statement,
    session_opened: tokio_postgres::Statement,
    session_closed: tokio_postgres::Statement,
}

impl Statements {
    async fn prepare(tx: &deadpool_postgres::Transaction<'_>) -> StorageResult<Statements> {
        Ok(Statements {
            ticket_taken: tx
                .prepare_cached(
                    "INSERT INTO tickets (point_id, id, number, service_date, category, priority,
                         state, taken_at)
                     VALUES ($1, $2, $3, $4, $5, $6, 'waiting', $7)
                     ON CONFLICT (point_id, id) DO NOTHING",
                )
                .await?,
            ticket_moved: tx
                .prepare_cached(
                    "UPDATE tickets SET state = $3,
                            desk = CASE WHEN $5::boolean THEN NULL ELSE COALESCE($4::integer, desk) END,
                            category = COALESCE($6::text, category),
                            called_at = COALESCE($7::timestamptz, called_at),
                            serving_at = COALESCE($8::timestamptz, serving_at),
                            finished_at = COALESCE($9::timestamptz, finished_at)
                     WHERE point_id = $1 AND id = $2",
                )
                .await?,
            // the same rule as the point's projection: this citizen, known
            // by IIN or phone, appealed here before
            appeal_recorded: tx
                .prepare_cached(
                    "WITH ins AS (
                         INSERT INTO appeals (point_id, id, number, received_at, received_date,
                             kind, channel, category, outcome, redirected_to, session_id,
                             ticket_id, desk, under_control, deadline, closed_at, updated_at,
                             recorded_by, repeated, iin_key, phone_key)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                             $16, $4, $17,
                             EXISTS (SELECT 1 FROM appeals WHERE point_id = $1 AND iin_key = $18)
                                 OR EXISTS (SELECT 1 FROM appeals WHERE point_id = $1 AND phone_key = $19),
                             $18, $19)
                         ON CONFLICT (point_id, id) DO NOTHING
                         RETURNING id)
                     INSERT INTO appeal_changes (point_id, seq, appeal_id, at, outcome,
                         redirected_to, deadline)
                     SELECT $1, $20::bigint, id, $4, $9, $10, $15 FROM ins
                     ON CONFLICT (point_id, seq) DO NOTHING",
                )
                .await?,
            appeal_outcome: tx
                .prepare_cached(
                    "WITH u AS (
                         UPDATE appeals SET outcome = $3, redirected_to = $4, closed_at = $5,
                                updated_at = $6
                         WHERE point_id = $1 AND id = $2 RETURNING id)
                     INSERT INTO appeal_changes (point_id, seq, appeal_id, at, outcome,
                         redirected_to, deadline)
                     SELECT $1, $7::bigint, id, $6, $3, $4, NULL FROM u
                     ON CONFLICT (point_id, seq) DO NOTHING",
                )
                .await?,
            appeal_control: tx
                .prepare_cached(
                    "WITH u AS (
                         UPDATE appeals SET under_control = $3, deadline = $4, updated_at = $5
                         WHERE point_id = $1 AND id = $2 RETURNING id)
                     INSERT INTO appeal_changes (point_id, seq, appeal_id, at, outcome,
                         redirected_to, deadline)
                     SELECT $1, $6::bigint, id, $5, NULL, NULL, $4 FROM u
                     WHERE $4::date IS NOT NULL
                     ON CONFLICT (point_id, seq) DO NOTHING",
                )
                .await?,
            appeal_deadline: tx
                .prepare_cached(
                    "WITH u AS (
                         UPDATE appeals SET deadline = $3, updated_at = $4
                         WHERE point_id = $1 AND id = $2 RETURNING id)
                     INSERT INTO appeal_changes (point_id, seq, appeal_id, at, outcome,
                         redirected_to, deadline)
                     SELECT $1, $5::bigint, id, $4, NULL, NULL, $3 FROM u
                     ON CONFLICT (point_id, seq) DO NOTHING",
                )
                .await?,
            appeal_touched: tx
                .prepare_cached(
                    "UPDATE appeals SET updated_at = $3 WHERE point_id = $1 AND id = $2",
                )
                .await?,
            session_opened: tx
                .prepare_cached(
                    "INSERT INTO sessions (point_id, id, kind, date, place, opened_at)
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (point_id, id) DO NOTHING",
                )
                .await?,
            session_closed: tx
                .prepare_cached(
                    "UPDATE sessions SET closed_at = $3
                     WHERE point_id = $1 AND id = $2 AND closed_at IS NULL",
                )
                .await?,
        })
    }
}

/// The SQL of one `Change`, the same meaning as SQLite's `apply`. An update
/// that finds no row is ignored: the events are the truth, and refusing
/// them would stop the point's sync.
async fn apply(
    tx: &deadpool_postgres::Transaction<'_>,
    st: &Statements,
    point: &str,
    seq: i64,
    change: &Change,
) -> StorageResult<()> {
    let desk = |d: &Option<crate::domain::event::DeskNo>| d.map(i32::from);
    match change {
        Change::TicketTaken {
            ticket_id,
            number,
            service_date,
            category,
            priority,
            at,
        } => {
            let p: [Param; 7] = [
                &point,
                ticket_id,
                number,
                service_date,
                category,
                priority,
                &ms(*at),
            ];
            tx.execute(&st.ticket_taken, &p).await?;
        }
        Change::TicketMoved(TicketMoved {
            ticket_id,
            state,
            desk: d,
            clear_desk,
            category,
            called_at,
            serving_at,
            finished_at,
        }) => {
            let p: [Param; 9] = [
                &point,
                ticket_id,
                &state.as_str(),
                &desk(d),
                clear_desk,
                category,
                &oms(*called_at),
                &oms(*serving_at),
                &oms(*finished_at),
            ];
            tx.execute(&st.ticket_moved, &p).await?;
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
            desk: d,
            deadline,
            closed_at,
            recorded_by,
            iin_key,
            phone_key,
        } => {
            let p: [Param; 20] = [
                &point,
                appeal_id,
                number,
                &ms(*received_at),
                received_date,
                kind,
                channel,
                category,
                outcome,
                redirected_to,
                session_id,
                ticket_id,
                &desk(d),
                &deadline.is_some(),
                deadline,
                &oms(*closed_at),
                recorded_by,
                iin_key,
                phone_key,
                &seq,
            ];
            tx.execute(&st.appeal_recorded, &p).await?;
        }
        Change::AppealOutcome {
            appeal_id,
            outcome,
            redirected_to,
            closed_at,
            at,
        } => {
            let p: [Param; 7] = [
                &point,
                appeal_id,
                outcome,
                redirected_to,
                &oms(*closed_at),
                &ms(*at),
                &seq,
            ];
            tx.execute(&st.appeal_outcome, &p).await?;
        }
        Change::AppealControl {
            appeal_id,
            deadline,
            at,
        } => {
            let p: [Param; 6] = [
                &point,
                appeal_id,
                &deadline.is_some(),
                deadline,
                &ms(*at),
                &seq,
            ];
            tx.execute(&st.appeal_control, &p).await?;
        }
        Change::AppealDeadline {
            appeal_id,
            deadline,
            at,
        } => {
            let p: [Param; 5] = [&point, appeal_id, deadline, &ms(*at), &seq];
            tx.execute(&st.appeal_deadline, &p).await?;
        }
        Change::AppealTouched { appeal_id, at } => {
            let p: [Param; 3] = [&point, appeal_id, &ms(*at)];
            tx.execute(&st.appeal_touched, &p).await?;
        }
        Change::SessionOpened {
            session_id,
            kind,
            date,
            place,
            at,
        } => {
            let p: [Param; 6] = [&point, session_id, kind, date, place, &ms(*at)];
            tx.execute(&st.session_opened, &p).await?;
        }
        Change::SessionClosed { session_id, at } => {
            let p: [Param; 3] = [&point, session_id, &ms(*at)];
            tx.execute(&st.session_closed, &p).await?;
        }
    }
    Ok(())
}

async fn queue_of(
    c: &deadpool_postgres::Object,
    point: &str,
    today: NaiveDate,
) -> StorageResult<QueueView> {
    let list = c
        .prepare_cached(
            // NULLS LAST: where SQLite puts them in a descending order
            "SELECT number, category, priority, state, desk, taken_at, called_at
             FROM tickets WHERE point_id = $1 AND service_date = $2
               AND state IN ('waiting', 'called', 'serving')
             ORDER BY CASE WHEN state = 'waiting' THEN 1 ELSE 0 END,
                      called_at DESC NULLS LAST, taken_at",
        )
        .await?;
    let counts = c
        .prepare_cached(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE state = 'done'),
                    COUNT(*) FILTER (WHERE state = 'no_show')
             FROM tickets WHERE point_id = $1 AND service_date = $2",
        )
        .await?;
    let (rows, totals) = futures::future::try_join(
        c.query(&list, &[&point, &today]),
        c.query_one(&counts, &[&point, &today]),
    )
    .await?;
    let mut now_serving = Vec::new();
    let mut waiting = Vec::new();
    for r in rows {
        let ticket = QueueTicket {
            number: r.get(0),
            category: r.get(1),
            priority: r.get(2),
            state: r.get(3),
            desk: r
                .get::<_, Option<i32>>(4)
                .map(|d| u16::try_from(d).map_err(corrupt))
                .transpose()?,
            taken_at: r.get(5),
            called_at: r.get(6),
        };
        if ticket.state == "waiting" {
            waiting.push(ticket);
        } else {
            now_serving.push(ticket);
        }
    }
    Ok(QueueView {
        point_id: point.to_string(),
        service_date: today,
        now_serving,
        waiting,
        issued: count(totals.get(0)),
        served: count(totals.get(1)),
        no_shows: count(totals.get(2)),
    })
}

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
async fn report_facts(c: &deadpool_postgres::Object, q: &FactsQuery) -> StorageResult<Facts> {
    let (start, end) = (q.period.start, q.period.end);
    let (from, to) = (q.period.from, q.period.to);
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
        ") * 1440::float8 END, (",
        julianday!("COALESCE(t.called_at, t.finished_at)"),
        " - ",
        julianday!("t.taken_at"),
        ") * 1440::float8
         FROM tickets t JOIN points p ON p.id = t.point_id
         WHERE t.service_date >= $1 AND t.service_date <= $2
           AND ($3::text IS NULL OR p.region = $3) AND ($4::text IS NULL OR t.point_id = $4)"
    );
    let sessions_sql =
        "SELECT s.id, s.kind, s.date FROM sessions s JOIN points p ON p.id = s.point_id
         WHERE s.date >= $1 AND s.date <= $2
           AND ($3::text IS NULL OR p.region = $3) AND ($4::text IS NULL OR s.point_id = $4)";
    let pauses_sql = "SELECT e.point_id, e.at, e.kind, e.payload FROM events e
         JOIN points p ON p.id = e.point_id
         WHERE e.kind IN ('desk_paused', 'desk_resumed') AND e.at >= $1 AND e.at < $2
           AND ($3::text IS NULL OR p.region = $3) AND ($4::text IS NULL OR e.point_id = $4)
         ORDER BY e.point_id COLLATE \"C\", e.seq";
    let (a, t, s, pm) = futures::future::try_join4(
        c.query(appeals_sql, &[&start, &end, &q.region, &q.point]),
        c.query(tickets_sql, &[&from, &to, &q.region, &q.point]),
        c.query(sessions_sql, &[&from, &to, &q.region, &q.point]),
        c.query(pauses_sql, &[&start, &end, &q.region, &q.point]),
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
            received_on: local_date(received_at),
            kind: r.get::<_, &str>(2).parse().map_err(corrupt)?,
            channel: r.get::<_, &str>(3).parse().map_err(corrupt)?,
            category: crate::domain::CategoryId::new(r.get::<_, String>(4)),
            desk: desk(r.get(5))?,
            operator: r.get(6),
            repeated: r.get(7),
            session: r.get::<_, Option<Uuid>>(8).map(|u| u.to_string()),
            outcome,
            redirected_to: r.get(10),
            closed_on: closed_at.map(local_date),
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
            waited_minutes: r.get(7),
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

/// A point as `server migrate-to` copies it from a SQLite server: all its
/// state but `acked_seq`, which follows the events copied.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedPoint {
    pub id: String,
    pub name: String,
    pub region: String,
    pub kind: String,
    pub token_hash: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub reported_head: Option<u64>,
    pub last_contact_at: Option<DateTime<Utc>>,
    pub last_event_at: Option<DateTime<Utc>>,
    pub flagged_seq: Option<u64>,
    pub flagged_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportedSupervisor {
    pub name: String,
    pub region: String,
    pub token_hash: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportedConflict {
    pub point_id: String,
    pub seq: u64,
    pub held_hash: String,
    pub offered_hash: String,
    pub offered: String,
    pub at: DateTime<Utc>,
}

/// A stored event as copied, with the time it first reached a server.
#[derive(Debug, Clone)]
pub struct ImportedEvent {
    pub record: EventRecord,
    pub hash: String,
    pub received_at: DateTime<Utc>,
    pub change: Option<Change>,
}

/// What a point's data adds up to, to compare a copy with its source.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PointSummary {
    pub events: u64,
    pub acked_seq: u64,
    /// SHA-256 over the events' hashes in `seq` order, one per line.
    pub chain: String,
    pub tickets: u64,
    pub appeals: u64,
    pub appeal_changes: u64,
    pub sessions: u64,
    pub conflicts: u64,
}

/// The copy of a SQLite server into this database (`server migrate-to`).
impl PostgresStorage {
    pub async fn import_point(&self, p: &ImportedPoint) -> StorageResult<()> {
        let head = p.reported_head.map(|h| h as i64);
        let flagged = p.flagged_seq.map(|s| s as i64);
        self.client()
            .await?
            .execute(
                "INSERT INTO points (id, name, region, kind, token_hash, created_at, revoked_at,
                     reported_head, last_contact_at, last_event_at, flagged_seq, flagged_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                 ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, region = EXCLUDED.region,
                     kind = EXCLUDED.kind, token_hash = EXCLUDED.token_hash,
                     created_at = EXCLUDED.created_at, revoked_at = EXCLUDED.revoked_at,
                     reported_head = EXCLUDED.reported_head,
                     last_contact_at = EXCLUDED.last_contact_at,
                     last_event_at = EXCLUDED.last_event_at,
                     flagged_seq = EXCLUDED.flagged_seq, flagged_at = EXCLUDED.flagged_at",
                &[
                    &p.id,
                    &p.name,
                    &p.region,
                    &p.kind,
                    &p.token_hash,
                    &ms(p.created_at),
                    &oms(p.revoked_at),
                    &head,
                    &oms(p.last_contact_at),
                    &oms(p.last_event_at),
                    &flagged,
                    &oms(p.flagged_at),
                ],
            )
            .await?;
        Ok(())
    }

    pub async fn import_supervisor(&self, s: &ImportedSupervisor) -> StorageResult<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO supervisors (name, region, token_hash, created_at, revoked_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (name) DO UPDATE SET region = EXCLUDED.region,
                     token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at,
                     revoked_at = EXCLUDED.revoked_at",
                &[
                    &s.name,
                    &s.region,
                    &s.token_hash,
                    &ms(s.created_at),
                    &oms(s.revoked_at),
                ],
            )
            .await?;
        Ok(())
    }

    pub async fn import_conflict(&self, c: &ImportedConflict) -> StorageResult<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO conflicts (point_id, seq, held_hash, offered_hash, offered, at)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                &[
                    &c.point_id,
                    &(c.seq as i64),
                    &c.held_hash,
                    &c.offered_hash,
                    &c.offered,
                    &ms(c.at),
                ],
            )
            .await?;
        Ok(())
    }

    /// The highest contiguous `seq` held for a point (0 when unknown).
    pub async fn acked_seq(&self, point: &str) -> StorageResult<u64> {
        let row = self
            .client()
            .await?
            .query_opt("SELECT acked_seq FROM points WHERE id = $1", &[&point])
            .await?;
        Ok(row.map_or(0, |r| count(r.get(0))))
    }

    /// Stores the next events of a point, consecutive from its `acked_seq`,
    /// and applies them, in one transaction; returns the new `acked_seq`.
    pub async fn import_events(&self, point: &str, events: &[ImportedEvent]) -> StorageResult<u64> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let held = tx
            .query_opt(
                "SELECT acked_seq FROM points WHERE id = $1 FOR UPDATE",
                &[&point],
            )
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("point {point}")))?;
        let held = count(held.get(0));
        let Some(first) = events.first().map(|e| e.record.seq) else {
            return Ok(held);
        };
        let consecutive = events
            .iter()
            .enumerate()
            .all(|(i, e)| e.record.seq == first + i as u64);
        if first != held + 1 || !consecutive {
            return Err(StorageError::Corrupt(format!(
                "point {point}: the copy holds events up to {held}, the next to copy start at {first}"
            )));
        }
        let to_store: Vec<ToStore<'_>> = events
            .iter()
            .map(|e| ToStore {
                record: &e.record,
                hash: &e.hash,
                received_at: ms(e.received_at),
                change: e.change.as_ref(),
            })
            .collect();
        let stored = store_events(&tx, point, &to_store).await?;
        if let Some((seq, _)) = stored.conflict {
            return Err(StorageError::Corrupt(format!(
                "point {point}: event {seq} is held with another hash"
            )));
        }
        let acked = first + events.len() as u64 - 1;
        tx.execute(
            "UPDATE points SET acked_seq = $2 WHERE id = $1",
            &[&point, &(acked as i64)],
        )
        .await?;
        tx.commit().await?;
        Ok(acked)
    }

    /// Counts and the hash chain of a point, computed by the database.
    pub async fn summary(&self, point: &str) -> StorageResult<PointSummary> {
        let c = self.client().await?;
        let row = c
            .query_one(
                "SELECT (SELECT COUNT(*) FROM events WHERE point_id = $1),
                        (SELECT COALESCE(MAX(acked_seq), 0) FROM points WHERE id = $1),
                        (SELECT encode(sha256(convert_to(
                             COALESCE(string_agg(hash, E'\\n' ORDER BY seq), ''), 'UTF8')), 'hex')
                         FROM events WHERE point_id = $1),
                        (SELECT COUNT(*) FROM tickets WHERE point_id = $1),
                        (SELECT COUNT(*) FROM appeals WHERE point_id = $1),
                        (SELECT COUNT(*) FROM appeal_changes WHERE point_id = $1),
                        (SELECT COUNT(*) FROM sessions WHERE point_id = $1),
                        (SELECT COUNT(*) FROM conflicts WHERE point_id = $1)",
                &[&point],
            )
            .await?;
        Ok(PointSummary {
            events: count(row.get(0)),
            acked_seq: count(row.get(1)),
            chain: row.get(2),
            tickets: count(row.get(3)),
            appeals: count(row.get(4)),
            appeal_changes: count(row.get(5)),
            sessions: count(row.get(6)),
            conflicts: count(row.get(7)),
        })
    }
}
