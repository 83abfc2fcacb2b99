//! What a spoken call says, as a list of clip names: a pure function of the
//! ticket, the desk and the language.
//!
//! Numbers are built from a small set of clips so that every number to
//! 9,999 can be said with about forty clips a language:
//! - Kazakh: units (1–9), tens (10–90), «жүз» (100), «мың» (1000);
//!   117 = жүз + он + жеті, 999 = тоғыз + жүз + тоқсан + тоғыз.
//! - Russian: units, 10–19 (they are one word each), tens, the nine
//!   hundreds (двести, триста… are one word each), «тысяча» in its three
//!   forms and «две» for «две тысячи».
//! - English: units, 10–19, tens, "hundred", "thousand";
//!   117 = one + hundred + seventeen.
//!
//! Larger numbers (a ticket prefix past 9,999 in one day) are read digit
//! by digit; nothing is left unsaid and nothing panics.

use crate::domain::Lang;
use crate::domain::event::DeskNo;
use crate::domain::ticket::TicketNo;

/// One part of an announcement: a clip to play, or a pause between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A clip's name: `chime`, `kk/desk`, `ru/17`, `en/letter_zh`.
    Clip(String),
    Pause(Pause),
}

/// The pauses between pieces: short between words, longer where a comma
/// would stand, longest between one language and the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pause {
    Word,
    Phrase,
    Language,
}

impl Pause {
    pub fn millis(self) -> u32 {
        match self {
            Pause::Word => 70,
            Pause::Phrase => 350,
            Pause::Language => 900,
        }
    }
}

/// The clip that opens every announcement.
pub const CHIME: &str = "chime";

/// A call to speak: which ticket goes to which desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpokenCall {
    pub ticket: TicketNo,
    pub desk: DeskNo,
}

/// The whole announcement of a call: the chime, then the call in each of
/// `langs` in turn ("Талон Ж 17, терезе 3", "Талон Ж 17, окно 3",
/// "Ticket Zh 17, desk 3").
pub fn announcement(call: SpokenCall, langs: &[Lang]) -> Vec<Piece> {
    let mut out = vec![Piece::Clip(CHIME.into()), Piece::Pause(Pause::Phrase)];
    for (i, lang) in langs.iter().enumerate() {
        if i > 0 {
            out.push(Piece::Pause(Pause::Language));
        }
        out.extend(sentence(call, *lang));
    }
    out
}

/// The call in one language: "ticket", the letter, the number, then
/// "desk" (the screens' word: «терезе», «окно», "desk") and its number.
pub fn sentence(call: SpokenCall, lang: Lang) -> Vec<Piece> {
    let mut words = vec!["ticket".to_string()];
    if let Some(letter) = letter_clip(call.ticket.prefix) {
        words.push(letter);
    }
    words.extend(number(call.ticket.number, lang));
    let desk = std::iter::once("desk".to_string()).chain(number(u32::from(call.desk), lang));
    let mut out = Vec::new();
    push_words(&mut out, lang, words);
    out.push(Piece::Pause(Pause::Phrase));
    push_words(&mut out, lang, desk);
    out
}

fn push_words(out: &mut Vec<Piece>, lang: Lang, words: impl IntoIterator<Item = String>) {
    for (i, word) in words.into_iter().enumerate() {
        if i > 0 {
            out.push(Piece::Pause(Pause::Word));
        }
        out.push(Piece::Clip(format!("{}/{word}", lang.code())));
    }
}

/// The clip names (without the language folder) that say `n`.
pub fn number(n: u32, lang: Lang) -> Vec<String> {
    if n == 0 {
        return vec!["0".into()];
    }
    if n > 9_999 {
        return n.to_string().chars().map(String::from).collect();
    }
    let (thousands, hundreds, tens, units) = (n / 1000, n / 100 % 10, n / 10 % 10, n % 10);
    let rest = n % 100;
    let mut out: Vec<String> = Vec::new();
    let mut say = |s: String| out.push(s);
    match lang {
        Lang::Kk => {
            // бір is left out before мың and жүз, as people say it
            for (count, word) in [(thousands, "1000"), (hundreds, "100")] {
                if count > 1 {
                    say(count.to_string());
                }
                if count > 0 {
                    say(word.into());
                }
            }
            if tens > 0 {
                say((tens * 10).to_string());
            }
            if units > 0 {
                say(units.to_string());
            }
        }
        Lang::Ru => {
            match thousands {
                0 => {}
                1 => say("1000".into()),
                2 => {
                    say("2f".into());
                    say("1000_few".into());
                }
                3 | 4 => {
                    say(thousands.to_string());
                    say("1000_few".into());
                }
                _ => {
                    say(thousands.to_string());
                    say("1000_many".into());
                }
            }
            if hundreds > 0 {
                say((hundreds * 100).to_string());
            }
            below_hundred(rest, &mut say);
        }
        Lang::En => {
            for (count, word) in [(thousands, "thousand"), (hundreds, "hundred")] {
                if count > 0 {
                    say(count.to_string());
                    say(word.into());
                }
            }
            below_hundred(rest, &mut say);
        }
    }
    out
}

/// Russian and English: 10–19 are one word, the rest tens then units.
fn below_hundred(rest: u32, say: &mut impl FnMut(String)) {
    match rest {
        0 => {}
        10..=19 => say(rest.to_string()),
        _ => {
            if rest >= 20 {
                say((rest / 10 * 10).to_string());
            }
            if rest % 10 > 0 {
                say((rest % 10).to_string());
            }
        }
    }
}

/// `letter_zh` for Ж: the clip that names a ticket's prefix letter, or
/// `None` for a letter no clip names (the call is then said without it).
pub fn letter_clip(prefix: char) -> Option<String> {
    let upper = prefix.to_uppercase().next().unwrap_or(prefix);
    LETTERS
        .iter()
        .find(|(c, _)| *c == upper)
        .map(|(_, id)| format!("letter_{id}"))
}

/// The Kazakh Cyrillic alphabet (which holds the Russian one) without Ъ
/// and Ь, which start no word: the letters a ticket prefix may be, with
/// the names of their clips.
pub const LETTERS: [(char, &str); 40] = [
    ('А', "a"),
    ('Ә', "ae"),
    ('Б', "b"),
    ('В', "v"),
    ('Г', "g"),
    ('Ғ', "gh"),
    ('Д', "d"),
    ('Е', "e"),
    ('Ё', "yo"),
    ('Ж', "zh"),
    ('З', "z"),
    ('И', "i"),
    ('Й', "y"),
    ('К', "k"),
    ('Қ', "q"),
    ('Л', "l"),
    ('М', "m"),
    ('Н', "n"),
    ('Ң', "ng"),
    ('О', "o"),
    ('Ө', "oe"),
    ('П', "p"),
    ('Р', "r"),
    ('С', "s"),
    ('Т', "t"),
    ('У', "u"),
    ('Ұ', "uu"),
    ('Ү', "ue"),
    ('Ф', "f"),
    ('Х', "kh"),
    ('Һ', "h"),
    ('Ц', "ts"),
    ('Ч', "ch"),
    ('Ш', "sh"),
    ('Щ', "shch"),
    ('Ы', "yi"),
    ('І', "ii"),
    ('Э', "eh"),
    ('Ю', "yu"),
    ('Я', "ya"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: u32, lang: Lang) -> String {
        number(n, lang).join(" ")
    }

    /// The clip names of a piece list, pauses left out.
    fn clips(pieces: &[Piece]) -> Vec<&str> {
        pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Clip(c) => Some(c.as_str()),
                Piece::Pause(_) => None,
            })
            .collect()
    }

    #[test]
    fn kazakh_numbers() {
        // 17 «он жеті», 117 «жүз он жеті», 999 «тоғыз жүз тоқсан тоғыз»
        let cases = [
            (1, "1"),
            (11, "10 1"),
            (17, "10 7"),
            (20, "20"),
            (100, "100"),
            (117, "100 10 7"),
            (999, "9 100 90 9"),
            (200, "2 100"),
            (305, "3 100 5"),
            (1000, "1000"),
            (2024, "2 1000 20 4"),
        ];
        for (n, expected) in cases {
            assert_eq!(words(n, Lang::Kk), expected, "{n}");
        }
    }

    #[test]
    fn russian_numbers() {
        // 117 «сто семнадцать», 999 «девятьсот девяносто девять»
        let cases = [
            (1, "1"),
            (11, "11"),
            (17, "17"),
            (20, "20"),
            (100, "100"),
            (117, "100 17"),
            (999, "900 90 9"),
            (210, "200 10"),
            (1000, "1000"),
            (2001, "2f 1000_few 1"),
            (4300, "4 1000_few 300"),
            (5019, "5 1000_many 19"),
        ];
        for (n, expected) in cases {
            assert_eq!(words(n, Lang::Ru), expected, "{n}");
        }
    }

    #[test]
    fn english_numbers() {
        // 117 "one hundred seventeen"
        let cases = [
            (1, "1"),
            (11, "11"),
            (17, "17"),
            (20, "20"),
            (100, "1 hundred"),
            (117, "1 hundred 17"),
            (999, "9 hundred 90 9"),
            (1205, "1 thousand 2 hundred 5"),
        ];
        for (n, expected) in cases {
            assert_eq!(words(n, Lang::En), expected, "{n}");
        }
    }

    #[test]
    fn zero_and_numbers_past_the_words_are_said_digit_by_digit() {
        for lang in Lang::ALL {
            assert_eq!(words(0, lang), "0");
            assert_eq!(words(10_203, lang), "1 0 2 0 3");
        }
    }

    #[test]
    fn a_call_in_each_language() {
        let call = SpokenCall {
            ticket: TicketNo::new('Ж', 17),
            desk: 3,
        };
        assert_eq!(
            clips(&sentence(call, Lang::Kk)),
            [
                "kk/ticket",
                "kk/letter_zh",
                "kk/10",
                "kk/7",
                "kk/desk",
                "kk/3"
            ]
        );
        assert_eq!(
            clips(&sentence(call, Lang::Ru)),
            ["ru/ticket", "ru/letter_zh", "ru/17", "ru/desk", "ru/3"]
        );
        let call = SpokenCall {
            ticket: TicketNo::new('Қ', 117),
            desk: 11,
        };
        assert_eq!(
            clips(&sentence(call, Lang::En)),
            [
                "en/ticket",
                "en/letter_q",
                "en/1",
                "en/hundred",
                "en/17",
                "en/desk",
                "en/11"
            ]
        );
    }

    #[test]
    fn the_announcement_is_a_chime_then_each_language_in_turn() {
        let call = SpokenCall {
            ticket: TicketNo::new('С', 1),
            desk: 2,
        };
        let pieces = announcement(call, &[Lang::Ru, Lang::Kk]);
        assert_eq!(pieces[0], Piece::Clip(CHIME.into()));
        assert_eq!(
            clips(&pieces),
            [
                "chime",
                "ru/ticket",
                "ru/letter_s",
                "ru/1",
                "ru/desk",
                "ru/2",
                "kk/ticket",
                "kk/letter_s",
                "kk/1",
                "kk/desk",
                "kk/2"
            ]
        );
        // one long pause, between the two languages, and never two pauses
        // or a pause at either end
        let long = pieces
            .iter()
            .filter(|p| **p == Piece::Pause(Pause::Language))
            .count();
        assert_eq!(long, 1);
        assert!(
            pieces
                .windows(2)
                .all(|w| !(matches!(w[0], Piece::Pause(_)) && matches!(w[1], Piece::Pause(_))))
        );
        assert!(matches!(pieces.last(), Some(Piece::Clip(_))));
    }

    #[test]
    fn letters_of_every_category_and_lower_case() {
        for c in crate::domain::Catalogue::builtin().all() {
            assert!(letter_clip(c.prefix).is_some(), "{}", c.prefix);
        }
        assert_eq!(letter_clip('ж').as_deref(), Some("letter_zh"));
        assert_eq!(letter_clip('Ә').as_deref(), Some("letter_ae"));
        assert_eq!(letter_clip('І').as_deref(), Some("letter_ii"));
        assert_eq!(letter_clip('Ң').as_deref(), Some("letter_ng"));
        assert_eq!(letter_clip('Q'), None);
        let call = SpokenCall {
            ticket: TicketNo::new('Q', 5),
            desk: 1,
        };
        assert_eq!(
            clips(&sentence(call, Lang::En)),
            ["en/ticket", "en/5", "en/desk", "en/1"],
            "an unnamed letter is left out, the rest is said"
        );
    }
}
