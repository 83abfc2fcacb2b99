//! A citizen's own data: erased when they withdraw consent. The appeals
//! stay, anonymous, in every figure (docs/ARCHITECTURE.md, "A citizen's
//! own data").

use super::staff::{self, LoginOutcome};
use super::{AppError, AppResult, Store};
use crate::domain::event::{CitizenErased, ErasureGround, PersonalDataViewed};
use crate::domain::staff::{Login, Role};
use crate::domain::text::ShortText;
use crate::domain::{Actor, AppealNo, EventBody, Iin, Phone};
use crate::store::personal::{self, CitizenBy};
use chrono::{DateTime, Utc};

/// Whose data to erase, as the person asking names them.
#[derive(Debug, Clone)]
pub enum Whom {
    Iin(Iin),
    Phone(Phone),
    /// The citizen who brought this appeal (all their appeals go with it).
    Appeal(AppealNo),
}

/// Why an erasure was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EraseRefused {
    #[error("wrong login or PIN")]
    WrongLogin,
    #[error("this login is locked for a few minutes after wrong PINs")]
    Locked,
    #[error("a citizen's data is erased only by a supervisor or an administrator")]
    NotSupervisor,
    #[error("no appeal here names this citizen (or their data was already erased)")]
    NoSuchCitizen,
    #[error("no appeal {0} at this point")]
    NoSuchAppeal(AppealNo),
    #[error("nothing is left to erase: the citizen was erased already{}", if *.0 { "" } else { " (add --texts to erase the texts too)" })]
    AlreadyErased(bool),
}

/// What was erased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erased {
    /// Appeals whose citizen was erased now.
    pub citizens: usize,
    /// Appeals whose text was erased now.
    pub texts: usize,
    /// The erasure's event.
    pub seq: u64,
    /// Whether the `-wal` file could be emptied at once; if not (another
    /// program was reading), the next checkpoint empties it.
    pub wal_truncated: bool,
}

/// Erases a citizen's personal data (and their appeals' texts with
/// `texts`) after checking that `login` is a supervisor or admin. The
/// erasure is an event naming who and why, in the same transaction as the
/// keys' deletion; then the write-ahead log is emptied.
#[allow(clippy::too_many_arguments)]
pub fn erase(
    store: &mut Store,
    login: &str,
    pin: &str,
    whom: &Whom,
    texts: bool,
    request: ShortText,
    now: DateTime<Utc>,
) -> AppResult<Erased> {
    let (who, role) = logged_in(store, login, pin, now)?;
    erase_as(store, &who, role, whom, texts, request, now)
}

/// A login and PIN checked as at the desk (the attempt is an event): who,
/// and in what role; a refusal in the words of an erasure.
fn logged_in(
    store: &mut Store,
    login: &str,
    pin: &str,
    now: DateTime<Utc>,
) -> AppResult<(Login, Role)> {
    match staff::log_in(store, login, pin, None, now)? {
        LoginOutcome::Welcome { login, role, .. } => Ok((login, role)),
        LoginOutcome::Locked { .. } => Err(AppError::Erase(EraseRefused::Locked)),
        LoginOutcome::WrongPin { .. } | LoginOutcome::Refused | LoginOutcome::NoLogins => {
            Err(AppError::Erase(EraseRefused::WrongLogin))
        }
    }
}

/// The same for a staff member already logged in (the desk's supervisor).
pub fn erase_as(
    store: &mut Store,
    who: &Login,
    role: Role,
    whom: &Whom,
    texts: bool,
    request: ShortText,
    now: DateTime<Utc>,
) -> AppResult<Erased> {
    if !role.can_supervise() {
        return Err(AppError::Erase(EraseRefused::NotSupervisor));
    }
    let by = citizen_by(whom);
    let erased = store.write(&Actor::staff(who.as_str()), now, |w| -> AppResult<_> {
        // found inside the write, so nothing recorded meanwhile is missed
        let target = personal::erasable(w.conn(), by)?;
        if target.appeals.is_empty() {
            return Err(AppError::Erase(match whom {
                Whom::Appeal(n) => EraseRefused::NoSuchAppeal(*n),
                _ => EraseRefused::NoSuchCitizen,
            }));
        }
        let texts_now = if texts { target.with_text } else { 0 };
        if target.with_citizen == 0 && texts_now == 0 {
            return Err(AppError::Erase(EraseRefused::AlreadyErased(texts)));
        }
        let seq = w.append(&EventBody::CitizenErased(CitizenErased {
            subjects: target.subjects,
            appeals: target.appeals,
            texts,
            ground: ErasureGround::ConsentWithdrawn { request },
        }))?;
        Ok(Erased {
            citizens: target.with_citizen,
            texts: texts_now,
            seq,
            wal_truncated: false,
        })
    })?;
    Ok(Erased {
        wal_truncated: store.truncate_wal()?,
        ..erased
    })
}

/// Erases the personal data kept longer than `[retention] years` after a
/// citizen's last appeal was closed: one event per citizen (an appeal
/// recorded before sealing is its own), actor `system`, texts kept.
/// Returns how many appeals lost their citizen.
pub fn erase_expired(store: &mut Store, years: u32, now: DateTime<Utc>) -> AppResult<usize> {
    let Some(cutoff) = now.checked_sub_months(chrono::Months::new(years.saturating_mul(12))) else {
        return Ok(0);
    };
    // a read first: the usual day has nothing to erase and takes no lock
    if personal::expired(store.conn(), cutoff)?.is_empty() {
        return Ok(0);
    }
    let erased = store.write(&Actor::system(), now, |w| -> AppResult<usize> {
        let mut n = 0;
        for target in personal::expired(w.conn(), cutoff)? {
            n += target.with_citizen;
            w.append(&EventBody::CitizenErased(CitizenErased {
                subjects: target.subjects,
                appeals: target.appeals,
                texts: false,
                ground: ErasureGround::Expired { years },
            }))?;
        }
        Ok(n)
    })?;
    store.truncate_wal()?;
    Ok(erased)
}

/// The local setting that says on which day retention last ran here.
const RETENTION_RAN_ON: &str = "retention_ran_on";

/// What a running screen does once a day: `erase_expired` when today (the
/// point's date) has not had it yet. Cheap on the other calls: one read.
pub fn erase_expired_daily(
    store: &mut Store,
    ctx: &super::Context,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let today = ctx.service_date(now).to_string();
    if crate::store::settings::get(store.conn(), RETENTION_RAN_ON)?.as_deref() == Some(&today) {
        return Ok(0);
    }
    let n = erase_expired(store, ctx.retention_years(store)?, now)?;
    store.write(&Actor::system(), now, |w| -> AppResult<()> {
        w.set_local_setting(RETENTION_RAN_ON, &today)?;
        Ok(())
    })?;
    Ok(n)
}

/// Records that `who` was shown the citizen of `appeal` (an appeal's
/// card): nothing for an anonymous or erased one.
pub fn record_view(
    store: &mut Store,
    who: &Actor,
    appeal: uuid::Uuid,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let shows_citizen =
        crate::store::appeals::get(store.conn(), appeal)?.is_some_and(|a| a.citizen_name.is_some());
    if !shows_citizen {
        return Ok(());
    }
    store.write(who, now, |w| -> AppResult<()> {
        w.append(&EventBody::PersonalDataViewed(PersonalDataViewed {
            appeal_id: appeal,
        }))?;
        Ok(())
    })
}

/// Who looked at a citizen's data: a card opened, or an export with
/// personal data whose period held one of their appeals.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum Looked {
    Card {
        at: DateTime<Utc>,
        login: String,
        name: Option<String>,
        appeal: AppealNo,
    },
    Export {
        at: DateTime<Utc>,
        login: String,
        name: Option<String>,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        format: String,
    },
}

/// Lists who looked at a citizen's data, oldest first, for a supervisor
/// (login and PIN checked, the attempt recorded as at the desk).
pub fn looked(
    store: &mut Store,
    ctx: &super::Context,
    login: &str,
    pin: &str,
    whom: &Whom,
    now: DateTime<Utc>,
) -> AppResult<Vec<Looked>> {
    if !logged_in(store, login, pin, now)?.1.can_supervise() {
        return Err(AppError::Erase(EraseRefused::NotSupervisor));
    }
    let conn = store.conn();
    let target = personal::erasable(conn, citizen_by(whom))?;
    if target.appeals.is_empty() {
        return Err(AppError::Erase(match whom {
            Whom::Appeal(n) => EraseRefused::NoSuchAppeal(*n),
            _ => EraseRefused::NoSuchCitizen,
        }));
    }
    let name_of = |actor: &str| -> AppResult<(String, Option<String>)> {
        let login = actor.strip_prefix("staff:").unwrap_or(actor).to_string();
        let name = crate::store::staff::get(conn, &login)?.map(|s| s.name);
        Ok((login, name))
    };
    let mut rows = Vec::new();
    let mut received = Vec::new();
    for id in &target.appeals {
        if let Some(a) = crate::store::appeals::get(conn, *id)? {
            received.push((a.id, a.number, ctx.service_date(a.received_at)));
        }
    }
    for v in personal::views_of(conn, &target.appeals)? {
        let (login, name) = name_of(&v.actor)?;
        let Some((_, number, _)) = received.iter().find(|(id, ..)| *id == v.appeal_id) else {
            continue;
        };
        rows.push(Looked::Card {
            at: v.at,
            login,
            name,
            appeal: *number,
        });
    }
    for (at, actor, e) in personal::exports(conn)? {
        if received.iter().any(|(_, _, d)| e.from <= *d && *d <= e.to) {
            let (login, name) = name_of(&actor)?;
            rows.push(Looked::Export {
                at,
                login,
                name,
                from: e.from,
                to: e.to,
                format: e.format,
            });
        }
    }
    rows.sort_by_key(|r| match r {
        Looked::Card { at, .. } | Looked::Export { at, .. } => *at,
    });
    Ok(rows)
}

fn citizen_by(whom: &Whom) -> CitizenBy<'_> {
    match whom {
        Whom::Iin(i) => CitizenBy::Iin(i.as_str()),
        Whom::Phone(p) => CitizenBy::Phone(p.as_str()),
        Whom::Appeal(n) => CitizenBy::Appeal(*n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::kiosk::{self as kiosk, Author, WrittenAppeal};
    use crate::app::staff;
    use crate::domain::staff::Role;
    use crate::domain::{AppealKind, AppealText, CategoryId, Citizen, Lang, PersonName};

    /// A screen keeps its connection open, so the `-wal` file outlives each
    /// write with every page written since the last checkpoint: the
    /// erasure must empty it, not only stop using it.
    #[test]
    fn the_log_of_a_database_held_open_keeps_nothing_of_the_erased() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("point.db");
        let ctx = crate::app::desk::test_support::ctx();
        let mut store = Store::open(&path, ctx.point_id()).unwrap();
        let now = Utc::now();
        staff::add(
            &mut store,
            &Actor::system(),
            "dana",
            "Дана Ержанова",
            Role::Supervisor,
            "3333",
            now,
        )
        .unwrap();
        let citizen = Citizen {
            name: PersonName::parse("Тұрсынбекова Әлия").unwrap(),
            iin: Some(Iin::parse("850315401231").unwrap()),
            phone: None,
            settlement: None,
            workplace: None,
        };
        kiosk::leave_written_appeal(
            &mut store,
            &ctx,
            WrittenAppeal {
                kind: AppealKind::Complaint,
                category: CategoryId::new("housing"),
                author: Author::Consented(citizen),
                text: AppealText::parse("Үй кезегі").unwrap(),
                lang: Lang::Kk,
            },
            now,
        )
        .unwrap();
        let wal = || std::fs::read(dir.path().join("point.db-wal")).unwrap_or_default();
        let holds = |b: &[u8]| b.windows(12).any(|w| w == b"850315401231");
        assert!(
            holds(&wal()),
            "the control: the log holds the new appeal's pages"
        );
        let done = erase(
            &mut store,
            "dana",
            "3333",
            &Whom::Iin(Iin::parse("850315401231").unwrap()),
            false,
            ShortText::parse("№ 17").unwrap(),
            now,
        )
        .unwrap();
        assert!(done.wal_truncated);
        assert_eq!(done.citizens, 1);
        assert!(!holds(&wal()), "the erased IIN stays in the -wal file");
        assert!(!holds(&std::fs::read(&path).unwrap()));
    }

    fn record(
        store: &mut Store,
        n: u32,
        iin: &str,
        outcome: crate::domain::Outcome,
        at: DateTime<Utc>,
    ) {
        use crate::domain::event::AppealRecorded;
        use crate::domain::personal::Personal;
        store
            .write(&Actor::system(), at, |w| {
                w.append(&EventBody::AppealRecorded(Box::new(AppealRecorded {
                    appeal_id: uuid::Uuid::now_v7(),
                    number: AppealNo {
                        year: 2026,
                        number: n,
                    },
                    kind: AppealKind::Complaint,
                    channel: crate::domain::Channel::WalkIn,
                    category: CategoryId::new("housing"),
                    citizen: Some(Personal::Clear(Citizen {
                        name: PersonName::parse("Азамат Сейітов").unwrap(),
                        iin: Some(Iin::parse(iin).unwrap()),
                        phone: None,
                        settlement: None,
                        workplace: None,
                    })),
                    consent: true,
                    text: Personal::Clear(AppealText::parse("Жол").unwrap()),
                    subject: None,
                    heard_by: vec![],
                    ticket_id: None,
                    session_id: None,
                    desk: Some(1),
                    lang: Lang::Kk,
                    outcome,
                    redirected_to: None,
                    control: None,
                })))
            })
            .unwrap();
    }

    /// Kept as long as needed: a citizen goes once the last of their
    /// appeals has been closed for `years`; one with an appeal still open,
    /// or closed later, stays whole.
    #[test]
    fn retention_erases_only_the_citizens_whose_appeals_all_closed_long_ago() {
        use crate::domain::Outcome::{Registered, ResolvedPositive};
        let ctx = crate::app::desk::test_support::ctx();
        let mut store = crate::app::desk::test_support::store();
        let t0 = chrono::TimeZone::with_ymd_and_hms(&Utc, 2020, 3, 2, 6, 0, 0).unwrap();
        let year = chrono::Duration::days(366);
        // long done: erased
        record(&mut store, 1, "850315401231", ResolvedPositive, t0);
        // one done long ago, one still open: kept, both
        record(&mut store, 2, "901207450673", ResolvedPositive, t0);
        record(&mut store, 3, "901207450673", Registered, t0 + year);
        // done, but not long enough ago: kept
        record(
            &mut store,
            4,
            "680703302117",
            ResolvedPositive,
            t0 + year * 2,
        );
        let named = |store: &Store| -> Vec<u32> {
            let mut v: Vec<u32> = crate::store::appeals::latest(store.conn(), 100)
                .unwrap()
                .into_iter()
                .filter(|a| a.citizen_name.is_some())
                .map(|a| a.number.number)
                .collect();
            v.sort();
            v
        };
        // the clock moved on five and a half years: only the first is due
        let now = t0 + chrono::Duration::days(365 * 5 + 180);
        assert_eq!(erase_expired(&mut store, 5, now).unwrap(), 1);
        assert_eq!(named(&store), vec![2, 3, 4]);
        // the report's count: erased for age that day, none on request
        let day = chrono::Duration::days(1);
        assert_eq!(
            crate::store::personal::erased_between(store.conn(), now - day, now + day).unwrap(),
            (1, 0)
        );
        // again the same day: nothing more, and the daily run is gated
        assert_eq!(erase_expired(&mut store, 5, now).unwrap(), 0);
        let later = t0 + year * 8;
        assert_eq!(erase_expired_daily(&mut store, &ctx, later).unwrap(), 1);
        assert_eq!(named(&store), vec![2, 3]);
        assert_eq!(erase_expired_daily(&mut store, &ctx, later).unwrap(), 0);
        let events = crate::store::events::after(store.conn(), 0, 100).unwrap();
        let grounds: Vec<_> = events
            .iter()
            .filter(|e| e.kind == "citizen_erased")
            .map(|e| e.payload["ground"]["ground"].clone())
            .collect();
        assert_eq!(grounds, vec!["expired", "expired"]);
    }

    /// The desk's citizen history (their earlier appeals, shown while the
    /// operator types the IIN) keeps working for the citizens not erased,
    /// and finds nothing of an erased one.
    #[test]
    fn citizen_history_survives_for_the_others_and_forgets_the_erased() {
        use crate::app::desk::appeals::citizen_history;
        use crate::domain::Outcome::Registered;
        let mut store = crate::app::desk::test_support::store();
        let now = Utc::now();
        staff::add(
            &mut store,
            &Actor::system(),
            "dana",
            "Дана",
            Role::Supervisor,
            "3333",
            now,
        )
        .unwrap();
        record(&mut store, 1, "850315401231", Registered, now);
        record(&mut store, 2, "850315401231", Registered, now);
        record(&mut store, 3, "901207450673", Registered, now);
        record(&mut store, 4, "901207450673", Registered, now);
        let history =
            |store: &Store, iin: &str| citizen_history(store, iin, "", "", 10).unwrap().len();
        assert_eq!(history(&store, "850315401231"), 2);
        erase(
            &mut store,
            "dana",
            "3333",
            &Whom::Iin(Iin::parse("850315401231").unwrap()),
            false,
            ShortText::parse("№ 1").unwrap(),
            now,
        )
        .unwrap();
        assert_eq!(history(&store, "850315401231"), 0);
        assert_eq!(history(&store, "901207450673"), 2);
        let repeated: Vec<bool> = crate::store::appeals::latest(store.conn(), 10)
            .unwrap()
            .into_iter()
            .filter(|a| a.citizen_iin.as_deref() == Some("901207450673"))
            .map(|a| a.repeated)
            .collect();
        assert_eq!(repeated.iter().filter(|r| **r).count(), 1);
    }
}
