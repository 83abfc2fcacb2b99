//! Two processes taking tickets at once on one fresh database: every
//! number once, and the event log's seq without a gap.

use crate::support::{BIN, TempPoint};
use std::collections::BTreeSet;
use std::process::{Command, Stdio};

#[test]
fn two_processes_take_200_tickets_with_unique_numbers_and_gapless_seq() {
    let point = TempPoint::new();
    // both start on a database that does not exist yet: the first start
    // (creation, migrations) races too
    let spawn = |priority: &str| {
        Command::new(BIN)
            .args([
                "ticket",
                "--category",
                "housing",
                "--priority",
                priority,
                "--count",
                "100",
                "--json",
            ])
            .envs(point.env())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start qabyldau ticket")
    };
    let a = spawn("ordinary");
    let b = spawn("elderly");
    let mut printed = Vec::new();
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            printed.push((
                v["number"].as_str().unwrap().to_string(),
                v["seq"].as_u64().unwrap(),
            ));
        }
    }
    assert_eq!(printed.len(), 200);
    let numbers: BTreeSet<&str> = printed.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(numbers.len(), 200, "every number once");
    let expected: BTreeSet<String> = (1..=200).map(|n| format!("Ж-{n:03}")).collect();
    assert_eq!(
        numbers,
        expected.iter().map(String::as_str).collect::<BTreeSet<_>>()
    );
    let seqs: BTreeSet<u64> = printed.iter().map(|&(_, s)| s).collect();
    assert_eq!(seqs, (1..=200).collect::<BTreeSet<u64>>());

    // the database agrees with what was printed
    let log = point.json(&["events", "--json"]);
    let log_seqs: Vec<u64> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(log_seqs, (1..=200).collect::<Vec<u64>>());
    let queue = point.json(&["queue", "--json"]);
    let stored: BTreeSet<&str> = queue
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_str().unwrap())
        .collect();
    assert_eq!(stored.len(), 200);
}

#[test]
fn the_ticket_command_explains_a_bad_category() {
    let point = TempPoint::new();
    let out = point.run(&["ticket", "--category", "spaceflight"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("spaceflight") && err.contains("housing"),
        "{err}"
    );
    assert_eq!(point.json(&["events", "--json"]), serde_json::json!([]));
}
