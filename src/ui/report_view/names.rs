//! Topic names shortened the way a person would shorten them (plain
//! cutting is the kit's).

use unicode_width::UnicodeWidthStr;

pub use crate::ui::kit::{cut, cut_pad as pad};

/// Joining words after which the rest of a topic's name only adds detail
/// ("Housing and the housing queue" is "Housing" when space is short).
const JOINS: [&str; 3] = [" және ", " и ", " and "];

/// A topic's name in at most `width` columns: whole, or its head (before
/// ":" or "," or "and"), or as many whole words as fit with "…", and only
/// when a single word is too long, cut inside it.
pub fn short_topic(name: &str, width: usize) -> String {
    let name = name.trim();
    if name.width() <= width {
        return name.to_string();
    }
    let mut head = name;
    if let Some(i) = head.find([':', ',', '(']) {
        head = head[..i].trim_end();
    }
    for join in JOINS {
        if let Some(i) = head.find(join) {
            head = head[..i].trim_end();
        }
    }
    if !head.is_empty() && head.width() <= width {
        return head.to_string();
    }
    let mut words = String::new();
    for word in head.split_whitespace() {
        let next = if words.is_empty() {
            word.to_string()
        } else {
            format!("{words} {word}")
        };
        if next.width() + 1 > width {
            break;
        }
        words = next;
    }
    if words.is_empty() {
        cut(head, width)
    } else {
        words + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Catalogue, Lang};

    #[test]
    fn topics_are_shortened_at_a_sensible_place() {
        assert_eq!(
            short_topic("Тұрғын үй және тұрғын үй кезегі", 16),
            "Тұрғын үй"
        );
        assert_eq!(short_topic("Жильё и очередь на жильё", 16), "Жильё");
        assert_eq!(
            short_topic("Utilities: heat, water, power", 16),
            "Utilities"
        );
        assert_eq!(
            short_topic("Коммунальные услуги: тепло, вода, свет", 16),
            "Коммунальные…"
        );
        assert_eq!(short_topic("Денсаулық сақтау", 16), "Денсаулық сақтау");
        assert_eq!(short_topic("Здравоохранение", 8), "Здравоо…");
        assert_eq!(
            short_topic("Roads and transport", 40),
            "Roads and transport"
        );
    }

    #[test]
    fn every_topic_fits_and_says_something() {
        for c in Catalogue::builtin().all() {
            for lang in Lang::ALL {
                for width in [10, 14, 18, 30] {
                    let s = short_topic(c.name.get(lang), width);
                    assert!(s.width() <= width, "{s:?} is wider than {width}");
                    assert!(
                        s.chars().filter(|c| c.is_alphabetic()).count() >= 3,
                        "{s:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn cut_and_pad_count_columns() {
        assert_eq!(cut("Әсел", 6), "Әсел");
        assert_eq!(cut("Мемлекеттік", 6), "Мемле…");
        assert_eq!(pad("12", 4), "12  ");
        assert_eq!(cut("abc", 0), "");
    }
}
