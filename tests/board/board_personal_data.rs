//! A board hangs in a public hall: no citizen's name, phone, IIN or appeal
//! text may ever be on it. The point is filled with appeals from people with
//! distinctive details; none of them may appear on the hall view, at any
//! size, in any language, nor in the data the hall view is drawn from.

use crate::board_common::screen::*;
use crate::board_common::*;
use chrono::Duration;
use qabyldau::app::board;
use qabyldau::domain::Lang;
use qabyldau::domain::appeal::{AppealKind, Outcome};

struct Person {
    name: &'static str,
    phone: &'static str,
    iin: Option<&'static str>,
    text: &'static str,
}

const PEOPLE: [Person; 4] = [
    Person {
        name: "Зейнолла Құрманғалиев",
        phone: "87015550199",
        iin: Some("850315401231"),
        text: "Жылыжай маңындағы құбыр жарылды, үйде су жоқ",
    },
    Person {
        name: "Прасковья Шереметьева",
        phone: "+7 747 310 22 48",
        iin: Some("901207450673"),
        text: "Протекает крыша над подъездом номер семь",
    },
    Person {
        name: "Ғалымжан Төлеубердиев",
        phone: "8 (778) 904-61-37",
        iin: Some("680703302117"),
        text: "Зарплату задерживают третий месяц на элеваторе",
    },
    Person {
        name: "Bartholomew Quincey",
        phone: "87052229911",
        iin: None,
        text: "Streetlights broken along Abaya prospect",
    },
];

/// Every way a detail could show: whole, in parts, digits alone.
fn needles() -> Vec<String> {
    let mut out = Vec::new();
    for p in &PEOPLE {
        out.push(p.name.to_string());
        out.extend(p.name.split_whitespace().map(str::to_string));
        let digits: String = p.phone.chars().filter(char::is_ascii_digit).collect();
        let national = &digits[digits.len() - 10..];
        out.push(digits.clone());
        out.push(national.to_string());
        out.push(national[3..].to_string());
        out.push(national[6..].to_string()); // the last four digits
        if let Some(iin) = p.iin {
            out.push(iin.to_string());
            out.push(iin[..6].to_string()); // the birth date in it
        }
        out.extend(
            p.text
                .split_whitespace()
                .filter(|w| w.chars().count() >= 5)
                .map(str::to_string),
        );
    }
    out
}

fn filled_point() -> (qabyldau::store::Store, qabyldau::app::Context) {
    let ctx = ctx();
    let mut s = store(&ctx);
    for (i, p) in PEOPLE.iter().enumerate() {
        let id = named_appeal(
            &mut s,
            &ctx,
            ["housing", "utilities", "labour", "roads"][i],
            AppealKind::Complaint,
            Named {
                name: p.name,
                phone: p.phone,
                iin: p.iin,
                text: p.text,
            },
            local(9, i as u32),
        );
        set_outcome(&mut s, id, Outcome::UnderConsideration, local(9, 30));
        set_control(
            &mut s,
            id,
            day() - Duration::days(2),
            "Нұрлан Әбдіров",
            local(9, 30),
        );
    }
    // a queue on the board too: called, serving and waiting tickets
    let a = take(&mut s, &ctx, "housing", local(9, 10));
    let b = take(&mut s, &ctx, "utilities", local(9, 11));
    for cat in ["labour", "roads", "housing", "social"] {
        take(&mut s, &ctx, cat, local(9, 20));
    }
    call(&mut s, a, 1, local(9, 58));
    call(&mut s, b, 2, local(9, 59));
    serve(&mut s, b, 2, local(9, 59));
    (s, ctx)
}

#[test]
fn no_personal_data_on_the_hall_view() {
    let (mut s, ctx) = filled_point();
    let needles = needles();
    for lang in Lang::ALL {
        let clock = TestClock::at(local(10, 0));
        let mut b = board_view(&ctx, &clock, lang);
        tick(&mut b, &mut s);
        for (w, h) in [(80, 24), (200, 60)] {
            for _ in 0..2 {
                let screen = render(&b, w, h);
                // the view is really drawn: the latest call and the line are on it
                assert!(screen.contains("К-001"), "{screen}");
                assert!(screen.contains("Т-001"), "{screen}");
                for n in &needles {
                    assert!(
                        !screen.contains(n.as_str()),
                        "{n:?} is on the hall view ({lang}, {w}x{h}):\n{screen}"
                    );
                }
                // and again once the highlight has run out
                clock.advance(Duration::seconds(30));
                tick(&mut b, &mut s);
            }
        }
    }
}

fn board_view(
    ctx: &qabyldau::app::Context,
    clock: &TestClock,
    lang: Lang,
) -> qabyldau::ui::board::Board {
    board(ctx, clock, Some(lang), false)
}

#[test]
fn the_hall_data_holds_no_personal_data() {
    let (s, ctx) = filled_point();
    let hall = board::read(&s, &ctx, local(10, 0), false).unwrap().hall;
    let dump = format!("{hall:?}");
    assert!(dump.contains("Ж"), "the dump shows the hall: {dump}");
    for n in needles() {
        assert!(!dump.contains(n.as_str()), "{n:?} in {dump}");
    }
}

#[test]
fn no_citizen_data_on_the_supervisor_view_either() {
    let (mut s, ctx) = filled_point();
    qabyldau::app::staff::add(
        &mut s,
        &qabyldau::domain::Actor::system(),
        "dana",
        "Дана Серікова",
        qabyldau::domain::event::Role::Supervisor,
        "2468",
        local(8, 0),
    )
    .unwrap();
    let needles = needles();
    for lang in Lang::ALL {
        let clock = TestClock::at(local(10, 0));
        let mut b = board(&ctx, &clock, Some(lang), true);
        log_in(&mut b, &mut s, "dana", "2468");
        for (w, h) in [(80, 24), (200, 60)] {
            let screen = render(&b, w, h);
            // the overdue appeals are listed, by number and responsible
            assert!(screen.contains("2026-00001"), "{screen}");
            for n in &needles {
                assert!(
                    !screen.contains(n.as_str()),
                    "{n:?} ({lang} {w}x{h}):\n{screen}"
                );
            }
        }
    }
}
