//! Search latency on 100,000 appeals, for the kinds of queries operators
//! type: `store::appeals::search_newest` as the desk calls it (50 results,
//! newest first) and, for comparison, `store::appeals::search` (ranked).
//!
//! Run: `cargo bench --bench desk_search`

#[path = "desk_support/mod.rs"]
mod desk_support;

use desk_support::{database, percentiles};
use qabyldau::store::appeals;
use std::time::Instant;

fn main() {
    let path = database();
    let conn =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let queries = [
        ("one letter", "ж"),
        ("two letters", "жы"),
        ("a common word", "холодно"),
        ("a Kazakh word, upper case", "ЖЫЛУ"),
        ("two words", "ржавая вода"),
        ("a full name", "Жұмабаев Серік"),
        ("a surname prefix", "сәрсен"),
        ("a phone", "8701"),
        ("an appeal number", "2026-00042"),
        ("a settlement + topic word", "Степногорск зарплату"),
        ("nothing matches", "космодром"),
    ];
    type Search =
        fn(&rusqlite::Connection, &str, usize) -> qabyldau::store::Result<Vec<appeals::AppealRow>>;
    let kinds: [(&str, Search); 2] = [
        ("newest first (the desk)", appeals::search_newest),
        ("ranked (bm25)", appeals::search),
    ];
    for (label, search) in kinds {
        println!("search on 100,000 appeals, limit 50, {label}:");
        let mut all = Vec::new();
        for (what, q) in queries {
            let mut samples = Vec::new();
            let mut found = 0;
            for _ in 0..60 {
                let started = Instant::now();
                found = search(&conn, q, 50).unwrap().len();
                samples.push(started.elapsed().as_secs_f64() * 1e6);
            }
            all.extend(samples.iter().copied());
            let (p50, p99) = percentiles(samples);
            println!(
                "{:<28} {:<24} found {:>3}   p50 {:>7.2} ms   p99 {:>7.2} ms",
                what,
                format!("{q:?}"),
                found,
                p50 / 1000.0,
                p99 / 1000.0
            );
        }
        let (p50, p99) = percentiles(all);
        println!(
            "{:<53} all   p50 {:>7.2} ms   p99 {:>7.2} ms",
            "",
            p50 / 1000.0,
            p99 / 1000.0
        );
    }
}
