//! The desk's screens driven by keys on a test store (`Jobs::inline`),
//! checked by what a person would see at 80×24 in each language.

use super::*;
use crate::app::desk::appeals::{follow_up, record_appeal, set_control};
use crate::app::desk::form::AppealInput;
use crate::app::desk::sessions::open_session;
use crate::app::kiosk::take_ticket;
use crate::app::{Store, staff};
use crate::config::Config;
use crate::domain::event::SessionKind;
use crate::domain::staff::Role;
use crate::domain::{Actor, AppealKind, CategoryId, Channel, PointId, Priority};
use crate::ui::worker::Jobs;
use chrono::{Duration, NaiveDate, TimeZone};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;

const CONFIG: &str = r#"
[point]
id = "test-point"
name = "Тест қабылдау бөлмесі"
kind = "office"
region = "Ақмола облысы"
officials = ["Депутат Серік Ахметов", "Жилищный отдел: Айгерим Нұрланқызы"]

[[desk]]
number = 1
categories = ["housing", "utilities"]

[[desk]]
number = 2
categories = ["labour"]
"#;

/// 10:00 in Almaty on Monday 2 March 2026.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 5, 0, 0).unwrap()
}

fn ctx() -> Context {
    Context::new(Config::parse(CONFIG, Path::new("test.toml")).unwrap())
}

struct Desk {
    screen: DeskScreen,
    store: Store,
    clock: Clock,
}

fn operator() -> Operator {
    Operator {
        login: crate::domain::staff::Login::parse("aigul").unwrap(),
        name: "Айгүл Сәрсенова".into(),
        role: Role::Admin,
    }
}

fn citizen(name: &str, iin: &str, text: &str) -> AppealInput {
    let mut i = AppealInput::new(CategoryId::new("housing"), Lang::Ru);
    i.name = name.into();
    i.iin = iin.into();
    i.consent = true;
    i.text = text.into();
    i
}

/// A point with a day's queue, appeals under control (one overdue) and an
/// operator "aigul" with PIN 1357.
fn seeded_store() -> Store {
    let ctx = ctx();
    let mut s = Store::open_in_memory(&PointId::parse("test-point").unwrap()).unwrap();
    staff::add(
        &mut s,
        &Actor::system(),
        "aigul",
        "Айгүл Сәрсенова",
        Role::Admin,
        "1357",
        now(),
    )
    .unwrap();
    let op = operator();
    // a month ago: an appeal put under control whose deadline has passed
    let before = Utc.with_ymd_and_hms(2026, 2, 2, 5, 0, 0).unwrap();
    let mut late = citizen(
        "Серік Жұмабаев",
        "791028302728",
        "Пәтерде суық, жылу жоқ\nүш айдан бері",
    );
    late.category = CategoryId::new("utilities");
    late.kind = AppealKind::Complaint;
    late.under_control = true;
    late.responsible = "ЖКХ бөлімі".into();
    late.deadline = "23.02.2026".into();
    let a = record_appeal(&mut s, &ctx, &op, Some(1), &late, before).unwrap();
    follow_up(
        &mut s,
        &op,
        a.id,
        "Позвонили в ЖКХ, обещали до конца месяца",
        before + Duration::days(7),
    )
    .unwrap();
    let earlier = Utc.with_ymd_and_hms(2026, 2, 20, 6, 0, 0).unwrap();
    let mut soon = citizen(
        "Айгерим Нұрланқызы",
        "",
        "Очередь на жильё с 2015 года, сирота",
    );
    soon.phone = "87011234567".into();
    let b = record_appeal(&mut s, &ctx, &op, Some(1), &soon, earlier).unwrap();
    set_control(
        &mut s,
        &ctx,
        &op,
        b.id,
        Some((
            "Жилищный отдел",
            NaiveDate::from_ymd_opt(2026, 3, 13).unwrap(),
        )),
        earlier,
    )
    .unwrap();
    // today's line
    let at = |h, m| Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap();
    for (cat, p, t) in [
        ("housing", Priority::Ordinary, at(4, 5)),
        ("utilities", Priority::Veteran, at(4, 20)),
        ("housing", Priority::Ordinary, at(4, 35)),
        ("labour", Priority::Ordinary, at(4, 40)),
        ("utilities", Priority::Disability, at(4, 50)),
    ] {
        take_ticket(&mut s, &ctx, &CategoryId::new(cat), p, Lang::Ru, t).unwrap();
    }
    s
}

impl Desk {
    fn new(lang: Lang) -> Self {
        Desk::with_store(lang, seeded_store())
    }

    fn with_store(lang: Lang, store: Store) -> Self {
        let clock = Clock::fixed(now());
        Desk {
            screen: DeskScreen::new(ctx(), 1, lang, clock.clone()),
            store,
            clock,
        }
    }

    fn input(&mut self, input: Input) {
        let mut jobs = Jobs::inline(&mut self.store);
        self.screen.on_input(input, &mut jobs);
        self.screen.pump(&mut jobs);
    }

    fn key(&mut self, code: KeyCode) {
        self.input(Input::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn ctrl(&mut self, c: char) {
        self.input(Input::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )));
    }

    fn typ(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn log_in(&mut self) {
        self.typ("aigul");
        self.key(KeyCode::Enter);
        self.typ("1357");
        self.key(KeyCode::Enter);
        assert!(self.screen.console().is_some(), "{}", self.text());
    }

    fn text_at(&self, w: u16, h: u16) -> String {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| self.screen.render(f)).unwrap();
        let buf = t.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..h {
            let mut line = String::new();
            for x in 0..w {
                line.push_str(buf[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    fn text(&self) -> String {
        self.text_at(80, 24)
    }
}

fn each_lang(name: &str, drive: impl Fn(&mut Desk)) {
    for lang in Lang::ALL {
        let mut d = Desk::new(lang);
        drive(&mut d);
        insta::assert_snapshot!(format!("{name}_{}", lang.code()), d.text());
    }
}

#[test]
fn login_screen_with_a_wrong_pin() {
    each_lang("desk_login", |d| {
        d.typ("aigul");
        d.key(KeyCode::Enter);
        d.typ("1111");
        d.key(KeyCode::Enter);
        assert!(d.screen.note().unwrap().error);
    });
}

#[test]
fn a_fresh_point_says_how_to_make_the_first_login() {
    for lang in Lang::ALL {
        let store = Store::open_in_memory(&PointId::parse("test-point").unwrap()).unwrap();
        let mut d = Desk::with_store(lang, store);
        d.typ("admin");
        d.key(KeyCode::Enter);
        d.typ("1357");
        d.key(KeyCode::Enter);
        let text = d.text();
        assert!(text.contains("qabyldau staff add"), "{text}");
        insta::assert_snapshot!(format!("desk_login_no_logins_{}", lang.code()), text);
    }
}

#[test]
fn a_window_too_small_takes_no_keys() {
    let mut d = Desk::new(Lang::En);
    d.log_in();
    let small = d.text_at(20, 8);
    assert!(small.contains("80×24"), "{small}");
    // typed blind: N would call the next ticket
    d.key(KeyCode::Char('n'));
    assert!(d.screen.console().unwrap().snap.current.is_none());
    d.input(Input::Paste("n".into()));
    assert!(d.screen.console().unwrap().snap.current.is_none());
    // the window is big again: keys act
    d.input(Input::Resize(80, 24));
    d.key(KeyCode::Char('n'));
    assert!(d.screen.console().unwrap().snap.current.is_some());
}

#[test]
fn queue_with_a_called_ticket() {
    each_lang("desk_queue", |d| {
        d.log_in();
        d.key(KeyCode::Char('n'));
        let c = d.screen.console().unwrap();
        // the first housing ticket has waited 55 minutes, past the 30-minute
        // limit, so it goes before the veteran who came after it; labour
        // tickets are not desk 1's
        assert_eq!(c.snap.current.as_ref().unwrap().number.to_string(), "Ж-001");
        assert_eq!(c.snap.line.len(), 3);
    });
}

#[test]
fn a_no_show_is_brought_back_with_u() {
    let mut d = Desk::new(Lang::Ru);
    d.log_in();
    d.key(KeyCode::Char('n'));
    let called = d.screen.console().unwrap().snap.current.clone().unwrap();
    d.key(KeyCode::Char('x'));
    assert!(d.text().contains("Вернуть в очередь: U"), "{}", d.text());
    assert!(
        !d.screen
            .console()
            .unwrap()
            .snap
            .line
            .iter()
            .any(|t| t.id == called.id)
    );
    // the citizen was only out for a minute
    d.key(KeyCode::Char('u'));
    let c = d.screen.console().unwrap();
    assert_eq!(c.snap.line[0].id, called.id, "back first in the line");
    assert!(
        d.text()
            .contains(&format!("Талон {} возвращён в очередь", called.number)),
        "{}",
        d.text()
    );
    // once: there is no other no-show to bring back
    d.key(KeyCode::Char('u'));
    assert!(d.screen.note().unwrap().error);
    assert!(
        d.text().contains("нет талонов с отметкой «не явился»"),
        "{}",
        d.text()
    );
}

#[test]
fn waiting_ends_at_the_call() {
    let mut d = Desk::new(Lang::En);
    d.log_in();
    d.key(KeyCode::Char('n'));
    // Ж-001 was taken at 09:05 and called at 10:00
    assert!(d.text().contains("Waited 55 minutes"), "{}", d.text());
    d.clock.advance(std::time::Duration::from_secs(10 * 60));
    let text = d.text();
    assert!(text.contains("Waited 55 minutes"), "{text}");
    assert!(!text.contains("Waited 65 minutes"), "{text}");
}

#[test]
fn appeal_form_with_a_wrong_iin_and_history() {
    each_lang("desk_form", |d| {
        d.log_in();
        d.key(KeyCode::Char('n'));
        d.key(KeyCode::Char('s'));
        d.key(KeyCode::F(2));
        d.typ("Серік Жұмабаев");
        d.key(KeyCode::Tab);
        d.typ("791028302729");
        d.key(KeyCode::Tab);
        d.ctrl('s');
        let c = d.screen.console().unwrap();
        // the earlier appeal is found by the full name, the IIN is refused
        assert_eq!(c.form.history.len(), 1);
        assert_eq!(c.view, View::Form);
        assert!(d.screen.note().unwrap().error);
    });
}

#[test]
fn every_wrong_field_is_named() {
    let mut d = Desk::new(Lang::Ru);
    d.log_in();
    d.key(KeyCode::Char('a'));
    d.typ("Серік Жұмабаев");
    d.key(KeyCode::Tab);
    d.typ("791028302729");
    d.key(KeyCode::Tab);
    d.ctrl('s');
    let note = d.screen.note().unwrap().text.clone();
    // the IIN's problem in full, then the others by name (no text yet)
    assert!(note.starts_with("ИИН"), "{note}");
    assert!(
        note.contains("ещё неверно:") && note.contains("суть обращения"),
        "{note}"
    );
}

#[test]
fn a_long_message_wraps_at_words_instead_of_being_cut() {
    let mut d = Desk::new(Lang::Kk);
    d.log_in();
    d.key(KeyCode::Char('n'));
    d.key(KeyCode::Char('n'));
    // "this desk still has ticket Ж-001: finish it (F) or mark a no-show (X)"
    let note = d.screen.note().unwrap().text.clone();
    assert!(note.chars().count() > 80, "{note}");
    let text = d.text();
    let last_word = note.split_whitespace().last().unwrap();
    assert!(
        text.contains(last_word),
        "the end of the message is shown:\n{text}"
    );
}

#[test]
fn without_officials_the_heard_by_field_is_not_called_others() {
    let config = CONFIG.replace(
        "officials = [\"Депутат Серік Ахметов\", \"Жилищный отдел: Айгерим Нұрланқызы\"]\n",
        "",
    );
    assert!(!config.contains("officials"));
    let ctx = Context::new(Config::parse(&config, Path::new("test.toml")).unwrap());
    let mut d = Desk::new(Lang::Ru);
    d.screen = DeskScreen::new(ctx, 1, Lang::Ru, d.clock.clone());
    d.log_in();
    d.key(KeyCode::Char('a'));
    let text = d.text();
    assert!(text.contains("Принимали"), "{text}");
    assert!(!text.contains("Другие"), "{text}");
}

#[test]
fn search_results() {
    each_lang("desk_search", |d| {
        d.log_in();
        d.key(KeyCode::F(3));
        d.typ("ЖИЛ");
        assert_eq!(d.screen.console().unwrap().search.results.len(), 1);
    });
}

#[test]
fn control_list_overdue_first() {
    each_lang("desk_control", |d| {
        d.log_in();
        d.key(KeyCode::F(4));
        let rows = &d.screen.console().unwrap().control.rows;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].number.to_string(), "2026-00001");
    });
}

#[test]
fn appeal_detail_with_history() {
    each_lang("desk_detail", |d| {
        d.log_in();
        d.key(KeyCode::F(4));
        d.key(KeyCode::Enter);
        let c = d.screen.console().unwrap();
        assert_eq!(c.detail.as_ref().unwrap().history.len(), 2);
    });
}

/// A decision of the region, applied as the forwarder applies it: the card
/// names the regional controller and says what the citizen was answered.
#[test]
fn a_decision_of_the_region_in_the_appeals_card() {
    use crate::domain::event::{AppealOutcomeSet, FromRegion, RegionDecision};
    for lang in Lang::ALL {
        let mut store = seeded_store();
        let (id,): (String,) = store
            .conn()
            .query_row(
                "SELECT id FROM appeals WHERE under_control = 1 ORDER BY received_at LIMIT 1",
                [],
                |r| Ok((r.get(0)?,)),
            )
            .unwrap();
        let decided = Utc.with_ymd_and_hms(2026, 3, 1, 6, 30, 0).unwrap();
        let decision = FromRegion {
            rseq: 1,
            region_event_id: uuid::Uuid::now_v7(),
            at: decided,
            by: "sadyrbaeva".into(),
            by_name: Some("А. Садырбаева".into()),
            decision: RegionDecision::AppealOutcomeSet(AppealOutcomeSet {
                effective_at: None,
                appeal_id: id.parse().unwrap(),
                outcome: crate::domain::Outcome::ResolvedPositive,
                redirected_to: None,
                note: Some(crate::domain::AppealText::parse("Жылу берілді").unwrap()),
            }),
        };
        crate::store::region::apply(&mut store, &[decision], now()).unwrap();
        let mut d = Desk::with_store(lang, store);
        d.log_in();
        d.key(KeyCode::F(4));
        d.key(KeyCode::Enter);
        let text = d.text();
        let by = match lang {
            Lang::Kk => "облыста: А. Садырбаева",
            Lang::Ru => "в области: А. Садырбаева",
            Lang::En => "at the region: А. Садырбаева",
        };
        assert!(text.contains(by), "{text}");
        assert!(text.contains("01.03"), "when it was decided:\n{text}");
        // the answer, whole (wrapped where the row ends)
        assert!(text.contains("Жылу") && text.contains("берілді"), "{text}");
        assert!(!text.contains("region:sadyrbaeva"), "{text}");
        insta::assert_snapshot!(format!("desk_detail_region_{}", lang.code()), text);
    }
}

#[test]
fn a_long_card_wraps_names_the_recorder_and_scrolls() {
    let ctx = ctx();
    let mut store = seeded_store();
    let mut long = citizen(
        "Жұмабаев Серік Болатұлы",
        "791028302728",
        &(1..=20)
            .map(|i| format!("{i}-жол: үйде жылу жоқ, балалар ауырып жүр."))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    long.settlement = "Степногорск қаласы, Заводская көшесі".into();
    long.workplace = "«Степногорск подшипник зауыты» АҚ, механикалық цех".into();
    let a = record_appeal(&mut store, &ctx, &operator(), Some(1), &long, now()).unwrap();
    let mut d = Desk::with_store(Lang::Kk, store);
    d.log_in();
    {
        let mut jobs = Jobs::inline(&mut d.store);
        let State::Console(c) = &mut d.screen.state else {
            unreachable!()
        };
        control::open_detail(c, a.id, View::Search, now(), &mut jobs);
        d.screen.pump(&mut jobs);
    }
    let text = d.text();
    // the recorder by name, not by login
    assert!(text.contains("Айгүл Сәрсенова"), "{text}");
    assert!(!text.contains("staff:aigul"), "{text}");
    // the citizen's line is wrapped, not cut: the workplace is there
    assert!(text.contains("механикалық цех"), "{text}");
    assert!(text.contains("▼"), "{text}");
    assert!(!text.contains("20-жол"), "{text}");
    insta::assert_snapshot!("desk_detail_long_kk", text);
    for _ in 0..10 {
        d.key(KeyCode::PageDown);
    }
    let text = d.text();
    assert!(text.contains("20-жол"), "the end of the text:\n{text}");
    assert!(text.contains("▲"), "{text}");
    insta::assert_snapshot!("desk_detail_long_end_kk", text);
}

#[test]
fn outcome_dialog() {
    each_lang("desk_outcome_dialog", |d| {
        d.log_in();
        d.key(KeyCode::F(4));
        d.key(KeyCode::Enter);
        d.key(KeyCode::Char('o'));
        assert!(
            d.screen
                .console()
                .unwrap()
                .detail
                .as_ref()
                .unwrap()
                .dialog
                .is_some()
        );
    });
}

#[test]
fn control_changes_through_the_detail_view() {
    let mut d = Desk::new(Lang::Ru);
    d.log_in();
    d.key(KeyCode::F(4));
    d.key(KeyCode::Enter);
    // a follow-up note
    d.key(KeyCode::Char('n'));
    d.typ("Ответ акимата получен");
    d.key(KeyCode::Enter);
    assert_eq!(d.screen.note().unwrap().text, "Заметка добавлена.");
    // extending with an empty reason is refused with a message
    d.key(KeyCode::Char('e'));
    d.key(KeyCode::Enter);
    assert!(d.screen.note().unwrap().error);
    assert!(
        d.screen
            .console()
            .unwrap()
            .detail
            .as_ref()
            .unwrap()
            .dialog
            .is_some()
    );
    d.key(KeyCode::Tab);
    d.typ("Ждём ответа из области");
    d.key(KeyCode::Enter);
    assert_eq!(
        d.screen.note().unwrap().text,
        "Срок продлён.",
        "{}",
        d.text()
    );
    // resolved: the appeal leaves the control list
    d.key(KeyCode::Char('o'));
    d.key(KeyCode::Right); // under consideration -> resolved positively
    d.key(KeyCode::Enter);
    assert_eq!(
        d.screen.note().unwrap().text,
        "Итог изменён.",
        "{}",
        d.text()
    );
    let detail = d.screen.console().unwrap().detail.as_ref().unwrap();
    assert_eq!(
        detail.appeal.outcome,
        crate::domain::Outcome::ResolvedPositive
    );
    assert!(!detail.appeal.under_control);
    let text = d.text();
    assert!(text.contains("заметка: Ответ акимата получен"), "{text}");
    assert!(text.contains("итог: решено положительно"), "{text}");
    // who did it, by name
    assert!(
        text.contains("Айгүл Сәрсенова итог: решено положительно"),
        "{text}"
    );
    assert!(!text.contains("staff:aigul"), "{text}");
    d.key(KeyCode::Esc);
    assert_eq!(d.screen.console().unwrap().control.rows.len(), 1);
}

#[test]
fn sessions_with_one_open() {
    each_lang("desk_sessions", |d| {
        open_session(
            &mut d.store,
            &operator(),
            SessionKind::Mobile,
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            "Жаңажол ауылы",
            &["Аудан әкімі".into()],
            now(),
        )
        .unwrap();
        d.log_in();
        d.key(KeyCode::F(5));
    });
}

#[test]
fn transfer_dialog() {
    each_lang("desk_transfer", |d| {
        d.log_in();
        d.key(KeyCode::Char('n'));
        d.key(KeyCode::Char('t'));
        d.key(KeyCode::Right);
        d.key(KeyCode::Tab);
        d.key(KeyCode::Right);
    });
}

#[test]
fn small_window_asks_to_enlarge() {
    let d = Desk::new(Lang::Kk);
    insta::assert_snapshot!("desk_small_window", d.text_at(60, 20));
}

#[test]
fn every_language_key_switches_and_renders_at_larger_sizes() {
    let mut d = Desk::new(Lang::Kk);
    d.log_in();
    d.key(KeyCode::F(7));
    assert_eq!(d.screen.lang(), Lang::Ru);
    d.key(KeyCode::F(7));
    assert_eq!(d.screen.lang(), Lang::En);
    d.key(KeyCode::F(7));
    assert_eq!(d.screen.lang(), Lang::Kk);
    for view in [
        KeyCode::F(1),
        KeyCode::F(2),
        KeyCode::F(3),
        KeyCode::F(4),
        KeyCode::F(5),
    ] {
        d.key(view);
        for (w, h) in [(80, 24), (100, 30), (160, 50)] {
            let text = d.text_at(w, h);
            assert!(
                !text.contains("desk-"),
                "a missing text key at {w}×{h}:\n{text}"
            );
        }
    }
}

#[test]
fn lockout_message_and_the_lock_ending() {
    let mut d = Desk::new(Lang::Ru);
    d.typ("aigul");
    d.key(KeyCode::Enter);
    for _ in 0..5 {
        // after a refusal the cursor stays on the emptied PIN field
        d.typ("0000");
        d.key(KeyCode::Enter);
    }
    let note = d.screen.note().unwrap().text.clone();
    assert!(note.contains("заблокирован до 10:05"), "{note}");
    insta::assert_snapshot!("desk_login_locked_ru", d.text());
    // the right PIN four minutes later is still refused
    d.clock.set(now() + Duration::minutes(4));
    d.typ("1357");
    d.key(KeyCode::Enter);
    assert!(d.screen.console().is_none());
    assert!(d.screen.note().unwrap().text.contains("10:05"));
    // and accepted once five minutes have passed since the last wrong PIN
    d.clock
        .set(now() + Duration::minutes(5) + Duration::seconds(1));
    d.typ("1357");
    d.key(KeyCode::Enter);
    assert!(d.screen.console().is_some(), "{}", d.text());
}

#[test]
fn invalid_iin_saves_nothing_then_the_corrected_appeal_is_recorded() {
    let mut d = Desk::new(Lang::En);
    d.log_in();
    let before = crate::store::events::last_seq(d.store.conn()).unwrap();
    d.key(KeyCode::Char('n'));
    d.key(KeyCode::Char('s'));
    d.key(KeyCode::Char('a'));
    d.typ("Болат Сейітов");
    d.key(KeyCode::Tab);
    d.typ("791028302729");
    assert!(d.text().contains("the check digit does"), "{}", d.text());
    // to the consent box and the text
    for _ in 0..4 {
        d.key(KeyCode::Tab);
    }
    d.key(KeyCode::Char(' '));
    for _ in 0..4 {
        d.key(KeyCode::Tab);
    }
    d.typ("Cold flat");
    d.ctrl('s');
    let seq = crate::store::events::last_seq(d.store.conn()).unwrap();
    // call and serve are two events; the refused appeal adds none
    assert_eq!(seq, before + 2);
    // the refused save put the cursor on the IIN: fix its last digit
    assert_eq!(d.screen.console().unwrap().form.focus, form::Slot::Iin);
    d.key(KeyCode::End);
    d.key(KeyCode::Backspace);
    d.typ("8");
    d.ctrl('s');
    assert!(
        d.screen.note().unwrap().text.contains("recorded"),
        "{}",
        d.text()
    );
    let rows = crate::store::appeals::latest(d.store.conn(), 1).unwrap();
    assert_eq!(rows[0].citizen_iin.as_deref(), Some("791028302728"));
    assert_eq!(rows[0].recorded_by, "staff:aigul");
    assert_eq!(
        rows[0].ticket_id,
        d.screen
            .console()
            .unwrap()
            .snap
            .current
            .as_ref()
            .map(|t| t.id)
    );
}

#[test]
fn stale_search_replies_are_dropped() {
    let mut d = Desk::new(Lang::Ru);
    d.log_in();
    d.key(KeyCode::F(3));
    // a reply for an older query arrives after the operator typed on
    let mut jobs = Jobs::inline(&mut d.store);
    d.screen.on_input(
        Input::Key(KeyEvent::new(KeyCode::Char('ж'), KeyModifiers::NONE)),
        &mut jobs,
    );
    let first = jobs.take_replies();
    d.screen.on_input(
        Input::Key(KeyEvent::new(KeyCode::Char('щ'), KeyModifiers::NONE)),
        &mut jobs,
    );
    // the second key waited for the first search: nothing new was sent
    assert!(jobs.take_replies().is_empty());
    for r in first {
        d.screen.on_reply(r, &mut jobs);
    }
    d.screen.pump(&mut jobs);
    let c = d.screen.console().unwrap();
    assert_eq!(c.search.shown_for.as_deref(), Some("жщ"));
    assert!(c.search.results.is_empty());
}

#[test]
fn desk_text_is_complete_in_three_languages() {
    use fluent_syntax::ast::Entry;
    let keys = |src: &str| -> std::collections::BTreeSet<String> {
        fluent_syntax::parser::parse(src)
            .expect("valid Fluent")
            .body
            .into_iter()
            .filter_map(|e| match e {
                Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    };
    let kk = keys(include_str!("../../../assets/locales/kk/desk.ftl"));
    let ru = keys(include_str!("../../../assets/locales/ru/desk.ftl"));
    let en = keys(include_str!("../../../assets/locales/en/desk.ftl"));
    assert_eq!(kk, ru);
    assert_eq!(ru, en);
    assert!(kk.iter().all(|k| k.starts_with("desk-")));
    // every key the screens name is there
    let sources = [
        include_str!("mod.rs"),
        include_str!("login.rs"),
        include_str!("queue.rs"),
        include_str!("form.rs"),
        include_str!("search.rs"),
        include_str!("control.rs"),
        include_str!("sessions.rs"),
        include_str!("text.rs"),
        include_str!("pause.rs"),
    ];
    for src in sources {
        for part in src.split('"').skip(1).step_by(2) {
            if part.starts_with("desk-") && !part.ends_with('-') && !part.contains('{') {
                assert!(en.contains(part), "{part} is not in desk.ftl");
            }
        }
    }
    // the value names built from enums
    for c in crate::domain::Channel::ALL {
        assert!(en.contains(&format!("desk-channel-{}", c.as_str())));
    }
    for p in Priority::ALL {
        assert!(en.contains(&format!("desk-priority-{}", p.as_str())));
    }
    for s in crate::domain::TicketState::ALL {
        assert!(en.contains(&format!("desk-state-{}", s.as_str())));
    }
}

#[test]
fn campaign_mode_from_the_desk_offers_only_programme_proposals() {
    let mut d = Desk::new(Lang::Ru);
    d.log_in();
    d.key(KeyCode::F(6));
    assert!(d.screen.console().unwrap().snap.campaign);
    assert!(d.text().contains("КАМПАНИЯ"));
    d.key(KeyCode::F(2));
    let f = &d.screen.console().unwrap().form;
    assert_eq!(f.kinds, [AppealKind::Proposal]);
    assert_eq!(f.categories, [CategoryId::new("programme")]);
    let ev = crate::store::events::after(d.store.conn(), 0, 1000).unwrap();
    let last = ev
        .iter()
        .rev()
        .find(|e| e.kind == "campaign_mode_set")
        .unwrap();
    assert_eq!(last.actor, "staff:aigul");
}

#[test]
fn an_operator_cannot_switch_campaign_mode() {
    let mut s = seeded_store();
    staff::add(
        &mut s,
        &Actor::system(),
        "bolat",
        "Болат",
        Role::Operator,
        "2468",
        now(),
    )
    .unwrap();
    let mut d = Desk::with_store(Lang::En, s);
    d.typ("bolat");
    d.key(KeyCode::Enter);
    d.typ("2468");
    d.key(KeyCode::Enter);
    d.key(KeyCode::F(6));
    assert_eq!(
        d.screen.note().unwrap().text,
        "Only an administrator can do this."
    );
    assert!(!d.screen.console().unwrap().snap.campaign);
}

#[test]
fn a_session_opened_at_the_desk_takes_the_appeals_recorded_in_it() {
    let mut d = Desk::new(Lang::Kk);
    d.log_in();
    d.key(KeyCode::F(5));
    d.key(KeyCode::Char('o'));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.typ("Жаңажол ауылы");
    d.key(KeyCode::Tab);
    d.key(KeyCode::Char(' ')); // the first official is present
    d.key(KeyCode::Enter);
    assert_eq!(
        d.screen.note().unwrap().text,
        "Қабылдау ашылды.",
        "{}",
        d.text()
    );
    let session = d.screen.console().unwrap().snap.session.clone().unwrap();
    assert_eq!(session.officials, ["Депутат Серік Ахметов"]);
    // an appeal without a ticket: the form takes the session's channel and officials
    d.key(KeyCode::F(2));
    let f = &d.screen.console().unwrap().form;
    assert_eq!(Channel::ALL[f.channel], Channel::Mobile);
    assert!(f.officials[0].1);
    for _ in 0..9 {
        d.key(KeyCode::Tab);
    }
    d.typ("Ауылға жол жөндеу керек");
    d.ctrl('s');
    assert!(
        d.screen.note().unwrap().text.contains("тіркелді"),
        "{}",
        d.text()
    );
    let a = &crate::store::appeals::latest(d.store.conn(), 1).unwrap()[0];
    assert_eq!(a.session_id, Some(session.id));
    assert_eq!(a.heard_by, ["Депутат Серік Ахметов"]);
    assert_eq!(a.channel, Channel::Mobile);
    assert!(!a.consent && a.citizen_name.is_none());
    // closing it
    d.key(KeyCode::F(5));
    d.key(KeyCode::Char('c'));
    assert!(d.screen.console().unwrap().snap.session.is_none());
}

#[test]
fn a_field_that_is_full_says_so() {
    let mut d = Desk::new(Lang::En);
    d.log_in();
    d.key(KeyCode::F(2));
    d.key(KeyCode::Tab);
    d.typ(&"7".repeat(20));
    assert!(!d.screen.note().unwrap().error);
    d.typ("7");
    assert_eq!(
        d.screen.note().unwrap().text,
        "IIN: too long: at most 20 characters"
    );
}

#[test]
fn logging_out_with_an_unsaved_form_asks_first() {
    let mut d = Desk::new(Lang::Ru);
    d.log_in();
    d.key(KeyCode::F(2));
    d.typ("Серік");
    d.ctrl('q');
    assert!(d.screen.console().is_some());
    assert!(d.screen.note().unwrap().text.contains("Ctrl-Q ещё раз"));
    d.ctrl('q');
    assert!(d.screen.console().is_none());
    assert_eq!(d.screen.note().unwrap().text, "Вы вышли из системы.");
}

#[test]
fn the_pause_dialog_offers_the_four_reasons() {
    each_lang("desk_pause_dialog", |d| {
        d.log_in();
        d.key(KeyCode::Char('p'));
        assert!(d.screen.console().unwrap().pause.is_some());
    });
}

#[test]
fn a_paused_desk_calls_nobody_and_says_why_and_for_how_long() {
    each_lang("desk_paused", |d| {
        d.log_in();
        d.key(KeyCode::Char('p'));
        d.key(KeyCode::Down);
        d.key(KeyCode::Enter);
        let pause = d.screen.console().unwrap().snap.pause.unwrap();
        assert_eq!(pause.reason, crate::domain::pause::PauseReason::Paperwork);
        d.clock.set(now() + Duration::minutes(12));
        d.key(KeyCode::Char('n'));
        let c = d.screen.console().unwrap();
        assert!(c.snap.current.is_none(), "a paused desk calls nobody");
        assert!(d.screen.note().unwrap().error);
        assert!(d.text().contains("12"), "{}", d.text());
    });
    // and back: the next call goes through
    let mut d = Desk::new(Lang::En);
    d.log_in();
    d.key(KeyCode::Char('p'));
    d.key(KeyCode::Char('1'));
    assert!(
        d.text().contains("Paused: break, since 10:00 (0 min)"),
        "{}",
        d.text()
    );
    d.key(KeyCode::Char('n'));
    assert!(
        d.text().contains("This desk is paused (break)"),
        "{}",
        d.text()
    );
    d.key(KeyCode::Char('p'));
    assert!(d.screen.console().unwrap().snap.pause.is_none());
    d.key(KeyCode::Char('n'));
    let c = d.screen.console().unwrap();
    assert_eq!(c.snap.current.as_ref().unwrap().number.to_string(), "Ж-001");
}

#[test]
fn a_ticket_past_the_waiting_limit_is_marked_on_the_desks_line() {
    let mut d = Desk::new(Lang::En);
    d.log_in();
    // at 10:00 Ж-001 has waited 55 min, Ж-002 25 min (limit 30)
    let text = d.text();
    assert!(text.contains("!55 min"), "{text}");
    assert!(
        text.contains(" 25 min") && !text.contains("!25 min"),
        "{text}"
    );
    // six minutes later Ж-002 is past the limit too
    d.clock.set(now() + Duration::minutes(6));
    d.input(Input::Tick);
    for _ in 0..20 {
        d.input(Input::Tick);
    }
    let text = d.text();
    assert!(text.contains("!31 min"), "{text}");
    assert!(text.contains("!61 min"), "{text}");
}

#[test]
fn a_paste_never_acts_as_keys_where_no_field_takes_text() {
    let mut d = Desk::new(Lang::Ru);
    d.log_in();
    // "т" calls the next ticket on the queue view: pasted, it must not
    d.input(Input::Paste("тест Т n".into()));
    let c = d.screen.console().unwrap();
    assert!(c.snap.current.is_none(), "a pasted letter called a ticket");
}

#[test]
fn a_paste_too_long_for_the_field_is_refused_whole() {
    let mut d = Desk::new(Lang::Kk);
    d.log_in();
    d.key(KeyCode::F(3));
    d.typ("Серік");
    let max = d.screen.console().unwrap().search.query.max();
    d.input(Input::Paste("ә".repeat(max)));
    let c = d.screen.console().unwrap();
    assert_eq!(c.search.query.text(), "Серік", "nothing of it was taken");
    let note = d.screen.note().unwrap();
    assert!(
        note.error && note.text.contains(&max.to_string()),
        "{note:?}"
    );
    // one that fits goes in whole, cleaned, on one line
    d.input(Input::Paste(" \u{1b}[31mЖұма\nбаев".into()));
    assert_eq!(
        d.screen.console().unwrap().search.query.text(),
        "Серік Жұма баев"
    );
}

#[test]
fn the_high_contrast_theme_draws_the_same_letters_in_its_own_colours() {
    let draw = |theme: &str| {
        let config = format!("{CONFIG}\n[ui]\ntheme = \"{theme}\"\n");
        let ctx = Context::new(Config::parse(&config, Path::new("test.toml")).unwrap());
        let mut d = Desk::new(Lang::Kk);
        d.screen = DeskScreen::new(ctx, 1, Lang::Kk, d.clock.clone());
        d.log_in();
        d.key(KeyCode::Char('n'));
        let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
        t.draw(|f| d.screen.render(f)).unwrap();
        (d.text(), t.backend().buffer().clone())
    };
    let (standard_text, standard) = draw("standard");
    let (high_text, high) = draw("high_contrast");
    assert_eq!(
        standard_text, high_text,
        "a theme changes colours, not words"
    );
    // the header bar (row 0) and the key help (the last row) are drawn in
    // each theme's own style
    for (x, y) in [(0, 0), (0, 23)] {
        assert_ne!(
            standard[(x, y)].style(),
            high[(x, y)].style(),
            "cell {x},{y}"
        );
    }
    use crate::ui::kit::theme::{HIGH_CONTRAST, STANDARD};
    assert_eq!(standard[(0, 0)].bg, STANDARD.header.bg.unwrap());
    assert_eq!(high[(0, 0)].bg, HIGH_CONTRAST.header.bg.unwrap());
    assert_eq!(high[(0, 23)].bg, HIGH_CONTRAST.keys.bg.unwrap());
}

// ---- reprinting a receipt --------------------------------------------

/// A network printer on loopback that answers the status requests
/// (DLE EOT 1, 2, 4) as the test sets and counts the paper it cut. It
/// reads raster images by their length, so image bytes are never taken
/// for a status request.
struct TinyPrinter {
    url: String,
    answers: Arc<std::sync::Mutex<[u8; 3]>>,
    cuts: Arc<std::sync::atomic::AtomicUsize>,
}

const FINE: [u8; 3] = [0x12, 0x12, 0x12];
const PAPER_OUT: [u8; 3] = [0x1a, 0x32, 0x72];

impl TinyPrinter {
    fn start() -> TinyPrinter {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("tcp://{}", listener.local_addr().unwrap());
        let answers = Arc::new(std::sync::Mutex::new(FINE));
        let cuts = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (a, k) = (Arc::clone(&answers), Arc::clone(&cuts));
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let mut pending: Vec<u8> = Vec::new();
                let mut buf = [0u8; 8192];
                while let Ok(n @ 1..) = stream.read(&mut buf) {
                    pending.extend_from_slice(&buf[..n]);
                    loop {
                        let used = match pending.as_slice() {
                            [0x10, 0x04, n, ..] => {
                                let ans = *a.lock().unwrap();
                                let i = match n {
                                    1 => 0,
                                    2 => 1,
                                    _ => 2,
                                };
                                let _ = stream.write_all(&[ans[i]]);
                                3
                            }
                            [0x1d, 0x76, 0x30, _, xl, xh, yl, yh, ..] => {
                                let len = (*xl as usize + *xh as usize * 256)
                                    * (*yl as usize + *yh as usize * 256);
                                if pending.len() < 8 + len {
                                    break;
                                }
                                8 + len
                            }
                            [0x1d, 0x56, ..] => {
                                k.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                                2
                            }
                            [0x10] | [0x10, 0x04] | [0x1d] | [0x1d, 0x76, ..] => break,
                            [] => break,
                            _ => 1,
                        };
                        pending.drain(..used);
                    }
                }
            }
        });
        TinyPrinter { url, answers, cuts }
    }

    fn cuts(&self) -> usize {
        self.cuts.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn printer(&self) -> crate::print::Printer {
        crate::print::Printer {
            url: self.url.parse().unwrap(),
            width: crate::print::PaperWidth::Mm58,
            logo: None,
            status: true,
            timeouts: crate::print::Timeouts::default(),
        }
    }
}

impl Desk {
    /// A Russian desk on `store` whose reprints go to `tiny`; the print
    /// thread's reports come back through the receiver.
    fn with_printer(
        store: Store,
        tiny: &TinyPrinter,
    ) -> (Desk, std::sync::mpsc::Receiver<crate::print::PrintReport>) {
        let mut d = Desk::with_store(Lang::Ru, store);
        let (tx, rx) = std::sync::mpsc::channel();
        let spooler = crate::print::Spooler::start(tiny.printer(), move |r| {
            let _ = tx.send(r);
        });
        let screen = std::mem::replace(
            &mut d.screen,
            DeskScreen::new(self::ctx(), 1, Lang::Ru, d.clock.clone()),
        );
        d.screen = screen.with_printer(spooler);
        (d, rx)
    }

    /// `P`, then what the print thread reports handed to the screen.
    fn reprint(&mut self, rx: &std::sync::mpsc::Receiver<crate::print::PrintReport>) {
        self.key(KeyCode::Char('p'));
        let report = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("the reprint's report");
        let mut jobs = Jobs::inline(&mut self.store);
        self.screen.on_reply(Msg::Printed(report), &mut jobs);
        self.screen.pump(&mut jobs);
    }
}

fn print_events(store: &Store) -> Vec<(String, serde_json::Value)> {
    crate::store::events::after(store.conn(), 0, 1000)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind.starts_with("print") || e.kind.starts_with("document"))
        .map(|e| (e.kind, e.payload))
        .collect()
}

#[test]
fn paper_out_then_the_desk_reprints_the_receipt_once_paper_is_back() {
    let tiny = TinyPrinter::start();
    *tiny.answers.lock().unwrap() = PAPER_OUT;
    let ctx = ctx();
    let mut store = seeded_store();
    // the kiosk records the appeal, then its printer has no paper
    let received = crate::app::kiosk::leave_written_appeal(
        &mut store,
        &ctx,
        crate::app::kiosk::WrittenAppeal {
            kind: crate::domain::appeal::AppealKind::Complaint,
            category: CategoryId::new("utilities"),
            author: crate::app::kiosk::Author::Anonymous,
            text: crate::domain::AppealText::parse("Суық").unwrap(),
            lang: Lang::Kk,
        },
        now(),
    )
    .unwrap();
    let doc = crate::app::print::document(
        &store,
        &ctx,
        crate::domain::event::DocumentRef::Receipt(received.id),
        now(),
    )
    .unwrap();
    let report = tiny.printer().print(&doc, false);
    crate::app::print::record(&mut store, &crate::domain::Actor::kiosk(), &report, now()).unwrap();
    // the appeal is in the database, the event says why there is no paper
    assert!(
        crate::store::appeals::get(store.conn(), received.id)
            .unwrap()
            .is_some()
    );
    let events = print_events(&store);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, "print_failed");
    assert_eq!(events[0].1["reason"], "paper_out");
    assert_eq!(tiny.cuts(), 0);

    // the desk, with the same printer
    let (mut d, rx) = Desk::with_printer(store, &tiny);
    d.log_in();
    {
        let mut jobs = Jobs::inline(&mut d.store);
        let State::Console(c) = &mut d.screen.state else {
            unreachable!()
        };
        control::open_detail(c, received.id, View::Search, now(), &mut jobs);
        d.screen.pump(&mut jobs);
    }
    let reprint = |d: &mut Desk| d.reprint(&rx);
    // still no paper: the desk says so, the event says it was a reprint
    reprint(&mut d);
    let text = d.text();
    assert!(
        text.contains("Талон не напечатан: закончилась бумага"),
        "{text}"
    );
    let events = print_events(&d.store);
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].0, "print_failed");
    assert_eq!(events[1].1["reason"], "paper_out");
    assert_eq!(events[1].1["reprint"], true);
    assert_eq!(tiny.cuts(), 0);
    // paper is back: the reprint comes out
    *tiny.answers.lock().unwrap() = FINE;
    reprint(&mut d);
    let text = d.text();
    assert!(text.contains("Талон перепечатан"), "{text}");
    let events = print_events(&d.store);
    assert_eq!(events.len(), 3);
    assert_eq!(events[2].0, "document_printed");
    assert_eq!(events[2].1["reprint"], true);
    assert_eq!(events[2].1["document"]["receipt"], received.id.to_string());
    assert_eq!(tiny.cuts(), 1);
}

#[test]
fn a_ticket_chosen_in_the_line_is_reprinted_then_called_out_of_turn() {
    let tiny = TinyPrinter::start();
    *tiny.answers.lock().unwrap() = PAPER_OUT;
    let ctx = ctx();
    let mut store = seeded_store();
    // the kiosk takes a ticket, then its printer has no paper
    let issued = take_ticket(
        &mut store,
        &ctx,
        &CategoryId::new("housing"),
        Priority::Ordinary,
        Lang::Ru,
        now(),
    )
    .unwrap();
    let doc = crate::app::print::document(
        &store,
        &ctx,
        crate::domain::event::DocumentRef::Ticket(issued.id),
        now(),
    )
    .unwrap();
    let report = tiny.printer().print(&doc, false);
    crate::app::print::record(&mut store, &crate::domain::Actor::kiosk(), &report, now()).unwrap();
    assert_eq!(print_events(&store)[0].1["reason"], "paper_out");

    let (mut d, rx) = Desk::with_printer(store, &tiny);
    d.log_in();
    let line = d.screen.console().unwrap().snap.line.clone();
    let at = line.iter().position(|t| t.id == issued.id).unwrap();
    assert!(at > 0, "the new ticket is not the next in turn");
    for _ in 0..=at {
        d.key(KeyCode::Down);
    }
    assert_eq!(d.screen.console().unwrap().chosen, Some(issued.id));
    assert!(
        d.text().contains("Enter Вызвать этот талон"),
        "{}",
        d.text()
    );
    let reprint = |d: &mut Desk| d.reprint(&rx);
    // P on a chosen ticket reprints it (and does not pause the desk)
    reprint(&mut d);
    let text = d.text();
    assert!(
        text.contains("Талон очереди не напечатан: закончилась бумага"),
        "{text}"
    );
    assert!(d.screen.console().unwrap().pause.is_none());
    *tiny.answers.lock().unwrap() = FINE;
    reprint(&mut d);
    assert!(
        d.text().contains("Талон очереди перепечатан"),
        "{}",
        d.text()
    );
    let events = print_events(&d.store);
    assert_eq!(events.len(), 3);
    assert_eq!(events[2].0, "document_printed");
    assert_eq!(events[2].1["reprint"], true);
    assert_eq!(events[2].1["document"]["ticket"], issued.id.to_string());
    assert_eq!(tiny.cuts(), 1);
    // Enter calls the chosen ticket, not the next in turn
    d.key(KeyCode::Enter);
    let row = crate::store::tickets::get(d.store.conn(), issued.id)
        .unwrap()
        .unwrap();
    assert_eq!(row.state, crate::domain::TicketState::Called);
    assert_eq!(row.desk, Some(1));
    assert_eq!(d.screen.console().unwrap().chosen, None);
    let text = d.text();
    assert!(
        text.contains(&format!("Талон {} вызван", issued.number)),
        "{text}"
    );
}

#[test]
fn choosing_in_the_line_goes_back_to_the_next_in_turn() {
    let mut d = Desk::new(Lang::En);
    d.log_in();
    let line = d.screen.console().unwrap().snap.line.clone();
    assert!(line.len() >= 2);
    d.key(KeyCode::Down);
    d.key(KeyCode::Down);
    assert_eq!(d.screen.console().unwrap().chosen, Some(line[1].id));
    // ↓ stops at the last, ↑ from the first is "next in turn" again
    for _ in 0..line.len() + 3 {
        d.key(KeyCode::Down);
    }
    assert_eq!(
        d.screen.console().unwrap().chosen,
        Some(line[line.len() - 1].id)
    );
    d.key(KeyCode::Esc);
    assert_eq!(d.screen.console().unwrap().chosen, None);
    d.key(KeyCode::Down);
    d.key(KeyCode::Up);
    assert_eq!(d.screen.console().unwrap().chosen, None);
    // with nothing chosen, Enter calls the next in turn, as before
    d.key(KeyCode::Enter);
    let called = d.screen.console().unwrap().snap.current.clone().unwrap();
    assert_eq!(called.id, line[0].id);
}

#[test]
fn snapshots_of_a_ticket_chosen_in_the_line() {
    each_lang("queue_chosen", |d| {
        d.log_in();
        d.key(KeyCode::Down);
        d.key(KeyCode::Down);
    });
}

#[test]
fn without_a_printer_the_desk_says_there_is_none() {
    let mut d = Desk::new(Lang::En);
    d.log_in();
    d.key(KeyCode::F(4));
    d.key(KeyCode::Enter);
    d.key(KeyCode::Char('p'));
    assert!(
        d.text().contains("No printer is configured"),
        "{}",
        d.text()
    );
}

// ---- the look-up for a citizen on the phone --------------------------

/// An appeal left at the kiosk with the phone 8 701 123 45 67 and a word
/// from the office on it; its number.
fn appeal_with_a_phone(store: &mut Store) -> String {
    let r = crate::app::kiosk::leave_written_appeal(
        store,
        &ctx(),
        crate::app::kiosk::WrittenAppeal {
            kind: crate::domain::appeal::AppealKind::Complaint,
            category: CategoryId::new("utilities"),
            author: crate::app::kiosk::Author::Consented(crate::domain::appeal::Citizen {
                name: crate::domain::PersonName::parse("Серік Жұмабаев").unwrap(),
                iin: None,
                phone: Some(crate::domain::Phone::parse("87011234567").unwrap()),
                settlement: None,
                workplace: None,
            }),
            text: crate::domain::AppealText::parse("Суық").unwrap(),
            lang: Lang::Kk,
        },
        now(),
    )
    .unwrap();
    follow_up(
        store,
        &operator(),
        r.id,
        "Жылу желісі 5 наурызда жөнделеді",
        now(),
    )
    .unwrap();
    r.number.to_string()
}

#[test]
fn the_desk_looks_up_an_appeal_for_a_citizen_on_the_phone() {
    let mut store = seeded_store();
    let number = appeal_with_a_phone(&mut store);
    for lang in Lang::ALL {
        let mut d = Desk::with_store(lang, std::mem::replace(&mut store, seeded_store()));
        d.log_in();
        d.key(KeyCode::F(9));
        d.typ(&number);
        d.key(KeyCode::Enter);
        d.typ("4567");
        d.key(KeyCode::Enter);
        let text = d.text();
        assert!(text.contains("Жылу желісі 5 наурызда жөнделеді"), "{text}");
        insta::assert_snapshot!(format!("desk_lookup_found_{}", lang.code()), text);
        // a wrong second factor: nothing of the appeal
        d.typ("1111");
        d.key(KeyCode::Enter);
        let text = d.text();
        assert!(!text.contains("Жылу"), "{text}");
        insta::assert_snapshot!(format!("desk_lookup_not_found_{}", lang.code()), text);
        // Esc leaves nothing behind for the next call
        d.key(KeyCode::Esc);
        d.key(KeyCode::F(9));
        assert!(!d.text().contains(&number));
        store = std::mem::replace(&mut d.store, seeded_store());
    }
}

/// A supervisor erases the citizen from the appeal's card, noting their
/// request: the card then says the personal data was erased, the appeal
/// stays with its outcome and control. An operator is told it is not theirs.
#[test]
fn a_supervisor_erases_the_citizen_from_the_card() {
    for lang in Lang::ALL {
        let mut store = seeded_store();
        staff::add(
            &mut store,
            &Actor::system(),
            "bolat",
            "Болат Ержанов",
            Role::Operator,
            "2468",
            now(),
        )
        .unwrap();
        let open_card = |d: &mut Desk| {
            d.key(KeyCode::F(4));
            d.key(KeyCode::Enter);
            assert!(d.text().contains("Серік Жұмабаев"), "{}", d.text());
        };
        // an operator: refused, nothing opens
        let mut d = Desk::with_store(lang, store);
        d.typ("bolat");
        d.key(KeyCode::Enter);
        d.typ("2468");
        d.key(KeyCode::Enter);
        open_card(&mut d);
        d.key(KeyCode::Char('d'));
        let refused = match lang {
            Lang::Kk => "тек басшы немесе әкімші",
            Lang::Ru => "только руководитель или администратор",
            Lang::En => "Only a supervisor or an administrator",
        };
        assert!(d.text().contains(refused), "{}", d.text());
        let store = std::mem::replace(
            &mut d.store,
            Store::open_in_memory(&PointId::parse("x").unwrap()).unwrap(),
        );

        let mut d = Desk::with_store(lang, store);
        d.log_in();
        open_card(&mut d);
        d.key(KeyCode::Char('d'));
        // no request noted: refused, the dialog stays
        d.key(KeyCode::Enter);
        let needed = match lang {
            Lang::Kk => "Азаматтың өтінішін көрсетіңіз",
            Lang::Ru => "Укажите заявление гражданина",
            Lang::En => "Note the citizen's request",
        };
        assert!(d.text().contains(needed), "{}", d.text());
        d.typ("өтініш № 17, 04.03.2026");
        insta::assert_snapshot!(format!("desk_erase_dialog_{}", lang.code()), d.text());
        d.key(KeyCode::Enter);
        let card = d.text();
        assert!(!card.contains("Серік Жұмабаев"), "{card}");
        assert!(!card.contains("791028302728"), "{card}");
        let erased = match lang {
            Lang::Kk => "дербес деректері жойылды",
            Lang::Ru => "персональные данные удалены",
            Lang::En => "personal data erased",
        };
        assert!(card.contains(erased), "{card}");
        // the text was not asked to go: it stays
        assert!(card.contains("Пәтерде суық"), "{card}");
        insta::assert_snapshot!(format!("desk_detail_erased_{}", lang.code()), card);
        let row = crate::store::appeals::latest(d.store.conn(), 10)
            .unwrap()
            .into_iter()
            .find(|a| a.citizen_erased_at.is_some())
            .expect("the appeal is erased in the store");
        assert!(row.under_control && row.citizen_iin.is_none());
    }
}
