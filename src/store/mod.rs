//! The point's local SQLite database: the event log and the tables the
//! screens read. All SQL of the point lives under this folder.

pub mod appeals;
pub mod backup;
pub mod events;
pub mod migrations;
pub mod pauses;
pub mod personal;
pub mod printers;
mod projection;
pub mod region;
pub mod report;
pub mod search;
pub mod sessions;
pub mod settings;
pub mod staff;
pub mod sync_state;
pub mod take_back;
pub mod tickets;
pub mod today;

use crate::domain::time::{self, fmt_time};
use crate::domain::{Actor, EventBody, PointId};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the disk is full: nothing was recorded")]
    DiskFull,
    #[error("the database is busy (another program holds it too long)")]
    Busy,
    #[error(
        "the database was made by a newer qabyldau (schema {found}, this program knows up to {known}); update the program"
    )]
    SchemaTooNew { found: u32, known: u32 },
    #[error("this database belongs to point {found:?}, but the config names {configured:?}")]
    WrongPoint { found: String, configured: String },
    #[error("cannot create the folder {path} for the database")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the database {path}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "the database {path} is at schema {found}, this program's is {known}: a command that writes (a screen, `ticket`) brings it up to date, where the file can be written"
    )]
    NeedsMigration {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Sqlite(e),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A stored time that does not read back is damage, like any other.
fn parse_time(s: &str) -> Result<DateTime<Utc>> {
    time::parse_time(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// One open connection to a point's database.
pub struct Store {
    conn: Connection,
    point: PointId,
    /// Test hook (`Store::panic_in_write`): writes left before one panics.
    writes_before_panic: Option<u32>,
}

impl Store {
    /// Opens (creating if needed) and migrates the database of `point`.
    pub fn open(path: &Path, point: &PointId) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        // Two processes starting on a new file race to create it and switch
        // it to WAL; the loser can see "busy" before any busy handler runs.
        // Retrying the whole opening is harmless: every step is idempotent.
        let mut attempt = 0;
        loop {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|source| StoreError::Open {
                path: path.to_path_buf(),
                source,
            })?;
            match Store::from_connection(conn, point) {
                Err(StoreError::Busy) if attempt < 50 => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(20 * attempt.min(10)));
                }
                other => return other,
            }
        }
    }

    /// For the commands that only read (`queue`, `appeals`, `events`,
    /// `report`): a database on a read-only file or folder (an archive, a
    /// copy from another point) opens, and nothing is migrated, claimed or
    /// written. A database not at this program's schema is refused with
    /// what to do; in a read-only folder, where SQLite cannot make the
    /// WAL's index, it is read as immutable.
    pub fn open_read_only(path: &Path, point: &PointId) -> Result<Store> {
        let open = |immutable: bool| -> Result<Connection> {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI;
            let conn = if immutable {
                let uri = format!("file:{}?immutable=1", path.display());
                Connection::open_with_flags(uri, flags)
            } else {
                Connection::open_with_flags(path, flags)
            }
            .map_err(|source| StoreError::Open {
                path: path.to_path_buf(),
                source,
            })?;
            conn.busy_timeout(Duration::from_secs(10))?;
            conn.pragma_update(None, "trusted_schema", false)?;
            Ok(conn)
        };
        let conn = open(false)?;
        let conn = match migrations::current_version(&conn) {
            Ok(_) => conn,
            Err(_) => open(true)?,
        };
        let found = migrations::current_version(&conn)?;
        if found > migrations::LATEST {
            return Err(StoreError::SchemaTooNew {
                found,
                known: migrations::LATEST,
            });
        }
        if found < migrations::LATEST {
            return Err(StoreError::NeedsMigration {
                path: path.to_path_buf(),
                found,
                known: migrations::LATEST,
            });
        }
        if let Some(found) = stored_point(&conn).filter(|f| f != point.as_str()) {
            return Err(StoreError::WrongPoint {
                found,
                configured: point.to_string(),
            });
        }
        Ok(Store {
            conn,
            point: point.clone(),
            writes_before_panic: None,
        })
    }

    /// An in-memory database, for tests.
    pub fn open_in_memory(point: &PointId) -> Result<Store> {
        Store::from_connection(Connection::open_in_memory()?, point)
    }

    fn from_connection(mut conn: Connection, point: &PointId) -> Result<Store> {
        configure(&conn)?;
        migrations::run(&mut conn)?;
        claim_point(&mut conn, point)?;
        Ok(Store {
            conn,
            point: point.clone(),
            writes_before_panic: None,
        })
    }

    pub fn point(&self) -> &PointId {
        &self.point
    }

    /// For reads. Keep read transactions short: a long one stops the WAL
    /// from being checkpointed.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction and commits it. The
    /// events `f` appends and the tables they change are durable together
    /// when this returns `Ok`, and absent together when it returns `Err`.
    pub fn write<T, E>(
        &mut self,
        actor: &Actor,
        at: DateTime<Utc>,
        f: impl FnOnce(&mut Writer<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<StoreError>,
    {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let mut writer = Writer {
            tx,
            point: &self.point,
            actor: actor.as_str().to_string(),
            at,
        };
        let value = f(&mut writer)?;
        if let Some(left) = &mut self.writes_before_panic {
            *left = left.saturating_sub(1);
            if *left == 0 {
                panic!(
                    "forced panic inside a write transaction, before its commit (QABYLDAU_TEST_PANIC_DB_WRITE)"
                );
            }
        }
        writer.tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }

    /// Test hook of the crash tests (docs/RELIABILITY.md): the `nth` write
    /// from now on panics after its work is done and before its commit, so
    /// a test can see that a panic commits nothing and ends the program.
    /// Only the database thread of a screen arms it (from
    /// `QABYLDAU_TEST_PANIC_DB_WRITE`); nothing does in use.
    #[doc(hidden)]
    pub fn panic_in_write(&mut self, nth: u32) {
        self.writes_before_panic = Some(nth.max(1));
    }

    /// Whether another connection committed since the last call: SQLite's
    /// `data_version`, a cheap way for screens to know when to re-read.
    /// Moves the log into the database and truncates it to nothing, so no
    /// earlier version of a page (an erased citizen's, say) stays in the
    /// `-wal` file. Returns whether it completed: a reader of another
    /// program holding an old snapshot keeps the log until it lets go.
    pub fn truncate_wal(&self) -> Result<bool> {
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        Ok(busy == 0)
    }

    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }
}

/// The pragmas every connection needs. `synchronous=FULL` in WAL mode makes
/// each commit durable before "recorded" is shown.
fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(10))?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))?;
    if mode != "wal" && mode != "memory" {
        tracing::warn!(mode, "the database is not in WAL mode");
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "trusted_schema", false)?;
    // what is deleted is overwritten with zeros, not left in free pages:
    // an erased citizen's key must not stay readable in the file
    conn.pragma_update(None, "secure_delete", true)?;
    test_page_limit(conn)?;
    Ok(())
}

/// Test hook of the disk-full tests (docs/RELIABILITY.md): with
/// `QABYLDAU_TEST_MAX_PAGE_COUNT=N` the database cannot grow past N pages,
/// so SQLite answers "disk full" exactly as on a full disk (a small
/// filesystem would need root). Not a setting: nothing sets it in use.
fn test_page_limit(conn: &Connection) -> rusqlite::Result<()> {
    let limit = std::env::var("QABYLDAU_TEST_MAX_PAGE_COUNT")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok());
    if let Some(pages) = limit {
        conn.pragma_update_and_check(None, "max_page_count", pages, |r| r.get::<_, i64>(0))?;
    }
    Ok(())
}

/// A database belongs to one point for life: its events carry that point's
/// id, and mixing two points' logs would corrupt the region's history.
/// The point a database belongs to, once it has been claimed.
fn stored_point(conn: &Connection) -> Option<String> {
    conn.query_row("SELECT value FROM meta WHERE key = 'point_id'", [], |r| {
        r.get(0)
    })
    .ok()
}

fn claim_point(conn: &mut Connection, point: &PointId) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    match stored_point(&tx) {
        Some(found) if found != point.as_str() => {
            return Err(StoreError::WrongPoint {
                found,
                configured: point.to_string(),
            });
        }
        Some(_) => {}
        None => {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('point_id', ?1), ('created_at', ?2)",
                (point.as_str(), fmt_time(Utc::now())),
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// What may read the point's tables, as a use case takes it: the store
/// outside a write, the `Writer` inside one (seeing its own writes), or a
/// `today::Snapshot` read transaction. A use case that only reads takes
/// `&impl Read`; one that writes takes `&mut Store` and works on the
/// `Writer` it is handed.
pub trait Read {
    /// The connection the queries of this module run on.
    fn conn(&self) -> &Connection;
}

impl Read for Store {
    fn conn(&self) -> &Connection {
        Store::conn(self)
    }
}

impl Read for Writer<'_> {
    fn conn(&self) -> &Connection {
        Writer::conn(self)
    }
}

/// The open write transaction handed to a use case.
pub struct Writer<'c> {
    tx: rusqlite::Transaction<'c>,
    point: &'c PointId,
    actor: String,
    at: DateTime<Utc>,
}

impl Writer<'_> {
    /// Reads inside the transaction see its own writes.
    pub fn conn(&self) -> &Connection {
        &self.tx
    }

    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }

    pub fn point(&self) -> &PointId {
        self.point
    }

    /// Appends one event with the next `seq` and applies it to the tables.
    pub fn append(&mut self, body: &EventBody) -> Result<u64> {
        let actor = self.actor.clone();
        self.append_as(&actor, body)
    }

    /// Appends one event under another actor than the write's (a decision
    /// of the region names the regional staff who made it).
    pub(super) fn append_as(&mut self, actor: &str, body: &EventBody) -> Result<u64> {
        // an appeal's personal parts are stored sealed, and the tables are
        // written from the stored event as a replay would
        let sealed;
        let body = match body {
            EventBody::AppealRecorded(a) => {
                sealed = EventBody::AppealRecorded(Box::new(personal::seal(&self.tx, self.at, a)?));
                &sealed
            }
            other => other,
        };
        let seq = events::append(&self.tx, self.point, actor, self.at, body)?;
        projection::apply(&self.tx, seq, self.at, actor, body)?;
        Ok(seq)
    }

    /// Writes a setting that is local to this machine (not an event).
    pub fn set_local_setting(&self, key: &str, value: &str) -> Result<()> {
        settings::set(&self.tx, key, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point() -> PointId {
        PointId::parse("p").unwrap()
    }

    #[test]
    fn a_read_only_open_reads_and_never_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("point.db");
        {
            let mut s = Store::open(&path, &point()).unwrap();
            s.write(&Actor::system(), Utc::now(), |w| -> Result<()> {
                w.append(&crate::domain::event::EventBody::CampaignModeSet(
                    crate::domain::event::CampaignModeSet { on: true },
                ))?;
                Ok(())
            })
            .unwrap();
        }
        let mut s = Store::open_read_only(&path, &point()).unwrap();
        assert_eq!(events::last_seq(s.conn()).unwrap(), 1);
        let write = s.write(&Actor::system(), Utc::now(), |w| -> Result<()> {
            w.append(&crate::domain::event::EventBody::CampaignModeSet(
                crate::domain::event::CampaignModeSet { on: false },
            ))?;
            Ok(())
        });
        assert!(write.is_err(), "a read-only store wrote");
        drop(s);
        assert_eq!(
            events::last_seq(Store::open(&path, &point()).unwrap().conn()).unwrap(),
            1
        );
        // another point's database is refused read-only too
        assert!(matches!(
            Store::open_read_only(&path, &PointId::parse("q").unwrap()),
            Err(StoreError::WrongPoint { .. })
        ));
    }

    #[test]
    fn an_old_schema_is_not_migrated_by_a_reader_and_the_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        drop(Store::open(&path, &point()).unwrap());
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 1)
            .unwrap();
        let e = Store::open_read_only(&path, &point()).err().unwrap();
        assert!(
            matches!(e, StoreError::NeedsMigration { found: 1, .. }),
            "{e}"
        );
        assert!(e.to_string().contains(&path.display().to_string()), "{e}");
    }
}
