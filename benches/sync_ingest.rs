//! The server's ingest with 200 points pushing at once over loopback:
//! events per second, per-request latency (p50, p99), errors.
//!
//! cargo bench --bench sync_ingest [-- POINTS BATCHES EVENTS_PER_BATCH]

#[path = "../tests/sync_support/mod.rs"]
mod sync_support;

use chrono::Duration as ChronoDuration;
use qabyldau::domain::event::{EventBody, PAYLOAD_VERSION, TicketTaken};
use qabyldau::domain::{CategoryId, EventRecord, Lang, PointId, Priority, TicketNo};
use std::time::{Duration, Instant};
use sync_support::*;
use uuid::Uuid;

/// Valid `ticket_taken` events of one point, seq `from..from + n`.
fn batch(point: &PointId, from: u64, n: u64) -> Vec<u8> {
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

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let points = *args.first().unwrap_or(&200);
    let batches = *args.get(1).unwrap_or(&10);
    let per_batch = *args.get(2).unwrap_or(&100);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let server = InProcServer::start().await;
        let mut work = vec![];
        for i in 0..points {
            let id = format!("load-{i:03}");
            let token = register(server.dyn_storage(), &id, REGION).await;
            let pid = PointId::parse(&id).unwrap();
            let bodies: Vec<Vec<u8>> = (0..batches)
                .map(|b| batch(&pid, 1 + b * per_batch, per_batch))
                .collect();
            work.push((token, bodies));
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .pool_max_idle_per_host(points as usize)
            .build()
            .unwrap();
        let url = format!("{}/api/v1/events", server.url);
        let t = Instant::now();
        let tasks: Vec<_> = work
            .into_iter()
            .map(|(token, bodies)| {
                let (client, url) = (client.clone(), url.clone());
                tokio::spawn(async move {
                    let mut latencies = vec![];
                    let mut errors = 0u64;
                    for body in bodies {
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
                        errors += u64::from(!ok);
                    }
                    (latencies, errors)
                })
            })
            .collect();
        let mut latencies = vec![];
        let mut errors = 0;
        for task in tasks {
            let (l, e) = task.await.unwrap();
            latencies.extend(l);
            errors += e;
        }
        let secs = t.elapsed().as_secs_f64();
        latencies.sort();
        let q = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
        let total = points * batches * per_batch;
        println!(
            "{points} points × {batches} batches × {per_batch} events = {total} events in {secs:.2} s \
             = {:.0} events/s; request latency p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms; errors {errors}",
            total as f64 / secs,
            q(0.5).as_secs_f64() * 1e3,
            q(0.99).as_secs_f64() * 1e3,
            latencies.last().unwrap().as_secs_f64() * 1e3,
        );
        let ingested = server
            .state
            .metrics
            .events_ingested
            .get();
        assert_eq!(ingested, total - errors * per_batch);
        server.stop().await;
    });
}
