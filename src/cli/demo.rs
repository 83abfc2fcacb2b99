//! `qabyldau demo`: a demo point to try the screens on.

use super::Point;
use crate::app::demo::{self, DemoOptions};
use chrono::Utc;
use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Working days of history before today.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=400))]
    days: u32,
    /// Seed of the random choices: the same seed gives the same demo.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(mut point: Point, args: DemoArgs) -> anyhow::Result<ExitCode> {
    let options = DemoOptions {
        days: args.days,
        seed: args.seed,
    };
    let s = demo::fill(&mut point.store, &point.ctx, options, Utc::now())?;
    println!(
        "Demo point {}: {} tickets, {} appeals, {} reception sessions, {} events.",
        point.ctx.point_id(),
        s.tickets,
        s.appeals,
        s.sessions,
        s.events
    );
    println!("Staff (login / PIN):");
    for (login, name, role, pin) in demo::STAFF {
        println!("  {login:<8} {pin}  {:<10} {name}", role.as_str());
    }
    Ok(ExitCode::SUCCESS)
}
