//! "What became of my appeal?" in words: the kiosk shows them to the
//! citizen, the desk reads them out to a citizen on the phone.

use crate::app::lookup::{AppealStatus, LookupResult, PAUSE_MINUTES};
use crate::domain::{Lang, Outcome, sanitize_line};
use crate::tr;

pub fn outcome_words(lang: Lang, o: Outcome) -> String {
    crate::ui::words::outcome(lang, o)
}

/// The lines that tell a citizen where their appeal stands, shared with
/// the desk's look-up.
pub fn status_lines(lang: Lang, s: &AppealStatus, tz: chrono_tz::Tz) -> Vec<String> {
    let date =
        |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&tz).format("%d.%m.%Y").to_string();
    let mut lines = vec![
        tr!(lang, "lookup-number", number = s.number.clone()),
        tr!(lang, "lookup-state", state = outcome_words(lang, s.outcome)),
    ];
    if s.state_only {
        lines.push(tr!(lang, "lookup-state-only"));
        return lines;
    }
    lines.push(tr!(lang, "lookup-received", date = date(s.received_at)));
    match s.closed_at {
        Some(t) => lines.push(tr!(lang, "lookup-closed", date = date(t))),
        None => lines.push(tr!(
            lang,
            "lookup-due",
            date = s.answer_due.format("%d.%m.%Y").to_string()
        )),
    }
    if let Some(r) = &s.responsible {
        lines.push(tr!(lang, "lookup-responsible", who = sanitize_line(r)));
    }
    if let Some(b) = &s.redirected_to {
        lines.push(tr!(lang, "lookup-redirected-to", body = sanitize_line(b)));
    }
    match &s.answer {
        Some(a) => lines.push(tr!(
            lang,
            "lookup-answer",
            date = date(a.at),
            text = a.text.clone()
        )),
        None => lines.push(tr!(lang, "lookup-no-answer-yet")),
    }
    lines
}

/// Not found, or paused: the one line said instead of an appeal.
pub fn refusal(lang: Lang, result: &LookupResult, tz: chrono_tz::Tz) -> Option<String> {
    match result {
        LookupResult::Found(_) => None,
        LookupResult::NotFound => Some(tr!(lang, "lookup-not-found")),
        LookupResult::Paused { until } => Some(tr!(
            lang,
            "lookup-paused",
            minutes = PAUSE_MINUTES,
            until = until.with_timezone(&tz).format("%H:%M").to_string()
        )),
    }
}
