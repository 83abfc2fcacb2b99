//! Printouts as a printer receives them: a virtual printer on loopback TCP
//! and on a pseudo-terminal (a serial device) records the bytes, a decoder
//! written in the test turns them into the paper's image, compared with a
//! golden PNG in `tests/golden/` (regenerate: `QABYLDAU_BLESS=1 cargo test
//! --test point print_render`, look at the PNGs, commit them). The QR code on the
//! receipt is read back with rqrr.

use crate::print_support;
use crate::print_support::{COVER_OPEN, FINE, PAPER_OUT, VirtualPrinter, decode};
use crate::support;
use chrono::{NaiveDate, NaiveDateTime};
use qabyldau::domain::event::{DocumentRef, PrintFailure};
use qabyldau::domain::{AppealNo, FullAppealNo, Lang, PointId, TicketNo};
use qabyldau::print::{AcceptedBy, Document, PaperWidth, Printer, Receipt, TicketSlip, Timeouts};
use std::time::{Duration, Instant};
use uuid::Uuid;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn ticket_kk() -> Document {
    Document::Ticket(TicketSlip {
        ticket_id: Uuid::nil(),
        number: TicketNo::new('Ж', 17),
        lang: Lang::Kk,
        point_name: "Қоғамдық қабылдау бөлмесі".into(),
        topic: "Тұрғын үй мәселелері".into(),
        taken_at: at("2026-03-02 10:15"),
        ahead: 3,
        wait_minutes: 15,
    })
}

fn receipt(lang: Lang) -> Document {
    Document::Receipt(Receipt {
        appeal_id: Uuid::nil(),
        number: FullAppealNo {
            point: PointId::parse("akm-01").unwrap(),
            number: AppealNo {
                year: 2026,
                number: 42,
            },
        },
        lang,
        point_name: "Қоғамдық қабылдау бөлмесі".into(),
        topic: "Әлеуметтік сала, ғимарат күтімі, қоғамдық көлік".into(),
        received_at: at("2026-03-02 10:20"),
        accepted_by: AcceptedBy::Staff("Әйгерім Құрманғазықызы".into()),
        answer_due: NaiveDate::from_ymd_opt(2026, 3, 23).unwrap(),
        state_only: false,
    })
}

fn printer(url: &str, width: PaperWidth) -> Printer {
    Printer {
        url: url.parse().unwrap(),
        width,
        logo: None,
        status: true,
        timeouts: Timeouts {
            connect: Duration::from_secs(2),
            status: Duration::from_millis(500),
            send: Duration::from_secs(5),
        },
    }
}

#[test]
fn kazakh_ticket_over_tcp_matches_its_golden_image() {
    let vp = VirtualPrinter::tcp();
    let report = printer(&vp.url, PaperWidth::Mm58).print(&ticket_kk(), false);
    assert_eq!(report.result, Ok(()));
    assert_eq!(report.document, DocumentRef::Ticket(Uuid::nil()));
    let paper = decode(&vp.wait_for_cut(Duration::from_secs(5))).unwrap();
    assert_eq!(paper.width, 384, "58 mm paper is 384 dots at 203 dpi");
    assert!(paper.cut);
    print_support::assert_golden("ticket_kk_58mm", &paper);
    // status asked before and after: three requests each
    assert_eq!(vp.shared.received.lock().unwrap().status_requests, 6);
}

#[test]
fn kazakh_receipt_matches_its_golden_image_and_its_qr_code_reads_back() {
    let vp = VirtualPrinter::tcp();
    let report = printer(&vp.url, PaperWidth::Mm58).print(&receipt(Lang::Kk), false);
    assert_eq!(report.result, Ok(()));
    let paper = decode(&vp.wait_for_cut(Duration::from_secs(5))).unwrap();
    assert_eq!(paper.width, 384);
    print_support::assert_golden("receipt_kk_58mm", &paper);
    assert_eq!(paper.qr_codes(), ["akm-01/2026-00042"]);

    // the comparison can fail: the same receipt in Russian is not the golden
    let vp_ru = VirtualPrinter::tcp();
    printer(&vp_ru.url, PaperWidth::Mm58).print(&receipt(Lang::Ru), false);
    let ru = decode(&vp_ru.wait_for_cut(Duration::from_secs(5))).unwrap();
    assert!(ru.differing_rows(&paper) > 0);
    assert_eq!(ru.qr_codes(), ["akm-01/2026-00042"]);
}

#[test]
fn eighty_mm_paper_is_576_dots_wide() {
    let vp = VirtualPrinter::tcp();
    printer(&vp.url, PaperWidth::Mm80).print(&receipt(Lang::En), false);
    let paper = decode(&vp.wait_for_cut(Duration::from_secs(5))).unwrap();
    assert_eq!(paper.width, 576);
    assert_eq!(paper.qr_codes(), ["akm-01/2026-00042"]);
}

#[test]
fn a_serial_device_gets_the_same_bytes_as_the_network() {
    let tcp = VirtualPrinter::tcp();
    printer(&tcp.url, PaperWidth::Mm58).print(&ticket_kk(), false);
    let over_tcp = tcp.wait_for_cut(Duration::from_secs(5));
    let pty = VirtualPrinter::pty();
    assert!(pty.url.starts_with("file:/dev/"), "{}", pty.url);
    let report = printer(&pty.url, PaperWidth::Mm58).print(&ticket_kk(), false);
    assert_eq!(report.result, Ok(()));
    let over_pty = pty.wait_for_cut(Duration::from_secs(5));
    assert_eq!(over_pty, over_tcp);
    print_support::assert_golden("ticket_kk_58mm", &decode(&over_pty).unwrap());
}

#[test]
fn trouble_the_printer_reports_is_the_reason() {
    for (answers, reason) in [
        (PAPER_OUT, PrintFailure::PaperOut),
        (COVER_OPEN, PrintFailure::CoverOpen),
    ] {
        let vp = VirtualPrinter::tcp();
        vp.set_answers(answers);
        let report = printer(&vp.url, PaperWidth::Mm58).print(&ticket_kk(), false);
        assert_eq!(report.result.unwrap_err().reason, reason);
        // asked before: nothing was sent to a printer that cannot print
        assert!(vp.bytes().is_empty());
        vp.set_answers(FINE);
        let again = printer(&vp.url, PaperWidth::Mm58).print(&ticket_kk(), false);
        assert_eq!(again.result, Ok(()));
    }
}

#[test]
fn a_printer_that_does_not_answer_times_out_in_bounded_time() {
    let vp = VirtualPrinter::tcp();
    vp.set_silent(true);
    let start = Instant::now();
    let report = printer(&vp.url, PaperWidth::Mm58).print(&ticket_kk(), false);
    assert_eq!(report.result.unwrap_err().reason, PrintFailure::Timeout);
    assert!(start.elapsed() < Duration::from_secs(5));
    // with status off it prints
    let mut p = printer(&vp.url, PaperWidth::Mm58);
    p.status = false;
    assert_eq!(p.print(&ticket_kk(), false).result, Ok(()));
}

#[test]
fn missing_device_and_closed_port_are_no_device() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    for url in [
        format!("tcp://127.0.0.1:{port}"),
        "file:/dev/usb/no-such-lp9".to_string(),
    ] {
        let report = printer(&url, PaperWidth::Mm58).print(&ticket_kk(), false);
        let f = report.result.unwrap_err();
        assert_eq!(f.reason, PrintFailure::NoDevice, "{url}: {}", f.detail);
    }
}

#[test]
fn the_decoder_refuses_text_sent_as_characters() {
    assert!(decode(b"\x1b@Hello").is_err());
    assert!(decode(b"\x1b@").is_ok());
}

fn config_with_printer(url: &str) -> String {
    format!(
        "{}\n[printer]\nurl = \"{url}\"\nwidth_mm = 58\n",
        support::TEST_CONFIG
    )
}

#[test]
fn the_ticket_command_prints_as_the_kiosk_does() {
    let vp = VirtualPrinter::tcp();
    let point = support::TempPoint::with_config(&config_with_printer(&vp.url));
    let out = point.run(&["ticket", "--category", "housing", "--lang", "kk", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["printed"], true);
    let paper = decode(&vp.wait_for_cut(Duration::from_secs(5))).unwrap();
    assert_eq!(paper.width, 384);
    let events = point.json(&["events", "--json"]);
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    // recorded first, printed after
    assert_eq!(kinds, ["ticket_taken", "document_printed"]);

    // --no-print sends nothing
    vp.clear();
    let out = point.run(&["ticket", "--category", "housing", "--no-print"]);
    assert!(out.status.success());
    std::thread::sleep(Duration::from_millis(100));
    assert!(vp.bytes().is_empty());

    // paper out: the ticket is taken, the command says why and ends with 3
    vp.set_answers(PAPER_OUT);
    let out = point.run(&["ticket", "--category", "roads", "--lang", "kk"]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("not printed") && stderr.contains("paper_out"),
        "{stderr}"
    );
    let queue = point.json(&["queue", "--json"]);
    assert_eq!(queue.as_array().unwrap().len(), 3);
    let events = point.json(&["events", "--json"]);
    let last = events.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "print_failed");
    assert_eq!(last["payload"]["reason"], "paper_out");
    assert_eq!(last["payload"]["reprint"], false);
}

#[test]
fn a_bad_printer_url_is_a_clear_config_error() {
    let point = support::TempPoint::with_config(&config_with_printer("lp0"));
    let out = point.run(&["ticket", "--category", "housing"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("[printer] url") && stderr.contains("tcp://HOST:PORT"),
        "{stderr}"
    );
}
