//! The desk's report (F8) end to end: the real binary in a pseudo-terminal
//! on a point with appeals recorded this month; the figure on the screen is
//! the one `qabyldau report --format json` computes from the database.

use crate::support::{Pty, TempPoint};
use chrono::Utc;
use qabyldau::app::Context;
use qabyldau::app::desk::Operator;
use qabyldau::app::desk::appeals::record_appeal;
use qabyldau::app::desk::form::AppealInput;
use qabyldau::config::Config;
use qabyldau::domain::event::Role;
use qabyldau::domain::staff::Login;
use qabyldau::domain::{CategoryId, Lang, Outcome};
use qabyldau::store::Store;

/// The number after `label` on the screen.
fn figure(screen: &str, label: &str) -> u64 {
    let line = screen
        .lines()
        .find(|l| l.contains(label))
        .unwrap_or_else(|| panic!("{label} is not on the screen:\n{screen}"));
    let rest = &line[line.find(label).unwrap() + label.len()..];
    // the figures' column ends at the rule before the topics
    rest.split(|c: char| c.is_whitespace() || c == '│')
        .find(|w| !w.is_empty())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number after {label}:\n{screen}"))
}

#[test]
fn a_supervisor_sees_the_months_figures_at_the_desk() {
    let point = TempPoint::new();
    let out = point.run_with_stdin(
        &[
            "staff",
            "add",
            "dana",
            "--name",
            "Дана Серікова",
            "--role",
            "supervisor",
        ],
        "2468\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    {
        let config = Config::load(&point.config, false).unwrap();
        let mut store = Store::open(&point.db, &config.point.id).unwrap();
        let ctx = Context::new(config);
        let op = Operator {
            login: Login::parse("dana").unwrap(),
            name: "Дана Серікова".into(),
            role: Role::Supervisor,
        };
        for (category, outcome) in [
            ("housing", Outcome::ResolvedPositive),
            ("housing", Outcome::Consulted),
            ("roads", Outcome::Registered),
        ] {
            let mut input = AppealInput::new(CategoryId::new(category), Lang::Ru);
            input.text = "Жолды жөндеу керек".into();
            input.outcome = outcome;
            record_appeal(&mut store, &ctx, &op, Some(1), &input, Utc::now()).unwrap();
        }
    }

    let mut p = Pty::spawn(&point, &["desk", "--desk", "1", "--lang", "en"], 80, 24);
    p.wait_for("PIN");
    p.send("dana\r2468\r");
    p.wait_for("Welcome, Дана Серікова");
    p.send("\x1b[19~"); // F8
    let screen = p.wait_for("Appeals by topic");
    p.wait_for("Housing");

    // the same figures as the report command over the same database
    let json = point.json(&["report", "--format", "json"]);
    let received = json["appeals"]["received"].as_u64().unwrap();
    assert_eq!(received, 3);
    assert_eq!(figure(&screen, "Appeals received"), received);
    assert_eq!(
        figure(&screen, "Resolved positively"),
        json["appeals"]["resolved_positive"]["count"]
            .as_u64()
            .unwrap()
    );
    // today's period, chosen with a key
    p.send("1");
    p.wait_for("Period: ");
    p.ctrl('q');
    p.wait_for("PIN");
    p.esc();
    p.wait_exit(std::time::Duration::from_secs(20));
}
