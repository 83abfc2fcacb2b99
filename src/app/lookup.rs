//! "What became of my appeal?": an appeal's number and a second factor
//! (the last four digits of the phone given, or the IIN) give its state,
//! dates, deadline, who is responsible and the answer. The one place that
//! reads an appeal for the citizen, so the region's decisions (issue 13,
//! written to the same tables) show here without another reader.
//!
//! Without the right second factor the answer is "not found", exactly as
//! for a number that does not exist. An appeal with neither phone nor IIN
//! (anonymous) shows its state only. Five wrong tries within an hour pause
//! the look-up of that station for ten minutes; the count is kept in the
//! database (a local setting), so a restart does not reset it.

use super::{AppResult, Context};
use crate::domain::{Actor, FullAppealNo, Iin, Outcome};
use crate::store::{Store, appeals, settings};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Wrong tries allowed before the pause.
pub const MAX_WRONG: usize = 5;
/// Wrong tries older than this are forgotten.
pub const WINDOW_MINUTES: i64 = 60;
/// How long the look-up rests after the fifth wrong try.
pub const PAUSE_MINUTES: i64 = 10;

/// Where the look-up is made: each has its own count, so a guesser at the
/// kiosk does not stop the desk helping a citizen on the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Station {
    Kiosk,
    Desk,
}

impl Station {
    fn key(self) -> &'static str {
        match self {
            Station::Kiosk => settings::LOOKUP_GUARD_KIOSK,
            Station::Desk => settings::LOOKUP_GUARD_DESK,
        }
    }
}

/// What the citizen proves they are the one who appealed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondFactor {
    PhoneLast4(String),
    Iin(Iin),
}

impl SecondFactor {
    /// Four digits are the phone's last four; twelve are an IIN.
    pub fn parse(typed: &str) -> Option<SecondFactor> {
        let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        match digits.len() {
            4 => Some(SecondFactor::PhoneLast4(digits)),
            12 => Iin::parse(&digits).ok().map(SecondFactor::Iin),
            _ => None,
        }
    }
}

/// The latest word given to the citizen: a follow-up note or the note of
/// an outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub at: DateTime<Utc>,
    pub text: String,
}

/// An appeal as its citizen may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppealStatus {
    pub number: String,
    pub outcome: Outcome,
    /// Anonymous (no phone, no IIN): only `outcome` is shown.
    pub state_only: bool,
    pub received_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The control deadline, or 15 working days from receipt.
    pub answer_due: NaiveDate,
    pub responsible: Option<String>,
    pub redirected_to: Option<String>,
    pub answer: Option<Answer>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupResult {
    Found(Box<AppealStatus>),
    /// No such appeal, or not this second factor: the same words.
    NotFound,
    /// Too many wrong tries: nothing was looked up.
    Paused {
        until: DateTime<Utc>,
    },
}

/// The wrong tries of one station, as kept in its local setting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Guard {
    wrong: Vec<DateTime<Utc>>,
    paused_until: Option<DateTime<Utc>>,
}

/// Looks an appeal up. `number` is the point's own "2026-00042" or the
/// full "akm-01/2026-00042"; another point's appeal is not found here.
pub fn look_up(
    store: &mut Store,
    ctx: &Context,
    station: Station,
    number: &str,
    second: &str,
    now: DateTime<Utc>,
) -> AppResult<LookupResult> {
    let here = ctx.point_id().clone();
    let tz = ctx.tz();
    store.write(&Actor::system(), now, |w| -> AppResult<LookupResult> {
        let mut guard: Guard = settings::get(w.conn(), station.key())?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        if let Some(until) = guard.paused_until {
            if until > now {
                return Ok(LookupResult::Paused { until });
            }
            guard = Guard::default();
        }
        guard
            .wrong
            .retain(|t| now - *t < Duration::minutes(WINDOW_MINUTES));
        let found = find(w.conn(), &here, tz, number, second)?;
        if found.is_none() {
            guard.wrong.push(now);
            if guard.wrong.len() >= MAX_WRONG {
                guard = Guard {
                    wrong: Vec::new(),
                    paused_until: Some(now + Duration::minutes(PAUSE_MINUTES)),
                };
            }
        }
        let kept = serde_json::to_string(&guard).map_err(crate::store::StoreError::from)?;
        w.set_local_setting(station.key(), &kept)?;
        Ok(match found {
            Some(s) => LookupResult::Found(Box::new(s)),
            None => LookupResult::NotFound,
        })
    })
}

/// When the look-up of `station` may be used again, if it is paused now.
pub fn paused_until(
    store: &Store,
    station: Station,
    now: DateTime<Utc>,
) -> AppResult<Option<DateTime<Utc>>> {
    let guard: Guard = settings::get(store.conn(), station.key())?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    Ok(guard.paused_until.filter(|u| *u > now))
}

fn find(
    conn: &rusqlite::Connection,
    here: &crate::domain::PointId,
    tz: chrono_tz::Tz,
    number: &str,
    second: &str,
) -> AppResult<Option<AppealStatus>> {
    let Ok(full) = FullAppealNo::parse_at(number, here) else {
        return Ok(None);
    };
    if &full.point != here {
        return Ok(None);
    }
    let Some(a) = appeals::by_number(conn, full.number)? else {
        return Ok(None);
    };
    let state_only = a.citizen_phone.is_none() && a.citizen_iin.is_none();
    if !state_only {
        let proven = match SecondFactor::parse(second) {
            Some(SecondFactor::PhoneLast4(d)) => {
                a.citizen_phone.as_deref().is_some_and(|p| p.ends_with(&d))
            }
            Some(SecondFactor::Iin(iin)) => a.citizen_iin.as_deref() == Some(iin.as_str()),
            None => false,
        };
        if !proven {
            return Ok(None);
        }
    }
    let answer = if state_only {
        None
    } else {
        appeals::history(conn, a.id)?
            .into_iter()
            .rev()
            .find_map(|h| match h.kind.as_str() {
                "appeal_follow_up" | "appeal_outcome_set" => h
                    .detail
                    .get("note")
                    .and_then(|n| n.as_str())
                    .map(|text| Answer {
                        at: h.at,
                        text: crate::domain::sanitize(text, true),
                    }),
                _ => None,
            })
    };
    let received_on = a.received_at.with_timezone(&tz).date_naive();
    Ok(Some(AppealStatus {
        number: full.to_string(),
        outcome: a.outcome,
        state_only,
        received_at: a.received_at,
        updated_at: a.updated_at,
        closed_at: a.closed_at,
        answer_due: super::print::answer_due(a.deadline, received_on),
        responsible: (!state_only).then_some(a.responsible).flatten(),
        redirected_to: (!state_only).then_some(a.redirected_to).flatten(),
        answer,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::kiosk::{Author, WrittenAppeal, leave_written_appeal};
    use crate::config::{Config, DEFAULT_CONFIG};
    use crate::domain::appeal::{AppealKind, Citizen};
    use crate::domain::event::{AppealNote, EventBody};
    use crate::domain::{AppealText, CategoryId, Lang, PersonName, Phone};
    use chrono::TimeZone;
    use std::path::Path;

    fn setup() -> (Store, Context, DateTime<Utc>) {
        let config = Config::parse(DEFAULT_CONFIG, Path::new("t.toml")).unwrap();
        let store = Store::open_in_memory(&config.point.id).unwrap();
        (
            store,
            Context::new(config),
            Utc.with_ymd_and_hms(2026, 3, 2, 5, 0, 0).unwrap(),
        )
    }

    fn appeal(store: &mut Store, ctx: &Context, now: DateTime<Utc>, phone: bool) -> String {
        let author = if phone {
            Author::Consented(Citizen {
                name: PersonName::parse("Серік Жұмабаев").unwrap(),
                iin: Some(Iin::parse("791028302728").unwrap()),
                phone: Some(Phone::parse("87011234567").unwrap()),
                settlement: None,
                workplace: None,
            })
        } else {
            Author::Anonymous
        };
        let r = leave_written_appeal(
            store,
            ctx,
            WrittenAppeal {
                kind: AppealKind::Complaint,
                category: CategoryId::new("utilities"),
                author,
                text: AppealText::parse("Суық").unwrap(),
                lang: Lang::Kk,
            },
            now,
        )
        .unwrap();
        store
            .write(&Actor::staff("op"), now, |w| {
                w.append(&EventBody::AppealFollowUp(AppealNote {
                    appeal_id: r.id,
                    note: AppealText::parse("Жылу желісі 5 наурызда жөнделеді").unwrap(),
                }))
            })
            .unwrap();
        r.number.to_string()
    }

    #[test]
    fn the_right_number_and_digits_show_the_state_and_the_answer() {
        let (mut store, ctx, now) = setup();
        let n = appeal(&mut store, &ctx, now, true);
        for second in ["4567", "791028302728", " 45 67 "] {
            let LookupResult::Found(s) =
                look_up(&mut store, &ctx, Station::Kiosk, &n, second, now).unwrap()
            else {
                panic!("{second}");
            };
            assert_eq!(s.number, format!("point-1/{n}"));
            assert_eq!(s.outcome, Outcome::Registered);
            assert!(!s.state_only);
            assert_eq!(s.answer.unwrap().text, "Жылу желісі 5 наурызда жөнделеді");
            assert_eq!(s.answer_due, NaiveDate::from_ymd_opt(2026, 3, 27).unwrap());
        }
        // the full form names this point
        let full = format!("point-1/{n}");
        assert!(matches!(
            look_up(&mut store, &ctx, Station::Kiosk, &full, "4567", now).unwrap(),
            LookupResult::Found(_)
        ));
        let other = format!("akm-99/{n}");
        assert_eq!(
            look_up(&mut store, &ctx, Station::Kiosk, &other, "4567", now).unwrap(),
            LookupResult::NotFound
        );
    }

    #[test]
    fn a_wrong_second_factor_shows_nothing_and_the_sixth_try_is_paused() {
        let (mut store, ctx, now) = setup();
        let n = appeal(&mut store, &ctx, now, true);
        for wrong in ["1111", "", "45678", "791028302729"] {
            assert_eq!(
                look_up(&mut store, &ctx, Station::Kiosk, &n, wrong, now).unwrap(),
                LookupResult::NotFound,
                "{wrong:?}"
            );
        }
        // a number that does not exist counts too
        assert_eq!(
            look_up(&mut store, &ctx, Station::Kiosk, "2026-09999", "4567", now).unwrap(),
            LookupResult::NotFound
        );
        // the sixth try, even the right one, is paused
        let until = now + Duration::minutes(PAUSE_MINUTES);
        assert_eq!(
            look_up(&mut store, &ctx, Station::Kiosk, &n, "4567", now).unwrap(),
            LookupResult::Paused { until }
        );
        // kept in the database: another connection (a restarted kiosk) sees it
        assert_eq!(
            paused_until(&store, Station::Kiosk, now).unwrap(),
            Some(until)
        );
        // the desk has its own count
        assert!(matches!(
            look_up(&mut store, &ctx, Station::Desk, &n, "4567", now).unwrap(),
            LookupResult::Found(_)
        ));
        // after the pause it works again
        let later = until + Duration::seconds(1);
        assert!(matches!(
            look_up(&mut store, &ctx, Station::Kiosk, &n, "4567", later).unwrap(),
            LookupResult::Found(_)
        ));
    }

    #[test]
    fn a_right_answer_does_not_reset_the_wrong_count() {
        let (mut store, ctx, now) = setup();
        let n = appeal(&mut store, &ctx, now, true);
        for i in 0..MAX_WRONG {
            look_up(&mut store, &ctx, Station::Kiosk, &n, "4567", now).unwrap();
            let r = look_up(&mut store, &ctx, Station::Kiosk, "2026-09999", "0000", now).unwrap();
            assert_eq!(r, LookupResult::NotFound, "wrong try {}", i + 1);
        }
        assert!(matches!(
            look_up(&mut store, &ctx, Station::Kiosk, &n, "4567", now).unwrap(),
            LookupResult::Paused { .. }
        ));
    }

    #[test]
    fn an_anonymous_appeal_shows_its_state_only() {
        let (mut store, ctx, now) = setup();
        let n = appeal(&mut store, &ctx, now, false);
        let LookupResult::Found(s) =
            look_up(&mut store, &ctx, Station::Kiosk, &n, "", now).unwrap()
        else {
            panic!()
        };
        assert!(s.state_only);
        assert_eq!(s.answer, None);
        assert_eq!(s.responsible, None);
    }
}
