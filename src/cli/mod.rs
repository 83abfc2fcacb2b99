//! Argument parsing and wiring: which config, which database, which screen.
//! No rules live here.

mod backup;
mod board;
mod citizen;
mod crash;
mod date_arg;
mod demo;
mod desk;
mod doctor;
mod field_file;
mod forwarding;
mod kiosk;
mod pin_input;
mod report;
mod scripting;
mod server;
mod server_region;
mod staff;
mod sync;

use crate::app::Context;
use crate::config::{Config, Paths};
use crate::store::Store;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "qabyldau",
    version,
    about = "Public reception office: kiosk, desk, queue board, regional server"
)]
pub struct Cli {
    /// The point's database (SQLite). Made on first use at the default
    /// place; a PATH given here must exist, unless --create.
    #[arg(long, global = true, env = "QABYLDAU_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Make the database at --db if there is none yet (a new point).
    #[arg(long, global = true, env = "QABYLDAU_CREATE")]
    pub create: bool,
    /// The point's configuration (TOML); the default one is created on first use.
    #[arg(long, global = true, env = "QABYLDAU_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Today's tickets.
    Queue(scripting::QueueArgs),
    /// Recorded appeals.
    Appeals(scripting::AppealsArgs),
    /// The point's event log.
    Events(scripting::EventsArgs),
    /// Fill an empty database with a realistic demo point.
    Demo(demo::DemoArgs),
    /// The published figures for a period: table, CSV, XLSX or JSON.
    Report(report::ReportArgs),
    /// The self-service kiosk (`kiosk set-exit-pin` sets the staff's exit PIN).
    Kiosk(kiosk::KioskArgs),
    /// Take a queue ticket, as the kiosk does (scripts, tests).
    Ticket(kiosk::TicketArgs),
    /// Leave written appeals, as the kiosk does (scripts, crash tests).
    #[command(hide = true)]
    Appeal(kiosk::AppealArgs),
    /// Staff logins: add, list, disable.
    Staff(staff::StaffArgs),
    /// A citizen's own data: erase it at their request.
    Citizen(citizen::CitizenArgs),
    /// A checked copy of the point's database, made while screens run.
    Backup(backup::BackupArgs),
    /// Put a copy back (checked first; what it replaces is kept aside).
    Restore(backup::RestoreArgs),
    /// The desk operator console.
    Desk(desk::DeskArgs),
    /// Calls the next ticket for a desk, as a staff login (for scripts and tests).
    CallNext(desk::CallNextArgs),
    /// The live queue board (hall), and the supervisor's figures.
    Board(board::BoardArgs),
    /// The regional server (HTTP API), and its points and tokens.
    Server(server::ServerArgs),
    /// Forward the point's events to the regional server, or show the sync state.
    Sync(sync::SyncArgs),
    /// Check this point and say in plain words what is wrong: config,
    /// database, free disk, log folder, sync, the server and its clock,
    /// the printer. Changes nothing.
    Doctor(doctor::DoctorArgs),
    /// The point's config file (`config init [PATH]` writes a commented one).
    Config(doctor::ConfigArgs),
    /// Write the man pages (qabyldau.1 and one per command) into DIR.
    Man {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Print the completion script of a shell (bash, zsh, fish, ...).
    Completions { shell: clap_complete::Shell },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("qabyldau: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // made from the command line alone: no config, no database, no folder
    match &cli.command {
        Command::Man { dir } => return man_pages(dir),
        Command::Completions { shell } => {
            use clap::CommandFactory as _;
            use std::io::Write as _;
            // into memory first: a pager closed early is no panic
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "qabyldau", &mut script);
            return match std::io::stdout().write_all(&script) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
                _ => Ok(ExitCode::SUCCESS),
            };
        }
        _ => {}
    }
    // the demo makes its database, that is what it is for; the server's
    // --db is the server's own, made by its own rules
    let server = matches!(cli.command, Command::Server(_));
    let create = cli.create || server || matches!(cli.command, Command::Demo(_));
    let paths = Paths::resolve(cli.db.clone(), cli.config.clone(), create)?;
    let db = (!server).then(|| paths.db.clone());
    run_command(cli, paths).map_err(|e| name_the_database(e, db.as_deref()))
}

fn man_pages(dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    use anyhow::Context as _;
    use clap::CommandFactory as _;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot make {}", dir.display()))?;
    clap_mangen::generate_to(Cli::command(), dir)
        .with_context(|| format!("cannot write the man pages into {}", dir.display()))?;
    println!("wrote the man pages into {}", dir.display());
    Ok(ExitCode::SUCCESS)
}

/// A database error that does not say which file already names it here:
/// "attempt to write a readonly database" alone leaves an admin guessing.
/// `db` is the point's database (none for the server's commands).
fn name_the_database(e: anyhow::Error, db: Option<&std::path::Path>) -> anyhow::Error {
    let from_the_store = e.chain().any(|c| {
        c.downcast_ref::<crate::store::StoreError>().is_some()
            || c.downcast_ref::<rusqlite::Error>().is_some()
    });
    match db {
        Some(db) if from_the_store && !e.to_string().contains(&db.display().to_string()) => {
            e.context(format!("the database {}", db.display()))
        }
        _ => e,
    }
}

fn run_command(cli: Cli, paths: Paths) -> anyhow::Result<ExitCode> {
    // these look at a machine (or prepare one): they make no folder or file
    // on the way, not even the log
    match cli.command {
        Command::Doctor(args) => return doctor::run(&paths, args),
        Command::Config(args) => return doctor::config(&paths, args),
        _ => {}
    }
    let _crash = crash::install(init_logging(&paths));
    match cli.command {
        Command::Queue(args) => scripting::queue(&open_point_read(&paths)?, args),
        Command::Appeals(args) => scripting::appeals(&open_point_read(&paths)?, args),
        Command::Events(args) => scripting::events(&open_point_read(&paths)?, args),
        Command::Demo(args) => demo::run(open_point(&paths)?, args),
        Command::Report(args) => report::run(&paths, args),
        Command::Kiosk(args) => kiosk::kiosk(&paths, args),
        Command::Ticket(args) => kiosk::ticket(&mut open_point(&paths)?, args),
        Command::Appeal(args) => kiosk::appeal(&mut open_point(&paths)?, args),
        Command::Staff(args) => staff::run(&mut open_point(&paths)?, args),
        Command::Citizen(args) => citizen::run(&mut open_point(&paths)?, args),
        Command::Backup(args) => backup::backup(&mut open_point(&paths)?, args),
        Command::Restore(args) => backup::restore(&paths, args),
        Command::Desk(args) => desk::desk(open_point(&paths)?, &paths.db, args),
        Command::CallNext(args) => desk::call_next_cmd(open_point(&paths)?, args),
        Command::Board(args) => board::run(&paths, args),
        Command::Server(args) => server::run(cli.db.clone(), args),
        Command::Sync(args) => sync::run(open_point(&paths)?, &paths.db, args),
        Command::Doctor(_)
        | Command::Config(_)
        | Command::Man { .. }
        | Command::Completions { .. } => {
            unreachable!("handled above")
        }
    }
}

/// What the point did with the region's decisions, as `sync` and
/// `sync --import` say it.
fn region_applied(done: &crate::store::region::Applied) -> String {
    format!(
        "applied {} decisions of the region ({} already applied); applied through region decision {}",
        done.applied, done.skipped, done.through
    )
}

/// A point's config and database, opened together.
pub struct Point {
    pub ctx: Context,
    pub store: Store,
}

pub fn open_point(paths: &Paths) -> anyhow::Result<Point> {
    let config = Config::load(&paths.config, paths.config_is_default)?;
    if !paths.db_may_be_created && !paths.db.exists() {
        anyhow::bail!(
            "there is no database at {} (a typo in --db or QABYLDAU_DB?); \
             to make a new point's database there, add --create",
            paths.db.display()
        );
    }
    let store = Store::open(&paths.db, &config.point.id)?;
    Ok(Point {
        ctx: Context::new(config),
        store,
    })
}

/// A point's config and database, for a command that only reads: the
/// database may be on a read-only file (`Store::open_read_only`).
pub fn open_point_read(paths: &Paths) -> anyhow::Result<Point> {
    if !paths.db.exists() {
        // a new point that may be made: it is made (empty), as before
        return open_point(paths);
    }
    let config = Config::load(&paths.config, paths.config_is_default)?;
    let store = Store::open_read_only(&paths.db, &config.point.id)?;
    Ok(Point {
        ctx: Context::new(config),
        store,
    })
}

/// Logs go to a daily file beside the database: the screen belongs to the
/// program. A folder that cannot be made means no log, not no program.
fn init_logging(paths: &Paths) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    // no folders made for a database that will be refused
    if !paths.db_may_be_created && !paths.db.exists() {
        return None;
    }
    std::fs::create_dir_all(&paths.log_dir).ok()?;
    // a folder that cannot be written (a read-only account): no log, as
    // above; `rolling::daily` would panic
    let appender = tracing_appender::rolling::RollingFileAppender::builder()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("qabyldau.log")
        .build(&paths.log_dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("QABYLDAU_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}
