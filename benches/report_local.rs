//! The full report over 1,000,000 appeals, at the point and at the
//! regional server.
//!
//! `cargo bench --bench report_local -- [APPEALS]` (default 1,000,000):
//! builds a point database with that many appeals (a tenth of them with a
//! later outcome change, a fifth under control) and a ticket per two
//! appeals, then times the report for the whole period, with and without a
//! breakdown. Then the same events go into a regional server's SQLite
//! storage (decoded by the server's own `decode_batch`, stored by
//! `ingest_batch`, batches of 500: the path of `POST /api/v1/events`
//! without HTTP) and the same reports are timed there (`report_facts` +
//! `compute`, as `GET /api/v1/report` does); the two must agree. Prints the numbers; nothing is asserted. With
//! `QABYLDAU_BENCH_DB=PATH` the point's database is kept there (and the
//! server's beside it, `PATH` with the extension `server.db`) and reused
//! when it already exists.

#[path = "../tests/sync_support/mod.rs"]
mod sync_support;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use qabyldau::app::{self, Context};
use qabyldau::config::{Config, DEFAULT_CONFIG};
use qabyldau::domain::appeal::{AppealKind, AppealNo, Channel, Citizen, Outcome};
use qabyldau::domain::event::*;
use qabyldau::domain::personal::Personal;
use qabyldau::domain::report::GroupBy;
use qabyldau::domain::{
    Actor, AppealText, CategoryId, Lang, PersonName, Phone, Priority, TicketNo,
};
use qabyldau::server::ingest::{BatchLimits, decode_batch};
use qabyldau::server::report::figures_of_points;
use qabyldau::server::storage::sqlite::SqliteStorage;
use qabyldau::server::storage::{IngestOutcome, Scope, Storage};
use qabyldau::store::{Store, events};
use std::path::Path;
use std::time::Instant;
use uuid::Uuid;

fn main() {
    let n: u64 = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let path =
        std::env::var_os("QABYLDAU_BENCH_DB").map_or_else(|| dir.path().join("p.db"), Into::into);
    let reuse = path.exists();
    let config = Config::parse(DEFAULT_CONFIG, Path::new("c.toml")).unwrap();
    let mut store = Store::open(&path, &config.point.id).unwrap();
    let ctx = Context::new(config);
    let start = Utc.with_ymd_and_hms(2023, 1, 2, 4, 0, 0).unwrap();
    let categories: Vec<CategoryId> = ctx.catalogue.all().iter().map(|c| c.id.clone()).collect();
    let t0 = Instant::now();
    let per_tx = 10_000;
    let mut made = 0u64;
    if reuse {
        made = n;
        println!("reusing {}", path.display());
    }
    while made < n {
        let batch = per_tx.min(n - made);
        let at = start + Duration::seconds((made * 90) as i64);
        store
            .write(
                &Actor::staff("bench"),
                at,
                |w| -> Result<(), qabyldau::store::StoreError> {
                    for i in made..made + batch {
                        append_appeal(w, i, &categories, start)?;
                    }
                    Ok(())
                },
            )
            .unwrap();
        made += batch;
    }
    let fill = t0.elapsed();
    let size = std::fs::metadata(&path).unwrap().len();
    println!(
        "{} {n} appeals (+{} tickets) in {:.1} s; database {:.0} MiB",
        if reuse { "reused" } else { "filled" },
        n / 2,
        fill.as_secs_f64(),
        size as f64 / 1048576.0
    );

    let from = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2027, 12, 31).unwrap();
    let now = Utc::now();
    let local_received: Vec<u64> = REPORTS
        .iter()
        .map(|&(label, by)| {
            timed(&format!("report {label}"), || {
                app::report::local(&store, &ctx, from, to, by, now)
                    .unwrap()
                    .appeals
                    .received
            })
        })
        .collect();
    let server_db = path.with_extension("server.db");
    let point = ctx.config.point.id.clone();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let server_received = rt.block_on(at_server(&store, &point, &server_db, from, to));
    assert_eq!(
        local_received, server_received,
        "the point and the server count differently"
    );
}

const BATCH: usize = 500;

/// The point's whole log into a regional server's SQLite storage (unless
/// it is there from an earlier run), then the same reports timed there.
/// Returns the appeals each report counted.
async fn at_server(
    store: &Store,
    point: &qabyldau::domain::PointId,
    server_db: &Path,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<u64> {
    let reuse = server_db.exists();
    let storage = SqliteStorage::open(server_db).unwrap();
    if !reuse {
        sync_support::register(&storage, point.as_str(), sync_support::REGION).await;
        let (mut after, mut stored, mut busy) = (0, 0u64, std::time::Duration::ZERO);
        let t0 = Instant::now();
        loop {
            let chunk = events::after(store.conn(), after, BATCH).unwrap();
            let Some(last) = chunk.last() else { break };
            after = last.seq;
            let body = serde_json::to_vec(&serde_json::json!({ "events": chunk })).unwrap();
            let t = Instant::now();
            let batch =
                decode_batch(&body, point, BatchLimits { max_events: BATCH }, Utc::now()).unwrap();
            match storage.ingest_batch(batch).await.unwrap() {
                IngestOutcome::Stored { stored: n, .. } => stored += n,
                other => panic!("{other:?}"),
            }
            busy += t.elapsed();
        }
        println!(
            "server: ingested {stored} events in {:.1} s ({:.0} events/s decoding and storing; {:.1} s in all with reading the point)",
            busy.as_secs_f64(),
            stored as f64 / busy.as_secs_f64(),
            t0.elapsed().as_secs_f64()
        );
    } else {
        println!("reusing {}", server_db.display());
    }
    let handle = tokio::runtime::Handle::current();
    // the reports block this thread, as a request handler's blocking task would
    tokio::task::block_in_place(|| {
        REPORTS
            .iter()
            .map(|&(label, by)| {
                timed(&format!("server report {label}"), || {
                    let scope = Scope {
                        region: None,
                        point: Some(point.clone()),
                    };
                    let limits = qabyldau::domain::queue::WaitLimits::uniform(30);
                    handle
                        .block_on(figures_of_points(
                            &storage,
                            &scope,
                            from,
                            to,
                            by,
                            &limits,
                            Utc::now(),
                        ))
                        .unwrap()
                        .appeals
                        .received
                })
            })
            .collect()
    })
}

/// The reports timed at the point and at the server.
const REPORTS: [(&str, Option<GroupBy>); 3] = [
    ("whole period", None),
    ("by category", Some(GroupBy::Category)),
    ("by month", Some(GroupBy::Month)),
];

/// Runs `report` three times, prints the best and the median time, and
/// returns the appeals it counted.
fn timed(label: &str, mut report: impl FnMut() -> u64) -> u64 {
    let mut times = Vec::new();
    let mut received = 0;
    for _ in 0..3 {
        let t = Instant::now();
        received = report();
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{label:<28} {received} appeals: best {:.2} s, median {:.2} s (3 runs)",
        times[0], times[1]
    );
    received
}

fn append_appeal(
    w: &mut qabyldau::store::Writer<'_>,
    i: u64,
    categories: &[CategoryId],
    start: chrono::DateTime<Utc>,
) -> Result<(), qabyldau::store::StoreError> {
    let appeal_id = Uuid::now_v7();
    let category = categories[(i % categories.len() as u64) as usize].clone();
    if i % 2 == 0 {
        // 960 appeals a day (one per 90 s), a ticket for every second one
        let day_index = i * 90 / 86_400;
        w.append(&EventBody::TicketTaken(TicketTaken {
            ticket_id: Uuid::now_v7(),
            number: TicketNo::new('Ж', (i / 2 - day_index * 480) as u32 + 1),
            service_date: start.date_naive() + Duration::days(day_index as i64),
            category: category.clone(),
            priority: Priority::Ordinary,
            lang: Lang::Ru,
        }))?;
    }
    let kinds = [
        AppealKind::Complaint,
        AppealKind::Request,
        AppealKind::Proposal,
        AppealKind::Consultation,
    ];
    let outcomes = [
        Outcome::ResolvedPositive,
        Outcome::Consulted,
        Outcome::Registered,
        Outcome::Declined,
    ];
    let citizen = (i % 3 != 0).then(|| Citizen {
        name: PersonName::parse(&format!("Азамат Тестов {i}")).unwrap(),
        iin: None,
        phone: Some(Phone::parse(&format!("8701{:07}", i % 10_000_000)).unwrap()),
        settlement: None,
        workplace: None,
    });
    w.append(&EventBody::AppealRecorded(Box::new(AppealRecorded {
        appeal_id,
        number: AppealNo {
            year: 2023 + (i / 400_000) as i32,
            number: (i % 400_000) as u32 + 1,
        },
        kind: kinds[(i % 4) as usize],
        channel: Channel::WalkIn,
        category,
        consent: citizen.is_some(),
        citizen: citizen.map(Personal::Clear),
        text: Personal::Clear(
            AppealText::parse("В квартире холодно, из крана течёт мутная вода. Пәтерде суық.")
                .unwrap(),
        ),
        subject: None,
        heard_by: vec![],
        ticket_id: None,
        session_id: None,
        desk: Some(1),
        lang: Lang::Ru,
        outcome: outcomes[(i % 4) as usize],
        redirected_to: None,
        control: (i % 5 == 0).then(|| Control {
            responsible: PersonName::parse("Марат Байжанов").unwrap(),
            deadline: NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(),
        }),
    })))?;
    if i % 10 == 2 {
        w.append(&EventBody::AppealOutcomeSet(AppealOutcomeSet {
            effective_at: None,
            appeal_id,
            outcome: Outcome::ResolvedPositive,
            redirected_to: None,
            note: None,
        }))?;
    }
    Ok(())
}
