//! Property tests in place of fuzzing (`cargo fuzz` needs a nightly
//! toolchain, and this project builds on the one stable toolchain; see
//! docs/RELIABILITY.md). proptest draws thousands of inputs, shrinks a
//! failure to a small case and keeps it in `tests/reliab_props.proptest-regressions`.
//!
//! Cases per property: 256 by default (`cargo test`, `.ci/run`);
//! `PROPTEST_CASES=100000 cargo test --release --test reliab_props` is the
//! long run.
//!
//! - the text sanitiser: never panics, never lets a control, bidi or
//!   zero-width character through, is idempotent, keeps line breaks only
//!   where asked; the bounded text types agree with it;
//! - the IIN parser: never panics, and accepts exactly what an independent
//!   implementation of the rule (STACK.md) accepts;
//! - the phone parser: never panics, accepts every documented way of
//!   writing a Kazakhstan number, refuses others, and what it returns
//!   parses back to itself;
//! - the server's batch decoding: never panics on any bytes or any JSON,
//!   and a batch of real events decodes exactly when its `seq`s are
//!   consecutive, whatever their size (up to `u64::MAX`).

use chrono::Utc;
use proptest::prelude::*;
use qabyldau::domain::event::{CampaignModeSet, EventBody, PAYLOAD_VERSION};
use qabyldau::domain::{
    AppealText, EventRecord, Iin, PersonName, Phone, PointId, ShortText, sanitize, sanitize_line,
};
use qabyldau::server::ingest::{BatchLimits, MAX_SEQ, decode_batch};
use serde_json::{Value, json};

/// Characters a hostile text is made of: escape sequence starts and the
/// letters that complete them, C0/C1 controls, bidi embeddings, overrides
/// and isolates, zero-width characters, line breaks, Kazakh letters, and
/// any character at all.
fn nasty_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => any::<char>(),
        3 => prop::sample::select(vec![
            '\u{1b}', '\u{9b}', '\u{9c}', '\u{7}', '[', ']', '\\', ';', '0', '3', '1', 'm', 'P',
            '_', '^', 'X', '(', 'B', 'c', '\r', '\n', '\t', '\u{0}', '\u{7f}', '\u{85}',
            '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200b}', '\u{200d}', '\u{200e}', '\u{200f}', '\u{2028}',
            '\u{2029}', '\u{feff}', '\u{fff9}', 'Ә', 'Ғ', 'Қ', 'Ң', 'Ө', 'Ұ', 'Ү', 'Һ', 'І', 'ё',
            ' ',
        ]),
        1 => (0x80u32..0xa0).prop_map(|c| char::from_u32(c).unwrap()),
    ]
}

fn nasty_text() -> impl Strategy<Value = String> {
    prop::collection::vec(nasty_char(), 0..120).prop_map(|v| v.into_iter().collect())
}

/// What must never reach a terminal from a citizen's text.
fn is_forbidden(c: char, multiline: bool) -> bool {
    (c.is_control() && !(multiline && c == '\n'))
        || matches!(c,
            '\u{200b}'..='\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

/// Whether `out` is `input` with characters left out and nothing else,
/// but for the sanitiser's documented substitutions: a tab becomes a
/// space, and a line break (LF, CR or CR LF) a space unless `multiline`.
/// Greedy matching is exact for a subsequence: each character out takes
/// the first input character after the previous match that can give it.
fn drawn_from(input: &str, out: &str, multiline: bool) -> bool {
    let gives = |i: char, o: char| match i {
        '\t' => o == ' ',
        '\n' | '\r' => o == if multiline { '\n' } else { ' ' },
        i => i == o,
    };
    let mut rest = input.chars();
    out.chars().all(|o| rest.any(|i| gives(i, o)))
}

/// The check above can fail: what a sanitiser must not do.
#[test]
fn drawn_from_refuses_what_was_not_in_the_input() {
    assert!(
        drawn_from("a\x1b[31mb", "a[31mb", false),
        "left out is fine"
    );
    assert!(drawn_from("a\tb\r\nc", "a b\nc", true));
    assert!(
        !drawn_from("a\x1bb", "a\u{fffd}b", false),
        "a replacement character"
    );
    assert!(!drawn_from("ab", "ba", false), "reordered");
    assert!(!drawn_from("ab", "abb", false), "repeated");
    assert!(
        !drawn_from("a\nb", "a\nb", false),
        "a line break kept in one line"
    );
    assert!(!drawn_from("ab", "a b", false), "a space added");
}

proptest! {
    #[test]
    fn sanitised_text_is_harmless_and_stable(s in nasty_text(), multiline in any::<bool>()) {
        let once = sanitize(&s, multiline);
        prop_assert!(
            !once.chars().any(|c| is_forbidden(c, multiline)),
            "{:?} -> {:?}", s, once
        );
        prop_assert_eq!(sanitize(&once, multiline), once.clone(), "idempotent");
        if !multiline {
            prop_assert!(!once.contains('\n'));
        }
        // nothing is added: every character out was in, in order
        prop_assert!(drawn_from(&s, &once, multiline), "{:?} -> {:?}", s, once);
        let line = sanitize_line(&s);
        prop_assert_eq!(line.trim(), line.as_str());
        prop_assert_eq!(sanitize_line(&line), line);
    }

    #[test]
    fn bounded_texts_agree_with_the_sanitiser(s in nasty_text()) {
        if let Ok(t) = PersonName::parse(&s) {
            prop_assert!(!t.as_str().is_empty() && t.as_str().chars().count() <= PersonName::MAX);
            prop_assert_eq!(sanitize(t.as_str(), false), t.as_str());
            prop_assert_eq!(PersonName::parse(t.as_str()).unwrap(), t.clone());
        }
        if let Ok(t) = ShortText::parse(&s) {
            prop_assert_eq!(sanitize(t.as_str(), false), t.as_str());
        }
        if let Ok(t) = AppealText::parse(&s) {
            prop_assert_eq!(sanitize(t.as_str(), true), t.as_str());
            prop_assert_eq!(AppealText::parse(t.as_str()).unwrap(), t.clone());
        } else {
            // refused only when empty after cleaning (120 chars never too long)
            prop_assert!(sanitize(&s, true).trim().is_empty());
        }
    }
}

/// The IIN rule as STACK.md states it, written again here on its own.
fn iin_reference(input: &str) -> bool {
    let compact: Vec<char> = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if compact.len() != 12 || !compact.iter().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let d: Vec<u32> = compact.iter().map(|c| c.to_digit(10).unwrap()).collect();
    let century = match d[6] {
        1 | 2 => 1800,
        3 | 4 => 1900,
        5 | 6 => 2000,
        _ => return false,
    };
    let year = century + (d[0] * 10 + d[1]) as i32;
    if chrono::NaiveDate::from_ymd_opt(year, d[2] * 10 + d[3], d[4] * 10 + d[5]).is_none() {
        return false;
    }
    let mut c: u32 = (0..11).map(|i| d[i] * (i as u32 + 1)).sum::<u32>() % 11;
    if c == 10 {
        let w = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
        c = (0..11).map(|i| d[i] * w[i]).sum::<u32>() % 11;
        if c == 10 {
            return false;
        }
    }
    c == d[11]
}

/// Twelve digits that look like an IIN (a real date and century digit
/// most of the time), with the separators people type, or anything.
fn iin_like() -> impl Strategy<Value = String> {
    let digits = (
        0u32..100,
        1u32..13,
        1u32..29,
        1u32..7,
        0u32..10_000,
        0u32..10,
    )
        .prop_map(|(yy, mm, dd, c, serial, check)| {
            format!("{yy:02}{mm:02}{dd:02}{c}{serial:04}{check}")
        });
    prop_oneof![
        4 => digits.clone(),
        2 => digits.prop_map(|d| format!("{} {}-{}", &d[..4], &d[4..8], &d[8..])),
        1 => "[0-9]{12}",
        1 => "[0-9 \\-]{0,16}",
        1 => nasty_text(),
        1 => "[0-9٠-٩０-９]{12}",
    ]
}

proptest! {
    #[test]
    fn the_iin_parser_accepts_exactly_the_rule(s in iin_like()) {
        let got = Iin::parse(&s);
        prop_assert_eq!(got.is_ok(), iin_reference(&s), "{:?}: {:?}", s, got);
        if let Ok(iin) = got {
            prop_assert_eq!(iin.as_str().len(), 12);
            prop_assert_eq!(Iin::parse(iin.as_str()).unwrap(), iin.clone());
            prop_assert_eq!(Iin::complete(&iin.as_str()[..11]).unwrap(), iin.clone());
            let _ = (iin.birth_date(), iin.sex());
        }
    }
}

const MOBILE: &[&str] = &[
    "700", "701", "702", "705", "706", "707", "708", "747", "760", "761", "762", "763", "764",
    "771", "775", "776", "777", "778", "785",
];

/// A Kazakhstan number written in one of the documented ways, and its
/// canonical form.
fn kz_phone() -> impl Strategy<Value = (String, String)> {
    let code = prop_oneof![
        prop::sample::select(MOBILE.to_vec()).prop_map(str::to_string),
        "7[12][0-9]"
    ];
    (code, "[0-9]{7}", 0usize..6).prop_map(|(code, rest, style)| {
        let canon = format!("+7{code}{rest}");
        let (a, b, c) = (&rest[..3], &rest[3..5], &rest[5..]);
        let written = match style {
            0 => format!("+7 {code} {a} {b} {c}"),
            1 => format!("8 ({code}) {a}-{b}-{c}"),
            2 => format!("8{code}{rest}"),
            3 => format!("7{code}{rest}"),
            4 => format!("{code}{rest}"),
            _ => format!("  +7({code}){a}.{b}.{c} "),
        };
        (written, canon)
    })
}

proptest! {
    #[test]
    fn every_documented_way_of_writing_a_kazakhstan_number_is_accepted((written, canon) in kz_phone()) {
        let p = Phone::parse(&written);
        prop_assert!(p.is_ok(), "{:?}: {:?}", written, p);
        let p = p.unwrap();
        prop_assert_eq!(p.as_str(), canon.as_str());
        prop_assert_eq!(Phone::parse(&p.to_string()).unwrap(), p.clone());
    }

    #[test]
    fn russian_numbers_and_letters_are_refused(rest in "[0-9]{7}", code in "9[0-9]{2}", letter in "[a-zA-Zа-яА-ЯәғқңөұүһіЁё]") {
        prop_assert!(Phone::parse(&format!("+7{code}{rest}")).is_err(), "Russian mobile");
        let with_letter = format!("+7701{rest}{letter}");
        prop_assert!(Phone::parse(&with_letter).is_err(), "a letter");
        prop_assert!(Phone::parse(&format!("+7701{}", &rest[..6])).is_err(), "too short");
        prop_assert!(Phone::parse(&format!("+7701{rest}5")).is_err(), "too long");
    }

    #[test]
    fn the_phone_parser_never_panics_and_only_returns_canonical_numbers(s in prop_oneof![nasty_text(), "[+0-9 ()\\-.]{0,20}"]) {
        if let Ok(p) = Phone::parse(&s) {
            let canon = p.as_str();
            prop_assert!(canon.len() == 12 && canon.starts_with("+7"));
            prop_assert!(canon[1..].bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(Phone::parse(canon).unwrap(), p.clone());
        }
    }
}

fn point() -> PointId {
    PointId::parse("p1").unwrap()
}

fn record(seq: u64) -> Value {
    let body = EventBody::CampaignModeSet(CampaignModeSet { on: seq % 2 == 0 });
    serde_json::to_value(EventRecord {
        point_id: point(),
        seq,
        id: uuid::Uuid::now_v7(),
        at: Utc::now(),
        actor: "system".into(),
        kind: body.kind().into(),
        version: PAYLOAD_VERSION,
        payload: body.payload(),
    })
    .unwrap()
}

fn decode(bytes: &[u8]) -> Result<usize, (u16, String)> {
    decode_batch(bytes, &point(), BatchLimits { max_events: 50 }, Utc::now())
        .map(|b| b.events.len())
        .map_err(|e| (e.status.as_u16(), e.body.error))
}

/// Any JSON: nested arrays and objects, huge and negative numbers, floats,
/// long strings, and the keys of an event batch so the decoder gets deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        nasty_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        prop::sample::select(vec![
                            "events", "head", "seq", "point_id", "kind", "version", "payload",
                            "id", "at", "actor"
                        ])
                        .prop_map(str::to_string),
                        "[a-z]{1,6}"
                    ],
                    inner
                ),
                0..8
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

const CODES: &[&str] = &[
    "malformed_json",
    "invalid_body",
    "batch_too_large",
    "wrong_point",
    "invalid_event",
    "unsupported_version",
    "unknown_kind",
    "invalid_payload",
    "not_consecutive",
];

proptest! {
    #[test]
    fn any_bytes_get_an_answer_never_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Err((status, code)) = decode(&bytes) {
            prop_assert!(CODES.contains(&code.as_str()), "{}", code);
            prop_assert!((400..500).contains(&status));
        }
    }

    #[test]
    fn any_json_gets_an_answer_never_a_panic(v in any_json(), wrap in any::<bool>()) {
        let v = if wrap { json!({"events": [v], "head": 1}) } else { v };
        if let Err((status, code)) = decode(&serde_json::to_vec(&v).unwrap()) {
            prop_assert!(CODES.contains(&code.as_str()), "{}", code);
            prop_assert!((400..500).contains(&status));
        }
    }

    #[test]
    fn real_events_decode_exactly_when_consecutive(
        start in prop_oneof![
            1u64..1000,
            (u64::MAX - 5)..=u64::MAX,
            (MAX_SEQ - 5)..=(MAX_SEQ + 5),
            any::<u64>()
        ],
        len in 0usize..6,
        swap in any::<bool>(),
        head in prop_oneof![any::<Option<u64>>(), (0u64..100).prop_map(Some)],
    ) {
        let seqs: Vec<u64> = (0..len as u64).map(|i| start.wrapping_add(i)).collect();
        let mut events: Vec<Value> = seqs.iter().map(|&s| record(s)).collect();
        if swap && len >= 2 {
            events.swap(0, 1);
        }
        // what a database can hold: signed 64-bit
        let storable = seqs.iter().all(|&s| s != 0 && s <= MAX_SEQ)
            && head.is_none_or(|h| h <= MAX_SEQ);
        let consecutive = start.checked_add(len.saturating_sub(1) as u64).is_some()
            && !(swap && len >= 2);
        let body = match head {
            Some(h) => json!({"events": events, "head": h}),
            None => json!({"events": events}),
        };
        let got = decode(&serde_json::to_vec(&body).unwrap());
        if consecutive && storable {
            prop_assert_eq!(got, Ok(len));
        } else {
            prop_assert!(got.is_err(), "{:?} decoded", seqs);
        }
    }
}

/// The case the property test found: a batch starting at `u64::MAX - 1`
/// made the decoder overflow (a panic in a debug build, a wrapped number
/// in release). Now refused with a precise code.
#[test]
fn a_batch_at_the_end_of_u64_is_refused_not_overflowed() {
    let body = json!({"events": [record(u64::MAX - 1), record(u64::MAX)]});
    let got = decode(&serde_json::to_vec(&body).unwrap());
    assert_eq!(got, Err((422, "invalid_event".into())));
    let body = json!({"events": [record(MAX_SEQ), record(1)]});
    assert_eq!(
        decode(&serde_json::to_vec(&body).unwrap()),
        Err((422, "not_consecutive".into()))
    );
    let body = json!({"events": [record(1)], "head": u64::MAX});
    assert_eq!(
        decode(&serde_json::to_vec(&body).unwrap()),
        Err((422, "invalid_body".into()))
    );
}
