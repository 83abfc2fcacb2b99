//! The hall's flows in the real binary: a desk paused with `P` in a
//! pseudo-terminal calls nobody until it is back, and the database says
//! the same.

use crate::support::{Pty, TempPoint};
use chrono::Utc;
use qabyldau::app::Context;
use qabyldau::app::kiosk::take_ticket;
use qabyldau::config::Config;
use qabyldau::domain::{CategoryId, Lang, Priority};
use qabyldau::store::Store;
use std::time::Duration;

fn count(point: &TempPoint, sql: &str) -> i64 {
    point.sqlite().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_desk_paused_in_the_terminal_calls_nobody_until_it_is_back() {
    let point = TempPoint::new();
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
    let config = Config::load(&point.config, false).unwrap();
    let mut store = Store::open(&point.db, &config.point.id).unwrap();
    let ctx = Context::new(config);
    take_ticket(
        &mut store,
        &ctx,
        &CategoryId::new("housing"),
        Priority::Ordinary,
        Lang::Kk,
        Utc::now(),
    )
    .unwrap();

    let mut p = Pty::spawn(&point, &["desk", "--desk", "1", "--lang", "kk"], 80, 24);
    p.wait_for("PIN");
    p.send("aigul\r1357\r");
    p.wait_for("Күтуде: 1");
    p.send("p");
    p.wait_for("Терезе кідірісі: себебі?");
    p.send("3"); // a citizen on the phone
    p.wait_for("Кідіріс: азаматпен телефон арқылы");
    p.send("n");
    p.wait_for("Терезе кідірісте (азаматпен");
    assert_eq!(
        count(
            &point,
            "SELECT COUNT(*) FROM tickets WHERE state = 'waiting'"
        ),
        1,
        "nobody was called"
    );
    assert_eq!(
        count(
            &point,
            "SELECT COUNT(*) FROM events WHERE kind = 'desk_paused'"
        ),
        1
    );
    p.send("p");
    p.wait_for("Терезе қайта жұмыста");
    p.send("n");
    p.wait_for("Ж-001 талоны шақырылды");
    assert_eq!(
        count(
            &point,
            "SELECT COUNT(*) FROM tickets WHERE state = 'called'"
        ),
        1
    );
    assert_eq!(
        count(&point, "SELECT COUNT(*) FROM paused_desks"),
        0,
        "back: no desk is paused"
    );
    // Ctrl-Q logs out, Esc on the login closes the desk
    p.ctrl('q');
    p.wait_for("Жүйеден шықтыңыз");
    p.esc();
    assert!(p.wait_exit(Duration::from_secs(10)).success());
}
