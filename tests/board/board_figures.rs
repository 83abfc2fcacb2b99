//! The board's figures against independent counts: SQL written another
//! way, and sums over the rows the scripting commands read.

use crate::board_common::*;
use chrono::{Duration, Timelike};
use qabyldau::app::board::{self, positive_percent};
use qabyldau::domain::appeal::{AppealKind, Outcome};
use qabyldau::domain::{Priority, TicketState};
use qabyldau::store::{Store, appeals, tickets};

/// A day at a point: tickets over three hours, calls at both desks,
/// appeals with every outcome, appeals under control (some overdue), and
/// yesterday's records that today's figures must leave out.
fn busy_day() -> (Store, qabyldau::app::Context) {
    let ctx = ctx();
    let mut s = store(&ctx);
    // yesterday: a ticket and an appeal
    let yesterday = local(17, 0) - Duration::days(1);
    served_ticket(
        &mut s,
        &ctx,
        "housing",
        1,
        [
            yesterday,
            yesterday + Duration::minutes(5),
            yesterday + Duration::minutes(20),
        ],
    );
    let old = named_appeal(
        &mut s,
        &ctx,
        "housing",
        AppealKind::Request,
        Named {
            name: "Ержан Қасымов",
            phone: "87011112233",
            iin: None,
            text: "Кезек туралы",
        },
        yesterday,
    );
    set_outcome(&mut s, old, Outcome::ResolvedPositive, yesterday);

    // today: desk 1 serves three, desk 2 serves one, one no-show
    served_ticket(
        &mut s,
        &ctx,
        "housing",
        1,
        [local(8, 55), local(9, 5), local(9, 17)],
    );
    served_ticket(
        &mut s,
        &ctx,
        "utilities",
        1,
        [local(9, 10), local(9, 20), local(9, 28)],
    );
    served_ticket(
        &mut s,
        &ctx,
        "labour",
        2,
        [local(9, 40), local(9, 45), local(10, 5)],
    );
    served_ticket(
        &mut s,
        &ctx,
        "housing",
        1,
        [local(9, 50), local(10, 1), local(10, 10)],
    );
    let gone = take(&mut s, &ctx, "roads", local(10, 2));
    call(&mut s, gone, 2, local(10, 12));
    no_show(&mut s, gone, local(10, 15));
    // recalled and now being served at desk 2
    let at2 = take(&mut s, &ctx, "social", local(10, 3));
    call(&mut s, at2, 2, local(10, 16));
    recall(&mut s, at2, 2, local(10, 18));
    serve(&mut s, at2, 2, local(10, 19));
    // still waiting
    take(&mut s, &ctx, "housing", local(10, 4));
    take_priority(&mut s, &ctx, "housing", Priority::Veteran, local(10, 20));

    // appeals received today, with their outcomes
    let outcomes = [
        Outcome::ResolvedPositive,
        Outcome::ResolvedPositive,
        Outcome::ResolvedPositive,
        Outcome::Consulted,
        Outcome::Consulted,
        Outcome::UnderConsideration,
        Outcome::Redirected,
        Outcome::Declined,
    ];
    for (i, outcome) in outcomes.into_iter().enumerate() {
        let id = named_appeal(
            &mut s,
            &ctx,
            "utilities",
            AppealKind::Complaint,
            Named {
                name: "Айгүл Сейітова",
                phone: "87771234567",
                iin: None,
                text: "Пәтерде суық",
            },
            local(9, i as u32),
        );
        set_outcome(&mut s, id, outcome, local(10, i as u32));
    }
    anonymous_appeal(&mut s, &ctx, local(10, 30)); // registered

    // under control: two overdue and open, one overdue but resolved, one due today
    let overdue_1 = anonymous_appeal(&mut s, &ctx, yesterday);
    set_control(
        &mut s,
        overdue_1,
        day() - Duration::days(3),
        "Нұрлан Әбдіров",
        yesterday,
    );
    let overdue_2 = anonymous_appeal(&mut s, &ctx, yesterday);
    set_control(
        &mut s,
        overdue_2,
        day() - Duration::days(1),
        "Гүлнар Омарова",
        yesterday,
    );
    let answered = anonymous_appeal(&mut s, &ctx, yesterday);
    set_control(
        &mut s,
        answered,
        day() - Duration::days(2),
        "Гүлнар Омарова",
        yesterday,
    );
    set_outcome(&mut s, answered, Outcome::ResolvedPositive, yesterday);
    let due_today = anonymous_appeal(&mut s, &ctx, yesterday);
    set_control(&mut s, due_today, day(), "Гүлнар Омарова", yesterday);
    (s, ctx)
}

fn now() -> chrono::DateTime<chrono::Utc> {
    local(10, 30)
}

fn count(s: &Store, sql: &str) -> u32 {
    s.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn ticket_and_appeal_figures_match_independent_counts() {
    let (s, ctx) = busy_day();
    let f = board::read(&s, &ctx, now(), true).unwrap().figures.unwrap();
    assert_eq!(f.day, day());
    // by the local date of taking, not the stored service date
    let tickets = count(
        &s,
        "SELECT COUNT(*) FROM tickets WHERE date(taken_at, '+5 hours') = '2026-03-02'",
    );
    assert_eq!(f.tickets, tickets);
    assert_eq!(f.tickets, 8);

    let today: Vec<_> = appeals::latest(s.conn(), 1000)
        .unwrap()
        .into_iter()
        .filter(|a| a.received_at.with_timezone(&ctx.tz()).date_naive() == day())
        .collect();
    let with = |o: &[Outcome]| today.iter().filter(|a| o.contains(&a.outcome)).count() as u32;
    assert_eq!(f.appeals.received, today.len() as u32);
    assert_eq!(f.appeals.received, 9);
    assert_eq!(
        f.appeals.resolved_positive,
        with(&[Outcome::ResolvedPositive])
    );
    assert_eq!(f.appeals.resolved_positive, 3);
    assert_eq!(f.appeals.consulted, with(&[Outcome::Consulted]));
    assert_eq!(
        f.appeals.under_consideration,
        with(&[Outcome::Registered, Outcome::UnderConsideration])
    );
    assert_eq!(f.appeals.under_consideration, 2);
    assert_eq!(f.appeals.redirected, with(&[Outcome::Redirected]));
    assert_eq!(positive_percent(&f.appeals), Some(33)); // 3 of 9
}

#[test]
fn desk_and_wait_figures_match_the_rows() {
    let (s, ctx) = busy_day();
    let f = board::read(&s, &ctx, now(), true).unwrap().figures.unwrap();
    let rows = tickets::of_day(s.conn(), day()).unwrap();
    for d in &f.desks {
        let done: Vec<_> = rows
            .iter()
            .filter(|t| t.state == TicketState::Done && t.desk == Some(d.desk))
            .collect();
        assert_eq!(d.served as usize, done.len(), "desk {}", d.desk);
        let minutes: Vec<f64> = done
            .iter()
            .map(|t| (t.finished_at.unwrap() - t.serving_at.unwrap()).num_seconds() as f64 / 60.0)
            .collect();
        let mean =
            (!minutes.is_empty()).then(|| minutes.iter().sum::<f64>() / minutes.len() as f64);
        match (d.mean_service_minutes, mean) {
            (Some(a), Some(b)) => assert!((a - b).abs() < 0.01, "desk {}: {a} vs {b}", d.desk),
            (a, b) => assert_eq!(a, b, "desk {}", d.desk),
        }
    }
    assert_eq!(
        f.desks
            .iter()
            .map(|d| (d.desk, d.served))
            .collect::<Vec<_>>(),
        [(1, 3), (2, 1)]
    );
    // desk 1: 12, 8 and 9 minutes
    assert!((f.desks[0].mean_service_minutes.unwrap() - 29.0 / 3.0).abs() < 0.01);

    let waits: Vec<f64> = rows
        .iter()
        .filter_map(|t| Some((t.called_at? - t.taken_at).num_seconds() as f64 / 60.0))
        .collect();
    assert_eq!(f.waits.called as usize, waits.len());
    assert_eq!(f.waits.called, 6);
    let mean = waits.iter().sum::<f64>() / waits.len() as f64;
    assert!((f.waits.mean_minutes.unwrap() - mean).abs() < 0.01);
    // the recalled ticket waited to its latest call: 10:03 → 10:18
    assert!((f.waits.longest_minutes.unwrap() - 15.0).abs() < 0.01);
    assert_eq!(f.waits.oldest_waiting_since, Some(local(10, 4)));
}

#[test]
fn arrivals_per_local_hour() {
    let (s, ctx) = busy_day();
    let f = board::read(&s, &ctx, now(), true).unwrap().figures.unwrap();
    let mut expected = [0u32; 24];
    for t in tickets::of_day(s.conn(), day()).unwrap() {
        expected[t.taken_at.with_timezone(&ctx.tz()).hour() as usize] += 1;
    }
    assert_eq!(f.arrivals, expected);
    assert_eq!(f.arrivals[8], 1);
    assert_eq!(f.arrivals[9], 3);
    assert_eq!(f.arrivals[10], 4);
    assert_eq!(f.arrivals.iter().sum::<u32>(), f.tickets);
}

#[test]
fn overdue_appeals_are_open_ones_past_their_deadline() {
    let (s, ctx) = busy_day();
    let f = board::read(&s, &ctx, now(), true).unwrap().figures.unwrap();
    let independent = count(
        &s,
        "SELECT COUNT(*) FROM appeals WHERE under_control = 1 AND closed_at IS NULL
         AND julianday(deadline) < julianday('2026-03-02')",
    );
    assert_eq!(f.overdue.len() as u32, independent);
    assert_eq!(f.overdue.len(), 2);
    // the most overdue first
    assert_eq!(f.overdue[0].deadline, day() - Duration::days(3));
    assert_eq!(f.overdue[0].responsible.as_deref(), Some("Нұрлан Әбдіров"));
    assert_eq!(f.overdue[1].deadline, day() - Duration::days(1));
}

#[test]
fn hall_shows_desks_and_the_line_in_calling_order() {
    let (s, ctx) = busy_day();
    let data = board::read(&s, &ctx, now(), false).unwrap();
    assert!(data.figures.is_none());
    let hall = data.hall;
    assert_eq!(hall.desks.len(), 2);
    assert!(hall.desks[0].ticket.is_none(), "desk 1 finished its last");
    let at2 = hall.desks[1].ticket.unwrap();
    assert_eq!(at2.number.to_string(), "С-001");
    assert!(at2.serving);
    assert_eq!(at2.called_at, local(10, 18));
    assert_eq!(hall.waiting_count, 2);
    assert_eq!(hall.waiting.len(), 1);
    // the veteran goes first though taken later
    let line: Vec<String> = hall.waiting[0]
        .tickets
        .iter()
        .map(|t| t.to_string())
        .collect();
    assert_eq!(line, ["Ж-004", "Ж-003"]);
    // today's mean service is 49/4 = 12.25 minutes; 2 waiting, 2 desks
    assert_eq!(hall.estimated_wait_minutes, 13);
    let last = hall.latest_call().unwrap();
    assert_eq!((last.desk, last.number.to_string()), (2, "С-001".into()));
}

#[test]
fn a_new_call_and_a_recall_are_noticed_an_unchanged_board_is_not() {
    let ctx = ctx();
    let mut s = store(&ctx);
    let a = take(&mut s, &ctx, "housing", local(9, 0));
    let b = take(&mut s, &ctx, "labour", local(9, 1));
    let before = board::read(&s, &ctx, local(9, 2), false).unwrap().hall;
    assert!(before.latest_call().is_none());
    call(&mut s, a, 1, local(9, 3));
    let one = board::read(&s, &ctx, local(9, 3), false).unwrap().hall;
    let new = one.new_calls_since(&before);
    assert_eq!(new.len(), 1);
    assert_eq!(
        (new[0].desk, new[0].number.to_string()),
        (1, "Ж-001".into())
    );
    assert!(one.new_calls_since(&one).is_empty());
    serve(&mut s, a, 1, local(9, 4));
    let serving = board::read(&s, &ctx, local(9, 4), false).unwrap().hall;
    assert!(
        serving.new_calls_since(&one).is_empty(),
        "sitting down is no call"
    );
    call(&mut s, b, 2, local(9, 5));
    recall(&mut s, b, 2, local(9, 6));
    let two = board::read(&s, &ctx, local(9, 6), false).unwrap().hall;
    assert_eq!(two.new_calls_since(&serving).len(), 1);
    assert_eq!(two.latest_call().unwrap().at, local(9, 6));
}

#[test]
fn tickets_of_another_day_are_not_on_the_board() {
    let ctx = ctx();
    let mut s = store(&ctx);
    let y = take(&mut s, &ctx, "housing", local(17, 0) - Duration::days(1));
    call(&mut s, y, 1, local(17, 5) - Duration::days(1));
    take(&mut s, &ctx, "housing", local(17, 6) - Duration::days(1));
    let hall = board::read(&s, &ctx, now(), false).unwrap().hall;
    assert!(hall.desks.iter().all(|d| d.ticket.is_none()));
    assert_eq!(hall.waiting_count, 0);
    assert_eq!(hall.estimated_wait_minutes, 0);
}
