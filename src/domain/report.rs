//! The figures reception offices publish, computed from plain facts so that
//! a point and the regional server, given the same history, agree. Each
//! figure is defined in `docs/REPORTS.md`; the names here are the ones used
//! there.

use super::appeal::{AppealKind, Channel, Outcome};
use super::category::CategoryId;
use super::event::{DeskNo, SessionKind};
use super::queue::WaitLimits;
use super::ticket::TicketState;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Local dates `from..=to` in the point's time zone; `start`/`end` are the
/// same period in UTC (`end` exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[serde(skip)]
    pub start: DateTime<Utc>,
    #[serde(skip)]
    pub end: DateTime<Utc>,
}

/// A period that ends before it starts, or past the calendar's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the period ends ({to}) before it starts ({from})")]
pub struct BadPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The period of local dates `from..=to` in the time zone `tz`. The point
/// and the server both cut their periods here, so a day is the same day
/// on either side.
pub fn period(from: NaiveDate, to: NaiveDate, tz: Tz) -> Result<Period, BadPeriod> {
    let bad = BadPeriod { from, to };
    if to < from {
        return Err(bad);
    }
    let midnight = |d: NaiveDate| -> DateTime<Utc> {
        let local = d.and_hms_opt(0, 0, 0).expect("midnight exists");
        // Asia/Almaty has no daylight saving; `earliest` covers zones that do
        tz.from_local_datetime(&local)
            .earliest()
            .expect("a local midnight")
            .with_timezone(&Utc)
    };
    let next = to.succ_opt().ok_or(bad)?;
    Ok(Period {
        from,
        to,
        start: midnight(from),
        end: midnight(next),
    })
}

/// Everything a report is computed from, for one point or many.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facts {
    pub appeals: Vec<AppealFact>,
    pub tickets: Vec<TicketFact>,
    pub sessions: Vec<SessionFact>,
    /// Pauses and resumes of desks in the period, in time order per point.
    pub pause_marks: Vec<super::pause::PauseMark>,
}

/// One appeal as the report sees it, its outcome as of the end of the period.
#[derive(Debug, Clone, PartialEq)]
pub struct AppealFact {
    pub point: String,
    pub received_at: DateTime<Utc>,
    pub received_on: NaiveDate,
    pub kind: AppealKind,
    pub channel: Channel,
    pub category: CategoryId,
    pub desk: Option<DeskNo>,
    pub operator: String,
    pub repeated: bool,
    pub session: Option<String>,
    /// Outcome as of the end of the period (later changes do not count).
    pub outcome: Outcome,
    pub redirected_to: Option<String>,
    /// When it was first closed, if by the end of the period.
    pub closed_at: Option<DateTime<Utc>>,
    /// The deadline, if it was ever put under control.
    pub control_deadline: Option<NaiveDate>,
    /// The local date it was closed, for comparison with the deadline.
    pub closed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TicketFact {
    pub point: String,
    pub service_date: NaiveDate,
    pub category: CategoryId,
    pub desk: Option<DeskNo>,
    pub state: TicketState,
    pub wait_minutes: Option<f64>,
    pub service_minutes: Option<f64>,
    /// Its paper did not come out of the kiosk's printer when it was taken.
    pub not_printed: bool,
    /// Minutes from taking the ticket to leaving the line (its latest call,
    /// or its closing or cancelling); `None` while it still waits.
    pub waited_minutes: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SessionFact {
    pub id: String,
    pub kind: SessionKind,
    pub date: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Share {
    pub count: u64,
    /// Per cent of appeals received, one decimal.
    pub percent: f64,
}

fn share(count: u64, of: u64) -> Share {
    let percent = if of == 0 {
        0.0
    } else {
        (count as f64 * 1000.0 / of as f64).round() / 10.0
    };
    Share { count, percent }
}

/// The appeal figures of one group (or of the whole period).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AppealFigures {
    pub received: u64,
    pub resolved_positive: Share,
    pub consulted: Share,
    pub redirected: Share,
    pub under_consideration: Share,
    pub declined: Share,
    pub withdrawn: Share,
    pub repeated: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ControlFigures {
    pub taken_under_control: u64,
    pub closed_in_time: u64,
    pub overdue: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SessionFigures {
    pub mobile_sessions: u64,
    pub on_site_sessions: u64,
    pub citizens_received: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Minutes {
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TicketFigures {
    pub issued: u64,
    pub served: u64,
    pub no_shows: u64,
    /// Tickets whose paper did not come out when they were taken (the
    /// number was on screen only).
    #[serde(default)]
    pub not_printed: u64,
    /// Still waiting when the point closed: not served, not a no-show.
    #[serde(default)]
    pub closed_unserved: u64,
    /// Tickets that waited longer than their topic's limit
    /// (`wait_limits_by_category`, else `wait_limit_minutes`) before they
    /// were called (or closed).
    #[serde(default)]
    pub over_wait_limit: u64,
    #[serde(default)]
    pub wait_limit_minutes: u32,
    /// Topics with a waiting limit of their own.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub wait_limits_by_category: BTreeMap<CategoryId, u32>,
    pub wait: Minutes,
    pub service: Minutes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Category,
    Channel,
    Kind,
    Point,
    Desk,
    Operator,
    Month,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub period: Period,
    pub appeals: AppealFigures,
    /// Redirected appeals by the state body they went to.
    pub redirected_to: BTreeMap<String, u64>,
    /// Proposals for the programme, by topic.
    pub proposals_by_category: BTreeMap<String, u64>,
    pub control: ControlFigures,
    pub sessions: SessionFigures,
    pub tickets: TicketFigures,
    pub by: Option<GroupBy>,
    /// Appeal figures per group, when asked for.
    pub groups: Vec<(String, AppealFigures)>,
    /// Minutes desks were paused, per desk and per reason.
    #[serde(default)]
    pub pauses: super::pause::PauseFigures,
    /// Appeals whose citizen's personal data was erased in the period: the
    /// point's own figure (the server holds no such count: `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erasures: Option<ErasureFigures>,
}

/// Appeals whose citizen was erased in the period, by why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ErasureFigures {
    /// Kept no longer than needed: `[retention] years` after the last of
    /// the citizen's appeals was closed.
    pub for_age: u64,
    /// The citizen withdrew their consent (at the desk or the region).
    pub on_request: u64,
}

pub fn appeal_figures<'a>(appeals: impl IntoIterator<Item = &'a AppealFact>) -> AppealFigures {
    let mut counts = BTreeMap::<Outcome, u64>::new();
    let (mut received, mut repeated) = (0, 0);
    for a in appeals {
        received += 1;
        repeated += u64::from(a.repeated);
        *counts.entry(a.outcome).or_default() += 1;
    }
    let n = |o: Outcome| counts.get(&o).copied().unwrap_or(0);
    AppealFigures {
        received,
        resolved_positive: share(n(Outcome::ResolvedPositive), received),
        consulted: share(n(Outcome::Consulted), received),
        redirected: share(n(Outcome::Redirected), received),
        under_consideration: share(
            n(Outcome::Registered) + n(Outcome::UnderConsideration),
            received,
        ),
        declined: share(n(Outcome::Declined), received),
        withdrawn: share(n(Outcome::Withdrawn), received),
        repeated,
    }
}

/// An appeal under control is closed in time when it was closed on or
/// before its deadline, overdue when it was closed after it or is still
/// open after it (as of `as_of`, the end of the period or today if earlier).
pub fn control_figures<'a>(
    appeals: impl IntoIterator<Item = &'a AppealFact>,
    as_of: NaiveDate,
) -> ControlFigures {
    let mut f = ControlFigures::default();
    for a in appeals {
        let Some(deadline) = a.control_deadline else {
            continue;
        };
        f.taken_under_control += 1;
        match a.closed_on {
            Some(closed) if closed <= deadline => f.closed_in_time += 1,
            Some(_) => f.overdue += 1,
            None if as_of > deadline => f.overdue += 1,
            None => {}
        }
    }
    f
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    Some((sorted[rank - 1] * 10.0).round() / 10.0)
}

fn minutes(values: impl Iterator<Item = f64>) -> Minutes {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    Minutes {
        median: percentile(&v, 50.0),
        p90: percentile(&v, 90.0),
    }
}

pub fn ticket_figures<'a>(
    tickets: impl IntoIterator<Item = &'a TicketFact> + Clone,
    limits: &WaitLimits,
) -> TicketFigures {
    let all: Vec<&TicketFact> = tickets.into_iter().collect();
    TicketFigures {
        closed_unserved: all
            .iter()
            .filter(|t| t.state == TicketState::Closed)
            .count() as u64,
        over_wait_limit: all
            .iter()
            .filter(|t| {
                t.waited_minutes
                    .is_some_and(|m| m > f64::from(limits.minutes_of(&t.category)))
            })
            .count() as u64,
        wait_limit_minutes: limits.minutes,
        wait_limits_by_category: limits.by_category.clone(),
        issued: all.len() as u64,
        served: all.iter().filter(|t| t.state == TicketState::Done).count() as u64,
        no_shows: all
            .iter()
            .filter(|t| t.state == TicketState::NoShow)
            .count() as u64,
        not_printed: all.iter().filter(|t| t.not_printed).count() as u64,
        wait: minutes(all.iter().filter_map(|t| t.wait_minutes)),
        service: minutes(all.iter().filter_map(|t| t.service_minutes)),
    }
}

fn group_key(a: &AppealFact, by: GroupBy) -> String {
    match by {
        GroupBy::Category => a.category.to_string(),
        GroupBy::Channel => a.channel.to_string(),
        GroupBy::Kind => a.kind.to_string(),
        GroupBy::Point => a.point.clone(),
        GroupBy::Desk => a.desk.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
        GroupBy::Operator => a.operator.clone(),
        GroupBy::Month => a.received_on.format("%Y-%m").to_string(),
    }
}

/// The whole report from the period's facts. `today` bounds "overdue": a
/// deadline in the future is not missed yet.
// each input is a different kind of fact or setting, named at every call
#[allow(clippy::too_many_arguments)]
pub fn compute(
    period: Period,
    appeals: &[AppealFact],
    tickets: &[TicketFact],
    sessions: &[SessionFact],
    pauses: &[super::pause::PauseFact],
    wait_limits: &WaitLimits,
    by: Option<GroupBy>,
    today: NaiveDate,
) -> Report {
    let mut redirected_to = BTreeMap::new();
    let mut proposals_by_category = BTreeMap::new();
    for a in appeals {
        if a.outcome == Outcome::Redirected {
            *redirected_to
                .entry(a.redirected_to.clone().unwrap_or_default())
                .or_insert(0) += 1;
        }
        if a.kind == AppealKind::Proposal {
            *proposals_by_category
                .entry(a.category.to_string())
                .or_insert(0) += 1;
        }
    }
    let held: Vec<&SessionFact> = sessions
        .iter()
        .filter(|s| s.date >= period.from && s.date <= period.to)
        .collect();
    let session_figures = SessionFigures {
        mobile_sessions: held
            .iter()
            .filter(|s| s.kind == SessionKind::Mobile)
            .count() as u64,
        on_site_sessions: held
            .iter()
            .filter(|s| s.kind == SessionKind::OnSite)
            .count() as u64,
        citizens_received: appeals
            .iter()
            .filter(|a| {
                a.session
                    .as_ref()
                    .is_some_and(|id| held.iter().any(|s| &s.id == id))
            })
            .count() as u64,
    };
    let groups = by
        .map(|by| {
            let mut grouped = BTreeMap::<String, Vec<&AppealFact>>::new();
            for a in appeals {
                grouped.entry(group_key(a, by)).or_default().push(a);
            }
            let mut groups: Vec<(String, AppealFigures)> = grouped
                .into_iter()
                .map(|(k, v)| (k, appeal_figures(v)))
                .collect();
            // months in calendar order; anything else with the main topics first
            if by != GroupBy::Month {
                groups.sort_by(|a, b| b.1.received.cmp(&a.1.received).then_with(|| a.0.cmp(&b.0)));
            }
            groups
        })
        .unwrap_or_default();
    Report {
        period,
        appeals: appeal_figures(appeals),
        redirected_to,
        proposals_by_category,
        control: control_figures(appeals, today.min(period.to)),
        sessions: session_figures,
        tickets: ticket_figures(tickets, wait_limits),
        by,
        groups,
        pauses: super::pause::figures(pauses, period.from, period.to),
        erasures: None,
    }
}

/// The periods a supervisor picks on a report screen. Weeks start on
/// Monday, as the calendar in Kazakhstan does; "this week" and "this
/// month" run up to today, included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodChoice {
    Today,
    ThisWeek,
    ThisMonth,
    /// Local dates typed by hand, both included.
    Dates {
        from: NaiveDate,
        to: NaiveDate,
    },
}

impl PeriodChoice {
    /// The first and last local dates of the choice, given today's date.
    pub fn dates(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        use chrono::Datelike;
        match self {
            PeriodChoice::Today => (today, today),
            PeriodChoice::ThisWeek => (
                today - chrono::Days::new(u64::from(today.weekday().num_days_from_monday())),
                today,
            ),
            PeriodChoice::ThisMonth => (today.with_day(1).expect("every month has a 1st"), today),
            PeriodChoice::Dates { from, to } => (from, to),
        }
    }
}

/// Appeals received on each local day of the period, `from` first. Counted
/// from the same facts as the report, so the days add up to "appeals
/// received".
pub fn received_per_day(period: &Period, appeals: &[AppealFact]) -> Vec<u64> {
    let days = (period.to - period.from).num_days().max(0) as usize + 1;
    let mut out = vec![0; days];
    for a in appeals {
        // facts are chosen by the period's UTC bounds, which are its local
        // midnights, so the local day is always inside; clamped all the
        // same, so that a day can never be lost from the sum
        let i = (a.received_on - period.from)
            .num_days()
            .clamp(0, days as i64 - 1) as usize;
        out[i] += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_runs_from_local_midnight_to_the_next_local_midnight() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let p = period(d(3, 1), d(3, 31), chrono_tz::Asia::Almaty).unwrap();
        // UTC+5: a day in Almaty starts at 19:00 UTC the day before
        assert_eq!(p.start.to_rfc3339(), "2026-02-28T19:00:00+00:00");
        assert_eq!(p.end.to_rfc3339(), "2026-03-31T19:00:00+00:00");
        assert_eq!((p.from, p.to), (d(3, 1), d(3, 31)));
        let one = period(d(3, 9), d(3, 9), chrono_tz::UTC).unwrap();
        assert_eq!(one.end - one.start, chrono::Duration::days(1));
        assert_eq!(
            period(d(3, 9), d(3, 8), chrono_tz::UTC),
            Err(BadPeriod {
                from: d(3, 9),
                to: d(3, 8)
            })
        );
        assert!(period(NaiveDate::MAX, NaiveDate::MAX, chrono_tz::UTC).is_err());
    }

    #[test]
    fn shares_round_to_one_decimal() {
        assert_eq!(share(1, 3).percent, 33.3);
        assert_eq!(share(2, 3).percent, 66.7);
        assert_eq!(share(0, 0).percent, 0.0);
    }

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), Some(5.0));
        assert_eq!(percentile(&v, 90.0), Some(9.0));
        assert_eq!(percentile(&[4.0], 90.0), Some(4.0));
        assert_eq!(percentile(&[], 50.0), None);
    }

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn a_week_starts_on_monday_and_a_month_on_the_first() {
        // Wednesday 18 March 2026
        let wed = date(3, 18);
        assert_eq!(PeriodChoice::Today.dates(wed), (wed, wed));
        assert_eq!(PeriodChoice::ThisWeek.dates(wed), (date(3, 16), wed));
        assert_eq!(PeriodChoice::ThisMonth.dates(wed), (date(3, 1), wed));
        // on a Monday the week is that day alone; on a Sunday, seven days
        assert_eq!(
            PeriodChoice::ThisWeek.dates(date(3, 16)),
            (date(3, 16), date(3, 16))
        );
        assert_eq!(
            PeriodChoice::ThisWeek.dates(date(3, 22)),
            (date(3, 16), date(3, 22))
        );
        // a week that began in the previous month and year
        assert_eq!(
            PeriodChoice::ThisWeek.dates(date(1, 2)),
            (NaiveDate::from_ymd_opt(2025, 12, 29).unwrap(), date(1, 2))
        );
        // the 1st of the month, and the last day of February
        assert_eq!(
            PeriodChoice::ThisMonth.dates(date(3, 1)),
            (date(3, 1), date(3, 1))
        );
        assert_eq!(
            PeriodChoice::ThisMonth.dates(date(2, 28)),
            (date(2, 1), date(2, 28))
        );
        let typed = PeriodChoice::Dates {
            from: date(1, 5),
            to: date(2, 7),
        };
        assert_eq!(typed.dates(wed), (date(1, 5), date(2, 7)));
    }

    fn fact(received_on: NaiveDate, outcome: Outcome) -> AppealFact {
        use chrono::TimeZone;
        AppealFact {
            point: "p".into(),
            received_at: Utc.from_utc_datetime(&received_on.and_hms_opt(6, 0, 0).unwrap()),
            received_on,
            kind: AppealKind::Complaint,
            channel: Channel::WalkIn,
            category: CategoryId::new("housing"),
            desk: Some(1),
            operator: "staff:a".into(),
            repeated: false,
            session: None,
            outcome,
            redirected_to: None,
            closed_at: None,
            control_deadline: None,
            closed_on: None,
        }
    }

    #[test]
    fn appeals_per_day_add_up_to_appeals_received() {
        use chrono::TimeZone;
        let (from, to) = (date(3, 1), date(3, 10));
        let period = Period {
            from,
            to,
            start: Utc.with_ymd_and_hms(2026, 2, 28, 19, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 3, 10, 19, 0, 0).unwrap(),
        };
        let mut facts = Vec::new();
        for (day, n) in [(1, 2), (2, 0), (4, 5), (10, 1)] {
            for i in 0..n {
                let o = if i % 2 == 0 {
                    Outcome::ResolvedPositive
                } else {
                    Outcome::Consulted
                };
                facts.push(fact(date(3, day), o));
            }
        }
        let daily = received_per_day(&period, &facts);
        assert_eq!(daily, [2, 0, 0, 5, 0, 0, 0, 0, 0, 1]);
        let r = compute(
            period,
            &facts,
            &[],
            &[],
            &[],
            &WaitLimits::uniform(30),
            None,
            to,
        );
        assert_eq!(daily.iter().sum::<u64>(), r.appeals.received);
        // a one-day period has one day
        let one = Period {
            to: from,
            end: Utc.with_ymd_and_hms(2026, 3, 1, 19, 0, 0).unwrap(),
            ..period
        };
        let first_day: Vec<AppealFact> = facts
            .iter()
            .filter(|a| a.received_on == from)
            .cloned()
            .collect();
        assert_eq!(received_per_day(&one, &first_day), [2]);
    }

    #[test]
    fn tickets_over_the_limit_count_against_their_topics_own_limit() {
        let fact = |category: &str, waited: Option<f64>| TicketFact {
            point: "p".into(),
            service_date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            category: CategoryId::new(category),
            desk: Some(1),
            state: TicketState::Done,
            wait_minutes: waited,
            service_minutes: Some(5.0),
            not_printed: false,
            waited_minutes: waited,
        };
        let tickets = [
            fact("legal", Some(20.0)),
            fact("housing", Some(20.0)),
            fact("housing", Some(31.0)),
            fact("housing", None),
        ];
        let uniform = ticket_figures(&tickets, &WaitLimits::uniform(30));
        assert_eq!(uniform.over_wait_limit, 1);
        assert!(uniform.wait_limits_by_category.is_empty());
        let mut limits = WaitLimits::uniform(30);
        limits.by_category.insert(CategoryId::new("legal"), 15);
        let own = ticket_figures(&tickets, &limits);
        assert_eq!(own.over_wait_limit, 2, "the legal 20 minutes count too");
        assert_eq!(own.wait_limit_minutes, 30);
        assert_eq!(own.wait_limits_by_category, limits.by_category);
    }
}
