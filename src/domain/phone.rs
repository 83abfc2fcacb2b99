//! Kazakhstan phone numbers, kept in one form: `+7` and ten digits.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("a phone number has digits, spaces, dashes, brackets and a leading +")]
    BadCharacters,
    /// Fewer digits than a number has: `digits` typed in all.
    #[error("a phone number has 10 digits after +7 or 8 ({digits} typed: too few)")]
    TooShort { digits: usize },
    /// More digits than a number has (an extra digit typed, say).
    #[error("a phone number has 10 digits after +7 or 8 ({digits} typed: too many)")]
    TooLong { digits: usize },
    #[error("not a Kazakhstan number")]
    NotKazakhstan,
}

/// Operator codes of Kazakhstan mobile networks (after the country code 7).
const MOBILE_CODES: &[&str] = &[
    "700", "701", "702", "705", "706", "707", "708", "747", "760", "761", "762", "763", "764",
    "771", "775", "776", "777", "778", "785",
];

impl Phone {
    /// Accepts `+7 701 123 45 67`, `8 (701) 123-45-67`, `87011234567`,
    /// `77011234567` and the bare ten digits `7011234567`.
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let trimmed = input.trim();
        let mut digits = String::with_capacity(12);
        for (i, c) in trimmed.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => {}
                ' ' | '-' | '(' | ')' | '.' => {}
                _ => return Err(PhoneError::BadCharacters),
            }
        }
        let national = match digits.len() {
            10 => digits.as_str(),
            11 if trimmed.starts_with('+') && digits.starts_with('7') => &digits[1..],
            11 if !trimmed.starts_with('+')
                && (digits.starts_with('8') || digits.starts_with('7')) =>
            {
                &digits[1..]
            }
            11 if trimmed.starts_with('+') => return Err(PhoneError::NotKazakhstan),
            n if n < 10 => return Err(PhoneError::TooShort { digits: n }),
            n => return Err(PhoneError::TooLong { digits: n }),
        };
        if !is_kazakhstan(national) {
            return Err(PhoneError::NotKazakhstan);
        }
        Ok(Phone(format!("+7{national}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_mobile(&self) -> bool {
        MOBILE_CODES.contains(&&self.0[2..5])
    }
}

/// Mobile operator codes, or a landline area code (71x, 72x). Numbers under
/// +7 that start otherwise belong to Russia.
fn is_kazakhstan(national: &str) -> bool {
    MOBILE_CODES.contains(&&national[..3])
        || national.starts_with("71")
        || national.starts_with("72")
}

impl fmt::Display for Phone {
    /// `+7 701 123 45 67`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = &self.0[2..];
        write!(f, "+7 {} {} {} {}", &n[..3], &n[3..6], &n[6..8], &n[8..])
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Phone::parse(&s)
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_forms_normalise_to_plus_seven() {
        for input in [
            "+7 701 123 45 67",
            "+77011234567",
            "8 (701) 123-45-67",
            "87011234567",
            "77011234567",
            "7011234567",
            "  8-701-123-45-67 ",
        ] {
            assert_eq!(
                Phone::parse(input).unwrap().as_str(),
                "+77011234567",
                "{input}"
            );
        }
    }

    #[test]
    fn display_groups_digits() {
        assert_eq!(
            Phone::parse("87471234567").unwrap().to_string(),
            "+7 747 123 45 67"
        );
    }

    #[test]
    fn landlines_are_kazakhstan() {
        let astana = Phone::parse("8 7172 55 66 77").unwrap();
        assert_eq!(astana.as_str(), "+77172556677");
        assert!(!astana.is_mobile());
        assert!(Phone::parse("+7 727 250 00 00").is_ok());
    }

    #[test]
    fn russian_and_foreign_numbers_refused() {
        assert_eq!(
            Phone::parse("+7 916 123 45 67"),
            Err(PhoneError::NotKazakhstan)
        );
        assert_eq!(
            Phone::parse("8 495 123 45 67"),
            Err(PhoneError::NotKazakhstan)
        );
        assert_eq!(
            Phone::parse("+1 202 555 0100"),
            Err(PhoneError::NotKazakhstan)
        );
        assert_eq!(
            Phone::parse("+99 701 123 45 67"),
            Err(PhoneError::TooLong { digits: 12 })
        );
        assert_eq!(
            Phone::parse("+8 701 123 45 67"),
            Err(PhoneError::NotKazakhstan)
        );
    }

    #[test]
    fn garbage_refused() {
        assert_eq!(
            Phone::parse("701 12 34"),
            Err(PhoneError::TooShort { digits: 7 })
        );
        assert_eq!(
            Phone::parse("70112345678901"),
            Err(PhoneError::TooLong { digits: 14 })
        );
        // one digit too many is not "incomplete"
        assert_eq!(
            Phone::parse("8 701 123 45 677"),
            Err(PhoneError::TooLong { digits: 12 })
        );
        assert_eq!(Phone::parse("701-ABC-4567"), Err(PhoneError::BadCharacters));
        assert_eq!(Phone::parse("7+011234567"), Err(PhoneError::BadCharacters));
        assert_eq!(Phone::parse(""), Err(PhoneError::TooShort { digits: 0 }));
    }

    #[test]
    fn every_mobile_code_accepted() {
        for code in MOBILE_CODES {
            let p = Phone::parse(&format!("8{code}1234567")).unwrap();
            assert!(p.is_mobile());
        }
    }
}
