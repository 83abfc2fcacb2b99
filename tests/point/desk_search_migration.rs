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
        conn.execute(
            "INSERT INTO appeal_search (appeal_id, body) VALUES ('a1', ?1), ('a2', ?2)",
            [
                search::fold("Пәтерде суық, жылу жоқ"),
                search::fold("Жылу орталығы керек"),
            ],
        )
        .unwrap();
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
