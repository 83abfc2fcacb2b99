//! The server's side of the disk-full tests' hook (docs/RELIABILITY.md):
//! with `QABYLDAU_TEST_MAX_PAGE_COUNT=N` its SQLite database cannot grow
//! past N pages, so SQLite answers "disk full" as on a full disk. The point
//! reads the same variable in `store`; the server keeps its own reading so
//! that it depends on nothing of the point's. Not a setting: nothing sets
//! it in use.

use rusqlite::Connection;

pub fn page_limit(conn: &Connection) -> rusqlite::Result<()> {
    let limit = std::env::var("QABYLDAU_TEST_MAX_PAGE_COUNT")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok());
    if let Some(pages) = limit {
        conn.pragma_update_and_check(None, "max_page_count", pages, |r| r.get::<_, i64>(0))?;
    }
    Ok(())
}
