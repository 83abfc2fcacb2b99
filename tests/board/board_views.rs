//! The board's screens as a person sees them: snapshots of the hall and the
//! supervisor's view at 80×24 and 200×60 in the three languages, and how
//! the screen behaves (login, languages, resizes).

use crate::board_common::screen::*;
use crate::board_common::*;
use chrono::Duration;
use crossterm::event::KeyCode;
use qabyldau::app::staff;
use qabyldau::domain::appeal::{AppealKind, Outcome};
use qabyldau::domain::event::Role;
use qabyldau::domain::{Actor, Lang, Priority};
use qabyldau::store::Store;
use qabyldau::ui::runtime::{Input, Screen};

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 60)];

/// 10:30 on a busy morning: desk 1 has just called Ж-006 (3 seconds ago,
/// still highlighted), desk 2 serves С-001, and eleven people wait in five
/// categories. Appeals with outcomes and two overdue ones under control.
fn morning() -> (Store, qabyldau::app::Context, chrono::DateTime<chrono::Utc>) {
    let ctx = ctx();
    let mut s = store(&ctx);
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
        [local(9, 12), local(9, 45), local(10, 5)],
    );
    served_ticket(
        &mut s,
        &ctx,
        "housing",
        1,
        [local(9, 20), local(9, 30), local(9, 50)],
    );
    let social = take(&mut s, &ctx, "social", local(9, 30));
    call(&mut s, social, 2, local(10, 6));
    serve(&mut s, social, 2, local(10, 7));
    for (i, cat) in [
        "housing",
        "housing",
        "utilities",
        "health",
        "housing",
        "roads",
        "utilities",
        "housing",
        "labour",
        "housing",
        "utilities",
    ]
    .into_iter()
    .enumerate()
    {
        take(&mut s, &ctx, cat, local(9, 40 + i as u32));
    }
    take_priority(&mut s, &ctx, "housing", Priority::Disability, local(10, 1));
    // desk 1 calls the disabled citizen's ticket first
    let now = local(10, 30);
    let line = qabyldau::app::queue::waiting_line(&s, &ctx, now).unwrap();
    call(&mut s, line[0].id, 1, now - Duration::seconds(3));

    for (i, outcome) in [
        Outcome::ResolvedPositive,
        Outcome::ResolvedPositive,
        Outcome::Consulted,
        Outcome::UnderConsideration,
        Outcome::Redirected,
    ]
    .into_iter()
    .enumerate()
    {
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
        set_outcome(&mut s, id, outcome, local(9, 30));
    }
    let late = anonymous_appeal(&mut s, &ctx, local(9, 0) - Duration::days(20));
    set_control(
        &mut s,
        late,
        day() - Duration::days(4),
        "Нұрлан Әбдіров",
        local(9, 0) - Duration::days(20),
    );
    let late = anonymous_appeal(&mut s, &ctx, local(9, 0) - Duration::days(16));
    set_control(
        &mut s,
        late,
        day() - Duration::days(1),
        "Гүлнар Омарова",
        local(9, 0) - Duration::days(16),
    );
    staff::add(
        &mut s,
        &Actor::system(),
        "dana",
        "Дана Серікова",
        Role::Supervisor,
        "2468",
        local(8, 0),
    )
    .unwrap();
    staff::add(
        &mut s,
        &Actor::system(),
        "aigul",
        "Айгүл Операторова",
        Role::Operator,
        "1357",
        local(8, 0),
    )
    .unwrap();
    (s, ctx, now)
}

#[test]
fn hall_snapshots() {
    let (mut s, ctx, now) = morning();
    for lang in Lang::ALL {
        let clock = TestClock::at(now);
        let mut b = board(&ctx, &clock, Some(lang), false);
        tick(&mut b, &mut s);
        for (w, h) in SIZES {
            let screen = render(&b, w, h);
            // what a citizen looks for is there in words, whatever the size
            assert!(screen.contains("Ж-003"), "{lang} {w}x{h}:\n{screen}");
            insta::assert_snapshot!(format!("hall_{lang}_{w}x{h}"), screen);
        }
    }
}

#[test]
fn supervisor_snapshots() {
    let (mut s, ctx, now) = morning();
    for lang in Lang::ALL {
        let clock = TestClock::at(now);
        let mut b = board(&ctx, &clock, Some(lang), true);
        assert!(b.is_login());
        insta::assert_snapshot!(format!("login_{lang}_80x24"), render(&b, 80, 24));
        log_in(&mut b, &mut s, "dana", "2468");
        assert!(b.is_supervisor_view());
        for (w, h) in SIZES {
            insta::assert_snapshot!(format!("supervisor_{lang}_{w}x{h}"), render(&b, w, h));
        }
    }
}

#[test]
fn an_operator_cannot_open_the_supervisor_view() {
    let (mut s, ctx, now) = morning();
    let clock = TestClock::at(now);
    let mut b = board(&ctx, &clock, Some(Lang::En), false);
    tick(&mut b, &mut s);
    log_in(&mut b, &mut s, "aigul", "1357");
    assert!(b.is_login() && !b.is_supervisor_view());
    assert!(render(&b, 80, 24).contains("This login cannot open the supervisor view"));
    // a wrong PIN says how many attempts are left, and the PIN is not kept
    type_text(&mut b, &mut s, "0000");
    key(&mut b, &mut s, KeyCode::Enter);
    let screen = render(&b, 80, 24);
    assert!(screen.contains("Wrong login or PIN"), "{screen}");
    assert!(!screen.contains("0000"));
    key(&mut b, &mut s, KeyCode::Esc);
    assert!(!b.is_login());
    assert!(render(&b, 80, 24).contains("Now serving"));
}

#[test]
fn wrong_pins_lock_the_supervisor_login() {
    let (mut s, ctx, now) = morning();
    let clock = TestClock::at(now);
    let mut b = board(&ctx, &clock, Some(Lang::Ru), true);
    type_text(&mut b, &mut s, "dana");
    key(&mut b, &mut s, KeyCode::Tab);
    for attempt in 1..=5 {
        type_text(&mut b, &mut s, "1111");
        key(&mut b, &mut s, KeyCode::Enter);
        let screen = render(&b, 80, 24);
        if attempt < 5 {
            assert!(screen.contains("Неверный логин или PIN-код"), "{screen}");
        } else {
            assert!(screen.contains("Повторите после 10:35"), "{screen}");
        }
    }
    // locked: even the right PIN is refused
    type_text(&mut b, &mut s, "2468");
    key(&mut b, &mut s, KeyCode::Enter);
    assert!(!b.is_supervisor_view());
}

#[test]
fn leaving_the_supervisor_view_logs_out() {
    let (mut s, ctx, now) = morning();
    let clock = TestClock::at(now);
    let mut b = board(&ctx, &clock, Some(Lang::Kk), true);
    log_in(&mut b, &mut s, "dana", "2468");
    assert!(b.is_supervisor_view());
    key(&mut b, &mut s, KeyCode::Esc);
    assert!(!b.is_supervisor_view());
    // back again needs the PIN again
    key(&mut b, &mut s, KeyCode::Char('s'));
    assert!(b.is_login());
}

#[test]
fn languages_turn_in_a_mixed_hall() {
    let (mut s, _, now) = morning();
    let ctx = ctx_with(&format!("{CONFIG}\n[board]\nrotate_languages_secs = 20\n"));
    let clock = TestClock::at(now);
    let mut b = board(&ctx, &clock, None, false);
    tick(&mut b, &mut s);
    assert_eq!(b.lang(), Lang::Kk);
    assert!(render(&b, 80, 24).contains("Қазір қабылдауда"));
    clock.advance(Duration::seconds(19));
    tick(&mut b, &mut s);
    assert_eq!(b.lang(), Lang::Kk);
    clock.advance(Duration::seconds(1));
    tick(&mut b, &mut s);
    assert_eq!(b.lang(), Lang::Ru);
    assert!(render(&b, 80, 24).contains("Сейчас принимают"));
    clock.advance(Duration::seconds(20));
    tick(&mut b, &mut s);
    assert_eq!(b.lang(), Lang::En);
    clock.advance(Duration::seconds(20));
    tick(&mut b, &mut s);
    assert_eq!(b.lang(), Lang::Kk);
    // a language given on the command line stays
    let mut fixed = board(&ctx, &clock, Some(Lang::Ru), false);
    tick(&mut fixed, &mut s);
    clock.advance(Duration::seconds(60));
    tick(&mut fixed, &mut s);
    assert_eq!(fixed.lang(), Lang::Ru);
}

#[test]
fn any_size_from_1x1_to_a_wall_renders_without_panic() {
    let (mut s, ctx, now) = morning();
    let clock = TestClock::at(now);
    let mut hall = board(&ctx, &clock, Some(Lang::Kk), false);
    tick(&mut hall, &mut s);
    let mut boss = board(&ctx, &clock, Some(Lang::Ru), true);
    log_in(&mut boss, &mut s, "dana", "2468");
    let mut login = board(&ctx, &clock, Some(Lang::En), true);
    for w in (1..=200).step_by(7).chain([1, 2, 3, 79, 80, 81, 199, 200]) {
        for h in (1..=60).step_by(5).chain([1, 2, 23, 24, 25, 59, 60]) {
            for b in [&mut hall, &mut boss, &mut login] {
                b.on_input(
                    Input::Resize(w, h),
                    &mut qabyldau::ui::worker::Jobs::inline(&mut s),
                );
                render(b, w, h);
            }
        }
    }
}

#[test]
fn a_hall_with_many_desks_and_long_numbers_still_fits() {
    let mut config = CONFIG.to_string();
    for n in 3..=9 {
        config.push_str(&format!("\n[[desk]]\nnumber = {n}\nname = \"{n}\"\n"));
    }
    let ctx = ctx_with(&config);
    let mut s = store(&ctx);
    let mut last = None;
    for i in 0..1005 {
        last = Some(take(
            &mut s,
            &ctx,
            "housing",
            local(8, 0) + Duration::seconds(i),
        ));
    }
    call(&mut s, last.unwrap(), 9, local(10, 0));
    let clock = TestClock::at(local(10, 0));
    let mut b = board(&ctx, &clock, Some(Lang::En), false);
    tick(&mut b, &mut s);
    for (w, h) in SIZES {
        let screen = render(&b, w, h);
        assert!(screen.contains("Desk 9"), "{w}x{h}:\n{screen}");
        assert!(
            screen.contains("Ticket Ж-1005, please go to desk 9"),
            "{screen}"
        );
        assert!(screen.contains("1004 people waiting"), "{screen}");
        assert!(screen.contains("more"), "{screen}");
    }
}
