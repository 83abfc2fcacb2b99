//! XLSX: a sheet per part of the report, headers bold, percentages as
//! percentages.

use super::{Cell, Sheet};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::path::Path;

pub fn write_xlsx(path: &Path, titles: &[String], sheets: &[Sheet]) -> Result<(), XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let minutes = Format::new().set_num_format("0.0");
    for sheet in sheets {
        let ws = book.add_worksheet();
        // sheet names: at most 31 characters, no []:*?/\
        let name: String = sheet
            .name
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        ws.set_name(&name)?;
        let mut row = 0u32;
        for t in titles {
            ws.write_string_with_format(row, 0, t, &bold)?;
            row += 1;
        }
        row += 1;
        for (col, h) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(row, col as u16, h, &bold)?;
        }
        row += 1;
        for r in &sheet.rows {
            for (col, cell) in r.cells.iter().enumerate() {
                let col = col as u16;
                match cell {
                    Cell::Text(s) if r.heading => ws
                        .write_string_with_format(row, col, s, &bold)
                        .map(|_| ())?,
                    Cell::Text(s) => ws.write_string(row, col, s.trim()).map(|_| ())?,
                    Cell::Count(n) => ws.write_number(row, col, *n as f64).map(|_| ())?,
                    Cell::Percent(p) => ws
                        .write_number_with_format(row, col, p / 100.0, &percent)
                        .map(|_| ())?,
                    Cell::Minutes(Some(m)) => ws
                        .write_number_with_format(row, col, *m, &minutes)
                        .map(|_| ())?,
                    Cell::Minutes(None) | Cell::Empty => {}
                }
            }
            row += 1;
        }
        ws.set_column_width(0, 48)?;
    }
    book.save(path)
}
