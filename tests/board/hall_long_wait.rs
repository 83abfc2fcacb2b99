//! Waits that grow too long, as the boards show them: a ticket past the
//! point's waiting limit is named on the supervisor's view with how long
//! it has waited (a clock moved in the test) and on the regional board (the
//! report's count is in tests/server/hall_report.rs).

use crate::board_common::screen::*;
use chrono::{DateTime, Duration, Utc};
use qabyldau::app::desk::Operator;
use qabyldau::app::staff;
use qabyldau::domain::staff::{Login, Role};
use qabyldau::domain::{Actor, Lang};
use qabyldau::store::Store;
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
    let ctx = crate::board_common::ctx();
    let mut store = crate::board_common::store(&ctx);
    let t0 = crate::board_common::local(10, 0);
    dana(&mut store, t0);
    crate::board_common::take(&mut store, &ctx, "housing", t0);
    crate::board_common::take(&mut store, &ctx, "labour", t0 + Duration::minutes(10));
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
fn a_topic_with_its_own_limit_is_named_past_it_and_the_others_are_not() {
    let ctx = crate::board_common::ctx_with(&format!(
        "{}\n[queue]\nwait_limits = {{ labour = 10 }}\n",
        crate::board_common::CONFIG
    ));
    let mut store = crate::board_common::store(&ctx);
    let t0 = crate::board_common::local(10, 0);
    dana(&mut store, t0);
    crate::board_common::take(&mut store, &ctx, "housing", t0);
    crate::board_common::take(&mut store, &ctx, "labour", t0 + Duration::minutes(10));
    // 10:25: Ж-001 (housing, 30) waited 25 min, Т-001 (labour, 10) 15 min
    let clock = TestClock::at(t0 + Duration::minutes(25));
    let mut b = board(&ctx, &clock, Some(Lang::En), true);
    log_in(&mut b, &mut store, "dana", "2468");
    tick(&mut b, &mut store);
    let screen = render(&b, 80, 24);
    assert!(
        screen.contains("Past the waiting limit: 1 — Т-001 15 min"),
        "{screen}"
    );
    assert!(!screen.contains("Ж-001 25 min"), "{screen}");
}

#[test]
fn the_regional_board_marks_a_long_wait_with_its_minutes() {
    use qabyldau::protocol::{PointView, QueueTicket, QueueView};
    let ctx = crate::board_common::ctx();
    let t0 = crate::board_common::local(10, 0);
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
        region_pending: 0,
        queue: QueueView {
            point_id: "p1".into(),
            service_date: crate::board_common::day(),
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
