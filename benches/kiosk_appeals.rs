//! Durable appeals per second through `leave_written_appeal`, one per
//! transaction as the kiosk records them, on a file database; and the same
//! rows (an event and an appeal) inserted by a bare rusqlite loop with the
//! same pragmas (WAL, synchronous=FULL), as the reference.
//! Run: `cargo bench --bench kiosk_appeals`.

use chrono::Utc;
use qabyldau::app::Context;
use qabyldau::app::kiosk::{Author, WrittenAppeal, leave_written_appeal};
use qabyldau::config::{Config, DEFAULT_CONFIG};
use qabyldau::domain::appeal::Citizen;
use qabyldau::domain::{AppealKind, AppealText, CategoryId, Lang, PersonName, Phone, ShortText};
use qabyldau::store::Store;
use rusqlite::{Connection, TransactionBehavior, params};
use std::path::Path;
use std::time::{Duration, Instant};

const N: usize = 300;
const TEXT: &str = "В доме третью неделю нет горячей воды, батареи еле тёплые. \
    Обращались в КСК, ответа нет. Просим разобраться и взять вопрос на контроль.";

fn appeal(i: usize) -> WrittenAppeal {
    WrittenAppeal {
        kind: AppealKind::Request,
        category: CategoryId::new("utilities"),
        author: Author::Consented(Citizen {
            name: PersonName::parse(&format!("Жұмабаев Серік {i}")).unwrap(),
            iin: None,
            phone: Some(Phone::parse("87011234567").unwrap()),
            settlement: Some(ShortText::parse("Степногорск").unwrap()),
            workplace: Some(ShortText::parse("Подшипниковый завод").unwrap()),
        }),
        text: AppealText::parse(TEXT).unwrap(),
        lang: Lang::Ru,
    }
}

fn use_case(dir: &Path) -> Vec<Duration> {
    let config = Config::parse(DEFAULT_CONFIG, Path::new("bench.toml")).unwrap();
    let mut store = Store::open(&dir.join("usecase.db"), &config.point.id).unwrap();
    let ctx = Context::new(config);
    (0..N)
        .map(|i| {
            let a = appeal(i);
            let t = Instant::now();
            leave_written_appeal(&mut store, &ctx, a, Utc::now()).unwrap();
            t.elapsed()
        })
        .collect()
}

fn bare(dir: &Path) -> Vec<Duration> {
    let mut conn = Connection::open(dir.join("bare.db")).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    conn.execute_batch(
        "CREATE TABLE events (seq INTEGER PRIMARY KEY, point_id TEXT, id TEXT, at TEXT,
             actor TEXT, kind TEXT, version INTEGER, payload TEXT);
         CREATE TABLE appeals (id TEXT PRIMARY KEY, year INTEGER, number INTEGER,
             received_at TEXT, kind TEXT, channel TEXT, category TEXT, consent INTEGER,
             citizen_name TEXT, citizen_phone TEXT, settlement TEXT, workplace TEXT,
             text TEXT, lang TEXT, recorded_by TEXT, outcome TEXT, updated_at TEXT);",
    )
    .unwrap();
    (0..N)
        .map(|i| {
            let a = appeal(i);
            let payload = serde_json::json!({ "text": a.text, "category": "utilities", "n": i });
            let t = Instant::now();
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .unwrap();
            let now = Utc::now().to_rfc3339();
            let id = uuid::Uuid::now_v7().to_string();
            tx.execute(
                "INSERT INTO events (seq, point_id, id, at, actor, kind, version, payload)
                 VALUES (?1, 'point-1', ?2, ?3, 'kiosk', 'appeal_recorded', 1, ?4)",
                params![i as i64 + 1, id, now, payload.to_string()],
            )
            .unwrap();
            tx.execute(
                "INSERT INTO appeals VALUES (?1, 2026, ?2, ?3, 'request', 'walk_in', 'utilities', 1,
                 ?4, '+77011234567', 'Степногорск', 'Подшипниковый завод', ?5, 'ru', 'kiosk',
                 'registered', ?3)",
                params![id, i as i64 + 1, now, format!("Жұмабаев Серік {i}"), TEXT],
            )
            .unwrap();
            tx.commit().unwrap();
            t.elapsed()
        })
        .collect()
}

fn summary(name: &str, mut times: Vec<Duration>) -> f64 {
    let total: Duration = times.iter().sum();
    times.sort();
    let per_sec = times.len() as f64 / total.as_secs_f64();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e3;
    println!(
        "{name:<28} {N} commits  {per_sec:>8.1} appeals/s  p50 {:>6.2} ms  p99 {:>6.2} ms",
        pct(0.5),
        pct(0.99)
    );
    per_sec
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    println!("database folder: {}", dir.path().display());
    // alternate, so both see the same disk weather
    let mut uc = Vec::new();
    let mut raw = Vec::new();
    for round in 0..2 {
        let d = dir.path().join(format!("round{round}"));
        std::fs::create_dir_all(&d).unwrap();
        uc.extend(use_case(&d));
        raw.extend(bare(&d));
    }
    let a = summary("leave_written_appeal", uc);
    let b = summary("bare rusqlite (same pragmas)", raw);
    println!("ratio use case / bare: {:.2}", a / b);
}
