//! Settings local to this machine, changed at run time.

use super::Result;
use rusqlite::{Connection, OptionalExtension};

pub const CAMPAIGN_MODE: &str = "campaign_mode";
pub const KIOSK_EXIT_PIN_HASH: &str = "kiosk_exit_pin_hash";

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

pub(super) fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )?;
    Ok(())
}
