//! Load: 500 simulated points pushing to one server (the release binary, a
//! child process) for 60 s while a board follows `/api/v1/stream`: errors,
//! request latency (p50, p99, max), events per second, and the server's
//! resident memory (VmRSS from /proc) at start, peak and end.
//!
//! cargo bench --bench reliab_load [-- POINTS SECONDS EVENTS_PER_BATCH INTERVAL_MS]
//! (default 500 60 10 1000)

#[path = "../tests/reliab_support/load.rs"]
mod load;
#[path = "../tests/sync_support/mod.rs"]
mod sync_support;

use load::{LoadPlan, run};
use std::time::Duration;

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let plan = LoadPlan {
        points: *args.first().unwrap_or(&500),
        duration: Duration::from_secs(*args.get(1).unwrap_or(&60)),
        events_per_batch: *args.get(2).unwrap_or(&10),
        interval: Duration::from_millis(*args.get(3).unwrap_or(&1000)),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let r = rt.block_on(run(plan));
    println!("{}", r.summary(&plan));
    assert_eq!(r.held, r.events, "the server holds what it acknowledged");
}
