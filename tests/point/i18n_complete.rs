//! The three languages are complete: every Fluent file parses, every
//! message (and attribute) of one language exists in the others, and every
//! key the code asks for with `tr!(…, "key")`, `t(…, "key")` or
//! `t_args(…, "key", …)` exists in every language.

use fluent_syntax::ast::{Entry, Resource};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const LANGS: [&str; 3] = ["kk", "ru", "en"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
    out.sort();
}

/// Message ids, attributes as `id.attr`, terms as `-id`, of one language,
/// with the file each came from. Fails on syntax errors and on an id
/// defined twice (in one file or in two).
fn ids_of(lang: &str) -> BTreeMap<String, PathBuf> {
    let mut paths = Vec::new();
    files(&root().join("assets/locales").join(lang), "ftl", &mut paths);
    assert!(!paths.is_empty(), "no .ftl files for {lang}");
    let mut ids = BTreeMap::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let resource: Resource<&str> = match fluent_syntax::parser::parse(text.as_str()) {
            Ok(r) => r,
            Err((_, errors)) => panic!("{}: {errors:?}", path.display()),
        };
        let mut add = |id: String| {
            if let Some(first) = ids.insert(id.clone(), path.clone()) {
                panic!(
                    "{id} is defined twice: {} and {}",
                    first.display(),
                    path.display()
                );
            }
        };
        for entry in resource.body {
            match entry {
                Entry::Message(m) => {
                    assert!(
                        m.value.is_some() || !m.attributes.is_empty(),
                        "{}: {} is empty",
                        path.display(),
                        m.id.name
                    );
                    for a in &m.attributes {
                        add(format!("{}.{}", m.id.name, a.id.name));
                    }
                    add(m.id.name.to_string());
                }
                Entry::Term(t) => {
                    for a in &t.attributes {
                        add(format!("-{}.{}", t.id.name, a.id.name));
                    }
                    add(format!("-{}", t.id.name));
                }
                Entry::Junk { content } => {
                    panic!("{}: cannot parse {content:?}", path.display())
                }
                _ => {}
            }
        }
    }
    ids
}

#[test]
fn every_language_has_every_message() {
    let all: BTreeMap<&str, BTreeMap<String, PathBuf>> =
        LANGS.iter().map(|&l| (l, ids_of(l))).collect();
    let union: BTreeSet<&String> = all.values().flat_map(|ids| ids.keys()).collect();
    let mut missing = Vec::new();
    for (lang, ids) in &all {
        for id in &union {
            if !ids.contains_key(*id) {
                missing.push(format!("{lang}: {id}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "missing messages:\n{}",
        missing.join("\n")
    );
}

/// The string literal that is the second argument of a call starting at
/// `rest` (just after the opening parenthesis), if it is a literal.
fn second_literal(rest: &str) -> Option<String> {
    let mut depth = 0i32;
    let mut chars = rest.char_indices().peekable();
    let mut in_string = false;
    while let Some((i, c)) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => return None,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                let after = rest[i + 1..].trim_start();
                let body = after.strip_prefix('"')?;
                let end = body.find('"')?;
                return Some(body[..end].to_string());
            }
            _ => {}
        }
    }
    None
}

/// Keys used in Rust source text through `tr!`, and through `t` and
/// `t_args` where they are the i18n functions (qualified, or imported, or
/// inside the i18n module): other functions may be called `t` too.
fn keys_used(source: &str, bare_t_is_i18n: bool) -> BTreeSet<String> {
    // comments are not code: a doc example is not a use
    let code: String = source
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut keys = BTreeSet::new();
    for opener in ["tr!(", "t(", "t_args("] {
        let mut from = 0;
        while let Some(at) = code[from..].find(opener) {
            let start = from + at;
            from = start + opener.len();
            if opener != "tr!(" {
                let before = &code[..start];
                let qualified = before.ends_with("i18n::");
                let whole_name = !before
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':' || c == '.');
                if !(qualified || (bare_t_is_i18n && whole_name)) {
                    continue;
                }
            }
            if let Some(key) = second_literal(&code[from..]) {
                keys.insert(key);
            }
        }
    }
    keys
}

fn imports_t(path: &Path, text: &str) -> bool {
    path.components().any(|c| c.as_os_str() == "i18n")
        || text.contains("i18n::t;")
        || text.contains("i18n::t_args;")
        || (text.contains("i18n::{") && (text.contains(" t,") || text.contains("{t")))
}

#[test]
fn the_scanner_finds_keys_and_only_keys() {
    let sample = r#"
        let a = tr!(lang, "kiosk-welcome");
        let b = tr!(c.lang, "kiosk-ticket-ahead", count = place.ahead as i64);
        let c = crate::i18n::t(Lang::Kk, "window-too-small");
        let d = t_args(lang, "minutes", &[("count", 3.into())]);
        let e = format(x, "not-a-key");
        let f = tr!(pick(lang, "inner"), key);
        pub fn t(lang: Lang, key: &str) -> String {}
        let g = helper::t(1, "housing");
        // tr!(lang, "in-a-comment")
    "#;
    let keys = keys_used(sample, true);
    let expected: BTreeSet<String> = [
        "kiosk-welcome",
        "kiosk-ticket-ahead",
        "window-too-small",
        "minutes",
    ]
    .map(String::from)
    .into();
    assert_eq!(keys, expected);
    // a test helper called `t` in a file that does not import the i18n one
    let other = "fn t(id: u32, cat: &str) {} let x = t(1, \"housing\");";
    assert!(keys_used(other, false).is_empty());
}

#[test]
fn every_key_the_code_uses_exists_in_every_language() {
    let mut sources = Vec::new();
    files(&root().join("src"), "rs", &mut sources);
    let mut used: BTreeMap<String, PathBuf> = BTreeMap::new();
    for path in &sources {
        let text = std::fs::read_to_string(path).unwrap();
        for key in keys_used(&text, imports_t(path, &text)) {
            used.entry(key).or_insert_with(|| path.clone());
        }
    }
    // the scan must see the code's keys, or this test would pass on nothing
    assert!(used.contains_key("kiosk-welcome"), "{used:?}");
    assert!(used.contains_key("window-too-small"), "{used:?}");
    assert!(used.len() > 50, "only {} keys found", used.len());
    let mut missing = Vec::new();
    for lang in LANGS {
        let ids = ids_of(lang);
        for (key, path) in &used {
            if !ids.contains_key(key) {
                missing.push(format!("{lang}: {key} (used in {})", path.display()));
            }
        }
    }
    assert!(missing.is_empty(), "missing texts:\n{}", missing.join("\n"));
}

#[test]
fn kazakh_texts_use_kazakh_letters() {
    // a Kazakh file that is Russian under another name would pass the
    // completeness checks; real Kazakh has its own letters
    let text: String = {
        let mut paths = Vec::new();
        files(&root().join("assets/locales/kk"), "ftl", &mut paths);
        paths
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    };
    for letter in ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'і'] {
        assert!(text.contains(letter), "no {letter} in the Kazakh texts");
    }
}
