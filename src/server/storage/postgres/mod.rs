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

mod apply;
mod import;
mod ingest;
mod points;
mod reads;
mod region;
mod report;

pub use import::{
    ImportedAttempt, ImportedConflict, ImportedEvent, ImportedPoint, ImportedRegionEvent,
    ImportedStaff, ImportedSupervisor, PointSummary,
};

use super::{
    Batch, IngestOutcome, NewPoint, PointRecord, Scope, Storage, StorageError, StorageFuture,
    StorageResult, StoredEvent, SupervisorRecord, TokenLookup,
};
use crate::domain::PointId;
use crate::domain::event::{LoginResult, RegionDecision};
use crate::domain::report::Facts;
use crate::protocol::{PointView, QueueView};
use crate::server::storage::FactsQuery;
use crate::server::storage::region::{
    AppealDecision, Audience, Decided, ErasureRequest, NewStaff, RegionBatch, StaffLogin,
    StaffRecord,
};
use chrono::{DateTime, Utc};
use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use std::str::FromStr;
use std::time::Duration;
use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;

/// A pooled connection.
type Client = deadpool_postgres::Object;

/// (version, SQL); a released migration never changes.
const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_server.sql")),
    (
        2,
        include_str!("../migrations/postgres/0002_point_timezone.sql"),
    ),
    (3, include_str!("../migrations/postgres/0003_printing.sql")),
    (
        4,
        include_str!("../migrations/postgres/0004_events_by_kind.sql"),
    ),
    (
        5,
        include_str!("../migrations/postgres/0005_region_log.sql"),
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
        self.run(
            async move { points::add_point(&self.client().await?, &point, &token_hash, at).await },
        )
    }

    fn revoke_point(&self, id: PointId, at: DateTime<Utc>) -> StorageFuture<'_, ()> {
        self.run(async move { points::revoke_point(&self.client().await?, &id, at).await })
    }

    fn replace_point_token(&self, id: PointId, token_hash: String) -> StorageFuture<'_, ()> {
        self.run(async move {
            points::replace_point_token(&self.client().await?, &id, &token_hash).await
        })
    }

    fn list_points(&self) -> StorageFuture<'_, Vec<PointRecord>> {
        self.run(async move { points::list_points(&self.client().await?).await })
    }

    fn clear_flag(&self, id: PointId) -> StorageFuture<'_, ()> {
        self.run(async move { points::clear_flag(&self.client().await?, &id).await })
    }

    fn add_supervisor(
        &self,
        name: String,
        region: String,
        token_hash: String,
        at: DateTime<Utc>,
    ) -> StorageFuture<'_, ()> {
        self.run(async move {
            points::add_supervisor(&self.client().await?, &name, &region, &token_hash, at).await
        })
    }

    fn revoke_supervisor(&self, name: String, at: DateTime<Utc>) -> StorageFuture<'_, ()> {
        self.run(async move { points::revoke_supervisor(&self.client().await?, &name, at).await })
    }

    fn list_supervisors(&self) -> StorageFuture<'_, Vec<SupervisorRecord>> {
        self.run(async move { points::list_supervisors(&self.client().await?).await })
    }

    fn authenticate(&self, token_hash: String) -> StorageFuture<'_, TokenLookup> {
        self.run(async move { points::authenticate(&self.client().await?, &token_hash).await })
    }

    fn point_token_hash(&self, id: PointId) -> StorageFuture<'_, Option<String>> {
        self.run(async move { points::token_hash(&self.client().await?, &id).await })
    }

    fn ingest_batch(&self, batch: Batch) -> StorageFuture<'_, IngestOutcome> {
        self.run(async move {
            let mut store = ingest::PgStore(self.client().await?);
            super::ingest::ingest(&mut store, &batch).await
        })
    }

    fn cursor(&self, point: PointId, at: DateTime<Utc>) -> StorageFuture<'_, (u64, bool)> {
        self.run(async move { points::cursor(&self.client().await?, &point, at).await })
    }

    fn events(
        &self,
        point: PointId,
        after: u64,
        limit: usize,
    ) -> StorageFuture<'_, Vec<StoredEvent>> {
        self.run(async move { reads::events(&self.client().await?, &point, after, limit).await })
    }

    fn points(&self, scope: Scope, now: DateTime<Utc>) -> StorageFuture<'_, Vec<PointView>> {
        self.run(async move { reads::points(&self.client().await?, &scope, now).await })
    }

    fn queue(&self, point: PointId, now: DateTime<Utc>) -> StorageFuture<'_, QueueView> {
        self.run(async move { reads::queue(&self.client().await?, &point, now).await })
    }

    fn report_facts(&self, q: FactsQuery) -> StorageFuture<'_, Facts> {
        self.run(async move { report::report_facts(&self.client().await?, &q).await })
    }

    fn ping(&self) -> StorageFuture<'_, ()> {
        self.run(async move {
            self.client().await?.query_one("SELECT 1", &[]).await?;
            Ok(())
        })
    }

    fn add_staff(&self, staff: NewStaff, at: DateTime<Utc>) -> StorageFuture<'_, ()> {
        self.run(async move { region::add_staff(&self.client().await?, &staff, at).await })
    }

    fn disable_staff(&self, login: String, at: DateTime<Utc>) -> StorageFuture<'_, ()> {
        self.run(async move { region::disable_staff(&self.client().await?, &login, at).await })
    }

    fn list_staff(&self) -> StorageFuture<'_, Vec<StaffRecord>> {
        self.run(async move { region::list_staff(&self.client().await?).await })
    }

    fn staff_login(&self, login: String) -> StorageFuture<'_, Option<StaffLogin>> {
        self.run(async move { region::staff_login(&self.client().await?, &login).await })
    }

    fn record_staff_attempt(
        &self,
        login: String,
        result: LoginResult,
        at: DateTime<Utc>,
    ) -> StorageFuture<'_, ()> {
        self.run(async move {
            region::record_staff_attempt(&mut self.client().await?, &login, result, at).await
        })
    }

    fn publish(
        &self,
        audience: Audience,
        by: String,
        decision: RegionDecision,
        at: DateTime<Utc>,
    ) -> StorageFuture<'_, Vec<PointId>> {
        self.run(async move {
            region::publish(&mut self.client().await?, &audience, &by, &decision, at).await
        })
    }

    fn decide(&self, decision: AppealDecision) -> StorageFuture<'_, Decided> {
        self.run(async move { region::decide(&mut self.client().await?, &decision).await })
    }

    fn erase_citizen(&self, request: ErasureRequest) -> StorageFuture<'_, Option<u64>> {
        self.run(async move { region::erase_citizen(&mut self.client().await?, &request).await })
    }

    fn region_events(
        &self,
        point: PointId,
        after: u64,
        limit: usize,
    ) -> StorageFuture<'_, RegionBatch> {
        self.run(
            async move { region::region_events(&self.client().await?, &point, after, limit).await },
        )
    }

    fn region_log(
        &self,
        point: PointId,
        after: u64,
        limit: usize,
    ) -> StorageFuture<'_, RegionBatch> {
        self.run(
            async move { region::region_log(&self.client().await?, &point, after, limit).await },
        )
    }
}
