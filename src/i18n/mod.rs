//! All user-facing text, from the Fluent files in `assets/locales/{kk,ru,en}`
//! (compiled into the binary). Bidi isolation marks are off: terminals show
//! them as junk.

use crate::domain::Lang;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use std::borrow::Cow;
use std::collections::HashMap;
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "./assets/locales",
        fallback_language: "ru",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static KK: LanguageIdentifier = langid!("kk");
static RU: LanguageIdentifier = langid!("ru");
static EN: LanguageIdentifier = langid!("en");

fn id(lang: Lang) -> &'static LanguageIdentifier {
    match lang {
        Lang::Kk => &KK,
        Lang::Ru => &RU,
        Lang::En => &EN,
    }
}

pub use fluent_templates::fluent_bundle::FluentValue as Value;

/// The text of `key` in `lang`. A missing key (which the completeness test
/// forbids) shows as the key itself, so it is noticed rather than blank.
pub fn t(lang: Lang, key: &str) -> String {
    LOCALES
        .try_lookup(id(lang), key)
        .unwrap_or_else(|| missing(lang, key))
}

/// The text of `key` with arguments, e.g. `("count", 3.into())`.
pub fn t_args(lang: Lang, key: &str, args: &[(&'static str, FluentValue<'_>)]) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
        .collect();
    LOCALES
        .try_lookup_with_args(id(lang), key, &map)
        .unwrap_or_else(|| missing(lang, key))
}

fn missing(lang: Lang, key: &str) -> String {
    tracing::warn!(%lang, key, "missing text");
    key.to_string()
}

/// `t` and `t_args` in one: `tr!(lang, "key")`, `tr!(lang, "key", count = 3)`.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $key:expr) => {
        $crate::i18n::t($lang, $key)
    };
    ($lang:expr, $key:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::t_args($lang, $key, &[$((stringify!($name), $crate::i18n::Value::from($value))),+])
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_plurals() {
        let mins = |n: i64| t_args(Lang::Ru, "minutes", &[("count", n.into())]);
        assert_eq!(mins(1), "1 минута");
        assert_eq!(mins(3), "3 минуты");
        assert_eq!(mins(5), "5 минут");
        assert_eq!(mins(21), "21 минута");
        assert_eq!(mins(12), "12 минут");
        assert_eq!(
            t_args(Lang::En, "minutes", &[("count", 1.into())]),
            "1 minute"
        );
        assert_eq!(
            t_args(Lang::Kk, "minutes", &[("count", 5.into())]),
            "5 минут"
        );
    }

    #[test]
    fn no_isolation_marks() {
        let s = tr!(Lang::En, "minutes", count = 7);
        assert!(!s.contains('\u{2068}') && !s.contains('\u{2069}'), "{s:?}");
    }
}
