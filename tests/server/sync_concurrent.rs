//! Ten points forward 1,000 real events each at the same time to one
//! server on 127.0.0.1: the server ends with exactly each point's log, in
//! order, and its figures equal the points' own.

use crate::sync_support::*;
use chrono::{Duration as ChronoDuration, NaiveDate};
use qabyldau::sync::Forwarder;
use serde_json::Value;
use std::time::Duration;

const POINTS: usize = 10;
const EVENTS: u64 = 1_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_points_forward_concurrently_and_the_figures_agree() {
    let server = InProcServer::start().await;
    let points: Vec<GenPoint> = (0..POINTS)
        .map(|i| GenPoint::new(&format!("akm-{i:02}")))
        .collect();
    std::thread::scope(|s| {
        for (i, p) in points.iter().enumerate() {
            s.spawn(move || p.generate(EVENTS, i as u64, day_start(), ChronoDuration::seconds(75)));
        }
    });
    let mut tasks = vec![];
    for p in &points {
        let token = register(server.dyn_storage(), p.id.as_str(), REGION).await;
        let mut cfg = fast_sync(&server.url, &token);
        cfg.batch_events = 100; // many batches, so the points interleave
        let (db, id) = (p.db.clone(), p.id.clone());
        tasks.push(tokio::spawn(async move {
            let mut f = Forwarder::open(&db, &id, cfg).await.unwrap();
            f.run_once().await.unwrap()
        }));
    }
    for t in tasks {
        let round = t.await.unwrap();
        assert_eq!(
            (round.stored, round.acked_through, round.pending),
            (EVENTS, EVENTS, 0)
        );
        assert!(round.batches >= 10);
    }
    for p in &points {
        assert_same_log(server.dyn_storage(), p).await;
        let st = qabyldau::store::sync_state::get(p.store().conn()).unwrap();
        assert_eq!((st.acked_seq, st.pending), (EVENTS, 0));
    }

    let supervisor = register_supervisor(server.dyn_storage(), "anna", REGION).await;
    let report = async |query: String| -> Value {
        reqwest::Client::new()
            .get(format!("{}/api/v1/report?{query}", server.url))
            .bearer_auth(&supervisor)
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    };
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    for (from, to) in [
        ("2026-03-01", "2026-03-31"),
        ("2026-03-02", "2026-03-02"),
        ("2026-03-03", "2026-03-03"),
    ] {
        let mut region_total = [0u64; 10];
        for p in &points {
            let mine = point_figures(&p.sqlite(), d(from), d(to));
            let theirs = report(format!("from={from}&to={to}&point={}", p.id)).await;
            assert_eq!(server_figures(&theirs), mine, "point {} {from}..{to}", p.id);
            for (t, m) in region_total.iter_mut().zip(mine) {
                *t += m;
            }
        }
        let region = report(format!("from={from}&to={to}")).await;
        assert_eq!(server_figures(&region), region_total, "region {from}..{to}");
        let percent = region["appeals"]["resolved_positive"]["percent"]
            .as_f64()
            .unwrap();
        let expected =
            (region_total[1] as f64 * 1000.0 / region_total[0].max(1) as f64).round() / 10.0;
        assert_eq!(percent, expected);
    }
    // the data set is not trivial: every figure occurs
    let all = point_figures(&points[0].sqlite(), d("2026-03-01"), d("2026-03-31"));
    assert!(all.iter().all(|n| *n > 0), "{all:?}");
    server.stop().await;
}
