//! The kiosk driven as a citizen drives it (keys, touches, pastes), with
//! the database jobs run inline on an in-memory store, and every screen
//! snapshotted in the three languages.

use super::step::{Field, Problem, Step};
use super::*;
use crate::app::AppError;
use crate::config::Config;
use crate::domain::Lang;
use crate::store::{Store, StoreError, appeals, events, tickets};
use chrono::{TimeZone, Utc};
use crossterm::event::{KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;

const CONFIG: &str = r#"
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
idle_timeout_secs = 60
"#;

struct Driver {
    kiosk: Kiosk,
    store: Store,
    clock: Clock,
    /// When false, replies wait in `held` for the test to look at or swap.
    auto_reply: bool,
    held: Vec<Msg>,
}

impl Driver {
    fn new() -> Self {
        Self::with_config(CONFIG)
    }

    fn with_config(text: &str) -> Self {
        let config = Config::parse(text, Path::new("test.toml")).unwrap();
        let store = Store::open_in_memory(&config.point.id).unwrap();
        let ctx = Arc::new(Context::new(config));
        let clock = Clock::manual(Utc.with_ymd_and_hms(2026, 3, 2, 5, 0, 0).unwrap());
        let campaign = ctx.campaign_mode(&store).unwrap();
        let kiosk = Kiosk::new(
            ctx,
            clock.clone(),
            KioskOptions {
                allow_exit: false,
                exit_pin_set: false,
                campaign,
            },
        );
        Driver {
            kiosk,
            store,
            clock,
            auto_reply: true,
            held: Vec::new(),
        }
    }

    fn input(&mut self, input: Input) {
        let mut jobs = Jobs::inline(&mut self.store);
        self.kiosk.on_input(input, &mut jobs);
        let replies = jobs.take_replies();
        drop(jobs);
        self.deliver(replies);
    }

    fn deliver(&mut self, mut replies: Vec<Msg>) {
        while !replies.is_empty() {
            if !self.auto_reply {
                self.held.extend(replies);
                return;
            }
            let mut next = Vec::new();
            for msg in replies {
                let mut jobs = Jobs::inline(&mut self.store);
                self.kiosk.on_reply(msg, &mut jobs);
                next.extend(jobs.take_replies());
            }
            replies = next;
        }
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

    fn press(&mut self, keys: &str) {
        for c in keys.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn enter(&mut self) {
        self.key(KeyCode::Enter);
    }

    fn paste(&mut self, text: &str) {
        self.input(Input::Paste(text.to_string()));
    }

    fn click(&mut self, column: u16, row: u16) {
        self.input(Input::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }));
    }

    fn tick_after(&mut self, secs: u64) {
        self.clock.advance(Duration::from_secs(secs));
        self.input(Input::Tick);
    }

    fn terminal(&self, w: u16, h: u16) -> Terminal<TestBackend> {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| self.kiosk.render(f)).unwrap();
        t
    }

    /// The screen as plain text rows.
    fn screen(&self, w: u16, h: u16) -> String {
        let t = self.terminal(w, h);
        let buf = t.backend().buffer();
        (0..h)
            .map(|y| {
                (0..w)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Clicks the first cell showing `text` (drawing first, as a person
    /// sees the screen before touching it).
    fn touch(&mut self, text: &str) {
        let screen = self.screen(80, 24);
        let (row, line) = screen
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(text))
            .unwrap_or_else(|| panic!("{text:?} not on screen:\n{screen}"));
        let byte = line.find(text).unwrap();
        let column = line[..byte].chars().count() as u16;
        self.click(column, row as u16);
    }

    fn step(&self) -> &Step {
        &self.kiosk.step
    }

    /// Welcome → language → written appeal → topic 1 (housing).
    fn reach_consent(&mut self, lang_key: char) {
        self.press(&lang_key.to_string());
        self.press("2");
        self.press("1");
        self.enter();
        assert!(
            matches!(self.step(), Step::Consent { .. }),
            "{:?}",
            self.step()
        );
    }
}

fn field(d: &Driver) -> Option<Field> {
    match d.step() {
        Step::Field { field, .. } => Some(*field),
        _ => None,
    }
}

#[test]
fn a_ticket_in_kazakh_by_digits() {
    let mut d = Driver::new();
    d.press("1"); // Қазақша
    assert_eq!(d.kiosk.lang, Lang::Kk);
    d.press("1"); // a ticket
    // eleven topics: "1" waits for a second digit, Enter takes topic 1
    d.press("1");
    assert!(matches!(d.step(), Step::Topic { .. }));
    d.enter();
    assert!(matches!(d.step(), Step::Priority { .. }));
    d.press("1"); // ordinary
    let Step::Ticket { issued, .. } = d.step() else {
        panic!("{:?}", d.step());
    };
    assert_eq!(issued.number.to_string(), "Ж-001");
    assert_eq!(issued.seq, 1);
    let screen = d.screen(80, 24);
    assert!(screen.contains("Сіздің талоныңыз: Ж-001"), "{screen}");
    assert!(
        screen.contains('█'),
        "the number in block letters:\n{screen}"
    );
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let rows = tickets::of_day(d.store.conn(), day).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].lang, Lang::Kk);
    assert_eq!(rows[0].category.as_str(), "housing");
}

#[test]
fn topic_one_is_chosen_by_pressing_one_alone() {
    for lang in Lang::ALL {
        let mut d = Driver::new();
        d.press(lang_key(lang));
        d.press("1"); // a ticket
        // eleven topics: "1" could still become 10 or 11, and the screen
        // says so while it waits
        d.press("1");
        assert!(matches!(d.step(), Step::Topic { .. }));
        let screen = d.screen(80, 24);
        assert!(screen.contains("10, 11"), "{screen}");
        snap(&d, &format!("topic_digit_waits_{}", lang.code()));
        // no second digit: topic 1 is taken by itself, once
        d.tick_after(1);
        assert!(matches!(d.step(), Step::Priority { .. }), "{:?}", d.step());
        d.press("1");
        let Step::Ticket { issued, .. } = d.step() else {
            panic!("{:?}", d.step());
        };
        let row = tickets::get(d.store.conn(), issued.id).unwrap().unwrap();
        assert_eq!(row.category.as_str(), "housing");
    }
    // two digits typed as one number still make 11
    let mut d = Driver::new();
    d.press("1");
    d.press("1");
    d.press("11");
    d.press("1");
    let Step::Ticket { issued, .. } = d.step() else {
        panic!("{:?}", d.step());
    };
    let row = tickets::get(d.store.conn(), issued.id).unwrap().unwrap();
    assert_eq!(row.category.as_str(), "other");
}

#[test]
fn a_two_digit_topic_and_arrows() {
    let mut d = Driver::new();
    d.press("2"); // Русский
    d.key(KeyCode::Down);
    d.key(KeyCode::Up);
    d.enter(); // a ticket
    d.press("11"); // other
    let Step::Priority { category, .. } = d.step() else {
        panic!("{:?}", d.step());
    };
    assert_eq!(category.as_str(), "other");
    d.key(KeyCode::Down);
    d.key(KeyCode::Down);
    d.enter(); // veteran
    let Step::Ticket {
        issued, priority, ..
    } = d.step()
    else {
        panic!("{:?}", d.step());
    };
    assert_eq!(*priority, crate::domain::Priority::Veteran);
    assert_eq!(issued.number.to_string(), "Р-001");
}

#[test]
fn touches_land_on_what_is_drawn() {
    let mut d = Driver::new();
    d.touch("English");
    assert_eq!(d.kiosk.lang, Lang::En);
    d.touch("Take a queue ticket");
    d.touch("Roads and transport");
    d.touch("Pregnant woman");
    let Step::Ticket {
        issued, priority, ..
    } = d.step()
    else {
        panic!("{:?}", d.step());
    };
    assert_eq!(*priority, crate::domain::Priority::Pregnancy);
    assert_eq!(issued.number.to_string(), "Д-001");
    d.touch("Done");
    assert!(matches!(d.step(), Step::Welcome(_)));
    // a touch on nothing does nothing
    d.click(0, 23);
    assert!(matches!(d.step(), Step::Welcome(_)));
}

#[test]
fn touches_work_at_the_smallest_size_too() {
    let mut d = Driver::new();
    let screen = d.screen(20, 8);
    assert!(screen.contains("Русский"), "{screen}");
    let (row, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("Русский"))
        .unwrap();
    let col = line[..line.find("Русский").unwrap()].chars().count() as u16;
    d.click(col, row as u16);
    assert_eq!(d.kiosk.lang, Lang::Ru);
}

#[test]
fn a_written_appeal_with_consent_in_russian() {
    let mut d = Driver::new();
    d.reach_consent('2');
    d.press("1"); // I agree
    assert_eq!(field(&d), Some(Field::Name));
    d.press("Айгерим Нурланова");
    d.enter();
    d.press("8 701 123 45 67");
    d.enter();
    d.press("Кокшетау");
    d.enter();
    d.key(KeyCode::Tab); // workplace left empty
    assert_eq!(field(&d), Some(Field::Text));
    d.press("В квартире холодно.");
    d.enter(); // a new line, not "next"
    d.press("Прошу проверить отопление.");
    assert_eq!(field(&d), Some(Field::Text));
    d.key(KeyCode::Tab);
    assert!(matches!(d.step(), Step::Review { .. }));
    let review = d.screen(80, 24);
    assert!(review.contains("+7 701 123 45 67"), "{review}");
    assert!(review.contains("не указано"), "{review}");
    d.press("1"); // send
    let Step::Receipt {
        received,
        anonymous,
        ..
    } = d.step()
    else {
        panic!("{:?}", d.step());
    };
    assert!(!anonymous);
    assert_eq!(received.number.to_string(), "2026-00001");
    let row = appeals::get(d.store.conn(), received.id).unwrap().unwrap();
    assert!(row.consent);
    assert_eq!(row.citizen_name.as_deref(), Some("Айгерим Нурланова"));
    assert_eq!(row.citizen_phone.as_deref(), Some("+77011234567"));
    assert_eq!(row.settlement.as_deref(), Some("Кокшетау"));
    assert_eq!(row.workplace, None);
    assert_eq!(row.text, "В квартире холодно.\nПрошу проверить отопление.");
    assert_eq!(row.lang, Lang::Ru);
    assert_eq!(row.kind, crate::domain::AppealKind::Request);
    assert!(d.screen(80, 24).contains("2026-00001"));
}

#[test]
fn without_consent_nothing_personal_is_asked_or_kept() {
    let mut d = Driver::new();
    d.reach_consent('1');
    d.press("2"); // I do not agree
    assert_eq!(field(&d), Some(Field::Text));
    d.press("Су сапасы нашар");
    d.key(KeyCode::Tab);
    assert!(d.screen(80, 24).contains("Жасырын өтініш"));
    d.enter(); // "send" is highlighted
    let Step::Receipt {
        received,
        anonymous,
        ..
    } = d.step()
    else {
        panic!("{:?}", d.step());
    };
    assert!(anonymous);
    let row = appeals::get(d.store.conn(), received.id).unwrap().unwrap();
    assert!(!row.consent);
    assert_eq!(
        (row.citizen_name, row.citizen_phone, row.settlement),
        (None, None, None)
    );
}

#[test]
fn going_back_keeps_what_was_typed_and_consent_can_be_withdrawn() {
    let mut d = Driver::new();
    d.reach_consent('3');
    d.press("1");
    d.press("Serik");
    d.enter();
    d.key(KeyCode::Esc); // back from the phone to the name
    assert_eq!(field(&d), Some(Field::Name));
    let Step::Field { input, .. } = d.step() else {
        unreachable!()
    };
    assert_eq!(input.text(), "Serik");
    d.key(KeyCode::Esc); // back to the consent question
    d.press("2"); // withdraw it
    d.key(KeyCode::Esc);
    d.press("1"); // agree again: the name was forgotten
    let Step::Field { input, .. } = d.step() else {
        unreachable!()
    };
    assert_eq!(input.text(), "");
}

#[test]
fn an_empty_required_field_is_refused_with_a_message() {
    let mut d = Driver::new();
    d.reach_consent('2');
    d.press("1");
    d.press("   ");
    d.enter();
    assert_eq!(field(&d), Some(Field::Name));
    assert_eq!(d.kiosk.problem, Some(Problem::Required));
    assert!(d.screen(80, 24).contains("Заполните это поле."));
    // typing clears the message
    d.press("А");
    assert_eq!(d.kiosk.problem, None);
    assert_eq!(events::last_seq(d.store.conn()).unwrap(), 0);
}

#[test]
fn a_bad_phone_says_what_is_wrong() {
    let mut d = Driver::new();
    d.reach_consent('3');
    d.press("1");
    d.press("Serik Akhmetov");
    d.enter();
    d.press("8 916 123 45 67");
    d.enter();
    assert_eq!(field(&d), Some(Field::Phone));
    assert!(
        d.screen(80, 24)
            .contains("This is not a Kazakhstan number.")
    );
    d.input(Input::Key(KeyEvent::new(KeyCode::Home, KeyModifiers::NONE)));
    for _ in 0..20 {
        d.key(KeyCode::Delete);
    }
    d.press("8 701 123");
    d.enter();
    assert!(d.screen(80, 24).contains("The number is incomplete"));
    // one digit too many is said as such, not as "incomplete"
    d.press(" 45 677");
    d.enter();
    assert_eq!(field(&d), Some(Field::Phone));
    let screen = d.screen(80, 24);
    assert!(
        screen.contains("The number has too many digits: 12 typed"),
        "{screen}"
    );
    assert!(!screen.contains("incomplete"), "{screen}");
}

#[test]
fn a_megabyte_paste_is_refused_whole_with_a_message() {
    let mut d = Driver::new();
    d.reach_consent('2');
    d.press("2");
    d.press("Начало");
    let mb = "ж".repeat(1 << 20);
    d.paste(&mb);
    let Step::Field { input, .. } = d.step() else {
        unreachable!()
    };
    assert_eq!(input.text(), "Начало");
    assert_eq!(
        d.kiosk.problem,
        Some(Problem::TooLong {
            max: 4000,
            len: 6 + (1 << 20)
        })
    );
    let screen = d.screen(80, 24);
    assert!(
        screen.contains("Слишком длинный текст: можно не больше 4000 знаков"),
        "{screen}"
    );
    // typing past the limit is refused letter by letter
    d.paste(&"ж".repeat(4000 - 6));
    d.press("x");
    assert!(matches!(d.kiosk.problem, Some(Problem::TooLong { .. })));
    d.key(KeyCode::Tab);
    assert!(matches!(d.step(), Step::Review { .. }));
    assert_eq!(events::last_seq(d.store.conn()).unwrap(), 0);
}

#[test]
fn escape_sequences_in_a_name_are_shown_and_kept_harmless() {
    let mut d = Driver::new();
    d.reach_consent('2');
    d.press("1");
    d.paste("\u{1b}[31mИван\u{1b}[0m\u{1b}]0;pwned\u{7} \u{202e}Петров\u{1b}[2J");
    d.enter();
    let Step::Field { draft, .. } = d.step() else {
        unreachable!()
    };
    assert_eq!(draft.name, "Иван Петров");
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.press("Текст");
    d.key(KeyCode::Tab);
    let screen = d.screen(80, 24);
    assert!(screen.contains("ФИО: Иван Петров"), "{screen}");
    assert!(!screen.contains("[31m") && !screen.contains("pwned"));
    d.press("1");
    let rows = appeals::latest(d.store.conn(), 10).unwrap();
    assert_eq!(rows[0].citizen_name.as_deref(), Some("Иван Петров"));
}

#[test]
fn idle_timeout_forgets_a_half_filled_form() {
    let mut d = Driver::new();
    d.reach_consent('1');
    d.press("1");
    d.press("Жартылай толтырылған");
    d.tick_after(59);
    assert_eq!(field(&d), Some(Field::Name));
    // a mouse passing over is not a touch
    d.input(Input::Mouse(MouseEvent {
        kind: MouseEventKind::Moved,
        column: 3,
        row: 3,
        modifiers: KeyModifiers::NONE,
    }));
    d.tick_after(1);
    assert!(matches!(d.step(), Step::Welcome(_)));
    assert_eq!(d.kiosk.lang, Lang::Kk);
    d.reach_consent('1');
    d.press("1");
    let Step::Field { input, .. } = d.step() else {
        unreachable!()
    };
    assert_eq!(input.text(), "");
}

#[test]
fn the_idle_wipe_is_counted_down_and_a_touch_keeps_the_form() {
    for lang in Lang::ALL {
        let mut d = Driver::new();
        d.reach_consent(lang_key(lang).chars().next().unwrap());
        d.press("1");
        d.press("Жартылай");
        d.tick_after(45);
        assert_eq!(d.kiosk.idle_seconds_left(), None, "no countdown yet");
        d.tick_after(5);
        assert_eq!(d.kiosk.idle_seconds_left(), Some(10));
        snap(&d, &format!("idle_countdown_{}", lang.code()));
        // a key keeps the form, and the countdown goes
        d.key(KeyCode::End);
        assert_eq!(d.kiosk.idle_seconds_left(), None);
        d.tick_after(9);
        assert_eq!(field(&d), Some(Field::Name));
        let Step::Field { input, .. } = d.step() else {
            unreachable!()
        };
        assert_eq!(input.text(), "Жартылай");
    }
    let mut d = Driver::new();
    d.reach_consent('3');
    d.press("1");
    d.press("Half");
    d.tick_after(55);
    let screen = d.screen(80, 24);
    assert!(screen.contains("the screen clears in 5 s"), "{screen}");
}

#[test]
fn a_long_text_is_read_whole_on_the_review() {
    for lang in Lang::ALL {
        let mut d = Driver::new();
        d.reach_consent(lang_key(lang).chars().next().unwrap());
        d.press("2"); // anonymous
        let text: Vec<String> = (1..=30).map(|i| format!("{i}-жол: жылу жоқ.")).collect();
        d.paste(&text.join("\n"));
        d.key(KeyCode::Tab);
        assert!(matches!(d.step(), Step::Review { .. }), "{:?}", d.step());
        let top = d.screen(80, 24);
        assert!(top.contains("1-жол") && !top.contains("30-жол"), "{top}");
        assert!(top.contains('▼'), "a sign that there is more:\n{top}");
        snap(&d, &format!("review_long_{}", lang.code()));
        for _ in 0..40 {
            d.key(KeyCode::Down);
        }
        let end = d.screen(80, 24);
        assert!(end.contains("30-жол"), "the end of the text:\n{end}");
        assert!(!end.contains('▼'), "{end}");
        // touching ▲ goes back up a row
        d.key(KeyCode::Up);
        let Step::Review { scroll, choice, .. } = d.step() else {
            unreachable!()
        };
        assert!(*scroll > 0);
        // scrolling chose nothing: "1" still sends
        assert_eq!(choice.selected, 0);
        d.press("1");
        assert!(matches!(d.step(), Step::Receipt { .. }), "{:?}", d.step());
        let a = crate::store::appeals::latest(d.store.conn(), 1).unwrap();
        assert_eq!(a[0].text, text.join("\n"));
    }
}

impl Driver {
    /// Touches the on-screen keyboard's key `key`, where the last frame
    /// drew it.
    fn tap(&mut self, key: super::keyboard::Key) {
        self.screen(80, 24);
        let rect = self
            .kiosk
            .hits
            .borrow()
            .targets
            .iter()
            .find(|(_, t)| *t == Target::Kbd(key))
            .map(|(r, _)| *r)
            .unwrap_or_else(|| panic!("no key {key:?} on screen:\n{}", self.screen(80, 24)));
        self.click(rect.x, rect.y);
    }
}

#[test]
fn a_touch_screen_types_a_kazakh_name_on_its_own_keyboard() {
    use super::keyboard::{Key, Layout};
    for lang in Lang::ALL {
        let mut d = Driver::with_config(&CONFIG.replace(
            "idle_timeout_secs = 60",
            "idle_timeout_secs = 60\ntouch = true",
        ));
        d.reach_consent(lang_key(lang).chars().next().unwrap());
        d.press("1"); // consent: the name comes first
        assert_eq!(field(&d), Some(Field::Name));
        snap(&d, &format!("field_touch_keyboard_{}", lang.code()));
    }
    let mut d = Driver::with_config(&CONFIG.replace(
        "idle_timeout_secs = 60",
        "idle_timeout_secs = 60\ntouch = true",
    ));
    d.reach_consent('1');
    d.press("1");
    // a name starts with a capital; the Kazakh letters are on the keys
    for key in [Key::Char('Қ'), Key::Char('а'), Key::Char('с')] {
        d.tap(key);
    }
    d.tap(Key::Backspace);
    d.tap(Key::Char('с'));
    d.tap(Key::Char('ы'));
    d.tap(Key::Space);
    d.tap(Key::Shift);
    d.tap(Key::Char('Ә'));
    d.tap(Key::Layout(Layout::Latin));
    d.tap(Key::Char('q'));
    let Step::Field { input, .. } = d.step() else {
        panic!("{:?}", d.step())
    };
    assert_eq!(input.text(), "Қасы Әq");
    // the phone gets the digits
    for _ in 0..7 {
        d.key(KeyCode::Backspace);
    }
    d.press("Қасымова Әлия");
    d.enter();
    assert_eq!(field(&d), Some(Field::Phone));
    for c in "87011234567".chars() {
        d.tap(Key::Char(c));
    }
    d.enter();
    assert_eq!(field(&d), Some(Field::Settlement), "{}", d.screen(80, 24));
    // without `touch` there is no keyboard
    let mut plain = Driver::new();
    plain.reach_consent('1');
    plain.press("1");
    assert!(
        !plain
            .kiosk
            .hits
            .borrow()
            .targets
            .iter()
            .any(|(_, t)| matches!(t, Target::Kbd(_)))
    );
}

#[test]
fn the_ticket_screen_closes_by_itself() {
    let mut d = Driver::new();
    d.press("1");
    d.press("1");
    d.press("3"); // labour
    d.press("1");
    assert!(matches!(d.step(), Step::Ticket { .. }));
    assert!(
        d.screen(80, 24)
            .contains("Экран 30 секундтан кейін жабылады")
    );
    d.tick_after(29);
    assert!(matches!(d.step(), Step::Ticket { .. }));
    d.tick_after(1);
    assert!(matches!(d.step(), Step::Welcome(_)));
}

#[test]
fn ctrl_c_ctrl_z_and_esc_never_leave() {
    let mut d = Driver::new();
    for c in ['c', 'z', 'd', '\\'] {
        d.ctrl(c);
    }
    d.key(KeyCode::Esc);
    assert!(!d.kiosk.finished());
    d.press("2");
    d.press("1");
    d.key(KeyCode::Esc);
    assert!(matches!(d.step(), Step::Menu(_)));
    d.key(KeyCode::Esc);
    assert!(matches!(d.step(), Step::Welcome(_)));
    d.key(KeyCode::Esc);
    assert!(!d.kiosk.finished());
}

#[test]
fn without_an_exit_pin_the_kiosk_cannot_be_left() {
    let mut d = Driver::new();
    d.key(KeyCode::F(12));
    assert!(d.kiosk.exit.is_some());
    let screen = d.screen(80, 24);
    assert!(screen.contains("Шығу PIN-коды орнатылмаған"), "{screen}");
    d.press("1234");
    d.enter();
    assert!(!d.kiosk.finished());
    d.key(KeyCode::Esc);
    assert!(d.kiosk.exit.is_none());
}

#[test]
fn the_exit_pin_lets_staff_leave_and_wrong_ones_are_counted() {
    let mut d = Driver::new();
    usecase::set_exit_pin(&mut d.store, "2468", Utc::now()).unwrap();
    d.ctrl('q');
    let Some(prompt) = &d.kiosk.exit else {
        panic!("no prompt")
    };
    assert!(prompt.pin_set, "the PIN set after start is noticed");
    d.press("1111");
    d.enter();
    assert!(!d.kiosk.finished());
    assert_eq!(
        d.kiosk.exit.as_ref().unwrap().problem,
        Some(Problem::WrongPin { left: 4 })
    );
    // closing and opening the prompt does not reset the count
    d.key(KeyCode::Esc);
    d.key(KeyCode::F(12));
    for _ in 0..4 {
        d.press("1111");
        d.enter();
    }
    assert_eq!(
        d.kiosk.exit.as_ref().unwrap().problem,
        Some(Problem::PinLocked)
    );
    d.press("2468");
    d.enter();
    assert!(!d.kiosk.finished(), "locked: even the right PIN waits");
    d.clock.advance(exit::LOCK);
    d.press("2468");
    d.enter();
    assert!(d.kiosk.finished());
}

#[test]
fn allow_exit_leaves_at_once() {
    let mut d = Driver::new();
    d.kiosk.options.allow_exit = true;
    d.ctrl('c');
    assert!(!d.kiosk.finished());
    d.ctrl('q');
    assert!(d.kiosk.finished());
}

#[test]
fn campaign_mode_offers_only_programme_proposals() {
    let mut d = Driver::with_config(&CONFIG.replace(
        "idle_timeout_secs = 60",
        "idle_timeout_secs = 60\ncampaign_mode = true",
    ));
    d.press("2");
    let screen = d.screen(80, 24);
    assert!(screen.contains("только предложения"), "{screen}");
    d.press("1"); // a ticket: the only topic is the programme
    let Step::Priority { category, .. } = d.step() else {
        panic!("{:?}", d.step());
    };
    assert_eq!(category.as_str(), "programme");
    d.press("1");
    let Step::Ticket { issued, .. } = d.step() else {
        panic!("{:?}", d.step());
    };
    assert_eq!(issued.number.to_string(), "П-001");
    d.enter();
    d.press("2");
    d.press("2"); // a written proposal
    assert!(matches!(d.step(), Step::Consent { .. }));
    d.press("2");
    d.press("Построить новую котельную");
    d.key(KeyCode::Tab);
    d.press("1");
    let rows = appeals::latest(d.store.conn(), 10).unwrap();
    assert_eq!(rows[0].kind, crate::domain::AppealKind::Proposal);
    assert_eq!(rows[0].category.as_str(), "programme");
}

#[test]
fn store_errors_are_told_in_words_and_the_form_is_kept() {
    let mut d = Driver::new();
    d.reach_consent('2');
    d.press("2");
    d.press("Дороги");
    d.key(KeyCode::Tab);
    d.auto_reply = false;
    d.press("1");
    assert!(matches!(d.step(), Step::Saving { .. }));
    // input while saving is ignored
    d.key(KeyCode::Esc);
    assert!(matches!(d.step(), Step::Saving { .. }));
    d.held.clear();
    d.auto_reply = true;
    d.deliver(vec![Msg::Appeal(Err(AppError::Store(
        StoreError::DiskFull,
    )))]);
    assert!(matches!(d.step(), Step::Review { .. }));
    let screen = d.screen(80, 24);
    let line = screen
        .lines()
        .find(|l| l.contains("Диск заполнен. Ничего не записано."))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(
        !line.chars().any(|c| c.is_ascii_digit()),
        "no error codes: {line}"
    );
    d.press("1"); // try again: it goes through
    assert!(matches!(d.step(), Step::Receipt { .. }));
}

#[test]
fn no_size_panics_and_small_windows_ask_to_enlarge() {
    let mut d = Driver::new();
    let mut screens = Vec::new();
    let mut visit = |d: &Driver| {
        for w in [1, 2, 5, 10, 19, 20, 21, 25, 33, 40, 80, 200] {
            for h in [1, 2, 5, 7, 8, 9, 12, 16, 24, 60] {
                let s = d.screen(w, h);
                if w < 20 || h < 8 {
                    assert!(!s.contains("Қош"), "{w}x{h}");
                }
            }
        }
        screens.push(d.screen(10, 5));
    };
    visit(&d);
    d.press("1");
    visit(&d);
    d.press("1");
    visit(&d);
    d.press("1");
    d.enter();
    visit(&d);
    d.press("1");
    visit(&d); // ticket
    d.enter();
    d.reach_consent('2');
    visit(&d);
    d.press("1");
    d.paste(&"Ф".repeat(150));
    visit(&d);
    d.enter();
    d.enter();
    d.enter();
    d.enter();
    d.paste(&"Длинный текст обращения. ".repeat(100));
    visit(&d);
    d.key(KeyCode::Tab);
    visit(&d); // review
    d.key(KeyCode::F(12));
    visit(&d);
    d.key(KeyCode::Esc);
    d.press("1");
    visit(&d); // receipt
    d.enter();
    d.press("2");
    d.press("3");
    d.press("2026-00001");
    visit(&d); // look-up: the number
    d.enter();
    d.press("4567");
    visit(&d); // the digits
    d.enter();
    visit(&d); // what was found
    assert!(
        screens
            .iter()
            .all(|s| s.contains("увеличьте") || s.contains("үлкей"))
    );
}

// ---- snapshots -------------------------------------------------------

fn snap(d: &Driver, name: &str) {
    let t = d.terminal(80, 24);
    insta::assert_snapshot!(name, t.backend());
}

fn lang_key(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk => "1",
        Lang::Ru => "2",
        Lang::En => "3",
    }
}

#[test]
fn snapshots_of_every_screen() {
    for lang in Lang::ALL {
        let l = lang.code();
        let mut d = Driver::new();
        snap(&d, &format!("welcome_{l}"));
        d.press(lang_key(lang));
        snap(&d, &format!("menu_{l}"));
        d.press("1");
        snap(&d, &format!("topic_ticket_{l}"));
        d.press("1");
        d.enter();
        snap(&d, &format!("priority_{l}"));
        d.auto_reply = false;
        d.press("3");
        snap(&d, &format!("taking_{l}"));
        let held = std::mem::take(&mut d.held);
        d.auto_reply = true;
        d.deliver(held);
        snap(&d, &format!("ticket_first_{l}"));
        d.enter();
        // a second citizen, with somebody ahead
        d.press(lang_key(lang));
        d.press("1");
        d.press("1");
        d.enter();
        d.press("1");
        d.clock.advance(Duration::from_secs(5));
        snap(&d, &format!("ticket_ahead_{l}"));
        d.enter();
        d.press(lang_key(lang));
        d.press("2");
        snap(&d, &format!("topic_appeal_{l}"));
        d.press("2");
        snap(&d, &format!("consent_{l}"));
        d.press("1");
        d.enter();
        snap(&d, &format!("field_name_required_{l}"));
        d.press("Сәрсенова Айгүл Қанатқызы");
        d.enter();
        d.press("8 916");
        d.enter();
        snap(&d, &format!("field_phone_wrong_{l}"));
        for _ in 0..5 {
            d.key(KeyCode::Backspace);
        }
        d.press("+7 747 123 45 67");
        d.enter();
        d.press("Көкшетау");
        snap(&d, &format!("field_settlement_{l}"));
        d.enter();
        d.press("Подшипник зауыты");
        snap(&d, &format!("field_workplace_{l}"));
        d.enter();
        d.press("Үйде жылу жоқ, пәтер өте суық.");
        d.enter();
        d.press("Жылу жүйесін тексеруді сұраймын.");
        snap(&d, &format!("field_text_{l}"));
        d.paste(&"ә".repeat(1 << 20));
        snap(&d, &format!("field_text_too_long_{l}"));
        d.key(KeyCode::Tab);
        snap(&d, &format!("review_{l}"));
        d.auto_reply = false;
        d.press("1");
        snap(&d, &format!("saving_{l}"));
        d.held.clear();
        d.auto_reply = true;
        d.deliver(vec![Msg::Appeal(Err(AppError::Store(
            StoreError::DiskFull,
        )))]);
        snap(&d, &format!("review_disk_full_{l}"));
        d.press("1");
        snap(&d, &format!("receipt_{l}"));
        d.enter();
        // anonymous
        d.press(lang_key(lang));
        d.press("2");
        d.press("11");
        d.press("2");
        d.press("Рахмет!");
        d.key(KeyCode::Tab);
        snap(&d, &format!("review_anonymous_{l}"));
        d.press("1");
        snap(&d, &format!("receipt_anonymous_{l}"));
        d.enter();
        // the exit prompt, without and with a PIN
        d.press(lang_key(lang));
        d.key(KeyCode::F(12));
        snap(&d, &format!("exit_no_pin_{l}"));
        d.key(KeyCode::Esc);
        usecase::set_exit_pin(&mut d.store, "2468", Utc::now()).unwrap();
        d.key(KeyCode::F(12));
        d.press("11");
        snap(&d, &format!("exit_prompt_{l}"));
        d.press("11");
        d.enter();
        snap(&d, &format!("exit_wrong_{l}"));
        // campaign mode
        let mut c = Driver::with_config(&CONFIG.replace(
            "idle_timeout_secs = 60",
            "idle_timeout_secs = 60\ncampaign_mode = true",
        ));
        c.press(lang_key(lang));
        snap(&c, &format!("menu_campaign_{l}"));
    }
}

#[test]
fn snapshots_of_small_windows() {
    let mut d = Driver::new();
    let t = d.terminal(10, 5);
    insta::assert_snapshot!("small_10x5", t.backend());
    let t = d.terminal(20, 8);
    insta::assert_snapshot!("smallest_welcome_20x8", t.backend());
    d.press("2");
    d.press("1");
    let t = d.terminal(20, 8);
    insta::assert_snapshot!("smallest_topic_20x8", t.backend());
    d.press("1");
    d.enter();
    d.press("1");
    let t = d.terminal(20, 8);
    insta::assert_snapshot!("smallest_ticket_20x8", t.backend());
    let t = d.terminal(40, 12);
    insta::assert_snapshot!("ticket_40x12", t.backend());
}

/// A kiosk whose printer is `url` (status requests off: a plain file or a
/// missing device answers none); the print thread's reports come back
/// through `reports`.
fn with_printer(url: &str) -> (Driver, std::sync::mpsc::Receiver<crate::print::PrintReport>) {
    let mut d = Driver::new();
    let printer = crate::print::Printer {
        url: url.parse().unwrap(),
        width: crate::print::PaperWidth::Mm58,
        logo: None,
        status: false,
        timeouts: crate::print::Timeouts::default(),
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let spooler = crate::print::Spooler::start(printer, move |r| {
        let _ = tx.send(r);
    });
    let kiosk = std::mem::replace(
        &mut d.kiosk,
        Kiosk::new(
            Arc::new(Context::new(
                Config::parse(CONFIG, Path::new("t.toml")).unwrap(),
            )),
            d.clock.clone(),
            KioskOptions::default(),
        ),
    );
    d.kiosk = kiosk.with_printer(spooler);
    (d, rx)
}

impl Driver {
    /// Waits for the print thread and hands its report to the screen.
    fn printed(&mut self, rx: &std::sync::mpsc::Receiver<crate::print::PrintReport>) {
        let report = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("a print report");
        self.deliver(vec![Msg::Printed(report)]);
    }

    fn take_a_ticket(&mut self, lang_key: &str) {
        self.press(lang_key);
        self.press("1");
        self.press("1");
        self.enter();
        self.press("1");
        assert!(
            matches!(self.step(), Step::Ticket { .. }),
            "{:?}",
            self.step()
        );
    }
}

fn kinds(store: &Store) -> Vec<String> {
    events::after(store.conn(), 0, 100)
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

#[test]
fn a_printed_ticket_is_recorded_after_the_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let device = dir.path().join("lp0");
    std::fs::write(&device, b"").unwrap();
    let (mut d, rx) = with_printer(&format!("file:{}", device.display()));
    d.take_a_ticket("1");
    assert!(matches!(d.step().paper(), Some(step::Paper::Printing(_))));
    assert!(d.screen(80, 24).contains("Басып шығарылуда"));
    d.printed(&rx);
    assert_eq!(d.step().paper(), Some(step::Paper::Printed));
    assert!(d.screen(80, 24).contains("Талоныңызды принтерден алыңыз"));
    assert_eq!(kinds(&d.store), ["ticket_taken", "document_printed"]);
    // what reached the "device" is a printout: initialise first, cut last
    let bytes = std::fs::read(&device).unwrap();
    assert_eq!(&bytes[..2], b"\x1b@");
    assert_eq!(&bytes[bytes.len() - 4..bytes.len() - 1], b"\x1dVA");
}

#[test]
fn printer_unplugged_loses_no_ticket_and_keeps_the_number_on_screen() {
    let (mut d, rx) = with_printer("file:/dev/usb/no-such-printer");
    d.take_a_ticket("2");
    d.printed(&rx);
    assert_eq!(
        d.step().paper(),
        Some(step::Paper::Failed(
            crate::domain::event::PrintFailure::NoDevice
        ))
    );
    let screen = d.screen(80, 24);
    assert!(
        screen.contains("Принтер не смог напечатать") && screen.contains("сфотографируйте"),
        "{screen}"
    );
    // the ticket is in the line, the failure and its reason in the log
    let Step::Ticket { issued, .. } = d.step() else {
        unreachable!()
    };
    let row = tickets::get(d.store.conn(), issued.id).unwrap().unwrap();
    assert_eq!(row.number.to_string(), "Ж-001");
    assert_eq!(kinds(&d.store), ["ticket_taken", "print_failed"]);
    let last = events::after(d.store.conn(), 1, 10).unwrap().remove(0);
    assert_eq!(last.payload["reason"], "no_device");
    // longer than the usual 30 s, and longer than the idle timeout (60 s)
    d.tick_after(90);
    assert!(matches!(d.step(), Step::Ticket { .. }));
    d.tick_after(31);
    assert!(matches!(d.step(), Step::Welcome(_)));
    // the next citizen is served as before, the kiosk still runs
    d.take_a_ticket("3");
    d.printed(&rx);
    assert!(d.screen(80, 24).contains("no printer connected"));
}

#[test]
fn snapshots_of_printer_trouble() {
    for lang in Lang::ALL {
        let (mut d, rx) = with_printer("file:/dev/usb/no-such-printer");
        d.take_a_ticket(lang_key(lang));
        d.printed(&rx);
        snap(&d, &format!("ticket_not_printed_{}", lang.code()));
        d.enter();
        d.reach_consent(lang_key(lang).chars().next().unwrap());
        d.press("2");
        d.press("Су");
        d.key(KeyCode::Tab);
        d.enter();
        assert!(matches!(d.step(), Step::Receipt { .. }), "{:?}", d.step());
        d.printed(&rx);
        snap(&d, &format!("receipt_not_printed_{}", lang.code()));
    }
}

// ---- what became of my appeal? ---------------------------------------

impl Driver {
    /// A written appeal with the phone +7 747 123 45 67 and a word from the
    /// office on it; its number as printed ("2026-00001").
    fn appeal_with_an_answer(&mut self) -> String {
        self.reach_consent('2');
        self.press("1");
        self.enter();
        self.press("Сәрсенова Айгүл Қанатқызы");
        self.enter();
        self.press("+7 747 123 45 67");
        for _ in 0..3 {
            self.enter();
        }
        self.press("Үйде жылу жоқ.");
        self.key(KeyCode::Tab);
        self.press("1");
        let Step::Receipt { received, .. } = self.step() else {
            panic!("{:?}", self.step())
        };
        let (id, number) = (received.id, received.number.to_string());
        self.enter();
        let at = self.clock.utc();
        self.store
            .write(&crate::domain::Actor::staff("op"), at, |w| {
                w.append(&crate::domain::event::EventBody::AppealFollowUp(
                    crate::domain::event::AppealNote {
                        appeal_id: id,
                        note: crate::domain::AppealText::parse("Жылу желісі 5 наурызда жөнделеді")
                            .unwrap(),
                    },
                ))
            })
            .unwrap();
        number
    }

    fn open_lookup(&mut self, lang: Lang) {
        self.press(lang_key(lang));
        self.press("3");
        assert!(
            matches!(self.step(), Step::Lookup { .. }),
            "{:?}",
            self.step()
        );
    }
}

#[test]
fn the_right_number_and_digits_show_the_answer_and_a_wrong_one_nothing() {
    let mut d = Driver::new();
    let number = d.appeal_with_an_answer();
    d.open_lookup(Lang::Ru);
    d.press(&number);
    d.enter();
    d.press("4567");
    d.enter();
    let screen = d.screen(80, 24);
    assert!(matches!(d.step(), Step::Status { .. }), "{screen}");
    assert!(
        screen.contains("Жылу желісі 5 наурызда жөнделеді"),
        "{screen}"
    );
    assert!(screen.contains("Зарегистрировано"), "{screen}");
    d.enter();
    // the wrong digits: the same words as for a number that does not exist
    d.open_lookup(Lang::Ru);
    d.press(&number);
    d.enter();
    d.press("1111");
    d.enter();
    let screen = d.screen(80, 24);
    assert!(screen.contains("Не найдено"), "{screen}");
    assert!(
        !screen.contains("Жылу") && !screen.contains(&number),
        "{screen}"
    );
}

#[test]
fn the_sixth_try_is_paused() {
    let mut d = Driver::new();
    let number = d.appeal_with_an_answer();
    for _ in 0..5 {
        d.open_lookup(Lang::En);
        d.press(&number);
        d.enter();
        d.press("0000");
        d.enter();
        assert!(d.screen(80, 24).contains("Not found"));
        d.enter();
    }
    d.open_lookup(Lang::En);
    d.press(&number);
    d.enter();
    d.press("4567");
    d.enter();
    let screen = d.screen(80, 24);
    assert!(screen.contains("paused for 10 min"), "{screen}");
    assert!(!screen.contains("Жылу"), "{screen}");
}

#[test]
fn the_lookup_works_by_touch() {
    let mut d = Driver::new();
    let number = d.appeal_with_an_answer();
    d.press("1");
    d.touch("Өтінішім не болды?");
    assert!(matches!(d.step(), Step::Lookup { .. }), "{:?}", d.step());
    // a wrong key rubbed out on the keypad
    // keypad keys are boxed: "│ 4" is a key, not the "4" of the help text
    d.touch("│ 9 ");
    d.touch("│ ⌫");
    for c in number.chars() {
        d.touch(&format!("│ {c} "));
    }
    d.touch("Әрі қарай >");
    for c in "4567".chars() {
        d.touch(&format!("│ {c} "));
    }
    d.touch("Әрі қарай >");
    let screen = d.screen(80, 24);
    assert!(screen.contains("Жылу желісі"), "{screen}");
    d.touch("Дайын");
    assert!(matches!(d.step(), Step::Welcome(_)), "{:?}", d.step());
}

#[test]
fn the_idle_wipe_clears_a_lookup() {
    let mut d = Driver::new();
    let number = d.appeal_with_an_answer();
    // half typed, then the citizen walks away
    d.open_lookup(Lang::Kk);
    d.press(&number);
    d.enter();
    d.press("45");
    d.tick_after(61);
    assert!(matches!(d.step(), Step::Welcome(_)), "{:?}", d.step());
    // what was found closes by itself and the next citizen sees nothing of it
    d.open_lookup(Lang::Kk);
    assert!(!d.screen(80, 24).contains(&number));
    d.press(&number);
    d.enter();
    d.press("4567");
    d.enter();
    assert!(d.screen(80, 24).contains("Жылу желісі"));
    d.tick_after(31);
    assert!(matches!(d.step(), Step::Welcome(_)), "{:?}", d.step());
    d.open_lookup(Lang::Kk);
    assert!(!d.screen(80, 24).contains(&number));
}

#[test]
fn snapshots_of_the_lookup() {
    for lang in Lang::ALL {
        let l = lang.code();
        let mut d = Driver::new();
        let number = d.appeal_with_an_answer();
        // an anonymous appeal too
        d.press(lang_key(lang));
        d.press("2");
        d.press("11");
        d.press("2");
        d.press("Рахмет!");
        d.key(KeyCode::Tab);
        d.press("1");
        let Step::Receipt { received, .. } = d.step() else {
            panic!("{:?}", d.step())
        };
        let anonymous = received.number.to_string();
        d.enter();
        d.open_lookup(lang);
        d.press(&number);
        snap(&d, &format!("lookup_number_{l}"));
        d.enter();
        d.press("45");
        snap(&d, &format!("lookup_digits_{l}"));
        d.press("67");
        d.enter();
        snap(&d, &format!("lookup_found_{l}"));
        d.enter();
        d.open_lookup(lang);
        d.press(&anonymous);
        d.enter();
        d.enter();
        snap(&d, &format!("lookup_anonymous_{l}"));
        d.enter();
        for i in 0..5 {
            d.open_lookup(lang);
            d.press(&number);
            d.enter();
            d.press("0000");
            d.enter();
            if i == 0 {
                snap(&d, &format!("lookup_not_found_{l}"));
            }
            d.enter();
        }
        d.open_lookup(lang);
        d.press(&number);
        d.enter();
        d.press("4567");
        d.enter();
        snap(&d, &format!("lookup_paused_{l}"));
    }
}

const WITH_HOURS: &str = r#"
[point]
id = "test-point"
name = "Тест қабылдау бөлмесі"
kind = "enterprise"
region = "Ақмола облысы"

[[desk]]
number = 1

[kiosk]
languages = ["kk", "ru", "en"]
idle_timeout_secs = 60

[hours]
mon = "09:00-18:00"
tue = "09:00-18:00"
stop_tickets_before_close_minutes = 15
"#;

#[test]
fn fifteen_minutes_before_closing_no_ticket_is_given_and_a_written_appeal_still_is() {
    for (key, lang) in [('1', Lang::Kk), ('2', Lang::Ru), ('3', Lang::En)] {
        let mut d = Driver::with_config(WITH_HOURS);
        // Monday 2 March 2026, 17:45 in Almaty
        d.clock.advance(Duration::from_secs(7 * 3600 + 45 * 60));
        d.press(&key.to_string());
        d.press("1"); // a ticket
        d.press("1");
        d.enter(); // topic 1
        d.press("1"); // ordinary
        assert!(matches!(d.step(), Step::Priority { .. }), "{:?}", d.step());
        let screen = d.screen(80, 24);
        insta::assert_snapshot!(format!("kiosk_no_tickets_{lang}"), screen);
        let n: i64 = d
            .store
            .conn()
            .query_row("SELECT COUNT(*) FROM tickets", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "no ticket was given");
    }
    let mut d = Driver::with_config(WITH_HOURS);
    d.clock.advance(Duration::from_secs(7 * 3600 + 45 * 60));
    d.press("3");
    d.press("1");
    d.press("1");
    d.enter();
    d.press("1");
    let screen = d.screen(80, 24);
    assert!(screen.contains("back on 03.03.2026 from 09:00"), "{screen}");
    assert!(screen.contains("Tickets are not given now"), "{screen}");
    // the written appeal is still taken
    let mut d = Driver::with_config(WITH_HOURS);
    d.clock.advance(Duration::from_secs(7 * 3600 + 50 * 60));
    d.reach_consent('3');
    d.press("2"); // no consent: anonymous
    d.press("No street lights");
    d.key(KeyCode::Tab);
    d.enter(); // send
    assert!(matches!(d.step(), Step::Receipt { .. }), "{:?}", d.step());
}
