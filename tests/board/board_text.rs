//! The board's text is complete in the three languages, and every key the
//! code asks for exists.
use std::collections::BTreeSet;

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

#[test]
fn kazakh_text_is_kazakh() {
    let text = std::fs::read_to_string(format!(
        "{}/assets/locales/kk/board.ftl",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    for letter in ['Қ', 'қ', 'ә', 'ө', 'ұ', 'і', 'ң', 'ғ', 'ү'] {
        assert!(text.contains(letter), "no {letter}");
    }
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
    assert!(late(1).contains("на 1 день"), "{}", late(1));
    assert!(late(2).contains("на 2 дня"), "{}", late(2));
    assert!(late(11).contains("на 11 дней"), "{}", late(11));
    assert!(late(21).contains("на 21 день"), "{}", late(21));
    let estimate = |n: i64| tr!(Lang::Ru, "board-wait-estimate", minutes = n);
    assert!(estimate(1).ends_with("около 1 минуты"));
    assert!(estimate(25).ends_with("около 25 минут"));
    assert_eq!(
        tr!(Lang::En, "board-waiting-count", count = 1),
        "1 person waiting"
    );
}
