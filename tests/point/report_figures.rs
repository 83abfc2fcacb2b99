//! Every published figure against an independent count written here in
//! SQL, on a generated point with weeks of history; the exports read back.

use chrono::{NaiveDate, TimeZone, Utc};
use qabyldau::app::demo::{self, DemoOptions};
use qabyldau::app::{self, Context};
use qabyldau::config::{Config, DEFAULT_CONFIG};
use qabyldau::domain::event::{AppealOutcomeSet, EventBody};
use qabyldau::domain::report::{GroupBy, Report};
use qabyldau::domain::{Actor, Lang, Outcome};
use qabyldau::store::Store;
use qabyldau::ui::export;
use rusqlite::Connection;
use std::path::Path;
use unicode_width::UnicodeWidthStr;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A point with 40 working days of demo history, up to a fixed moment.
fn demo_point() -> (tempfile::TempDir, Store, Context, chrono::DateTime<Utc>) {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::parse(DEFAULT_CONFIG, Path::new("c.toml")).unwrap();
    let mut store = Store::open(&dir.path().join("p.db"), &config.point.id).unwrap();
    let ctx = Context::new(config);
    let now = Utc.with_ymd_and_hms(2026, 3, 4, 8, 30, 0).unwrap();
    demo::fill(&mut store, &ctx, DemoOptions { days: 40, seed: 11 }, now).unwrap();
    (dir, store, ctx, now)
}

fn count(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> u64 {
    conn.query_row(sql, params, |r| r.get::<_, i64>(0)).unwrap() as u64
}

const RANGE: &str = "received_at >= ?1 AND received_at < ?2";

#[test]
fn every_figure_equals_an_independent_count() {
    let (_dir, store, ctx, now) = demo_point();
    let (from, to) = (date(2026, 1, 1), date(2026, 3, 4));
    let r = app::report::local(&store, &ctx, from, to, None, now).unwrap();
    let c = store.conn();
    // the period in UTC: Almaty is UTC+5, so local midnight is 19:00 the day before
    let (start, end) = ("2025-12-31T19:00:00.000Z", "2026-03-04T19:00:00.000Z");
    let by_outcome = |o: &str| {
        count(
            c,
            &format!("SELECT COUNT(*) FROM appeals WHERE {RANGE} AND outcome = ?3"),
            (start, end, o),
        )
    };

    let received = count(
        c,
        &format!("SELECT COUNT(*) FROM appeals WHERE {RANGE}"),
        (start, end),
    );
    assert!(
        received > 200,
        "the data set is big enough to mean something: {received}"
    );
    assert_eq!(r.appeals.received, received);
    assert_eq!(
        r.appeals.resolved_positive.count,
        by_outcome("resolved_positive")
    );
    assert_eq!(r.appeals.consulted.count, by_outcome("consulted"));
    assert_eq!(r.appeals.redirected.count, by_outcome("redirected"));
    assert_eq!(r.appeals.declined.count, by_outcome("declined"));
    assert_eq!(r.appeals.withdrawn.count, by_outcome("withdrawn"));
    assert_eq!(
        r.appeals.under_consideration.count,
        by_outcome("registered") + by_outcome("under_consideration")
    );
    let expected_share =
        (by_outcome("resolved_positive") as f64 * 1000.0 / received as f64).round() / 10.0;
    assert_eq!(r.appeals.resolved_positive.percent, expected_share);
    assert_eq!(
        r.appeals.repeated,
        count(
            c,
            &format!("SELECT COUNT(*) FROM appeals WHERE {RANGE} AND repeated = 1"),
            (start, end)
        )
    );
    assert!(r.appeals.repeated > 0);

    // redirected, by body
    let mut stmt = c
        .prepare(&format!(
            "SELECT redirected_to, COUNT(*) FROM appeals WHERE {RANGE} AND outcome = 'redirected' GROUP BY 1"
        ))
        .unwrap();
    let bodies: Vec<(String, u64)> = stmt
        .query_map((start, end), |row| {
            Ok((row.get(0)?, row.get::<_, i64>(1)? as u64))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        r.redirected_to.clone().into_iter().collect::<Vec<_>>(),
        bodies
    );

    // proposals by topic
    let proposals = count(
        c,
        &format!("SELECT COUNT(*) FROM appeals WHERE {RANGE} AND kind = 'proposal'"),
        (start, end),
    );
    assert_eq!(r.proposals_by_category.values().sum::<u64>(), proposals);

    // under control: from the raw event log, not the history table
    let controlled = count(
        c,
        &format!(
            "SELECT COUNT(DISTINCT json_extract(e.payload, '$.appeal_id')) FROM events e
             JOIN appeals a ON a.id = json_extract(e.payload, '$.appeal_id')
             WHERE e.kind = 'appeal_control_set' AND json_extract(e.payload, '$.control') IS NOT NULL
               AND a.{RANGE}"
        ),
        (start, end),
    );
    assert_eq!(r.control.taken_under_control, controlled);
    assert!(r.control.closed_in_time + r.control.overdue <= controlled);

    // reception sessions and the citizens heard there
    let sessions_of = |kind: &str| {
        count(
            c,
            "SELECT COUNT(*) FROM sessions WHERE date >= ?1 AND date <= ?2 AND kind = ?3",
            ("2026-01-01", "2026-03-04", kind),
        )
    };
    assert_eq!(r.sessions.mobile_sessions, sessions_of("mobile"));
    assert_eq!(r.sessions.on_site_sessions, sessions_of("on_site"));
    assert_eq!(
        r.sessions.citizens_received,
        count(
            c,
            &format!(
                "SELECT COUNT(*) FROM appeals WHERE {RANGE} AND session_id IN (SELECT id FROM sessions WHERE date >= ?3 AND date <= ?4)"
            ),
            (start, end, "2026-01-01", "2026-03-04"),
        )
    );

    // the queue
    let tickets = |state: Option<&str>| match state {
        None => count(
            c,
            "SELECT COUNT(*) FROM tickets WHERE service_date BETWEEN ?1 AND ?2",
            ("2026-01-01", "2026-03-04"),
        ),
        Some(s) => count(
            c,
            "SELECT COUNT(*) FROM tickets WHERE service_date BETWEEN ?1 AND ?2 AND state = ?3",
            ("2026-01-01", "2026-03-04", s),
        ),
    };
    assert_eq!(r.tickets.issued, tickets(None));
    assert_eq!(r.tickets.served, tickets(Some("done")));
    assert_eq!(r.tickets.no_shows, tickets(Some("no_show")));
    let mut waits: Vec<f64> = c
        .prepare("SELECT (julianday(called_at) - julianday(taken_at)) * 1440 FROM tickets WHERE service_date BETWEEN '2026-01-01' AND '2026-03-04' AND called_at IS NOT NULL")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    waits.sort_by(f64::total_cmp);
    let nearest_rank =
        |p: f64| waits[((p / 100.0 * waits.len() as f64).ceil() as usize).max(1) - 1];
    assert_eq!(
        r.tickets.wait.median,
        Some((nearest_rank(50.0) * 10.0).round() / 10.0)
    );
    assert_eq!(
        r.tickets.wait.p90,
        Some((nearest_rank(90.0) * 10.0).round() / 10.0)
    );
}

#[test]
fn groups_add_up_to_the_whole() {
    let (_dir, store, ctx, now) = demo_point();
    for by in [
        GroupBy::Category,
        GroupBy::Channel,
        GroupBy::Kind,
        GroupBy::Desk,
        GroupBy::Operator,
        GroupBy::Month,
    ] {
        let r = app::report::local(
            &store,
            &ctx,
            date(2026, 1, 1),
            date(2026, 3, 4),
            Some(by),
            now,
        )
        .unwrap();
        let sum: u64 = r.groups.iter().map(|(_, f)| f.received).sum();
        assert_eq!(sum, r.appeals.received, "{by:?}");
        let positive: u64 = r
            .groups
            .iter()
            .map(|(_, f)| f.resolved_positive.count)
            .sum();
        assert_eq!(positive, r.appeals.resolved_positive.count, "{by:?}");
    }
}

#[test]
fn outcome_counts_as_of_the_end_of_the_period() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::parse(DEFAULT_CONFIG, Path::new("c.toml")).unwrap();
    let mut store = Store::open(&dir.path().join("p.db"), &config.point.id).unwrap();
    let ctx = Context::new(config);
    let january = Utc.with_ymd_and_hms(2026, 1, 20, 6, 0, 0).unwrap();
    let appeal = app::kiosk::leave_written_appeal(
        &mut store,
        &ctx,
        app::kiosk::WrittenAppeal {
            kind: qabyldau::domain::AppealKind::Complaint,
            category: qabyldau::domain::CategoryId::new("utilities"),
            author: app::kiosk::Author::Anonymous,
            text: qabyldau::domain::AppealText::parse("Суық пәтер").unwrap(),
            lang: Lang::Kk,
        },
        january,
    )
    .unwrap();
    let february = Utc.with_ymd_and_hms(2026, 2, 10, 6, 0, 0).unwrap();
    store
        .write(&Actor::staff("aigerim"), february, |w| {
            w.append(&EventBody::AppealOutcomeSet(AppealOutcomeSet {
                effective_at: None,
                appeal_id: appeal.id,
                outcome: Outcome::ResolvedPositive,
                redirected_to: None,
                note: None,
            }))
        })
        .unwrap();
    let later = Utc.with_ymd_and_hms(2026, 3, 1, 6, 0, 0).unwrap();
    let january_report = app::report::local(
        &store,
        &ctx,
        date(2026, 1, 1),
        date(2026, 1, 31),
        None,
        later,
    )
    .unwrap();
    assert_eq!(january_report.appeals.received, 1);
    assert_eq!(january_report.appeals.resolved_positive.count, 0);
    assert_eq!(january_report.appeals.under_consideration.count, 1);
    let to_february = app::report::local(
        &store,
        &ctx,
        date(2026, 1, 1),
        date(2026, 2, 28),
        None,
        later,
    )
    .unwrap();
    assert_eq!(to_february.appeals.resolved_positive.count, 1);
    assert_eq!(to_february.appeals.resolved_positive.percent, 100.0);
    // an appeal received in February is not in January's figures
    let february_only = app::report::local(
        &store,
        &ctx,
        date(2026, 2, 1),
        date(2026, 2, 28),
        None,
        later,
    )
    .unwrap();
    assert_eq!(february_only.appeals.received, 0);
}

fn rendered(r: &Report, lang: Lang) -> String {
    let titles = export::titles(
        r,
        lang,
        "Көкшетау қоғамдық қабылдау бөлмесі",
        date(2026, 3, 4),
    );
    export::render_table(&titles, &export::sheets(r, lang))
}

#[test]
fn table_fits_80_columns_in_every_language_and_grouping() {
    let (_dir, store, ctx, now) = demo_point();
    for by in [
        None,
        Some(GroupBy::Category),
        Some(GroupBy::Channel),
        Some(GroupBy::Operator),
    ] {
        let r =
            app::report::local(&store, &ctx, date(2026, 1, 1), date(2026, 3, 4), by, now).unwrap();
        for lang in Lang::ALL {
            let text = rendered(&r, lang);
            for line in text.lines() {
                assert!(
                    line.width() <= 80,
                    "{lang} {by:?}: {} columns: {line}",
                    line.width()
                );
            }
        }
    }
}

#[test]
fn table_snapshots_in_three_languages() {
    let (_dir, store, ctx, now) = demo_point();
    let r = app::report::local(
        &store,
        &ctx,
        date(2026, 1, 1),
        date(2026, 3, 4),
        Some(GroupBy::Category),
        now,
    )
    .unwrap();
    for lang in Lang::ALL {
        insta::assert_snapshot!(format!("report_table_{lang}"), rendered(&r, lang));
    }
}

#[test]
fn csv_parses_back_with_the_same_numbers() {
    let (_dir, store, ctx, now) = demo_point();
    let r = app::report::local(
        &store,
        &ctx,
        date(2026, 1, 1),
        date(2026, 3, 4),
        Some(GroupBy::Kind),
        now,
    )
    .unwrap();
    let mut buf = Vec::new();
    export::write_csv(
        &mut buf,
        &[],
        &export::sheets(&r, Lang::Ru),
        export::CsvDialect::plain(true),
    )
    .unwrap();
    assert!(buf.starts_with("\u{feff}".as_bytes()));
    let mut reader = csv::Reader::from_reader(&buf[3..]);
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "Вид");
    assert_eq!(&headers[1], "Поступило обращений");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), r.groups.len());
    let received: u64 = rows.iter().map(|row| row[1].parse::<u64>().unwrap()).sum();
    assert_eq!(received, r.appeals.received);
    let complaint = rows
        .iter()
        .find(|row| &row[0] == "Жалоба")
        .expect("complaints row");
    let (_, figures) = r.groups.iter().find(|(k, _)| k == "complaint").unwrap();
    assert_eq!(
        complaint[2].parse::<u64>().unwrap(),
        figures.resolved_positive.count
    );
    assert_eq!(
        complaint[3].parse::<f64>().unwrap(),
        figures.resolved_positive.percent
    );
}

/// A Russian-locale spreadsheet: `;` between fields, `,` in decimals, the
/// byte order mark; without `--by` the titles and the section headings
/// stay, as in the XLSX.
#[test]
fn csv_for_a_russian_locale_spreadsheet_keeps_the_titles_and_headings() {
    let (_dir, store, ctx, now) = demo_point();
    let r =
        app::report::local(&store, &ctx, date(2026, 1, 1), date(2026, 3, 4), None, now).unwrap();
    let titles = export::titles(&r, Lang::Ru, "Тест", date(2026, 3, 4));
    let mut buf = Vec::new();
    export::write_csv(
        &mut buf,
        &titles,
        &export::sheets(&r, Lang::Ru),
        export::CsvDialect::excel_ru(),
    )
    .unwrap();
    assert!(buf.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8(buf[3..].to_vec()).unwrap();
    // the period as the titles say it, first
    for t in &titles {
        assert!(text.contains(t.as_str()), "{t}:\n{text}");
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // a section heading is a row of one cell
    assert!(
        rows.iter()
            .any(|r| r.len() == 1 && !r[0].is_empty() && !titles.contains(&r[0].to_string()))
    );
    // a percentage with a decimal comma, and no decimal point anywhere in
    // a figure
    let figures: Vec<&str> = rows
        .iter()
        .filter(|r| r.len() > 2)
        .flat_map(|r| r.iter().skip(1))
        .collect();
    assert!(figures.iter().any(|f| f.contains(',')), "{text}");
    assert!(
        !figures
            .iter()
            .any(|f| f.contains('.') && f.parse::<f64>().is_ok()),
        "{text}"
    );
}

#[test]
fn xlsx_reads_back_with_the_same_numbers() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let (dir, store, ctx, now) = demo_point();
    let r = app::report::local(
        &store,
        &ctx,
        date(2026, 1, 1),
        date(2026, 3, 4),
        Some(GroupBy::Channel),
        now,
    )
    .unwrap();
    let path = dir.path().join("report.xlsx");
    let titles = export::titles(&r, Lang::Kk, "Көкшетау", date(2026, 3, 4));
    export::write_xlsx(&path, &titles, &export::sheets(&r, Lang::Kk)).unwrap();
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let names = book.sheet_names().to_vec();
    assert_eq!(names.len(), 2);
    let summary = book.worksheet_range(&names[0]).unwrap();
    let find = |label: &str| {
        summary
            .rows()
            .find(|row| matches!(&row[0], Data::String(s) if s == label))
            .unwrap_or_else(|| panic!("no row {label}"))
            .to_vec()
    };
    assert_eq!(
        find("Түскен өтініштер")[1],
        Data::Float(r.appeals.received as f64)
    );
    let positive = find("Оң шешілді");
    assert_eq!(
        positive[1],
        Data::Float(r.appeals.resolved_positive.count as f64)
    );
    // stored as a fraction, formatted as a percentage
    let Data::Float(fraction) = positive[2] else {
        panic!("{:?}", positive[2])
    };
    assert!((fraction * 100.0 - r.appeals.resolved_positive.percent).abs() < 1e-9);
    let groups = book.worksheet_range(&names[1]).unwrap();
    let received: f64 = groups
        .rows()
        .filter_map(|row| match row.get(1) {
            Some(Data::Float(n)) => Some(*n),
            _ => None,
        })
        .sum();
    assert_eq!(received, r.appeals.received as f64);
}
