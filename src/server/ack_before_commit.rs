//! A test switch that breaks the server's central promise on purpose, so
//! the proof of that promise can show it fails (docs/SYNC.md, "Proofs that
//! can fail"; `tests/server/sync_server_killed.rs`).
//!
//! With `QABYLDAU_TEST_ACK_BEFORE_COMMIT=MS` the ingest handler answers a
//! batch that extends what the point has as held *before* committing it:
//! the batch waits until the point's next request (which commits it first,
//! after its own answer is decided) or MS milliseconds, whichever comes
//! first. Without a kill the server then behaves as always (no gap, the
//! same history); a kill while a batch waits loses events the point was
//! told are held. Nothing sets the variable in use; unset, the handler
//! never calls this. One forwarder per point, as always.

use super::AppState;
use super::error::ApiError;
use super::storage::{Batch, Storage};
use crate::domain::PointId;
use crate::protocol::PushReply;
use chrono::Utc;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::Mutex;

pub const VAR: &str = "QABYLDAU_TEST_ACK_BEFORE_COMMIT";

/// With the switch on, how long an answered batch waits at most for its
/// commit.
pub fn switched_on() -> Option<Duration> {
    let ms: u64 = std::env::var(VAR).ok()?.trim().parse().ok()?;
    Some(Duration::from_millis(ms))
}

/// A batch answered and not yet committed.
struct Held {
    batch: Batch,
    last: u64,
    id: u64,
}

type Slots = Arc<Mutex<HashMap<PointId, Held>>>;

fn all_slots() -> Slots {
    static SLOTS: OnceLock<Slots> = OnceLock::new();
    Arc::clone(SLOTS.get_or_init(Default::default))
}

/// Answers `batch` before it is committed, when it extends what the point
/// has (held or waiting). Any other batch (empty, a resend only, a gap) is
/// handed back for the ordinary path, after what waits is committed.
pub async fn answer_first(
    state: &AppState,
    batch: Batch,
    wait: Duration,
) -> Result<Result<PushReply, Batch>, ApiError> {
    // held until what this request leaves to commit is committed, so the
    // next request of the point finds it done
    let mut slots = all_slots().lock_owned().await;
    let point = batch.point.clone();
    let held = match slots.get(&point) {
        Some(h) => h.last,
        None => state.storage.cursor(point.clone(), Utc::now()).await?.0,
    };
    let (first, last) = match (batch.events.first(), batch.events.last()) {
        (Some(f), Some(l)) => (f.record.seq, l.record.seq),
        _ => (0, 0),
    };
    if batch.events.is_empty() || first > held + 1 || last <= held {
        if let Some(h) = slots.remove(&point) {
            commit(state.storage.as_ref(), h.batch).await;
        }
        return Ok(Err(batch));
    }
    static IDS: AtomicU64 = AtomicU64::new(0);
    let id = IDS.fetch_add(1, Ordering::Relaxed);
    let older = slots.insert(point.clone(), Held { batch, last, id });
    let reply = PushReply {
        acked_through: last,
        stored: last - held,
        duplicates: (held + 1).saturating_sub(first),
    };
    // the answer goes out now; the batch before this one is committed
    // behind it
    let storage = Arc::clone(&state.storage);
    tokio::spawn(async move {
        if let Some(h) = older {
            commit(storage.as_ref(), h.batch).await;
        }
        drop(slots);
    });
    // a batch no request follows is committed after `wait`
    let storage = Arc::clone(&state.storage);
    tokio::spawn(async move {
        tokio::time::sleep(wait).await;
        let all = all_slots();
        let mut slots = all.lock().await;
        if slots.get(&point).is_some_and(|h| h.id == id) {
            if let Some(h) = slots.remove(&point) {
                commit(storage.as_ref(), h.batch).await;
            }
        }
    });
    Ok(Ok(reply))
}

async fn commit(storage: &dyn Storage, batch: Batch) {
    if let Err(e) = storage.ingest_batch(batch).await {
        tracing::warn!(error = %e, "a batch answered before its commit could not be committed");
    }
}
