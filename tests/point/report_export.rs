//! Exports leave personal data out, unless a supervisor asks for it with
//! their PIN, and then the export is in the event log.

use crate::support::TempPoint;

/// The names the demo gives its citizens.
fn demo_names() -> Vec<String> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/demo/appeals.toml"
    ))
    .unwrap();
    let v: toml::Value = toml::from_str(&text).unwrap();
    v["people"]["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect()
}

fn demo_point() -> TempPoint {
    let point = TempPoint::new();
    let out = point.run(&["demo", "--days", "8", "--seed", "4"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    point
}

fn kinds(point: &TempPoint) -> Vec<(String, String)> {
    point
        .json(&["events", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_string(),
                e["actor"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const PERIOD: [&str; 4] = ["--from", "2000-01-01", "--to", "2100-12-31"];

#[test]
fn a_list_without_personal_data_names_nobody() {
    let point = demo_point();
    let csv = point.run(&[&["report", "--list", "--format", "csv"][..], &PERIOD].concat());
    assert!(
        csv.status.success(),
        "{}",
        String::from_utf8_lossy(&csv.stderr)
    );
    let csv = String::from_utf8(csv.stdout).unwrap();
    let appeals = point.json(&["appeals", "--json", "--limit", "100000"]);
    let appeals = appeals.as_array().unwrap();
    // a header and a row per appeal
    assert_eq!(csv.lines().count(), appeals.len() + 1, "{csv}");
    for name in demo_names() {
        assert!(!csv.contains(&name), "{name} in the list");
    }
    for a in appeals.iter().filter(|a| !a["citizen_iin"].is_null()) {
        assert!(!csv.contains(a["citizen_iin"].as_str().unwrap()));
    }
    let json = point.json(&[&["report", "--list", "--format", "json"][..], &PERIOD].concat());
    assert_eq!(json["appeals"].as_array().unwrap().len(), appeals.len());
    assert!(
        json["appeals"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a.get("personal").is_none())
    );
    assert!(
        !kinds(&point)
            .iter()
            .any(|(k, _)| k == "personal_data_exported")
    );
}

#[test]
fn a_supervisor_exports_personal_data_and_it_is_recorded() {
    let point = demo_point();
    let out_file = point.path().join("with-names.xlsx");
    let out = point.run_with_stdin(
        &[
            &[
                "report",
                "--with-personal-data",
                "--login",
                "dana",
                "--format",
                "xlsx",
                "--lang",
                "kk",
            ][..],
            &PERIOD,
            &["--out", out_file.to_str().unwrap()],
        ]
        .concat(),
        "3333\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(&out_file).unwrap();
    let list = book.worksheet_range("Өтініштер").unwrap();
    let cells: Vec<String> = list
        .rows()
        .flat_map(|r| {
            r.iter().filter_map(|c| {
                if let Data::String(s) = c {
                    Some(s.clone())
                } else {
                    None
                }
            })
        })
        .collect();
    assert!(
        cells.iter().any(|c| c == "Өтініш беруші"),
        "the personal columns are there"
    );
    assert!(
        demo_names().iter().any(|n| cells.contains(n)),
        "names are in the list"
    );

    let events = point.json(&["events", "--json"]);
    let last = events.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "personal_data_exported");
    assert_eq!(last["actor"], "staff:dana");
    assert_eq!(last["payload"]["format"], "xlsx");
    let appeals = point.json(&["appeals", "--json", "--limit", "100000"]);
    assert_eq!(
        last["payload"]["appeals"],
        appeals.as_array().unwrap().len()
    );
}

#[test]
fn an_operator_or_a_wrong_pin_exports_nothing() {
    let point = demo_point();
    for (login, pin, says) in [
        ("aigerim", "1111", "supervisor"),
        ("dana", "0000", "wrong login or PIN"),
    ] {
        let out_file = point.path().join(format!("{login}.csv"));
        let out = point.run_with_stdin(
            &[
                &[
                    "report",
                    "--with-personal-data",
                    "--login",
                    login,
                    "--format",
                    "csv",
                ][..],
                &PERIOD,
                &["--out", out_file.to_str().unwrap()],
            ]
            .concat(),
            &format!("{pin}\n"),
        );
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{err}");
        assert!(!out_file.exists(), "no file for {login}");
    }
    let kinds = kinds(&point);
    assert!(!kinds.iter().any(|(k, _)| k == "personal_data_exported"));
    // both attempts are in the log
    assert_eq!(
        kinds
            .iter()
            .rev()
            .take(2)
            .filter(|(k, _)| k == "login_attempted")
            .count(),
        2
    );
}

#[test]
fn personal_data_needs_a_login_and_never_comes_from_the_server() {
    let point = demo_point();
    let out = point.run(&[&["report", "--with-personal-data"][..], &PERIOD].concat());
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--login"));
    let out = point.run(
        &[
            &[
                "report",
                "--list",
                "--server",
                "http://127.0.0.1:9",
                "--token",
                "t",
            ][..],
            &PERIOD,
        ]
        .concat(),
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no personal data"));
}

#[test]
fn dates_as_the_screens_write_them_are_taken() {
    let point = demo_point();
    let iso = point.json(&[&["report", "--format", "json"][..], &PERIOD].concat());
    let dotted = point.json(&[
        "report",
        "--format",
        "json",
        "--from",
        "01.01.2000",
        "--to",
        "31.12.2100",
    ]);
    assert_eq!(iso, dotted);
    // a date that is none names the forms taken
    let out = point.run(&["report", "--from", "31.02.2026"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("2026-01-31 or 31.01.2026"), "{stderr}");
}
