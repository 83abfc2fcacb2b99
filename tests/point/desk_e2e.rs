//! The desk end to end: the real binary in a pseudo-terminal, a ticket
//! taken through the kiosk's use case, and the database checked after.

use crate::support::{Pty, TempPoint};
use chrono::Utc;
use qabyldau::app::Context;
use qabyldau::app::kiosk::{TicketIssued, take_ticket};
use qabyldau::config::Config;
use qabyldau::domain::{CategoryId, Lang, Priority};
use qabyldau::store::Store;
use serde_json::Value;
use std::collections::HashMap;
use std::time::Duration;

fn add_staff(point: &TempPoint, login: &str, role: &str, pin: &str) {
    let out = point.run_with_stdin(
        &[
            "staff",
            "add",
            login,
            "--name",
            "Айгүл Сәрсенова",
            "--role",
            role,
        ],
        &format!("{pin}\n"),
    );
    assert!(
        out.status.success(),
        "staff add: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Tickets as the kiosk takes them: through its use case, on the same file.
fn take_tickets(point: &TempPoint, category: &str, n: usize) -> Vec<TicketIssued> {
    let config = Config::load(&point.config, false).unwrap();
    let mut store = Store::open(&point.db, &config.point.id).unwrap();
    let ctx = Context::new(config);
    (0..n)
        .map(|_| {
            take_ticket(
                &mut store,
                &ctx,
                &CategoryId::new(category),
                Priority::Ordinary,
                Lang::Ru,
                Utc::now(),
            )
            .unwrap()
        })
        .collect()
}

fn count(point: &TempPoint, sql: &str) -> i64 {
    point.sqlite().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn tab(p: &mut Pty, n: usize) {
    for _ in 0..n {
        p.tab();
    }
}

#[test]
fn a_ticket_called_heard_put_under_control_and_finished() {
    let point = TempPoint::new();
    add_staff(&point, "aigul", "operator", "1357");
    let ticket = take_tickets(&point, "housing", 1).remove(0);
    assert_eq!(ticket.number.to_string(), "Ж-001");

    let mut p = Pty::spawn(&point, &["desk", "--desk", "1", "--lang", "ru"], 80, 24);
    p.wait_for("Введите логин и PIN-код");
    p.send("aigul\r1357\r");
    p.wait_for("Здравствуйте, Айгүл Сәрсенова");
    p.wait_for("Ожидают: 1");
    p.send("n");
    p.wait_for("Талон Ж-001 вызван");
    p.send("s");
    p.wait_for("Идёт приём по талону Ж-001");
    p.send("a");
    p.wait_for("Обращение, талон Ж-001");

    // name, then an IIN with a wrong check digit: the message is on screen
    p.send("Серік Жұмабаев");
    p.tab();
    p.send("791028302729");
    p.wait_for("не сходится контрольная цифра");
    tab(&mut p, 4);
    p.send(" "); // consent
    tab(&mut p, 4);
    p.send("Пәтерде суық, жылу жоқ");
    p.ctrl('s');
    p.wait_for("ИИН: не сходится контрольная цифра");
    // nothing was saved
    assert_eq!(count(&point, "SELECT COUNT(*) FROM appeals"), 0);
    assert_eq!(
        count(
            &point,
            "SELECT COUNT(*) FROM events WHERE kind = 'appeal_recorded'"
        ),
        0
    );

    // the cursor is on the IIN: correct the last digit
    p.send("\x1b[F\x7f8");
    p.wait_for("верный, дата рождения");
    p.wait_for("28.10.1979");
    // down to "under control": phone, settlement, workplace, consent,
    // topic, kind, channel, text, two officials, others, outcome, control
    tab(&mut p, 13);
    p.send(" ");
    p.wait_for("Ответственный");
    p.tab();
    p.send("Отдел ЖКХ");
    p.ctrl('s');
    p.wait_for("зарегистрировано.");
    p.send("f");
    p.wait_for("Приём по талону Ж-001 завершён");

    // the database, through the scripting command
    let appeals = point.json(&["appeals", "--json"]);
    let appeals = appeals.as_array().unwrap();
    assert_eq!(appeals.len(), 1);
    let a = &appeals[0];
    assert_eq!(a["recorded_by"], "staff:aigul");
    assert_eq!(a["citizen_iin"], "791028302728");
    assert_eq!(a["citizen_name"], "Серік Жұмабаев");
    assert_eq!(a["consent"], true);
    assert_eq!(a["under_control"], true);
    assert_eq!(a["responsible"], "Отдел ЖКХ");
    assert!(a["deadline"].is_string());
    assert_eq!(a["ticket_id"], ticket.id.to_string());
    assert_eq!(a["desk"], 1);
    assert_eq!(a["text"], "Пәтерде суық, жылу жоқ");

    let events = point.json(&["events", "--json"]);
    let events: Vec<(String, String)> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_string(),
                e["actor"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expect = |k: &str, a: &str| (k.to_string(), a.to_string());
    assert_eq!(
        events,
        [
            expect("staff_added", "system"),
            expect("ticket_taken", "kiosk"),
            expect("login_attempted", "staff:aigul"),
            expect("ticket_called", "staff:aigul"),
            expect("ticket_serving", "staff:aigul"),
            expect("appeal_recorded", "staff:aigul"),
            expect("ticket_finished", "staff:aigul"),
        ]
    );
    let state: String = point
        .sqlite()
        .query_row("SELECT state FROM tickets", [], |r| r.get(0))
        .unwrap();
    assert_eq!(state, "done");

    // log out, leave
    p.ctrl('q');
    p.wait_for("Вы вышли из системы");
    p.esc();
    assert!(p.wait_exit(Duration::from_secs(10)).success());
}

#[test]
fn five_wrong_pins_lock_the_login_on_screen() {
    let point = TempPoint::new();
    add_staff(&point, "aigul", "operator", "1357");
    let mut p = Pty::spawn(&point, &["desk", "--lang", "en"], 80, 24);
    p.wait_for("Enter your login and PIN");
    p.send("aigul\r");
    for left in [4, 3, 2] {
        p.send("0000\r");
        p.wait_for(&format!("{left} attempts left"));
    }
    p.send("0000\r");
    p.wait_for("One attempt left");
    p.send("0000\r");
    p.wait_for("this login is locked until");
    // even the right PIN is refused now
    p.send("1357\r");
    std::thread::sleep(Duration::from_millis(300));
    p.wait_for("this login is locked until");
    let results: Vec<String> = {
        let db = point.sqlite();
        let mut stmt = db
            .prepare("SELECT json_extract(payload, '$.result') FROM events WHERE kind = 'login_attempted' ORDER BY seq")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    assert_eq!(
        results,
        [
            "wrong_pin",
            "wrong_pin",
            "wrong_pin",
            "wrong_pin",
            "wrong_pin",
            "locked"
        ]
    );
    p.esc();
    p.wait_exit(Duration::from_secs(10));
}

/// Two processes call next 100 times each against 100 waiting tickets.
#[test]
fn two_desk_processes_call_each_ticket_exactly_once() {
    let point = TempPoint::new();
    add_staff(&point, "aigul", "operator", "1357");
    add_staff(&point, "bolat", "operator", "2468");
    let taken = take_tickets(&point, "utilities", 100);
    let run = |desk: &'static str, login: &'static str| {
        let env = point.env();
        std::thread::spawn(move || {
            std::process::Command::new(crate::support::BIN)
                .args(["call-next", "--desk", desk, "--login", login])
                .args(["--count", "100", "--json"])
                .envs(env)
                .output()
                .expect("run call-next")
        })
    };
    let (a, b) = (run("1", "aigul"), run("2", "bolat"));
    let (a, b) = (a.join().unwrap(), b.join().unwrap());
    let mut called: Vec<String> = Vec::new();
    let mut per_desk = Vec::new();
    for out in [a, b] {
        assert!(
            out.status.success() || out.status.code() == Some(3),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
        let ids: Vec<String> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect();
        per_desk.push(ids.len());
        called.extend(ids);
    }
    assert_eq!(called.len(), 100, "calls per desk: {per_desk:?}");
    let mut unique = called.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 100, "a ticket was called twice");
    // and in the event log: every ticket taken has exactly one call
    let db = point.sqlite();
    let mut stmt = db
        .prepare(
            "SELECT json_extract(payload, '$.ticket_id'), COUNT(*) FROM events
             WHERE kind = 'ticket_called' GROUP BY 1",
        )
        .unwrap();
    let calls: HashMap<String, i64> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(calls.len(), 100);
    for t in &taken {
        assert_eq!(calls.get(&t.id.to_string()), Some(&1), "{}", t.number);
    }
    // the log has no gaps
    let (max, n): (i64, i64) = db
        .query_row("SELECT MAX(seq), COUNT(*) FROM events", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(max, n);
}

#[test]
fn staff_commands() {
    let point = TempPoint::new();
    add_staff(&point, "Aigul", "admin", "1357");
    let list = point.json(&["staff", "list", "--json"]);
    assert_eq!(list[0]["login"], "aigul");
    assert_eq!(list[0]["role"], "admin");
    assert_eq!(list[0]["disabled"], false);
    assert!(list[0].get("pin_hash").is_none());
    // the PIN is nowhere in the log, the hash only in the staff table
    let events = point.run(&["events", "--json"]);
    assert!(!String::from_utf8_lossy(&events.stdout).contains("argon2"));
    let hash: String = point
        .sqlite()
        .query_row("SELECT pin_hash FROM staff", [], |r| r.get(0))
        .unwrap();
    assert!(hash.starts_with("$argon2") && !hash.contains("1357"));

    let dup = point.run_with_stdin(
        &["staff", "add", "aigul", "--name", "X", "--role", "operator"],
        "2468\n",
    );
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("already exists"));
    let bad = point.run_with_stdin(&["staff", "add", "bolat", "--name", "Болат"], "12\n");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("4 to 8 digits"));
    let role = point.run_with_stdin(
        &["staff", "add", "bolat", "--name", "Болат", "--role", "boss"],
        "2468\n",
    );
    assert!(!role.status.success());

    assert!(point.run(&["staff", "disable", "aigul"]).status.success());
    let list = point.json(&["staff", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["disabled"], true);
    // a disabled login cannot act at a desk
    take_tickets(&point, "housing", 1);
    let out = point.run(&["call-next", "--login", "aigul"]);
    assert!(!out.status.success());
    // an unknown desk is refused before the screen starts
    add_staff(&point, "bolat", "operator", "2468");
    let out = point.run(&["desk", "--desk", "7"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("desk 7"));
}

/// A citizen who stepped out: marked a no-show, brought back with U, then
/// called out of turn from the line (↓, Enter), and served; the database
/// says the same.
#[test]
fn a_no_show_brought_back_and_called_from_the_line() {
    let point = TempPoint::new();
    add_staff(&point, "aigul", "operator", "1357");
    let tickets = take_tickets(&point, "housing", 2);
    let mut p = Pty::spawn(&point, &["desk", "--desk", "1", "--lang", "ru"], 80, 24);
    p.wait_for("Введите логин и PIN-код");
    p.send("aigul\r1357\r");
    p.wait_for("Ожидают: 2");
    p.send("n");
    p.wait_for("Талон Ж-001 вызван");
    p.send("x");
    p.wait_for("Вернуть в очередь: U");
    p.wait_for("Ожидают: 1");
    p.send("u");
    p.wait_for("Талон Ж-001 возвращён в очередь");
    p.wait_for("Ожидают: 2");
    // Ж-002 chosen in the line and called before Ж-001
    p.key_down();
    p.key_down();
    p.wait_for("Enter Вызвать этот талон");
    p.enter();
    p.wait_for("Талон Ж-002 вызван");
    p.send("s");
    p.wait_for("Идёт приём по талону Ж-002");
    let state = |id: &uuid::Uuid| -> String {
        point
            .sqlite()
            .query_row(
                "SELECT state FROM tickets WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(state(&tickets[0].id), "waiting");
    assert_eq!(state(&tickets[1].id), "serving");
    assert_eq!(
        count(
            &point,
            "SELECT COUNT(*) FROM events WHERE kind = 'ticket_returned'"
        ),
        1
    );
    p.kill();
}
