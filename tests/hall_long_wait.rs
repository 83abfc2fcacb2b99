//! Waits that grow too long: a ticket past the point's waiting limit is
//! named on the supervisor's view with how long it has waited (a clock
//! moved in the test) and on the regional board, and the report counts the
//! tickets that waited over the limit, at the point and at the server.
mod board_common;
mod sync_support;

use board_common::screen::*;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use qabyldau::app::desk::{Operator, tickets};
use qabyldau::app::{Context, kiosk, staff};
use qabyldau::domain::staff::{Login, Role};
use qabyldau::domain::{Actor, CategoryId, Lang, Priority};
use qabyldau::store::Store;
use qabyldau::sync::Forwarder;
use sync_support::*;

fn dana(store: &mut Store, at: DateTime<Utc>) -> Operator {
    staff::add(
        store,
        &Actor::system(),
        "dana",
        "Дана Серікқызы",
        Role::Supervisor,
        "2468",
        at,
    )
    .unwrap();
    Operator {
        login: Login::parse("dana").unwrap(),
        name: "Дана Серікқызы".into(),
        role: Role::Supervisor,
    }
}

#[test]
fn the_supervisor_sees_tickets_past_the_limit_as_the_clock_moves() {
    let ctx = board_common::ctx();
    let mut store = board_common::store(&ctx);
    let t0 = board_common::local(10, 0);
    dana(&mut store, t0);
    board_common::take(&mut store, &ctx, "housing", t0);
    board_common::take(&mut store, &ctx, "labour", t0 + Duration::minutes(10));
    let clock = TestClock::at(t0 + Duration::minutes(20));
    let mut b = board(&ctx, &clock, Some(Lang::En), true);
    log_in(&mut b, &mut store, "dana", "2468");
    tick(&mut b, &mut store);
    let screen = render(&b, 80, 24);
    assert!(
        !screen.contains("Over 30 min"),
        "nobody past the limit yet: {screen}"
    );

    // 10:45: Ж-001 waited 45 min, Т-001 35 min: both named, the longest first
    clock.set(t0 + Duration::minutes(45));
    tick(&mut b, &mut store);
    let screen = render(&b, 80, 24);
    assert!(
        screen.contains("Over 30 min: 2 — Ж-001 45 min, Т-001 35 min"),
        "{screen}"
    );
    for lang in Lang::ALL {
        let mut s = board(&ctx, &clock, Some(lang), true);
        log_in(&mut s, &mut store, "dana", "2468");
        tick(&mut s, &mut store);
        insta::assert_snapshot!(format!("supervisor_over_limit_{lang}"), render(&s, 80, 24));
    }
}

#[test]
fn the_regional_board_marks_a_long_wait_with_its_minutes() {
    use qabyldau::server::protocol::{PointView, QueueTicket, QueueView};
    let ctx = board_common::ctx();
    let t0 = board_common::local(10, 0);
    let ticket = |n: &str, minute: i64| QueueTicket {
        number: n.into(),
        category: "housing".into(),
        priority: "ordinary".into(),
        state: "waiting".into(),
        desk: None,
        taken_at: t0 + Duration::minutes(minute),
        called_at: None,
    };
    let view = PointView {
        id: "p1".into(),
        name: "P".into(),
        region: "R".into(),
        kind: "office".into(),
        revoked: false,
        acked_through: 1,
        reported_head: Some(1),
        lag_events: 0,
        last_contact_at: Some(t0),
        lag_seconds: Some(0),
        last_event_at: Some(t0),
        flagged: None,
        queue: QueueView {
            point_id: "p1".into(),
            service_date: board_common::day(),
            now_serving: vec![],
            waiting: vec![ticket("Ж-001", 0), ticket("Ж-002", 25)],
            issued: 2,
            served: 0,
            no_shows: 0,
        },
    };
    let p = qabyldau::app::region::point(&view, &ctx, t0 + Duration::minutes(40));
    let shown: Vec<Option<String>> = p
        .line
        .iter()
        .map(|n| qabyldau::ui::board::long_wait_text(&p.hall, *n, Lang::Kk))
        .collect();
    assert_eq!(shown, [Some("Ж-001 (40 мин)".to_string()), None]);
}

fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Almaty
        .with_ymd_and_hms(2026, 3, day, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn take(store: &mut Store, ctx: &Context, category: &str, t: DateTime<Utc>) {
    kiosk::take_ticket(
        store,
        ctx,
        &CategoryId::new(category),
        Priority::Ordinary,
        Lang::Ru,
        t,
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_counts_tickets_that_waited_over_the_limit_at_the_point_and_the_server() {
    let server = InProcServer::start().await;
    let p = GenPoint::new("akm-wait");
    let ctx = p.ctx();
    {
        let mut store = p.store();
        let op = dana(&mut store, at(2, 9, 0));
        // called after 10, 31 and 45 minutes; one still waiting
        take(&mut store, &ctx, "housing", at(2, 9, 0));
        take(&mut store, &ctx, "housing", at(2, 9, 5));
        take(&mut store, &ctx, "housing", at(2, 9, 20));
        take(&mut store, &ctx, "housing", at(2, 9, 50));
        for (minute, desk) in [(10, 1), (36, 2)] {
            let t = tickets::call_next(&mut store, &ctx, &op, desk, at(2, 9, minute)).unwrap();
            tickets::move_current(
                &mut store,
                &ctx,
                &op,
                desk,
                tickets::Move::NoShow,
                at(2, 9, minute + 1),
            )
            .unwrap();
            let _ = t;
        }
        tickets::call_next(&mut store, &ctx, &op, 1, at(2, 10, 5)).unwrap();
    }
    // waits: 10 (Ж-001), 31 (Ж-002), 45 (Ж-003); Ж-004 still waits
    let now = at(2, 12, 0);
    let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let mine = qabyldau::app::report::local(&p.store(), &ctx, d, d, None, now).unwrap();
    assert_eq!(mine.tickets.wait_limit_minutes, 30);
    assert_eq!(mine.tickets.over_wait_limit, 2);
    assert_eq!(mine.tickets.issued, 4);

    let token = register(server.dyn_storage(), p.id.as_str(), REGION).await;
    let mut f = Forwarder::open(&p.db, &p.id, fast_sync(&server.url, &token))
        .await
        .unwrap();
    assert_eq!(f.run_once().await.unwrap().pending, 0);
    let supervisor = register_supervisor(server.dyn_storage(), "anna", REGION).await;
    let get = |limit: &str| {
        let url = format!(
            "{}/api/v1/report?from=2026-03-02&to=2026-03-02&point={}{limit}",
            server.url, p.id
        );
        let token = supervisor.clone();
        async move {
            let r: serde_json::Value = reqwest::Client::new()
                .get(&url)
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            r
        }
    };
    let theirs = get("").await;
    assert_eq!(
        theirs["tickets"],
        serde_json::to_value(&mine.tickets).unwrap()
    );
    // a stricter limit asked of the server: the 31-minute wait counts too
    let strict = get("&wait_limit_minutes=9").await;
    assert_eq!(strict["tickets"]["over_wait_limit"], 3);
    assert_eq!(strict["tickets"]["wait_limit_minutes"], 9);
    server.stop().await;
}
