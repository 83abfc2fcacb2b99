//! The rule that makes the point and the region agree on an appeal that
//! both changed while the link was down (docs/SYNC.md, "Both sides agree").
//!
//! Each field group of an appeal (its outcome, whether it is under control,
//! who is responsible, the deadline, the answer given, the body or official
//! it is assigned to) is a register with the [`Stamp`] of the change that
//! set it. A change sets its fields only if its stamp is higher than the
//! field's. Stamps are totally ordered, so applying the same changes in any
//! order, any number of times, leaves the same state on both sides: the
//! history keeps every change, the state keeps the later one.
//!
//! "Later" is the time the change was made where it was made, with the
//! side's own order kept: [`effective_at`] never lets a side's later change
//! (by its own counter) count as earlier than its previous one, whatever its
//! clock did. Ties go to the region (it follows the appeal with the
//! akimat's departments), then to the higher counter.

use super::event::EventBody;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a change was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// At the point (its desk or kiosk): counted by the point's `seq`.
    Point,
    /// At the region (the regional desk, an administrator at the server):
    /// counted by the region's per-point sequence.
    Region,
}

impl Side {
    fn digit(self) -> char {
        match self {
            Side::Point => '0',
            Side::Region => '1',
        }
    }
}

/// When a change counts. Ordered by time, then side, then counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Stamp {
    pub at: DateTime<Utc>,
    pub side: Side,
    /// The point's `seq`, or the region's sequence for this point.
    pub counter: u64,
}

/// The time a change made at `now` counts at, made by someone who saw the
/// field as set at `current`: `None` when `now` is later anyway, else just
/// after `current` (a millisecond, the stamps' grain). So a decision made
/// seeing a point's change wins over it even when that point's clock runs
/// ahead, and a desk whose clock went back does not lose to its own
/// previous change; both sides compute the same from the event.
pub fn seen_after(now: DateTime<Utc>, current: Option<&Stamp>) -> Option<DateTime<Utc>> {
    let ms = |t: DateTime<Utc>| DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t);
    let current = ms(current?.at);
    (ms(now) <= current).then(|| current + chrono::Duration::milliseconds(1))
}

/// The effective time of a side's next change: its own time, but never
/// before the previous change of the same side (`previous`), so a clock set
/// back cannot reorder one side's changes.
pub fn effective_at(at: DateTime<Utc>, previous: Option<DateTime<Utc>>) -> DateTime<Utc> {
    previous.map_or(at, |p| at.max(p))
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a change stamp: {0:?}")]
pub struct BadStamp(pub String);

impl Stamp {
    pub fn new(at: DateTime<Utc>, side: Side, counter: u64) -> Stamp {
        Stamp { at, side, counter }
    }

    /// Text that sorts as the stamps do (fixed width: RFC 3339 UTC with
    /// milliseconds, the side's digit, 20 digits of counter), so SQL on
    /// either backend can compare stamps as strings in byte order.
    pub fn encode(&self) -> String {
        format!(
            "{}/{}/{:020}",
            self.at.to_rfc3339_opts(SecondsFormat::Millis, true),
            self.side.digit(),
            self.counter
        )
    }

    pub fn decode(s: &str) -> Result<Stamp, BadStamp> {
        let bad = || BadStamp(s.to_string());
        let mut parts = s.split('/');
        let (at, side, counter) = (
            parts.next().ok_or_else(bad)?,
            parts.next().ok_or_else(bad)?,
            parts.next().ok_or_else(bad)?,
        );
        if parts.next().is_some() || counter.len() != 20 {
            return Err(bad());
        }
        let at = DateTime::parse_from_rfc3339(at)
            .map_err(|_| bad())?
            .with_timezone(&Utc);
        let side = match side {
            "0" => Side::Point,
            "1" => Side::Region,
            _ => return Err(bad()),
        };
        Ok(Stamp {
            at,
            side,
            counter: counter.parse().map_err(|_| bad())?,
        })
    }

    /// Whether a change with this stamp replaces a field set at `current`
    /// (`None`: never set).
    pub fn wins_over(&self, current: Option<&Stamp>) -> bool {
        current.is_none_or(|c| self > c)
    }
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

/// The registers of an appeal's state. A change sets some of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The outcome, with the body it was redirected to and when it closed.
    Outcome,
    UnderControl,
    Responsible,
    Deadline,
    /// The answer given to the citizen.
    Answer,
    /// The state body or official the appeal is assigned to.
    Assignee,
}

impl Field {
    pub const ALL: &'static [Field] = &[
        Field::Outcome,
        Field::UnderControl,
        Field::Responsible,
        Field::Deadline,
        Field::Answer,
        Field::Assignee,
    ];
}

/// The fields an event sets on its appeal. Recording an appeal sets every
/// field (its first state); a follow-up sets none (it is history only).
pub fn fields_set_by(body: &EventBody) -> &'static [Field] {
    match body {
        EventBody::AppealRecorded(_) => Field::ALL,
        EventBody::AppealOutcomeSet(_) => &[Field::Outcome],
        EventBody::AppealControlSet(_) => {
            &[Field::UnderControl, Field::Responsible, Field::Deadline]
        }
        EventBody::AppealDeadlineExtended(_) => &[Field::Deadline],
        _ => &[],
    }
}

/// Whether a point's change (its `seq`) and a region's change were made
/// without either knowing of the other: the region decided knowing the
/// point's events up to `based_on` (what the server held), and the point
/// applied the region's change at its own `echo` seq (`None`: not yet).
/// Such an appeal is "changed on both sides", whichever change won.
pub fn concurrent(point_seq: u64, based_on: u64, echo: Option<u64>) -> bool {
    point_seq > based_on && echo.is_none_or(|e| point_seq < e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_780_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn stamps_order_by_time_then_side_then_counter() {
        let p = Stamp::new(t(10), Side::Point, 7);
        assert!(Stamp::new(t(11), Side::Point, 1) > p);
        // a tie in time goes to the region
        assert!(Stamp::new(t(10), Side::Region, 1) > p);
        assert!(Stamp::new(t(10), Side::Point, 8) > p);
        assert!(p.wins_over(None));
        assert!(
            !p.wins_over(Some(&p)),
            "the same change twice is applied once"
        );
    }

    #[test]
    fn encoded_stamps_sort_as_stamps_and_read_back() {
        let stamps = [
            Stamp::new(t(5), Side::Region, 3),
            Stamp::new(t(5), Side::Point, 900),
            Stamp::new(t(4), Side::Region, 10_000),
            Stamp::new(t(5), Side::Point, 12),
            Stamp::new(t(60 * 60 * 24 * 400), Side::Point, 1),
        ];
        let mut by_stamp = stamps.to_vec();
        by_stamp.sort();
        let mut by_text = stamps.to_vec();
        by_text.sort_by_key(Stamp::encode);
        assert_eq!(by_stamp, by_text);
        for s in stamps {
            assert_eq!(Stamp::decode(&s.encode()), Ok(s));
        }
        for bad in [
            "",
            "x/0/1",
            "2026-01-01T00:00:00.000Z/2/00000000000000000001",
        ] {
            assert!(Stamp::decode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_change_made_seeing_another_counts_after_it() {
        let current = Stamp::new(t(10), Side::Region, 4);
        assert_eq!(
            seen_after(t(11), Some(&current)),
            None,
            "the clock is later"
        );
        let at = seen_after(t(9), Some(&current)).expect("a clock behind");
        assert!(Stamp::new(at, Side::Point, 1) > current);
        let at = seen_after(t(10), Some(&current)).expect("the same millisecond");
        assert!(Stamp::new(at, Side::Point, 1) > current);
        assert_eq!(seen_after(t(1), None), None);
    }

    #[test]
    fn a_clock_set_back_does_not_reorder_a_side() {
        assert_eq!(effective_at(t(5), Some(t(9))), t(9));
        assert_eq!(effective_at(t(12), Some(t(9))), t(12));
        assert_eq!(effective_at(t(3), None), t(3));
    }

    #[test]
    fn concurrency_is_what_neither_side_saw() {
        // the region decided knowing seq 10; the point applied it at seq 15
        assert!(!concurrent(9, 10, Some(15)), "the region saw it");
        assert!(concurrent(12, 10, Some(15)), "made between: neither saw");
        assert!(!concurrent(16, 10, Some(15)), "the point saw the decision");
        assert!(concurrent(12, 10, None), "not applied at the point yet");
    }

    /// One change: which register, its stamp, the value it writes.
    #[derive(Debug, Clone)]
    struct Change {
        field: Field,
        stamp: Stamp,
        value: u32,
    }

    fn apply(state: &mut BTreeMap<Field, (Stamp, u32)>, c: &Change) {
        let current = state.get(&c.field).map(|(s, _)| s);
        if c.stamp.wins_over(current) {
            state.insert(c.field, (c.stamp, c.value));
        }
    }

    fn changes() -> impl Strategy<Value = Vec<Change>> {
        // each side numbers its own changes 1, 2, 3, ...; times may repeat
        // and run backwards, as clocks do
        prop::collection::vec(
            (0..Field::ALL.len(), 0i64..20, any::<bool>(), any::<u32>()),
            1..40,
        )
        .prop_map(|raw| {
            let (mut point, mut region) = (0, 0);
            raw.into_iter()
                .map(|(f, secs, at_region, value)| {
                    let (side, counter) = if at_region {
                        region += 1;
                        (Side::Region, region)
                    } else {
                        point += 1;
                        (Side::Point, point)
                    };
                    Change {
                        field: Field::ALL[f],
                        stamp: Stamp::new(t(secs), side, counter),
                        value,
                    }
                })
                .collect()
        })
    }

    proptest! {
        /// Any order, with resends: one state.
        #[test]
        fn both_sides_converge(
            (changes, mut other) in changes().prop_flat_map(|c| (Just(c.clone()), Just(c).prop_shuffle())),
            resend in prop::collection::vec(any::<prop::sample::Index>(), 0..10),
        ) {
            let mut in_order = BTreeMap::new();
            for c in &changes {
                apply(&mut in_order, c);
            }
            for r in &resend {
                other.push(changes[r.index(changes.len())].clone());
            }
            let mut shuffled = BTreeMap::new();
            for c in &other {
                apply(&mut shuffled, c);
            }
            prop_assert_eq!(in_order, shuffled);
        }
    }
}
