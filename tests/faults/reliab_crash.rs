//! Crash loop. Round after round, two kiosk writers (`qabyldau ticket` and
//! `qabyldau appeal`, each printing a line only after its commit), a
//! forwarder (`qabyldau sync --watch`) and the regional server (`qabyldau
//! server`) run together and are killed with SIGKILL at random moments:
//! during start-up and migrations, mid-transaction, mid-batch. After every
//! round:
//!
//! - every confirmed (printed) ticket and appeal is in the point's database,
//!   under the `seq` and number that were printed;
//! - no `seq` and no number was given twice; the log is 1..n without a gap;
//! - `PRAGMA integrity_check` is ok at the point and at the server;
//! - after draining (`qabyldau sync` until nothing is pending) the server
//!   holds exactly the point's log, event for event, hash for hash.
//!
//! `QABYLDAU_CRASH_ROUNDS` sets the rounds (default 6; `.ci/run` runs 200,
//! the long mode 1,000+). The seed is printed; `QABYLDAU_CRASH_SEED=S`
//! replays a run.

use crate::sync_support::*;
use qabyldau::server::storage::Storage;
use qabyldau::server::storage::sqlite::SqliteStorage;
use qabyldau::store::events;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const POINT: &str = "crash-1";

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// A writer process and the lines it printed (complete lines only: a line
/// cut by the kill was never confirmed).
struct Writer {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    reader: JoinHandle<()>,
}

impl Writer {
    fn spawn(point: &GenPoint, args: &[&str]) -> Writer {
        let mut child = point
            .cmd(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start a writer");
        let out = child.stdout.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        let reader = std::thread::spawn(move || {
            let mut r = BufReader::new(out);
            loop {
                let mut line = Vec::new();
                match r.read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => return,
                    Ok(_) if line.ends_with(b"\n") => sink
                        .lock()
                        .unwrap()
                        .push(String::from_utf8(line).unwrap().trim_end().to_string()),
                    Ok(_) => return, // cut by the kill: not confirmed
                }
            }
        });
        Writer {
            child,
            lines,
            reader,
        }
    }

    /// Waits for the end and returns the confirmed lines. A writer that
    /// ended by itself (not by the kill) must have succeeded.
    fn finish(mut self) -> Vec<String> {
        let status = self.child.wait().unwrap();
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            use std::io::Read;
            let _ = e.read_to_string(&mut err);
        }
        use std::os::unix::process::ExitStatusExt;
        assert!(
            status.success() || status.signal() == Some(libc::SIGKILL),
            "a writer failed by itself ({status}): {err}"
        );
        self.reader.join().unwrap();
        std::mem::take(&mut *self.lines.lock().unwrap())
    }
}

fn kill(child: &Child, signal: i32) {
    unsafe {
        libc::kill(child.id() as i32, signal);
    }
}

/// A confirmed record: what the writer printed.
#[derive(Debug, Clone)]
struct Confirmed {
    id: String,
    number: String,
    seq: u64,
    /// `tickets` or `appeals`
    table: &'static str,
}

fn parse(line: &str, table: &'static str) -> Confirmed {
    let v: serde_json::Value =
        serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    Confirmed {
        id: v["id"].as_str().unwrap().to_string(),
        number: v["number"].as_str().unwrap().to_string(),
        seq: v["seq"].as_u64().unwrap(),
        table,
    }
}

fn integrity(conn: &rusqlite::Connection) -> String {
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// Every figure the loop keeps, for the summary and docs/RELIABILITY.md.
#[derive(Debug, Default)]
struct Tally {
    rounds: u64,
    tickets: u64,
    appeals: u64,
    writer_kills: u64,
    forwarder_kills: u64,
    server_kills: u64,
    lost: u64,
    doubled: u64,
}

#[test]
fn kill_9_writers_forwarder_and_server_at_random_moments() {
    let rounds = env_u64("QABYLDAU_CRASH_ROUNDS").unwrap_or(6);
    let seed = env_u64("QABYLDAU_CRASH_SEED").unwrap_or_else(|| rand::rng().random());
    eprintln!(
        "crash loop: {rounds} rounds, seed {seed} (replay: QABYLDAU_CRASH_SEED={seed} QABYLDAU_CRASH_ROUNDS={rounds})"
    );
    let mut rng = StdRng::seed_from_u64(seed);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let server_db = dir.path().join("server.db");
    let token = cli_add_point(&server_db, POINT, REGION);
    let mut server = ServerProc::start(&server_db, "127.0.0.1:0");
    let mut server_up = true;
    let point = GenPoint::with_server(POINT, Some((&server.url, &token)));
    let storage = SqliteStorage::open(&server_db).unwrap();

    let mut confirmed: BTreeMap<u64, Confirmed> = BTreeMap::new();
    let mut numbers: HashSet<(&'static str, String)> = HashSet::new();
    let mut verified_through = 0u64;
    let mut tally = Tally::default();
    let started = Instant::now();
    for round in 1..=rounds {
        if !server_up {
            server.restart();
            server_up = true;
        }
        // what dies in this round, and when (ms after the start)
        let writer_life = [rng.random_range(0..600u64), rng.random_range(0..600u64)];
        let forwarder_death = rng.random_range(0..800u64);
        let forwarder_sigkill = rng.random_bool(0.7);
        let server_death = rng.random_bool(0.35).then(|| rng.random_range(0..800u64));

        let mut forwarder = point
            .cmd(&["sync", "--watch", "--lease-secs", "1"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let tickets = Writer::spawn(
            &point,
            &[
                "ticket",
                "--category",
                "housing",
                "--count",
                "100000",
                "--json",
            ],
        );
        let appeals = Writer::spawn(
            &point,
            &[
                "appeal",
                "--category",
                "utilities",
                "--text",
                "Пәтерде суық, батареялар жылымайды. В квартире холодно.",
                "--count",
                "100000",
                "--json",
            ],
        );
        let t0 = Instant::now();
        let mut plan: Vec<(u64, &str)> = vec![
            (writer_life[0], "tickets"),
            (writer_life[1], "appeals"),
            (forwarder_death, "forwarder"),
        ];
        if let Some(t) = server_death {
            plan.push((t, "server"));
        }
        plan.sort();
        for (at, who) in plan {
            let due = t0 + Duration::from_millis(at);
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            match who {
                "tickets" => kill(&tickets.child, libc::SIGKILL),
                "appeals" => kill(&appeals.child, libc::SIGKILL),
                "forwarder" if forwarder_sigkill => kill(&forwarder, libc::SIGKILL),
                "forwarder" => kill(&forwarder, libc::SIGTERM),
                _ => {
                    server.kill9();
                    server_up = false;
                    tally.server_kills += 1;
                }
            }
        }
        tally.writer_kills += 2;
        tally.forwarder_kills += u64::from(forwarder_sigkill);
        let _ = forwarder.wait();
        let mut printed: Vec<Confirmed> = tickets
            .finish()
            .iter()
            .map(|l| parse(l, "tickets"))
            .collect();
        printed.extend(appeals.finish().iter().map(|l| parse(l, "appeals")));

        // the point: every confirmed record, under its seq, once
        let mut problems: Vec<String> = Vec::new();
        let conn = point.sqlite();
        assert_eq!(integrity(&conn), "ok", "round {round}, seed {seed}");
        for c in printed {
            tally.tickets += u64::from(c.table == "tickets");
            tally.appeals += u64::from(c.table == "appeals");
            if let Some(other) = confirmed.get(&c.seq) {
                tally.doubled += 1;
                problems.push(format!(
                    "seq {} confirmed twice: {other:?} and {c:?}",
                    c.seq
                ));
            }
            if !numbers.insert((c.table, c.number.clone())) {
                tally.doubled += 1;
                problems.push(format!("number {} given twice", c.number));
            }
            confirmed.insert(c.seq, c);
        }
        let (count, max): (i64, i64) = conn
            .query_row(
                "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM events",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(count, max, "round {round}, seed {seed}: a gap in the log");
        // one read of the whole log and both tables: every confirmed record
        // of every round so far is still there
        let logged: std::collections::HashMap<u64, String> = conn
            .prepare(
                "SELECT seq, COALESCE(json_extract(payload, '$.ticket_id'), \
                 json_extract(payload, '$.appeal_id'), '') FROM events",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let ids = |table: &str| -> HashSet<String> {
            conn.prepare(&format!("SELECT id FROM {table}"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let (ticket_ids, appeal_ids) = (ids("tickets"), ids("appeals"));
        for c in confirmed.values() {
            let row = match c.table {
                "tickets" => &ticket_ids,
                _ => &appeal_ids,
            };
            if logged.get(&c.seq) != Some(&c.id) || !row.contains(&c.id) {
                tally.lost += 1;
                problems.push(format!("confirmed {c:?} is not in the database"));
            }
        }
        assert!(
            problems.is_empty(),
            "round {round}, seed {seed}: lost {}, doubled {}:\n{}",
            tally.lost,
            tally.doubled,
            problems.join("\n")
        );
        drop(conn);

        // drain, then the server holds exactly the point's log
        if !server_up {
            server.restart();
            server_up = true;
        }
        drain(&point, round, seed);
        let last = point.last_seq();
        rt.block_on(compare_from(&storage, &point, verified_through, last));
        verified_through = last;
        let sconn = rusqlite::Connection::open(&server_db).unwrap();
        assert_eq!(
            integrity(&sconn),
            "ok",
            "server, round {round}, seed {seed}"
        );
        tally.rounds = round;
    }
    server.kill9();
    rt.block_on(assert_same_log(&storage, &point));
    eprintln!(
        "crash loop: seed {seed}: {} rounds in {:.0?}: {} tickets and {} appeals confirmed; \
         kills: writers {}, forwarder {} (SIGKILL; the rest SIGTERM), server {}; \
         {} events at the point and at the server ({} committed but killed before printed); \
         lost {}, doubled {}",
        tally.rounds,
        started.elapsed(),
        tally.tickets,
        tally.appeals,
        tally.writer_kills,
        tally.forwarder_kills,
        tally.server_kills,
        point.last_seq(),
        point.last_seq() - tally.tickets - tally.appeals,
        tally.lost,
        tally.doubled
    );
    assert!(
        tally.tickets + tally.appeals > 0,
        "the writers never confirmed anything: the loop tested nothing"
    );
}

/// `qabyldau sync` until it reports nothing pending. A SIGKILLed forwarder
/// holds the lease until it runs out (1 s here): exit 3 means "wait".
fn drain(point: &GenPoint, round: u64, seed: u64) {
    let start = Instant::now();
    loop {
        let out = point.cmd(&["sync", "--lease-secs", "1"]).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        if out.status.success() && text.contains(" 0 pending") {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "round {round}, seed {seed}: the drain never finished: {} {}",
            text,
            String::from_utf8_lossy(&out.stderr)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The server holds the point's events `after+1..=last`, equal one by one,
/// and nothing beyond `last`.
async fn compare_from(storage: &SqliteStorage, point: &GenPoint, after: u64, last: u64) {
    let store = point.store();
    let mut from = after;
    while from < last {
        let mine = events::after(store.conn(), from, 2000).unwrap();
        let theirs = storage.events(point.id.clone(), from, 2000).await.unwrap();
        assert_eq!(mine.len(), theirs.len(), "after seq {from}");
        for (m, t) in mine.iter().zip(&theirs) {
            assert_eq!(m, &t.record, "seq {}", m.seq);
            assert_eq!(m.content_hash(), t.hash, "seq {}", m.seq);
        }
        from = mine.last().unwrap().seq;
    }
    let beyond = storage.events(point.id.clone(), last, 10).await.unwrap();
    assert!(beyond.is_empty(), "the server holds more than the point");
}
