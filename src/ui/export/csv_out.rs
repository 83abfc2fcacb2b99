//! CSV: UTF-8, a header row in the report's language, one file per sheet
//! (the group sheet when asked for, else the summary), in the dialect of
//! the spreadsheet it is for.

use super::{Cell, Sheet, SheetKind, cell_text};
use std::io::Write;

/// How the spreadsheet at hand reads CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvDialect {
    /// Between fields: `,`, or `;` where `,` is the decimal mark.
    pub delimiter: u8,
    /// Decimals written with a comma (3,5), as a Russian- or
    /// Kazakh-locale spreadsheet expects.
    pub decimal_comma: bool,
    /// The UTF-8 byte order mark first, which spreadsheet programs need to
    /// read Cyrillic correctly.
    pub bom: bool,
}

impl CsvDialect {
    /// RFC 4180: `,` and `.`; the mark only when asked.
    pub fn plain(bom: bool) -> Self {
        CsvDialect {
            delimiter: b',',
            decimal_comma: false,
            bom,
        }
    }

    /// Excel (and LibreOffice) in a Russian or Kazakh locale: `;` between
    /// fields, `,` in decimals, and the byte order mark.
    pub fn excel_ru() -> Self {
        CsvDialect {
            delimiter: b';',
            decimal_comma: true,
            bom: true,
        }
    }

    fn cell(&self, c: &Cell) -> String {
        match c {
            Cell::Text(s) => s.trim().to_string(),
            Cell::Minutes(Some(_)) | Cell::Percent(_) if self.decimal_comma => {
                cell_text(c).replace('.', ",")
            }
            other => cell_text(other),
        }
    }
}

/// Writes the last sheet (the groups when `--by` was given). The summary
/// keeps what the XLSX shows around its figures: the titles (report,
/// period, point, date) first, and its section headings as rows of their
/// own; a group sheet is one plain table, to be read back by a program.
pub fn write_csv(
    out: &mut dyn Write,
    titles: &[String],
    sheets: &[Sheet],
    dialect: CsvDialect,
) -> std::io::Result<()> {
    if dialect.bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let Some(sheet) = sheets.last() else {
        return Ok(());
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(dialect.delimiter)
        .flexible(true)
        .from_writer(out);
    let summary = sheet.kind == SheetKind::Summary;
    if summary {
        for t in titles {
            w.write_record([t.as_str()])?;
        }
        w.write_record([""])?;
    }
    w.write_record(&sheet.headers)?;
    for row in &sheet.rows {
        if row.heading {
            if summary {
                w.write_record(row.cells.iter().take(1).map(|c| dialect.cell(c)))?;
            }
            continue;
        }
        w.write_record(row.cells.iter().map(|c| dialect.cell(c)))?;
    }
    w.flush()?;
    Ok(())
}
