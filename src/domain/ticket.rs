//! Queue tickets: their numbers, priorities and the moves a ticket may make.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// "Ж-017": the category's prefix and the day's number for that prefix.
/// In JSON it is that text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct TicketNo {
    pub prefix: char,
    pub number: u32,
}

impl TicketNo {
    pub fn new(prefix: char, number: u32) -> Self {
        TicketNo { prefix, number }
    }
}

impl fmt::Display for TicketNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:03}", self.prefix, self.number)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("not a ticket number: {0:?}")]
pub struct BadTicketNo(String);

impl FromStr for TicketNo {
    type Err = BadTicketNo;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadTicketNo(s.to_string());
        let (prefix, number) = s.trim().split_once('-').ok_or_else(bad)?;
        let mut letters = prefix.chars();
        let prefix = match (letters.next(), letters.next()) {
            (Some(c), None) => c.to_uppercase().next().unwrap_or(c),
            _ => return Err(bad()),
        };
        let number = number.parse().map_err(|_| bad())?;
        Ok(TicketNo { prefix, number })
    }
}

impl From<TicketNo> for String {
    fn from(t: TicketNo) -> String {
        t.to_string()
    }
}

impl TryFrom<String> for TicketNo {
    type Error = BadTicketNo;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// The day a ticket belongs to: numbering restarts at local midnight of the
/// point's time zone, not at UTC midnight.
pub fn service_date(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Ordinary,
    Disability,
    Veteran,
    Pregnancy,
    Elderly,
}

impl Priority {
    pub const ALL: [Priority; 5] = [
        Priority::Ordinary,
        Priority::Disability,
        Priority::Veteran,
        Priority::Pregnancy,
        Priority::Elderly,
    ];

    pub fn is_priority(self) -> bool {
        self != Priority::Ordinary
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Ordinary => "ordinary",
            Priority::Disability => "disability",
            Priority::Veteran => "veteran",
            Priority::Pregnancy => "pregnancy",
            Priority::Elderly => "elderly",
        }
    }
}

impl FromStr for Priority {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Priority::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| format!("unknown priority {s:?}"))
    }
}

/// `waiting → called → serving → done`, or `no_show`, `cancelled`, or
/// `closed`: still waiting when the point closed (not served: closed, which
/// is not a no-show).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketState {
    Waiting,
    Called,
    Serving,
    Done,
    NoShow,
    Cancelled,
    Closed,
}

/// What can happen to a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketMove {
    Call,
    Recall,
    StartServing,
    NoShow,
    /// Back into the waiting line, for another category or desk.
    Transfer,
    Finish,
    Cancel,
    /// The point closed while the ticket waited.
    Close,
    /// A no-show brought back into the line the same day (the citizen had
    /// stepped out and came back).
    Return,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {from} ticket cannot be moved by {action:?}")]
pub struct IllegalTicketMove {
    pub from: TicketState,
    pub action: TicketMove,
}

impl TicketState {
    pub const ALL: [TicketState; 7] = [
        TicketState::Waiting,
        TicketState::Called,
        TicketState::Serving,
        TicketState::Done,
        TicketState::NoShow,
        TicketState::Cancelled,
        TicketState::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TicketState::Waiting => "waiting",
            TicketState::Called => "called",
            TicketState::Serving => "serving",
            TicketState::Done => "done",
            TicketState::NoShow => "no_show",
            TicketState::Cancelled => "cancelled",
            TicketState::Closed => "closed",
        }
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            TicketState::Done | TicketState::NoShow | TicketState::Cancelled | TicketState::Closed
        )
    }

    /// The state after `action`, or why it is refused.
    pub fn apply(self, action: TicketMove) -> Result<TicketState, IllegalTicketMove> {
        use TicketMove as M;
        use TicketState as S;
        let next = match (self, action) {
            (S::Waiting, M::Call) => S::Called,
            (S::Called, M::Recall) => S::Called,
            (S::Called, M::StartServing) => S::Serving,
            (S::Called, M::NoShow) => S::NoShow,
            (S::Called | S::Serving, M::Transfer) => S::Waiting,
            (S::Serving, M::Finish) => S::Done,
            (S::Waiting | S::Called, M::Cancel) => S::Cancelled,
            (S::Waiting, M::Close) => S::Closed,
            (S::NoShow, M::Return) => S::Waiting,
            _ => return Err(IllegalTicketMove { from: self, action }),
        };
        Ok(next)
    }
}

impl fmt::Display for TicketState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TicketState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TicketState::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| format!("unknown ticket state {s:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn number_format_and_parse() {
        let t = TicketNo::new('Ж', 17);
        assert_eq!(t.to_string(), "Ж-017");
        assert_eq!("Ж-017".parse::<TicketNo>().unwrap(), t);
        assert_eq!("ж-17".parse::<TicketNo>().unwrap(), t);
        assert_eq!(TicketNo::new('К', 1234).to_string(), "К-1234");
        assert!("ЖК-1".parse::<TicketNo>().is_err());
        assert!("Ж017".parse::<TicketNo>().is_err());
    }

    #[test]
    fn service_day_changes_at_almaty_midnight() {
        let tz: Tz = "Asia/Almaty".parse().unwrap();
        // 18:59:59 UTC is 23:59:59 in Almaty (UTC+5); a second later is the next day
        let before = Utc.with_ymd_and_hms(2026, 3, 1, 18, 59, 59).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 3, 1, 19, 0, 0).unwrap();
        assert_eq!(
            service_date(before, tz),
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
        );
        assert_eq!(
            service_date(after, tz),
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
        );
    }

    #[test]
    fn legal_path() {
        let s = TicketState::Waiting;
        let s = s.apply(TicketMove::Call).unwrap();
        let s = s.apply(TicketMove::Recall).unwrap();
        let s = s.apply(TicketMove::StartServing).unwrap();
        assert_eq!(s.apply(TicketMove::Finish).unwrap(), TicketState::Done);
        assert_eq!(
            TicketState::Called.apply(TicketMove::NoShow).unwrap(),
            TicketState::NoShow
        );
        assert_eq!(
            TicketState::Serving.apply(TicketMove::Transfer).unwrap(),
            TicketState::Waiting
        );
        assert_eq!(
            TicketState::Waiting.apply(TicketMove::Cancel).unwrap(),
            TicketState::Cancelled
        );
    }

    #[test]
    fn every_illegal_move_refused() {
        use TicketMove as M;
        use TicketState as S;
        let legal = [
            (S::Waiting, M::Call),
            (S::Called, M::Recall),
            (S::Called, M::StartServing),
            (S::Called, M::NoShow),
            (S::Called, M::Transfer),
            (S::Serving, M::Transfer),
            (S::Serving, M::Finish),
            (S::Waiting, M::Cancel),
            (S::Called, M::Cancel),
            (S::Waiting, M::Close),
            (S::NoShow, M::Return),
        ];
        let moves = [
            M::Call,
            M::Recall,
            M::StartServing,
            M::NoShow,
            M::Transfer,
            M::Finish,
            M::Cancel,
            M::Close,
            M::Return,
        ];
        let mut refused = 0;
        for from in S::ALL {
            for action in moves {
                let r = from.apply(action);
                if legal.contains(&(from, action)) {
                    assert!(r.is_ok(), "{from:?} {action:?}");
                } else {
                    assert_eq!(r, Err(IllegalTicketMove { from, action }));
                    refused += 1;
                }
            }
        }
        assert_eq!(refused, S::ALL.len() * moves.len() - legal.len());
        // a final state moves no more, but a no-show may come back the
        // same day
        for s in S::ALL.into_iter().filter(|s| s.is_final()) {
            for action in moves {
                if (s, action) != (S::NoShow, M::Return) {
                    assert!(s.apply(action).is_err());
                }
            }
        }
    }
}
