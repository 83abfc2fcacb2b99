//! `qabyldau kiosk` (the self-service screen), `qabyldau kiosk
//! set-exit-pin`, and `qabyldau ticket` (the same ticket from a script).

use super::{Point, forwarding, open_point};
use crate::app::kiosk as usecase;
use crate::config::Paths;
use crate::domain::{CategoryId, Lang, Priority};
use crate::ui::kiosk::{Clock, Kiosk, KioskOptions};
use crate::ui::runtime::{self, Options};
use crate::ui::worker::Worker;
use anyhow::{Context as _, bail};
use chrono::Utc;
use clap::{Args, Subcommand};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct KioskArgs {
    /// Development: Ctrl-Q or F12 leaves the kiosk without a PIN.
    #[arg(long)]
    allow_exit: bool,
    #[command(subcommand)]
    action: Option<KioskAction>,
}

#[derive(Debug, Subcommand)]
enum KioskAction {
    /// Set the PIN that lets staff leave the kiosk (F12 or Ctrl-Q, then
    /// the PIN). Read from the terminal, or from stdin when piped. Only its
    /// argon2 hash is kept, in the database's local settings.
    SetExitPin,
}

pub fn kiosk(paths: &Paths, args: KioskArgs) -> anyhow::Result<ExitCode> {
    match args.action {
        Some(KioskAction::SetExitPin) => set_exit_pin(&mut open_point(paths)?),
        None => run_kiosk(open_point(paths)?, &paths.db, args.allow_exit),
    }
}

fn run_kiosk(point: Point, db: &Path, allow_exit: bool) -> anyhow::Result<ExitCode> {
    let Point { ctx, store } = point;
    let config = ctx.config.clone();
    let exit_pin_set = usecase::exit_pin_is_set(&store)?;
    let campaign = ctx.campaign_mode(&store)?;
    if !exit_pin_set && !allow_exit {
        // said before the screen takes over (and in the log): the staff
        // should know that only closing the terminal ends this kiosk
        eprintln!(
            "qabyldau: no exit PIN is set: this kiosk cannot be left from the keyboard. \
             Set one with `qabyldau kiosk set-exit-pin`."
        );
        tracing::warn!("kiosk started without an exit PIN and without --allow-exit");
    }
    let kiosk = Kiosk::new(
        Arc::new(ctx),
        Clock::system(),
        KioskOptions {
            allow_exit,
            exit_pin_set,
            campaign,
        },
    );
    let worker = Worker::start(store);
    let rt = forwarding::runtime(&config).context("cannot start the runtime")?;
    rt.block_on(async {
        let forwarder = forwarding::start(db, &config);
        let result = runtime::run(kiosk, worker, Options { mouse: true }).await;
        forwarder.stop().await;
        result
    })?;
    Ok(ExitCode::SUCCESS)
}

fn set_exit_pin(point: &mut Point) -> anyhow::Result<ExitCode> {
    let pin = super::pin_input::new_pin("New exit PIN")?;
    usecase::set_exit_pin(&mut point.store, pin.trim(), Utc::now())?;
    println!("Exit PIN set. To leave the kiosk: F12 (or Ctrl-Q), then the PIN.");
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct TicketArgs {
    /// Category id (housing, utilities, labour, social, health, education,
    /// roads, land, legal, programme, other).
    #[arg(long)]
    category: String,
    /// ordinary, disability, veteran, pregnancy or elderly.
    #[arg(long, default_value = "ordinary")]
    priority: String,
    #[arg(long, default_value = "ru")]
    lang: String,
    /// Take this many tickets, one transaction each.
    #[arg(long, default_value_t = 1)]
    count: u32,
    /// One JSON object per ticket, one per line.
    #[arg(long)]
    json: bool,
}

/// Takes tickets through the same use case as the kiosk screen.
pub fn ticket(point: &mut Point, args: TicketArgs) -> anyhow::Result<ExitCode> {
    let category = CategoryId::new(args.category.trim());
    if point.ctx.catalogue.get(&category).is_none() {
        let known: Vec<&str> = point
            .ctx
            .catalogue
            .all()
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        bail!(
            "unknown category {:?}; known: {}",
            args.category,
            known.join(", ")
        );
    }
    let priority: Priority = args.priority.parse().map_err(anyhow::Error::msg)?;
    let lang: Lang = args.lang.parse()?;
    let mut clock = ScriptClock::from_env()?;
    for _ in 0..args.count {
        let t = usecase::take_ticket(
            &mut point.store,
            &point.ctx,
            &category,
            priority,
            lang,
            clock.now(),
        )?;
        if args.json {
            println!(
                "{}",
                serde_json::json!({
                    "id": t.id,
                    "number": t.number,
                    "service_date": t.service_date,
                    "seq": t.seq,
                    "ahead": t.place.ahead,
                    "estimated_wait_minutes": t.place.estimated_wait_minutes,
                })
            );
        } else {
            println!(
                "{}  seq {}  ahead {}  ~{} min",
                t.number, t.seq, t.place.ahead, t.place.estimated_wait_minutes
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct AppealArgs {
    /// Category id, as for `ticket`.
    #[arg(long)]
    category: String,
    /// complaint, request, proposal, consultation or gratitude.
    #[arg(long, default_value = "request")]
    kind: String,
    /// The appeal's text (sanitised and bounded as at the kiosk).
    #[arg(long)]
    text: String,
    #[arg(long, default_value = "ru")]
    lang: String,
    /// Leave this many appeals, one transaction each.
    #[arg(long, default_value_t = 1)]
    count: u32,
    /// One JSON object per appeal, one per line, printed after its commit.
    #[arg(long)]
    json: bool,
}

/// Leaves anonymous written appeals through the kiosk's use case; each
/// line is printed only after its transaction is durable, so a line on
/// stdout is a confirmed appeal (the crash tests rely on it).
pub fn appeal(point: &mut Point, args: AppealArgs) -> anyhow::Result<ExitCode> {
    let category = CategoryId::new(args.category.trim());
    let kind: crate::domain::AppealKind = args.kind.parse().map_err(anyhow::Error::msg)?;
    let text = crate::domain::AppealText::parse(&args.text)
        .map_err(|e| anyhow::anyhow!("the text: {e}"))?;
    let lang: Lang = args.lang.parse()?;
    let mut out = std::io::stdout().lock();
    let mut clock = ScriptClock::from_env()?;
    for _ in 0..args.count {
        let r = usecase::leave_written_appeal(
            &mut point.store,
            &point.ctx,
            usecase::WrittenAppeal {
                kind,
                category: category.clone(),
                author: usecase::Author::Anonymous,
                text: text.clone(),
                lang,
            },
            clock.now(),
        )?;
        let line = if args.json {
            serde_json::json!({"id": r.id, "number": r.number.to_string(), "seq": r.seq})
                .to_string()
        } else {
            format!("{}  seq {}", r.number, r.seq)
        };
        // flushed line by line: what is printed is what was confirmed
        use std::io::Write;
        writeln!(out, "{line}")?;
        out.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The time of the scripting writers (`ticket`, `appeal`): the system's,
/// or with the test hook `QABYLDAU_TEST_CLOCK=<RFC 3339 time>` that time
/// for the first record and one second later for each next one, so a test
/// can run them across a local midnight, or a new year, at any hour
/// (docs/RELIABILITY.md). Nothing sets it in use.
enum ScriptClock {
    System,
    Stepping(chrono::DateTime<Utc>),
}

impl ScriptClock {
    fn from_env() -> anyhow::Result<ScriptClock> {
        match std::env::var("QABYLDAU_TEST_CLOCK") {
            Ok(text) => {
                let start = chrono::DateTime::parse_from_rfc3339(text.trim())
                    .with_context(|| format!("QABYLDAU_TEST_CLOCK={text:?}"))?;
                Ok(ScriptClock::Stepping(start.with_timezone(&Utc)))
            }
            Err(_) => Ok(ScriptClock::System),
        }
    }

    fn now(&mut self) -> chrono::DateTime<Utc> {
        match self {
            ScriptClock::System => Utc::now(),
            ScriptClock::Stepping(t) => {
                let now = *t;
                *t += chrono::Duration::seconds(1);
                now
            }
        }
    }
}
