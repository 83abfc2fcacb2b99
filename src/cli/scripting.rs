//! Commands for administrators and tests: the point's data as JSON or text.

use super::Point;
use crate::store::{appeals, events, tickets};
use chrono::Utc;
use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct QueueArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// The service day (2026-01-31 or 31.01.2026); today by default.
    #[arg(long, value_parser = super::date_arg::parse)]
    date: Option<chrono::NaiveDate>,
}

#[derive(Debug, Args)]
pub struct AppealsArgs {
    #[arg(long)]
    json: bool,
    /// Only appeals matching this search text.
    #[arg(long)]
    search: Option<String>,
    /// At most this many, newest first.
    #[arg(long, default_value_t = 1000)]
    limit: usize,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    #[arg(long)]
    json: bool,
    /// Only events after this seq.
    #[arg(long, default_value_t = 0)]
    after: u64,
    #[arg(long, default_value_t = 10_000)]
    limit: usize,
}

pub fn queue(point: &Point, args: QueueArgs) -> anyhow::Result<ExitCode> {
    let day = args
        .date
        .unwrap_or_else(|| point.ctx.service_date(Utc::now()));
    let rows = tickets::of_day(point.store.conn(), day)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        for t in rows {
            println!(
                "{:<8} {:<10} {:<10} {:<9} {}",
                t.number.to_string(),
                t.category.as_str(),
                t.priority.as_str(),
                t.state.as_str(),
                t.desk.map(|d| d.to_string()).unwrap_or_default()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn appeals(point: &Point, args: AppealsArgs) -> anyhow::Result<ExitCode> {
    let conn = point.store.conn();
    let rows = match &args.search {
        Some(q) => appeals::search(conn, q, args.limit)?,
        None => appeals::latest(conn, args.limit)?,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        for a in rows {
            let first_line = a.text.lines().next().unwrap_or_default();
            println!(
                "{}  {:<12} {:<20} {:<24} {}",
                a.number,
                a.category.as_str(),
                a.outcome.as_str(),
                a.citizen_name.as_deref().unwrap_or("—"),
                first_line.chars().take(60).collect::<String>()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn events(point: &Point, args: EventsArgs) -> anyhow::Result<ExitCode> {
    let rows = events::after(point.store.conn(), args.after, args.limit)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        for e in rows {
            println!(
                "{:>8} {} {:<16} {:<24} {}",
                e.seq,
                crate::domain::time::fmt_time(e.at),
                e.actor,
                e.kind,
                e.payload
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
