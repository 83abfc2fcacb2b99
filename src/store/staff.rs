//! Reads of the `staff` table, and the PIN hash, which is local to the
//! point and so written beside the event rather than by it.

use super::{Result, StoreError, parse_time};
use crate::domain::staff::{Login, Role};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaffRow {
    pub login: Login,
    pub name: String,
    pub role: Role,
    #[serde(skip)]
    pub pin_hash: Option<String>,
    pub disabled: bool,
    pub failed_pins: u32,
    pub last_failed_at: Option<DateTime<Utc>>,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Result<StaffRow>> {
    let (login, name, role): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
    let (pin_hash, disabled, failed_pins, last_failed): (
        Option<String>,
        bool,
        u32,
        Option<String>,
    ) = (r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?);
    Ok((|| {
        Ok(StaffRow {
            login: Login::parse(&login)
                .map_err(|_| StoreError::Corrupt(format!("login {login:?}")))?,
            name,
            role: role.parse().map_err(StoreError::Corrupt)?,
            pin_hash,
            disabled,
            failed_pins,
            last_failed_at: last_failed.as_deref().map(parse_time).transpose()?,
        })
    })())
}

const COLUMNS: &str = "login, name, role, pin_hash, disabled, failed_pins, last_failed_at";

pub fn get(conn: &Connection, login: &str) -> Result<Option<StaffRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM staff WHERE login = ?1"),
        [login],
        from_row,
    )
    .optional()?
    .transpose()
}

pub fn all(conn: &Connection) -> Result<Vec<StaffRow>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM staff ORDER BY login"))?;
    let rows = stmt.query_map([], from_row)?;
    rows.map(|r| r?).collect()
}

/// A new PIN starts with no wrong tries counted.
pub fn clear_failures(conn: &Connection, login: &Login) -> Result<()> {
    conn.execute(
        "UPDATE staff SET failed_pins = 0, last_failed_at = NULL WHERE login = ?1",
        [login.as_str()],
    )?;
    Ok(())
}

/// Only inside the write transaction that added the staff member (or
/// changes the PIN), so the row and its hash appear together.
pub fn set_pin_hash(conn: &Connection, login: &Login, hash: &str) -> Result<()> {
    conn.execute(
        "UPDATE staff SET pin_hash = ?2 WHERE login = ?1",
        (login.as_str(), hash),
    )?;
    Ok(())
}
