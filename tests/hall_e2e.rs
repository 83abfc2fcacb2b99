//! The hall's flows in the real binary: a desk paused with `P` in a
//! pseudo-terminal calls nobody until it is back, and the database says
//! the same; tickets closed at closing reach the regional server as
//! "not served: closed".
mod support;
mod sync_support;

use chrono::Utc;
use qabyldau::app::Context;
use qabyldau::app::kiosk::take_ticket;
use qabyldau::config::Config;
use qabyldau::domain::{CategoryId, Lang, Priority};
use qabyldau::store::Store;
use std::time::Duration;
use support::{Pty, TempPoint};

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
    p.ctrl('q');
    let _ = p.wait_exit(Duration::from_secs(30));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_closed_at_closing_reach_the_server_as_closed() {
    use chrono::TimeZone;
    use sync_support::*;
    let server = InProcServer::start().await;
    let p = GenPoint::new("akm-close");
    // the generated point's config with opening hours
    let mut text = std::fs::read_to_string(&p.config).unwrap();
    text.push_str("\n[hours]\nmon = \"09:00-18:00\"\n");
    std::fs::write(&p.config, text).unwrap();
    let ctx = p.ctx();
    let at = |h, m| {
        chrono_tz::Asia::Almaty
            .with_ymd_and_hms(2026, 3, 2, h, m, 0)
            .unwrap()
            .with_timezone(&Utc)
    };
    {
        let mut store = p.store();
        for m in 0..2 {
            take_ticket(
                &mut store,
                &ctx,
                &CategoryId::new("labour"),
                Priority::Ordinary,
                Lang::Ru,
                at(17, m),
            )
            .unwrap();
        }
        assert_eq!(
            qabyldau::app::hours::close_waiting(&mut store, &ctx, at(18, 0)).unwrap(),
            2
        );
    }
    let token = register(server.dyn_storage(), p.id.as_str(), REGION).await;
    let mut f = qabyldau::sync::Forwarder::open(&p.db, &p.id, fast_sync(&server.url, &token))
        .await
        .unwrap();
    assert_eq!(f.run_once().await.unwrap().pending, 0);
    let supervisor = register_supervisor(server.dyn_storage(), "anna", REGION).await;
    let report: serde_json::Value = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/report?from=2026-03-02&to=2026-03-02&point={}",
            server.url, p.id
        ))
        .bearer_auth(&supervisor)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(report["tickets"]["closed_unserved"], 2);
    assert_eq!(report["tickets"]["no_shows"], 0);
    let mine = qabyldau::app::report::local(
        &p.store(),
        &ctx,
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        None,
        at(19, 0),
    )
    .unwrap();
    assert_eq!(
        report["tickets"],
        serde_json::to_value(&mine.tickets).unwrap()
    );
    server.stop().await;
}
