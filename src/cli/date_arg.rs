//! Dates on the command line in the forms people type: ISO (`2026-01-31`)
//! and the `31.01.2026` every screen shows, so that a date copied from a
//! screen works in a command.

use chrono::NaiveDate;

/// A clap value parser: the date, or a message naming the forms taken.
pub fn parse(typed: &str) -> Result<NaiveDate, String> {
    crate::app::desk::form::parse_date(typed)
        .ok_or_else(|| format!("{typed:?} is not a date: write it as 2026-01-31 or 31.01.2026"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_and_the_screens_form_alike() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        assert_eq!(parse("2026-01-31"), Ok(d));
        assert_eq!(parse("31.01.2026"), Ok(d));
        assert_eq!(parse("31/01/2026"), Ok(d));
        let e = parse("31.02.2026").unwrap_err();
        assert!(e.contains("2026-01-31 or 31.01.2026"), "{e}");
        assert!(parse("01.01.26").is_err());
    }
}
