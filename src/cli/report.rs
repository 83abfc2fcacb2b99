//! `qabyldau report`: the published figures for a period.

use super::open_point;
use crate::app;
use crate::app::report::ListedAppeal;
use crate::config::{Config, Paths};
use crate::domain::Lang;
use crate::domain::report::GroupBy;
use crate::domain::report::Report;
use crate::protocol::ReportQuery;
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
pub enum CsvDialectArg {
    Plain,
    ExcelRu,
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
    /// First day (2026-01-31 or 31.01.2026, the point's local date); the first of this month by default.
    #[arg(long, value_parser = super::date_arg::parse)]
    from: Option<NaiveDate>,
    /// Last day, included (2026-01-31 or 31.01.2026); today by default.
    #[arg(long, value_parser = super::date_arg::parse)]
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
    /// The CSV's dialect: `plain` (`,` between fields, `.` in decimals) or
    /// `excel-ru` (`;` and `,`, with the byte order mark), which a
    /// Russian- or Kazakh-locale spreadsheet opens as columns.
    #[arg(long, value_enum, default_value = "plain")]
    csv_dialect: CsvDialectArg,
    /// Add the list of the period's appeals (CSV, XLSX and JSON; too wide
    /// for the table): number, dates, topic, outcome, no personal data.
    #[arg(long)]
    list: bool,
    /// Add who brought each appeal and what they wrote to the list. Only a
    /// supervisor or an administrator may: give --login, the PIN is asked.
    /// The export is recorded as an event.
    #[arg(long, requires = "login")]
    with_personal_data: bool,
    /// The supervisor exporting personal data.
    #[arg(long)]
    login: Option<String>,
    /// Ask the regional server instead of this point's database (the
    /// config's [server] url by default when --token is given).
    #[arg(long, value_name = "URL")]
    server: Option<String>,
    /// A supervisor's (or this point's) token for the server; the config's
    /// [server] token by default.
    #[arg(long, env = "QABYLDAU_TOKEN", hide_env_values = true)]
    token: Option<String>,
}

pub fn run(paths: &Paths, args: ReportArgs) -> anyhow::Result<ExitCode> {
    if args.server.is_some() {
        if args.list || args.with_personal_data {
            bail!(
                "the list of appeals comes from the point's own database: the regional server keeps no personal data"
            );
        }
        return remote(paths, args);
    }
    // only an export of personal data writes (its event); a report reads,
    // and may read a database on a read-only file
    let mut point = if args.with_personal_data {
        open_point(paths)?
    } else {
        super::open_point_read(paths)?
    };
    let ctx = &point.ctx;
    let now = Utc::now();
    let today = ctx.service_date(now);
    let (from, to) = period(&args, today);
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
    let report = app::report::local_with_erasures(
        &point.store,
        ctx,
        from,
        to,
        args.by.map(Into::into),
        now,
    )?;
    let lang = args.lang.unwrap_or(ctx.config.kiosk.languages[0]);
    let (name, tz) = (ctx.config.point.name.clone(), ctx.tz());
    let list = if args.list || args.with_personal_data {
        let rows = app::report::appeals_of(&point.store, &point.ctx, from, to)?;
        if args.with_personal_data {
            let login = args.login.as_deref().expect("clap requires --login");
            let pin = super::pin_input::pin("PIN: ")?;
            let format = format!("{:?}", args.format).to_lowercase();
            app::report::record_personal_export(
                &mut point.store,
                login,
                &pin,
                from,
                to,
                &format,
                rows.len() as u64,
                now,
            )?;
        }
        let listed = rows
            .into_iter()
            .map(|r| ListedAppeal::new(r, args.with_personal_data))
            .collect();
        Some((listed, tz))
    } else {
        None
    };
    output(&report, list, lang, &name, today, &args)
}

/// The first of this month to today, unless given.
fn period(args: &ReportArgs, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let from = args
        .from
        .unwrap_or_else(|| today.with_day(1).expect("the first exists"));
    (from, args.to.unwrap_or(today))
}

/// The same report from the regional server, for a point, a region or all
/// that the token may read.
fn remote(paths: &Paths, args: ReportArgs) -> anyhow::Result<ExitCode> {
    let config = Config::load(&paths.config, paths.config_is_default).ok();
    let link = config.as_ref().and_then(|c| c.server.clone());
    let url = args
        .server
        .clone()
        .expect("remote is only called with --server");
    let token = args
        .token
        .clone()
        .or_else(|| link.map(|l| l.token))
        .context("--server needs --token (or a [server] token in the config)")?;
    // the default period ends on today where the asking point is
    let tz = config
        .as_ref()
        .map_or(crate::server::projection::REGION_TZ, |c| c.point.timezone);
    let today = crate::server::projection::local_date_in(Utc::now(), tz);
    let (from, to) = period(&args, today);
    let query = ReportQuery {
        from,
        to,
        region: args.region.clone(),
        point: args.point.clone(),
        by: args.by.map(Into::into),
        wait_limit_minutes: config.as_ref().map(|c| c.queue.wait_limit_minutes),
        wait_limits: config.as_ref().map(|c| {
            crate::domain::queue::WaitLimits {
                minutes: c.queue.wait_limit_minutes,
                by_category: c.queue.wait_limits.clone(),
            }
            .categories_text()
        }),
    };
    let client = crate::sync::api::ApiClient::new(&url, &token, crate::sync::Timeouts::default())?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let report = rt.block_on(client.report(&query))?;
    let lang = args
        .lang
        .or_else(|| config.as_ref().map(|c| c.kiosk.languages[0]))
        .unwrap_or(Lang::Ru);
    let scope = args
        .point
        .clone()
        .or_else(|| args.region.clone())
        .unwrap_or_else(|| url.clone());
    output(
        &report,
        None,
        lang,
        &crate::domain::sanitize_line(&scope),
        today,
        &args,
    )
}

fn output(
    report: &Report,
    list: Option<(Vec<ListedAppeal>, chrono_tz::Tz)>,
    lang: Lang,
    label: &str,
    today: NaiveDate,
    args: &ReportArgs,
) -> anyhow::Result<ExitCode> {
    let titles = export::titles(report, lang, label, today);
    let mut sheets = export::sheets(report, lang);
    if let Some((appeals, tz)) = &list {
        sheets.push(export::list_sheet(appeals, lang, *tz));
    }
    match args.format {
        Format::Xlsx => {
            let out = args
                .out
                .as_ref()
                .context("--format xlsx needs --out FILE")?;
            export::write_xlsx(out, &titles, &sheets)
                .with_context(|| format!("writing {}", out.display()))?;
        }
        Format::Table => emit(&args.out, export::render_table(&titles, &sheets).as_bytes())?,
        Format::Json => {
            let json = match &list {
                Some((appeals, _)) => serde_json::json!({ "report": report, "appeals": appeals }),
                None => serde_json::to_value(report)?,
            };
            emit(
                &args.out,
                (serde_json::to_string_pretty(&json)? + "\n").as_bytes(),
            )?
        }
        Format::Csv => {
            let mut buf = Vec::new();
            let dialect = match args.csv_dialect {
                CsvDialectArg::Plain => export::CsvDialect::plain(args.bom),
                CsvDialectArg::ExcelRu => export::CsvDialect::excel_ru(),
            };
            export::write_csv(&mut buf, &titles, &sheets, dialect)?;
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
