//! The screens forward in the background: a kiosk whose config names a
//! regional server sends its events there without any `qabyldau sync`,
//! and with the server down or hanging it still issues tickets at once.

use crate::support::{Pty, TEST_CONFIG, TempPoint};
use crate::sync_support::{REGION, ServerProc, cli_add_point};
use serde_json::Value;
use std::net::TcpListener;
use std::time::{Duration, Instant};

fn with_server(url: &str, token: &str) -> TempPoint {
    TempPoint::with_config(&format!(
        "{TEST_CONFIG}\n[server]\nurl = \"{url}\"\ntoken = \"{token}\"\n"
    ))
}

/// The server's view of its points, read from its own database.
fn server_points(db: &std::path::Path) -> Vec<Value> {
    let out = std::process::Command::new(crate::sync_support::BIN)
        .arg("--db")
        .arg(db)
        .args(["server", "point", "list", "--json"])
        .env("HOME", db.parent().unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn acked_at_server(db: &std::path::Path, point: &str) -> u64 {
    server_points(db)
        .iter()
        .find(|p| p["id"] == point)
        .and_then(|p| p["acked_through"].as_u64())
        .unwrap_or(0)
}

fn sync_status(point: &TempPoint) -> Value {
    point.json(&["sync", "--status", "--json"])
}

/// Takes a housing ticket on the kiosk (in Russian) and returns the screen.
fn take_ticket(pty: &mut Pty, number: &str) -> String {
    // the welcome screen, in all three languages: 2 is Russian
    pty.wait_for("Қош келдіңіз!");
    pty.send("2");
    pty.wait_for("Что вы хотите сделать?");
    pty.send("1");
    pty.wait_for("Выберите тему вопроса");
    pty.send("1");
    pty.enter();
    pty.wait_for("Есть ли у вас право");
    pty.send("1");
    let screen = pty.wait_for(&format!("Ваш талон: {number}"));
    pty.enter();
    screen
}

fn kiosk(point: &TempPoint) -> Pty {
    Pty::spawn(point, &["kiosk", "--allow-exit"], 80, 24)
}

fn wait_until(what: &str, timeout: Duration, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < timeout, "never happened: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_kiosk_forwards_its_tickets_without_a_sync_command() {
    let dir = tempfile::tempdir().unwrap();
    let server_db = dir.path().join("server.db");
    let token = cli_add_point(&server_db, "test-point", REGION);
    let server = ServerProc::start(&server_db, "127.0.0.1:0");
    let point = with_server(&server.url, &token);

    let mut pty = kiosk(&point);
    take_ticket(&mut pty, "Ж-001");
    // nobody runs `qabyldau sync`: the kiosk's own forwarder sends it
    wait_until(
        "the server holds the kiosk's ticket",
        Duration::from_secs(60),
        || acked_at_server(&server_db, "test-point") >= 1,
    );
    // and the next one, while the kiosk keeps running
    take_ticket(&mut pty, "Ж-002");
    wait_until(
        "the server holds the second ticket",
        Duration::from_secs(60),
        || acked_at_server(&server_db, "test-point") >= 2,
    );
    let st = sync_status(&point);
    assert_eq!(st["pending"], 0, "{st}");
    assert_eq!(st["acked_seq"], 2, "{st}");
    assert!(st["last_success_at"].is_string(), "{st}");
    assert_eq!(st["forwarder_active"], true, "{st}");
    // the events the server holds are the kiosk's tickets
    let log = point.json(&["events", "--json"]);
    let kinds: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["ticket_taken", "ticket_taken"]);

    pty.ctrl('q');
    assert!(pty.wait_exit(Duration::from_secs(30)).success());
    // the closed kiosk gave its lease up: `qabyldau sync` may start at once
    let st = sync_status(&point);
    assert_eq!(st["forwarder_active"], false, "{st}");
}

/// A "server" that accepts connections and never answers: the worst case
/// for a screen that waited on the network.
fn hanging_server() -> (TcpListener, String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let held = listener.try_clone().unwrap();
    let thread = std::thread::spawn(move || {
        let mut open = Vec::new();
        for conn in held.incoming() {
            match conn {
                Ok(c) => open.push(c),
                Err(_) => break,
            }
            if open.len() > 64 {
                break;
            }
        }
        std::thread::sleep(Duration::from_secs(120));
    });
    (listener, url, thread)
}

#[test]
fn with_the_server_hanging_or_gone_the_kiosk_still_issues_tickets() {
    let (_listener, url, _thread) = hanging_server();
    let point = with_server(&url, "qbl_0000");
    let mut pty = kiosk(&point);
    take_ticket(&mut pty, "Ж-001");
    // the forwarder is running and stuck on the silent server...
    wait_until(
        "the forwarder took the lease",
        Duration::from_secs(30),
        || sync_status(&point)["forwarder_active"] == true,
    );
    // ...and tickets are issued as ever
    for n in 2..=4 {
        take_ticket(&mut pty, &format!("Ж-00{n}"));
    }
    let st = sync_status(&point);
    assert_eq!(st["pending"], 4, "{st}");
    assert_eq!(st["acked_seq"], 0, "{st}");
    pty.ctrl('q');
    assert!(pty.wait_exit(Duration::from_secs(30)).success());

    // a server that is simply not there: refused connections
    let gone = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let point = with_server(&gone, "qbl_0000");
    let mut pty = kiosk(&point);
    take_ticket(&mut pty, "Ж-001");
    wait_until("the failure is recorded", Duration::from_secs(30), || {
        sync_status(&point)["last_error"].is_string()
    });
    take_ticket(&mut pty, "Ж-002");
    let st = sync_status(&point);
    assert_eq!(st["pending"], 2, "{st}");
    assert!(
        st["last_error"].as_str().unwrap().len() < 600,
        "one line: {st}"
    );
    pty.ctrl('q');
    assert!(pty.wait_exit(Duration::from_secs(30)).success());
}
