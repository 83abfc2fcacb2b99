//! Printing end to end: the real kiosk and desk in pseudo-terminals, a
//! virtual printer on loopback (or a device file), and the database
//! checked after. Paper out at the kiosk, the desk reprinting once paper
//! is back; the printer unplugged while the kiosk runs.

use crate::print_support::{PAPER_OUT, VirtualPrinter, decode};
use crate::support::{Pty, TEST_CONFIG, TempPoint};
use serde_json::Value;
use std::time::Duration;

fn config_with_printer(url: &str, status: bool) -> String {
    format!("{TEST_CONFIG}\n[printer]\nurl = \"{url}\"\nwidth_mm = 58\nstatus = {status}\n")
}

fn kiosk(point: &TempPoint) -> Pty {
    let pty = Pty::spawn(point, &["kiosk", "--allow-exit"], 80, 24);
    pty.wait_for("Қош келдіңіз!");
    pty
}

/// A queue ticket for housing, in Kazakh, by keys; the screen once the
/// print thread has answered (`until`).
fn take_a_ticket(pty: &mut Pty, number: &str, until: &str) -> String {
    pty.send("1");
    pty.wait_for("Не істегіңіз келеді?");
    pty.send("1");
    pty.wait_for("Мәселеңіздің тақырыбын таңдаңыз");
    pty.send("1");
    pty.enter();
    pty.wait_for("Кезектен тыс қабылдану құқығыңыз бар ма?");
    pty.send("1");
    pty.wait_for(&format!("Сіздің талоныңыз: {number}"));
    pty.wait_for(until)
}

fn events(point: &TempPoint) -> Vec<Value> {
    point
        .json(&["events", "--json"])
        .as_array()
        .unwrap()
        .clone()
}

/// The kinds of the log's events, staff accounts and logins left out.
fn kinds(point: &TempPoint) -> Vec<String> {
    events(point)
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .filter(|k| !k.starts_with("staff") && k != "login_attempted")
        .collect()
}

/// The tickets of the ticket's own service day (the test may run across
/// the point's midnight).
fn queue(point: &TempPoint) -> Vec<Value> {
    let log = events(point);
    let taken = log
        .iter()
        .find(|e| e["kind"] == "ticket_taken")
        .expect("a ticket taken");
    let day = taken["payload"]["service_date"]
        .as_str()
        .unwrap()
        .to_string();
    point
        .json(&["queue", "--json", "--date", &day])
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn paper_out_at_the_kiosk_then_the_desk_reprints_the_ticket() {
    let vp = VirtualPrinter::tcp();
    vp.set_answers(PAPER_OUT);
    let point = TempPoint::with_config(&config_with_printer(&vp.url, true));
    let out = point.run_with_stdin(
        &[
            "staff",
            "add",
            "aigul",
            "--name",
            "Айгүл Сәрсенова",
            "--role",
            "operator",
        ],
        "1357\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // the kiosk: the ticket is taken, the printer has no paper
    let mut k = kiosk(&point);
    let screen = take_a_ticket(&mut k, "Ж-001", "Принтер баса алмады");
    assert!(
        screen.contains("қағаз таусылды") && screen.contains("суретке түсіріңіз"),
        "the citizen is told why and what to do:\n{screen}"
    );
    assert!(vp.bytes().is_empty(), "nothing printed without paper");
    let q = queue(&point);
    assert_eq!(q.len(), 1);
    assert_eq!(q[0]["number"], "Ж-001");
    assert_eq!(q[0]["state"], "waiting");
    assert_eq!(kinds(&point), ["ticket_taken", "print_failed"]);
    let log = events(&point);
    let failed = log.last().unwrap();
    assert_eq!(failed["payload"]["reason"], "paper_out");
    assert_eq!(failed["actor"], "kiosk");
    k.kill();

    // the desk: the ticket chosen in the line, reprinted once paper is back
    let mut d = Pty::spawn(&point, &["desk", "--desk", "1", "--lang", "ru"], 80, 24);
    d.wait_for("Введите логин и PIN-код");
    d.send("aigul\r1357\r");
    d.wait_for("Ожидают: 1");
    d.key_down();
    d.wait_for("Enter Вызвать этот талон");
    d.send("p");
    d.wait_for("Талон очереди не напечатан: закончилась бумага");
    vp.set_answers(crate::print_support::FINE);
    d.send("p");
    d.wait_for("Талон очереди перепечатан");
    let paper = decode(&vp.wait_for_cut(Duration::from_secs(10))).unwrap();
    assert_eq!(paper.width, 384);
    let log = events(&point);
    let last = log.last().unwrap();
    assert_eq!(last["kind"], "document_printed");
    assert_eq!(last["actor"], "staff:aigul");
    assert_eq!(last["payload"]["reprint"], true);
    assert_eq!(last["payload"]["document"]["ticket"], q[0]["id"]);
    assert_eq!(
        kinds(&point),
        [
            "ticket_taken",
            "print_failed",
            "print_failed",
            "document_printed"
        ]
    );
    // the reprint changed nothing in the line
    assert_eq!(queue(&point)[0]["state"], "waiting");
    d.kill();
}

#[test]
fn a_network_printer_unplugged_while_the_kiosk_runs() {
    let vp = VirtualPrinter::tcp();
    let point = TempPoint::with_config(&config_with_printer(&vp.url, true));
    let mut k = kiosk(&point);
    take_a_ticket(&mut k, "Ж-001", "Талоныңызды принтерден алыңыз");
    vp.wait_for_cut(Duration::from_secs(10));
    k.enter();
    k.wait_for("Қош келдіңіз!");

    vp.unplug();
    let screen = take_a_ticket(&mut k, "Ж-002", "Принтер баса алмады");
    assert!(screen.contains("принтер қосылмаған"), "{screen}");
    assert!(k.is_running(), "the kiosk still runs");
    k.enter();
    k.wait_for("Қош келдіңіз!");
    // the next citizen is served as before
    take_a_ticket(&mut k, "Ж-003", "Принтер баса алмады");
    let q = queue(&point);
    assert_eq!(q.len(), 3, "no ticket lost: {q:?}");
    assert_eq!(
        kinds(&point),
        [
            "ticket_taken",
            "document_printed",
            "ticket_taken",
            "print_failed",
            "ticket_taken",
            "print_failed"
        ]
    );
    assert_eq!(events(&point)[3]["payload"]["reason"], "no_device");
    k.ctrl('q');
    assert!(k.wait_exit(Duration::from_secs(30)).success());
}

#[test]
fn a_device_printer_unplugged_while_the_kiosk_runs() {
    let dir = tempfile::tempdir().unwrap();
    let device = dir.path().join("lp0");
    std::fs::write(&device, b"").unwrap();
    // a plain file answers no status request: status off, as for a
    // printer that cannot
    let url = format!("file:{}", device.display());
    let point = TempPoint::with_config(&config_with_printer(&url, false));
    let mut k = kiosk(&point);
    take_a_ticket(&mut k, "Ж-001", "Талоныңызды принтерден алыңыз");
    assert!(!std::fs::read(&device).unwrap().is_empty());
    k.enter();
    k.wait_for("Қош келдіңіз!");

    // the USB cable pulled: /dev/usb/lp0 is gone
    std::fs::remove_file(&device).unwrap();
    let screen = take_a_ticket(&mut k, "Ж-002", "Принтер баса алмады");
    assert!(screen.contains("принтер қосылмаған"), "{screen}");
    assert!(
        !device.exists(),
        "the kiosk made no file in the device's place"
    );
    assert_eq!(queue(&point).len(), 2);
    assert_eq!(
        kinds(&point),
        [
            "ticket_taken",
            "document_printed",
            "ticket_taken",
            "print_failed"
        ]
    );
    assert_eq!(events(&point)[3]["payload"]["reason"], "no_device");
    k.ctrl('q');
    assert!(k.wait_exit(Duration::from_secs(30)).success());
}
