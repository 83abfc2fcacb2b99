//! A point offline for a long time: 50,000 events queue up with no server.
//! Then the server appears and `qabyldau sync` drains them, reading from
//! SQLite one batch at a time: its peak memory stays far below the size of
//! the log. (The only test in this file: the peak memory of child
//! processes is per test process.)
mod sync_support;

use std::process::Stdio;
use sync_support::*;

const EVENTS: u64 = 50_000;

/// The largest peak resident size of the children this process waited
/// for, in bytes.
fn children_peak_rss() -> u64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    assert_eq!(
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) },
        0
    );
    usage.ru_maxrss as u64 * 1024 // Linux reports KiB
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_backlog_drains_in_bounded_memory() {
    let point = GenPoint::new("mobile-village");
    // long appeal texts: the log is larger than the bound below
    point.generate_large(EVENTS, 5, 4_000);
    let log_bytes: u64 = point
        .sqlite()
        .query_row("SELECT SUM(LENGTH(payload)) FROM events", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap() as u64;

    // no server: the attempt fails, nothing is lost, the error is kept
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}", dead.local_addr().unwrap());
    drop(dead);
    let out = point
        .cmd(&["sync", "--server", &dead_url, "--token", "qbl_x"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let status: serde_json::Value = serde_json::from_slice(
        &point
            .cmd(&["sync", "--status", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(status["pending"], serde_json::json!(EVENTS));
    assert!(
        status["last_error"].as_str().unwrap().contains("connect"),
        "{status}"
    );

    // the server appears
    let server = InProcServer::start().await;
    let token = register(server.dyn_storage(), "mobile-village", REGION).await;
    let child = point
        .cmd(&["sync", "--server", &server.url, "--token", &token])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("sent 50000 events"), "{said}");
    let peak = children_peak_rss();
    eprintln!(
        "log payloads {} MiB; peak memory of the forwarder {} MiB",
        log_bytes >> 20,
        peak >> 20
    );
    // a forwarder that loaded the log would hold more than the log itself
    assert!(log_bytes > 60 << 20, "the log is large: {log_bytes}");
    assert!(
        peak < 48 << 20,
        "the forwarder held {} MiB at its peak: it must not load the log",
        peak >> 20
    );

    let held = server
        .storage
        .events(point.id.clone(), EVENTS - 1, 10)
        .await
        .unwrap();
    assert_eq!(held.len(), 1);
    assert_same_log(server.dyn_storage(), &point).await;
    let status: serde_json::Value = serde_json::from_slice(
        &point
            .cmd(&["sync", "--status", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(status["pending"], serde_json::json!(0));
    server.stop().await;
}
