//! A report as sheets of localised rows, and those sheets as a text table,
//! CSV or XLSX. The figures come from `domain::report`; this only lays
//! them out.

mod csv_out;
mod table;
mod xlsx;

pub use csv_out::{CsvDialect, write_csv};
pub use table::render_table;
pub use xlsx::write_xlsx;

use crate::app::report::ListedAppeal;
use crate::domain::report::{AppealFigures, GroupBy, Minutes, Report, Share};
use crate::domain::{AppealKind, Catalogue, CategoryId, Channel, Lang};
use crate::tr;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Count(u64),
    Minutes(Option<f64>),
    Percent(f64),
    Empty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    Summary,
    Groups,
    /// One row per appeal: too wide for the text table, for CSV and XLSX.
    List,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub kind: SheetKind,
    pub name: String,
    pub headers: Vec<String>,
    /// Header text short enough for an 80-column table, where it differs.
    pub short_headers: Option<Vec<String>>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// A section heading: shown bold, with no figures.
    pub heading: bool,
}

/// Titles above the sheets: report, period, point, as-of date.
pub fn titles(report: &Report, lang: Lang, point: &str, as_of: chrono::NaiveDate) -> Vec<String> {
    vec![
        tr!(lang, "report-title"),
        tr!(
            lang,
            "report-period",
            from = report.period.from.to_string(),
            to = report.period.to.to_string()
        ),
        tr!(lang, "report-point", point = point.to_string()),
        tr!(
            lang,
            "report-generated",
            date = as_of.min(report.period.to).to_string()
        ),
    ]
}

pub fn sheets(report: &Report, lang: Lang) -> Vec<Sheet> {
    let mut out = vec![summary(report, lang)];
    if let Some(by) = report.by {
        out.push(groups(report, by, lang));
    }
    out
}

fn heading(lang: Lang, key: &str) -> Row {
    Row {
        cells: vec![Cell::Text(tr!(lang, key)), Cell::Empty, Cell::Empty],
        heading: true,
    }
}

fn count(lang: Lang, key: &str, n: u64) -> Row {
    Row {
        cells: vec![Cell::Text(tr!(lang, key)), Cell::Count(n), Cell::Empty],
        heading: false,
    }
}

fn shared(lang: Lang, key: &str, s: Share) -> Row {
    Row {
        cells: vec![
            Cell::Text(tr!(lang, key)),
            Cell::Count(s.count),
            Cell::Percent(s.percent),
        ],
        heading: false,
    }
}

fn minutes(lang: Lang, key: &str, m: Option<f64>) -> Row {
    Row {
        cells: vec![Cell::Text(tr!(lang, key)), Cell::Minutes(m), Cell::Empty],
        heading: false,
    }
}

fn labelled(label: String, n: u64) -> Row {
    Row {
        cells: vec![
            Cell::Text(format!("  {label}")),
            Cell::Count(n),
            Cell::Empty,
        ],
        heading: false,
    }
}

fn summary(r: &Report, lang: Lang) -> Sheet {
    let a = &r.appeals;
    let mut rows = vec![
        heading(lang, "report-section-appeals"),
        count(lang, "report-appeals-received", a.received),
        shared(lang, "report-resolved-positive", a.resolved_positive),
        shared(lang, "report-consulted", a.consulted),
        shared(lang, "report-redirected", a.redirected),
        shared(lang, "report-under-consideration", a.under_consideration),
        shared(lang, "report-declined", a.declined),
        shared(lang, "report-withdrawn", a.withdrawn),
        count(lang, "report-repeated", a.repeated),
    ];
    if !r.redirected_to.is_empty() {
        rows.push(heading(lang, "report-redirected-by-body"));
        rows.extend(
            r.redirected_to
                .iter()
                .map(|(body, n)| labelled(crate::domain::sanitize_line(body), *n)),
        );
    }
    if !r.proposals_by_category.is_empty() {
        rows.push(heading(lang, "report-proposals"));
        rows.extend(
            r.proposals_by_category
                .iter()
                .map(|(c, n)| labelled(category_name(c, lang), *n)),
        );
    }
    rows.extend([
        heading(lang, "report-section-control"),
        count(lang, "report-control-taken", r.control.taken_under_control),
        count(lang, "report-control-in-time", r.control.closed_in_time),
        count(lang, "report-control-overdue", r.control.overdue),
        heading(lang, "report-section-sessions"),
        count(lang, "report-sessions-mobile", r.sessions.mobile_sessions),
        count(lang, "report-sessions-on-site", r.sessions.on_site_sessions),
        count(
            lang,
            "report-sessions-citizens",
            r.sessions.citizens_received,
        ),
        heading(lang, "report-section-tickets"),
        count(lang, "report-tickets-issued", r.tickets.issued),
        count(lang, "report-tickets-served", r.tickets.served),
        count(lang, "report-tickets-no-show", r.tickets.no_shows),
        count(lang, "report-tickets-not-printed", r.tickets.not_printed),
        count(lang, "report-tickets-closed", r.tickets.closed_unserved),
        Row {
            cells: vec![
                Cell::Text(crate::ui::report_view::over_limit_label(lang, &r.tickets)),
                Cell::Count(r.tickets.over_wait_limit),
                Cell::Empty,
            ],
            heading: false,
        },
    ]);
    let Minutes { median, p90 } = r.tickets.wait;
    rows.push(minutes(lang, "report-wait-median", median));
    rows.push(minutes(lang, "report-wait-p90", p90));
    let Minutes { median, p90 } = r.tickets.service;
    rows.push(minutes(lang, "report-service-median", median));
    rows.push(minutes(lang, "report-service-p90", p90));
    let p = &r.pauses;
    rows.push(heading(lang, "report-section-pauses"));
    rows.push(minutes(lang, "report-paused-total", Some(p.minutes)));
    for (desk, m) in &p.by_desk {
        rows.push(Row {
            cells: vec![
                Cell::Text(format!(
                    "  {}",
                    tr!(
                        lang,
                        "report-paused-desk",
                        desk = crate::domain::sanitize_line(desk)
                    )
                )),
                Cell::Minutes(Some(*m)),
                Cell::Empty,
            ],
            heading: false,
        });
    }
    for (reason, m) in &p.by_reason {
        rows.push(Row {
            cells: vec![
                Cell::Text(format!(
                    "  {}",
                    crate::i18n::t(lang, &format!("pause-reason-{}", reason.as_str()))
                )),
                Cell::Minutes(Some(*m)),
                Cell::Empty,
            ],
            heading: false,
        });
    }
    // the point's own figure: what was erased, never whom
    if let Some(e) = &r.erasures {
        rows.push(heading(lang, "report-section-erased"));
        rows.push(count(lang, "report-erased-for-age", e.for_age));
        rows.push(count(lang, "report-erased-on-request", e.on_request));
    }
    Sheet {
        kind: SheetKind::Summary,
        name: tr!(lang, "report-title"),
        headers: vec![
            tr!(lang, "report-col-figure"),
            tr!(lang, "report-col-count"),
            tr!(lang, "report-col-percent"),
        ],
        short_headers: None,
        rows,
    }
}

fn group_label(key: &str, by: GroupBy, lang: Lang) -> String {
    let parsed = match by {
        GroupBy::Category => Some(category_name(key, lang)),
        GroupBy::Channel => key
            .parse::<Channel>()
            .ok()
            .map(|c| tr!(lang, &format!("channel-{c}"))),
        GroupBy::Kind => key
            .parse::<AppealKind>()
            .ok()
            .map(|k| tr!(lang, &format!("kind-{k}"))),
        _ => None,
    };
    parsed.unwrap_or_else(|| crate::domain::sanitize_line(key))
}

fn category_name(id: &str, lang: Lang) -> String {
    Catalogue::builtin().name(&CategoryId::new(id), lang)
}

fn groups(r: &Report, by: GroupBy, lang: Lang) -> Sheet {
    let by_key = format!(
        "report-by-{}",
        serde_json::to_value(by)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    );
    let rows = r
        .groups
        .iter()
        .map(|(key, f): &(String, AppealFigures)| Row {
            cells: vec![
                Cell::Text(group_label(key, by, lang)),
                Cell::Count(f.received),
                Cell::Count(f.resolved_positive.count),
                Cell::Percent(f.resolved_positive.percent),
                Cell::Count(f.consulted.count),
                Cell::Count(f.redirected.count),
                Cell::Count(f.under_consideration.count),
                Cell::Count(f.declined.count),
                Cell::Count(f.withdrawn.count),
            ],
            heading: false,
        })
        .collect();
    let keys = [
        "report-appeals-received",
        "report-resolved-positive",
        "report-col-percent",
        "report-consulted",
        "report-redirected",
        "report-under-consideration",
        "report-declined",
        "report-withdrawn",
    ];
    let short = [
        "report-short-received",
        "report-short-positive",
        "report-col-percent",
        "report-short-consulted",
        "report-short-redirected",
        "report-short-pending",
    ];
    let mut headers = vec![tr!(lang, &by_key)];
    headers.extend(keys.iter().map(|k| tr!(lang, k)));
    let mut short_headers = vec![tr!(lang, &by_key)];
    short_headers.extend(short.iter().map(|k| tr!(lang, k)));
    Sheet {
        kind: SheetKind::Groups,
        name: tr!(lang, &by_key),
        headers,
        short_headers: Some(short_headers),
        rows,
    }
}

/// The appeals of the period, one a row; the personal columns only when
/// the list carries them.
pub fn list_sheet(appeals: &[ListedAppeal], lang: Lang, tz: chrono_tz::Tz) -> Sheet {
    let personal = appeals.iter().any(|a| a.personal.is_some());
    let mut keys = vec![
        "report-list-number",
        "report-list-received",
        "report-list-category",
        "report-list-kind",
        "report-list-channel",
        "report-list-outcome",
        "report-list-redirected",
        "report-list-deadline",
    ];
    if personal {
        keys.extend([
            "report-list-name",
            "report-list-iin",
            "report-list-phone",
            "report-list-settlement",
            "report-list-workplace",
            "report-list-text",
        ]);
    }
    let text = |s: &Option<String>| {
        Cell::Text(
            s.as_deref()
                .map(crate::domain::sanitize_line)
                .unwrap_or_default(),
        )
    };
    let rows = appeals
        .iter()
        .map(|a| {
            let mut cells = vec![
                Cell::Text(a.number.to_string()),
                Cell::Text(
                    a.received_at
                        .with_timezone(&tz)
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                ),
                Cell::Text(category_name(a.category.as_str(), lang)),
                Cell::Text(tr!(lang, &format!("kind-{}", a.kind))),
                Cell::Text(tr!(lang, &format!("channel-{}", a.channel))),
                Cell::Text(tr!(lang, &format!("outcome-{}", a.outcome))),
                text(&a.redirected_to),
                Cell::Text(a.deadline.map(|d| d.to_string()).unwrap_or_default()),
            ];
            if let Some(p) = &a.personal {
                let name = if p.erased {
                    Cell::Text(tr!(lang, "report-list-erased"))
                } else {
                    text(&p.name)
                };
                let body = if p.text_erased {
                    tr!(lang, "report-list-text-erased")
                } else {
                    crate::domain::sanitize(&p.text, true)
                };
                cells.extend([
                    name,
                    text(&p.iin),
                    text(&p.phone),
                    text(&p.settlement),
                    text(&p.workplace),
                    Cell::Text(body),
                ]);
            } else if personal {
                cells.extend(std::iter::repeat_n(Cell::Empty, 6));
            }
            Row {
                cells,
                heading: false,
            }
        })
        .collect();
    Sheet {
        kind: SheetKind::List,
        name: tr!(lang, "report-list-title"),
        headers: keys.iter().map(|k| tr!(lang, k)).collect(),
        short_headers: None,
        rows,
    }
}

/// A cell as text, the way the table and the CSV show it.
pub fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => s.clone(),
        Cell::Count(n) => n.to_string(),
        Cell::Minutes(Some(m)) => format!("{m:.1}"),
        Cell::Minutes(None) | Cell::Empty => String::new(),
        Cell::Percent(p) => format!("{p:.1}"),
    }
}
