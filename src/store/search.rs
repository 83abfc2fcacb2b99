//! Full-text search over appeals and their citizens (FTS5).

use super::Result;
use rusqlite::{Connection, OptionalExtension, params};

/// Folding done by us, the same for the index and the query, so that
/// search forgives what people write:
/// - case: Rust's Unicode lower-casing knows every Kazakh letter;
/// - ё is е, as Russian readers expect;
/// - Kazakh letters are their Russian look-alikes (Ә→а, Ғ→г, Қ→к, Ң→н,
///   Ө→о, Ұ Ү→у, Һ→х, І→и): a name typed on a Russian keyboard,
///   "Касымова", finds "Қасымова";
/// - the marks of the Kazakh Latin alphabet go (ä ğ ı ñ ö ş ū ü ç, and the
///   dot İ leaves when lower-cased), so "Qasymova" and "Şaimerden" find
///   the Latin form the index keeps of every name (`latin`).
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            'ё' => Some('е'),
            'ә' => Some('а'),
            'ғ' => Some('г'),
            'қ' => Some('к'),
            'ң' => Some('н'),
            'ө' => Some('о'),
            'ұ' | 'ү' => Some('у'),
            'һ' => Some('х'),
            'і' => Some('и'),
            'ä' => Some('a'),
            'ğ' => Some('g'),
            'ı' => Some('i'),
            'ñ' => Some('n'),
            'ö' => Some('o'),
            'ş' => Some('s'),
            'ū' | 'ü' => Some('u'),
            'ç' => Some('c'),
            '\u{307}' => None,
            c => Some(c),
        })
        .collect()
}

/// A name in the official Kazakh Latin alphabet (2021), without its marks
/// (as `fold` leaves a query): "Қасымова Әлия" → "qasymova alia". Letters
/// of other scripts are kept as they are.
pub fn latin(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let l = match c {
            'а' | 'ә' => "a",
            'б' => "b",
            'в' => "v",
            'г' | 'ғ' => "g",
            'д' => "d",
            'е' | 'э' => "e",
            'ё' => "io",
            'ж' => "j",
            'з' => "z",
            'и' | 'й' | 'і' => "i",
            'к' => "k",
            'қ' => "q",
            'л' => "l",
            'м' => "m",
            'н' | 'ң' => "n",
            'о' | 'ө' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' | 'ұ' | 'ү' => "u",
            'ф' => "f",
            'х' | 'һ' => "h",
            'ц' => "ts",
            'ч' => "c",
            'ш' => "s",
            'щ' => "ss",
            'ъ' | 'ь' => "",
            'ы' => "y",
            // after an i the i of я and ю is not written twice: Әлия is alia
            'ю' | 'я' if out.ends_with('i') => {
                if c == 'ю' {
                    "u"
                } else {
                    "a"
                }
            }
            'ю' => "iu",
            'я' => "ia",
            c => {
                out.push(c);
                continue;
            }
        };
        out.push_str(l);
    }
    fold(&out)
}

/// What the index keeps of one appeal: the parts a person may search by.
pub struct Searchable<'a> {
    pub number: String,
    pub text: &'a str,
    pub name: Option<&'a str>,
    pub iin: Option<&'a str>,
    /// As stored: `+7` and ten digits.
    pub phone: Option<&'a str>,
    pub settlement: Option<&'a str>,
    pub workplace: Option<&'a str>,
    pub heard_by: Vec<&'a str>,
}

impl Searchable<'_> {
    /// The folded text of the index row.
    pub fn body(&self) -> String {
        let mut body = vec![self.number.clone(), self.text.to_string()];
        if let Some(n) = self.name {
            body.push(n.to_string());
            body.push(latin(n));
        }
        body.extend(self.iin.map(str::to_string));
        // "+77011234567", "87011234567" and the bare "7011234567" all
        // find the phone, as the kiosk accepts all three
        if let Some(p) = self.phone {
            let national = p.get(2..).unwrap_or(p);
            body.push(format!("{p} 8{national} {national}"));
        }
        body.extend(self.settlement.map(str::to_string));
        body.extend(self.workplace.map(str::to_string));
        body.extend(self.heard_by.iter().map(|n| n.to_string()));
        fold(&body.join("\n"))
    }
}

const ROW: &str = "SELECT id, year, number, text, citizen_name, citizen_iin, citizen_phone, \
    settlement, workplace, heard_by FROM appeals";

/// The index's body of one appeals row (as `ROW` selects it).
fn body_of(r: &rusqlite::Row<'_>) -> Result<(String, String)> {
    let (id, year, number): (String, i32, u32) = (r.get(0)?, r.get(1)?, r.get(2)?);
    let text: String = r.get(3)?;
    let [name, iin, phone, settlement, workplace]: [Option<String>; 5] =
        [r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?];
    let heard: Vec<String> = serde_json::from_str(&r.get::<_, String>(9)?)?;
    let row = Searchable {
        number: crate::domain::AppealNo { year, number }.to_string(),
        text: &text,
        name: name.as_deref(),
        iin: iin.as_deref(),
        phone: phone.as_deref(),
        settlement: settlement.as_deref(),
        workplace: workplace.as_deref(),
        heard_by: heard.iter().map(String::as_str).collect(),
    };
    Ok((id, row.body()))
}

/// Indexes a newly recorded appeal from its row in the appeals table.
pub(super) fn index(conn: &Connection, appeal_id: &str) -> Result<()> {
    write_row(conn, appeal_id, None)
}

/// Rewrites an appeal's index row after its personal data was erased (the
/// index takes a deleted row's terms out at once: migration 9). The row
/// keeps its place in the index's order of arrival. Finding it reads the
/// whole index (`appeal_id` is not indexed): fine for an erasure, not for
/// every appeal recorded.
pub(super) fn reindex(conn: &Connection, appeal_id: &str) -> Result<()> {
    let rowid: Option<i64> = conn
        .query_row(
            "SELECT rowid FROM appeal_search WHERE appeal_id = ?1",
            [appeal_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(rowid) = rowid {
        conn.execute("DELETE FROM appeal_search WHERE rowid = ?1", [rowid])?;
    }
    write_row(conn, appeal_id, rowid)
}

fn write_row(conn: &Connection, appeal_id: &str, rowid: Option<i64>) -> Result<()> {
    let (id, body) =
        conn.query_row_and_then(&format!("{ROW} WHERE id = ?1"), [appeal_id], body_of)?;
    conn.execute(
        "INSERT INTO appeal_search (rowid, appeal_id, body) VALUES (?1, ?2, ?3)",
        params![rowid, id, body],
    )?;
    Ok(())
}

/// Rebuilds the whole index from the appeals table, with today's folding
/// (a migration, when what the index keeps changes). The rowids follow the
/// appeals' order of arrival, as the index's "newest first" expects.
pub(super) fn rebuild(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM appeal_search", [])?;
    let mut read = conn.prepare(&format!("{ROW} ORDER BY rowid"))?;
    let mut write = conn.prepare("INSERT INTO appeal_search (appeal_id, body) VALUES (?1, ?2)")?;
    let mut rows = read.query([])?;
    while let Some(r) = rows.next()? {
        let (id, body) = body_of(r)?;
        write.execute(params![id, body])?;
    }
    Ok(())
}

/// Turns what a person typed into an FTS5 query: every word must appear,
/// as a word or the start of one. A number typed in groups ("8 701 123 45
/// 67", "+7 701 123-45-67", an IIN with spaces) is also one number: then
/// the groups as words, or their digits together. Returns `None` when
/// nothing searchable is left.
pub fn to_match_query(typed: &str) -> Option<String> {
    let folded = fold(typed);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return None;
    }
    let all = words
        .iter()
        .map(|w| format!("\"{w}\"*"))
        .collect::<Vec<_>>()
        .join(" ");
    let one_number = words.len() > 1
        && typed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.'));
    if one_number {
        return Some(format!("({all}) OR \"{}\"*", words.concat()));
    }
    Some(all)
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
    fn folds_case_and_yo() {
        assert_eq!(fold("ЖИЛЬЁ Ёлка"), "жилье елка");
    }

    #[test]
    fn query_quotes_words_and_drops_operators() {
        assert_eq!(
            to_match_query("Жылу OR \"су\"").unwrap(),
            "\"жылу\"* \"or\"* \"су\"*"
        );
        assert_eq!(to_match_query("  *** ()"), None);
        assert_eq!(
            to_match_query("+7 701").unwrap(),
            "(\"7\"* \"701\"*) OR \"7701\"*"
        );
    }

    #[test]
    fn kazakh_letters_fold_to_their_russian_look_alikes() {
        assert_eq!(fold("Қасымова"), fold("Касымова"));
        assert_eq!(fold("ӘҒҚҢӨҰҮҺІ"), "агкноуухи");
    }

    #[test]
    fn names_have_a_latin_form() {
        assert_eq!(latin("Қасымова Әлия"), "qasymova alia");
        assert_eq!(latin("Шәймерден Ғабитұлы"), "saimerden gabituly");
        // what a person types in the Latin alphabet folds to the same
        assert_eq!(fold("Qasymova"), "qasymova");
        assert_eq!(fold("Şäimerden Ğabitūly"), "saimerden gabituly");
        assert_eq!(fold("İlияс"), "ilияс");
    }
}
