//! The hall's figures in the report, at the point and at the regional
//! server (either backend): paused time per desk and per reason equals a
//! sum made here from the moves; tickets that waited over the limit are
//! counted (the server against the limit it is asked for); tickets closed
//! at closing arrive as "not served: closed", not as no-shows.

use crate::sync_support::*;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use qabyldau::app::desk::{Operator, pause, tickets};
use qabyldau::app::kiosk::take_ticket;
use qabyldau::app::{Context, kiosk, staff};
use qabyldau::domain::pause::PauseReason;
use qabyldau::domain::staff::{Login, Role};
use qabyldau::domain::{Actor, CategoryId, Lang, Priority};
use qabyldau::store::Store;
use qabyldau::sync::Forwarder;
use std::collections::BTreeMap;

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
    // a topic's own limit, asked of the server as the point's config has it
    let mut config = ctx.config.clone();
    config
        .queue
        .wait_limits
        .insert(CategoryId::new("housing"), 40);
    let own = Context::new(config);
    let mine = qabyldau::app::report::local(&p.store(), &own, d, d, None, now).unwrap();
    assert_eq!(mine.tickets.over_wait_limit, 1, "only the 45-minute wait");
    let theirs = get("&wait_limits=housing:40").await;
    assert_eq!(
        theirs["tickets"],
        serde_json::to_value(&mine.tickets).unwrap()
    );
    assert_eq!(theirs["tickets"]["wait_limits_by_category"]["housing"], 40);
    // a malformed one is refused, not guessed at
    let url = format!(
        "{}/api/v1/report?from=2026-03-02&to=2026-03-02&wait_limits=housing",
        server.url
    );
    let refused = reqwest::Client::new()
        .get(&url)
        .bearer_auth(&supervisor)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_closed_at_closing_reach_the_server_as_closed() {
    let server = InProcServer::start().await;
    let p = GenPoint::new("akm-close");
    // the generated point's config with opening hours
    let mut text = std::fs::read_to_string(&p.config).unwrap();
    text.push_str("\n[hours]\nmon = \"09:00-18:00\"\n");
    std::fs::write(&p.config, text).unwrap();
    let ctx = p.ctx();
    let at = |h, m| {
        chrono_tz::Asia::Almaty
            .with_ymd_and_hms(2026, 3, 2, h, m, 0)
            .unwrap()
            .with_timezone(&Utc)
    };
    {
        let mut store = p.store();
        for m in 0..2 {
            take_ticket(
                &mut store,
                &ctx,
                &CategoryId::new("labour"),
                Priority::Ordinary,
                Lang::Ru,
                at(17, m),
            )
            .unwrap();
        }
        assert_eq!(
            qabyldau::app::hours::close_waiting(&mut store, &ctx, at(18, 0)).unwrap(),
            2
        );
    }
    let token = register(server.dyn_storage(), p.id.as_str(), REGION).await;
    let mut f = qabyldau::sync::Forwarder::open(&p.db, &p.id, fast_sync(&server.url, &token))
        .await
        .unwrap();
    assert_eq!(f.run_once().await.unwrap().pending, 0);
    let supervisor = register_supervisor(server.dyn_storage(), "anna", REGION).await;
    let report: serde_json::Value = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/report?from=2026-03-02&to=2026-03-02&point={}",
            server.url, p.id
        ))
        .bearer_auth(&supervisor)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(report["tickets"]["closed_unserved"], 2);
    assert_eq!(report["tickets"]["no_shows"], 0);
    let mine = qabyldau::app::report::local(
        &p.store(),
        &ctx,
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        None,
        at(19, 0),
    )
    .unwrap();
    assert_eq!(
        report["tickets"],
        serde_json::to_value(&mine.tickets).unwrap()
    );
    server.stop().await;
}
