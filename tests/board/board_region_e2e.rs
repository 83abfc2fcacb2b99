//! The regional board end to end: a real `qabyldau server` child on
//! 127.0.0.1, two points pushing real events with `qabyldau sync`, and
//! `qabyldau board --server` in a pseudo-terminal. It shows both points,
//! then a newly called ticket; when the server dies it says so, and when
//! the server is back it catches up by itself.

use crate::support::{Pty, TempPoint};
use crate::sync_support::{BIN, GenPoint, REGION, ServerProc, cli_add_point};
use chrono::Utc;
use qabyldau::app::kiosk::{Author, WrittenAppeal, leave_written_appeal, take_ticket};
use qabyldau::domain::event::{EventBody, TicketAtDesk, TicketRef};
use qabyldau::domain::{
    Actor, AppealKind, AppealText, CategoryId, Citizen, Iin, Lang, PersonName, Phone, Priority,
    ShortText,
};
use std::process::Command;
use std::time::Duration;
use uuid::Uuid;

fn supervisor_token(db: &std::path::Path) -> String {
    let out = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(["server", "supervisor", "add", "Анна", "--region", REGION])
        .env("HOME", db.parent().unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Tickets taken now (the server's queue is today's), by the kiosk's use case.
fn take(point: &GenPoint, category: &str, n: usize) -> Vec<Uuid> {
    let ctx = point.ctx();
    let mut store = point.store();
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
            .id
        })
        .collect()
}

/// A written appeal by a named citizen who consented: none of it may
/// reach a board.
fn named_appeal(point: &GenPoint) {
    let ctx = point.ctx();
    let mut store = point.store();
    leave_written_appeal(
        &mut store,
        &ctx,
        WrittenAppeal {
            kind: AppealKind::Complaint,
            category: CategoryId::new("utilities"),
            author: Author::Consented(Citizen {
                name: PersonName::parse("Айгүл Сейітова").unwrap(),
                iin: Some(Iin::parse("791028302728").unwrap()),
                phone: Some(Phone::parse("87771234567").unwrap()),
                settlement: Some(ShortText::parse("Ақкөл ауылы").unwrap()),
                workplace: None,
            }),
            text: AppealText::parse("Пәтерде суық, батареялар жылымайды").unwrap(),
            lang: Lang::Kk,
        },
        Utc::now(),
    )
    .unwrap();
}

fn desk_event(point: &GenPoint, body: EventBody) {
    point
        .store()
        .write(&Actor::staff("op1"), Utc::now(), |w| {
            w.append(&body).map(|_| ())
        })
        .unwrap();
}

fn call(point: &GenPoint, ticket: Uuid, desk: u32) {
    desk_event(
        point,
        EventBody::TicketCalled(TicketAtDesk {
            ticket_id: ticket,
            desk: desk.try_into().unwrap(),
        }),
    );
}

fn no_show(point: &GenPoint, ticket: Uuid) {
    desk_event(
        point,
        EventBody::TicketNoShow(TicketRef { ticket_id: ticket }),
    );
}

fn sync(point: &GenPoint) {
    let out = point.cmd(&["sync"]).output().unwrap();
    assert!(
        out.status.success(),
        "sync: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_remote_board_shows_the_points_live_and_survives_the_server_dying() {
    let dir = tempfile::tempdir().unwrap();
    let server_db = dir.path().join("server.db");
    let t1 = cli_add_point(&server_db, "akm-p1", REGION);
    let t2 = cli_add_point(&server_db, "akm-p2", REGION);
    let sup = supervisor_token(&server_db);
    let mut server = ServerProc::start(&server_db, "127.0.0.1:0");

    let p1 = GenPoint::with_server("akm-p1", Some((&server.url, &t1)));
    let p2 = GenPoint::with_server("akm-p2", Some((&server.url, &t2)));
    let housing = take(&p1, "housing", 3);
    call(&p1, housing[0], 1);
    named_appeal(&p1);
    let social = take(&p2, "social", 3);
    call(&p2, social[0], 2);
    sync(&p1);
    sync(&p2);

    // a machine that is no point: nothing but the server's address
    let here = TempPoint::new();
    let pty = Pty::spawn(
        &here,
        &[
            "board",
            "--server",
            &server.url,
            "--token",
            &sup,
            "--lang",
            "en",
        ],
        120,
        40,
    );
    let screen = pty.wait_for("┌ akm-p2 ");
    assert!(
        screen.contains("┌ akm-p1 ") || screen.contains(" akm-p1 "),
        "{screen}"
    );
    pty.wait_for("Desk 1: Ж-001");
    let screen = pty.wait_for("Desk 2: С-001");
    assert!(screen.contains("2 people waiting: Ж-002 Ж-003"), "{screen}");
    pty.wait_for("live · ");
    for personal in ["Айгүл", "Сейітова", "791028302728", "777", "Ақкөл", "суық"]
    {
        assert!(
            !screen.contains(personal),
            "{personal} on the board:\n{screen}"
        );
    }
    // the board opened no database of its own
    assert!(!here.db.exists());

    // a desk at the second point calls the next ticket: it shows up
    no_show(&p2, social[0]);
    call(&p2, social[1], 2);
    sync(&p2);
    let screen = pty.wait_for("Desk 2: С-002");
    assert!(screen.contains("1 person waiting: С-003"), "{screen}");

    // the server dies: the board says so and keeps the last state
    server.kill9();
    let screen = pty.wait_for_within("no connection since", Duration::from_secs(60));
    assert!(screen.contains("Desk 2: С-002"), "{screen}");
    assert!(screen.contains("Data shown as of"), "{screen}");
    // meanwhile the first point calls; it syncs when the server is back
    call(&p1, housing[1], 2);
    server.restart();
    sync(&p1);
    pty.wait_for_within("Desk 2: Ж-002", Duration::from_secs(90));
    let screen = pty.wait_for("live · ");
    assert!(!screen.contains("no connection"), "{screen}");
}

#[test]
fn one_point_with_its_own_token_in_the_hall_layout() {
    let dir = tempfile::tempdir().unwrap();
    let server_db = dir.path().join("server.db");
    let token = cli_add_point(&server_db, "akm-p1", REGION);
    let server = ServerProc::start(&server_db, "127.0.0.1:0");
    let p1 = GenPoint::with_server("akm-p1", Some((&server.url, &token)));
    let housing = take(&p1, "housing", 2);
    call(&p1, housing[0], 1);
    sync(&p1);
    let here = TempPoint::new();
    let pty = Pty::spawn(
        &here,
        &[
            "board",
            "--server",
            &server.url,
            "--token",
            &token,
            "--point",
            "akm-p1",
            "--lang",
            "ru",
        ],
        80,
        24,
    );
    let screen = pty.wait_for("Талон Ж-001, пройдите к окну 1");
    assert!(
        screen.contains("┌ akm-p1 ") || screen.contains(" akm-p1 "),
        "{screen}"
    );
    pty.wait_for("на связи · ");
    assert!(screen.contains("Ж-002"), "{screen}");
    // a wrong token: the board says the server refused it
    let pty = Pty::spawn(
        &here,
        &[
            "board",
            "--server",
            &server.url,
            "--token",
            "qbl_nonsense",
            "--lang",
            "en",
        ],
        120,
        30,
    );
    pty.wait_for("The server refused this board's token");
}
