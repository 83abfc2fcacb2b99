//! Problems in words, in the citizen's language. Never an error code.

use super::super::step::Problem;
use crate::app::hours::NoTicket;
use crate::domain::Lang;
use crate::domain::phone::PhoneError;
use crate::tr;

pub fn text(p: Problem, lang: Lang) -> String {
    match p {
        Problem::Required => tr!(lang, "kiosk-error-required"),
        Problem::TooLong { max, len } => tr!(
            lang,
            "kiosk-error-too-long",
            max = max as i64,
            len = len as i64
        ),
        Problem::Phone(PhoneError::BadCharacters) => tr!(lang, "kiosk-error-phone-chars"),
        Problem::Phone(PhoneError::TooShort { digits }) => {
            tr!(lang, "kiosk-error-phone-short", count = digits)
        }
        Problem::Phone(PhoneError::TooLong { digits }) => {
            tr!(lang, "kiosk-error-phone-long", count = digits)
        }
        Problem::Phone(PhoneError::NotKazakhstan) => tr!(lang, "kiosk-error-phone-country"),
        Problem::DiskFull => tr!(lang, "error-disk-full"),
        Problem::Busy => tr!(lang, "error-busy"),
        Problem::Internal => tr!(lang, "error-internal"),
        Problem::Campaign => tr!(lang, "kiosk-error-campaign"),
        Problem::NoTicket(n) => {
            let (first, back) = match n {
                NoTicket::Closed { back } => (tr!(lang, "kiosk-no-tickets-closed"), back),
                NoTicket::DailyLimit { back } => (tr!(lang, "kiosk-no-tickets-limit"), back),
            };
            let when = match back {
                Some(at) => tr!(
                    lang,
                    "kiosk-come-back",
                    date = at.format("%d.%m.%Y").to_string(),
                    time = at.format("%H:%M").to_string()
                ),
                None => String::new(),
            };
            [first, when, tr!(lang, "kiosk-appeals-still-taken")]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        }
        Problem::WrongPin { left } => tr!(lang, "kiosk-exit-wrong-pin", left = left as i64),
        Problem::PinLocked => tr!(lang, "kiosk-exit-locked"),
        Problem::NoExitPin => tr!(lang, "kiosk-exit-no-pin"),
    }
}
