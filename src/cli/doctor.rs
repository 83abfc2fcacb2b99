//! `qabyldau doctor` and `qabyldau config init`: an admin's first two
//! commands on a new machine. The checks are `app::doctor`'s; the server's
//! is asked here, where the network is.

use crate::app::doctor::{self, Check, Finding, Verdict};
use crate::config::{Config, Paths};
use crate::domain::text::sanitize_line;
use crate::store::Store;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub command: ConfigCommand,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Write the commented default config at PATH (default: where
    /// qabyldau looks for it), for an administrator to fill in. An
    /// existing file is never replaced.
    Init { path: Option<PathBuf> },
}

pub fn config(paths: &Paths, args: ConfigArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        ConfigCommand::Init { path } => {
            let path = path.unwrap_or_else(|| paths.config.clone());
            if path.exists() {
                eprintln!(
                    "qabyldau config init: {} exists; nothing was written (move it away to start again)",
                    path.display()
                );
                return Ok(ExitCode::from(2));
            }
            crate::config::init(&path)?;
            println!(
                "wrote {}: set [point] id, name, kind and region (and [server] to forward to the region), then `qabyldau --config {} doctor`",
                path.display(),
                path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub fn run(paths: &Paths, args: DoctorArgs) -> anyhow::Result<ExitCode> {
    let findings = findings(paths);
    let problems = findings
        .iter()
        .filter(|f| f.verdict == Verdict::Problem)
        .count();
    let warnings = findings
        .iter()
        .filter(|f| f.verdict == Verdict::Warning)
        .count();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&findings)?);
    } else {
        for f in &findings {
            let mark = match f.verdict {
                Verdict::Ok => "ok",
                Verdict::Warning => "WARNING",
                Verdict::Problem => "PROBLEM",
            };
            println!(
                "{mark:<8} {:<10} {}",
                f.check.name(),
                sanitize_line(&f.detail)
            );
        }
        println!(
            "{}",
            match (problems, warnings) {
                (0, 0) => "no problems found".to_string(),
                (0, w) => format!("no problems; {w} warning(s)"),
                (p, w) => format!("{p} problem(s), {w} warning(s)"),
            }
        );
    }
    Ok(if problems == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn findings(paths: &Paths) -> Vec<Finding> {
    let mut out = Vec::new();
    let db_folder = paths
        .db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    // never writes: a missing default config is a finding, not made here
    let config = match Config::load(&paths.config, false) {
        Ok(c) => {
            out.push(Finding::ok(
                Check::Config,
                format!("{}: point {}", paths.config.display(), c.point.id),
            ));
            Some(c)
        }
        Err(e) => {
            out.push(Finding::problem(Check::Config, format!("{e}")));
            None
        }
    };
    let database = config
        .as_ref()
        .map(|c| doctor::database(&paths.db, &c.point.id));
    out.extend(database.clone());
    out.push(doctor::disk(&db_folder));
    out.push(doctor::log_folder(&paths.log_dir));
    let Some(config) = config else { return out };
    if database.is_some_and(|d| d.verdict == Verdict::Ok) {
        match Store::open_read_only(&paths.db, &config.point.id) {
            Ok(store) => out.push(doctor::sync(&store, config.server.is_some())),
            Err(e) => out.push(Finding::problem(Check::Sync, e.to_string())),
        }
    }
    if let Some(link) = &config.server {
        out.extend(server(&link.url, &link.token));
    }
    if let Some(printer) = &config.printer {
        out.push(doctor::printer(printer));
    }
    out
}

/// The server answers with this point's token, and its clock.
fn server(url: &str, token: &str) -> Vec<Finding> {
    let said = sanitize_line(url);
    let asked = || -> anyhow::Result<_> {
        let timeouts = crate::sync::Timeouts {
            connect: Duration::from_secs(5),
            read: Duration::from_secs(10),
            total: Duration::from_secs(15),
        };
        let client = crate::sync::api::ApiClient::new(url, token, timeouts)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(runtime.block_on(client.cursor_and_clock())?)
    };
    match asked() {
        Ok((cursor, skew)) => {
            let mut out = vec![if cursor.flagged {
                Finding::problem(
                    Check::Server,
                    format!(
                        "{said} answers, and has flagged this point: it sent a changed event (the regional office looks, then `server point clear-flag`)"
                    ),
                )
            } else {
                Finding::ok(
                    Check::Server,
                    format!(
                        "{said} answers; it holds this point's events up to {}",
                        cursor.acked_through
                    ),
                )
            }];
            out.push(match skew {
                Some(skew) => doctor::clock(skew),
                None => Finding::warning(
                    Check::Clock,
                    "the server sent no time: the clock was not compared",
                ),
            });
            out
        }
        Err(e) => vec![Finding::problem(
            Check::Server,
            format!("{said}: {}", sanitize_line(&format!("{e:#}"))),
        )],
    }
}
