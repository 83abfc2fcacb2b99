//! The real `qabyldau kiosk` in a pseudo-terminal, driven by keys as a
//! citizen drives it; the screen and the database are both checked.

use crate::support::{Pty, TempPoint};
use serde_json::Value;
use std::time::Duration;

const PASTE_START: &str = "\x1b[200~";
const PASTE_END: &str = "\x1b[201~";
const F12: &str = "\x1b[24~";

fn kiosk(point: &TempPoint) -> Pty {
    let pty = Pty::spawn(point, &["kiosk", "--allow-exit"], 80, 24);
    pty.wait_for("Қош келдіңіз!");
    pty
}

/// Esc alone: a terminal sends a bare ESC byte, and a key right after it in
/// the same read would be taken for Alt+key, so give it a moment alone.
fn esc(pty: &mut Pty) {
    pty.esc();
    std::thread::sleep(Duration::from_millis(200));
}

fn events(point: &TempPoint) -> Vec<Value> {
    point
        .json(&["events", "--json"])
        .as_array()
        .unwrap()
        .clone()
}

fn appeals(point: &TempPoint) -> Vec<Value> {
    point
        .json(&["appeals", "--json"])
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_ticket_in_kazakh_by_keys() {
    let point = TempPoint::new();
    let mut pty = kiosk(&point);
    pty.send("1");
    pty.wait_for("Не істегіңіз келеді?");
    pty.send("1");
    pty.wait_for("Мәселеңіздің тақырыбын таңдаңыз");
    pty.send("1");
    pty.enter();
    pty.wait_for("Кезектен тыс қабылдану құқығыңыз бар ма?");
    pty.send("1");
    let screen = pty.wait_for("Сіздің талоныңыз: Ж-001");
    assert!(screen.contains("Сіздің алдыңызда ешкім жоқ."), "{screen}");
    assert!(
        screen.contains('█'),
        "the number in block letters:\n{screen}"
    );

    // the ticket's own service day: "today" could already be the next day
    // when the test runs at the point's midnight
    let log = events(&point);
    let day = log[0]["payload"]["service_date"]
        .as_str()
        .unwrap()
        .to_string();
    let queue = point.json(&["queue", "--json", "--date", &day]);
    let queue = queue.as_array().unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0]["number"], "Ж-001");
    assert_eq!(queue[0]["category"], "housing");
    assert_eq!(queue[0]["lang"], "kk");
    assert_eq!(queue[0]["state"], "waiting");
    let log = events(&point);
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["seq"], 1);
    assert_eq!(log[0]["kind"], "ticket_taken");
    assert_eq!(log[0]["actor"], "kiosk");

    // "Done" goes back to the welcome screen; Ctrl-Q leaves (--allow-exit)
    pty.enter();
    pty.wait_for("Қош келдіңіз!");
    pty.ctrl('q');
    assert!(pty.wait_exit(Duration::from_secs(30)).success());
}

#[test]
fn a_written_appeal_in_russian_found_by_the_appeals_command() {
    let point = TempPoint::new();
    let mut pty = kiosk(&point);
    pty.send("2");
    pty.wait_for("Что вы хотите сделать?");
    pty.send("2");
    pty.wait_for("Выберите тему обращения");
    pty.send("2"); // utilities
    pty.wait_for("Согласие на обработку персональных данных");
    pty.send("1");
    pty.wait_for("Фамилия, имя, отчество");
    pty.send("Жумабаев Серик Болатович");
    pty.enter();
    pty.wait_for("Номер телефона");
    pty.send("8 (701) 765-43-21");
    pty.enter();
    pty.wait_for("Населённый пункт");
    pty.send("Степногорск");
    pty.enter();
    pty.wait_for("Место работы");
    pty.enter();
    pty.wait_for("Текст обращения");
    pty.send("Третью неделю нет горячей воды.");
    pty.enter();
    pty.send("Прошу разобраться.");
    pty.tab();
    let review = pty.wait_for("Проверьте обращение");
    assert!(review.contains("+7 701 765 43 21"), "{review}");
    pty.send("1");
    let screen = pty.wait_for("Ваше обращение зарегистрировано");

    let found = point.json(&["appeals", "--json", "--search", "горячей воды"]);
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1);
    let a = &found[0];
    // numbers run per year of the point's own calendar (Asia/Almaty, UTC+5),
    // not UTC's: the year of the moment it was received, there
    let received: chrono::DateTime<chrono::Utc> =
        a["received_at"].as_str().unwrap().parse().unwrap();
    let year = received
        .with_timezone(&chrono_tz::Asia::Almaty)
        .format("%Y")
        .to_string();
    assert_eq!(a["number"]["year"].to_string(), year, "{a}");
    assert!(screen.contains(&format!("Номер: {year}-00001")), "{screen}");
    assert_eq!(a["citizen_name"], "Жумабаев Серик Болатович");
    assert_eq!(a["citizen_phone"], "+77017654321");
    assert_eq!(a["settlement"], "Степногорск");
    assert_eq!(a["workplace"], Value::Null);
    assert_eq!(
        a["text"],
        "Третью неделю нет горячей воды.\nПрошу разобраться."
    );
    assert_eq!(a["lang"], "ru");
    assert_eq!(a["consent"], true);
    assert_eq!(a["category"], "utilities");
    assert_eq!(a["recorded_by"], "kiosk");
    assert_eq!(a["channel"], "on_site"); // the test point is an enterprise
}

#[test]
fn bad_input_gets_clear_messages_and_nothing_half_written() {
    let point = TempPoint::new();
    let mut pty = kiosk(&point);
    pty.send("2");
    pty.wait_for("Что вы хотите сделать?");
    pty.send("2");
    pty.wait_for("Выберите тему обращения");
    pty.send("1");
    pty.enter();
    pty.wait_for("Согласие на обработку");
    pty.send("1");
    pty.wait_for("Фамилия, имя, отчество");

    // an empty required field
    pty.enter();
    pty.wait_for("Заполните это поле.");

    // a name full of escape sequences, pasted: shown harmless
    pty.send(format!(
        "{PASTE_START}\x1b[31mИван\x1b[0m\x1b]0;pwned\x07 \u{202e}Петров\x1b[2J{PASTE_END}"
    ));
    let screen = pty.wait_for("Иван Петров");
    assert!(
        !screen.contains("[31m") && !screen.contains("pwned"),
        "{screen}"
    );
    pty.enter();
    pty.wait_for("Номер телефона");
    pty.enter();
    pty.wait_for("Населённый пункт");
    pty.enter();
    pty.wait_for("Место работы");
    pty.enter();
    pty.wait_for("Текст обращения");

    // a megabyte pasted into the text: refused whole, with the limit named
    let mb = "x".repeat(1 << 20);
    pty.send(format!("{PASTE_START}{mb}{PASTE_END}"));
    let screen = pty.wait_for("Слишком длинный текст");
    assert!(screen.contains("не больше 4000 знаков"), "{screen}");
    assert!(screen.contains("0 из 4000 знаков"), "{screen}");
    // the kiosk still answers at once
    pty.send("Нет света в подъезде");
    pty.wait_for("Нет света в подъезде");
    pty.wait_for("20 из 4000 знаков");

    // nothing has been written so far
    assert_eq!(events(&point), Vec::<Value>::new());
    assert_eq!(appeals(&point), Vec::<Value>::new());

    // Esc goes back a step at a time, never out
    for _ in 0..5 {
        esc(&mut pty);
    }
    pty.wait_for("Согласие на обработку");
    assert!(pty.is_running());

    // and the cleaned name is what is stored in the end
    pty.send("1");
    pty.wait_for("Фамилия, имя, отчество");
    pty.enter();
    pty.enter();
    pty.enter();
    pty.enter();
    pty.tab();
    pty.wait_for("Проверьте обращение");
    pty.send("1");
    pty.wait_for("Ваше обращение зарегистрировано");
    let stored = appeals(&point);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["citizen_name"], "Иван Петров");
    assert_eq!(stored[0]["text"], "Нет света в подъезде");
}

#[test]
fn ctrl_c_and_ctrl_z_do_not_leave() {
    let point = TempPoint::new();
    let mut pty = kiosk(&point);
    pty.ctrl('c');
    pty.ctrl('z');
    pty.ctrl('\\');
    esc(&mut pty);
    // the kiosk is still there and still answers
    pty.send("3");
    pty.wait_for("What would you like to do?");
    pty.ctrl('c');
    std::thread::sleep(Duration::from_millis(300));
    assert!(pty.is_running());
    assert!(pty.screen().contains("What would you like to do?"));
}

#[test]
fn a_tiny_window_asks_to_be_enlarged_and_recovers() {
    let point = TempPoint::new();
    let mut pty = kiosk(&point);
    pty.resize(10, 5);
    pty.wait_for("Терезені");
    assert!(pty.is_running());
    pty.resize(80, 24);
    pty.wait_for("Қош келдіңіз!");
    pty.send("2");
    pty.wait_for("Что вы хотите сделать?");
}

#[test]
fn the_exit_pin_set_from_stdin_lets_staff_leave() {
    let point = TempPoint::new();
    let out = point.run_with_stdin(&["kiosk", "set-exit-pin"], "12\n");
    assert!(!out.status.success(), "a two-digit PIN is refused");
    let out = point.run_with_stdin(&["kiosk", "set-exit-pin"], "2468\n");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // only the hash is kept, and not in the config
    let hash: String = point
        .sqlite()
        .query_row(
            "SELECT value FROM settings WHERE key = 'kiosk_exit_pin_hash'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(hash.starts_with("$argon2") && !hash.contains("2468"));
    assert!(
        !std::fs::read_to_string(&point.config)
            .unwrap()
            .contains("2468")
    );

    let mut pty = Pty::spawn(&point, &["kiosk"], 80, 24);
    pty.wait_for("Қош келдіңіз!");
    pty.ctrl('q'); // without --allow-exit: the PIN prompt
    pty.wait_for("Киосктен шығу үшін PIN-кодты енгізіңіз");
    pty.send("1111");
    pty.enter();
    pty.wait_for("PIN-код қате");
    assert!(pty.is_running());
    esc(&mut pty);
    pty.send(F12);
    pty.wait_for("Киосктен шығу үшін PIN-кодты енгізіңіз");
    pty.send("2468");
    pty.enter();
    assert!(pty.wait_exit(Duration::from_secs(30)).success());
}

/// Eleven topics: "1" alone is the first topic, taken by itself after a
/// moment (the screen says so meanwhile), never "Other" by a second press.
#[test]
fn pressing_one_alone_takes_the_first_topic() {
    let point = TempPoint::new();
    let mut pty = kiosk(&point);
    pty.send("1");
    pty.wait_for("Не істегіңіз келеді?");
    pty.send("1");
    pty.wait_for("Мәселеңіздің тақырыбын таңдаңыз");
    pty.send("1");
    pty.wait_for("10, 11 үшін қазір екінші цифрды басыңыз");
    // no Enter: the first topic comes by itself
    pty.wait_for("Кезектен тыс қабылдану құқығыңыз бар ма?");
    pty.send("1");
    pty.wait_for("Сіздің талоныңыз: Ж-001");
    let log = events(&point);
    assert_eq!(log[0]["kind"], "ticket_taken");
    assert_eq!(log[0]["payload"]["category"], "housing");
    pty.kill();
}
