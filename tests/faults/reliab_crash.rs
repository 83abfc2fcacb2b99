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
//! the long mode 1,000+). They are split between `QABYLDAU_CRASH_LOOPS`
//! independent loops run at once (default 2), each with its own point
//! database, server and generator; the second loop's writers run on a
//! clock that crosses Almaty's midnight and new year in every round (test
//! hook `QABYLDAU_TEST_CLOCK`), so ticket numbers start again under its
//! checks. One seed is printed; `QABYLDAU_CRASH_SEED=S` with the same
//! rounds and loops replays a run.

use crate::sync_support::*;
use qabyldau::server::storage::Storage;
use qabyldau::server::storage::sqlite::SqliteStorage;
use qabyldau::store::events;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The writers' clock of the second loop: 10 s before midnight and the new
/// year in Almaty (UTC+5), one second more per record (`QABYLDAU_TEST_CLOCK`).
const MIDNIGHT_CLOCK: &str = "2026-12-31T18:59:50Z";

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
    fn spawn(point: &GenPoint, args: &[&str], env: &[(&str, &str)]) -> Writer {
        let mut child = point
            .cmd(args)
            .envs(env.iter().copied())
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
    /// A ticket's service day; empty for an appeal, whose number holds its
    /// year ("2026-00042").
    day: String,
    seq: u64,
    /// `tickets` or `appeals`
    table: &'static str,
}

impl Confirmed {
    /// What must never be given twice. Ticket numbers start again each
    /// service day (at the point's local midnight) and appeal numbers each
    /// year, so the number alone is not it.
    fn key(&self) -> (&'static str, String, String) {
        (self.table, self.day.clone(), self.number.clone())
    }
}

fn parse(line: &str, table: &'static str) -> Confirmed {
    let v: serde_json::Value =
        serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    Confirmed {
        id: v["id"].as_str().unwrap().to_string(),
        number: v["number"].as_str().unwrap().to_string(),
        day: v["service_date"].as_str().unwrap_or_default().to_string(),
        seq: v["seq"].as_u64().unwrap(),
        table,
    }
}

fn integrity(conn: &rusqlite::Connection) -> String {
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// Every figure a loop keeps, for the summary and docs/RELIABILITY.md.
#[derive(Debug, Default, Clone)]
struct Tally {
    rounds: u64,
    tickets: u64,
    appeals: u64,
    writer_kills: u64,
    forwarder_kills: u64,
    server_kills: u64,
    events: u64,
    lost: u64,
    doubled: u64,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.rounds += o.rounds;
        self.tickets += o.tickets;
        self.appeals += o.appeals;
        self.writer_kills += o.writer_kills;
        self.forwarder_kills += o.forwarder_kills;
        self.server_kills += o.server_kills;
        self.events += o.events;
        self.lost += o.lost;
        self.doubled += o.doubled;
    }

    fn line(&self) -> String {
        format!(
            "{} rounds: {} tickets and {} appeals confirmed; \
             kills: writers {}, forwarder {} (SIGKILL; the rest SIGTERM), server {}; \
             {} events at the point and at the server ({} committed but killed before printed); \
             lost {}, doubled {}",
            self.rounds,
            self.tickets,
            self.appeals,
            self.writer_kills,
            self.forwarder_kills,
            self.server_kills,
            self.events,
            self.events - self.tickets - self.appeals,
            self.lost,
            self.doubled
        )
    }
}

/// One of the loops run at once.
struct Loop {
    index: usize,
    rounds: u64,
    /// The run's seed, for messages (the replay needs only it).
    run_seed: u64,
    seed: u64,
    /// The writers' `QABYLDAU_TEST_CLOCK`, if not the system's.
    clock: Option<&'static str>,
}

impl Loop {
    fn at(&self, round: u64) -> String {
        format!(
            "loop {}, round {round}, seed {}",
            self.index + 1,
            self.run_seed
        )
    }
}

#[test]
fn kill_9_writers_forwarder_and_server_at_random_moments() {
    let rounds = env_u64("QABYLDAU_CRASH_ROUNDS").unwrap_or(6);
    let loops = env_u64("QABYLDAU_CRASH_LOOPS")
        .unwrap_or(2)
        .clamp(1, rounds.max(1));
    let seed = env_u64("QABYLDAU_CRASH_SEED").unwrap_or_else(|| rand::rng().random());
    eprintln!(
        "crash loop: {rounds} rounds in {loops} loops at once, seed {seed} \
         (replay: QABYLDAU_CRASH_SEED={seed} QABYLDAU_CRASH_ROUNDS={rounds} QABYLDAU_CRASH_LOOPS={loops})"
    );
    let started = Instant::now();
    // a failing loop stops the others at their next round
    let stop = Arc::new(AtomicBool::new(false));
    let handles: Vec<_> = (0..loops)
        .map(|k| {
            let l = Loop {
                index: k as usize,
                rounds: rounds / loops + u64::from(k < rounds % loops),
                run_seed: seed,
                // loop 1 draws from the seed itself: one loop replays the
                // single loop this test once was
                seed: seed.wrapping_add(k.wrapping_mul(0x9e37_79b9_7f4a_7c15)),
                clock: (k == 1).then_some(MIDNIGHT_CLOCK),
            };
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name(format!("crash loop {}", k + 1))
                .spawn(move || {
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        run_loop(&l, &stop)
                    }));
                    if result.is_err() {
                        stop.store(true, Ordering::SeqCst);
                    }
                    result
                })
                .unwrap()
        })
        .collect();
    let mut total = Tally::default();
    let mut failure = None;
    for (k, h) in handles.into_iter().enumerate() {
        match h.join().unwrap() {
            Ok(t) => {
                eprintln!("crash loop {}: {}", k + 1, t.line());
                total.add(&t);
            }
            Err(panic) => {
                failure.get_or_insert(panic);
            }
        }
    }
    if let Some(panic) = failure {
        // the message was printed by the failing loop's thread
        std::panic::resume_unwind(panic);
    }
    eprintln!(
        "crash loop: seed {seed}: {} in {:.0?} ({loops} loops at once)",
        total.line(),
        started.elapsed()
    );
    assert_eq!(total.rounds, rounds);
    assert!(
        total.tickets + total.appeals > 0,
        "the writers never confirmed anything: the loop tested nothing"
    );
}

/// The rounds of one loop, on its own point, server and generator.
fn run_loop(l: &Loop, stop: &AtomicBool) -> Tally {
    let mut rng = StdRng::seed_from_u64(l.seed);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    let point_id = format!("crash-{}", l.index + 1);
    let dir = tempfile::tempdir().unwrap();
    let server_db = dir.path().join("server.db");
    let token = cli_add_point(&server_db, &point_id, REGION);
    let mut server = ServerProc::start(&server_db, "127.0.0.1:0");
    let mut server_up = true;
    let point = GenPoint::with_server(&point_id, Some((&server.url, &token)));
    let storage = SqliteStorage::open(&server_db).unwrap();
    let writer_env: Vec<(&str, &str)> = l
        .clock
        .iter()
        .map(|c| ("QABYLDAU_TEST_CLOCK", *c))
        .collect();

    let mut confirmed: BTreeMap<u64, Confirmed> = BTreeMap::new();
    let mut keys: HashSet<(&'static str, String, String)> = HashSet::new();
    let mut ticket_days: BTreeSet<String> = BTreeSet::new();
    // numbers seen without their day: how often one came again
    let mut numbers_alone: HashSet<(&'static str, String)> = HashSet::new();
    let mut repeated_without_day = 0u64;
    let mut verified_through = 0u64;
    let mut tally = Tally::default();
    for round in 1..=l.rounds {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let here = l.at(round);
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
            &writer_env,
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
            &writer_env,
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
        assert_eq!(integrity(&conn), "ok", "{here}");
        for c in printed {
            tally.tickets += u64::from(c.table == "tickets");
            tally.appeals += u64::from(c.table == "appeals");
            if c.table == "tickets" {
                ticket_days.insert(c.day.clone());
            }
            if let Some(other) = confirmed.get(&c.seq) {
                tally.doubled += 1;
                problems.push(format!(
                    "seq {} confirmed twice: {other:?} and {c:?}",
                    c.seq
                ));
            }
            if !numbers_alone.insert((c.table, c.number.clone())) {
                repeated_without_day += 1;
            }
            if !keys.insert(c.key()) {
                tally.doubled += 1;
                problems.push(format!("number {} given twice ({:?})", c.number, c.key()));
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
        assert_eq!(count, max, "{here}: a gap in the log");
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
            "{here}: lost {}, doubled {}:\n{}",
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
        drain(&point, &here);
        let last = point.last_seq();
        rt.block_on(compare_from(&storage, &point, verified_through, last));
        verified_through = last;
        let sconn = rusqlite::Connection::open(&server_db).unwrap();
        assert_eq!(integrity(&sconn), "ok", "server, {here}");
        tally.rounds = round;
    }
    server.kill9();
    rt.block_on(assert_same_log(&storage, &point));
    tally.events = point.last_seq();
    if l.clock.is_some() && tally.tickets > 10 * tally.rounds {
        // more than the 10 records before midnight a round: some were after
        assert!(
            ticket_days.len() >= 2,
            "loop {}: its clock never crossed midnight: {ticket_days:?}",
            l.index + 1
        );
        // the same numbers on both days: a check of numbers alone (as this
        // test once had) would have called them doubled
        assert!(repeated_without_day > 0, "loop {}", l.index + 1);
        eprintln!(
            "crash loop {}: tickets on {ticket_days:?}; {repeated_without_day} numbers came again on a later day, none doubled",
            l.index + 1
        );
    }
    tally
}

/// `qabyldau sync` until it reports nothing pending. A SIGKILLed forwarder
/// holds the lease until it runs out (1 s here): exit 3 means "wait".
fn drain(point: &GenPoint, at: &str) {
    let start = Instant::now();
    loop {
        let out = point.cmd(&["sync", "--lease-secs", "1"]).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        if out.status.success() && text.contains(" 0 pending") {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "{at}: the drain never finished: {} {}",
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
