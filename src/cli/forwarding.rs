//! The forwarder in the background of a screen (kiosk, desk, board) when
//! the point's config names a regional server.
//!
//! The screen's event loop runs on the thread that called `block_on`; with
//! a server configured the runtime gets one worker thread of its own, so
//! the forwarder's HTTP and JSON work never shares a thread with the
//! frames (its SQLite work is on tokio's blocking threads either way).

use crate::config::Config;
use std::path::Path;
use std::time::Duration;
use tokio::task::JoinHandle;

/// The runtime a screen runs in.
pub fn runtime(config: &Config) -> std::io::Result<tokio::runtime::Runtime> {
    if config.server.is_some() {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("forwarder")
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    }
}

/// The background forwarder of a screen. `stop` ends it and gives its
/// lease up; dropped without `stop` (an error path), it is aborted and its
/// lease runs out within 30 s, after which another screen's forwarder on
/// the same database takes over.
pub struct Background {
    task: Option<JoinHandle<()>>,
    stop: tokio::sync::watch::Sender<bool>,
}

/// How long a closing screen waits for a round in flight to end before it
/// leaves without giving the lease up (a hanging server must not keep the
/// kiosk from closing).
const STOP_GRACE: Duration = Duration::from_secs(2);

impl Background {
    /// Asks the forwarder to stop and waits (at most [`STOP_GRACE`]) for it
    /// to give its lease up.
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(STOP_GRACE, &mut task).await.is_err() {
                tracing::info!("sync: a round was still running at exit; the lease will run out");
                task.abort();
            }
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(handle) = self.task.take() {
            handle.abort();
        }
    }
}

/// Starts the forwarder if `config` has `[server]`. Call inside the runtime.
pub fn start(db: &Path, config: &Config) -> Background {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let task = crate::sync::spawn_background(db.to_path_buf(), config, stopped);
    if task.is_some() {
        tracing::info!("sync: forwarding to the regional server in the background");
    }
    Background { task, stop }
}
