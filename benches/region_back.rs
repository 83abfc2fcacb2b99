//! The way back (docs/REGION.md), measured: a decision committed at the
//! regional server to the point's own table, with the point's background
//! forwarder running (`Forwarder::watch`, its long poll of the region log),
//! p50/p99 over many decisions; and the catch-up of a point that was
//! offline while the region made many decisions (seconds, peak memory of
//! this process). Server in process on SQLite, loopback.
//!
//! cargo bench --bench region_back [-- DECISIONS CATCH_UP]

#[path = "../tests/sync_support/mod.rs"]
mod sync_support;

use chrono::{Duration as ChronoDuration, Utc};
use qabyldau::domain::{FullAppealNo, Outcome};
use qabyldau::server::region::{self, DecisionRequest};
use qabyldau::sync::{Forwarder, SyncConfig};
use std::time::{Duration, Instant};
use sync_support::*;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let mut args = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse::<u64>().ok());
    let decisions = args.next().unwrap_or(1000);
    let catch_up = args.next().unwrap_or(10_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let server = InProcServer::start().await;
        let storage = server.storage.clone();
        let staff = controller(storage.as_ref(), "ctrl", REGION).await;

        // online: one appeal closed and reopened, each decision waited for
        let point = GenPoint::new("bench-online");
        point.generate(
            60,
            1,
            Utc::now() - ChronoDuration::hours(1),
            ChronoDuration::seconds(30),
        );
        let token = register(storage.as_ref(), "bench-online", REGION).await;
        let cfg = SyncConfig::new(&server.url, &token, chrono_tz::Asia::Almaty);
        let mut f = Forwarder::open(&point.db, &point.id, cfg.clone())
            .await
            .unwrap();
        f.run_once().await.unwrap();
        let (id, number): (String, String) = point
            .sqlite()
            .query_row(
                "SELECT id, year || '-' || printf('%05d', number) FROM appeals
                 ORDER BY received_at LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let watcher = tokio::spawn(async move {
            f.watch(async {
                let _ = stop_rx.await;
            })
            .await;
        });
        tokio::time::sleep(Duration::from_millis(500)).await;
        let conn = point.sqlite();
        let outcome = |conn: &rusqlite::Connection| -> String {
            conn.query_row("SELECT outcome FROM appeals WHERE id = ?1", [&id], |r| {
                r.get(0)
            })
            .unwrap()
        };
        let mut times = Vec::new();
        for _ in 0..decisions {
            let now = outcome(&conn);
            let to = if now.parse::<Outcome>().unwrap().is_closed() {
                Outcome::UnderConsideration
            } else {
                Outcome::ResolvedPositive
            };
            // the server's view of the appeal may lag the point's by an
            // echo: decide from what the point shows, as a controller who
            // just looked would
            let t = Instant::now();
            region::decide(
                storage.as_ref(),
                &staff,
                DecisionRequest {
                    appeal: FullAppealNo::parse_at(&number, &point.id).unwrap(),
                    outcome: to,
                    body: None,
                    answer: None,
                },
                Utc::now(),
            )
            .await
            .unwrap();
            loop {
                if outcome(&conn) == to.as_str() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
                assert!(t.elapsed() < Duration::from_secs(30), "a decision never arrived");
            }
            times.push(t.elapsed());
        }
        let _ = stop_tx.send(());
        watcher.await.unwrap();
        times.sort();
        println!(
            "region → point, online, {decisions} decisions: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            pct(&times, 0.5).as_secs_f64() * 1e3,
            pct(&times, 0.99).as_secs_f64() * 1e3,
            times.last().unwrap().as_secs_f64() * 1e3
        );

        // offline: the region decides while the point is away
        let away = GenPoint::new("bench-away");
        let token = register(storage.as_ref(), "bench-away", REGION).await;
        let t = Instant::now();
        for i in 0..catch_up {
            region::campaign(storage.as_ref(), i % 2 == 0, Some(REGION.into()), Utc::now())
                .await
                .unwrap();
        }
        println!(
            "{catch_up} directives published for 2 points in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        let before = peak_rss_kib();
        let mut f = Forwarder::open(
            &away.db,
            &away.id,
            SyncConfig::new(&server.url, &token, chrono_tz::Asia::Almaty),
        )
        .await
        .unwrap();
        let t = Instant::now();
        let round = f.run_once().await.unwrap();
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(round.region.through, catch_up);
        println!(
            "catch-up after offline: {catch_up} decisions applied in {secs:.2} s = {:.0}/s; \
             peak RSS of this process (server, point, bench) {} MiB before, {} MiB after",
            catch_up as f64 / secs,
            before / 1024,
            peak_rss_kib() / 1024
        );
        server.stop().await;
    });
}
