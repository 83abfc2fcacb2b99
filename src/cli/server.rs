//! `qabyldau server`: run the regional server, and manage its points and
//! tokens. The server's database is `--db` (default: `server.db` in the
//! data folder), separate from any point's.

use crate::domain::text::sanitize_line;
use crate::domain::{PointId, PointKind};
use crate::server::auth::{hash_token, new_token};
use crate::server::storage::postgres::PostgresStorage;
use crate::server::storage::sqlite::SqliteStorage;
use crate::server::storage::{NewPoint, Storage};
use crate::server::{AppState, Limits};
use anyhow::Context as _;
use chrono::Utc;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct ServerArgs {
    #[command(subcommand)]
    pub command: Option<ServerCommand>,
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8440", value_name = "ADDR")]
    pub listen: String,
    /// Largest request body accepted, in bytes (larger: 413).
    #[arg(long, default_value_t = Limits::default().max_body_bytes)]
    pub max_body_bytes: usize,
    /// Most events accepted in one batch (more: 413).
    #[arg(long, default_value_t = Limits::default().max_batch_events)]
    pub max_batch_events: usize,
    /// Seconds a request may take before it is answered 503.
    #[arg(long, default_value_t = Limits::default().request_timeout.as_secs())]
    pub request_timeout_secs: u64,
    /// Keep the server's data in PostgreSQL (postgres://USER@HOST:PORT/DB)
    /// instead of the SQLite file `--db`. For every server command.
    #[arg(
        long,
        global = true,
        env = "QABYLDAU_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Reception points and their tokens.
    Point {
        #[command(subcommand)]
        command: PointCommand,
    },
    /// Read-only tokens for a region's supervisors.
    Supervisor {
        #[command(subcommand)]
        command: SupervisorCommand,
    },
    /// The region's own staff: controllers, supervisors and admins, with PINs.
    Staff {
        #[command(subcommand)]
        command: super::server_region::StaffCommand,
    },
    /// Campaign mode (proposals for the programme only) for every point of
    /// a region, or of every region: each point applies it at its next sync.
    Campaign {
        state: super::server_region::OnOff,
        /// Only this region's points (default: every region).
        #[arg(long)]
        region: Option<String>,
    },
    /// How long every point of a region (or of every region) keeps a
    /// citizen's personal data after their last appeal closed: it takes
    /// the place of the points' `[retention] years` at their next sync.
    Retention {
        #[arg(long)]
        years: u32,
        /// Only this region's points (default: every region).
        #[arg(long)]
        region: Option<String>,
    },
    /// Decisions on appeals, as the regional desk makes them.
    Appeal {
        #[command(subcommand)]
        command: super::server_region::AppealCommand,
    },
    /// Takes a point's events from a field file (`qabyldau sync --export`
    /// at the point, carried on a USB stick), by the rules of the API: the
    /// file's seal checked first, events the server holds already skipped,
    /// a changed event refused and the point flagged, a gap refused.
    Import {
        file: PathBuf,
        /// Print what was done as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Writes what the region holds for a point (decisions, directives,
    /// erasures) into a field file, for `qabyldau sync --import` there.
    ExportFor {
        point: String,
        file: PathBuf,
        /// Only the region's decisions after this one (default: all; the
        /// point skips those it has applied).
        #[arg(long, default_value_t = 0)]
        after: u64,
    },
    /// Copies this SQLite server (`--db`) into PostgreSQL (`--database-url`):
    /// points, supervisors, events and conflicts; the other tables are rebuilt
    /// from the events. Run it again to continue after an interruption, or to
    /// copy what arrived since; it checks counts and hashes at the end.
    MigrateTo {
        /// Events copied per transaction.
        #[arg(long, default_value_t = 2000)]
        batch_events: usize,
    },
}

#[derive(Debug, Subcommand)]
pub enum PointCommand {
    /// Registers a point and prints its token (once: only its hash is kept).
    Add {
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        region: String,
        /// enterprise, office or mobile
        #[arg(long)]
        kind: PointKind,
    },
    /// Revokes a point's token; its events stay.
    Revoke { id: String },
    /// Gives a point a new token (the old one stops working).
    NewToken { id: String },
    /// Clears a point's conflict flag after a person has looked at it.
    ClearFlag { id: String },
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SupervisorCommand {
    /// Adds a supervisor who can read one region ('*': all) and prints the token.
    Add {
        name: String,
        #[arg(long)]
        region: String,
    },
    Revoke {
        name: String,
    },
    List {
        #[arg(long)]
        json: bool,
    },
}

/// The server database: `--db` when given, else `server.db` in the data folder.
pub fn db_path(db: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match db {
        Some(p) => Ok(p),
        None => Ok(directories::ProjectDirs::from("kz", "qabyldau", "qabyldau")
            .context("no home folder: give --db")?
            .data_dir()
            .join("server.db")),
    }
}

pub fn run(db: Option<PathBuf>, args: ServerArgs) -> anyhow::Result<ExitCode> {
    let path = db_path(db)?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        if let Some(ServerCommand::MigrateTo { batch_events }) = args.command {
            let url = args
                .database_url
                .as_deref()
                .context("migrate-to needs --database-url postgres://USER@HOST:PORT/DATABASE")?;
            return migrate_to(&path, url, batch_events).await;
        }
        let (storage, place) = open_storage(&path, args.database_url.as_deref()).await?;
        match args.command {
            None => serve(storage, &place, &args).await,
            Some(ServerCommand::Point { command }) => point(storage.as_ref(), command).await,
            Some(ServerCommand::Supervisor { command }) => {
                supervisor(storage.as_ref(), command).await
            }
            Some(ServerCommand::Staff { command }) => {
                super::server_region::staff(storage.as_ref(), command).await
            }
            Some(ServerCommand::Campaign { state, region }) => {
                super::server_region::campaign(storage.as_ref(), state, region).await
            }
            Some(ServerCommand::Retention { years, region }) => {
                super::server_region::retention(storage.as_ref(), years, region).await
            }
            Some(ServerCommand::Appeal { command }) => {
                super::server_region::appeal(storage.as_ref(), command).await
            }
            Some(ServerCommand::Import { file, json }) => {
                super::field_file::server_import(storage.as_ref(), &file, json).await
            }
            Some(ServerCommand::ExportFor { point, file, after }) => {
                super::field_file::server_export_for(
                    storage.as_ref(),
                    &parse_point(&point)?,
                    &file,
                    after,
                )
                .await
            }
            Some(ServerCommand::MigrateTo { .. }) => unreachable!("handled above"),
        }
    })
}

/// The server's storage: PostgreSQL when a URL is given, else the SQLite
/// file; with a description of where it is (no password) for messages.
async fn open_storage(
    path: &Path,
    url: Option<&str>,
) -> anyhow::Result<(Arc<dyn Storage>, String)> {
    match url {
        Some(url) => {
            let pg = PostgresStorage::connect(url)
                .await
                .context("server database (PostgreSQL)")?;
            let place = format!("PostgreSQL at {}", pg.target());
            Ok((Arc::new(pg), place))
        }
        None => {
            let sqlite = SqliteStorage::open(path)
                .with_context(|| format!("server database {}", path.display()))?;
            Ok((Arc::new(sqlite), path.display().to_string()))
        }
    }
}

async fn migrate_to(path: &Path, url: &str, batch_events: usize) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        path.exists(),
        "no SQLite server database at {}: give the one to copy with --db",
        path.display()
    );
    let target = PostgresStorage::connect(url)
        .await
        .context("server database (PostgreSQL)")?;
    println!(
        "Copying the server database {} into PostgreSQL at {}.",
        path.display(),
        target.target()
    );
    let report = crate::server::migrate::migrate(
        path,
        &target,
        crate::server::migrate::Options {
            batch_events: batch_events.max(1),
            ..Default::default()
        },
        |line| {
            println!("{line}");
            std::io::stdout().flush().ok();
        },
    )
    .await?;
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}

async fn serve(
    storage: Arc<dyn Storage>,
    place: &str,
    args: &ServerArgs,
) -> anyhow::Result<ExitCode> {
    let limits = Limits {
        max_body_bytes: args.max_body_bytes,
        max_batch_events: args.max_batch_events.max(1),
        request_timeout: Duration::from_secs(args.request_timeout_secs.max(1)),
    };
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, db = %place, "server listening");
    // tests and service scripts read this line to learn the port
    println!("qabyldau server: listening on http://{addr} (database {place})");
    std::io::stdout().flush().ok();
    crate::server::serve(listener, AppState::new(storage, limits), shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = match signal(SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn parse_point(id: &str) -> anyhow::Result<PointId> {
    Ok(PointId::parse(id)?)
}

/// The token alone on stdout (for scripts); the explanation on stderr.
fn show_token(what: &str, token: &str) {
    eprintln!(
        "{what}. Its token is printed below, once; the server keeps only its hash.\n\
         Put it in the point's config under [server] token = \"...\"."
    );
    println!("{token}");
}

async fn point(storage: &dyn Storage, command: PointCommand) -> anyhow::Result<ExitCode> {
    let now = Utc::now();
    match command {
        PointCommand::Add {
            id,
            name,
            region,
            kind,
        } => {
            let id = parse_point(&id)?;
            let (name, region) = (sanitize_line(&name), sanitize_line(&region));
            anyhow::ensure!(!name.is_empty(), "--name must not be empty");
            anyhow::ensure!(
                !region.is_empty() && region != crate::server::storage::ALL_REGIONS,
                "--region must name a region"
            );
            let token = new_token();
            storage
                .add_point(
                    NewPoint {
                        id: id.clone(),
                        name,
                        region,
                        kind,
                    },
                    hash_token(&token),
                    now,
                )
                .await?;
            show_token(&format!("Point {id} added"), &token);
        }
        PointCommand::Revoke { id } => {
            let id = parse_point(&id)?;
            storage.revoke_point(id.clone(), now).await?;
            println!("Point {id}: token revoked; its events stay.");
        }
        PointCommand::NewToken { id } => {
            let id = parse_point(&id)?;
            let token = new_token();
            storage
                .replace_point_token(id.clone(), hash_token(&token))
                .await?;
            show_token(
                &format!("Point {id} has a new token; the old one no longer works"),
                &token,
            );
        }
        PointCommand::ClearFlag { id } => {
            let id = parse_point(&id)?;
            storage.clear_flag(id.clone()).await?;
            println!("Point {id}: conflict flag cleared.");
        }
        PointCommand::List { json } => {
            let points = storage.list_points().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&points)?);
            } else {
                for p in points {
                    println!(
                        "{:<24} {:<10} {:<24} {:<16} acked {:>8}  {}{}  {}",
                        p.id,
                        p.kind,
                        sanitize_line(&p.region),
                        sanitize_line(&p.timezone),
                        p.acked_through,
                        if p.revoked_at.is_some() {
                            "REVOKED "
                        } else {
                            ""
                        },
                        p.flagged_seq
                            .map(|s| format!("FLAGGED at {s} "))
                            .unwrap_or_default(),
                        sanitize_line(&p.name),
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn supervisor(storage: &dyn Storage, command: SupervisorCommand) -> anyhow::Result<ExitCode> {
    let now = Utc::now();
    match command {
        SupervisorCommand::Add { name, region } => {
            let (name, region) = (sanitize_line(&name), sanitize_line(&region));
            anyhow::ensure!(!name.is_empty(), "the supervisor's name must not be empty");
            anyhow::ensure!(
                !region.is_empty(),
                "--region must name a region, or '*' for all"
            );
            let token = new_token();
            storage
                .add_supervisor(name.clone(), region.clone(), hash_token(&token), now)
                .await?;
            eprintln!(
                "Supervisor {name} added: reads region {region}, writes nothing. The token is printed below, once."
            );
            println!("{token}");
        }
        SupervisorCommand::Revoke { name } => {
            storage.revoke_supervisor(name.clone(), now).await?;
            println!("Supervisor {}: token revoked.", sanitize_line(&name));
        }
        SupervisorCommand::List { json } => {
            let list = storage.list_supervisors().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                for s in list {
                    println!(
                        "{:<24} {:<24} {}",
                        sanitize_line(&s.name),
                        sanitize_line(&s.region),
                        if s.revoked_at.is_some() {
                            "REVOKED"
                        } else {
                            ""
                        }
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
