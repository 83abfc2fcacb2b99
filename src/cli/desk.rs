//! `qabyldau desk`: the operator console; `qabyldau call-next`: the same
//! "call next" for scripts and tests.

use super::{Point, forwarding};
use crate::app::AppError;
use crate::app::desk::tickets::{Move, call_next, move_current};
use crate::app::desk::{DeskError, Operator};
use crate::domain::Lang;
use crate::domain::event::DeskNo;
use crate::ui::desk::{Clock, DeskScreen};
use crate::ui::runtime::{self, Options};
use crate::ui::worker::Worker;
use anyhow::bail;
use chrono::Utc;
use clap::Args;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct DeskArgs {
    /// The desk's number, as in the config's [[desk]] entries.
    #[arg(long, default_value_t = 1)]
    desk: DeskNo,
    /// The language the console starts in (F7 switches).
    #[arg(long, default_value = "ru")]
    lang: Lang,
}

pub fn desk(point: Point, db: &Path, args: DeskArgs) -> anyhow::Result<ExitCode> {
    if point.ctx.config.desk(args.desk).is_none() {
        let known: Vec<String> = point
            .ctx
            .config
            .desks
            .iter()
            .map(|d| d.number.to_string())
            .collect();
        bail!(
            "desk {} is not in the config; its desks are: {}",
            args.desk,
            known.join(", ")
        );
    }
    let config = point.ctx.config.clone();
    let printer = crate::app::print::printer_of(point.ctx.config.printer.as_ref())?;
    let mut screen = DeskScreen::new(point.ctx, args.desk, args.lang, Clock::system());
    // reprints: the print thread's reports reach the screen through its feed
    let (feed_tx, feed) = tokio::sync::mpsc::unbounded_channel();
    if let Some(printer) = printer {
        let spooler = crate::print::Spooler::start(printer, move |report| {
            let _ = feed_tx.send(crate::ui::desk::Msg::Printed(report));
        });
        screen = screen.with_printer(spooler);
    }
    let worker = Worker::start(point.store);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    rt.block_on(async {
        let forwarder = forwarding::start(db, &config);
        let result = runtime::run_fed(screen, worker, Options { mouse: false }, Some(feed)).await;
        forwarder.stop().await;
        result
    })?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct CallNextArgs {
    #[arg(long, default_value_t = 1)]
    desk: DeskNo,
    /// The staff login acting (an enabled one); it is the events' actor.
    #[arg(long)]
    login: String,
    /// Call this many tickets, one after another, stopping when the line
    /// is empty. Each called ticket is marked a no-show before the next
    /// call, as a desk must close its ticket before calling again.
    #[arg(long, default_value_t = 1)]
    count: u32,
    #[arg(long)]
    json: bool,
}

/// Exit code when nobody is waiting.
const EMPTY: u8 = 3;

pub fn call_next_cmd(mut point: Point, args: CallNextArgs) -> anyhow::Result<ExitCode> {
    let op = Operator::load(&point.store, &args.login)?;
    let mut called = Vec::new();
    for i in 0..args.count {
        match call_next(&mut point.store, &point.ctx, &op, args.desk, Utc::now()) {
            Ok(t) => {
                if i + 1 < args.count {
                    move_current(
                        &mut point.store,
                        &point.ctx,
                        &op,
                        args.desk,
                        Move::NoShow,
                        Utc::now(),
                    )?;
                }
                called.push(t);
            }
            Err(AppError::Desk(DeskError::QueueEmpty)) => break,
            Err(e) => return Err(e.into()),
        }
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&called)?);
    } else {
        for t in &called {
            println!("{} {}", t.number, t.id);
        }
    }
    Ok(if called.is_empty() {
        ExitCode::from(EMPTY)
    } else {
        ExitCode::SUCCESS
    })
}
