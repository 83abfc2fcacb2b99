//! What a citizen can do at the self-service kiosk.

use super::queue::{Place, place_of};
use super::register::register_appeal;
use super::{AppError, AppResult, Context};
use crate::domain::appeal::{AppealKind, AppealNo, Citizen, Outcome};
use crate::domain::event::{AppealRecorded, EventBody, TicketTaken};
use crate::domain::personal::Personal;
use crate::domain::{Actor, AppealText, CategoryId, Lang, Priority, TicketNo};
use crate::store::{Store, settings, tickets};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketIssued {
    pub id: Uuid,
    pub number: TicketNo,
    /// The day the number belongs to: numbers start again each service day.
    pub service_date: NaiveDate,
    pub seq: u64,
    pub place: Place,
}

/// Takes a queue ticket. When this returns, the ticket is durable.
pub fn take_ticket(
    store: &mut Store,
    ctx: &Context,
    category: &CategoryId,
    priority: Priority,
    lang: Lang,
    now: DateTime<Utc>,
) -> AppResult<TicketIssued> {
    let cat = ctx
        .catalogue
        .get(category)
        .ok_or_else(|| AppError::UnknownCategory(category.to_string()))?;
    if ctx.campaign_mode(store)? && !cat.programme {
        return Err(AppError::CampaignMode);
    }
    let day = ctx.service_date(now);
    let id = Uuid::now_v7();
    let (number, seq) = store.write(&Actor::kiosk(), now, |w| -> AppResult<_> {
        super::hours::ticket_allowed(w.conn(), ctx, cat, now)?;
        let number = TicketNo::new(cat.prefix, tickets::next_number(w.conn(), day, cat.prefix)?);
        let seq = w.append(&EventBody::TicketTaken(TicketTaken {
            ticket_id: id,
            number,
            service_date: day,
            category: cat.id.clone(),
            priority,
            lang,
        }))?;
        Ok((number, seq))
    })?;
    let place = place_of(store, ctx, id, now)?.unwrap_or(Place {
        ahead: 0,
        estimated_wait_minutes: 0,
    });
    Ok(TicketIssued {
        id,
        number,
        service_date: day,
        seq,
        place,
    })
}

/// Who wrote a kiosk appeal. Without consent to the processing of personal
/// data nothing personal is stored: the appeal is anonymous.
#[derive(Debug, Clone, PartialEq)]
pub enum Author {
    Anonymous,
    Consented(Citizen),
}

#[derive(Debug, Clone, PartialEq)]
pub struct WrittenAppeal {
    pub kind: AppealKind,
    pub category: CategoryId,
    pub author: Author,
    pub text: AppealText,
    pub lang: Lang,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppealReceived {
    pub id: Uuid,
    pub number: AppealNo,
    pub seq: u64,
}

/// Records an appeal or proposal left at the kiosk without waiting in line.
pub fn leave_written_appeal(
    store: &mut Store,
    ctx: &Context,
    appeal: WrittenAppeal,
    now: DateTime<Utc>,
) -> AppResult<AppealReceived> {
    let cat = ctx
        .catalogue
        .get(&appeal.category)
        .ok_or_else(|| AppError::UnknownCategory(appeal.category.to_string()))?;
    if ctx.campaign_mode(store)? && (!cat.programme || appeal.kind != AppealKind::Proposal) {
        return Err(AppError::CampaignMode);
    }
    let year = now.with_timezone(&ctx.tz()).year();
    let id = Uuid::now_v7();
    let (consent, citizen) = match appeal.author {
        Author::Anonymous => (false, None),
        Author::Consented(c) => (true, Some(c)),
    };
    let channel = ctx.point_kind().kiosk_channel();
    store.write(&Actor::kiosk(), now, |w| -> AppResult<_> {
        let (number, seq) = register_appeal(w, year, |number| AppealRecorded {
            appeal_id: id,
            number,
            kind: appeal.kind,
            channel,
            category: cat.id.clone(),
            citizen: citizen.map(Personal::Clear),
            consent,
            text: Personal::Clear(appeal.text),
            subject: None,
            heard_by: Vec::new(),
            ticket_id: None,
            session_id: None,
            desk: None,
            lang: appeal.lang,
            outcome: Outcome::Registered,
            redirected_to: None,
            control: None,
        })?;
        Ok(AppealReceived { id, number, seq })
    })
}

/// Sets the PIN that lets staff leave the kiosk. Only its argon2 hash is
/// kept, in the machine's local settings: never in the config, never in the
/// event log (it is not something the region should receive).
pub fn set_exit_pin(store: &mut Store, pin_text: &str, now: DateTime<Utc>) -> AppResult<()> {
    let hash = crate::domain::pin::hash(pin_text)?;
    store.write(&Actor::system(), now, |w| -> AppResult<()> {
        w.set_local_setting(settings::KIOSK_EXIT_PIN_HASH, &hash)?;
        Ok(())
    })
}

/// Whether an exit PIN has been set on this machine.
pub fn exit_pin_is_set(store: &Store) -> AppResult<bool> {
    Ok(settings::get(store.conn(), settings::KIOSK_EXIT_PIN_HASH)?.is_some())
}

/// Checks a typed exit PIN against the stored hash. No PIN set means no
/// PIN is right. (argon2 takes a noticeable moment: run it on the worker.)
pub fn check_exit_pin(store: &Store, typed: &str) -> AppResult<bool> {
    Ok(
        match settings::get(store.conn(), settings::KIOSK_EXIT_PIN_HASH)? {
            Some(hash) => crate::domain::pin::verify(typed, &hash),
            None => false,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, DEFAULT_CONFIG};
    use crate::domain::{PersonName, Phone};
    use crate::store::{appeals, events};
    use chrono::TimeZone;
    use std::path::Path;

    fn setup() -> (Store, Context) {
        let config = Config::parse(DEFAULT_CONFIG, Path::new("test.toml")).unwrap();
        let store = Store::open_in_memory(&config.point.id).unwrap();
        (store, Context::new(config))
    }

    #[test]
    fn ticket_numbers_restart_at_local_midnight() {
        let (mut store, ctx) = setup();
        let housing = CategoryId::new("housing");
        let evening = Utc.with_ymd_and_hms(2026, 3, 2, 18, 58, 0).unwrap(); // 23:58 Almaty
        let a = take_ticket(
            &mut store,
            &ctx,
            &housing,
            Priority::Ordinary,
            Lang::Kk,
            evening,
        )
        .unwrap();
        let b = take_ticket(
            &mut store,
            &ctx,
            &housing,
            Priority::Ordinary,
            Lang::Kk,
            evening,
        )
        .unwrap();
        let night = Utc.with_ymd_and_hms(2026, 3, 2, 19, 1, 0).unwrap(); // 00:01 next day
        let c = take_ticket(
            &mut store,
            &ctx,
            &housing,
            Priority::Ordinary,
            Lang::Kk,
            night,
        )
        .unwrap();
        let other = take_ticket(
            &mut store,
            &ctx,
            &CategoryId::new("roads"),
            Priority::Veteran,
            Lang::Ru,
            night,
        )
        .unwrap();
        assert_eq!(
            [a.number.to_string(), b.number.to_string()],
            ["Ж-001", "Ж-002"]
        );
        assert_eq!(c.number.to_string(), "Ж-001");
        assert_eq!(other.number.to_string(), "Д-001");
        assert_eq!([a.seq, b.seq, c.seq, other.seq], [1, 2, 3, 4]);
        assert_eq!(b.place.ahead, 1);
        assert_eq!(b.place.estimated_wait_minutes, 5); // 1 ahead × 10 min / 2 desks
    }

    #[test]
    fn campaign_mode_takes_only_programme_proposals() {
        let (mut store, mut ctx) = setup();
        ctx.config.kiosk.campaign_mode = true;
        let now = Utc::now();
        let r = take_ticket(
            &mut store,
            &ctx,
            &CategoryId::new("housing"),
            Priority::Ordinary,
            Lang::Ru,
            now,
        );
        assert!(matches!(r, Err(AppError::CampaignMode)));
        assert!(
            take_ticket(
                &mut store,
                &ctx,
                &CategoryId::new("programme"),
                Priority::Ordinary,
                Lang::Ru,
                now
            )
            .is_ok()
        );
        let consultation = WrittenAppeal {
            kind: AppealKind::Consultation,
            category: CategoryId::new("programme"),
            author: Author::Anonymous,
            text: AppealText::parse("вопрос").unwrap(),
            lang: Lang::Ru,
        };
        assert!(matches!(
            leave_written_appeal(&mut store, &ctx, consultation, now),
            Err(AppError::CampaignMode)
        ));
        // refused attempts leave nothing behind
        assert_eq!(events::last_seq(store.conn()).unwrap(), 1);
    }

    #[test]
    fn written_appeal_without_consent_is_anonymous() {
        let (mut store, ctx) = setup();
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 5, 0, 0).unwrap();
        let anon = WrittenAppeal {
            kind: AppealKind::Complaint,
            category: CategoryId::new("utilities"),
            author: Author::Anonymous,
            text: AppealText::parse("В квартире холодно").unwrap(),
            lang: Lang::Ru,
        };
        let r = leave_written_appeal(&mut store, &ctx, anon, now).unwrap();
        assert_eq!(r.number.to_string(), "2026-00001");
        let row = appeals::get(store.conn(), r.id).unwrap().unwrap();
        assert!(!row.consent && row.citizen_name.is_none());
        let named = WrittenAppeal {
            kind: AppealKind::Request,
            category: CategoryId::new("housing"),
            author: Author::Consented(Citizen {
                name: PersonName::parse("Серік Жұмабаев").unwrap(),
                iin: None,
                phone: Some(Phone::parse("87011234567").unwrap()),
                settlement: None,
                workplace: None,
            }),
            text: AppealText::parse("Тұрғын үй кезегі").unwrap(),
            lang: Lang::Kk,
        };
        let r2 = leave_written_appeal(&mut store, &ctx, named, now).unwrap();
        assert_eq!(r2.number.number, 2);
        let found = appeals::search(store.conn(), "СЕРІК кезег", 10).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, r2.id);
        assert_eq!(found[0].recorded_by, "kiosk");
    }

    #[test]
    fn exit_pin_is_kept_only_as_a_hash() {
        let (mut store, _ctx) = setup();
        assert!(!exit_pin_is_set(&store).unwrap());
        assert!(!check_exit_pin(&store, "2468").unwrap());
        assert!(set_exit_pin(&mut store, "12", Utc::now()).is_err());
        set_exit_pin(&mut store, "2468", Utc::now()).unwrap();
        assert!(exit_pin_is_set(&store).unwrap());
        let stored = settings::get(store.conn(), settings::KIOSK_EXIT_PIN_HASH)
            .unwrap()
            .unwrap();
        assert!(stored.starts_with("$argon2") && !stored.contains("2468"));
        assert!(check_exit_pin(&store, "2468").unwrap());
        assert!(!check_exit_pin(&store, "2469").unwrap());
        // setting it again replaces it
        set_exit_pin(&mut store, "97531", Utc::now()).unwrap();
        assert!(!check_exit_pin(&store, "2468").unwrap());
        assert!(check_exit_pin(&store, "97531").unwrap());
        // a local setting, not an event
        assert_eq!(events::last_seq(store.conn()).unwrap(), 0);
    }
}
