//! One name for one thing: the words of an appeal's outcome and kind, the
//! same on every screen and in every export (docs/GLOSSARY.md). Screens
//! and exports take them from here, never from keys of their own.

use crate::domain::Lang;
use crate::domain::appeal::{AppealKind, Outcome};
use crate::i18n::t;

pub fn outcome(lang: Lang, o: Outcome) -> String {
    t(lang, &format!("outcome-{}", o.as_str()))
}

pub fn kind(lang: Lang, k: AppealKind) -> String {
    t(lang, &format!("kind-{}", k.as_str()))
}

/// A name as it stands in the middle of a line: its first letter in lower
/// case (every outcome and kind name starts with a common word).
pub fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The locales hold one key per outcome and per kind: a second set
    /// (as the desk once had, `desk-outcome-*`) is how two names for one
    /// thing creep in.
    #[test]
    fn each_outcome_and_kind_has_one_name_in_each_language() {
        let files = [
            include_str!("../../assets/locales/kk/desk.ftl"),
            include_str!("../../assets/locales/kk/report.ftl"),
            include_str!("../../assets/locales/kk/kiosk.ftl"),
            include_str!("../../assets/locales/kk/board.ftl"),
            include_str!("../../assets/locales/ru/desk.ftl"),
            include_str!("../../assets/locales/ru/report.ftl"),
            include_str!("../../assets/locales/ru/kiosk.ftl"),
            include_str!("../../assets/locales/ru/board.ftl"),
            include_str!("../../assets/locales/en/desk.ftl"),
            include_str!("../../assets/locales/en/report.ftl"),
            include_str!("../../assets/locales/en/kiosk.ftl"),
            include_str!("../../assets/locales/en/board.ftl"),
        ];
        for file in files {
            for line in file.lines() {
                let key = line.split(" =").next().unwrap_or("");
                for o in Outcome::ALL.iter().copied() {
                    assert!(
                        !key.ends_with(&format!("outcome-{}", o.as_str())),
                        "a second name for an outcome: {line}"
                    );
                }
                for k in AppealKind::ALL.iter().copied() {
                    assert!(
                        !key.ends_with(&format!("kind-{}", k.as_str())),
                        "a second name for a kind: {line}"
                    );
                }
            }
        }
        for lang in Lang::ALL {
            // the desk, the look-up and the exports say the same
            for o in Outcome::ALL.iter().copied() {
                assert_eq!(
                    crate::ui::desk::text::outcome(lang, o).to_lowercase(),
                    crate::ui::lookup_words::outcome_words(lang, o).to_lowercase()
                );
                assert!(!outcome(lang, o).starts_with("outcome-"), "{lang:?} {o:?}");
            }
            for k in AppealKind::ALL.iter().copied() {
                assert_eq!(
                    crate::ui::desk::text::kind(lang, k).to_lowercase(),
                    kind(lang, k).to_lowercase()
                );
                assert!(!kind(lang, k).starts_with("kind-"), "{lang:?} {k:?}");
            }
        }
        // a request is not called by the word for any appeal
        assert_ne!(kind(Lang::Kk, AppealKind::Request), "Өтініш");
    }
}
