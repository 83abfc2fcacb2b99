//! Appeals: what a citizen asks or proposes, and what became of it.

use super::iin::Iin;
use super::phone::Phone;
use super::text::{PersonName, ShortText};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(concat!("unknown ", stringify!($name), " {:?}"), s)),
                }
            }
        }
    };
}

string_enum!(
    AppealKind {
        Complaint = "complaint",
        Request = "request",
        Proposal = "proposal",
        Consultation = "consultation",
        Gratitude = "gratitude",
    }
);

string_enum!(
    /// How the appeal reached the point.
    Channel {
        WalkIn = "walk_in",
        OnSite = "on_site",
        Mobile = "mobile",
        Phone = "phone",
        Email = "email",
        Messenger = "messenger",
    }
);

string_enum!(
    /// The state of an appeal, as the offices report it.
    Outcome {
        Registered = "registered",
        UnderConsideration = "under_consideration",
        ResolvedPositive = "resolved_positive",
        Consulted = "consulted",
        Redirected = "redirected",
        Declined = "declined",
        Withdrawn = "withdrawn",
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OutcomeError {
    #[error("an appeal cannot go from {from} to {to}")]
    Illegal { from: Outcome, to: Outcome },
    #[error("a redirected appeal names the state body it went to")]
    MissingBody,
}

impl Outcome {
    /// Closed outcomes end the work on an appeal; reopening one puts it back
    /// under consideration (a citizen came back, the answer was wrong).
    pub fn is_closed(self) -> bool {
        !matches!(self, Outcome::Registered | Outcome::UnderConsideration)
    }

    /// Checks a change of outcome. `body` is the state body for `Redirected`.
    pub fn change_to(self, to: Outcome, body: Option<&ShortText>) -> Result<Outcome, OutcomeError> {
        let legal = match (self, to) {
            (_, Outcome::Registered) => false,
            (from, to) if from == to => false,
            (Outcome::Registered | Outcome::UnderConsideration, _) => true,
            (closed, Outcome::UnderConsideration) => closed.is_closed(),
            _ => false,
        };
        if !legal {
            return Err(OutcomeError::Illegal { from: self, to });
        }
        if to == Outcome::Redirected && body.is_none() {
            return Err(OutcomeError::MissingBody);
        }
        Ok(to)
    }
}

/// Who brought the appeal. Stored only with consent to the processing of
/// personal data; without it the appeal is kept anonymous.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citizen {
    pub name: PersonName,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iin: Option<Iin>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement: Option<ShortText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workplace: Option<ShortText>,
}

/// An appeal's registration number: the year and the point's running number
/// within it, shown as "2026-00042".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AppealNo {
    pub year: i32,
    pub number: u32,
}

impl fmt::Display for AppealNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:05}", self.year, self.number)
    }
}

impl FromStr for AppealNo {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("not an appeal number: {s:?}");
        let (y, n) = s.trim().split_once('-').ok_or_else(bad)?;
        Ok(AppealNo {
            year: y.parse().map_err(|_| bad())?,
            number: n.parse().map_err(|_| bad())?,
        })
    }
}

impl From<AppealNo> for String {
    fn from(n: AppealNo) -> String {
        n.to_string()
    }
}

impl TryFrom<String> for AppealNo {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> ShortText {
        ShortText::parse("Управление жилищной инспекции").unwrap()
    }

    #[test]
    fn every_outcome_transition() {
        use Outcome as O;
        for &from in O::ALL {
            for &to in O::ALL {
                let r = from.change_to(to, Some(&body()));
                let expected = to != O::Registered
                    && from != to
                    && (!from.is_closed() || to == O::UnderConsideration);
                assert_eq!(r.is_ok(), expected, "{from} -> {to}");
                if !expected {
                    assert_eq!(r, Err(OutcomeError::Illegal { from, to }));
                }
            }
        }
    }

    #[test]
    fn closed_outcomes_only_reopen() {
        assert!(
            Outcome::ResolvedPositive
                .change_to(Outcome::Declined, None)
                .is_err()
        );
        assert_eq!(
            Outcome::Declined.change_to(Outcome::UnderConsideration, None),
            Ok(Outcome::UnderConsideration)
        );
    }

    #[test]
    fn redirect_needs_a_body() {
        assert_eq!(
            Outcome::Registered.change_to(Outcome::Redirected, None),
            Err(OutcomeError::MissingBody)
        );
        assert!(
            Outcome::Registered
                .change_to(Outcome::Redirected, Some(&body()))
                .is_ok()
        );
    }

    #[test]
    fn full_number_names_the_point() {
        let here = super::super::point::PointId::parse("akm-01").unwrap();
        let n = crate::domain::FullAppealNo::parse_at(" 2026-00042 ", &here).unwrap();
        assert_eq!(n.to_string(), "akm-01/2026-00042");
        let other = crate::domain::FullAppealNo::parse_at("krg-07/2026-00042", &here).unwrap();
        assert_eq!(other.point.as_str(), "krg-07");
        assert_ne!(n, other);
        for bad in ["", "42", "akm-01/", "a b/2026-00001", "2026-0", "2026-x"] {
            assert!(
                crate::domain::FullAppealNo::parse_at(bad, &here).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn names_round_trip() {
        for &c in Channel::ALL {
            assert_eq!(c.as_str().parse::<Channel>().unwrap(), c);
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{c}\""));
        }
        assert_eq!(
            "2026-00042".parse::<AppealNo>().unwrap().to_string(),
            "2026-00042"
        );
    }
}
