//! Network faults between the forwarder and the server, through the fault
//! proxy (`crate::reliab_support::proxy`): delays past the client's read timeout,
//! resets in the middle of the request body and of the answer, answers
//! dropped after the server committed, bodies cut into writes of a few
//! bytes, 500 and 503 + `Retry-After` from "a load balancer".
//!
//! Pass: the server ends with exactly the point's history (event for event,
//! hash for hash), and the forwarder does not storm: every request is
//! accounted for (needed batches, plus at most one resend per fault), and
//! during an outage the number of requests stays under the bound that the
//! backoff policy gives.

use crate::reliab_support::proxy::{Fault, FaultProxy, Plan};
use crate::sync_support::*;
use chrono::Duration as ChronoDuration;
use qabyldau::store::sync_state;
use qabyldau::sync::Forwarder;
use std::time::{Duration, Instant};

const BATCH: usize = 100;
const BASE: Duration = Duration::from_millis(20);
const CAP: Duration = Duration::from_secs(2);

/// The expected number of attempts the backoff policy makes in `window`
/// while every attempt fails: after the n-th failure it waits a uniform
/// time in `[0, min(CAP, BASE · 2ⁿ)]`, so on average half of that.
fn expected_attempts(window: Duration) -> f64 {
    let (mut spent, mut n, mut attempts) = (0.0, 0u32, 1.0);
    let window = window.as_secs_f64();
    loop {
        let ceiling = (BASE.as_secs_f64() * 2f64.powi(n as i32)).min(CAP.as_secs_f64());
        spent += ceiling / 2.0;
        if spent > window {
            return attempts;
        }
        attempts += 1.0;
        n += 1;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_ends_with_the_points_exact_history_and_no_retry_storm() {
    let seed: u64 = std::env::var("QABYLDAU_NET_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("network faults: seed {seed} (replay: QABYLDAU_NET_SEED={seed})");
    let server = InProcServer::start().await;
    let token = register(server.dyn_storage(), "net-1", REGION).await;
    let point = GenPoint::new("net-1");
    let first = 3_000;
    point.generate(first, seed, day_start(), ChronoDuration::seconds(10));

    let faults = vec![
        Fault::Delay(Duration::from_millis(1_600)),
        Fault::ResetRequest,
        Fault::ResetReply,
        Fault::DropReply,
        Fault::Slice,
        Fault::Status(500, None),
        Fault::Status(503, Some(1)),
    ];
    let proxy = FaultProxy::start(server.addr.to_string(), Plan::alternate(faults, seed)).await;

    let mut cfg = fast_sync(&proxy.url, &token);
    cfg.batch_events = BATCH;
    cfg.backoff_base = BASE;
    cfg.backoff_cap = CAP;
    // a delay of 0.8–1.6 s outlives the read timeout half the time
    cfg.timeouts.read = Duration::from_secs(1);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (db, id) = (point.db.clone(), point.id.clone());
    let forwarder = tokio::spawn(async move {
        let mut f = Forwarder::open(&db, &id, cfg).await.unwrap();
        f.watch(async {
            let _ = stop_rx.await;
        })
        .await;
    });
    let acked = || sync_state::cursor(point.store().conn()).unwrap().0;

    // 1. every kind of fault, every second request, until all is delivered
    eventually(
        "3,000 events delivered",
        Duration::from_secs(300),
        async || acked() == first,
    )
    .await;
    let chaos = proxy.seen();
    let injected: Vec<_> = chaos.iter().filter(|s| s.fault != Fault::Pass).collect();
    let mut kinds: Vec<&str> = injected.iter().map(|s| s.fault.name()).collect();
    kinds.sort();
    kinds.dedup();
    eprintln!(
        "chaos: {} requests, {} faults of {} kinds: {kinds:?}",
        chaos.len(),
        injected.len(),
        kinds.len()
    );
    assert!(kinds.len() >= 7, "every kind of fault was met: {kinds:?}");
    // accounted for: the batches needed, the cursor asked once, and at most
    // one more request for each fault (the resend)
    let needed = first.div_ceil(BATCH as u64) as usize + 1;
    assert!(
        chaos.len() <= needed + 2 * injected.len() + 2,
        "{} requests for {needed} needed and {} faults",
        chaos.len(),
        injected.len()
    );
    let dup = server
        .state
        .metrics
        .events_duplicate
        .load(std::sync::atomic::Ordering::Relaxed);
    assert!(dup > 0, "a lost answer made a resend of held events");
    assert_same_log(server.dyn_storage(), &point).await;

    // 2. an outage of 503 + Retry-After: 1 — never more than one attempt a second
    let window = Duration::from_secs(5);
    proxy.set_plan(Plan::Always(Fault::Status(503, Some(1))));
    point.generate(500, seed + 1, day_start(), ChronoDuration::seconds(10));
    let from = Instant::now();
    tokio::time::sleep(window).await;
    let n503 = proxy.count_between(from, from + window);
    let bound503 = window.as_secs() as usize + 2;
    eprintln!("outage, 503 + Retry-After 1 s: {n503} requests in {window:?} (bound {bound503})");
    assert!(n503 >= 2, "the forwarder kept trying: {n503}");
    assert!(n503 <= bound503, "{n503} requests in {window:?}");

    // 3. an outage of connection resets, no Retry-After: backoff with jitter
    // heal first: one success resets the backoff
    proxy.set_plan(Plan::Pass);
    point.generate(10, seed + 2, day_start(), ChronoDuration::seconds(10));
    let target = point.last_seq();
    eventually(
        "the 503 outage healed",
        Duration::from_secs(60),
        async || acked() == target,
    )
    .await;
    proxy.set_plan(Plan::Always(Fault::ResetRequest));
    point.generate(10, seed + 3, day_start(), ChronoDuration::seconds(10));
    let from = Instant::now();
    tokio::time::sleep(window).await;
    let nreset = proxy.count_between(from, from + window);
    let expected = expected_attempts(window);
    // a sum of uniform draws: twice its mean (+ the poll that finds the new
    // events) is far in the tail; a storm would be thousands
    let bound = (2.0 * expected).ceil() as usize + 3;
    eprintln!(
        "outage, resets: {nreset} requests in {window:?} (policy: {expected:.1} on average, bound {bound})"
    );
    assert!(nreset >= 2, "the forwarder kept trying: {nreset}");
    assert!(nreset <= bound, "{nreset} requests in {window:?}");

    // 4. healed: everything arrives, exactly once
    proxy.set_plan(Plan::Pass);
    let target = point.last_seq();
    eventually(
        "all delivered after the outages",
        Duration::from_secs(60),
        async || acked() == target,
    )
    .await;
    stop_tx.send(()).unwrap();
    forwarder.await.unwrap();
    assert_same_log(server.dyn_storage(), &point).await;
    let stored = server
        .state
        .metrics
        .events_ingested
        .load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(stored, target, "each event stored once");
    eprintln!(
        "network faults: {} requests in all; {target} events held once each; {dup} duplicates answered during the chaos",
        proxy.seen().len()
    );
    server.stop().await;
}
