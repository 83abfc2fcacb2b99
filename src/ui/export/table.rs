//! A report as plain text that fits 80 columns.

use super::{Cell, Sheet, SheetKind, cell_text};
use unicode_width::UnicodeWidthStr;

const WIDTH: usize = 80;

/// Pads or cuts `s` to exactly `width` columns (a cut ends with '…'),
/// numbers padded on the left.
fn fit(s: &str, width: usize, right: bool) -> String {
    if s.width() > width || !right {
        return crate::ui::kit::cut_pad(s, width);
    }
    " ".repeat(width - s.width()) + s
}

fn number(cell: &Cell) -> String {
    match cell {
        Cell::Percent(p) => format!("{p:.1}%"),
        other => cell_text(other),
    }
}

pub fn render_table(titles: &[String], sheets: &[Sheet]) -> String {
    let mut out = String::new();
    for t in titles {
        out.push_str(fit(t, WIDTH, false).trim_end());
        out.push('\n');
    }
    for sheet in sheets {
        match sheet.kind {
            SheetKind::Summary => {
                out.push('\n');
                summary(&mut out, sheet);
            }
            SheetKind::Groups => {
                out.push('\n');
                groups(&mut out, sheet);
            }
            // a row per appeal does not fit 80 columns: CSV and XLSX carry it
            SheetKind::List => {}
        }
    }
    out
}

fn summary(out: &mut String, sheet: &Sheet) {
    let (label_w, count_w, pct_w) = (WIDTH - 10 - 8 - 2, 10, 8);
    for row in &sheet.rows {
        let label = row.cells.first().map(cell_text).unwrap_or_default();
        if row.heading {
            out.push_str(&format!(
                "{}\n",
                fit(&label.to_uppercase(), WIDTH, false).trim_end()
            ));
            continue;
        }
        let count = row.cells.get(1).map(number).unwrap_or_default();
        let pct = row.cells.get(2).map(number).unwrap_or_default();
        let line = format!(
            "  {} {} {}",
            fit(&label, label_w - 2, false),
            fit(&count, count_w, true),
            fit(&pct, pct_w, true)
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

fn groups(out: &mut String, sheet: &Sheet) {
    let headers = sheet
        .short_headers
        .as_ref()
        .expect("groups have short headers");
    let columns = headers.len();
    let (first_w, num_w) = (24, 8);
    let line = |cells: Vec<String>| -> String {
        let mut s = fit(&cells[0], first_w, false);
        for c in &cells[1..] {
            s.push(' ');
            s.push_str(&fit(c, num_w, true));
        }
        s.trim_end().to_string() + "\n"
    };
    out.push_str(&line(headers.clone()));
    out.push_str(&"-".repeat(first_w + columns.saturating_sub(1) * (num_w + 1)));
    out.push('\n');
    for row in &sheet.rows {
        out.push_str(&line(row.cells.iter().take(columns).map(number).collect()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_pads_and_cuts_by_columns() {
        assert_eq!(fit("Әсел", 6, false), "Әсел  ");
        assert_eq!(fit("12", 4, true), "  12");
        assert_eq!(fit("Мемлекеттік органдарға", 10, false), "Мемлекетт…");
        assert_eq!(fit("Мемлекеттік органдарға", 10, false).width(), 10);
    }
}
