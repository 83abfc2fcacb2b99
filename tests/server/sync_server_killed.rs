//! The server, a child process of the real binary, is killed with SIGKILL
//! and restarted several times while a point forwards 20,000 events:
//! nothing is lost, nothing is doubled.

use crate::sync_support::*;
use chrono::Duration as ChronoDuration;
use qabyldau::store::sync_state;
use qabyldau::sync::Forwarder;
use std::time::{Duration, Instant};

const EVENTS: u64 = 20_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_killed_again_and_again_loses_and_doubles_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server_db = ServerDb::new(dir.path()).await;
    let token = server_db.add_point("mobile-7", REGION);
    let point = GenPoint::new("mobile-7");
    point.generate(EVENTS, 7, day_start(), ChronoDuration::seconds(5));
    let mut server = ServerProc::start_db(&server_db, "127.0.0.1:0");

    let mut cfg = fast_sync(&server.url, &token);
    cfg.batch_events = 100;
    let (db, id) = (point.db.clone(), point.id.clone());
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let forwarder = tokio::spawn(async move {
        let mut f = Forwarder::open(&db, &id, cfg).await.unwrap();
        f.watch(async {
            let _ = stop_rx.await;
        })
        .await;
    });

    let acked = || sync_state::cursor(point.store().conn()).unwrap().0;
    // kill at these points of the sync, whatever the speed of the machine
    let mut kills = 0;
    for threshold in [1_500, 5_000, 9_000, 13_000, 17_000] {
        let start = Instant::now();
        while acked() < threshold {
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "sync stalled at {}",
                acked()
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        if acked() < EVENTS {
            server.kill9();
            kills += 1;
            // the forwarder meets a dead server for a while
            tokio::time::sleep(Duration::from_millis(300)).await;
            server.restart();
        }
    }
    eprintln!("the server was killed {kills} times during the sync");
    assert!(
        kills >= 3,
        "the server was killed during the sync {kills} times"
    );
    eventually(
        "all events acknowledged",
        Duration::from_secs(120),
        async || acked() == EVENTS,
    )
    .await;
    stop_tx.send(()).unwrap();
    forwarder.await.unwrap();
    server.kill9();

    let storage = server_db.open().await;
    let held = storage
        .events(point.id.clone(), 0, 1_000_000)
        .await
        .unwrap();
    assert_eq!(held.len() as u64, EVENTS, "nothing lost, nothing doubled");
    assert!(
        held.windows(2)
            .all(|w| w[1].record.seq == w[0].record.seq + 1)
    );
    assert_same_log(storage.as_ref(), &point).await;
    let points = storage.list_points().await.unwrap();
    assert_eq!(points[0].acked_through, EVENTS);
    assert_eq!(points[0].flagged_seq, None);
    // the point's own log is untouched
    assert_eq!(point.last_seq(), EVENTS);
}
