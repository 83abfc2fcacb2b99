//! Load: many simulated points pushing to one server (the real binary, a
//! child process, so its memory is its own) while a board follows
//! `/api/v1/stream`. Shared by `benches/reliab_load.rs` (the measurement:
//! 500 points, 60 s) and `tests/faults/reliab_load.rs` (a short run that must
//! end with errors 0).

use crate::sync_support::{REGION, ServerProc, day_start, register, register_supervisor};
use chrono::Duration as ChronoDuration;
use qabyldau::domain::event::{EventBody, PAYLOAD_VERSION, TicketTaken};
use qabyldau::domain::{CategoryId, EventRecord, Lang, PointId, Priority, TicketNo};
use qabyldau::server::storage::Storage;
use qabyldau::server::storage::sqlite::SqliteStorage;
use rand::Rng;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

#[derive(Debug, Clone, Copy)]
pub struct LoadPlan {
    pub points: u64,
    pub duration: Duration,
    pub events_per_batch: u64,
    /// Each point pushes a batch about this often (with jitter).
    pub interval: Duration,
}

#[derive(Debug, Default)]
pub struct LoadResult {
    pub requests: u64,
    pub errors: u64,
    pub events: u64,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
    pub elapsed: Duration,
    /// The server's resident memory (VmRSS), sampled every second.
    pub rss_start_kib: u64,
    pub rss_max_kib: u64,
    pub rss_end_kib: u64,
    /// SSE messages the board received, and whether its stream broke.
    pub stream_messages: u64,
    pub stream_broken: bool,
    /// Events the server holds at the end, over all points.
    pub held: u64,
}

/// `ticket_taken` events of one point, seq `from..from + n`, as a body.
pub fn batch(point: &PointId, from: u64, n: u64) -> Vec<u8> {
    let start = day_start();
    let events: Vec<EventRecord> = (from..from + n)
        .map(|seq| {
            let at = start + ChronoDuration::seconds(seq as i64);
            let body = EventBody::TicketTaken(TicketTaken {
                ticket_id: Uuid::now_v7(),
                number: TicketNo::new('Ж', seq as u32),
                service_date: at.date_naive(),
                category: CategoryId::new("housing"),
                priority: Priority::Ordinary,
                lang: Lang::Kk,
            });
            EventRecord {
                point_id: point.clone(),
                seq,
                id: Uuid::now_v7(),
                at,
                actor: "kiosk".into(),
                kind: body.kind().into(),
                version: PAYLOAD_VERSION,
                payload: body.payload(),
            }
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({ "events": events })).unwrap()
}

pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

pub async fn run(plan: LoadPlan) -> LoadResult {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    // points and the board's supervisor registered before the server starts
    let mut tokens = Vec::new();
    let supervisor;
    {
        let storage = SqliteStorage::open(&db).unwrap();
        for i in 0..plan.points {
            let id = format!("load-{i:03}");
            tokens.push((
                PointId::parse(&id).unwrap(),
                register(&storage, &id, REGION).await,
            ));
        }
        supervisor = register_supervisor(&storage, "board", REGION).await;
    }
    let server = ServerProc::start(&db, "127.0.0.1:0");
    let pid = server.pid().expect("the server runs");
    let url = server.url.clone();
    let rss_start = rss_kib(pid);

    // the board follows the stream the whole time
    let stop = Arc::new(AtomicBool::new(false));
    let messages = Arc::new(AtomicU64::new(0));
    let broken = Arc::new(AtomicBool::new(false));
    let board = {
        let (url, token) = (url.clone(), supervisor.clone());
        let (stop, messages, broken) = (stop.clone(), messages.clone(), broken.clone());
        tokio::spawn(async move {
            let resp = reqwest::Client::new()
                .get(format!("{url}/api/v1/stream"))
                .bearer_auth(&token)
                .send()
                .await;
            let Ok(mut resp) = resp.and_then(|r| r.error_for_status()) else {
                broken.store(true, Ordering::SeqCst);
                return;
            };
            while !stop.load(Ordering::SeqCst) {
                match tokio::time::timeout(Duration::from_millis(500), resp.chunk()).await {
                    Ok(Ok(Some(chunk))) => {
                        let n = chunk.windows(6).filter(|w| w == b"event:").count();
                        messages.fetch_add(n as u64, Ordering::Relaxed);
                    }
                    Ok(_) => {
                        broken.store(true, Ordering::SeqCst);
                        return;
                    }
                    Err(_) => {}
                }
            }
        })
    };

    // memory, every second
    let rss_max = Arc::new(AtomicU64::new(rss_start));
    let sampler = {
        let (stop, rss_max) = (stop.clone(), rss_max.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                rss_max.fetch_max(rss_kib(pid), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        })
    };

    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(plan.points as usize)
        .build()
        .unwrap();
    let push_url = format!("{url}/api/v1/events");
    let started = Instant::now();
    let deadline = started + plan.duration;
    let tasks: Vec<_> = tokens
        .into_iter()
        .map(|(point, token)| {
            let (client, url) = (client.clone(), push_url.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let (mut errors, mut next) = (0u64, 1u64);
                // points start spread over the first interval
                let first = rand::rng().random_range(0..plan.interval.as_millis() as u64 + 1);
                tokio::time::sleep(Duration::from_millis(first)).await;
                while Instant::now() < deadline {
                    let body = batch(&point, next, plan.events_per_batch);
                    let t = Instant::now();
                    let ok = client
                        .post(&url)
                        .bearer_auth(&token)
                        .header("content-type", "application/json")
                        .body(body)
                        .send()
                        .await
                        .map(|r| r.status().is_success())
                        .unwrap_or(false);
                    latencies.push(t.elapsed());
                    if ok {
                        next += plan.events_per_batch;
                    } else {
                        errors += 1;
                    }
                    let jitter = rand::rng().random_range(0.5..1.5);
                    tokio::time::sleep(plan.interval.mul_f64(jitter)).await;
                }
                (latencies, errors, next - 1)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let (mut errors, mut events) = (0, 0);
    for t in tasks {
        let (l, e, n) = t.await.unwrap();
        latencies.extend(l);
        errors += e;
        events += n;
    }
    let elapsed = started.elapsed();
    let rss_end = rss_kib(pid);
    stop.store(true, Ordering::SeqCst);
    board.await.unwrap();
    sampler.await.unwrap();
    drop(server);
    let storage = SqliteStorage::open(&db).unwrap();
    let held = storage
        .list_points()
        .await
        .unwrap()
        .iter()
        .map(|p| p.acked_through)
        .sum();
    latencies.sort();
    let q = |p: f64| {
        latencies
            .get(((latencies.len().max(1) - 1) as f64 * p).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    LoadResult {
        requests: latencies.len() as u64,
        errors,
        events,
        p50: q(0.5),
        p99: q(0.99),
        max: latencies.last().copied().unwrap_or_default(),
        elapsed,
        rss_start_kib: rss_start,
        rss_max_kib: rss_max.load(Ordering::Relaxed).max(rss_end),
        rss_end_kib: rss_end,
        stream_messages: messages.load(Ordering::Relaxed),
        stream_broken: broken.load(Ordering::SeqCst),
        held,
    }
}

impl LoadResult {
    pub fn summary(&self, plan: &LoadPlan) -> String {
        format!(
            "{} points, one batch of {} events each ~{:?}, for {:.1} s: {} requests, errors {}; \
             {} events ({:.0}/s), held at the server {}; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; \
             server RSS {:.1} MiB at start, {:.1} MiB peak, {:.1} MiB at the end; \
             board stream: {} messages, {}",
            plan.points,
            plan.events_per_batch,
            plan.interval,
            self.elapsed.as_secs_f64(),
            self.requests,
            self.errors,
            self.events,
            self.events as f64 / self.elapsed.as_secs_f64(),
            self.held,
            self.p50.as_secs_f64() * 1e3,
            self.p99.as_secs_f64() * 1e3,
            self.max.as_secs_f64() * 1e3,
            self.rss_start_kib as f64 / 1024.0,
            self.rss_max_kib as f64 / 1024.0,
            self.rss_end_kib as f64 / 1024.0,
            self.stream_messages,
            if self.stream_broken {
                "BROKEN"
            } else {
                "unbroken"
            }
        )
    }
}
