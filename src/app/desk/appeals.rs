//! Appeals heard at the desk: recording them, and keeping those under
//! control until they are closed.

use super::form::{self, AppealInput};
use super::records::AppealRecord;
use super::{DeskError, Operator};
use crate::app::kiosk::AppealReceived;
use crate::app::register::register_appeal;
use crate::app::{AppError, AppResult, Context};
use crate::domain::appeal::Outcome;
use crate::domain::event::{
    AppealControlSet, AppealDeadlineExtended, AppealNote, AppealOutcomeSet, AppealRecorded,
    Control, DeskNo, EventBody,
};
use crate::domain::personal::Personal;
use crate::domain::text::TextError;
use crate::domain::{AppealText, Iin, PersonName, Phone, ShortText, TicketState, sanitize_line};
use crate::store::appeals::{self, AppealRow};
use crate::store::search::fold;
use crate::store::{Store, sessions, tickets};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use uuid::Uuid;

/// Records an appeal heard at `desk`. The form is checked again here; the
/// appeal belongs to the reception session open at the moment, if any.
pub fn record_appeal(
    store: &mut Store,
    ctx: &Context,
    op: &Operator,
    desk: Option<DeskNo>,
    input: &AppealInput,
    now: DateTime<Utc>,
) -> AppResult<AppealReceived> {
    let campaign = ctx.campaign_mode(store)?;
    let today = ctx.service_date(now);
    let valid = form::validate(input, ctx.catalogue, campaign, today)
        .map_err(|bad| AppError::from(DeskError::Invalid(bad)))?;
    let year = now.with_timezone(&ctx.tz()).year();
    let id = Uuid::now_v7();
    store.write(&op.actor(), now, |w| -> AppResult<AppealReceived> {
        if let Some(t) = valid.ticket_id {
            let row = tickets::get(w.conn(), t)?
                .ok_or_else(|| AppError::NotFound(format!("ticket {t}")))?;
            if !matches!(row.state, TicketState::Called | TicketState::Serving) {
                return Err(AppError::NotFound(format!(
                    "ticket {} at a desk",
                    row.number
                )));
            }
        }
        let session_id = sessions::open(w.conn())?.map(|s| s.id);
        let (number, seq) = register_appeal(w, year, |number| AppealRecorded {
            appeal_id: id,
            number,
            kind: valid.kind,
            channel: valid.channel,
            category: valid.category,
            citizen: valid.citizen.map(Personal::Clear),
            consent: valid.consent,
            text: Personal::Clear(valid.text),
            subject: None,
            heard_by: valid.heard_by,
            ticket_id: valid.ticket_id,
            session_id,
            desk,
            lang: valid.lang,
            outcome: valid.outcome,
            redirected_to: valid.redirected_to,
            control: valid.control,
        })?;
        Ok(AppealReceived { id, number, seq })
    })
}

fn appeal(store: &Store, id: Uuid) -> AppResult<AppealRow> {
    appeals::get(store.conn(), id)?.ok_or_else(|| AppError::NotFound(format!("appeal {id}")))
}

fn invalid(field: form::Field, problem: form::Problem) -> AppError {
    DeskError::Invalid(vec![form::Invalid { field, problem }]).into()
}

fn text_problem(e: TextError) -> form::Problem {
    match e {
        TextError::Empty => form::Problem::Required,
        TextError::TooLong { max, .. } => form::Problem::TooLong { max },
    }
}

/// Changes an appeal's outcome. Closing it also takes it off control: a
/// closed appeal has nothing left to follow.
pub fn set_outcome(
    store: &mut Store,
    op: &Operator,
    id: Uuid,
    to: Outcome,
    body: &str,
    note: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let row = appeal(store, id)?;
    let body = if to == Outcome::Redirected && !sanitize_line(body).is_empty() {
        Some(
            ShortText::parse(body)
                .map_err(|e| invalid(form::Field::RedirectedTo, text_problem(e)))?,
        )
    } else {
        None
    };
    let note = if sanitize_line(note).is_empty() {
        None
    } else {
        Some(AppealText::parse(note).map_err(|e| invalid(form::Field::Text, text_problem(e)))?)
    };
    row.outcome.change_to(to, body.as_ref())?;
    store.write(&op.actor(), now, |w| -> AppResult<()> {
        let current = appeals::outcome_stamp(w.conn(), id)?;
        w.append(&EventBody::AppealOutcomeSet(AppealOutcomeSet {
            effective_at: crate::domain::appeal_state::seen_after(now, current.as_ref()),
            appeal_id: id,
            outcome: to,
            redirected_to: body,
            note,
        }))?;
        if to.is_closed() && row.under_control {
            w.append(&EventBody::AppealControlSet(AppealControlSet {
                appeal_id: id,
                control: None,
            }))?;
        }
        Ok(())
    })
}

/// Puts an appeal under control (responsible person, deadline not in the
/// past), or takes it off with `None`.
pub fn set_control(
    store: &mut Store,
    ctx: &Context,
    op: &Operator,
    id: Uuid,
    control: Option<(&str, NaiveDate)>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    appeal(store, id)?;
    let control = match control {
        None => None,
        Some((who, deadline)) => {
            let responsible = PersonName::parse(who)
                .map_err(|e| invalid(form::Field::Responsible, text_problem(e)))?;
            if deadline < ctx.service_date(now) {
                return Err(invalid(form::Field::Deadline, form::Problem::DateInPast));
            }
            Some(Control {
                responsible,
                deadline,
            })
        }
    };
    store.write(&op.actor(), now, |w| -> AppResult<()> {
        w.append(&EventBody::AppealControlSet(AppealControlSet {
            appeal_id: id,
            control,
        }))?;
        Ok(())
    })
}

/// Moves the deadline of an appeal under control later, with a reason.
pub fn extend_deadline(
    store: &mut Store,
    op: &Operator,
    id: Uuid,
    deadline: NaiveDate,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let row = appeal(store, id)?;
    if !row.under_control {
        return Err(DeskError::NotUnderControl.into());
    }
    if row.deadline.is_some_and(|d| deadline <= d) {
        return Err(DeskError::DeadlineNotLater.into());
    }
    let reason =
        AppealText::parse(reason).map_err(|e| invalid(form::Field::Text, text_problem(e)))?;
    store.write(&op.actor(), now, |w| -> AppResult<()> {
        w.append(&EventBody::AppealDeadlineExtended(AppealDeadlineExtended {
            appeal_id: id,
            deadline,
            reason,
        }))?;
        Ok(())
    })
}

/// A follow-up note: a call made, an answer received, a visit.
pub fn follow_up(
    store: &mut Store,
    op: &Operator,
    id: Uuid,
    note: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    appeal(store, id)?;
    let note = AppealText::parse(note).map_err(|e| invalid(form::Field::Text, text_problem(e)))?;
    store.write(&op.actor(), now, |w| -> AppResult<()> {
        w.append(&EventBody::AppealFollowUp(AppealNote {
            appeal_id: id,
            note,
        }))?;
        Ok(())
    })
}

/// Earlier appeals of the citizen being typed in: by IIN or phone when they
/// are valid, and by the full name (at least two words, matched whole,
/// regardless of case). Newest first.
pub fn citizen_history(
    store: &Store,
    iin: &str,
    phone: &str,
    name: &str,
    limit: usize,
) -> AppResult<Vec<AppealRecord>> {
    let iin = Iin::parse(iin).ok();
    let phone = Phone::parse(phone).ok();
    let mut rows = appeals::of_citizen(
        store.conn(),
        iin.as_ref().map(Iin::as_str),
        phone.as_ref().map(Phone::as_str),
        limit,
    )?;
    let name = sanitize_line(name);
    if name.split_whitespace().count() >= 2 {
        let wanted = fold(&name.split_whitespace().collect::<Vec<_>>().join(" "));
        for row in appeals::search_newest(store.conn(), &name, 200)? {
            let same = row.citizen_name.as_deref().is_some_and(|n| {
                fold(&n.split_whitespace().collect::<Vec<_>>().join(" ")) == wanted
            });
            if same && !rows.iter().any(|r| r.id == row.id) {
                rows.push(row);
            }
        }
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.received_at));
    rows.truncate(limit);
    Ok(rows.into_iter().map(AppealRecord::from).collect())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::tickets::{Move, call_next, move_current};
    use super::*;
    use crate::app::kiosk::take_ticket;
    use crate::domain::appeal::AppealKind;
    use crate::domain::staff::Role;
    use crate::domain::{CategoryId, Lang, Priority};
    use crate::store::events;
    use chrono::{Duration, TimeZone};

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 5, 0, 0).unwrap()
    }

    fn input(name: &str, iin: &str) -> AppealInput {
        let mut i = AppealInput::new(CategoryId::new("housing"), Lang::Ru);
        i.name = name.into();
        i.iin = iin.into();
        i.consent = true;
        i.text = "Прошу восстановить в очереди на жильё".into();
        i
    }

    #[test]
    fn invalid_form_writes_nothing() {
        let (mut s, ctx) = (store(), ctx());
        let op = operator(Role::Operator);
        let r = record_appeal(
            &mut s,
            &ctx,
            &op,
            Some(1),
            &input("Серік Жұмабаев", "791028302729"),
            t0(),
        );
        match r {
            Err(AppError::Desk(DeskError::Invalid(v))) => {
                assert_eq!(v[0].field, form::Field::Iin)
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(events::last_seq(s.conn()).unwrap(), 0);
    }

    #[test]
    fn appeal_with_ticket_control_and_session() {
        let (mut s, ctx) = (store(), ctx());
        let op = operator(Role::Operator);
        let t = take_ticket(
            &mut s,
            &ctx,
            &CategoryId::new("housing"),
            Priority::Ordinary,
            Lang::Ru,
            t0(),
        )
        .unwrap();
        call_next(&mut s, &ctx, &op, 1, t0()).unwrap();
        move_current(&mut s, &ctx, &op, 1, Move::StartServing, t0()).unwrap();
        super::super::sessions::open_session(
            &mut s,
            &op,
            crate::domain::event::SessionKind::Mobile,
            ctx.service_date(t0()),
            "Ауыл Жаңажол",
            &["Аким села".to_string()],
            t0(),
        )
        .unwrap();
        let mut i = input("Серік Жұмабаев", "791028302728");
        i.ticket_id = Some(t.id);
        i.under_control = true;
        i.responsible = "Жилищный отдел".into();
        i.deadline = "23.03.2026".into();
        let r = record_appeal(&mut s, &ctx, &op, Some(1), &i, t0()).unwrap();
        let row = appeals::get(s.conn(), r.id).unwrap().unwrap();
        assert_eq!(row.recorded_by, "staff:aigul");
        assert_eq!(row.ticket_id, Some(t.id));
        assert!(row.session_id.is_some());
        assert!(row.under_control);
        assert_eq!(row.deadline, form::parse_date("23.03.2026"));
        assert_eq!(row.desk, Some(1));
        // a second appeal of the same person is marked repeated and found
        let r2 = record_appeal(
            &mut s,
            &ctx,
            &op,
            Some(1),
            &input("серік  жұмабаев", ""),
            t0(),
        )
        .unwrap();
        let h = citizen_history(&s, "791028302728", "", "", 10).unwrap();
        assert_eq!(h.len(), 1);
        let h = citizen_history(&s, "", "", "СЕРІК Жұмабаев", 10).unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].id, r2.id);
        assert!(citizen_history(&s, "", "", "Серік", 10).unwrap().is_empty());
    }

    /// Every outcome change, through the use case: legal ones are recorded
    /// with the operator as actor, illegal ones leave no event.
    #[test]
    fn every_outcome_transition_through_the_use_case() {
        let ctx = ctx();
        let op = operator(Role::Operator);
        for &from in Outcome::ALL {
            for &to in Outcome::ALL {
                let mut s = store();
                let mut i = input("Айгерім Сәрсенова", "");
                i.outcome = from;
                i.redirected_to = "Акимат района".into();
                let id = match record_appeal(&mut s, &ctx, &op, Some(1), &i, t0()) {
                    Ok(r) => r.id,
                    Err(e) => panic!("{from}: {e}"),
                };
                let before = events::last_seq(s.conn()).unwrap();
                let r = set_outcome(&mut s, &op, id, to, "Управление ЖКХ", "", t0());
                let legal = from
                    .change_to(to, ShortText::parse("x").ok().as_ref())
                    .is_ok();
                assert_eq!(r.is_ok(), legal, "{from} -> {to}: {r:?}");
                let row = appeals::get(s.conn(), id).unwrap().unwrap();
                if legal {
                    assert_eq!(row.outcome, to);
                    let ev = events::after(s.conn(), before, 10).unwrap();
                    assert_eq!(ev[0].kind, "appeal_outcome_set");
                    assert_eq!(ev[0].actor, "staff:aigul");
                    assert_eq!(row.closed_at.is_some(), to.is_closed());
                } else {
                    assert_eq!(row.outcome, from);
                    assert_eq!(events::last_seq(s.conn()).unwrap(), before);
                }
            }
        }
    }

    #[test]
    fn search_forgives_letters_phones_and_the_latin_alphabet() {
        let (mut s, ctx) = (store(), ctx());
        let op = operator(Role::Operator);
        let mut i = input("Қасымова Әлия Серікқызы", "");
        i.phone = "+77011234567".into();
        let id = record_appeal(&mut s, &ctx, &op, None, &i, t0()).unwrap().id;
        record_appeal(&mut s, &ctx, &op, None, &input("Петров Иван", ""), t0()).unwrap();
        let found = |typed: &str| -> Vec<uuid::Uuid> {
            super::super::records::search(&s, typed, 10)
                .unwrap()
                .into_iter()
                .map(|a| a.id)
                .collect()
        };
        for typed in [
            "Қасымова",
            "Касымова",     // a Russian К
            "касымова али", // and и for і
            "Qasymova",
            "Qasymova Älia",
            "+77011234567",
            "+7 701 123 45 67",
            "8 701 123 45 67",
            "8 (701) 123-45-67",
            "701 123 45 67",
            "8 701 123",
        ] {
            assert_eq!(found(typed), [id], "{typed}");
        }
        assert!(found("8 702 123 45 67").is_empty());
    }

    #[test]
    fn redirect_without_body_refused() {
        let (mut s, ctx) = (store(), ctx());
        let op = operator(Role::Operator);
        let id = record_appeal(
            &mut s,
            &ctx,
            &op,
            None,
            &input("Айгерім Сәрсенова", ""),
            t0(),
        )
        .unwrap()
        .id;
        assert!(set_outcome(&mut s, &op, id, Outcome::Redirected, "  ", "", t0()).is_err());
        set_outcome(
            &mut s,
            &op,
            id,
            Outcome::Redirected,
            "Акимат",
            "передано",
            t0(),
        )
        .unwrap();
        let row = appeals::get(s.conn(), id).unwrap().unwrap();
        assert_eq!(row.redirected_to.as_deref(), Some("Акимат"));
    }

    #[test]
    fn control_follow_up_extend_and_close() {
        let (mut s, ctx) = (store(), ctx());
        let op = operator(Role::Operator);
        let mut i = input("Айгерім Сәрсенова", "");
        i.kind = AppealKind::Complaint;
        let id = record_appeal(&mut s, &ctx, &op, None, &i, t0()).unwrap().id;
        let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
        assert!(matches!(
            extend_deadline(&mut s, &op, id, d(30), "ждём ответа", t0()),
            Err(AppError::Desk(DeskError::NotUnderControl))
        ));
        assert!(set_control(&mut s, &ctx, &op, id, Some(("ЖКХ", d(1))), t0()).is_err());
        set_control(&mut s, &ctx, &op, id, Some(("Отдел ЖКХ", d(23))), t0()).unwrap();
        assert!(matches!(
            extend_deadline(&mut s, &op, id, d(20), "раньше", t0()),
            Err(AppError::Desk(DeskError::DeadlineNotLater))
        ));
        assert!(extend_deadline(&mut s, &op, id, d(30), "  ", t0()).is_err());
        extend_deadline(&mut s, &op, id, d(30), "Ждём ответа акимата", t0()).unwrap();
        follow_up(
            &mut s,
            &op,
            id,
            "Позвонили заявителю",
            t0() + Duration::hours(1),
        )
        .unwrap();
        assert_eq!(appeals::under_control(s.conn()).unwrap().len(), 1);
        set_outcome(
            &mut s,
            &op,
            id,
            Outcome::ResolvedPositive,
            "",
            "Кран заменили",
            t0(),
        )
        .unwrap();
        let row = appeals::get(s.conn(), id).unwrap().unwrap();
        assert!(!row.under_control, "closing takes it off control");
        assert!(appeals::under_control(s.conn()).unwrap().is_empty());
        let h = appeals::history(s.conn(), id).unwrap();
        let kinds: Vec<&str> = h.iter().map(|r| r.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "appeal_recorded",
                "appeal_control_set",
                "appeal_deadline_extended",
                "appeal_follow_up",
                "appeal_outcome_set",
                "appeal_control_set"
            ]
        );
        assert!(h.iter().all(|r| r.actor == "staff:aigul"));
    }
}
