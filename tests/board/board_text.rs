//! The board's text is complete in the three languages, and every key the
//! code asks for exists.
use std::collections::{BTreeMap, BTreeSet};

fn keys(lang: &str) -> BTreeSet<String> {
    let path = format!(
        "{}/assets/locales/{lang}/board.ftl",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let resource = fluent_syntax::parser::parse(text.as_str())
        .unwrap_or_else(|(_, errors)| panic!("{path}: {errors:?}"));
    resource
        .body
        .iter()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

/// `"board-…"` literals in the board's code.
fn used_keys() -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let dir = format!("{}/src/ui/board", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for piece in text.split('"').skip(1).step_by(2) {
            if piece.starts_with("board-")
                && piece.chars().all(|c| c.is_ascii_lowercase() || c == '-')
            {
                used.insert(piece.to_string());
            }
        }
    }
    used
}

#[test]
fn three_languages_have_the_same_keys() {
    let en = keys("en");
    assert!(en.len() > 40, "{en:?}");
    assert!(en.iter().all(|k| k.starts_with("board-")), "{en:?}");
    assert_eq!(keys("kk"), en, "kk differs from en");
    assert_eq!(keys("ru"), en, "ru differs from en");
}

#[test]
fn every_key_the_code_uses_exists() {
    let en = keys("en");
    let used = used_keys();
    assert!(used.len() > 30, "{used:?}");
    let missing: Vec<_> = used.difference(&en).collect();
    assert!(missing.is_empty(), "missing: {missing:?}");
}

/// Each message of a language's board file: its id and its text (the
/// pattern's own words, variants and all; placeables left out).
fn texts(lang: &str) -> BTreeMap<String, String> {
    use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
    fn collect(p: &Pattern<&str>, out: &mut String) {
        for e in &p.elements {
            match e {
                PatternElement::TextElement { value } => out.push_str(value),
                PatternElement::Placeable { expression } => {
                    out.push(' ');
                    match expression {
                        Expression::Select { variants, .. } => {
                            for v in variants {
                                collect(&v.value, out);
                                out.push(' ');
                            }
                        }
                        Expression::Inline(InlineExpression::StringLiteral { value }) => {
                            out.push_str(value)
                        }
                        Expression::Inline(_) => {}
                    }
                }
            }
        }
    }
    let path = format!(
        "{}/assets/locales/{lang}/board.ftl",
        env!("CARGO_MANIFEST_DIR")
    );
    let source = std::fs::read_to_string(&path).unwrap();
    let resource = fluent_syntax::parser::parse(source.as_str())
        .unwrap_or_else(|(_, errors)| panic!("{path}: {errors:?}"));
    let mut out = BTreeMap::new();
    for entry in &resource.body {
        if let Entry::Message(m) = entry {
            let mut text = String::new();
            if let Some(p) = &m.value {
                collect(p, &mut text);
            }
            out.insert(m.id.name.to_string(), text);
        }
    }
    out
}

/// The letters of Kazakh that Russian has not.
const KAZAKH_ONLY: &str = "ӘәҒғҚқҢңӨөҰұҮүҺһІі";

/// Words that mix Cyrillic and Latin letters: a Latin `i` for `і`, an `e`
/// or `o` that looks Cyrillic, `Ə` (U+018F, Azerbaijani) for `Ә`.
fn mixed_script_words(text: &str) -> Vec<String> {
    let cyrillic = |c: char| ('\u{400}'..='\u{4ff}').contains(&c);
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().any(cyrillic) && w.chars().any(|c| !cyrillic(c)))
        .map(str::to_string)
        .collect()
}

/// The same in Kazakh and in Russian: a word both languages write alike.
const SAME_IN_KK_AND_RU: &[&str] = &[
    "board-minutes-short",
    "board-login-login",
    "board-login-pin",
];

#[test]
fn kazakh_text_is_kazakh() {
    let kk = texts("kk");
    let ru = texts("ru");
    // message by message, not anywhere in the file (a comment or one
    // translated line would do): no Russian text left in the Kazakh file
    let copied: Vec<&String> = kk
        .iter()
        .filter(|(id, text)| {
            ru.get(*id) == Some(*text) && !SAME_IN_KK_AND_RU.contains(&id.as_str())
        })
        .map(|(id, _)| id)
        .collect();
    assert!(copied.is_empty(), "the Russian text in kk: {copied:?}");
    // the Kazakh letters are written as the Kazakh letters
    for (id, text) in &kk {
        let mixed = mixed_script_words(text);
        assert!(mixed.is_empty(), "{id}: {mixed:?} mixes alphabets");
    }
    // and used: three messages in four have one of them, and the nine
    // letters that phrases of a board need are there
    let with = kk
        .values()
        .filter(|t| t.chars().any(|c| KAZAKH_ONLY.contains(c)))
        .count();
    assert!(
        with * 4 >= kk.len() * 3,
        "{with} of {} kk messages",
        kk.len()
    );
    let all: String = kk.values().cloned().collect();
    for letter in ['Қ', 'қ', 'ә', 'ө', 'ұ', 'і', 'ң', 'ғ', 'ү'] {
        assert!(all.contains(letter), "no {letter} in a kk message");
    }
    // the checks can fail
    assert_eq!(mixed_script_words("кезектi"), ["кезектi"]);
    assert_eq!(mixed_script_words("Əкім"), ["Əкім"]);
    assert!(mixed_script_words("S басшы · L тіл").is_empty());
}

#[test]
fn russian_plurals_on_the_board() {
    use qabyldau::domain::Lang;
    use qabyldau::tr;
    let waiting = |n: i64| tr!(Lang::Ru, "board-waiting-count", count = n);
    assert_eq!(waiting(1), "в очереди 1 человек");
    assert_eq!(waiting(3), "в очереди 3 человека");
    assert_eq!(waiting(5), "в очереди 5 человек");
    assert_eq!(waiting(22), "в очереди 22 человека");
    let late = |n: i64| {
        tr!(
            Lang::Ru,
            "board-overdue-row",
            number = "2026-00001",
            category = "Дороги",
            deadline = "01.03.2026",
            days = n,
            responsible = "—"
        )
    };
    // the deadline is in working days, so is how late it is
    assert!(late(1).contains("на 1 рабочий день"), "{}", late(1));
    assert!(late(2).contains("на 2 рабочих дня"), "{}", late(2));
    assert!(late(11).contains("на 11 рабочих дней"), "{}", late(11));
    assert!(late(21).contains("на 21 рабочий день"), "{}", late(21));
    let estimate = |n: i64| tr!(Lang::Ru, "board-wait-estimate", minutes = n);
    assert!(estimate(1).ends_with("около 1 минуты"));
    assert!(estimate(25).ends_with("около 25 минут"));
    assert_eq!(
        tr!(Lang::En, "board-waiting-count", count = 1),
        "1 person waiting"
    );
}
