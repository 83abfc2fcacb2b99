//! Hours on the board: it shows today's hours (or when the point opens
//! next) in the three languages, and its read closes the tickets still
//! waiting at closing.

use crate::board_common::screen::*;
use crate::board_common::{CONFIG, ctx_with};
use chrono::{DateTime, Duration, TimeZone, Utc};
use qabyldau::app::kiosk;
use qabyldau::domain::{CategoryId, Lang, Priority};

fn config() -> String {
    format!(
        "{CONFIG}\n[hours]\nmon = \"09:00-18:00\"\ntue = \"09:00-18:00\"\nstop_tickets_before_close_minutes = 20\n"
    )
}

/// Monday 2 March 2026 at h:m in Almaty.
fn at(h: u32, m: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Almaty
        .with_ymd_and_hms(2026, 3, 2, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn the_board_closes_the_day_and_shows_the_hours() {
    let ctx = ctx_with(&config());
    let mut store = crate::board_common::store(&ctx);
    kiosk::take_ticket(
        &mut store,
        &ctx,
        &CategoryId::new("housing"),
        Priority::Ordinary,
        Lang::Kk,
        at(17, 0),
    )
    .unwrap();
    let clock = TestClock::at(at(17, 30));
    for lang in Lang::ALL {
        let mut b = board(&ctx, &clock, Some(lang), false);
        tick(&mut b, &mut store);
        insta::assert_snapshot!(format!("hall_hours_{lang}"), render(&b, 80, 24));
    }
    let mut b = board(&ctx, &clock, Some(Lang::En), false);
    tick(&mut b, &mut store);
    let screen = render(&b, 80, 24);
    assert!(screen.contains("Open 09:00-18:00 · 17:30"), "{screen}");
    assert!(screen.contains("Ж-001"), "{screen}");
    // the minute after closing: the board's read closes the waiting ticket
    clock.set(at(18, 1));
    tick(&mut b, &mut store);
    let screen = render(&b, 80, 24);
    assert!(!screen.contains("Ж-001"), "{screen}");
    let state: String = store
        .conn()
        .query_row("SELECT state FROM tickets", [], |r| r.get(0))
        .unwrap();
    assert_eq!(state, "closed");
    // a day the point does not open
    clock.set(at(12, 0) + Duration::days(5));
    let mut b = board(&ctx, &clock, Some(Lang::En), false);
    tick(&mut b, &mut store);
    let screen = render(&b, 80, 24);
    // Saturday 7 March: Sunday closed, Monday the 9th a day off (for 8 March)
    assert!(
        screen.contains("Closed today, opens 10.03 09:00"),
        "{screen}"
    );
}
