//! Full-text search over appeals and their citizens (FTS5).

use super::Result;
use crate::domain::event::AppealRecorded;
use rusqlite::{Connection, params};

/// Case folding done by us, the same for the index and the query: Rust's
/// Unicode lower-casing knows every Kazakh letter (Ә→ә, Ғ→ғ, Қ→қ, Ң→ң, Ө→ө,
/// Ұ→ұ, Ү→ү, Һ→һ, І→і), and ё is searched as е, as Russian readers expect.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

pub(super) fn index_appeal(conn: &Connection, a: &AppealRecorded) -> Result<()> {
    let mut body = vec![a.number.to_string(), a.text.as_str().to_string()];
    if let Some(c) = &a.citizen {
        body.push(c.name.as_str().to_string());
        body.extend(c.iin.as_ref().map(|i| i.as_str().to_string()));
        // both "+77011234567" and "87011234567" find the phone
        body.extend(
            c.phone
                .as_ref()
                .map(|p| format!("{} 8{}", p.as_str(), &p.as_str()[2..])),
        );
        body.extend(c.settlement.as_ref().map(|s| s.as_str().to_string()));
        body.extend(c.workplace.as_ref().map(|s| s.as_str().to_string()));
    }
    body.extend(a.heard_by.iter().map(|n| n.as_str().to_string()));
    conn.execute(
        "INSERT INTO appeal_search (appeal_id, body) VALUES (?1, ?2)",
        params![a.appeal_id.to_string(), fold(&body.join("\n"))],
    )?;
    Ok(())
}

/// Turns what a person typed into an FTS5 query: every word must appear,
/// as a word or the start of one. Returns `None` when nothing searchable
/// is left.
pub fn to_match_query(typed: &str) -> Option<String> {
    let terms: Vec<String> = fold(typed)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Ids of matching appeals, best match first, at most `limit`.
pub fn appeal_ids(conn: &Connection, typed: &str, limit: usize) -> Result<Vec<String>> {
    let Some(q) = to_match_query(typed) else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(
        "SELECT appeal_id FROM appeal_search WHERE appeal_search MATCH ?1 ORDER BY rank LIMIT ?2",
    )?;
    let ids = stmt
        .query_map(params![q, limit as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

/// Ids of matching appeals, the newest first, at most `limit`. Much cheaper
/// than ranking on a large table (no score for every match: the index is
/// read from its newest end and stops at `limit`); the desk searches as
/// the operator types.
pub fn appeal_ids_newest(conn: &Connection, typed: &str, limit: usize) -> Result<Vec<String>> {
    let Some(q) = to_match_query(typed) else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(
        "SELECT appeal_id FROM appeal_search WHERE appeal_search MATCH ?1 ORDER BY rowid DESC LIMIT ?2",
    )?;
    let ids = stmt
        .query_map(params![q, limit as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_kazakh_and_russian() {
        assert_eq!(fold("ӘҒҚҢӨҰҮҺІ"), "әғқңөұүһі");
        assert_eq!(fold("ЖИЛЬЁ Ёлка"), "жилье елка");
    }

    #[test]
    fn query_quotes_words_and_drops_operators() {
        assert_eq!(
            to_match_query("Жылу OR \"су\"").unwrap(),
            "\"жылу\"* \"or\"* \"су\"*"
        );
        assert_eq!(to_match_query("  *** ()"), None);
        assert_eq!(to_match_query("+7 701").unwrap(), "\"7\"* \"701\"*");
    }
}
