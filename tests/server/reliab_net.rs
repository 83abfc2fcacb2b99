//! Network faults between the forwarder and the server, through the fault
//! proxy (`crate::reliab_support::proxy`): delays past the client's read timeout,
//! resets in the middle of the request body and of the answer, answers
//! dropped after the server committed, bodies cut into writes of a few
//! bytes, 500 and 503 + `Retry-After` from "a load balancer". Each fault
//! lasts an episode of half a second, as a real network's faults do.
//!
//! Pass: the server ends with exactly the point's history (event for event,
//! hash for hash), and the forwarder does not storm: in each episode it
//! makes no more requests than its backoff policy allows (one, for a 503
//! whose `Retry-After` outlasts the episode), the requests that pass are
//! the ones it needed, and during an outage the number of requests stays
//! under the bound that the backoff policy gives. The negative control
//! runs the same chaos with a forwarder without backoff: the accounting
//! must fail.

use crate::reliab_support::proxy::{Fault, FaultProxy, Plan, Seen};
use crate::sync_support::*;
use chrono::Duration as ChronoDuration;
use qabyldau::store::sync_state;
use qabyldau::sync::Forwarder;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const BATCH: usize = 100;
const BASE: Duration = Duration::from_millis(20);
const CAP: Duration = Duration::from_secs(2);
/// How long each fault of the chaos lasts.
const EPISODE: Duration = Duration::from_millis(500);
/// The events of the chaos.
const FIRST: u64 = 3_000;

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

/// The most requests a forwarder that follows the policy makes in one
/// episode of `fault`. A 503 whose `Retry-After` outlasts the episode
/// allows one (the floor). Otherwise the policy's mean from a fresh
/// failure count (the most attempts it can give: the waits only grow),
/// doubled, plus three: a sum of uniform draws that far in the tail is
/// practically never reached; a forwarder retrying at once makes dozens.
fn episode_bound(fault: Fault) -> usize {
    match fault {
        Fault::Status(_, Some(secs)) if Duration::from_secs(secs) >= EPISODE => 1,
        _ => (2.0 * expected_attempts(EPISODE)).ceil() as usize + 3,
    }
}

/// The requests of the chaos against what a correct forwarder needs: the
/// batches and the cursor pass once each, and each episode holds at most
/// `episode_bound` requests. The summary, or what broke the bound.
fn account(seen: &[Seen], needed: usize) -> Result<String, String> {
    let mut episodes: BTreeMap<u32, (Fault, usize)> = BTreeMap::new();
    for s in seen {
        if let Some(e) = s.episode {
            episodes.entry(e).or_insert((s.fault, 0)).1 += 1;
        }
    }
    let passed = seen.iter().filter(|s| s.fault == Fault::Pass).count();
    let mut problems = Vec::new();
    if passed > needed {
        problems.push(format!(
            "{passed} requests passed where {needed} were needed"
        ));
    }
    let mut bound = needed;
    for (e, (fault, n)) in &episodes {
        let allowed = episode_bound(*fault);
        bound += allowed;
        if *n > allowed {
            problems.push(format!(
                "episode {e} ({}): {n} requests, the policy allows {allowed}",
                fault.name()
            ));
        }
    }
    let most = episodes.values().map(|(_, n)| *n).max().unwrap_or(0);
    let summary = format!(
        "{} requests ({passed} passed, {needed} needed) in {} episodes (at most {most} in one), bound {bound}",
        seen.len(),
        episodes.len()
    );
    if seen.len() > bound {
        problems.push(format!("{summary}: over the bound"));
    }
    if problems.is_empty() {
        Ok(summary)
    } else {
        Err(format!("{summary}:\n{}", problems.join("\n")))
    }
}

fn chaos_faults() -> Vec<Fault> {
    vec![
        Fault::Delay(Duration::from_millis(1_600)),
        Fault::ResetRequest,
        Fault::ResetReply,
        Fault::DropReply,
        Fault::Slice,
        Fault::Status(500, None),
        Fault::Status(503, Some(1)),
    ]
}

/// A point of 3,000 events, its server, the fault proxy between them in
/// chaos, and a forwarder with this backoff.
struct Chaos {
    server: InProcServer,
    point: GenPoint,
    proxy: FaultProxy,
    stop: tokio::sync::oneshot::Sender<()>,
    forwarder: tokio::task::JoinHandle<()>,
}

impl Chaos {
    async fn start(seed: u64, base: Duration, cap: Duration) -> Chaos {
        let server = InProcServer::start().await;
        let token = register(server.dyn_storage(), "net-1", REGION).await;
        let point = GenPoint::new("net-1");
        point.generate(FIRST, seed, day_start(), ChronoDuration::seconds(10));
        let proxy = FaultProxy::start(
            server.addr.to_string(),
            Plan::episodes(chaos_faults(), EPISODE, seed),
        )
        .await;
        let mut cfg = fast_sync(&proxy.url, &token);
        cfg.batch_events = BATCH;
        cfg.backoff_base = base;
        cfg.backoff_cap = cap;
        // a delay of 0.8–1.6 s outlives the read timeout half the time
        cfg.timeouts.read = Duration::from_secs(1);
        let (stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let (db, id) = (point.db.clone(), point.id.clone());
        let forwarder = tokio::spawn(async move {
            let mut f = Forwarder::open(&db, &id, cfg).await.unwrap();
            f.watch(async {
                let _ = stop_rx.await;
            })
            .await;
        });
        Chaos {
            server,
            point,
            proxy,
            stop,
            forwarder,
        }
    }

    fn acked(&self) -> u64 {
        sync_state::cursor(self.point.store().conn()).unwrap().0
    }

    /// Until the 3,000 events are delivered; the requests the proxy saw.
    async fn delivered(&self) -> Vec<Seen> {
        eventually(
            "3,000 events delivered",
            Duration::from_secs(300),
            async || self.acked() == FIRST,
        )
        .await;
        self.proxy.seen()
    }
}

/// The batches and the cursor request a forwarder needs for the chaos.
fn needed() -> usize {
    FIRST.div_ceil(BATCH as u64) as usize + 1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_ends_with_the_points_exact_history_and_no_retry_storm() {
    let seed: u64 = std::env::var("QABYLDAU_NET_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("network faults: seed {seed} (replay: QABYLDAU_NET_SEED={seed})");
    let chaos = Chaos::start(seed, BASE, CAP).await;
    let Chaos {
        server,
        point,
        proxy,
        ..
    } = &chaos;
    let acked = || chaos.acked();

    // 1. every kind of fault, an episode after every passed request, until
    // all is delivered
    let seen = chaos.delivered().await;
    let injected: Vec<_> = seen.iter().filter(|s| s.fault != Fault::Pass).collect();
    let mut kinds: Vec<&str> = injected.iter().map(|s| s.fault.name()).collect();
    kinds.sort();
    kinds.dedup();
    eprintln!(
        "chaos: {} requests, {} faulted, of {} kinds: {kinds:?}",
        seen.len(),
        injected.len(),
        kinds.len()
    );
    assert!(kinds.len() >= 7, "every kind of fault was met: {kinds:?}");
    // accounted for: what was needed passed once, and no episode holds
    // more requests than the backoff policy allows
    match account(&seen, needed()) {
        Ok(summary) => eprintln!("chaos: {summary}"),
        Err(problems) => panic!("{problems}"),
    }
    let dup = server.state.metrics.events_duplicate.get();
    assert!(dup > 0, "a lost answer made a resend of held events");
    assert_same_log(server.dyn_storage(), point).await;

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
    let Chaos {
        server,
        point,
        proxy,
        stop,
        forwarder,
    } = chaos;
    stop.send(()).unwrap();
    forwarder.await.unwrap();
    assert_same_log(server.dyn_storage(), &point).await;
    let stored = server.state.metrics.events_ingested.get();
    assert_eq!(stored, target, "each event stored once");
    eprintln!(
        "network faults: {} requests in all; {target} events held once each; {dup} duplicates answered during the chaos",
        proxy.seen().len()
    );
    server.stop().await;
}

/// The negative control: the same chaos with a forwarder that does not
/// back off (base and cap 0, so `Retry-After` is no floor either). It
/// delivers everything, and the accounting above must fail on it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_bound_fails_for_a_forwarder_without_backoff() {
    let seed: u64 = rand::random();
    eprintln!("no backoff: seed {seed}");
    let chaos = Chaos::start(seed, Duration::ZERO, Duration::ZERO).await;
    let seen = chaos.delivered().await;
    let verdict = account(&seen, needed());
    eprintln!("no backoff: {verdict:?}");
    assert!(
        verdict.is_err(),
        "a forwarder without backoff passed the accounting: {verdict:?}"
    );
    assert_same_log(chaos.server.dyn_storage(), &chaos.point).await;
    let Chaos {
        server,
        stop,
        forwarder,
        ..
    } = chaos;
    stop.send(()).unwrap();
    forwarder.await.unwrap();
    server.stop().await;
}
