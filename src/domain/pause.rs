//! A desk on a break: the operator pauses the desk with a reason and comes
//! back. While paused the desk calls nobody; the time goes into the report
//! per desk and per reason (as in Qmatic's break reasons).

// the reason is part of the event it is recorded in, so it lives there
use super::event::DeskNo;
pub use super::event::PauseReason;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A desk's pause now: why, and since when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeskPause {
    pub reason: PauseReason,
    pub since: DateTime<Utc>,
}

/// One pause or resume, as the event log has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PauseMark {
    pub point: String,
    pub desk: DeskNo,
    /// `None`: the desk is back.
    pub reason: Option<PauseReason>,
    pub at: DateTime<Utc>,
}

/// The mark an event of the log makes, if it pauses or resumes a desk;
/// the point and the server read their logs through this one function.
pub fn mark_of(
    point: &str,
    at: DateTime<Utc>,
    kind: &str,
    payload: &str,
) -> Result<Option<PauseMark>, String> {
    use super::event::EventBody;
    if kind != "desk_paused" && kind != "desk_resumed" {
        return Ok(None);
    }
    let payload: serde_json::Value = serde_json::from_str(payload).map_err(|e| e.to_string())?;
    let (desk, reason) = match EventBody::from_parts(kind, payload).map_err(|e| e.to_string())? {
        EventBody::DeskPaused(p) => (p.desk, Some(p.reason)),
        EventBody::DeskResumed(d) => (d.desk, None),
        _ => return Ok(None),
    };
    Ok(Some(PauseMark {
        point: point.to_string(),
        desk,
        reason,
        at,
    }))
}

/// A stretch of time one desk was paused, within one local day.
#[derive(Debug, Clone, PartialEq)]
pub struct PauseFact {
    pub point: String,
    pub desk: DeskNo,
    pub reason: PauseReason,
    /// The local day it began on.
    pub service_date: NaiveDate,
    pub minutes: f64,
}

/// The pauses that `marks` (in time order) describe. A pause ends at the
/// desk's next resume or pause, at the end of the local day it began on
/// (a desk left paused overnight does not count the night), or at `now`,
/// whichever comes first; one that began after `now` counts nothing.
pub fn pauses(marks: &[PauseMark], tz: Tz, now: DateTime<Utc>) -> Vec<PauseFact> {
    // per point and desk: the pause still open
    let mut open: BTreeMap<(&str, DeskNo), (PauseReason, DateTime<Utc>)> = BTreeMap::new();
    let mut out = Vec::new();
    let mut close = |point: &str,
                     desk: DeskNo,
                     (reason, since): (PauseReason, DateTime<Utc>),
                     until: DateTime<Utc>| {
        let day = since.with_timezone(&tz).date_naive();
        let end = until.min(day_end(day, tz)).min(now);
        out.push(PauseFact {
            point: point.to_string(),
            desk,
            reason,
            service_date: day,
            minutes: ((end - since).num_milliseconds().max(0) as f64) / 60_000.0,
        });
    };
    for m in marks {
        let key = (m.point.as_str(), m.desk);
        if let Some(was) = open.remove(&key) {
            close(key.0, key.1, was, m.at);
        }
        if let Some(reason) = m.reason {
            open.insert(key, (reason, m.at));
        }
    }
    for ((point, desk), was) in open {
        close(point, desk, was, now);
    }
    out
}

/// The instant the local day after `day` begins.
fn day_end(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let next = (day + chrono::Days::new(1))
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists");
    tz.from_local_datetime(&next)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&next))
}

/// Paused minutes in the report: all, per desk, per reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PauseFigures {
    /// Minutes, one decimal.
    pub minutes: f64,
    pub pauses: u64,
    /// By desk number (as text, "1", "2"; "point/desk" when the report
    /// covers several points).
    pub by_desk: BTreeMap<String, f64>,
    pub by_reason: BTreeMap<PauseReason, f64>,
}

fn tenth(m: f64) -> f64 {
    (m * 10.0).round() / 10.0
}

/// Sums the pauses of the days `from..=to`.
pub fn figures(facts: &[PauseFact], from: NaiveDate, to: NaiveDate) -> PauseFigures {
    let points: std::collections::BTreeSet<&str> = facts.iter().map(|f| f.point.as_str()).collect();
    let mut f = PauseFigures::default();
    for p in facts
        .iter()
        .filter(|p| p.service_date >= from && p.service_date <= to)
    {
        f.minutes += p.minutes;
        f.pauses += 1;
        let desk = if points.len() > 1 {
            format!("{}/{}", p.point, p.desk)
        } else {
            p.desk.to_string()
        };
        *f.by_desk.entry(desk).or_default() += p.minutes;
        *f.by_reason.entry(p.reason).or_default() += p.minutes;
    }
    f.minutes = tenth(f.minutes);
    f.by_desk.values_mut().for_each(|m| *m = tenth(*m));
    f.by_reason.values_mut().for_each(|m| *m = tenth(*m));
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    const TZ: Tz = chrono_tz::Asia::Almaty;

    /// 2 March 2026 at h:m in Almaty.
    fn at(h: u32, m: u32) -> DateTime<Utc> {
        TZ.with_ymd_and_hms(2026, 3, 2, h, m, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn mark(desk: DeskNo, reason: Option<PauseReason>, t: DateTime<Utc>) -> PauseMark {
        PauseMark {
            point: "p".into(),
            desk,
            reason,
            at: t,
        }
    }

    #[test]
    fn a_pause_lasts_until_the_desk_is_back_or_pauses_again() {
        use PauseReason::*;
        let marks = [
            mark(1, Some(Break), at(10, 0)),
            mark(2, Some(Phone), at(10, 5)),
            mark(1, None, at(10, 15)),
            // a new reason while paused: the first pause ends there
            mark(2, Some(Technical), at(10, 10)),
            mark(2, None, at(10, 40)),
            // back twice: the second changes nothing
            mark(2, None, at(10, 50)),
        ];
        let mut sorted = marks.to_vec();
        sorted.sort_by_key(|m| m.at);
        let got = pauses(&sorted, TZ, at(18, 0));
        let mins: Vec<(DeskNo, PauseReason, f64)> =
            got.iter().map(|p| (p.desk, p.reason, p.minutes)).collect();
        assert_eq!(
            mins,
            [(2, Phone, 5.0), (1, Break, 15.0), (2, Technical, 30.0)]
        );
        let f = figures(&got, at(0, 0).date_naive(), at(12, 0).date_naive());
        assert_eq!(f.minutes, 50.0);
        assert_eq!(f.pauses, 3);
        assert_eq!(f.by_desk["1"], 15.0);
        assert_eq!(f.by_desk["2"], 35.0);
        assert_eq!(f.by_reason[&Break], 15.0);
        assert_eq!(f.by_reason[&Technical], 30.0);
    }

    #[test]
    fn an_open_pause_counts_to_now_and_never_past_its_day() {
        use PauseReason::*;
        let marks = [mark(1, Some(Paperwork), at(17, 0))];
        assert_eq!(pauses(&marks, TZ, at(17, 30))[0].minutes, 30.0);
        // left paused overnight: it counts until local midnight only
        let next_day = at(9, 0) + chrono::Duration::days(1);
        assert_eq!(pauses(&marks, TZ, next_day)[0].minutes, 7.0 * 60.0);
        let resumed = [mark(1, Some(Paperwork), at(17, 0)), mark(1, None, next_day)];
        assert_eq!(pauses(&resumed, TZ, next_day)[0].minutes, 7.0 * 60.0);
        // a pause in the future of `now` counts nothing
        assert_eq!(pauses(&marks, TZ, at(16, 0))[0].minutes, 0.0);
    }

    #[test]
    fn days_outside_the_period_are_not_counted() {
        let marks = [
            mark(1, Some(PauseReason::Break), at(10, 0)),
            mark(1, None, at(10, 20)),
        ];
        let got = pauses(&marks, TZ, at(18, 0));
        let day = at(10, 0).with_timezone(&TZ).date_naive();
        assert_eq!(figures(&got, day, day).minutes, 20.0);
        let tomorrow = day + chrono::Days::new(1);
        assert_eq!(figures(&got, tomorrow, tomorrow), PauseFigures::default());
    }

    #[test]
    fn reasons_by_name() {
        for r in PauseReason::ALL {
            assert_eq!(r.as_str().parse::<PauseReason>().unwrap(), r);
            assert_eq!(
                serde_json::to_value(r).unwrap(),
                serde_json::json!(r.as_str())
            );
        }
        assert!("nap".parse::<PauseReason>().is_err());
    }
}
