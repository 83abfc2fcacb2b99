//! The report screen: how long the report of each period takes to compute
//! (the `Jobs::run` job behind the desk's F8 and the board's R) and how
//! long one frame of it takes to draw.
//!
//! `cargo bench --bench report_view -- [DAYS]` (default 250 working days):
//! fills a demo point with that much history (`app::demo`), then times
//! `app::report::for_screen` for today, this week, this month and the whole
//! history, and `ReportView` drawn into a 80×24 and a 160×48 buffer.
//! Prints the numbers; nothing is asserted.

use chrono::{TimeZone, Utc};
use qabyldau::app::demo::{self, DemoOptions};
use qabyldau::app::{self, Context};
use qabyldau::config::{Config, DEFAULT_CONFIG};
use qabyldau::domain::Lang;
use qabyldau::domain::report::PeriodChoice;
use qabyldau::store::Store;
use qabyldau::ui::report_view::ReportView;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use std::path::Path;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let days: u32 = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .and_then(|a| a.parse().ok())
        .unwrap_or(250);
    let dir = tempfile::tempdir().unwrap();
    let config = Config::parse(DEFAULT_CONFIG, Path::new("c.toml")).unwrap();
    let mut store = Store::open(&dir.path().join("p.db"), &config.point.id).unwrap();
    let ctx = Context::new(config);
    // Wednesday 18 March 2026, 11:00 in Almaty
    let now = Utc.with_ymd_and_hms(2026, 3, 18, 6, 0, 0).unwrap();
    let t0 = Instant::now();
    demo::fill(&mut store, &ctx, DemoOptions { days, seed: 7 }, now).unwrap();
    let appeals: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM appeals", [], |r| r.get(0))
        .unwrap();
    println!(
        "demo point: {days} working days, {appeals} appeals, filled in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    let today = ctx.service_date(now);
    let first = store
        .conn()
        .query_row("SELECT MIN(received_at) FROM appeals", [], |r| {
            r.get::<_, String>(0)
        })
        .unwrap();
    let first = chrono::DateTime::parse_from_rfc3339(&first)
        .unwrap()
        .with_timezone(&ctx.tz())
        .date_naive();
    let periods = [
        ("today", PeriodChoice::Today),
        ("this week", PeriodChoice::ThisWeek),
        ("this month", PeriodChoice::ThisMonth),
        (
            "whole history",
            PeriodChoice::Dates {
                from: first,
                to: today,
            },
        ),
    ];
    let mut whole = None;
    for (label, choice) in periods {
        let (from, to) = choice.dates(today);
        let mut times = Vec::new();
        let mut received = 0;
        for _ in 0..7 {
            let t = Instant::now();
            let r = app::report::for_screen(&store, &ctx, from, to, now).unwrap();
            times.push(t.elapsed());
            received = r.report.appeals.received;
            whole = Some(r);
        }
        println!(
            "for_screen {label:>13} ({from} – {to}, {received:>6} appeals): median {:>8.2} ms",
            median(times).as_secs_f64() * 1000.0
        );
    }
    let data = whole.unwrap();
    for (w, h) in [(80u16, 24u16), (160, 48)] {
        let area = Rect::new(0, 0, w, h);
        let mut times = Vec::new();
        for _ in 0..200 {
            let mut buf = Buffer::empty(area);
            let t = Instant::now();
            ReportView {
                data: &data,
                lang: Lang::Kk,
                catalogue: ctx.catalogue,
                theme: qabyldau::ui::kit::Theme::for_context(&ctx),
            }
            .render(area, &mut buf);
            times.push(t.elapsed());
        }
        println!(
            "ReportView {w}x{h} (whole history): median {:>8.1} µs per frame",
            median(times).as_secs_f64() * 1e6
        );
    }
}
