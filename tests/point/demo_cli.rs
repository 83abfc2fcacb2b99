//! `qabyldau demo` fills a fresh point that the other commands can read.

use crate::support::TempPoint;

#[test]
fn demo_fills_an_empty_point_once() {
    let point = TempPoint::new();
    let out = point.run(&["demo", "--days", "5", "--seed", "3"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("aigerim") && stdout.contains("1111"),
        "{stdout}"
    );

    let appeals = point.json(&["appeals", "--json"]);
    let appeals = appeals.as_array().unwrap();
    assert!(appeals.len() > 20, "{}", appeals.len());
    assert!(appeals.iter().any(|a| a["lang"] == "kk"));

    let events = point.json(&["events", "--json"]);
    let seqs: Vec<u64> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>());

    // a second run refuses and adds nothing
    let again = point.run(&["demo"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds"));
    assert_eq!(
        point.json(&["events", "--json"]).as_array().unwrap().len(),
        seqs.len()
    );
}

#[test]
fn demo_search_finds_kazakh_text_in_any_case() {
    let point = TempPoint::new();
    assert!(point.run(&["demo", "--days", "10"]).status.success());
    let lower = point.json(&["appeals", "--json", "--search", "пәтерде суық"]);
    let upper = point.json(&["appeals", "--json", "--search", "ПӘТЕРДЕ СУЫҚ"]);
    assert!(!lower.as_array().unwrap().is_empty());
    assert_eq!(lower, upper);
}

/// A typo in `--db` starts no second, empty point: the path is refused
/// and named, no folder is made; `--create` makes it when that is meant.
#[test]
fn a_db_path_that_names_nothing_is_refused_unless_asked() {
    let point = TempPoint::new();
    let typo = point.path().join("no-such-dir").join("point.db");
    let run = |extra: &[&str]| {
        std::process::Command::new(crate::support::BIN)
            .arg("--db")
            .arg(&typo)
            .args(extra)
            .env("QABYLDAU_CONFIG", &point.config)
            .env("HOME", point.path())
            .env_remove("QABYLDAU_CREATE")
            .output()
            .unwrap()
    };
    let out = run(&["queue"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&typo.display().to_string()) && stderr.contains("--create"),
        "{stderr}"
    );
    assert!(!typo.parent().unwrap().exists(), "no folder was made");
    let out = run(&["--create", "queue"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(typo.exists());
    // and now it is there, it opens without asking
    assert!(run(&["queue"]).status.success());
}

/// A database error names the file: "belongs to point …" alone does not
/// say which database an admin must look at.
#[test]
fn a_database_error_names_the_file() {
    let point = TempPoint::new();
    assert!(point.run(&["queue"]).status.success());
    let other = crate::support::TEST_CONFIG.replace("id = \"test-point\"", "id = \"other-point\"");
    std::fs::write(&point.config, other).unwrap();
    let out = point.run(&["queue"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&point.db.display().to_string()) && stderr.contains("test-point"),
        "{stderr}"
    );
}
