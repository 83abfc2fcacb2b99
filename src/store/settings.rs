//! Settings local to this machine, changed at run time.

use super::Result;
use rusqlite::{Connection, OptionalExtension};

pub const CAMPAIGN_MODE: &str = "campaign_mode";
pub const KIOSK_EXIT_PIN_HASH: &str = "kiosk_exit_pin_hash";
/// The wrong tries of "what became of my appeal?" (app::lookup), per station.
pub const LOOKUP_GUARD_KIOSK: &str = "lookup_guard_kiosk";
pub const LOOKUP_GUARD_DESK: &str = "lookup_guard_desk";
/// `[retention] years` as the region set it for its points (a directive).
pub const RETENTION_YEARS: &str = "retention_years";

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
