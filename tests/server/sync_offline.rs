//! A point offline for a long time: 50,000 events queue up with no server.
//! Then the server appears and `qabyldau sync` drains them, reading from
//! SQLite one batch at a time: its peak memory stays far below the size of
//! the log. The peak is the forwarder's own (`wait4` of that one child):
//! other tests of this program run their own children at the same time.

use crate::sync_support::*;
use std::io::Read;
use std::process::{Child, Stdio};

const EVENTS: u64 = 50_000;

/// The high-water mark of a running process's resident memory (bytes), as
/// the kernel keeps it for the program after its `exec`.
fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Waits for `child` and returns its exit code, stdout, stderr and its own
/// peak resident size in bytes. `ru_maxrss` cannot say it: the child is
/// started with `posix_spawn` (a `vfork`), so the kernel records the test
/// program's own peak as the child's until its `exec`, and this program
/// runs many tests at once. The peak is read from `/proc/PID/status`
/// (`VmHWM`, which only grows) every 10 ms while the child runs.
fn wait_with_peak_rss(mut child: Child) -> (Option<i32>, String, String, u64) {
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut p) = pipe {
                p.read_to_string(&mut text).unwrap();
            }
            text
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let mut peak = 0;
    let status = loop {
        if let Some(hwm) = vm_hwm(child.id()) {
            peak = peak.max(hwm);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    assert!(peak > 0, "the forwarder's memory was never read");
    (
        status.code(),
        out.join().unwrap(),
        err.join().unwrap(),
        peak,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_backlog_drains_in_bounded_memory() {
    let point = GenPoint::scratch("mobile-village");
    // long appeal texts: the log is larger than the bound below (made once
    // per build: the second backend's pass drains the same log)
    let started = std::time::Instant::now();
    point.generate_large_once(EVENTS, 5, 4_000);
    eprintln!("{EVENTS} events at the point in {:.1?}", started.elapsed());
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
    let started = std::time::Instant::now();
    let (code, said, stderr, peak) = tokio::task::spawn_blocking(move || wait_with_peak_rss(child))
        .await
        .unwrap();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(said.contains("sent 50000 events"), "{said}");
    eprintln!("drained in {:.1?}", started.elapsed());
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
