//! The scripting commands work on a fresh point: the database and its
//! first-run state come from the binary, not from the test.

use crate::support::TempPoint;

#[test]
fn fresh_point_has_an_empty_queue_and_log() {
    let point = TempPoint::new();
    assert_eq!(point.json(&["queue", "--json"]), serde_json::json!([]));
    assert_eq!(point.json(&["events", "--json"]), serde_json::json!([]));
    assert_eq!(point.json(&["appeals", "--json"]), serde_json::json!([]));
    assert!(point.db.exists());
}

#[test]
fn broken_config_names_file_and_line() {
    let point = TempPoint::with_config(
        "[point]\nid = \"p\"\nname = \"x\"\nkind = \"plant\"\nregion = \"r\"\n",
    );
    let out = point.run(&["queue", "--json"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&point.config.display().to_string()), "{err}");
    assert!(err.contains("line 4"), "{err}");
}

#[test]
fn named_config_that_is_missing_is_an_error_not_created() {
    let point = TempPoint::new();
    std::fs::remove_file(&point.config).unwrap();
    let out = point.run(&["queue", "--json"]);
    assert!(!out.status.success());
    assert!(!point.config.exists());
}
