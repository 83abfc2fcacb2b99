//! The desk's search index migration keeps what a version-1 database
//! already holds searchable.

use qabyldau::domain::PointId;
use qabyldau::store::{Store, search};

#[test]
fn a_version_1_index_is_carried_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../../src/store/migrations/0001_init.sql"))
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        // two appeals as version 1 held them, and their index rows
        for (id, number, text) in [
            ("a1", 1, "Пәтерде суық, жылу жоқ"),
            ("a2", 2, "Жылу орталығы керек"),
        ] {
            conn.execute(
                "INSERT INTO appeals (id, year, number, received_at, kind, channel, category,
                     consent, text, heard_by, lang, recorded_by, outcome, updated_at)
                 VALUES (?1, 2026, ?2, '2026-03-02T05:00:00Z', 'request', 'walk_in', 'housing',
                     0, ?3, '[]', 'kk', 'kiosk', 'registered', '2026-03-02T05:00:00Z')",
                rusqlite::params![id, number, text],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO appeal_search (appeal_id, body) VALUES (?1, ?2)",
                [id, &text.to_lowercase()],
            )
            .unwrap();
        }
    }
    let store = Store::open(&path, &PointId::parse("p").unwrap()).unwrap();
    // newest first, found by a two-letter start of a word
    assert_eq!(
        search::appeal_ids_newest(store.conn(), "ЖЫ", 10).unwrap(),
        ["a2", "a1"]
    );
    assert_eq!(
        search::appeal_ids(store.conn(), "суық", 10).unwrap(),
        ["a1"]
    );
}

/// A version-6 database whose index was folded the old way (Kazakh letters
/// kept, no Latin names, no ten-digit phones): migration 7 rebuilds it, so
/// what was recorded before finds as forgivingly as what comes after.
#[test]
fn a_version_6_index_is_rebuilt_to_forgive() {
    use qabyldau::app::Context;
    use qabyldau::app::desk::Operator;
    use qabyldau::app::desk::appeals::record_appeal;
    use qabyldau::app::desk::form::AppealInput;
    use qabyldau::config::{Config, DEFAULT_CONFIG};
    use qabyldau::domain::staff::{Login, Role};
    use qabyldau::domain::{CategoryId, Lang};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v6.db");
    let config = Config::parse(DEFAULT_CONFIG, std::path::Path::new("t.toml")).unwrap();
    let point = config.point.id.clone();
    let ctx = Context::new(config);
    {
        let mut store = Store::open(&path, &point).unwrap();
        let op = Operator {
            login: Login::parse("aigul").unwrap(),
            name: "Айгүл".into(),
            role: Role::Operator,
        };
        let mut i = AppealInput::new(CategoryId::new("housing"), Lang::Kk);
        i.name = "Қасымова Әлия".into();
        i.phone = "+77011234567".into();
        i.consent = true;
        i.text = "Пәтер кезегі".into();
        record_appeal(&mut store, &ctx, &op, None, &i, chrono::Utc::now()).unwrap();
    }
    {
        // what version 6 wrote: lower case and ё only
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "UPDATE appeal_search SET body = ?1",
            ["2026-00001\nпәтер кезегі\nқасымова әлия\n+77011234567 87011234567"],
        )
        .unwrap();
        // and without what came after version 7 (the way back, 0008; the
        // citizens' keys, 0009)
        conn.execute_batch(
            "DROP TABLE region_applied; DROP TABLE region_staff;
             ALTER TABLE appeals DROP COLUMN outcome_stamp;
             DROP TABLE citizen_keys; DROP TABLE text_keys; DROP TABLE personal_secret;
             DROP TABLE personal_views;
             DROP INDEX appeals_by_subject; ALTER TABLE appeals DROP COLUMN subject;
             ALTER TABLE appeals DROP COLUMN citizen_erased_at;
             ALTER TABLE appeals DROP COLUMN text_erased_at;
             ALTER TABLE appeals DROP COLUMN citizen_erased_for;",
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 6).unwrap();
        let before: i64 = conn
            .query_row(
                "SELECT count(*) FROM appeal_search WHERE appeal_search MATCH '\"qasymova\"*'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(before, 0, "the old index has no Latin names");
    }
    let store = Store::open(&path, &point).unwrap();
    for typed in ["Касымова", "Qasymova", "701 123 45 67", "Қасымова"] {
        assert_eq!(
            search::appeal_ids_newest(store.conn(), typed, 10)
                .unwrap()
                .len(),
            1,
            "{typed}"
        );
    }
}
