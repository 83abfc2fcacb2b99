//! The SQLite backend: one writer connection (SQLite has one writer at a
//! time anyway) and a few reader connections, all used on tokio's blocking
//! threads. WAL and `synchronous=FULL`: an `acked_through` sent to a point
//! is on disk, so a crash of the server never loses an acknowledged event.

mod apply;
mod ingest;
mod points;
mod reads;
mod region;
mod report;

use super::{
    Batch, IngestOutcome, NewPoint, PointRecord, Scope, Storage, StorageError, StorageFuture,
    StorageResult, StoredEvent, SupervisorRecord, TokenLookup,
};
use crate::domain::PointId;
use crate::domain::event::{LoginResult, RegionDecision};
use crate::domain::report::Facts;
use crate::domain::time::parse_time;
use crate::protocol::{PointView, QueueView};
use crate::server::storage::FactsQuery;
use crate::server::storage::region::{
    AppealDecision, Audience, Decided, ErasureRequest, NewStaff, RegionBatch, StaffLogin,
    StaffRecord,
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// (version, SQL); a released migration never changes.
const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_server.sql")),
    (
        2,
        include_str!("../migrations/sqlite/0002_point_timezone.sql"),
    ),
    (3, include_str!("../migrations/sqlite/0003_printing.sql")),
    (
        4,
        include_str!("../migrations/sqlite/0004_events_by_kind.sql"),
    ),
    (5, include_str!("../migrations/sqlite/0005_region_log.sql")),
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
    // what is deleted or rewritten leaves zeros, not the old bytes: an
    // erased citizen's data must not stay readable in the file
    conn.pragma_update(None, "secure_delete", true)?;
    // the disk-full tests' hook (a full disk at N pages), as at the point
    crate::server::test_hooks::page_limit(&conn)?;
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
        self.write(move |c| points::add_point(c, &point, &token_hash, at))
    }

    fn revoke_point(&self, id: PointId, at: DateTime<Utc>) -> StorageFuture<'_, ()> {
        self.write(move |c| points::revoke_point(c, &id, at))
    }

    fn replace_point_token(&self, id: PointId, token_hash: String) -> StorageFuture<'_, ()> {
        self.write(move |c| points::replace_point_token(c, &id, &token_hash))
    }

    fn list_points(&self) -> StorageFuture<'_, Vec<PointRecord>> {
        self.read(points::list_points)
    }

    fn clear_flag(&self, id: PointId) -> StorageFuture<'_, ()> {
        self.write(move |c| points::clear_flag(c, &id))
    }

    fn add_supervisor(
        &self,
        name: String,
        region: String,
        token_hash: String,
        at: DateTime<Utc>,
    ) -> StorageFuture<'_, ()> {
        self.write(move |c| points::add_supervisor(c, &name, &region, &token_hash, at))
    }

    fn revoke_supervisor(&self, name: String, at: DateTime<Utc>) -> StorageFuture<'_, ()> {
        self.write(move |c| points::revoke_supervisor(c, &name, at))
    }

    fn list_supervisors(&self) -> StorageFuture<'_, Vec<SupervisorRecord>> {
        self.read(points::list_supervisors)
    }

    fn authenticate(&self, token_hash: String) -> StorageFuture<'_, TokenLookup> {
        self.read(move |c| points::authenticate(c, &token_hash))
    }

    fn point_token_hash(&self, id: PointId) -> StorageFuture<'_, Option<String>> {
        self.read(move |c| points::token_hash(c, &id))
    }

    fn ingest_batch(&self, batch: Batch) -> StorageFuture<'_, IngestOutcome> {
        // the steps never wait on anything but SQLite, on this thread
        self.write(move |c| {
            let outcome = futures::executor::block_on(super::ingest::ingest(
                &mut ingest::SqliteStore(c),
                &batch,
            ))?;
            // an erasure leaves no earlier page of the citizen in the -wal
            // file (secure_delete zeroes what it frees in the database)
            if batch
                .events
                .iter()
                .any(|e| matches!(e.change, Some(super::Change::CitizenErased { .. })))
            {
                c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            }
            Ok(outcome)
        })
    }

    fn cursor(&self, point: PointId, at: DateTime<Utc>) -> StorageFuture<'_, (u64, bool)> {
        self.write(move |c| points::cursor(c, &point, at))
    }

    fn events(
        &self,
        point: PointId,
        after: u64,
        limit: usize,
    ) -> StorageFuture<'_, Vec<StoredEvent>> {
        self.read(move |c| reads::events(c, &point, after, limit))
    }

    fn points(&self, scope: Scope, now: DateTime<Utc>) -> StorageFuture<'_, Vec<PointView>> {
        self.read(move |c| reads::points(c, &scope, now))
    }

    fn queue(&self, point: PointId, now: DateTime<Utc>) -> StorageFuture<'_, QueueView> {
        self.read(move |c| reads::queue(c, &point, now))
    }

    fn report_facts(&self, q: FactsQuery) -> StorageFuture<'_, Facts> {
        self.read(move |c| report::report_facts(c, &q))
    }

    fn ping(&self) -> StorageFuture<'_, ()> {
        self.read(|c| {
            c.query_row("SELECT 1", [], |_| Ok(()))?;
            Ok(())
        })
    }

    fn add_staff(&self, staff: NewStaff, at: DateTime<Utc>) -> StorageFuture<'_, ()> {
        self.write(move |c| region::add_staff(c, &staff, at))
    }

    fn disable_staff(&self, login: String, at: DateTime<Utc>) -> StorageFuture<'_, ()> {
        self.write(move |c| region::disable_staff(c, &login, at))
    }

    fn list_staff(&self) -> StorageFuture<'_, Vec<StaffRecord>> {
        self.read(region::list_staff)
    }

    fn staff_login(&self, login: String) -> StorageFuture<'_, Option<StaffLogin>> {
        self.read(move |c| region::staff_login(c, &login))
    }

    fn record_staff_attempt(
        &self,
        login: String,
        result: LoginResult,
        at: DateTime<Utc>,
    ) -> StorageFuture<'_, ()> {
        self.write(move |c| region::record_staff_attempt(c, &login, result, at))
    }

    fn publish(
        &self,
        audience: Audience,
        by: String,
        decision: RegionDecision,
        at: DateTime<Utc>,
    ) -> StorageFuture<'_, Vec<PointId>> {
        self.write(move |c| region::publish(c, &audience, &by, &decision, at))
    }

    fn decide(&self, decision: AppealDecision) -> StorageFuture<'_, Decided> {
        self.write(move |c| region::decide(c, &decision))
    }

    fn erase_citizen(&self, request: ErasureRequest) -> StorageFuture<'_, Option<u64>> {
        self.write(move |c| region::erase_citizen(c, &request))
    }

    fn region_events(
        &self,
        point: PointId,
        after: u64,
        limit: usize,
    ) -> StorageFuture<'_, RegionBatch> {
        // the acknowledgement is a write; the read goes with it
        self.write(move |c| region::region_events(c, &point, after, limit))
    }

    fn region_log(
        &self,
        point: PointId,
        after: u64,
        limit: usize,
    ) -> StorageFuture<'_, RegionBatch> {
        self.read(move |c| region::region_log(c, &point, after, limit))
    }
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

    #[test]
    fn points_of_a_first_schema_database_are_on_the_regions_zone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.db");
        // a database as a server of schema 1 left it, with a point
        let c = Connection::open(&path).unwrap();
        c.execute_batch(MIGRATIONS[0].1).unwrap();
        c.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
        c.execute(
            "INSERT INTO points (id, name, region, kind, token_hash, created_at)
             VALUES ('p1', 'P', 'r', 'office', 'h', '2026-01-01T00:00:00.000Z')",
            [],
        )
        .unwrap();
        drop(c);
        drop(SqliteStorage::open(&path).unwrap());
        let c = Connection::open(&path).unwrap();
        let version: u32 = c
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, LATEST);
        let zone: String = c
            .query_row("SELECT timezone FROM points WHERE id = 'p1'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(zone, "Asia/Almaty");
    }
}
