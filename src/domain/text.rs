//! Text that came from a person or the network: cleaned of anything a
//! terminal would act on, and bounded in length.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Removes what could change a terminal's state or the reading order:
/// escape sequences (the whole sequence, so no `[31m` is left behind), other
/// C0 and C1 controls, bidi embeddings, overrides and isolates, and
/// zero-width characters. Tabs become spaces; newlines are kept only when
/// `multiline`. Every screen and every stored field goes through this.
pub fn sanitize(input: &str, multiline: bool) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape_sequence(&mut chars),
            '\u{9b}' => skip_csi_body(&mut chars),
            '\r' => {
                // CR LF and a bare CR both mean a line break
                if chars.peek() != Some(&'\n') {
                    push_break(&mut out, multiline);
                }
            }
            '\n' => push_break(&mut out, multiline),
            '\t' => out.push(' '),
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// The same as `sanitize` for one line, with the ends trimmed.
pub fn sanitize_line(input: &str) -> String {
    sanitize(input, false).trim().to_string()
}

fn push_break(out: &mut String, multiline: bool) {
    out.push(if multiline { '\n' } else { ' ' });
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200b}'..='\u{200f}'   // zero-width spaces and joiners, LRM, RLM
            | '\u{2028}' | '\u{2029}' // line and paragraph separators
            | '\u{202a}'..='\u{202e}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{206f}' // word joiner, bidi isolates, deprecated format
            | '\u{feff}'              // byte order mark
            | '\u{fff9}'..='\u{fffb}' // interlinear annotation
        )
}

fn skip_escape_sequence(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_csi_body(chars);
        }
        // OSC, DCS, SOS, PM, APC: run to BEL or ST (ESC \)
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            while let Some(c) = chars.next() {
                if c == '\u{7}' || c == '\u{9c}' {
                    break;
                }
                if c == '\u{1b}' {
                    if chars.peek() == Some(&'\\') {
                        chars.next();
                    }
                    break;
                }
            }
        }
        // two-character sequences such as ESC c (reset) or ESC ( B
        Some('(' | ')' | '*' | '+' | '#' | '%') => {
            chars.next();
            chars.next();
        }
        // ESC and one final byte: Fe, Fs, and the private Fp sequences
        // such as ESC 7 / ESC 8 (save and restore the cursor), whose digit
        // would otherwise be left on screen
        Some(c) if ('\u{30}'..='\u{7e}').contains(c) => {
            chars.next();
        }
        _ => {}
    }
}

/// Parameter and intermediate bytes, then one final byte.
fn skip_csi_body(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        chars.next();
        if ('\u{40}'..='\u{7e}').contains(&c) || !('\u{20}'..='\u{3f}').contains(&c) {
            break;
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("required")]
    Empty,
    #[error("too long: at most {max} characters, this has {len}")]
    TooLong { max: usize, len: usize },
}

macro_rules! bounded_text {
    ($(#[$doc:meta])* $name:ident, max = $max:expr, multiline = $multi:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const MAX: usize = $max;

            /// Sanitises, trims and checks the length (in characters).
            pub fn parse(input: &str) -> Result<Self, TextError> {
                let clean = sanitize(input, $multi);
                let clean = clean.trim();
                let len = clean.chars().count();
                if len == 0 {
                    Err(TextError::Empty)
                } else if len > Self::MAX {
                    Err(TextError::TooLong { max: Self::MAX, len })
                } else {
                    Ok(Self(clean.to_string()))
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = TextError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(t: $name) -> String {
                t.0
            }
        }
    };
}

bounded_text!(
    /// A citizen's or official's full name.
    PersonName, max = 150, multiline = false
);
bounded_text!(
    /// A settlement, a workplace, a state body, a place: one short line.
    ShortText, max = 200, multiline = false
);
bounded_text!(
    /// The body of an appeal, a proposal or a follow-up note.
    AppealText, max = 4000, multiline = true
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_removed_whole() {
        assert_eq!(sanitize("\u{1b}[31mҚызыл\u{1b}[0m", false), "Қызыл");
        assert_eq!(sanitize("a\u{1b}]0;title\u{7}b", false), "ab");
        assert_eq!(
            sanitize("a\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\b", false),
            "alinkb"
        );
        assert_eq!(sanitize("x\u{1b}cy", false), "xy");
        assert_eq!(sanitize("x\u{9b}2Jy", false), "xy");
        assert_eq!(sanitize("end\u{1b}", false), "end");
        assert_eq!(sanitize("a\u{1b}7b\u{1b}8c", false), "abc");
    }

    #[test]
    fn bidi_and_invisible_removed() {
        assert_eq!(
            sanitize(
                "Ә\u{202e}txt.exe\u{202c}\u{2066}ғ\u{2069}\u{200b}\u{feff}",
                false
            ),
            "Әtxt.exeғ"
        );
    }

    #[test]
    fn controls_removed_newlines_by_mode() {
        assert_eq!(sanitize("a\u{0}b\u{7}c\u{8}d\u{85}e", false), "abcde");
        assert_eq!(
            sanitize("line1\r\nline2\rline3\n", true),
            "line1\nline2\nline3\n"
        );
        assert_eq!(sanitize("line1\r\nline2", false), "line1 line2");
        assert_eq!(sanitize("a\tb", true), "a b");
    }

    #[test]
    fn kazakh_and_russian_letters_untouched() {
        let s = "ӘҒҚҢӨҰҮҺІ әғқңөұүһі Ёё Жильё";
        assert_eq!(sanitize(s, false), s);
    }

    #[test]
    fn bounded_text_limits() {
        assert_eq!(PersonName::parse("  \u{1b}[1m  "), Err(TextError::Empty));
        assert_eq!(
            PersonName::parse(" Айгүл Сәрсенова ").unwrap().as_str(),
            "Айгүл Сәрсенова"
        );
        let long = "ә".repeat(PersonName::MAX + 1);
        assert_eq!(
            PersonName::parse(&long),
            Err(TextError::TooLong {
                max: PersonName::MAX,
                len: PersonName::MAX + 1
            })
        );
        assert!(PersonName::parse(&"ә".repeat(PersonName::MAX)).is_ok());
        let mb = "x".repeat(1 << 20);
        assert!(matches!(
            AppealText::parse(&mb),
            Err(TextError::TooLong { .. })
        ));
        assert_eq!(AppealText::parse("бір\nекі").unwrap().as_str(), "бір\nекі");
    }

    #[test]
    fn deserialising_refuses_unclean_lengths() {
        let r: Result<PersonName, _> = serde_json::from_str("\"\"");
        assert!(r.is_err());
    }
}
