//! The two storage backends of the server tests. The same tests run on
//! SQLite (the default) and on PostgreSQL (`QABYLDAU_TEST_BACKEND=postgres`,
//! which needs `QABYLDAU_TEST_DATABASE_URL`): each PostgreSQL test gets a
//! database of its own, created fresh and dropped when it ends.

use super::BIN;
use chrono::{DateTime, Utc};
use qabyldau::domain::PointId;
use qabyldau::domain::event::{LoginResult, RegionDecision};
use qabyldau::domain::report::Facts;
use qabyldau::protocol::{PointView, QueueView};
use qabyldau::server::storage::FactsQuery;
use qabyldau::server::storage::postgres::PostgresStorage;
use qabyldau::server::storage::region::{
    AppealDecision, Audience, Decided, ErasureRequest, NewStaff, RegionBatch, StaffLogin,
    StaffRecord,
};
use qabyldau::server::storage::sqlite::SqliteStorage;
use qabyldau::server::storage::{
    Batch, IngestOutcome, NewPoint, PointRecord, Scope, Storage, StorageFuture, StoredEvent,
    SupervisorRecord, TokenLookup,
};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// The variable naming a PostgreSQL server the tests may create databases on.
pub const DATABASE_URL_VAR: &str = "QABYLDAU_TEST_DATABASE_URL";
/// The variable choosing the backend of the server tests.
pub const BACKEND_VAR: &str = "QABYLDAU_TEST_BACKEND";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// As `/healthz` names it.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// The backend chosen by `QABYLDAU_TEST_BACKEND` (`sqlite`, the default, or
/// `postgres`).
pub fn backend() -> Backend {
    match std::env::var(BACKEND_VAR).as_deref() {
        Err(_) | Ok("") | Ok("sqlite") => Backend::Sqlite,
        Ok("postgres") => Backend::Postgres,
        Ok(other) => panic!("{BACKEND_VAR}={other:?}: give sqlite or postgres"),
    }
}

/// `QABYLDAU_TEST_DATABASE_URL`, when set.
pub fn test_database_url() -> Option<String> {
    std::env::var(DATABASE_URL_VAR)
        .ok()
        .filter(|s| !s.trim().is_empty())
}

/// The URL of another database on the same server.
pub fn with_dbname(url: &str, name: &str) -> String {
    let scheme = url.find("://").unwrap_or_else(|| {
        panic!("{DATABASE_URL_VAR} must be a URL: postgres://USER@HOST:PORT/DB")
    });
    let (base, query) = match url.find('?') {
        Some(q) => (&url[..q], &url[q..]),
        None => (url, ""),
    };
    let host_end = base[scheme + 3..]
        .find('/')
        .map_or(base.len(), |i| scheme + 3 + i);
    format!("{}/{name}{query}", &base[..host_end])
}

async fn admin() -> tokio_postgres::Client {
    let url = test_database_url().unwrap_or_else(|| {
        panic!("the PostgreSQL tests need {DATABASE_URL_VAR} (postgres://postgres@127.0.0.1:5432/postgres)")
    });
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| {
            panic!("cannot connect to PostgreSQL at {DATABASE_URL_VAR}={url}: {e}")
        });
    tokio::spawn(conn);
    client
}

static NEXT: AtomicU32 = AtomicU32::new(0);
static SWEPT: AtomicBool = AtomicBool::new(false);

/// Drops the test databases of test processes that no longer run (killed
/// before they could drop their own): their names carry the process id.
async fn drop_orphans(client: &tokio_postgres::Client) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let rows = client
        .query(
            "SELECT datname FROM pg_database WHERE datname LIKE 'qbl\\_test\\_%'",
            &[],
        )
        .await
        .unwrap_or_default();
    for row in rows {
        let name: String = row.get(0);
        let pid = name.split('_').nth(2).unwrap_or_default();
        if !pid.is_empty() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = client
                .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
}

/// A database of its own for one test, dropped (with any connection still
/// open to it) when this is dropped.
pub struct FreshPg {
    pub url: String,
    pub name: String,
}

impl FreshPg {
    pub async fn create() -> FreshPg {
        let name = format!(
            "qbl_test_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            rand::random::<u32>()
        );
        let client = admin().await;
        if !SWEPT.swap(true, Ordering::Relaxed) {
            drop_orphans(&client).await;
        }
        // CREATE DATABASE copies template1: two at the same moment may have
        // to wait for each other
        let mut tries = 0;
        loop {
            match client
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .await
            {
                Ok(()) => break,
                Err(e) if tries < 20 => {
                    tries += 1;
                    eprintln!("CREATE DATABASE {name}: {e}; again");
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                }
                Err(e) => panic!("CREATE DATABASE {name}: {e}"),
            }
        }
        FreshPg {
            url: with_dbname(&test_database_url().unwrap(), &name),
            name,
        }
    }

    /// Replaces this database by a copy of `template` (no one may be
    /// connected to `template`).
    pub async fn replace_with(&self, template: &FreshPg) {
        let client = admin().await;
        // one statement each: several in one string make a transaction
        client
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .await
            .unwrap();
        client
            .batch_execute(&format!(
                "CREATE DATABASE {} TEMPLATE {}",
                self.name, template.name
            ))
            .await
            .unwrap();
    }

    /// A client connected to this database, for checks in SQL.
    pub async fn client(&self) -> tokio_postgres::Client {
        let (client, conn) = tokio_postgres::connect(&self.url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client
    }
}

impl Drop for FreshPg {
    fn drop(&mut self) {
        let name = self.name.clone();
        // a runtime of its own: this may run inside or outside one
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(async {
                    admin()
                        .await
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await
                })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) && !std::thread::panicking() {
            eprintln!("could not drop test database {}: {dropped:?}", self.name);
        }
    }
}

/// A PostgreSQL storage that drops its test database when the last
/// handle to it goes.
pub struct PgTestStorage {
    pub storage: PostgresStorage,
    // after `storage`: its pool closes before the database is dropped
    pub _db: FreshPg,
}

impl Storage for PgTestStorage {
    fn backend(&self) -> &'static str {
        self.storage.backend()
    }
    fn add_point(&self, p: NewPoint, h: String, at: DateTime<Utc>) -> StorageFuture<'_, ()> {
        self.storage.add_point(p, h, at)
    }
    fn revoke_point(&self, id: PointId, at: DateTime<Utc>) -> StorageFuture<'_, ()> {
        self.storage.revoke_point(id, at)
    }
    fn replace_point_token(&self, id: PointId, h: String) -> StorageFuture<'_, ()> {
        self.storage.replace_point_token(id, h)
    }
    fn list_points(&self) -> StorageFuture<'_, Vec<PointRecord>> {
        self.storage.list_points()
    }
    fn clear_flag(&self, id: PointId) -> StorageFuture<'_, ()> {
        self.storage.clear_flag(id)
    }
    fn add_supervisor(
        &self,
        name: String,
        region: String,
        h: String,
        at: DateTime<Utc>,
    ) -> StorageFuture<'_, ()> {
        self.storage.add_supervisor(name, region, h, at)
    }
    fn revoke_supervisor(&self, name: String, at: DateTime<Utc>) -> StorageFuture<'_, ()> {
        self.storage.revoke_supervisor(name, at)
    }
    fn list_supervisors(&self) -> StorageFuture<'_, Vec<SupervisorRecord>> {
        self.storage.list_supervisors()
    }
    fn authenticate(&self, h: String) -> StorageFuture<'_, TokenLookup> {
        self.storage.authenticate(h)
    }
    fn point_token_hash(&self, id: PointId) -> StorageFuture<'_, Option<String>> {
        self.storage.point_token_hash(id)
    }
    fn ingest_batch(&self, batch: Batch) -> StorageFuture<'_, IngestOutcome> {
        self.storage.ingest_batch(batch)
    }
    fn cursor(&self, point: PointId, at: DateTime<Utc>) -> StorageFuture<'_, (u64, bool)> {
        self.storage.cursor(point, at)
    }
    fn events(&self, p: PointId, after: u64, limit: usize) -> StorageFuture<'_, Vec<StoredEvent>> {
        self.storage.events(p, after, limit)
    }
    fn points(&self, scope: Scope, now: DateTime<Utc>) -> StorageFuture<'_, Vec<PointView>> {
        self.storage.points(scope, now)
    }
    fn queue(&self, point: PointId, now: DateTime<Utc>) -> StorageFuture<'_, QueueView> {
        self.storage.queue(point, now)
    }
    fn report_facts(&self, q: FactsQuery) -> StorageFuture<'_, Facts> {
        self.storage.report_facts(q)
    }
    fn ping(&self) -> StorageFuture<'_, ()> {
        self.storage.ping()
    }
    fn add_staff(&self, s: NewStaff, at: DateTime<Utc>) -> StorageFuture<'_, ()> {
        self.storage.add_staff(s, at)
    }
    fn disable_staff(&self, login: String, at: DateTime<Utc>) -> StorageFuture<'_, ()> {
        self.storage.disable_staff(login, at)
    }
    fn list_staff(&self) -> StorageFuture<'_, Vec<StaffRecord>> {
        self.storage.list_staff()
    }
    fn staff_login(&self, login: String) -> StorageFuture<'_, Option<StaffLogin>> {
        self.storage.staff_login(login)
    }
    fn record_staff_attempt(
        &self,
        login: String,
        result: LoginResult,
        at: DateTime<Utc>,
    ) -> StorageFuture<'_, ()> {
        self.storage.record_staff_attempt(login, result, at)
    }
    fn publish(
        &self,
        audience: Audience,
        by: String,
        decision: RegionDecision,
        at: DateTime<Utc>,
    ) -> StorageFuture<'_, Vec<PointId>> {
        self.storage.publish(audience, by, decision, at)
    }
    fn decide(&self, d: AppealDecision) -> StorageFuture<'_, Decided> {
        self.storage.decide(d)
    }
    fn erase_citizen(&self, r: ErasureRequest) -> StorageFuture<'_, Option<u64>> {
        self.storage.erase_citizen(r)
    }
    fn region_events(
        &self,
        p: PointId,
        after: u64,
        limit: usize,
    ) -> StorageFuture<'_, RegionBatch> {
        self.storage.region_events(p, after, limit)
    }
    fn region_log(&self, p: PointId, after: u64, limit: usize) -> StorageFuture<'_, RegionBatch> {
        self.storage.region_log(p, after, limit)
    }
}

/// A server database for the tests that run the real binary: a file in a
/// temp folder, or a fresh PostgreSQL database.
pub enum ServerDb {
    Sqlite { home: PathBuf, path: PathBuf },
    Postgres { home: PathBuf, db: FreshPg },
}

/// A copy of a server database, taken while the server runs.
pub enum Backup {
    Sqlite(PathBuf),
    Postgres(FreshPg),
}

impl ServerDb {
    /// A new, empty server database of the chosen backend; `dir` is the
    /// server's home folder.
    pub async fn new(dir: &Path) -> ServerDb {
        match backend() {
            Backend::Sqlite => ServerDb::Sqlite {
                home: dir.to_path_buf(),
                path: dir.join("server.db"),
            },
            Backend::Postgres => ServerDb::Postgres {
                home: dir.to_path_buf(),
                db: FreshPg::create().await,
            },
        }
    }

    pub fn home(&self) -> &Path {
        match self {
            ServerDb::Sqlite { home, .. } | ServerDb::Postgres { home, .. } => home,
        }
    }

    /// Arguments before and after `server` that name this database.
    pub fn args(&self) -> (Vec<String>, Vec<String>) {
        match self {
            ServerDb::Sqlite { path, .. } => {
                (vec!["--db".into(), path.display().to_string()], Vec::new())
            }
            ServerDb::Postgres { db, .. } => {
                (Vec::new(), vec!["--database-url".into(), db.url.clone()])
            }
        }
    }

    /// `qabyldau server ARGS` on this database.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let (before, after) = self.args();
        let mut c = Command::new(BIN);
        c.args(before)
            .arg("server")
            .args(after)
            .args(args)
            .env("HOME", self.home());
        c
    }

    /// The storage, opened by this process (as the server opens it).
    pub async fn open(&self) -> Arc<dyn Storage> {
        match self {
            ServerDb::Sqlite { path, .. } => Arc::new(SqliteStorage::open(path).unwrap()),
            ServerDb::Postgres { db, .. } => {
                Arc::new(PostgresStorage::connect(&db.url).await.unwrap())
            }
        }
    }

    /// Everything the database holds, as text: to look for what must not
    /// be there (a token in clear, a citizen's IIN).
    pub async fn raw_text(&self) -> String {
        match self {
            ServerDb::Sqlite { path, .. } => {
                let mut bytes = std::fs::read(path).unwrap();
                if let Ok(wal) = std::fs::read(format!("{}-wal", path.display())) {
                    bytes.extend(wal);
                }
                String::from_utf8_lossy(&bytes).into_owned()
            }
            ServerDb::Postgres { db, .. } => {
                let c = db.client().await;
                let mut text = String::new();
                for table in [
                    "points",
                    "supervisors",
                    "events",
                    "conflicts",
                    "tickets",
                    "appeals",
                    "appeal_changes",
                    "sessions",
                    "region_events",
                    "staff",
                    "staff_attempts",
                ] {
                    for row in c
                        .query(&format!("SELECT t::text FROM {table} t"), &[])
                        .await
                        .unwrap()
                    {
                        text.push_str(row.get::<_, &str>(0));
                        text.push('\n');
                    }
                }
                text
            }
        }
    }

    /// A consistent copy, taken while the server runs (SQLite: `VACUUM
    /// INTO`; PostgreSQL: `pg_dump` into a new database).
    pub async fn backup(&self) -> Backup {
        match self {
            ServerDb::Sqlite { path, home } => {
                let to = home.join("backup.db");
                let c = rusqlite::Connection::open(path).unwrap();
                c.execute("VACUUM INTO ?1", [to.to_str().unwrap()]).unwrap();
                Backup::Sqlite(to)
            }
            ServerDb::Postgres { db, .. } => {
                let copy = FreshPg::create().await;
                let mut dump = Command::new("pg_dump")
                    .args(["--no-owner", "--dbname", &db.url])
                    .stdout(Stdio::piped())
                    .spawn()
                    .expect("pg_dump (postgresql-client) for the backup test");
                let restored = Command::new("psql")
                    .args(["-q", "-v", "ON_ERROR_STOP=1", "--dbname", &copy.url])
                    .stdin(dump.stdout.take().unwrap())
                    .stdout(Stdio::null())
                    .status()
                    .expect("psql");
                assert!(dump.wait().unwrap().success(), "pg_dump failed");
                assert!(restored.success(), "pg_dump | psql failed");
                Backup::Postgres(copy)
            }
        }
    }

    /// Puts the backup back in place (the server must be stopped).
    pub async fn restore(&self, backup: &Backup) {
        match (self, backup) {
            (ServerDb::Sqlite { path, .. }, Backup::Sqlite(from)) => {
                for ext in ["-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
                }
                std::fs::copy(from, path).unwrap();
            }
            (ServerDb::Postgres { db, .. }, Backup::Postgres(from)) => db.replace_with(from).await,
            _ => unreachable!("a backup of the other backend"),
        }
    }

    /// `qabyldau server point add ID` on this database; returns the token.
    pub fn add_point(&self, id: &str, region: &str) -> String {
        let out = self
            .cmd(&[
                "point", "add", id, "--name", id, "--region", region, "--kind", "office",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }
}
