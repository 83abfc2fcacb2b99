//! Store-and-forward of the event log to the regional server.
//!
//! The forwarder reads events after the acknowledged cursor in batches (at
//! most 500 events or 1 MiB, halved after a 413), sends them in `seq` order,
//! and saves the server's `acked_through` in the point's `sync_state`. It
//! never deletes an event. One forwarder per database holds a lease row; a
//! killed one loses it when it runs out. See `docs/SYNC.md`.

pub mod api;
pub mod backoff;
pub mod board_feed;
pub mod field_file;
mod forwarder;
pub mod sse;

pub use api::Timeouts;
pub use forwarder::{Forwarder, Round};

use crate::config::Config;
use crate::store::StoreError;
use api::ApiError;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The server could not be reached or refused (`api::ApiError`).
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The server answered, but not as the protocol says it would.
    #[error("{0}")]
    Unexpected(String),
    #[error(
        "the server holds a different event under number {seq}; nothing more can be sent until the regional office looks at it ({message})"
    )]
    Conflict { seq: u64, message: String },
    #[error(
        "this point's event {seq} differs from the one the server holds under that number: the database went its own way since it was restored, and nothing of the server's was taken back"
    )]
    Diverged { seq: u64 },
    #[error("event {0} alone is larger than the server accepts")]
    EventTooLarge(u64),
    #[error("another forwarder is sending this point's events now")]
    LeaseHeld,
    #[error("{0}")]
    Config(String),
}

impl SyncError {
    /// What the server asked us to wait, if anything.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            SyncError::Api(e) => e.retry_after(),
            _ => None,
        }
    }

    /// Errors that waiting a little may heal (the network, a busy or
    /// restarting server). Others need a person: a revoked token, a
    /// conflict, an event the server refuses.
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Api(e) => e.is_transient(),
            SyncError::Unexpected(_) | SyncError::LeaseHeld => true,
            SyncError::Store(StoreError::Busy) => true,
            _ => false,
        }
    }
}

/// How the forwarder works; `SyncConfig::new` has the defaults.
#[derive(Debug, Clone)]
pub struct SyncConfig {
    pub server: String,
    pub token: String,
    /// The point's time zone (`[point] timezone`), sent with every push:
    /// the server counts the point's days in it.
    pub timezone: chrono_tz::Tz,
    /// At most this many events per batch.
    pub batch_events: usize,
    /// At most this many bytes of JSON per batch (one event may exceed it).
    pub batch_bytes: usize,
    pub timeouts: Timeouts,
    /// The first retry waits up to this; each failure doubles it.
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    /// A lease not renewed within this is free for another forwarder.
    pub lease_ttl: Duration,
    /// How often `watch` looks for new events.
    pub poll: Duration,
}

impl SyncConfig {
    /// A zone is asked for, not defaulted: a forwarder that forgot the
    /// point's own would tell the server the wrong days.
    pub fn new(
        server: impl Into<String>,
        token: impl Into<String>,
        timezone: chrono_tz::Tz,
    ) -> Self {
        SyncConfig {
            server: server.into(),
            token: token.into(),
            timezone,
            batch_events: 500,
            batch_bytes: 1024 * 1024,
            timeouts: Timeouts::default(),
            backoff_base: Duration::from_secs(1),
            backoff_cap: Duration::from_secs(600),
            lease_ttl: Duration::from_secs(30),
            poll: Duration::from_secs(1),
        }
    }
}

/// Runs the forwarder in the background of a screen (kiosk, desk, board)
/// when the config names a server; `None` when it does not.
///
/// It never blocks the caller and never ends the program: SQLite work runs
/// on blocking threads, errors are logged and retried, and the lease makes
/// only one of several processes on one database forward at a time (the
/// others wait and take over when the holder stops). Call inside a tokio
/// runtime. Sending `true` on `stop` (or dropping its sender) ends it
/// between rounds and gives the lease up, so a `qabyldau sync` started
/// right after the screen closed need not wait for the lease to run out.
pub fn spawn_background(
    db_path: PathBuf,
    config: &Config,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Option<tokio::task::JoinHandle<()>> {
    let link = config.server.as_ref()?;
    let cfg = SyncConfig::new(link.url.clone(), link.token.clone(), config.point.timezone);
    let point = config.point.id.clone();
    Some(tokio::spawn(async move {
        loop {
            match Forwarder::open(&db_path, &point, cfg.clone()).await {
                Ok(mut f) => f.watch(stopped(stop.clone())).await,
                Err(e) => {
                    tracing::warn!(error = %crate::domain::text::sanitize_line(&e.to_string()), "sync: cannot start the forwarder");
                }
            }
            tokio::select! {
                _ = stopped(stop.clone()) => return,
                _ = tokio::time::sleep(Duration::from_secs(60)) => {}
            }
        }
    }))
}

/// Test hook of the crash tests (docs/RELIABILITY.md): with
/// `QABYLDAU_TEST_PANIC_FORWARDER` set, the forwarder's task panics when
/// the server has acknowledged a batch and before the point records it,
/// the moment where a lost acknowledgement must cost a resend and nothing
/// else. Nothing sets it in use.
fn test_panic_after_ack() {
    if std::env::var_os("QABYLDAU_TEST_PANIC_FORWARDER").is_some() {
        panic!(
            "forced panic in the forwarder after an acknowledgement (QABYLDAU_TEST_PANIC_FORWARDER)"
        );
    }
}

/// Resolves once `true` is sent on the channel or its sender is gone.
async fn stopped(mut stop: tokio::sync::watch::Receiver<bool>) {
    // an error means the sender was dropped: the screen is gone
    let _ = stop.wait_for(|s| *s).await;
}
