//! `qabyldau kiosk` (the self-service screen), `qabyldau kiosk
//! set-exit-pin`, and `qabyldau ticket` (the same ticket from a script).

use super::{Point, forwarding, open_point};
use crate::app::kiosk as usecase;
use crate::config::Paths;
use crate::domain::{Actor, CategoryId, Lang, Priority};
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
    // a bad logo or printer address is said now, not on a citizen's ticket
    let printer = crate::app::print::printer_of(config.printer.as_ref())?;
    let mut kiosk = Kiosk::new(
        Arc::new(ctx),
        Clock::system(),
        KioskOptions {
            allow_exit,
            exit_pin_set,
            campaign,
        },
    );
    // the print thread's reports reach the screen as messages of its feed
    let (feed_tx, feed) = tokio::sync::mpsc::unbounded_channel();
    if let Some(printer) = printer {
        let spooler = crate::print::Spooler::start(printer, move |report| {
            let _ = feed_tx.send(crate::ui::kiosk::Msg::Printed(report));
        });
        kiosk = kiosk.with_printer(spooler);
    }
    let worker = Worker::start(store);
    let rt = forwarding::runtime(&config).context("cannot start the runtime")?;
    rt.block_on(async {
        let forwarder = forwarding::start(db, &config);
        let result = runtime::run_fed(kiosk, worker, Options { mouse: true }, Some(feed)).await;
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
    /// Do not print, even when the config has a [printer].
    #[arg(long)]
    no_print: bool,
}

/// Takes tickets through the same use case as the kiosk screen, and prints
/// each as the kiosk does when the config has a `[printer]` (so an admin
/// can test the printer from the shell). The ticket is recorded first;
/// when its paper does not come out the command says why on stderr and
/// ends with status 3, the ticket still taken.
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
    let printer = if args.no_print {
        None
    } else {
        crate::app::print::printer_of(point.ctx.config.printer.as_ref())?
    };
    let mut unprinted = 0;
    let mut clock = ScriptClock::from_env()?;
    for _ in 0..args.count {
        let at = clock.now();
        let t = usecase::take_ticket(&mut point.store, &point.ctx, &category, priority, lang, at)?;
        let printed = match &printer {
            None => None,
            Some(p) => {
                // the slip shows the ticket's own time (the test clock's too)
                let slip = crate::app::print::ticket_slip(&point.store, &point.ctx, t.id, at)?;
                let report = p.print(&crate::print::Document::Ticket(slip), false);
                crate::app::print::record(&mut point.store, &Actor::kiosk(), &report, Utc::now())?;
                if let Err(f) = &report.result {
                    unprinted += 1;
                    eprintln!(
                        "qabyldau: ticket {} is taken but not printed on {}: {} ({})",
                        t.number,
                        report.printer,
                        f.reason.as_str(),
                        f.detail
                    );
                }
                Some(report.result.map_err(|f| f.reason))
            }
        };
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
                    "printed": printed.map(|r| r.is_ok()),
                    "print_failure": printed.and_then(|r| r.err()).map(|f| f.as_str()),
                })
            );
        } else {
            let paper = match printed {
                None => String::new(),
                Some(Ok(())) => "  printed".into(),
                Some(Err(f)) => format!("  NOT PRINTED: {}", f.as_str()),
            };
            println!(
                "{}  seq {}  ahead {}  ~{} min{paper}",
                t.number, t.seq, t.place.ahead, t.place.estimated_wait_minutes
            );
        }
    }
    Ok(if unprinted > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
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
    /// The citizen's name: the appeal is then left with consent to the
    /// processing of personal data (anonymous without it).
    #[arg(long)]
    name: Option<String>,
    #[arg(long, requires = "name")]
    iin: Option<String>,
    #[arg(long, requires = "name")]
    phone: Option<String>,
    #[arg(long, requires = "name")]
    settlement: Option<String>,
    #[arg(long, requires = "name")]
    workplace: Option<String>,
}

/// The citizen of `--name` and the rest, checked as the kiosk checks them.
fn author(args: &AppealArgs) -> anyhow::Result<usecase::Author> {
    use crate::domain::{Citizen, Iin, PersonName, Phone, ShortText};
    let Some(name) = &args.name else {
        return Ok(usecase::Author::Anonymous);
    };
    let short = |what: &str, v: &Option<String>| {
        v.as_deref()
            .map(|v| ShortText::parse(v).map_err(|e| anyhow::anyhow!("--{what}: {e}")))
            .transpose()
    };
    Ok(usecase::Author::Consented(Citizen {
        name: PersonName::parse(name).map_err(|e| anyhow::anyhow!("--name: {e}"))?,
        iin: args
            .iin
            .as_deref()
            .map(|i| Iin::parse(i).map_err(|e| anyhow::anyhow!("--iin: {e}")))
            .transpose()?,
        phone: args
            .phone
            .as_deref()
            .map(|p| Phone::parse(p).map_err(|e| anyhow::anyhow!("--phone: {e}")))
            .transpose()?,
        settlement: short("settlement", &args.settlement)?,
        workplace: short("workplace", &args.workplace)?,
    }))
}

/// Leaves written appeals through the kiosk's use case; each
/// line is printed only after its transaction is durable, so a line on
/// stdout is a confirmed appeal (the crash tests rely on it).
pub fn appeal(point: &mut Point, args: AppealArgs) -> anyhow::Result<ExitCode> {
    let category = CategoryId::new(args.category.trim());
    let kind: crate::domain::AppealKind = args.kind.parse().map_err(anyhow::Error::msg)?;
    let text = crate::domain::AppealText::parse(&args.text)
        .map_err(|e| anyhow::anyhow!("the text: {e}"))?;
    let lang: Lang = args.lang.parse()?;
    let author = author(&args)?;
    let mut out = std::io::stdout().lock();
    let mut clock = ScriptClock::from_env()?;
    for _ in 0..args.count {
        let r = usecase::leave_written_appeal(
            &mut point.store,
            &point.ctx,
            usecase::WrittenAppeal {
                kind,
                category: category.clone(),
                author: author.clone(),
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
