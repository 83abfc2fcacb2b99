//! A desk on a pause as the hall and the supervisor see it: call next
//! refuses at that desk and not at another, the hall shows it as not
//! serving, the supervisor sees why and for how long (the report's paused
//! time is in tests/server/hall_report.rs).

use crate::board_common::screen::*;
use chrono::{DateTime, Duration, Utc};
use qabyldau::app::desk::{DeskError, Operator, pause, tickets};
use qabyldau::app::{AppError, staff};
use qabyldau::domain::pause::PauseReason;
use qabyldau::domain::staff::{Login, Role};
use qabyldau::domain::{Actor, Lang};
use qabyldau::store::Store;
fn op() -> Operator {
    Operator {
        login: Login::parse("dana").unwrap(),
        name: "Дана Серікқызы".into(),
        role: Role::Supervisor,
    }
}

fn with_staff(store: &mut Store, at: DateTime<Utc>) {
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
}

#[test]
fn a_paused_desk_is_skipped_by_call_next_and_shown_as_not_serving() {
    let ctx = crate::board_common::ctx();
    let mut store = crate::board_common::store(&ctx);
    let t0 = crate::board_common::local(10, 0);
    with_staff(&mut store, t0);
    crate::board_common::take(&mut store, &ctx, "housing", t0);
    crate::board_common::take(&mut store, &ctx, "labour", t0);
    pause::pause(&mut store, &ctx, &op(), 1, PauseReason::Break, t0).unwrap();

    let refused = tickets::call_next(&mut store, &ctx, &op(), 1, t0 + Duration::minutes(1));
    assert!(
        matches!(
            refused,
            Err(AppError::Desk(DeskError::Paused(PauseReason::Break)))
        ),
        "{refused:?}"
    );
    // the line is untouched: the other desk gets the first ticket
    let called = tickets::call_next(&mut store, &ctx, &op(), 2, t0 + Duration::minutes(1)).unwrap();
    assert_eq!(called.number.to_string(), "Ж-001");
    // pausing again for the same reason is refused; back, and desk 1 calls
    assert!(pause::pause(&mut store, &ctx, &op(), 1, PauseReason::Break, t0).is_err());

    // the hall: desk 1 not serving; the supervisor: why and for how long
    let clock = TestClock::at(t0 + Duration::minutes(12));
    for lang in Lang::ALL {
        let mut b = board(&ctx, &clock, Some(lang), false);
        tick(&mut b, &mut store);
        let hall = render(&b, 80, 24);
        insta::assert_snapshot!(format!("hall_desk_paused_{lang}"), hall);
        let mut s = board(&ctx, &clock, Some(lang), true);
        log_in(&mut s, &mut store, "dana", "2468");
        assert!(s.is_supervisor_view());
        tick(&mut s, &mut store);
        let screen = render(&s, 80, 24);
        insta::assert_snapshot!(format!("supervisor_desk_paused_{lang}"), screen);
    }
    let mut b = board(&ctx, &clock, Some(Lang::En), true);
    log_in(&mut b, &mut store, "dana", "2468");
    tick(&mut b, &mut store);
    let screen = render(&b, 80, 24);
    assert!(screen.contains("Desk 1 paused 12 min: break"), "{screen}");
    let mut b = board(&ctx, &clock, Some(Lang::Ru), false);
    tick(&mut b, &mut store);
    assert!(render(&b, 80, 24).contains("не принимает"));

    pause::resume(&mut store, &ctx, &op(), 1, t0 + Duration::minutes(13)).unwrap();
    assert!(pause::resume(&mut store, &ctx, &op(), 1, t0 + Duration::minutes(13)).is_err());
    let called =
        tickets::call_next(&mut store, &ctx, &op(), 1, t0 + Duration::minutes(14)).unwrap();
    assert_eq!(called.number.to_string(), "Т-001");
}
