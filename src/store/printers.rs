//! Reads of the `printers` table: each printer's latest attempt, kept by
//! the projection of `document_printed` / `print_failed`.

use super::{Result, StoreError, parse_time};
use crate::domain::event::PrintFailure;
use chrono::{DateTime, Utc};
use rusqlite::Connection;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PrinterState {
    pub printer: String,
    pub at: DateTime<Utc>,
    pub actor: String,
    /// `None`: the latest attempt printed.
    pub trouble: Option<PrintFailure>,
    pub detail: Option<String>,
    /// The number of the document that did not print.
    pub document: Option<String>,
    pub last_ok_at: Option<DateTime<Utc>>,
}

pub fn all(conn: &Connection) -> Result<Vec<PrinterState>> {
    let mut stmt = conn.prepare_cached(
        "SELECT printer, at, actor, ok, reason, detail, document, last_ok_at
         FROM printers ORDER BY printer",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, bool>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, Option<String>>(6)?,
            r.get::<_, Option<String>>(7)?,
        ))
    })?;
    rows.map(|row| {
        let (printer, at, actor, ok, reason, detail, document, last_ok) = row?;
        let trouble = if ok {
            None
        } else {
            let reason = reason.unwrap_or_default();
            Some(reason.parse().map_err(StoreError::Corrupt)?)
        };
        Ok(PrinterState {
            printer,
            at: parse_time(&at)?,
            actor,
            trouble,
            detail,
            document,
            last_ok_at: last_ok.as_deref().map(parse_time).transpose()?,
        })
    })
    .collect()
}
