//! `qabyldau board`: the live queue screen for the hall, and the
//! supervisor's figures after a login; with `--server`, every point of the
//! region live from the regional server.

use super::{Point, forwarding, open_point};
use crate::app::Context;
use crate::config::{Config, DEFAULT_CONFIG, Paths};
use crate::domain::Lang;
use crate::sound;
use crate::sync::board_feed::{self, FeedConfig};
use crate::ui::board::{Board, Options, RegionBoard, RegionOptions};
use crate::ui::runtime;
use crate::ui::worker::Worker;
use anyhow::bail;

use clap::Args;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct BoardArgs {
    /// Open the supervisor's view (after a supervisor's login).
    #[arg(long, conflicts_with = "server")]
    supervisor: bool,
    /// One language (kk, ru, en) instead of the configured ones in turn.
    #[arg(long, value_name = "kk|ru|en")]
    lang: Option<Lang>,
    /// No terminal bell on a call.
    #[arg(long)]
    no_bell: bool,
    /// Calls are not said aloud, whatever `[board] spoken_calls` says.
    #[arg(long)]
    no_sound: bool,
    /// Show the points of the region live from this regional server
    /// (http://... or https://...) instead of this point's database.
    #[arg(long, value_name = "URL", requires = "token")]
    server: Option<String>,
    /// The token for --server: a supervisor's (its region) or a point's
    /// (that point).
    #[arg(
        long,
        env = "QABYLDAU_BOARD_TOKEN",
        hide_env_values = true,
        requires = "server"
    )]
    token: Option<String>,
    /// With --server: only this point, in the hall layout.
    #[arg(long, value_name = "ID", requires = "server")]
    point: Option<String>,
}

pub fn run(paths: &Paths, args: BoardArgs) -> anyhow::Result<ExitCode> {
    match (&args.server, &args.token) {
        (Some(server), Some(token)) => {
            let (server, token) = (server.clone(), token.clone());
            regional(paths, server, token, args)
        }
        _ => board(open_point(paths)?, &paths.db, args),
    }
}

pub fn board(point: Point, db: &Path, args: BoardArgs) -> anyhow::Result<ExitCode> {
    let options = Options {
        lang: args.lang,
        supervisor: args.supervisor,
        bell: point.ctx.config.board.bell && !args.no_bell,
    };
    let config = point.ctx.config.clone();
    let mut screen = Board::new(point.ctx, options, crate::ui::kit::Clock::system());
    if config.board.spoken_calls && !args.no_sound {
        match sound::start(&speech_settings(&config)) {
            Ok(announcer) => screen = screen.with_speaker(Box::new(announcer)),
            Err(e) => tracing::warn!("spoken calls are on, but the board stays silent: {e}"),
        }
    }
    let worker = Worker::start(point.store);
    let rt = forwarding::runtime(&config)?;
    rt.block_on(async {
        let forwarder = forwarding::start(db, &config);
        let result = runtime::run(screen, worker, runtime::Options { mouse: false }).await;
        forwarder.stop().await;
        result
    })?;
    Ok(ExitCode::SUCCESS)
}

fn speech_settings(config: &Config) -> sound::SpeechSettings {
    let board = &config.board;
    if let Some(dir) = board.sounds_dir.as_deref().filter(|d| !d.is_dir()) {
        tracing::warn!(
            "[board] sounds_dir {} is not a folder: the built-in clips are said",
            dir.display()
        );
    }
    sound::SpeechSettings {
        langs: board.spoken_languages(&config.kiosk).to_vec(),
        sounds_dir: board.sounds_dir.clone(),
        player: board.sound_player.clone(),
    }
}

/// The regional board: no point database is opened or created. The
/// config, if there is one, gives the languages, the time zone and the
/// wait limit; otherwise the defaults do.
fn regional(
    paths: &Paths,
    server: String,
    token: String,
    args: BoardArgs,
) -> anyhow::Result<ExitCode> {
    let server = server.trim().trim_end_matches('/').to_string();
    if !(server.starts_with("http://") || server.starts_with("https://")) {
        bail!("--server must start with http:// or https://, not {server:?}");
    }
    let config = if paths.config.exists() {
        Config::load(&paths.config, false)?
    } else {
        Config::parse(DEFAULT_CONFIG, Path::new("(defaults)"))?
    };
    let mut feed = FeedConfig::new(server.clone(), token);
    feed.point = args.point.clone();
    let screen = RegionBoard::new(
        Context::new(config),
        RegionOptions {
            lang: args.lang,
            point: args.point,
            server,
        },
        crate::ui::kit::Clock::system(),
    );
    // the network on its own worker thread; the screen on this one
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("board-feed")
        .enable_all()
        .build()?;
    rt.block_on(async {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let task = board_feed::spawn(feed, tx);
        let result = runtime::run_fed(
            screen,
            Worker::without_store(),
            runtime::Options { mouse: false },
            Some(rx),
        )
        .await;
        task.abort();
        result
    })?;
    Ok(ExitCode::SUCCESS)
}
