//! The screens under abuse, without a terminal (ratatui `TestBackend`,
//! database jobs inline):
//!
//! - hostile text (`tests/corpus/hostile_text.json`: escape sequences,
//!   bidi overrides, zero-width and control characters) typed and pasted
//!   at the kiosk, then shown at the kiosk, the desk and the board: every
//!   case shows its expected words, and no drawn cell holds an ESC, a
//!   control, a bidi or a zero-width character, or the visible remains of
//!   a sequence;
//! - every screen (kiosk steps, desk login and views, board hall,
//!   supervisor panel and report) drawn at sizes from 1×1 to 400×200,
//!   after a storm of resize inputs: no panic. Each screen is first shown
//!   to be the one named (its title at 80×24), and again after the storm.

use crate::board_common::local;
use crate::board_common::screen::{self as board_screen, TestClock};
use chrono::TimeZone;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use qabyldau::app::{Context, staff};
use qabyldau::domain::event::Role;
use qabyldau::domain::{Actor, Lang};
use qabyldau::store::Store;
use qabyldau::ui::desk::{Clock as DeskClock, DeskScreen};
use qabyldau::ui::kiosk::{Clock as KioskClock, Kiosk, KioskOptions};
use qabyldau::ui::runtime::{Input, Screen};
use qabyldau::ui::worker::Jobs;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;

#[derive(serde::Deserialize)]
struct Case {
    case: String,
    input: String,
    shown: String,
}

fn corpus() -> Vec<Case> {
    let text = include_str!("../corpus/hostile_text.json");
    serde_json::from_str(text).unwrap()
}

/// Feeds one input and every reply it leads to, as the event loop does.
fn drive<S: Screen>(screen: &mut S, store: &mut Store, input: Input) {
    let mut jobs = Jobs::inline(store);
    screen.on_input(input, &mut jobs);
    loop {
        let replies = jobs.take_replies();
        if replies.is_empty() {
            break;
        }
        for r in replies {
            screen.on_reply(r, &mut jobs);
        }
    }
}

fn key<S: Screen>(s: &mut S, store: &mut Store, code: KeyCode) {
    drive(
        s,
        store,
        Input::Key(KeyEvent::new(code, KeyModifiers::NONE)),
    );
}

fn typ<S: Screen>(s: &mut S, store: &mut Store, text: &str) {
    for c in text.chars() {
        key(s, store, KeyCode::Char(c));
    }
}

/// The screen drawn at `w`×`h`: the text, and every cell's symbol.
fn draw<S: Screen>(s: &S, w: u16, h: u16) -> (String, Vec<String>) {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| s.render(f)).unwrap();
    let buf = t.backend().buffer();
    let cells: Vec<String> = buf
        .content()
        .iter()
        .map(|c| c.symbol().to_string())
        .collect();
    let text = (0..h)
        .map(|y| {
            (0..w)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n");
    (text, cells)
}

fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200b}'..='\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

/// No drawn cell holds a character a terminal would act on or that turns
/// the reading order, and no remains of a sequence are visible.
fn assert_harmless(what: &str, text: &str, cells: &[String]) {
    for cell in cells {
        if let Some(c) = cell.chars().find(|&c| forbidden(c)) {
            panic!("{what}: U+{:04X} drawn on screen:\n{text}", c as u32);
        }
    }
    for remains in [
        "[31m",
        "[0m",
        "]0;",
        "pwned",
        "[2J",
        "evil.example",
        "#0;2",
        "txt.exe\u{202c}",
    ] {
        assert!(
            !text.contains(remains),
            "{what}: {remains:?} shown:\n{text}"
        );
    }
}

const KIOSK_CONFIG: &str = r#"
[point]
id = "test-point"
name = "Тест қабылдау бөлмесі"
kind = "enterprise"
region = "Ақмола облысы"

[[desk]]
number = 1

[[desk]]
number = 2

[kiosk]
languages = ["kk", "ru", "en"]
idle_timeout_secs = 600
"#;

fn kiosk_ctx() -> Context {
    crate::board_common::ctx_with(KIOSK_CONFIG)
}

fn kiosk(ctx: &Context) -> Kiosk {
    Kiosk::new(
        Arc::new(ctx.clone()),
        KioskClock::manual(chrono::Utc.with_ymd_and_hms(2026, 3, 2, 5, 0, 0).unwrap()),
        KioskOptions {
            allow_exit: false,
            exit_pin_set: false,
            campaign: false,
        },
    )
}

fn paste<S: Screen>(s: &mut S, store: &mut Store, text: &str) {
    drive(s, store, Input::Paste(text.to_string()));
}

#[test]
fn hostile_text_is_shown_harmless_at_the_kiosk_the_desk_and_the_board() {
    let ctx = kiosk_ctx();
    let mut store = Store::open_in_memory(ctx.point_id()).unwrap();
    let cases = corpus();
    assert!(cases.len() >= 15);
    for (i, case) in cases.iter().enumerate() {
        let mut k = kiosk(&ctx);
        // Russian; a written appeal; utilities; consent
        typ(&mut k, &mut store, "2");
        typ(&mut k, &mut store, "2");
        typ(&mut k, &mut store, "2");
        typ(&mut k, &mut store, "1");
        // the name and the text pasted (a paste is how such bytes reach a
        // field: typed, an ESC is the Esc key and the rest plain letters)
        paste(&mut k, &mut store, &case.input);
        let (text, cells) = draw(&k, 80, 24);
        assert_harmless(&case.case, &text, &cells);
        assert!(
            text.contains(&case.shown),
            "{}: {:?} not shown:\n{text}",
            case.case,
            case.shown
        );
        key(&mut k, &mut store, KeyCode::Enter);
        for _ in 0..3 {
            key(&mut k, &mut store, KeyCode::Enter); // phone, settlement, workplace
        }
        paste(&mut k, &mut store, &case.input);
        key(&mut k, &mut store, KeyCode::Enter);
        paste(&mut k, &mut store, &format!("{} #{i}", case.input));
        key(&mut k, &mut store, KeyCode::Tab);
        let (text, cells) = draw(&k, 100, 40);
        assert!(
            text.contains("Проверьте обращение"),
            "{}: review\n{text}",
            case.case
        );
        assert_harmless(&case.case, &text, &cells);
        typ(&mut k, &mut store, "1");
        let (text, cells) = draw(&k, 80, 24);
        assert!(
            text.contains("зарегистрировано"),
            "{}: receipt\n{text}",
            case.case
        );
        assert_harmless(&case.case, &text, &cells);
    }
    // what was stored is clean too, and says what the corpus expects
    let stored = qabyldau::store::appeals::latest(store.conn(), 1000).unwrap();
    assert_eq!(stored.len(), cases.len());
    for (i, case) in cases.iter().enumerate() {
        let a = stored
            .iter()
            .find(|a| a.text.ends_with(&format!(" #{i}")))
            .unwrap_or_else(|| panic!("{}: not stored", case.case));
        assert_eq!(
            a.citizen_name.as_deref(),
            Some(case.shown.as_str()),
            "{}",
            case.case
        );
        assert!(
            !a.text.chars().any(|c| forbidden(c) && c != '\n'),
            "{}",
            case.case
        );
    }

    // the desk: an operator whose own name is hostile, the search list and
    // an appeal's detail
    let hostile_login = &cases[0];
    staff::add(
        &mut store,
        &Actor::system(),
        "aigul",
        &hostile_login.input,
        Role::Supervisor,
        "1357",
        local(8, 0),
    )
    .unwrap();
    let mut desk = DeskScreen::new(ctx.clone(), 1, Lang::Ru, DeskClock::fixed(local(10, 0)));
    typ(&mut desk, &mut store, "aigul");
    key(&mut desk, &mut store, KeyCode::Enter);
    typ(&mut desk, &mut store, "1357");
    key(&mut desk, &mut store, KeyCode::Enter);
    let (text, cells) = draw(&desk, 120, 40);
    assert!(
        text.contains(&hostile_login.shown),
        "the operator's name:\n{text}"
    );
    assert_harmless("desk console", &text, &cells);
    key(&mut desk, &mut store, KeyCode::F(3));
    let mut seen_in_search = 0;
    for case in &cases {
        // a word of the expected text finds the appeal
        let word = case.shown.split_whitespace().next().unwrap();
        for _ in 0..40 {
            key(&mut desk, &mut store, KeyCode::Backspace);
        }
        typ(&mut desk, &mut store, word);
        let (text, cells) = draw(&desk, 160, 50);
        assert_harmless(&format!("desk search {}", case.case), &text, &cells);
        seen_in_search += usize::from(text.contains(&case.shown));
        key(&mut desk, &mut store, KeyCode::Enter);
        let (text, cells) = draw(&desk, 160, 50);
        assert!(text.contains("Обращение 2026-"), "the detail:\n{text}");
        assert_harmless(&format!("desk detail {}", case.case), &text, &cells);
        key(&mut desk, &mut store, KeyCode::Esc);
    }
    assert!(
        seen_in_search >= cases.len() / 2,
        "the search showed the names ({seen_in_search} of {})",
        cases.len()
    );

    // the board: the supervisor with the hostile name logs in
    let clock = TestClock::at(local(10, 0));
    let mut board = board_screen::board(&ctx, &clock, Some(Lang::Ru), false);
    board_screen::tick(&mut board, &mut store);
    board_screen::log_in(&mut board, &mut store, "aigul", "1357");
    board_screen::tick(&mut board, &mut store);
    let (text, cells) = draw(&board, 160, 50);
    assert!(text.contains("R отчёт"), "the supervisor's panel:\n{text}");
    assert_harmless("board supervisor", &text, &cells);
}

/// Widths and heights from 1 to 400 × 1 to 200, dense where layouts change.
const WIDTHS: &[u16] = &[
    1, 2, 3, 4, 5, 7, 9, 12, 16, 19, 20, 21, 24, 30, 40, 59, 60, 79, 80, 81, 100, 120, 160, 200,
    255, 256, 300, 399, 400,
];
const HEIGHTS: &[u16] = &[
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 23, 24, 25, 30, 40, 50, 60, 80, 100, 150, 199, 200,
];

/// The screen named `what` is the one drawn: `shows` is on it at 80×24.
fn assert_on<S: Screen>(what: &str, s: &S, shows: &str) {
    let (text, _) = draw(s, 80, 24);
    assert!(text.contains(shows), "{what}: {shows:?} not shown:\n{text}");
}

/// A resize storm (inputs as the terminal sends them), then a draw at every
/// size, on the screen named `what`, which shows `shows`: checked before
/// (the sweep is of the screen it names) and after (the storm did not move
/// it elsewhere).
fn sweep<S: Screen>(what: &str, shows: &str, s: &mut S, store: &mut Store) -> usize {
    assert_on(what, s, shows);
    for (i, &w) in WIDTHS.iter().enumerate() {
        let h = HEIGHTS[i % HEIGHTS.len()];
        drive(s, store, Input::Resize(w, h));
    }
    let mut n = 0;
    for &w in WIDTHS {
        for &h in HEIGHTS {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| draw(&*s, w, h)));
            assert!(result.is_ok(), "{what}: a panic at {w}×{h}");
            n += 1;
        }
    }
    drive(s, store, Input::Resize(80, 24));
    assert_on(what, s, shows);
    n
}

#[test]
fn every_screen_survives_every_size_from_1x1_to_400x200() {
    let mut frames = 0;
    // the kiosk, step by step, a ticket and a written appeal
    let ctx = kiosk_ctx();
    let mut store = Store::open_in_memory(ctx.point_id()).unwrap();
    let mut k = kiosk(&ctx);
    frames += sweep("kiosk welcome", "Тілді таңдаңыз", &mut k, &mut store);
    for (keys, what, shows) in [
        ("1", "kiosk menu", "Не істегіңіз келеді?"),
        ("1", "kiosk topics", "Мәселеңіздің тақырыбын таңдаңыз"),
        (
            "1\n",
            "kiosk priority",
            "Кезектен тыс қабылдану құқығыңыз бар ма?",
        ),
        ("1", "kiosk ticket", "Сіздің талоныңыз: Ж-001"),
    ] {
        for c in keys.chars() {
            let code = if c == '\n' {
                KeyCode::Enter
            } else {
                KeyCode::Char(c)
            };
            key(&mut k, &mut store, code);
        }
        frames += sweep(what, shows, &mut k, &mut store);
    }
    let mut k = kiosk(&ctx);
    typ(&mut k, &mut store, "32");
    frames += sweep(
        "kiosk topics (appeal)",
        "Choose the topic of your appeal",
        &mut k,
        &mut store,
    );
    typ(&mut k, &mut store, "2");
    frames += sweep(
        "kiosk consent",
        "Consent to the processing of personal data",
        &mut k,
        &mut store,
    );
    typ(&mut k, &mut store, "1");
    paste(&mut k, &mut store, &"Жұмабаев Серік Болатұлы ".repeat(5));
    frames += sweep("kiosk name", "Your full name", &mut k, &mut store);
    for _ in 0..4 {
        key(&mut k, &mut store, KeyCode::Enter);
    }
    paste(
        &mut k,
        &mut store,
        &"Пәтерде суық, батареялар жылымайды.\n".repeat(80),
    );
    frames += sweep("kiosk text", "of 4000 characters", &mut k, &mut store);
    key(&mut k, &mut store, KeyCode::Tab);
    frames += sweep("kiosk review", "Check your appeal", &mut k, &mut store);
    typ(&mut k, &mut store, "1");
    frames += sweep(
        "kiosk receipt",
        "Your appeal is registered",
        &mut k,
        &mut store,
    );

    // the desk: login, then every view
    let ctx = crate::board_common::ctx();
    let mut store = crate::board_common::store(&ctx);
    staff::add(
        &mut store,
        &Actor::system(),
        "aigul",
        "Айгүл Сәрсенова",
        Role::Supervisor,
        "1357",
        local(8, 0),
    )
    .unwrap();
    for i in 0..12 {
        crate::board_common::take(&mut store, &ctx, "housing", local(9, i));
    }
    let mut desk = DeskScreen::new(ctx.clone(), 1, Lang::Kk, DeskClock::fixed(local(10, 0)));
    frames += sweep(
        "desk login",
        "Логин мен PIN-кодты енгізіңіз",
        &mut desk,
        &mut store,
    );
    typ(&mut desk, &mut store, "aigul");
    key(&mut desk, &mut store, KeyCode::Enter);
    typ(&mut desk, &mut store, "1357");
    key(&mut desk, &mut store, KeyCode::Enter);
    for (f, what, shows) in [
        (1, "desk queue", "Күтуде: 12"),
        (2, "desk appeal form", "Жаңа өтініш (талонсыз)"),
        (
            3,
            "desk search",
            "Өтініштер мен өтініш берушілер бойынша іздеу",
        ),
        (4, "desk control", "Бақылаудағы өтініштер жоқ"),
        (5, "desk sessions", "Ашық қабылдау жоқ"),
        (8, "desk report", "Есеп · Тест қабылдау бөлмесі"),
    ] {
        key(&mut desk, &mut store, KeyCode::F(f));
        frames += sweep(what, shows, &mut desk, &mut store);
    }

    // the board: hall, supervisor panel, report
    let clock = TestClock::at(local(10, 0));
    let mut board = board_screen::board(&ctx, &clock, Some(Lang::Kk), false);
    board_screen::tick(&mut board, &mut store);
    frames += sweep("board hall", "Қазір қабылдауда", &mut board, &mut store);
    board_screen::log_in(&mut board, &mut store, "aigul", "1357");
    board_screen::tick(&mut board, &mut store);
    frames += sweep(
        "board supervisor",
        "Басшы: Айгүл Сәрсенова",
        &mut board,
        &mut store,
    );
    key(&mut board, &mut store, KeyCode::Char('r'));
    board_screen::tick(&mut board, &mut store);
    frames += sweep(
        "board report",
        "Есеп · Айгүл Сәрсенова",
        &mut board,
        &mut store,
    );
    eprintln!("{frames} frames drawn without a panic");
    assert!(frames > 10_000);
}
