//! The forwarder and the server as an administrator and the screens use
//! them: tokens from the command line, `qabyldau sync` from the config, a
//! server restored from a backup, a server with a small body limit, one
//! forwarder per database, the background forwarder of the screens.

use crate::sync_support::*;
use chrono::{Duration as ChronoDuration, Utc};
use qabyldau::server::Limits;
use qabyldau::store::sync_state;
use qabyldau::sync::{Forwarder, SyncError};
use serde_json::Value;
use std::time::Duration;

fn status(point: &GenPoint) -> Value {
    let out = point.cmd(&["sync", "--status", "--json"]).output().unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

fn server_cmd(db: &ServerDb, args: &[&str]) -> std::process::Output {
    db.cmd(args).output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_from_the_command_line_and_sync_from_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let db = ServerDb::new(dir.path()).await;
    let out = server_cmd(
        &db,
        &[
            "point",
            "add",
            "akm-1",
            "--name",
            "Көкшетау",
            "--region",
            REGION,
            "--kind",
            "enterprise",
        ],
    );
    assert!(out.status.success());
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("qbl_") && token.len() == 68 && !token.contains('\n'));
    assert!(String::from_utf8_lossy(&out.stderr).contains("once"));
    let again = server_cmd(
        &db,
        &[
            "point", "add", "akm-1", "--name", "x", "--region", "r", "--kind", "office",
        ],
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let sup = server_cmd(&db, &["supervisor", "add", "Анна", "--region", REGION]);
    let sup_token = String::from_utf8(sup.stdout).unwrap().trim().to_string();
    let sup_again = server_cmd(&db, &["supervisor", "add", "Анна", "--region", REGION]);
    assert!(!sup_again.status.success());
    assert!(String::from_utf8_lossy(&sup_again.stderr).contains("already exists"));
    // only hashes are kept
    let text = db.raw_text().await;
    assert!(
        !text.contains(&token[4..]) && !text.contains(&sup_token[4..]),
        "a token in clear"
    );

    let server = ServerProc::start_db(&db, "127.0.0.1:0");
    let point = GenPoint::with_server("akm-1", Some((&server.url, &token)));
    point.generate(
        120,
        1,
        Utc::now() - ChronoDuration::hours(1),
        ChronoDuration::seconds(10),
    );
    let out = point.cmd(&["sync"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("sent 120 events"));
    let st = status(&point);
    assert_eq!(
        (st["acked_seq"].as_u64(), st["pending"].as_u64()),
        (Some(120), Some(0))
    );
    assert_eq!(st["server_url"].as_str(), Some(server.url.as_str()));
    assert!(st["last_success_at"].is_string() && st["alarm"].is_null());
    let text =
        String::from_utf8(point.cmd(&["sync", "--status"]).output().unwrap().stdout).unwrap();
    assert!(
        text.contains("acknowledged:  120 of 120 events (0 pending)"),
        "{text}"
    );

    let list: Value =
        serde_json::from_slice(&server_cmd(&db, &["point", "list", "--json"]).stdout).unwrap();
    assert_eq!(list[0]["acked_through"].as_u64(), Some(120));
    let resp: Value = reqwest::Client::new()
        .get(format!("{}/api/v1/points", server.url))
        .bearer_auth(&sup_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(resp["points"][0]["name"].as_str(), Some("Көкшетау"));

    // revoked: the sync says so, keeps the events, and records the error
    assert!(
        server_cmd(&db, &["point", "revoke", "akm-1"])
            .status
            .success()
    );
    point.generate(5, 2, Utc::now(), ChronoDuration::seconds(1));
    let out = point.cmd(&["sync"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("revoked"));
    let st = status(&point);
    assert_eq!(st["pending"].as_u64(), Some(5));
    assert!(
        st["last_error"].as_str().unwrap().contains("token_revoked"),
        "{st}"
    );
    // a new token, given on the command line, works
    let out = server_cmd(&db, &["point", "new-token", "akm-1"]);
    let fresh = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let out = point.cmd(&["sync", "--token", &fresh]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(status(&point)["pending"].as_u64(), Some(0));
    // the refusal is over: the status no longer says it
    let text =
        String::from_utf8(point.cmd(&["sync", "--status"]).output().unwrap().stdout).unwrap();
    assert!(
        text.contains("last error:    none since the last success") && !text.contains("revoked"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_restored_from_a_backup_gets_everything_again_and_an_alarm_rings() {
    let dir = tempfile::tempdir().unwrap();
    let db = ServerDb::new(dir.path()).await;
    let token = db.add_point("p1", REGION);
    let mut server = ServerProc::start_db(&db, "127.0.0.1:0");
    let point = GenPoint::new("p1");
    point.generate(100, 3, day_start(), ChronoDuration::seconds(30));
    let cfg = fast_sync(&server.url, &token);
    let mut f = Forwarder::open(&point.db, &point.id, cfg.clone())
        .await
        .unwrap();
    assert_eq!(f.run_once().await.unwrap().acked_through, 100);
    let copy = db.backup().await;

    // a forwarder keeps running while the server is restored: its next
    // batch meets a gap, and it goes back to what the server holds
    let (db_path, id) = (point.db.clone(), point.id.clone());
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let watcher = tokio::spawn(async move {
        let mut f = Forwarder::open(&db_path, &id, cfg).await.unwrap();
        f.watch(async {
            let _ = stop_rx.await;
        })
        .await;
    });
    point.generate(
        200,
        4,
        day_start() + ChronoDuration::hours(2),
        ChronoDuration::seconds(30),
    );
    let acked = || sync_state::cursor(point.store().conn()).unwrap().0;
    eventually("300 acknowledged", Duration::from_secs(60), async || {
        acked() == 300
    })
    .await;
    server.kill9();
    db.restore(&copy).await;
    server.restart();
    point.generate(
        10,
        5,
        day_start() + ChronoDuration::hours(5),
        ChronoDuration::seconds(30),
    );
    eventually(
        "310 acknowledged again",
        Duration::from_secs(60),
        async || acked() == 310,
    )
    .await;
    let st = status(&point);
    assert_eq!(
        st["alarm"],
        serde_json::json!({"kind": "rewound", "from": 101, "to": 300}),
        "{st}"
    );
    assert_eq!(st["rewinds"], 1, "the gap is counted: {st}");
    stop_tx.send(()).unwrap();
    watcher.await.unwrap();
    let storage = db.open().await;
    assert_same_log(storage.as_ref(), &point).await;
    drop(storage); // nothing may hold the database while it is restored

    // a person clears the alarm; the server is restored once more, and
    // `qabyldau sync` finds it out at the start, by comparing cursors
    assert!(
        point
            .cmd(&["sync", "--clear-alarm"])
            .status()
            .unwrap()
            .success()
    );
    assert!(status(&point)["alarm"].is_null());
    server.kill9();
    db.restore(&copy).await;
    server.restart();
    let out = point
        .cmd(&["sync", "--server", &server.url, "--token", &token])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("sent 210 events"));
    let text =
        String::from_utf8(point.cmd(&["sync", "--status"]).output().unwrap().stdout).unwrap();
    assert!(
        text.contains("ALARM:") && text.contains("lost events 101 to 310"),
        "{text}"
    );
    // the rewind found by comparing cursors counts too, and clearing the
    // alarm did not clear the count
    assert!(text.contains("rewinds:       2"), "{text}");
    assert_eq!(status(&point)["rewinds"], 2);
    assert_same_log(db.open().await.as_ref(), &point).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_body_limit_halves_the_batches() {
    let server = InProcServer::start_with(Limits {
        max_body_bytes: 48 * 1024,
        ..Limits::default()
    })
    .await;
    let token = register(server.dyn_storage(), "p1", REGION).await;
    let point = GenPoint::new("p1");
    point.generate(1_500, 9, day_start(), ChronoDuration::seconds(30));
    let mut f = Forwarder::open(&point.db, &point.id, fast_sync(&server.url, &token))
        .await
        .unwrap();
    let round = f.run_once().await.unwrap();
    assert_eq!((round.acked_through, round.pending), (1_500, 0));
    assert!(f.batch_limit() < 500, "halved to {}", f.batch_limit());
    assert!(server.state.metrics.rejects_of("body_too_large") >= 1);
    assert_same_log(server.dyn_storage(), &point).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_forwarder_per_database_and_a_dead_one_does_not_block() {
    let server = InProcServer::start().await;
    let token = register(server.dyn_storage(), "p1", REGION).await;
    let point = GenPoint::new("p1");
    point.generate(50, 9, day_start(), ChronoDuration::seconds(30));
    let mut cfg = fast_sync(&server.url, &token);
    cfg.lease_ttl = Duration::from_secs(1);
    let mut a = Forwarder::open(&point.db, &point.id, cfg.clone())
        .await
        .unwrap();
    let mut b = Forwarder::open(&point.db, &point.id, cfg).await.unwrap();
    assert!(a.lease().await.unwrap());
    assert!(!b.lease().await.unwrap());
    assert!(matches!(b.run_once().await, Err(SyncError::LeaseHeld)));
    drop(a); // as if killed: the lease is not given back
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(b.run_once().await.unwrap().acked_through, 50);

    // the real program killed with SIGKILL while forwarding
    let mut child = point
        .cmd(&[
            "sync",
            "--watch",
            "--lease-secs",
            "2",
            "--server",
            &server.url,
            "--token",
            &token,
        ])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    eventually(
        "the watcher holds the lease",
        Duration::from_secs(30),
        async || status(&point)["forwarder_active"] == Value::Bool(true),
    )
    .await;
    unsafe {
        libc::kill(child.id() as i32, libc::SIGKILL);
    }
    child.wait().unwrap();
    let out = point
        .cmd(&[
            "sync",
            "--lease-secs",
            "2",
            "--server",
            &server.url,
            "--token",
            &token,
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "the lease is still the dead one's"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("another forwarder"));
    point.generate(
        7,
        10,
        day_start() + ChronoDuration::hours(3),
        ChronoDuration::seconds(30),
    );
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let out = point
        .cmd(&[
            "sync",
            "--lease-secs",
            "2",
            "--server",
            &server.url,
            "--token",
            &token,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(status(&point)["pending"].as_u64(), Some(0));
    assert_same_log(server.dyn_storage(), &point).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn background_forwarders_of_several_screens_share_one_lease() {
    let server = InProcServer::start().await;
    let token = register(server.dyn_storage(), "p1", REGION).await;
    let point = GenPoint::with_server("p1", Some((&server.url, &token)));
    let config = point.ctx().config;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    assert!(
        qabyldau::sync::spawn_background(
            point.db.clone(),
            &GenPoint::new("p1").ctx().config,
            stopped.clone()
        )
        .is_none()
    );
    point.generate(300, 12, day_start(), ChronoDuration::seconds(30));
    // a kiosk and a desk on one database
    let kiosk =
        qabyldau::sync::spawn_background(point.db.clone(), &config, stopped.clone()).unwrap();
    let desk =
        qabyldau::sync::spawn_background(point.db.clone(), &config, stopped.clone()).unwrap();
    let acked = || sync_state::get(point.store().conn()).unwrap();
    eventually(
        "drained in the background",
        Duration::from_secs(60),
        async || acked().pending == 0 && acked().acked_seq == 300,
    )
    .await;
    // new events while the screens run are forwarded too
    point.generate(
        20,
        13,
        day_start() + ChronoDuration::hours(4),
        ChronoDuration::seconds(30),
    );
    eventually("new events follow", Duration::from_secs(60), async || {
        acked().acked_seq == 320
    })
    .await;
    assert!(acked().forwarder_active);
    assert!(!kiosk.is_finished() && !desk.is_finished());
    assert_same_log(server.dyn_storage(), &point).await;
    // the screens close: both forwarders end and the lease is free at
    // once for a `qabyldau sync` (not only after it runs out)
    stop.send(true).unwrap();
    for task in [kiosk, desk] {
        tokio::time::timeout(Duration::from_secs(30), task)
            .await
            .expect("the forwarder ends when told to stop")
            .unwrap();
    }
    assert!(!acked().forwarder_active, "{:?}", acked());
    server.stop().await;

    // an unreachable server: the background task neither ends nor blocks,
    // and the error is there for the supervisor view
    let lonely = GenPoint::with_server("p2", Some(("http://127.0.0.1:9", "qbl_x")));
    lonely.generate(3, 1, day_start(), ChronoDuration::seconds(30));
    let (_keep, stopped) = tokio::sync::watch::channel(false);
    let handle =
        qabyldau::sync::spawn_background(lonely.db.clone(), &lonely.ctx().config, stopped).unwrap();
    eventually(
        "the error is recorded",
        Duration::from_secs(60),
        async || {
            sync_state::get(lonely.store().conn())
                .unwrap()
                .last_error
                .is_some()
        },
    )
    .await;
    assert!(!handle.is_finished());
    let st = sync_state::get(lonely.store().conn()).unwrap();
    assert_eq!(st.pending, 3);
    assert!(!st.is_healthy());
    handle.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_server_is_retried_after_the_time_it_names() {
    use axum::http::{HeaderMap, StatusCode, header};
    // a server (or proxy) that is overloaded and says when to come back,
    // with a body that is not even JSON
    let busy = axum::Router::new().fallback(|| async {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, "7".parse().unwrap());
        (
            StatusCode::SERVICE_UNAVAILABLE,
            h,
            "<html>\x1b[31mbusy</html>",
        )
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, busy).await.unwrap() });
    let point = GenPoint::new("p1");
    point.generate(5, 1, day_start(), ChronoDuration::seconds(30));
    let mut f = Forwarder::open(&point.db, &point.id, fast_sync(&url, "qbl_x"))
        .await
        .unwrap();
    let err = f.run_once().await.unwrap_err();
    assert!(err.is_transient(), "{err}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    let mut backoff =
        qabyldau::sync::backoff::Backoff::new(Duration::from_millis(1), Duration::from_secs(600));
    let wait = backoff.next_delay(&mut rand::rng(), err.retry_after());
    assert!(
        wait >= Duration::from_secs(7),
        "the forwarder waits at least as asked"
    );
    let st = sync_state::get(point.store().conn()).unwrap();
    let recorded = st.last_error.unwrap();
    assert!(
        recorded.contains("503") && !recorded.contains('\x1b'),
        "{recorded}"
    );
    assert_eq!(st.pending, 5);
}
