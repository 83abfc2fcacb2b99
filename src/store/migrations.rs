//! Numbered migrations, run at start. The schema version is SQLite's
//! `user_version`; a database newer than this binary is refused, never
//! touched.

use super::StoreError;
use rusqlite::{Connection, TransactionBehavior};

/// (version, SQL) in order. A new migration is a new file and a new line;
/// a released one never changes.
const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("migrations/0001_init.sql")),
    (2, include_str!("migrations/0002_desk_search_prefix.sql")),
    (3, include_str!("migrations/0003_sync_state.sql")),
    (4, include_str!("migrations/0004_sync_rewinds.sql")),
    (5, include_str!("migrations/0005_printing.sql")),
    (6, include_str!("migrations/0006_paused_desks.sql")),
    (7, include_str!("migrations/0007_search_forgives.sql")),
    (8, include_str!("migrations/0008_region_applied.sql")),
    (9, include_str!("migrations/0009_citizen_keys.sql")),
];

/// What SQL cannot do alone, run after the version's SQL in its
/// transaction: the search index is folded by Rust (`search::fold`).
type Step = fn(&Connection) -> Result<(), StoreError>;
const AFTER: &[(u32, Step)] = &[(7, super::search::rebuild)];

pub const LATEST: u32 = MIGRATIONS[MIGRATIONS.len() - 1].0;

pub fn current_version(conn: &Connection) -> Result<u32, StoreError> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

pub fn run(conn: &mut Connection) -> Result<(), StoreError> {
    let found = current_version(conn)?;
    if found > LATEST {
        return Err(StoreError::SchemaTooNew {
            found,
            known: LATEST,
        });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // another process may have migrated while we waited for the lock
        if current_version(&tx)? >= *version {
            continue;
        }
        tx.execute_batch(sql)?;
        for (_, step) in AFTER.iter().filter(|(v, _)| v == version) {
            step(&tx)?;
        }
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        tracing::info!(version, "database migrated");
    }
    Ok(())
}
