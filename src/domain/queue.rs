//! The order of the waiting line and the wait a newcomer can expect.

use super::category::CategoryId;
use super::event::DeskNo;
use super::ticket::Priority;
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;

/// A point's waiting limits: one for every topic, and a topic's own where
/// the config gives one (`[queue] wait_limit_minutes`, `wait_limits`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WaitLimits {
    pub minutes: u32,
    pub by_category: BTreeMap<CategoryId, u32>,
}

impl WaitLimits {
    /// The same limit for every topic.
    pub fn uniform(minutes: u32) -> WaitLimits {
        WaitLimits {
            minutes,
            by_category: BTreeMap::new(),
        }
    }

    pub fn minutes_of(&self, category: &CategoryId) -> u32 {
        self.by_category
            .get(category)
            .copied()
            .unwrap_or(self.minutes)
    }

    pub fn of(&self, category: &CategoryId) -> Duration {
        Duration::minutes(i64::from(self.minutes_of(category)))
    }

    /// `legal:15,housing:20`, as a report request carries the topics' own
    /// limits; empty: none.
    pub fn categories_text(&self) -> String {
        self.by_category
            .iter()
            .map(|(c, m)| format!("{}:{m}", c.as_str()))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The topics' own limits from `categories_text`'s form.
    pub fn parse_categories(text: &str) -> Result<BTreeMap<CategoryId, u32>, String> {
        text.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (c, m) = pair
                    .split_once(':')
                    .ok_or_else(|| format!("{pair:?}: expected topic:minutes"))?;
                let m: u32 = m
                    .trim()
                    .parse()
                    .map_err(|_| format!("{pair:?}: minutes must be a whole number"))?;
                let c = c.trim();
                if c.is_empty() || c.len() > 64 {
                    return Err(format!("{pair:?}: no topic"));
                }
                Ok((CategoryId::new(c), m))
            })
            .collect()
    }
}

/// What the ordering needs to know of a waiting ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting<Id> {
    pub id: Id,
    pub category: CategoryId,
    pub priority: Priority,
    pub taken_at: DateTime<Utc>,
    /// Sent by a transfer to one desk only.
    pub target_desk: Option<DeskNo>,
}

/// Priority tickets go first, but an ordinary ticket that has waited longer
/// than its topic's limit counts as a priority one from then on: it goes before
/// priority tickets taken after it, never before those taken earlier.
/// Within a class, first come, first served.
pub fn order<Id: Clone>(
    waiting: &[Waiting<Id>],
    now: DateTime<Utc>,
    limits: &WaitLimits,
) -> Vec<Waiting<Id>> {
    let mut line = waiting.to_vec();
    line.sort_by_key(|t| {
        let urgent =
            t.priority.is_priority() || over_limit(t.taken_at, now, limits.of(&t.category));
        (!urgent, t.taken_at)
    });
    line
}

/// Whether a ticket taken at `taken_at` has waited longer than the limit
/// at `now`: it is marked on every desk's line, the supervisor's view and
/// the regional board, and counted in the report.
pub fn over_limit(taken_at: DateTime<Utc>, now: DateTime<Utc>, wait_limit: Duration) -> bool {
    now - taken_at > wait_limit
}

/// The tickets of `waiting` past their topic's limit, with the whole minutes each
/// has waited, the longest wait first.
pub fn long_waits<Id: Clone>(
    waiting: &[Waiting<Id>],
    now: DateTime<Utc>,
    limits: &WaitLimits,
) -> Vec<(Id, u32)> {
    let mut out: Vec<(Id, u32, DateTime<Utc>)> = waiting
        .iter()
        .filter(|t| over_limit(t.taken_at, now, limits.of(&t.category)))
        .map(|t| {
            let minutes = (now - t.taken_at).num_minutes().max(0) as u32;
            (t.id.clone(), minutes, t.taken_at)
        })
        .collect();
    out.sort_by_key(|(_, _, taken)| *taken);
    out.into_iter().map(|(id, m, _)| (id, m)).collect()
}

/// The line as one desk sees it: tickets of the categories it serves
/// (all, when `categories` is empty), and tickets transferred to it by
/// number; tickets transferred to another desk are not its to call.
pub fn for_desk<Id: Clone>(
    waiting: &[Waiting<Id>],
    desk: DeskNo,
    categories: &[CategoryId],
    now: DateTime<Utc>,
    limits: &WaitLimits,
) -> Vec<Waiting<Id>> {
    let mine: Vec<Waiting<Id>> = waiting
        .iter()
        .filter(|t| match t.target_desk {
            Some(d) => d == desk,
            None => categories.is_empty() || categories.contains(&t.category),
        })
        .cloned()
        .collect();
    order(&mine, now, limits)
}

/// Minutes a newcomer will wait with `ahead` people before them, served by
/// `desks` desks taking `service_minutes` each. Rounded up: a kiosk should
/// not promise less than it can keep.
pub fn estimate_wait_minutes(ahead: usize, desks: usize, service_minutes: f64) -> u32 {
    let desks = desks.max(1) as f64;
    ((ahead as f64) * service_minutes.max(0.0) / desks).ceil() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap()
    }

    fn t(id: u32, cat: &str, p: Priority, taken: DateTime<Utc>) -> Waiting<u32> {
        Waiting {
            id,
            category: CategoryId::new(cat),
            priority: p,
            taken_at: taken,
            target_desk: None,
        }
    }

    fn ids(line: &[Waiting<u32>]) -> Vec<u32> {
        line.iter().map(|t| t.id).collect()
    }

    #[test]
    fn priority_first_then_first_come() {
        let line = [
            t(1, "housing", Priority::Ordinary, at(9, 0)),
            t(2, "housing", Priority::Veteran, at(9, 5)),
            t(3, "housing", Priority::Ordinary, at(9, 6)),
            t(4, "housing", Priority::Pregnancy, at(9, 7)),
        ];
        assert_eq!(
            ids(&order(&line, at(9, 10), &WaitLimits::uniform(30))),
            [2, 4, 1, 3]
        );
    }

    #[test]
    fn long_wait_goes_before_newer_priority_only() {
        let line = [
            t(1, "housing", Priority::Disability, at(8, 50)),
            t(2, "housing", Priority::Ordinary, at(9, 0)),
            t(3, "housing", Priority::Elderly, at(9, 20)),
            t(4, "housing", Priority::Ordinary, at(9, 25)),
        ];
        // at 9:31 ticket 2 has waited 31 minutes (> 30)
        assert_eq!(
            ids(&order(&line, at(9, 31), &WaitLimits::uniform(30))),
            [1, 2, 3, 4]
        );
        // at 9:29 it has not
        assert_eq!(
            ids(&order(&line, at(9, 29), &WaitLimits::uniform(30))),
            [1, 3, 2, 4]
        );
    }

    #[test]
    fn desk_sees_its_categories_and_its_transfers() {
        let mut line = vec![
            t(1, "housing", Priority::Ordinary, at(9, 0)),
            t(2, "labour", Priority::Ordinary, at(9, 1)),
            t(3, "labour", Priority::Ordinary, at(9, 2)),
            t(4, "health", Priority::Ordinary, at(9, 3)),
        ];
        line[2].target_desk = Some(1); // labour ticket sent to desk 1
        line[3].target_desk = Some(2); // health ticket sent to desk 2
        let housing = [CategoryId::new("housing")];
        assert_eq!(
            ids(&for_desk(
                &line,
                1,
                &housing,
                at(9, 5),
                &WaitLimits::uniform(30)
            )),
            [1, 3]
        );
        assert_eq!(
            ids(&for_desk(
                &line,
                2,
                &housing,
                at(9, 5),
                &WaitLimits::uniform(30)
            )),
            [1, 4]
        );
        assert_eq!(
            ids(&for_desk(&line, 3, &[], at(9, 5), &WaitLimits::uniform(30))),
            [1, 2]
        );
    }

    #[test]
    fn wait_estimate() {
        assert_eq!(estimate_wait_minutes(0, 2, 10.0), 0);
        assert_eq!(estimate_wait_minutes(3, 2, 10.0), 15);
        assert_eq!(estimate_wait_minutes(1, 0, 7.5), 8);
    }

    #[test]
    fn a_topic_with_its_own_limit_is_past_it_sooner() {
        let mut limits = WaitLimits::uniform(30);
        limits.by_category.insert(CategoryId::new("legal"), 15);
        let line = [
            t(1, "housing", Priority::Ordinary, at(9, 0)),
            t(2, "legal", Priority::Ordinary, at(9, 0)),
            t(3, "housing", Priority::Elderly, at(9, 10)),
        ];
        // at 9:20 the legal ticket (20 min, limit 15) is past its limit,
        // the housing one (20 min, limit 30) is not
        assert_eq!(long_waits(&line, at(9, 20), &limits), [(2, 20)]);
        assert_eq!(ids(&order(&line, at(9, 20), &limits)), [2, 3, 1]);
        assert!(long_waits(&line, at(9, 20), &WaitLimits::uniform(30)).is_empty());
        // the longest wait first, each with its minutes
        assert_eq!(
            long_waits(&line, at(9, 45), &limits),
            [(1, 45), (2, 45), (3, 35)]
        );
    }

    #[test]
    fn the_topics_limits_go_through_a_request_and_back() {
        let mut limits = WaitLimits::uniform(30);
        limits.by_category.insert(CategoryId::new("legal"), 15);
        limits.by_category.insert(CategoryId::new("housing"), 45);
        let text = limits.categories_text();
        assert_eq!(text, "housing:45,legal:15");
        assert_eq!(
            WaitLimits::parse_categories(&text).unwrap(),
            limits.by_category
        );
        assert!(WaitLimits::parse_categories("").unwrap().is_empty());
        for bad in ["legal", "legal:x", ":5", "legal:-1"] {
            assert!(WaitLimits::parse_categories(bad).is_err(), "{bad}");
        }
    }
}
