//! The regional server: HTTP API v1 (axum) over a `Storage` backend.
//!
//! `router` builds the whole API from a storage and limits, so tests can
//! run it in process on 127.0.0.1 and the CLI can run it as a program.

pub mod ack_before_commit;
pub mod api;
pub mod auth;
pub mod error;
pub mod field_file;
pub mod ingest;
pub mod metrics;
pub mod migrate;
pub mod projection;
pub mod region;
pub mod report;
pub mod storage;
pub mod stream;
pub mod test_hooks;

use crate::domain::PointId;
use crate::protocol::paths;
use axum::Router;
use axum::routing::{get, post};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use storage::Storage;
use tokio::net::TcpListener;
use tokio::sync::broadcast;

/// Limits that protect the server from a misbehaving client.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Request bodies larger than this are refused with 413.
    pub max_body_bytes: usize,
    /// Batches with more events are refused with 413.
    pub max_batch_events: usize,
    /// Requests (except the stream) taking longer get 503.
    pub request_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // the forwarder sends up to 1 MiB; room for a larger event
            max_body_bytes: 4 * 1024 * 1024,
            max_batch_events: 2000,
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// A point's queue changed: boards following it are told.
#[derive(Debug, Clone)]
pub struct QueueNotice {
    pub point: PointId,
    pub region: String,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub storage: Arc<dyn Storage>,
    pub limits: Limits,
    pub metrics: Arc<metrics::Metrics>,
    pub notices: broadcast::Sender<QueueNotice>,
    /// Set when the server shuts down: open streams end, so the graceful
    /// shutdown does not wait for boards that never hang up.
    pub closing: Arc<tokio::sync::watch::Sender<bool>>,
}

impl AppState {
    pub fn new(storage: Arc<dyn Storage>, limits: Limits) -> Self {
        let (notices, _) = broadcast::channel(1024);
        AppState {
            storage,
            limits,
            metrics: Arc::new(metrics::Metrics::default()),
            notices,
            closing: Arc::new(tokio::sync::watch::channel(false).0),
        }
    }
}

/// The whole HTTP API.
pub fn router(state: AppState) -> Router {
    let timed = Router::new()
        .route(paths::EVENTS, post(api::push_events).get(api::own_events))
        .route(paths::CURSOR, get(api::cursor))
        .route(paths::REGION_EVENTS, get(api::region_events))
        .route(paths::POINTS, get(api::points))
        .route(paths::REPORT, get(api::report))
        .route(paths::OPENAPI, get(api::openapi))
        .route(paths::HEALTHZ, get(api::healthz))
        .route(paths::METRICS, get(api::metrics))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            api::time_limit,
        ));
    // the stream lives as long as the board watches: no request timeout
    let streaming = Router::new().route(paths::STREAM, get(stream::stream));
    timed
        .merge(streaming)
        .method_not_allowed_fallback(api::method_not_allowed)
        .fallback(api::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            api::count_requests,
        ))
        .with_state(state)
}

/// Serves until `shutdown` resolves. Returns when the listener is closed
/// and open requests are done.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let closing = Arc::clone(&state.closing);
    let shutdown = async move {
        shutdown.await;
        closing.send_replace(true);
    };
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
