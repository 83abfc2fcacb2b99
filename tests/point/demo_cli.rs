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

/// A database on a read-only file (issue 14.16): the read commands work,
/// a writing one is refused with the file named. The tests run as root,
/// who writes any file whatever its mode, so the commands run as `nobody`
/// then, as an admin's read-only account would.
#[test]
fn read_commands_work_on_a_read_only_file() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let point = TempPoint::new();
    let out = point.run(&["demo", "--days", "3", "--seed", "2"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mode = |p: &std::path::Path, m: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap()
    };
    mode(&point.db, 0o444);
    mode(&point.config, 0o444);
    mode(point.path(), 0o555);
    let as_reader = |args: &[&str]| {
        let mut c = std::process::Command::new(crate::support::BIN);
        c.args(args).envs(point.env());
        // SAFETY: geteuid has no preconditions
        if unsafe { libc::geteuid() } == 0 {
            c.uid(65534).gid(65534);
        }
        c.output().unwrap()
    };
    for args in [
        &["queue"][..],
        &[
            "report",
            "--format",
            "json",
            "--from",
            "2000-01-01",
            "--to",
            "2100-12-31",
        ][..],
        &["appeals", "--json"][..],
    ] {
        let out = as_reader(args);
        assert!(
            out.status.success() && !out.stdout.is_empty(),
            "{args:?} on a read-only file: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = as_reader(&["ticket", "--category", "housing"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "a ticket on a read-only file: {said}"
    );
    assert!(said.contains(&point.db.display().to_string()), "{said}");
    mode(point.path(), 0o755);
}
