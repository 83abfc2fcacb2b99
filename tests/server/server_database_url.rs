//! `qabyldau server --database-url`: what an administrator is told when the
//! PostgreSQL server is not there or the URL is wrong. Needs no PostgreSQL.

use crate::sync_support::BIN;
use std::process::Command;

fn server(args: &[&str]) -> (bool, String) {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(args)
        .env("HOME", home.path())
        .env_remove("QABYLDAU_DATABASE_URL")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_unreachable_database_is_named_with_its_host_and_port() {
    // nothing listens on port 1
    for args in [
        &[
            "server",
            "--database-url",
            "postgres://qbl:secret@127.0.0.1:1/region",
            "point",
            "list",
        ][..],
        &[
            "server",
            "point",
            "add",
            "p1",
            "--name",
            "P",
            "--region",
            "R",
            "--kind",
            "office",
            "--database-url",
            "postgres://qbl:secret@127.0.0.1:1/region",
        ][..],
        &[
            "server",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            "postgres://qbl:secret@127.0.0.1:1/region",
        ][..],
    ] {
        let (ok, err) = server(args);
        assert!(!ok);
        assert!(
            err.contains("cannot connect to PostgreSQL at 127.0.0.1:1:"),
            "{err}"
        );
        assert!(
            !err.contains("secret"),
            "the password is never shown: {err}"
        );
    }
}

#[test]
fn a_wrong_url_and_a_missing_one_are_explained() {
    let (ok, err) = server(&[
        "server",
        "--database-url",
        "postgres://[::1",
        "point",
        "list",
    ]);
    assert!(!ok);
    assert!(err.contains("not a PostgreSQL URL"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let (ok, err) = server(&["--db", db.to_str().unwrap(), "server", "migrate-to"]);
    assert!(!ok);
    assert!(err.contains("migrate-to needs --database-url"), "{err}");
    let (ok, err) = server(&[
        "--db",
        db.to_str().unwrap(),
        "server",
        "migrate-to",
        "--database-url",
        "postgres://postgres@127.0.0.1:1/x",
    ]);
    assert!(!ok);
    assert!(err.contains("no SQLite server database at"), "{err}");
}
