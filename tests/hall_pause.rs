//! A desk on a pause: call next refuses at that desk and not at another,
//! the hall shows it as not serving, the supervisor sees why and for how
//! long, and the report's paused time, at the point and at the regional
//! server (either backend), equals a sum made here from the moves.
mod board_common;
mod sync_support;

use board_common::screen::*;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use qabyldau::app::desk::{DeskError, Operator, pause, tickets};
use qabyldau::app::{AppError, Context, staff};
use qabyldau::domain::pause::PauseReason;
use qabyldau::domain::staff::{Login, Role};
use qabyldau::domain::{Actor, Lang};
use qabyldau::store::Store;
use qabyldau::sync::Forwarder;
use std::collections::BTreeMap;
use sync_support::*;

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
    let ctx = board_common::ctx();
    let mut store = board_common::store(&ctx);
    let t0 = board_common::local(10, 0);
    with_staff(&mut store, t0);
    board_common::take(&mut store, &ctx, "housing", t0);
    board_common::take(&mut store, &ctx, "labour", t0);
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

/// Pauses over two days at two desks, the minutes summed here straight
/// from the moves: `(desk, reason, start minute, end minute)` from 09:00.
const MOVES: [(u16, PauseReason, i64, i64); 6] = [
    (1, PauseReason::Break, 0, 15),
    (2, PauseReason::Phone, 5, 12),
    (1, PauseReason::Paperwork, 40, 47),
    (2, PauseReason::Technical, 60, 130),
    (1, PauseReason::Break, 200, 230),
    (2, PauseReason::Break, 300, 301),
];

fn nine(day: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Almaty
        .with_ymd_and_hms(2026, 3, day, 9, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn pause_day(store: &mut Store, ctx: &Context, day: u32) {
    // in time order, so a desk's pause and its end interleave with the other's
    let mut moves: Vec<(DateTime<Utc>, u16, Option<PauseReason>)> = Vec::new();
    for (desk, reason, from, to) in MOVES {
        moves.push((nine(day) + Duration::minutes(from), desk, Some(reason)));
        moves.push((nine(day) + Duration::minutes(to), desk, None));
    }
    moves.sort_by_key(|m| m.0);
    for (at, desk, reason) in moves {
        match reason {
            Some(r) => pause::pause(store, ctx, &op(), desk, r, at).map(|_| ()),
            None => pause::resume(store, ctx, &op(), desk, at),
        }
        .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paused_time_in_the_report_is_the_sum_of_the_pauses_at_the_point_and_the_server() {
    let server = InProcServer::start().await;
    let p = GenPoint::new("akm-pause");
    let ctx = p.ctx();
    {
        let mut store = p.store();
        with_staff(&mut store, nine(2));
        pause_day(&mut store, &ctx, 2);
        pause_day(&mut store, &ctx, 3);
        // left paused at the end of the 3rd: counts until local midnight only
        pause::pause(
            &mut store,
            &ctx,
            &op(),
            1,
            PauseReason::Paperwork,
            nine(3) + Duration::hours(14),
        )
        .unwrap();
    }
    // the independent sum
    let mut by_desk: BTreeMap<String, f64> = BTreeMap::new();
    let mut by_reason: BTreeMap<String, f64> = BTreeMap::new();
    for (desk, reason, from, to) in MOVES {
        *by_desk.entry(desk.to_string()).or_default() += 2.0 * (to - from) as f64;
        *by_reason.entry(reason.as_str().into()).or_default() += 2.0 * (to - from) as f64;
    }
    // 23:00 to midnight of the 3rd
    *by_desk.entry("1".into()).or_default() += 60.0;
    *by_reason.entry("paperwork".into()).or_default() += 60.0;
    let total: f64 = by_desk.values().sum();
    assert_eq!(total, 2.0 * (15.0 + 7.0 + 7.0 + 70.0 + 30.0 + 1.0) + 60.0);

    let now = nine(5);
    let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
    let mine = qabyldau::app::report::local(&p.store(), &ctx, d(1), d(4), None, now).unwrap();
    let json = serde_json::to_value(&mine.pauses).unwrap();
    assert_eq!(json["minutes"].as_f64().unwrap(), total);
    assert_eq!(json["pauses"].as_u64().unwrap(), 2 * 6 + 1);
    for (desk, m) in &by_desk {
        assert_eq!(json["by_desk"][desk].as_f64().unwrap(), *m, "desk {desk}");
    }
    for (reason, m) in &by_reason {
        assert_eq!(json["by_reason"][reason].as_f64().unwrap(), *m, "{reason}");
    }
    // one day alone
    let day2 = qabyldau::app::report::local(&p.store(), &ctx, d(2), d(2), None, now).unwrap();
    assert_eq!(day2.pauses.minutes, (total - 60.0) / 2.0);

    // the regional server counts the same from the same events
    let token = register(server.dyn_storage(), p.id.as_str(), REGION).await;
    let mut f = Forwarder::open(&p.db, &p.id, fast_sync(&server.url, &token))
        .await
        .unwrap();
    assert_eq!(f.run_once().await.unwrap().pending, 0);
    let supervisor = register_supervisor(server.dyn_storage(), "anna", REGION).await;
    let url = format!(
        "{}/api/v1/report?from=2026-03-01&to=2026-03-04&point={}",
        server.url, p.id
    );
    let theirs: serde_json::Value = reqwest::Client::new()
        .get(&url)
        .bearer_auth(&supervisor)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["pauses"], json, "the server's pauses");
    assert_eq!(
        theirs,
        serde_json::to_value(&mine).unwrap(),
        "the whole report agrees"
    );
    server.stop().await;
}
