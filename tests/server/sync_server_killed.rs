//! The server, a child process of the real binary, is killed with SIGKILL
//! and restarted several times while a point forwards 20,000 events:
//! nothing acknowledged is lost, nothing is doubled.
//!
//! Agreement at the end is not enough to prove it: a server that answers
//! before it commits loses the batches a kill catches in between, and the
//! forwarder then meets a gap, goes back and sends them again, so the two
//! logs agree in the end all the same. What proves that nothing the server
//! acknowledged was ever missing is the forwarder's own state: no alarm
//! raised and no rewind of its cursor (`sync_state.rewinds`).
//!
//! The negative control runs the same scenario against a server with the
//! test switch `QABYLDAU_TEST_ACK_BEFORE_COMMIT` (`server::ack_before_commit`):
//! the agreement at the end still holds there, and this proof must fail.

use crate::sync_support::*;
use chrono::Duration as ChronoDuration;
use qabyldau::server::ack_before_commit;
use qabyldau::store::sync_state;
use qabyldau::sync::Forwarder;
use std::time::{Duration, Instant};

const EVENTS: u64 = 20_000;

/// What a run of the scenario ended with.
#[derive(Debug)]
struct Verdict {
    kills: u32,
    /// Events the server holds for the point, and whether their seqs run
    /// without a hole.
    held: u64,
    consecutive: bool,
    log_difference: Option<String>,
    server_acked: u64,
    flagged: bool,
    point_last: u64,
    alarm: Option<qabyldau::domain::sync_alarm::SyncAlarm>,
    rewinds: u64,
}

impl Verdict {
    /// Eventual agreement: at the end the server holds exactly the point's
    /// log, once.
    fn agreement_problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if self.held != EVENTS || !self.consecutive {
            p.push(format!(
                "the server holds {} events (consecutive: {}), not {EVENTS}",
                self.held, self.consecutive
            ));
        }
        if let Some(d) = &self.log_difference {
            p.push(d.clone());
        }
        if self.server_acked != EVENTS || self.flagged {
            p.push(format!(
                "the server's cursor is {}, flagged {}",
                self.server_acked, self.flagged
            ));
        }
        if self.point_last != EVENTS {
            p.push(format!("the point's log changed: {}", self.point_last));
        }
        p
    }

    /// Nothing the server acknowledged was ever missing: the forwarder
    /// never had to go back.
    fn lost_acknowledged(&self) -> Vec<String> {
        let mut p = Vec::new();
        if let Some(a) = &self.alarm {
            p.push(format!("the forwarder raised an alarm: {a}"));
        }
        if self.rewinds > 0 {
            p.push(format!(
                "the forwarder took its cursor back {} times: acknowledged events were missing",
                self.rewinds
            ));
        }
        p
    }

    fn problems(&self) -> Vec<String> {
        let mut p = self.agreement_problems();
        p.extend(self.lost_acknowledged());
        p
    }
}

/// The server's cursor for the point, over HTTP (the server runs).
async fn server_cursor(url: &str, token: &str) -> Option<u64> {
    let reply: serde_json::Value = reqwest::Client::new()
        .get(format!("{url}/api/v1/cursor"))
        .bearer_auth(token)
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    reply["acked_through"].as_u64()
}

/// A point forwards 20,000 events while the server is killed at fixed
/// points of the sync and restarted; `server_env` is the server's extra
/// environment (a test switch).
async fn scenario(server_env: &[(&str, &str)]) -> Verdict {
    let dir = tempfile::tempdir().unwrap();
    let server_db = ServerDb::new(dir.path()).await;
    let token = server_db.add_point("mobile-7", REGION);
    let point = GenPoint::new("mobile-7");
    point.generate(EVENTS, 7, day_start(), ChronoDuration::seconds(5));
    let mut server = ServerProc::start_db_with_env(&server_db, "127.0.0.1:0", server_env);

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
    eventually(
        "all events acknowledged",
        Duration::from_secs(120),
        async || acked() == EVENTS,
    )
    .await;
    // and held: a server that answers first commits late
    eventually(
        "the server's cursor at the end",
        Duration::from_secs(30),
        async || server_cursor(&server.url, &token).await == Some(EVENTS),
    )
    .await;
    stop_tx.send(()).unwrap();
    forwarder.await.unwrap();
    server.kill9();

    let state = sync_state::get(point.store().conn()).unwrap();
    let storage = server_db.open().await;
    let held = storage
        .events(point.id.clone(), 0, 1_000_000)
        .await
        .unwrap();
    let points = storage.list_points().await.unwrap();
    Verdict {
        kills,
        held: held.len() as u64,
        consecutive: held
            .windows(2)
            .all(|w| w[1].record.seq == w[0].record.seq + 1),
        log_difference: log_difference(storage.as_ref(), &point).await,
        server_acked: points[0].acked_through,
        flagged: points[0].flagged_seq.is_some(),
        point_last: point.last_seq(),
        alarm: state.alarm,
        rewinds: state.rewinds,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_killed_again_and_again_loses_and_doubles_nothing() {
    let v = scenario(&[]).await;
    assert!(v.kills >= 3, "the server was killed {} times", v.kills);
    assert_eq!(v.problems(), Vec::<String>::new(), "{v:?}");
}

/// The negative control: the same scenario against a server that answers
/// before it commits (and commits up to 500 ms later). The logs agree in
/// the end, so the old proof passed on it; the forwarder's rewinds and
/// alarm give it away, and the proof must fail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_proof_fails_for_a_server_that_acknowledges_before_it_commits() {
    let v = scenario(&[(ack_before_commit::VAR, "500")]).await;
    assert!(v.kills >= 3, "the server was killed {} times", v.kills);
    assert_eq!(
        v.agreement_problems(),
        Vec::<String>::new(),
        "the logs agree in the end: agreement alone cannot see the loss"
    );
    let lost = v.lost_acknowledged();
    eprintln!("negative control: {lost:?}");
    assert!(
        !v.problems().is_empty() && !lost.is_empty(),
        "the proof did not notice the acknowledged events lost: {v:?}"
    );
    // each kill caught a batch answered and not yet committed
    assert!(v.rewinds >= u64::from(v.kills), "{v:?}");
}
