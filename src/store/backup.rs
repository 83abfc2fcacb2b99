//! Copies of a point's database that can be restored: made while screens
//! write (`VACUUM INTO`, a consistent snapshot, compact: nothing deleted is
//! carried over), checked before they are kept, and checked again before a
//! restore replaces anything. A restore brings back a citizen erased since
//! the copy was made only as erased (docs/ARCHITECTURE.md, "A citizen's
//! own data").

use super::{Result, Store, StoreError, migrations, personal, stored_point};
use crate::domain::PointId;
use crate::domain::event::{CitizenErased, EventBody, RegionDecision};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};

/// Why a copy is not one this point can use. Nothing was replaced.
#[derive(Debug, thiserror::Error)]
pub enum BackupRefused {
    #[error("{path} is not a database qabyldau can read: {why}")]
    Unreadable { path: PathBuf, why: String },
    #[error("{path} is damaged (SQLite's integrity check: {found})")]
    Damaged { path: PathBuf, found: String },
    #[error("{path} is the database of point {found:?}, not of {expected:?}")]
    OtherPoint {
        path: PathBuf,
        found: String,
        expected: String,
    },
    #[error(
        "{path} was made by a newer qabyldau (schema {found}, this program knows up to {known})"
    )]
    Newer {
        path: PathBuf,
        found: u32,
        known: u32,
    },
}

/// What a checked copy holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub schema: u32,
    /// Its last event: a restore continues from there.
    pub last_seq: u64,
}

/// A consistent copy of the database at `to` (which must not exist).
pub fn copy_to(store: &Store, to: &Path) -> Result<()> {
    store
        .conn()
        .execute("VACUUM INTO ?1", [to.to_string_lossy()])?;
    Ok(())
}

/// Checks a copy for `point`: it opens, passes SQLite's integrity check,
/// is this point's and not of a newer schema. Read only.
pub fn check(path: &Path, point: &PointId) -> std::result::Result<Checked, BackupRefused> {
    let unreadable = |why: String| BackupRefused::Unreadable {
        path: path.to_path_buf(),
        why,
    };
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| unreadable(e.to_string()))?;
    let found: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| unreadable(e.to_string()))?;
    if found != "ok" {
        return Err(BackupRefused::Damaged {
            path: path.to_path_buf(),
            found,
        });
    }
    let schema = migrations::current_version(&conn).map_err(|e| unreadable(e.to_string()))?;
    if schema > migrations::LATEST {
        return Err(BackupRefused::Newer {
            path: path.to_path_buf(),
            found: schema,
            known: migrations::LATEST,
        });
    }
    match stored_point(&conn) {
        Some(p) if p == point.as_str() => {}
        Some(found) => {
            return Err(BackupRefused::OtherPoint {
                path: path.to_path_buf(),
                found,
                expected: point.to_string(),
            });
        }
        None => return Err(unreadable("it names no point".into())),
    }
    let last: i64 = conn
        .query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))
        .map_err(|e| unreadable(e.to_string()))?;
    Ok(Checked {
        schema,
        last_seq: last.max(0) as u64,
    })
}

/// The erasures a database holds after `after`: the point's own, and the
/// region's as the point applied them. Read from the database a restore
/// replaces (so that what was erased since the copy stays erased); a
/// database too damaged to read gives what it can.
pub fn erasures_after(path: &Path, after: u64) -> Result<Vec<Erasure>> {
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|source| {
            StoreError::Open {
                path: path.to_path_buf(),
                source,
            }
        })?;
    let mut stmt = conn.prepare(
        "SELECT kind, payload FROM events WHERE seq > ?1
         AND kind IN ('citizen_erased', 'from_region') ORDER BY seq",
    )?;
    let rows = stmt.query_map([after as i64], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, payload) = row?;
        let body = EventBody::from_parts(&kind, serde_json::from_str(&payload)?)?;
        match body {
            EventBody::CitizenErased(e) => out.push(Erasure::Here(e)),
            EventBody::FromRegion(r) => {
                if let RegionDecision::CitizenErased(e) = r.decision {
                    out.push(Erasure::FromRegion(e));
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// An erasure to make again in a restored database.
#[derive(Debug, Clone, PartialEq)]
pub enum Erasure {
    Here(CitizenErased),
    FromRegion(crate::domain::event::RegionErasure),
}

/// Makes the erasures again in a restored database: the keys deleted and
/// the readable copies emptied exactly as their events did, with no new
/// event (the events themselves are in the log the copy lacks, which the
/// server holds). Returns how many were made; the `-wal` is emptied after.
pub fn reapply(store: &mut Store, erasures: &[Erasure]) -> Result<usize> {
    if erasures.is_empty() {
        return Ok(0);
    }
    let tx = store
        .conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let at = super::fmt_time(chrono::Utc::now());
    for e in erasures {
        let e = match e {
            Erasure::Here(e) => e.clone(),
            Erasure::FromRegion(r) => {
                let target = personal::erasable(&tx, personal::CitizenBy::AppealId(r.appeal_id))?;
                CitizenErased {
                    subjects: target.subjects,
                    appeals: target.appeals,
                    texts: r.texts,
                    ground: r.ground.clone(),
                }
            }
        };
        // appeals the copy does not hold (recorded after it) are not there
        // to erase; the others are
        let held: Vec<uuid::Uuid> = e
            .appeals
            .iter()
            .copied()
            .filter(|a| {
                tx.query_row(
                    "SELECT 1 FROM appeals WHERE id = ?1",
                    [a.to_string()],
                    |_| Ok(()),
                )
                .optional()
                .ok()
                .flatten()
                .is_some()
            })
            .collect();
        super::projection::citizen_erased(&tx, &CitizenErased { appeals: held, ..e }, &at)?;
    }
    tx.commit()?;
    store.truncate_wal()?;
    Ok(erasures.len())
}

/// A row of `citizen_keys`: subject, key, IIN tag, phone tag, made at.
type CitizenKeyRow = (String, Vec<u8>, Option<Vec<u8>>, Option<Vec<u8>>, String);

/// Copies into `store` the citizens' keys (and the secret of their keyed
/// hashes) that the database at `from` holds and `store` lacks: a restore
/// from an older copy keeps readable the appeals recorded after the copy
/// was made, which it takes back from the server (their keys never travel).
/// A key erased in `from` is not there to copy, so nobody erased comes
/// back. Call before those events are taken back: the tables are written
/// from them as they come, opening what their keys open.
pub fn carry_keys(store: &mut Store, from: &Path) -> Result<u64> {
    let old = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let citizens: Vec<CitizenKeyRow> = old
        .prepare("SELECT subject, key, iin_tag, phone_tag, created_at FROM citizen_keys")?
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let texts: Vec<(String, Vec<u8>)> = old
        .prepare("SELECT appeal_id, key FROM text_keys")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let secret: Option<Vec<u8>> = old
        .query_row("SELECT secret FROM personal_secret WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    let tx = store.conn.transaction()?;
    let mut carried = 0;
    if let Some(secret) = secret {
        tx.execute(
            "INSERT OR IGNORE INTO personal_secret (id, secret) VALUES (1, ?1)",
            [secret],
        )?;
    }
    for (subject, key, iin, phone, at) in citizens {
        carried += tx.execute(
            "INSERT OR IGNORE INTO citizen_keys (subject, key, iin_tag, phone_tag, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            (subject, key, iin, phone, at),
        )? as u64;
    }
    for (appeal, key) in texts {
        carried += tx.execute(
            "INSERT OR IGNORE INTO text_keys (appeal_id, key) VALUES (?1, ?2)",
            (appeal, key),
        )? as u64;
    }
    tx.commit()?;
    Ok(carried)
}

/// Copies the staff's PIN hashes from the database at `from` (which never
/// travel with the events): logins added or PINs changed after an older
/// copy was made still log in. Call after the events are taken back.
pub fn carry_pins(store: &mut Store, from: &Path) -> Result<u64> {
    let old = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let pins: Vec<(String, String)> = old
        .prepare("SELECT login, pin_hash FROM staff WHERE pin_hash IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let tx = store.conn.transaction()?;
    let mut carried = 0;
    for (login, hash) in pins {
        carried += tx.execute(
            "UPDATE staff SET pin_hash = ?2 WHERE login = ?1 AND pin_hash IS NOT ?2",
            (login, hash),
        )? as u64;
    }
    tx.commit()?;
    Ok(carried)
}
