//! Hours and closing: the kiosk's use case refuses a ticket from the
//! configured time before closing (and past a topic's daily limit) and
//! still takes a written appeal; tickets waiting at closing are closed as
//! "not served: closed", once, whichever process notices first, and the
//! report counts them so and not as no-shows (the board's side is in
//! tests/board/hall_hours.rs).

use crate::board_common::{CONFIG, ctx_with};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use qabyldau::app::hours::{NoTicket, close_waiting};
use qabyldau::app::kiosk::{self, Author, WrittenAppeal};
use qabyldau::app::{AppError, Context};
use qabyldau::domain::{AppealKind, AppealText, CategoryId, Lang, Priority, TicketState};
use qabyldau::store::Store;

fn config() -> String {
    format!(
        "{CONFIG}\n[queue]\ndaily_ticket_limits = {{ legal = 2 }}\n\n[hours]\nmon = \"09:00-18:00\"\ntue = \"09:00-18:00\"\nstop_tickets_before_close_minutes = 20\n"
    )
}

/// Monday 2 March 2026 at h:m in Almaty.
fn at(h: u32, m: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Almaty
        .with_ymd_and_hms(2026, 3, 2, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn ticket(
    store: &mut Store,
    ctx: &Context,
    topic: &str,
    t: DateTime<Utc>,
) -> Result<uuid::Uuid, AppError> {
    kiosk::take_ticket(
        store,
        ctx,
        &CategoryId::new(topic),
        Priority::Ordinary,
        Lang::Kk,
        t,
    )
    .map(|i| i.id)
}

fn tuesday_nine() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, 3)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

#[test]
fn from_closing_minus_the_configured_time_no_ticket_but_a_written_appeal() {
    let ctx = ctx_with(&config());
    let mut store = crate::board_common::store(&ctx);
    ticket(&mut store, &ctx, "housing", at(17, 39)).unwrap();
    let refused = ticket(&mut store, &ctx, "housing", at(17, 40));
    assert!(
        matches!(
            refused,
            Err(AppError::NoTicket(NoTicket::Closed { back: Some(b) })) if b == tuesday_nine()
        ),
        "{refused:?}"
    );
    // before opening, too: come back at 09:00 the same day
    let early = ticket(&mut store, &ctx, "housing", at(8, 30));
    assert!(matches!(
        early,
        Err(AppError::NoTicket(NoTicket::Closed { .. }))
    ));
    let appeal = kiosk::leave_written_appeal(
        &mut store,
        &ctx,
        WrittenAppeal {
            kind: AppealKind::Proposal,
            category: CategoryId::new("roads"),
            author: Author::Anonymous,
            text: AppealText::parse("Аялдамаға шам керек").unwrap(),
            lang: Lang::Kk,
        },
        at(17, 55),
    );
    assert!(appeal.is_ok(), "{appeal:?}");
}

#[test]
fn a_topic_past_its_daily_limit_gives_no_ticket_the_others_do() {
    let ctx = ctx_with(&config());
    let mut store = crate::board_common::store(&ctx);
    ticket(&mut store, &ctx, "legal", at(10, 0)).unwrap();
    ticket(&mut store, &ctx, "legal", at(10, 1)).unwrap();
    let third = ticket(&mut store, &ctx, "legal", at(10, 2));
    assert!(
        matches!(
            third,
            Err(AppError::NoTicket(NoTicket::DailyLimit { back: Some(b) })) if b == tuesday_nine()
        ),
        "{third:?}"
    );
    ticket(&mut store, &ctx, "housing", at(10, 3)).unwrap();
}

#[test]
fn tickets_waiting_at_closing_are_closed_once_by_whoever_notices_first() {
    let ctx = ctx_with(&config());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("point.db");
    let mut store = Store::open(&path, ctx.point_id()).unwrap();
    let ids: Vec<_> = (0..5)
        .map(|i| ticket(&mut store, &ctx, "housing", at(16, i)).unwrap())
        .collect();
    crate::board_common::call(&mut store, ids[0], 1, at(16, 30));
    crate::board_common::no_show(&mut store, ids[0], at(16, 35));
    crate::board_common::call(&mut store, ids[1], 2, at(17, 0));
    // before closing nothing is closed
    assert_eq!(close_waiting(&mut store, &ctx, at(17, 59)).unwrap(), 0);

    // at 18:00 two processes notice at once: three tickets closed, once
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let (path, ctx) = (path.clone(), ctx.clone());
            std::thread::spawn(move || {
                let mut s = Store::open(&path, ctx.point_id()).unwrap();
                close_waiting(&mut s, &ctx, at(18, 0)).unwrap()
            })
        })
        .collect();
    let closed: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(closed, 3);
    assert_eq!(
        close_waiting(&mut store, &ctx, at(18, 5)).unwrap(),
        0,
        "idempotent"
    );
    let events: i64 = store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM events WHERE kind = 'ticket_closed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(events, 3);
    let states: Vec<String> = ids
        .iter()
        .map(|id| {
            store
                .conn()
                .query_row(
                    "SELECT state FROM tickets WHERE id = ?1",
                    [id.to_string()],
                    |r| r.get(0),
                )
                .unwrap()
        })
        .collect();
    assert_eq!(states, ["no_show", "called", "closed", "closed", "closed"]);
    assert_eq!(
        "closed".parse::<TicketState>().unwrap(),
        TicketState::Closed
    );

    // the report: closed as such, not as no-shows
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let r = qabyldau::app::report::local(&store, &ctx, day, day, None, at(19, 0)).unwrap();
    assert_eq!(r.tickets.closed_unserved, 3);
    assert_eq!(r.tickets.no_shows, 1);
    // waited from 16:02..16:04 to 18:00: all three over the 30-minute limit,
    // and the one called at 17:00 (waited 59 min), not the one at 16:30
    assert_eq!(r.tickets.over_wait_limit, 4);
}
