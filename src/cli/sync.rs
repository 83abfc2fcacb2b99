//! `qabyldau sync`: forward the point's events now (`--watch`: keep going),
//! or show the sync state (`--status`).

use super::Point;
use crate::domain::text::sanitize_line;
use crate::store::sync_state;
use crate::sync::{Forwarder, SyncConfig, SyncError};
use anyhow::Context as _;
use chrono::Utc;
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The regional server's address (default: the config's [server] url).
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,
    /// The point's token (default: the config's [server] token).
    #[arg(long, env = "QABYLDAU_SYNC_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Keep forwarding until stopped (Ctrl-C).
    #[arg(long, conflicts_with = "status")]
    pub watch: bool,
    /// Show the sync state instead of forwarding.
    #[arg(long)]
    pub status: bool,
    /// With --status: print JSON.
    #[arg(long, requires = "status")]
    pub json: bool,
    /// Seconds the forwarding lease lasts without renewal (tests shorten it).
    #[arg(long, default_value_t = 30, hide = true)]
    pub lease_secs: u64,
    /// Clear the alarm after a person has looked at it.
    #[arg(long, conflicts_with_all = ["watch", "status"])]
    pub clear_alarm: bool,
    /// Write the events the server has not acknowledged into FILE (for a
    /// USB stick, when there is no network): `server import FILE` at the
    /// region takes them.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["watch", "status", "clear_alarm", "import"])]
    pub export: Option<PathBuf>,
    /// With --export: every event of the point, not only those pending.
    #[arg(long, requires = "export")]
    pub all: bool,
    /// Apply the region's decisions from FILE (written by `server
    /// export-for`): each once, those applied before skipped.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["watch", "status", "clear_alarm"])]
    pub import: Option<PathBuf>,
}

pub fn run(point: Point, db: &Path, args: SyncArgs) -> anyhow::Result<ExitCode> {
    if args.status {
        return status(&point, args.json);
    }
    if args.clear_alarm {
        sync_state::set_alarm(point.store.conn(), None, Utc::now())?;
        println!("Sync alarm cleared.");
        return Ok(ExitCode::SUCCESS);
    }
    let link = point.ctx.config.server.clone();
    if args.export.is_some() || args.import.is_some() {
        let token = args
            .token
            .clone()
            .or_else(|| link.as_ref().map(|l| l.token.clone()))
            .context(
                "no token: a field file is sealed with the point's token; give --token or set [server] token in the config",
            )?;
        return match (&args.export, &args.import) {
            (Some(file), _) => super::field_file::export(&point, &token, file, args.all),
            (_, Some(file)) => super::field_file::import(point, &token, file),
            _ => unreachable!("one of them is given"),
        };
    }
    let server = args
        .server
        .or_else(|| link.as_ref().map(|l| l.url.clone()))
        .context("no server: give --server URL or set [server] url in the config")?;
    let token = args
        .token
        .or_else(|| link.as_ref().map(|l| l.token.clone()))
        .context("no token: give --token or set [server] token in the config")?;
    let point_id = point.ctx.point_id().clone();
    let timezone = point.ctx.tz();
    drop(point);
    let mut cfg = SyncConfig::new(server, token, timezone);
    cfg.lease_ttl = std::time::Duration::from_secs(args.lease_secs.max(1));
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let mut forwarder = Forwarder::open(db, &point_id, cfg).await?;
        if args.watch {
            println!("qabyldau sync: forwarding point {point_id}; Ctrl-C stops");
            forwarder.watch(stop_signal()).await;
            return Ok(ExitCode::SUCCESS);
        }
        match forwarder.run_once().await {
            Ok(round) => {
                println!(
                    "sent {} events ({} already held) in {} batches; the server holds events up to {}; {} pending",
                    round.stored, round.duplicates, round.batches, round.acked_through, round.pending
                );
                println!("{}", super::region_applied(&round.region));
                Ok(ExitCode::SUCCESS)
            }
            Err(SyncError::LeaseHeld) => {
                eprintln!(
                    "qabyldau sync: another forwarder (a kiosk, desk or board with a server configured, or another sync) is sending this point's events now"
                );
                Ok(ExitCode::from(3))
            }
            Err(e) => {
                eprintln!("qabyldau sync: {}", sanitize_line(&e.to_string()));
                Ok(ExitCode::from(2))
            }
        }
    })
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn status(point: &Point, json: bool) -> anyhow::Result<ExitCode> {
    let st = sync_state::get(point.store.conn())?;
    if json {
        println!("{}", serde_json::to_string_pretty(&st)?);
        return Ok(ExitCode::SUCCESS);
    }
    let t = |t: Option<chrono::DateTime<Utc>>| {
        t.map(|t| {
            t.with_timezone(&point.ctx.tz())
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|| "never".into())
    };
    let configured = point.ctx.config.server.as_ref().map(|l| l.url.as_str());
    println!(
        "server:        {}",
        sanitize_line(
            st.server_url
                .as_deref()
                .or(configured)
                .unwrap_or("none configured")
        )
    );
    println!(
        "acknowledged:  {} of {} events ({} pending)",
        st.acked_seq, st.last_seq, st.pending
    );
    println!(
        "from region:   decisions applied through {}",
        st.region_applied
    );
    println!("last attempt:  {}", t(st.last_attempt_at));
    println!("last success:  {}", t(st.last_success_at));
    match &st.last_error {
        // a later round healed it (a 403 fixed by the right token): what
        // is so now is that nothing is wrong
        Some(_) if st.is_healthy() => println!("last error:    none since the last success"),
        Some(e) => println!(
            "last error:    {} ({})",
            sanitize_line(e),
            t(st.last_error_at)
        ),
        None => println!("last error:    none"),
    }
    if let Some(a) = &st.alarm {
        println!(
            "ALARM:         {} ({})",
            sanitize_line(&a.to_string()),
            t(st.alarm_at)
        );
    }
    if st.rewinds > 0 {
        println!(
            "rewinds:       {} (the server held less than it had acknowledged)",
            st.rewinds
        );
    }
    println!(
        "forwarder:     {}",
        if st.forwarder_active {
            "running"
        } else {
            "not running"
        }
    );
    Ok(ExitCode::SUCCESS)
}
