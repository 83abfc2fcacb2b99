//! The storage under concurrent batches of one point (several forwarders
//! by mistake, a resend racing the original): whatever the interleaving,
//! the point's events are stored once, in order, and a gap or a changed
//! event is refused. Runs on the backend `test_storage` chooses (SQLite, or
//! PostgreSQL with `QABYLDAU_TEST_BACKEND=postgres`), straight on the
//! storage, so the requests truly overlap inside it.

use crate::sync_support::*;
use chrono::Utc;
use qabyldau::domain::{EventRecord, PointId};
use qabyldau::server::ingest::{BatchLimits, decode_batch};
use qabyldau::server::storage::{Batch, IngestOutcome, Storage};
use std::sync::Arc;

fn batch(point: &PointId, events: &[EventRecord]) -> Batch {
    let body = serde_json::to_vec(&serde_json::json!({ "events": events })).unwrap();
    decode_batch(&body, point, BatchLimits { max_events: 5000 }, Utc::now()).unwrap()
}

async fn setup(
    n: u64,
) -> (
    tempfile::TempDir,
    Arc<dyn Storage>,
    GenPoint,
    Vec<EventRecord>,
) {
    let dir = tempfile::tempdir().unwrap();
    let storage = test_storage(dir.path()).await;
    register(storage.as_ref(), "p1", REGION).await;
    let point = GenPoint::new("p1");
    point.generate(n, 8, day_start(), chrono::Duration::seconds(20));
    let log = qabyldau::store::events::after(point.store().conn(), 0, 100_000).unwrap();
    (dir, storage, point, log)
}

/// Runs the batches at once, each on its own task.
async fn all_at_once(storage: &Arc<dyn Storage>, batches: Vec<Batch>) -> Vec<IngestOutcome> {
    let tasks: Vec<_> = batches
        .into_iter()
        .map(|b| {
            let s = Arc::clone(storage);
            tokio::spawn(async move { s.ingest_batch(b).await.unwrap() })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_batch_sent_many_times_at_once_is_stored_once() {
    let (_dir, storage, point, log) = setup(300).await;
    let outcomes = all_at_once(&storage, (0..12).map(|_| batch(&point.id, &log)).collect()).await;
    let stored: Vec<u64> = outcomes
        .iter()
        .map(|o| match o {
            IngestOutcome::Stored {
                stored,
                duplicates,
                acked_through,
                ..
            } => {
                assert_eq!(*acked_through, 300);
                assert_eq!(stored + duplicates, 300, "{o:?}");
                *stored
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        stored.iter().filter(|s| **s == 300).count(),
        1,
        "{stored:?}"
    );
    assert_eq!(stored.iter().sum::<u64>(), 300);
    assert_same_log(storage.as_ref(), &point).await;
    assert_eq!(storage.list_points().await.unwrap()[0].acked_through, 300);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_halves_never_leave_a_hole() {
    let (_dir, storage, point, log) = setup(400).await;
    for round in 0..4 {
        let range = |a: usize, b: usize| batch(&point.id, &log[a..b]);
        let (from, mid, to) = (round * 100, round * 100 + 50, round * 100 + 100);
        // the second half may come first: then it meets a gap and is sent again
        let outcomes = all_at_once(&storage, vec![range(mid, to), range(from, mid)]).await;
        if let IngestOutcome::Gap { expected, .. } = outcomes[0] {
            assert_eq!(expected as usize, from + 1);
            let again = storage.ingest_batch(range(mid, to)).await.unwrap();
            assert!(
                matches!(again, IngestOutcome::Stored { acked_through, .. } if acked_through as usize == to)
            );
        }
        assert!(
            outcomes
                .iter()
                .all(|o| !matches!(o, IngestOutcome::Changed { .. })),
            "{outcomes:?}"
        );
    }
    assert_same_log(storage.as_ref(), &point).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_different_events_under_one_seq_only_one_is_kept() {
    let (_dir, storage, point, log) = setup(50).await;
    storage
        .ingest_batch(batch(&point.id, &log[..20]))
        .await
        .unwrap();
    // seq 21..=50 twice, once with a changed 21st, at the same moment
    let mut forged = log[20..].to_vec();
    forged[0].actor = "forger".into();
    let outcomes = all_at_once(
        &storage,
        vec![batch(&point.id, &log[20..]), batch(&point.id, &forged)],
    )
    .await;
    let held = storage
        .events(point.id.clone(), 20, 1)
        .await
        .unwrap()
        .remove(0)
        .record;
    let (kept, refused) = if held == log[20] { (0, 1) } else { (1, 0) };
    assert!(
        matches!(
            outcomes[kept],
            IngestOutcome::Stored {
                acked_through: 50,
                ..
            }
        ),
        "{outcomes:?}"
    );
    assert!(
        matches!(
            outcomes[refused],
            IngestOutcome::Changed {
                seq: 21,
                acked_through: 50
            }
        ),
        "{outcomes:?}"
    );
    let points = storage.list_points().await.unwrap();
    assert_eq!(points[0].flagged_seq, Some(21));
    assert_eq!(
        storage
            .events(point.id.clone(), 0, 100)
            .await
            .unwrap()
            .len(),
        50
    );
    // a person has looked at it: the flag goes, the events stay
    storage.clear_flag(point.id.clone()).await.unwrap();
    assert_eq!(storage.list_points().await.unwrap()[0].flagged_seq, None);
    assert_eq!(
        storage.cursor(point.id.clone(), Utc::now()).await.unwrap(),
        (50, false)
    );
    let unknown = PointId::parse("nowhere").unwrap();
    assert!(matches!(
        storage.clear_flag(unknown).await,
        Err(qabyldau::server::storage::StorageError::NotFound(_))
    ));
}
