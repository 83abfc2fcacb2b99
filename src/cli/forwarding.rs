//! The forwarder in the background of a screen (kiosk, desk, board) when
//! the point's config names a regional server.
//!
//! The screen's event loop runs on the thread that called `block_on`; with
//! a server configured the runtime gets one worker thread of its own, so
//! the forwarder's HTTP and JSON work never shares a thread with the
//! frames (its SQLite work is on tokio's blocking threads either way).

use crate::config::Config;
use std::path::Path;
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

/// The background forwarder, aborted when this is dropped (the screen
/// closed). Its lease then runs out within 30 s and another screen's
/// forwarder on the same database takes over.
pub struct Background(Option<JoinHandle<()>>);

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(handle) = self.0.take() {
            handle.abort();
        }
    }
}

/// Starts the forwarder if `config` has `[server]`. Call inside the runtime.
pub fn start(db: &Path, config: &Config) -> Background {
    let handle = crate::sync::spawn_background(db.to_path_buf(), config);
    if handle.is_some() {
        tracing::info!("sync: forwarding to the regional server in the background");
    }
    Background(handle)
}
