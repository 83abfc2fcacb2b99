//! The server's two storage backends side by side on the same machine:
//! ingest rate and report time with 1,000,000 events.
//!
//! Events are synthetic but valid (tickets taken, called, served, finished;
//! appeals recorded, put under control, closed; repeated citizens by
//! phone), decoded by the server's own `decode_batch` and stored through
//! `Storage::ingest_batch` in batches of 500, several points at once: the
//! path of `POST /api/v1/events` without HTTP. Then the figures of a few
//! reports (`report_facts` + `domain::report::compute`, as `GET
//! /api/v1/report` does).
//!
//! QABYLDAU_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   cargo bench --bench pg_backends [-- EVENTS POINTS CONCURRENCY]

#[path = "../tests/sync_support/mod.rs"]
mod sync_support;

use chrono::{DateTime, Duration as ChronoDuration, NaiveDate, Utc};
use qabyldau::domain::event::{
    AppealControlSet, AppealOutcomeSet, AppealRecorded, Control, EventBody, PAYLOAD_VERSION,
    TicketAtDesk, TicketRef, TicketTaken,
};
use qabyldau::domain::personal::Personal;
use qabyldau::domain::report::GroupBy;
use qabyldau::domain::{
    AppealKind, AppealNo, AppealText, CategoryId, Channel, Citizen, EventRecord, Lang, Outcome,
    PersonName, Phone, PointId, Priority, TicketNo,
};
use qabyldau::server::ingest::{BatchLimits, decode_batch};
use qabyldau::server::projection::local_date;
use qabyldau::server::report::figures_of_points;

use qabyldau::server::storage::postgres::PostgresStorage;
use qabyldau::server::storage::sqlite::SqliteStorage;
use qabyldau::server::storage::{Batch, IngestOutcome, Scope, Storage};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::Arc;
use std::time::{Duration, Instant};
use sync_support::*;
use uuid::Uuid;

const BATCH: usize = 500;
const CATEGORIES: &[&str] = &[
    "housing",
    "utilities",
    "labour",
    "social",
    "health",
    "roads",
];

fn start() -> DateTime<Utc> {
    chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 1, 5, 3, 0, 0).unwrap()
}

/// A deterministic id: the same events for both backends.
fn id(rng: &mut StdRng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid()
}

/// `n` valid events of one point: visits every 10 minutes, around the clock.
fn point_events(point: &PointId, n: usize, seed: u64) -> Vec<EventRecord> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out: Vec<EventRecord> = Vec::with_capacity(n + 8);
    let mut open: Vec<Uuid> = Vec::new();
    let mut visit = 0u32;
    let text = AppealText::parse("Подъезд не отапливается, прошу принять меры. Жылу жоқ.").unwrap();
    let name = PersonName::parse("Серік Жұмабаев").unwrap();
    while out.len() < n {
        visit += 1;
        let t0 = start() + ChronoDuration::minutes(10 * i64::from(visit));
        let mut push = |at: DateTime<Utc>, actor: &str, body: EventBody| {
            out.push(EventRecord {
                point_id: point.clone(),
                seq: out.len() as u64 + 1,
                id: id(&mut rng),
                at,
                actor: actor.into(),
                kind: body.kind().into(),
                version: PAYLOAD_VERSION,
                payload: body.payload(),
            })
        };
        let ticket = Uuid::from_u128(u128::from(visit) | (u128::from(seed) << 64));
        let category = CategoryId::new(CATEGORIES[visit as usize % CATEGORIES.len()]);
        let desk = 1 + (visit % 4) as u16;
        let staff = format!("op{desk}");
        push(
            t0,
            "kiosk",
            EventBody::TicketTaken(TicketTaken {
                ticket_id: ticket,
                number: TicketNo::new('Ж', visit % 1000),
                service_date: local_date(t0),
                category: category.clone(),
                priority: Priority::Ordinary,
                lang: Lang::Kk,
            }),
        );
        push(
            t0 + ChronoDuration::minutes(5),
            &staff,
            EventBody::TicketCalled(TicketAtDesk {
                ticket_id: ticket,
                desk,
            }),
        );
        push(
            t0 + ChronoDuration::minutes(6),
            &staff,
            EventBody::TicketServing(TicketAtDesk {
                ticket_id: ticket,
                desk,
            }),
        );
        let at = t0 + ChronoDuration::minutes(10);
        if visit % 5 < 2 {
            let appeal = Uuid::from_u128(u128::from(visit) | (u128::from(seed) << 64) | 1 << 127);
            let phone = Phone::parse(&format!("+7701{:07}", visit % 3000)).unwrap();
            push(
                at,
                &staff,
                EventBody::AppealRecorded(Box::new(AppealRecorded {
                    appeal_id: appeal,
                    number: AppealNo {
                        year: 2026,
                        number: visit,
                    },
                    kind: AppealKind::Complaint,
                    channel: Channel::WalkIn,
                    category: category.clone(),
                    citizen: Some(Personal::Clear(Citizen {
                        name: name.clone(),
                        iin: None,
                        phone: Some(phone),
                        settlement: None,
                        workplace: None,
                    })),
                    consent: true,
                    text: Personal::Clear(text.clone()),
                    subject: None,
                    heard_by: vec![],
                    ticket_id: Some(ticket),
                    session_id: None,
                    desk: Some(desk),
                    lang: Lang::Ru,
                    outcome: Outcome::Registered,
                    redirected_to: None,
                    control: None,
                })),
            );
            if visit % 10 == 0 {
                push(
                    at,
                    &staff,
                    EventBody::AppealControlSet(AppealControlSet {
                        appeal_id: appeal,
                        control: Some(Control {
                            responsible: name.clone(),
                            deadline: local_date(at) + ChronoDuration::days(21),
                        }),
                    }),
                );
            }
            open.push(appeal);
        }
        if visit % 3 == 0 && open.len() > 20 {
            let appeal = open.remove(0);
            push(
                at,
                &staff,
                EventBody::AppealOutcomeSet(AppealOutcomeSet {
                    effective_at: None,
                    appeal_id: appeal,
                    outcome: if visit % 2 == 0 {
                        Outcome::ResolvedPositive
                    } else {
                        Outcome::Consulted
                    },
                    redirected_to: None,
                    note: None,
                }),
            );
        }
        push(
            t0 + ChronoDuration::minutes(15),
            &staff,
            EventBody::TicketFinished(TicketRef { ticket_id: ticket }),
        );
    }
    out.truncate(n);
    out
}

/// The point's events as the server decodes them, in batches.
fn batches(point: &PointId, events: &[EventRecord]) -> Vec<Batch> {
    events
        .chunks(BATCH)
        .map(|chunk| {
            let body = serde_json::to_vec(&serde_json::json!({ "events": chunk })).unwrap();
            decode_batch(&body, point, BatchLimits { max_events: BATCH }, Utc::now()).unwrap()
        })
        .collect()
}

struct Ingest {
    events: u64,
    wall: Duration,
    latencies: Vec<Duration>,
}

async fn ingest(storage: Arc<dyn Storage>, events: u64, points: u64, concurrency: u64) -> Ingest {
    let per_point = (events / points) as usize;
    let mut ids = Vec::new();
    for i in 0..points {
        let id = format!("bench-{i:03}");
        register(storage.as_ref(), &id, REGION).await;
        ids.push(PointId::parse(&id).unwrap());
    }
    // decoded before the clock starts: the storage is what is measured
    let work: Vec<Vec<Batch>> = ids
        .iter()
        .enumerate()
        .map(|(i, p)| batches(p, &point_events(p, per_point, i as u64 + 1)))
        .collect();
    let work = Arc::new(std::sync::Mutex::new(work));
    let t = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (storage, work) = (Arc::clone(&storage), Arc::clone(&work));
            tokio::spawn(async move {
                let mut lat = Vec::new();
                loop {
                    let Some(point) = work.lock().unwrap().pop() else {
                        break;
                    };
                    for b in point {
                        let n = b.events.len() as u64;
                        let s = Instant::now();
                        match storage.ingest_batch(b).await.unwrap() {
                            IngestOutcome::Stored { stored, .. } => assert_eq!(stored, n),
                            other => panic!("{other:?}"),
                        }
                        lat.push(s.elapsed());
                    }
                }
                lat
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.unwrap());
    }
    Ingest {
        events: per_point as u64 * points,
        wall: t.elapsed(),
        latencies,
    }
}

/// Median of three runs of a report, in milliseconds, with the number of
/// appeals it counted (the same on both backends, or the bench stops).
async fn report(
    storage: &dyn Storage,
    from: NaiveDate,
    to: NaiveDate,
    point: Option<&str>,
    by: Option<GroupBy>,
) -> (f64, u64) {
    let mut times = Vec::new();
    let mut received = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let scope = Scope {
            region: None,
            point: point.map(|p| PointId::parse(p).unwrap()),
        };
        let limits = qabyldau::domain::queue::WaitLimits::uniform(30);
        let r = figures_of_points(storage, &scope, from, to, by, &limits, Utc::now())
            .await
            .unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        received = r.appeals.received;
    }
    times.sort_by(|a, b| a.total_cmp(b));
    (times[1], received)
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p) as usize].as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let events = *args.first().unwrap_or(&1_000_000);
    let points = *args.get(1).unwrap_or(&20);
    let concurrency = *args.get(2).unwrap_or(&4);
    let Some(url) = test_database_url() else {
        println!(
            "pg_backends: needs {DATABASE_URL_VAR} (a PostgreSQL server to compare with); not run"
        );
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        println!(
            "{events} events, {points} points, {concurrency} at once, batches of {BATCH}; PostgreSQL at {}",
            url.split('@').next_back().unwrap_or_default()
        );
        let dir = tempfile::tempdir().unwrap();
        let pg_db = FreshPg::create().await;
        let mut figures: Vec<Vec<u64>> = Vec::new();
        for name in ["sqlite", "postgres"] {
            let storage: Arc<dyn Storage> = match name {
                "sqlite" => Arc::new(SqliteStorage::open(&dir.path().join("server.db")).unwrap()),
                _ => Arc::new(PostgresStorage::connect(&pg_db.url).await.unwrap()),
            };
            let r = ingest(Arc::clone(&storage), events, points, concurrency).await;
            let mut lat = r.latencies.clone();
            lat.sort();
            println!(
                "{name:<8} ingest: {} events in {:.1} s = {:.0} events/s; batch of {BATCH}: p50 {:.1} ms, p99 {:.1} ms",
                r.events,
                r.wall.as_secs_f64(),
                r.events as f64 / r.wall.as_secs_f64(),
                pct(&lat, 0.5),
                pct(&lat, 0.99),
            );
            let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
            let mut counted = Vec::new();
            for (label, from, to, point, by) in [
                ("all, whole year", d("2026-01-01"), d("2026-12-31"), None, None),
                ("all, one month by category", d("2026-02-01"), d("2026-02-28"), None, Some(GroupBy::Category)),
                ("all, whole year by point", d("2026-01-01"), d("2026-12-31"), None, Some(GroupBy::Point)),
                ("one point, whole year by month", d("2026-01-01"), d("2026-12-31"), Some("bench-003"), Some(GroupBy::Month)),
            ] {
                let (ms, received) = report(storage.as_ref(), from, to, point, by).await;
                println!("{name:<8} report {label:<32} {ms:>9.1} ms  ({received} appeals)");
                counted.push(received);
            }
            figures.push(counted);
            if name == "sqlite" {
                let size = std::fs::metadata(dir.path().join("server.db")).map(|m| m.len()).unwrap_or(0);
                println!("{name:<8} database: {:.0} MB", size as f64 / 1e6);
            } else {
                let c = pg_db.client().await;
                let size: i64 = c
                    .query_one("SELECT pg_database_size(current_database())", &[])
                    .await
                    .unwrap()
                    .get(0);
                println!("{name:<8} database: {:.0} MB", size as f64 / 1e6);
            }
        }
        assert_eq!(figures[0], figures[1], "the backends count differently");
    });
}
