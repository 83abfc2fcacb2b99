//! CSV: UTF-8, a header row in the report's language, one file per sheet
//! (the group sheet when asked for, else the summary).

use super::{Cell, Sheet, cell_text};
use std::io::Write;

/// Writes the last sheet (the groups when `--by` was given). `bom` puts the
/// UTF-8 byte order mark first, which spreadsheet programs need to read
/// Cyrillic correctly.
pub fn write_csv(out: &mut dyn Write, sheets: &[Sheet], bom: bool) -> std::io::Result<()> {
    if bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let Some(sheet) = sheets.last() else {
        return Ok(());
    };
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&sheet.headers)?;
    for row in sheet.rows.iter().filter(|r| !r.heading) {
        w.write_record(row.cells.iter().map(|c| match c {
            Cell::Text(s) => s.trim().to_string(),
            other => cell_text(other),
        }))?;
    }
    w.flush()?;
    Ok(())
}
