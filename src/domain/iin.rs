//! Individual identification number (ЖСН / ИИН): 12 digits carrying the
//! birth date, a century-and-sex digit and a check digit.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A checked IIN. Only `Iin::parse` makes one, so holding an `Iin` means the
/// number passed every check.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iin(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IinError {
    #[error("an IIN has 12 digits, this has {0}")]
    WrongLength(usize),
    #[error("an IIN has only digits")]
    NotDigits,
    #[error("the 7th digit must be 1 to 6 (century and sex)")]
    BadCenturyDigit,
    #[error("the first six digits are not a birth date")]
    BadBirthDate,
    #[error("the check digit does not match")]
    BadCheckDigit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

const SECOND_WEIGHTS: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

impl Iin {
    /// Accepts the digits with spaces or dashes between them, as people type them.
    pub fn parse(input: &str) -> Result<Self, IinError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if !compact.chars().all(|c| c.is_ascii_digit()) {
            return Err(IinError::NotDigits);
        }
        let len = compact.chars().count();
        if len != 12 {
            return Err(IinError::WrongLength(len));
        }
        let d: Vec<u32> = compact.bytes().map(|b| u32::from(b - b'0')).collect();
        birth_date(&d)?;
        if check_digit(&d).ok_or(IinError::BadCheckDigit)? != d[11] {
            return Err(IinError::BadCheckDigit);
        }
        Ok(Iin(compact))
    }

    /// Completes eleven digits with their check digit, when one exists (for
    /// demo data and tests; real numbers are typed, not made).
    pub fn complete(first11: &str) -> Option<Iin> {
        if first11.len() != 11 || !first11.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let d: Vec<u32> = first11.bytes().map(|b| u32::from(b - b'0')).collect();
        let c = check_digit(&d)?;
        Iin::parse(&format!("{first11}{c}")).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        let d: Vec<u32> = self.0.bytes().map(|b| u32::from(b - b'0')).collect();
        birth_date(&d).expect("checked when parsed")
    }

    pub fn sex(&self) -> Sex {
        if (self.0.as_bytes()[6] - b'0') % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }
}

fn birth_date(d: &[u32]) -> Result<NaiveDate, IinError> {
    let century = match d[6] {
        1 | 2 => 1800,
        3 | 4 => 1900,
        5 | 6 => 2000,
        _ => return Err(IinError::BadCenturyDigit),
    };
    let year = century + (d[0] * 10 + d[1]) as i32;
    let month = d[2] * 10 + d[3];
    let day = d[4] * 10 + d[5];
    NaiveDate::from_ymd_opt(year, month, day).ok_or(IinError::BadBirthDate)
}

/// The check digit, or `None` when both weight sequences give 10 (such a
/// number is never issued).
fn check_digit(d: &[u32]) -> Option<u32> {
    let first: u32 = d[..11].iter().zip(1..).map(|(x, w)| x * w).sum::<u32>() % 11;
    if first != 10 {
        return Some(first);
    }
    let second: u32 = d[..11]
        .iter()
        .zip(SECOND_WEIGHTS)
        .map(|(x, w)| x * w)
        .sum::<u32>()
        % 11;
    (second != 10).then_some(second)
}

impl fmt::Display for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Iin {
    type Error = IinError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Iin::parse(&s)
    }
}

impl From<Iin> for String {
    fn from(i: Iin) -> String {
        i.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Completes eleven digits with the check digit, if one exists.
    fn with_check(first11: &str) -> Option<String> {
        let d: Vec<u32> = first11.bytes().map(|b| u32::from(b - b'0')).collect();
        check_digit(&d).map(|c| format!("{first11}{c}"))
    }

    #[test]
    fn known_valid_number() {
        let iin = Iin::parse("791028302728").unwrap();
        assert_eq!(
            iin.birth_date(),
            NaiveDate::from_ymd_opt(1979, 10, 28).unwrap()
        );
        assert_eq!(iin.sex(), Sex::Male);
    }

    #[test]
    fn spaces_and_dashes_are_ignored() {
        assert_eq!(
            Iin::parse(" 791028 302728 ").unwrap().as_str(),
            "791028302728"
        );
        assert!(Iin::parse("791028-302728").is_ok());
    }

    #[test]
    fn wrong_check_digit() {
        assert_eq!(Iin::parse("791028302729"), Err(IinError::BadCheckDigit));
    }

    #[test]
    fn wrong_length_and_letters() {
        assert_eq!(Iin::parse("79102830272"), Err(IinError::WrongLength(11)));
        assert_eq!(Iin::parse("7910283027281"), Err(IinError::WrongLength(13)));
        assert_eq!(Iin::parse(""), Err(IinError::WrongLength(0)));
        assert_eq!(Iin::parse("79102830272a"), Err(IinError::NotDigits));
        assert_eq!(
            Iin::parse("７９１０２８３０２７２８"),
            Err(IinError::NotDigits)
        );
    }

    #[test]
    fn bad_dates() {
        // 31 February, month 13, day 00: check digit made right so only the date fails
        for stem in ["7902313027", "7913013027", "7910003027"] {
            let n = (0..10)
                .find_map(|s| with_check(&format!("{stem}{s}")))
                .unwrap();
            assert_eq!(Iin::parse(&n), Err(IinError::BadBirthDate), "{n}");
        }
    }

    #[test]
    fn century_digit() {
        for bad in ['0', '7', '8', '9'] {
            let n = (0..100u32)
                .find_map(|s| with_check(&format!("791028{bad}{s:04}")))
                .unwrap();
            assert_eq!(Iin::parse(&n), Err(IinError::BadCenturyDigit), "{n}");
        }
        let women_2000s = (0..100u32)
            .find_map(|s| with_check(&format!("0503146{s:04}")))
            .unwrap();
        let iin = Iin::parse(&women_2000s).unwrap();
        assert_eq!(
            iin.birth_date(),
            NaiveDate::from_ymd_opt(2005, 3, 14).unwrap()
        );
        assert_eq!(iin.sex(), Sex::Female);
    }

    #[test]
    fn second_weights_used_when_first_sum_is_ten() {
        // Search the serials of one birth date for numbers whose first sum is 10.
        let mut seen_second = false;
        let mut seen_invalid = false;
        for serial in 0..10_000u32 {
            let stem = format!("7910283{serial:04}");
            let d: Vec<u32> = stem.bytes().map(|b| u32::from(b - b'0')).collect();
            let first: u32 = d.iter().zip(1..).map(|(x, w)| x * w).sum::<u32>() % 11;
            if first != 10 {
                continue;
            }
            match with_check(&stem) {
                Some(n) => {
                    seen_second = true;
                    assert!(Iin::parse(&n).is_ok(), "{n}");
                }
                None => {
                    seen_invalid = true;
                    // 10 in both passes: no twelfth digit makes it valid
                    for c in 0..10 {
                        assert_eq!(
                            Iin::parse(&format!("{stem}{c}")),
                            Err(IinError::BadCheckDigit)
                        );
                    }
                }
            }
        }
        assert!(seen_second && seen_invalid);
    }
}
