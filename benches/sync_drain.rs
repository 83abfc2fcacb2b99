//! A 100,000-event backlog drained from a point to a server on loopback,
//! next to the reference: a bare rusqlite insert of the same rows into a
//! table like the server's, with the same durability (WAL,
//! synchronous=FULL, one transaction per 500 rows).
//!
//! cargo bench --bench sync_drain [-- EVENTS]

#[path = "../tests/sync_support/mod.rs"]
mod sync_support;

use chrono::Duration as ChronoDuration;
use qabyldau::store::events;
use qabyldau::sync::{Forwarder, SyncConfig};
use std::time::Instant;
use sync_support::*;

fn main() {
    let n: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let point = GenPoint::new("bench-point");
    let t = Instant::now();
    point.generate(n, 1, day_start(), ChronoDuration::seconds(3));
    println!(
        "generated {n} events at the point in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let server = InProcServer::start().await;
        let token = register(server.dyn_storage(), "bench-point", REGION).await;
        let mut f = Forwarder::open(&point.db, &point.id, SyncConfig::new(&server.url, &token))
            .await
            .unwrap();
        let t = Instant::now();
        let round = f.run_once().await.unwrap();
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(round.acked_through, n);
        println!(
            "drain to the server: {n} events in {secs:.2} s = {:.0} events/s ({} batches)",
            n as f64 / secs,
            round.batches
        );
        server.stop().await;
    });

    // the reference: the same rows straight into SQLite
    let dir = tempfile::tempdir().unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("ref.db")).unwrap();
    conn.pragma_update(None, "journal_mode", "wal").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.execute_batch(
        "CREATE TABLE events (point_id TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL,
            at TEXT NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL, version INTEGER NOT NULL,
            payload TEXT NOT NULL, hash TEXT NOT NULL, received_at TEXT NOT NULL,
            PRIMARY KEY (point_id, seq)) STRICT, WITHOUT ROWID;",
    )
    .unwrap();
    let src = point.store();
    let mut rows = Vec::with_capacity(n as usize);
    let mut after = 0;
    loop {
        let batch = events::after(src.conn(), after, 5_000).unwrap();
        let Some(last) = batch.last() else { break };
        after = last.seq;
        for e in batch {
            let hash = e.content_hash();
            let payload = serde_json::to_string(&e.payload).unwrap();
            rows.push((e, payload, hash));
        }
    }
    let mut conn = conn;
    let t = Instant::now();
    for chunk in rows.chunks(500) {
        let tx = conn.transaction().unwrap();
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )
                .unwrap();
            for (e, payload, hash) in chunk {
                stmt.execute(rusqlite::params![
                    e.point_id.as_str(),
                    e.seq as i64,
                    e.id.to_string(),
                    qabyldau::domain::time::fmt_time(e.at),
                    e.actor,
                    e.kind,
                    e.version,
                    payload,
                    hash,
                    "2026-03-02T00:00:00.000Z"
                ])
                .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "reference, bare rusqlite insert of the same rows: {n} in {secs:.2} s = {:.0} events/s",
        n as f64 / secs
    );
}
