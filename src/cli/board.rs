//! `qabyldau board`: the live queue screen for the hall, and the
//! supervisor's figures after a login.

use super::{Point, forwarding};
use crate::domain::Lang;
use crate::ui::board::{Board, Options};
use crate::ui::runtime;
use crate::ui::worker::Worker;
use chrono::Utc;
use clap::Args;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct BoardArgs {
    /// Open the supervisor's view (after a supervisor's login).
    #[arg(long)]
    supervisor: bool,
    /// One language (kk, ru, en) instead of the configured ones in turn.
    #[arg(long, value_name = "kk|ru|en")]
    lang: Option<Lang>,
    /// No terminal bell on a call.
    #[arg(long)]
    no_bell: bool,
}

pub fn board(point: Point, db: &Path, args: BoardArgs) -> anyhow::Result<ExitCode> {
    let options = Options {
        lang: args.lang,
        supervisor: args.supervisor,
        bell: point.ctx.config.board.bell && !args.no_bell,
    };
    let config = point.ctx.config.clone();
    let screen = Board::new(point.ctx, options, Box::new(Utc::now));
    let worker = Worker::start(point.store);
    let rt = forwarding::runtime(&config)?;
    rt.block_on(async {
        let _forwarder = forwarding::start(db, &config);
        runtime::run(screen, worker, runtime::Options { mouse: false }).await
    })?;
    Ok(ExitCode::SUCCESS)
}
