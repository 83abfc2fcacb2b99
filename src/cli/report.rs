//! `qabyldau report`: the published figures for a period.

use super::Point;
use crate::app;
use crate::domain::Lang;
use crate::domain::report::GroupBy;
use crate::ui::export;
use anyhow::{Context as _, bail};
use chrono::{Datelike, NaiveDate, Utc};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Xlsx,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum By {
    Category,
    Channel,
    Kind,
    Point,
    Desk,
    Operator,
    Month,
}

impl From<By> for GroupBy {
    fn from(b: By) -> GroupBy {
        match b {
            By::Category => GroupBy::Category,
            By::Channel => GroupBy::Channel,
            By::Kind => GroupBy::Kind,
            By::Point => GroupBy::Point,
            By::Desk => GroupBy::Desk,
            By::Operator => GroupBy::Operator,
            By::Month => GroupBy::Month,
        }
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// First day (YYYY-MM-DD, the point's local date); the first of this month by default.
    #[arg(long)]
    from: Option<NaiveDate>,
    /// Last day, included; today by default.
    #[arg(long)]
    to: Option<NaiveDate>,
    /// Only this point (a local database holds one point).
    #[arg(long)]
    point: Option<String>,
    /// Only this region.
    #[arg(long)]
    region: Option<String>,
    /// Break the appeal figures down by this.
    #[arg(long, value_enum)]
    by: Option<By>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Write to this file instead of the screen (required for xlsx).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Language of the labels: kk, ru or en (the kiosk's first language by default).
    #[arg(long)]
    lang: Option<Lang>,
    /// Start a CSV with the byte order mark spreadsheet programs want.
    #[arg(long)]
    bom: bool,
}

pub fn run(point: &Point, args: ReportArgs) -> anyhow::Result<ExitCode> {
    let ctx = &point.ctx;
    let now = Utc::now();
    let today = ctx.service_date(now);
    let from = args
        .from
        .unwrap_or_else(|| today.with_day(1).expect("the first exists"));
    let to = args.to.unwrap_or(today);
    if let Some(p) = &args.point
        && p != ctx.point_id().as_str()
    {
        bail!("this database holds point {}, not {p}", ctx.point_id());
    }
    if let Some(r) = &args.region
        && r != &ctx.config.point.region
    {
        bail!(
            "this point is in region {:?}, not {r:?}",
            ctx.config.point.region
        );
    }
    let report = app::report::local(&point.store, ctx, from, to, args.by.map(Into::into), now)?;
    let lang = args.lang.unwrap_or(ctx.config.kiosk.languages[0]);
    let titles = export::titles(&report, lang, &ctx.config.point.name, today);
    let sheets = export::sheets(&report, lang);
    match args.format {
        Format::Xlsx => {
            let out = args.out.context("--format xlsx needs --out FILE")?;
            export::write_xlsx(&out, &titles, &sheets)
                .with_context(|| format!("writing {}", out.display()))?;
        }
        Format::Table => emit(&args.out, export::render_table(&titles, &sheets).as_bytes())?,
        Format::Json => emit(
            &args.out,
            (serde_json::to_string_pretty(&report)? + "\n").as_bytes(),
        )?,
        Format::Csv => {
            let mut buf = Vec::new();
            export::write_csv(&mut buf, &sheets, args.bom)?;
            emit(&args.out, &buf)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn emit(out: &Option<PathBuf>, bytes: &[u8]) -> anyhow::Result<()> {
    match out {
        Some(path) => {
            std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
        }
        None => Ok(std::io::stdout().write_all(bytes)?),
    }
}
