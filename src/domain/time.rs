//! Times on the wire and in both databases, the point's and the server's:
//! RFC 3339 in UTC with milliseconds, so they sort as text and every side
//! reads what another wrote.

use chrono::{DateTime, SecondsFormat, Utc};

/// A stored or received time that is not RFC 3339.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("time {text:?}: {reason}")]
pub struct BadTime {
    pub text: String,
    pub reason: String,
}

pub fn fmt_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn parse_time(s: &str) -> Result<DateTime<Utc>, BadTime> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| BadTime {
            text: s.to_string(),
            reason: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_round_trip_to_the_millisecond_and_sort_as_text() {
        let a =
            Utc.with_ymd_and_hms(2026, 3, 9, 4, 5, 6).unwrap() + chrono::Duration::milliseconds(7);
        let b = a + chrono::Duration::milliseconds(993);
        assert_eq!(fmt_time(a), "2026-03-09T04:05:06.007Z");
        assert_eq!(parse_time(&fmt_time(a)).unwrap(), a);
        assert!(fmt_time(a) < fmt_time(b));
        // another offset is read as the same instant
        assert_eq!(parse_time("2026-03-09T09:05:06.007+05:00").unwrap(), a);
    }

    #[test]
    fn a_time_that_is_not_rfc_3339_is_refused_with_its_text() {
        let e = parse_time("09.03.2026").unwrap_err();
        assert_eq!(e.text, "09.03.2026");
        assert!(e.to_string().starts_with("time \"09.03.2026\": "), "{e}");
    }
}
