//! A point's opening hours: per weekday in the config, days off from the
//! holiday calendar. They decide when the kiosk stops giving tickets and
//! when the tickets still waiting are closed as "not served: closed".

use super::workdays::Calendar;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// "09:00-18:00": one day's opening, in the point's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Span {
    pub opens: NaiveTime,
    pub closes: NaiveTime,
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.opens.format("%H:%M"),
            self.closes.format("%H:%M")
        )
    }
}

impl FromStr for Span {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{s:?}: write opening hours as \"09:00-18:00\"");
        let (a, b) = s.trim().split_once('-').ok_or_else(bad)?;
        let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| bad());
        let (opens, closes) = (time(a)?, time(b)?);
        if closes <= opens {
            return Err(format!("{s:?}: the closing time must be after the opening"));
        }
        Ok(Span { opens, closes })
    }
}

impl From<Span> for String {
    fn from(s: Span) -> String {
        s.to_string()
    }
}

impl TryFrom<String> for Span {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// The week's opening hours; a weekday without a span is closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hours {
    /// Monday first.
    pub week: [Option<Span>; 7],
    /// Tickets stop this long before closing.
    pub stop_tickets_before: Duration,
}

/// Whether the kiosk gives a ticket now, and if not, why and when to come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketWindow {
    Open,
    /// Before today's opening, or after the last ticket of the day, or a
    /// day off. `back`: the next opening (local), if any within a month.
    Closed {
        back: Option<NaiveDateTime>,
    },
}

impl Hours {
    /// Today's opening span, if the point opens on `day`. A day off in the
    /// calendar is closed; a weekend day the calendar makes a working day
    /// (a transferred day off) opens with its own hours, or Monday's.
    pub fn on(&self, day: NaiveDate, calendar: &Calendar) -> Option<Span> {
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let own = self.week[day.weekday().num_days_from_monday() as usize];
        let working = calendar.is_working_day(day);
        match (weekend, working) {
            // a holiday on a weekday
            (false, false) => None,
            // a weekend day worked in place of a transferred one
            (true, true) => own.or(self.week[0]),
            // a weekend day off: open only if the point opens on it and it
            // is no public holiday
            (true, false) => own.filter(|_| !calendar.is_holiday(day)),
            (false, true) => own,
        }
    }

    /// Whether a ticket can be taken at local time `now`.
    pub fn ticket_window(&self, now: NaiveDateTime, calendar: &Calendar) -> TicketWindow {
        if let Some(span) = self.on(now.date(), calendar) {
            let last = now.date().and_time(span.closes) - self.stop_tickets_before;
            if now >= now.date().and_time(span.opens) && now < last {
                return TicketWindow::Open;
            }
        }
        TicketWindow::Closed {
            back: self.next_opening(now, calendar),
        }
    }

    /// The first opening after `now` (today's, if it is still to come),
    /// looking a month ahead.
    pub fn next_opening(&self, now: NaiveDateTime, calendar: &Calendar) -> Option<NaiveDateTime> {
        (0..=31).find_map(|i| {
            let day = now.date() + chrono::Days::new(i);
            let span = self.on(day, calendar)?;
            let at = day.and_time(span.opens);
            (at > now).then_some(at)
        })
    }

    /// When `day` closed or closes, if the point opened on it.
    pub fn closing(&self, day: NaiveDate, calendar: &Calendar) -> Option<NaiveDateTime> {
        self.on(day, calendar).map(|s| day.and_time(s.closes))
    }

    /// Whether tickets of `day` still waiting at local time `now` are past
    /// their closing: after the day's closing time, on any later day, or
    /// on a day the point did not open.
    pub fn is_closed_for(&self, day: NaiveDate, now: NaiveDateTime, calendar: &Calendar) -> bool {
        match self.closing(day, calendar) {
            _ if now.date() > day => true,
            Some(closes) => now >= closes,
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours() -> Hours {
        let span: Span = "09:00-18:00".parse().unwrap();
        Hours {
            week: [
                Some(span),
                Some(span),
                Some(span),
                Some(span),
                Some("09:00-17:00".parse().unwrap()),
                Some("10:00-14:00".parse().unwrap()),
                None,
            ],
            stop_tickets_before: Duration::minutes(15),
        }
    }

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        // March 2026: the 2nd is a Monday; 8 March (Sunday) is a holiday,
        // moved to Monday the 9th
        NaiveDate::from_ymd_opt(2026, 3, d)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    #[test]
    fn spans_are_read_and_checked() {
        let s: Span = " 08:30 - 17:45 ".parse().unwrap();
        assert_eq!(s.to_string(), "08:30-17:45");
        assert!("18:00-09:00".parse::<Span>().is_err());
        assert!("9-18".parse::<Span>().is_err());
        assert!("".parse::<Span>().is_err());
    }

    #[test]
    fn tickets_stop_before_closing_and_the_kiosk_says_when_to_come_back() {
        let h = hours();
        let cal = Calendar::builtin();
        assert_eq!(h.ticket_window(at(2, 9, 0), cal), TicketWindow::Open);
        assert_eq!(h.ticket_window(at(2, 17, 44), cal), TicketWindow::Open);
        // Monday 17:45: fifteen minutes before 18:00, come back Tuesday 09:00
        assert_eq!(
            h.ticket_window(at(2, 17, 45), cal),
            TicketWindow::Closed {
                back: Some(at(3, 9, 0))
            }
        );
        // before opening: today's opening
        assert_eq!(
            h.ticket_window(at(3, 8, 0), cal),
            TicketWindow::Closed {
                back: Some(at(3, 9, 0))
            }
        );
        // Friday closes at 17:00; Saturday opens 10:00
        assert_eq!(
            h.ticket_window(at(6, 16, 50), cal),
            TicketWindow::Closed {
                back: Some(at(7, 10, 0))
            }
        );
    }

    #[test]
    fn days_off_come_from_the_holiday_calendar() {
        let h = hours();
        let cal = Calendar::builtin();
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        // 9 March 2026 is the day off for International Women's Day
        assert!(!cal.is_working_day(day(9)));
        assert_eq!(h.on(day(9), cal), None);
        // Saturday the 7th before it, Sunday the 8th itself
        assert_eq!(h.on(day(8), cal), None);
        assert_eq!(
            h.ticket_window(at(7, 15, 0), cal),
            TicketWindow::Closed {
                back: Some(at(10, 9, 0))
            },
            "Saturday after hours: Sunday closed, Monday a holiday"
        );
    }

    #[test]
    fn waiting_tickets_are_past_closing_after_the_closing_time_or_on_a_later_day() {
        let h = hours();
        let cal = Calendar::builtin();
        let monday = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert!(!h.is_closed_for(monday, at(2, 17, 59), cal));
        assert!(h.is_closed_for(monday, at(2, 18, 0), cal));
        assert!(h.is_closed_for(monday, at(3, 8, 0), cal));
        // a Sunday with no hours: tickets (taken anyway) close the next day
        let sunday = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert!(!h.is_closed_for(sunday, at(1, 23, 0), cal));
        assert!(h.is_closed_for(sunday, at(2, 0, 0), cal));
    }
}
