//! A short load run that must pass: 100 simulated points pushing a batch
//! every ~200 ms for 5 s to one server (the real binary) while a board
//! follows the live stream. Errors 0, the board's stream unbroken, and the
//! server holds every event the points were told it holds. The measurement
//! (500 points, 60 s, p99 and memory) is `benches/reliab_load.rs`.

use crate::load::{LoadPlan, run};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_points_and_a_board_at_once_make_no_error() {
    let plan = LoadPlan {
        points: 100,
        duration: Duration::from_secs(5),
        events_per_batch: 10,
        interval: Duration::from_millis(200),
    };
    let r = run(plan).await;
    eprintln!("{}", r.summary(&plan));
    assert!(
        r.requests >= plan.points * 5,
        "the points pushed: {}",
        r.requests
    );
    assert_eq!(r.errors, 0);
    assert_eq!(r.held, r.events, "the server holds what it acknowledged");
    assert!(!r.stream_broken, "the board's stream stayed open");
    assert!(r.stream_messages > 1, "the board was told of changes");
}
