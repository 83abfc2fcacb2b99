//! The desk's side of the queue: the line it sees, calling the next ticket
//! and moving the current one.

use super::records::TicketRecord;
use super::{DeskError, Operator, check_desk};
use crate::app::{AppResult, Context};
use crate::domain::event::{DeskNo, EventBody, TicketAtDesk, TicketRef, TicketTransferred};
use crate::domain::queue::{self, Waiting};
use crate::domain::ticket::TicketMove;
use crate::domain::{CategoryId, TicketState};
use crate::store::tickets::{self, TicketRow};
use crate::store::{Read, Store, Writer};
use chrono::{DateTime, Utc};

/// The day's waiting line as `desk` sees it, in calling order.
pub fn line_for_desk(
    db: &impl Read,
    ctx: &Context,
    desk: DeskNo,
    now: DateTime<Utc>,
) -> AppResult<Vec<TicketRecord>> {
    check_desk(ctx, desk)?;
    let day = ctx.service_date(now);
    let waiting: Vec<Waiting<TicketRow>> =
        tickets::of_day_in_state(db.conn(), day, TicketState::Waiting)?
            .into_iter()
            .map(|t| Waiting {
                category: t.category.clone(),
                priority: t.priority,
                taken_at: t.taken_at,
                target_desk: t.target_desk,
                id: t,
            })
            .collect();
    let categories = ctx
        .config
        .desk(desk)
        .map(|d| d.categories.clone())
        .unwrap_or_default();
    Ok(
        queue::for_desk(&waiting, desk, &categories, now, &ctx.wait_limit())
            .into_iter()
            .map(|w| w.id.into())
            .collect(),
    )
}

/// The ticket this desk has called or is serving today.
pub fn current(
    db: &impl Read,
    ctx: &Context,
    desk: DeskNo,
    now: DateTime<Utc>,
) -> AppResult<Option<TicketRecord>> {
    Ok(tickets::of_day(db.conn(), ctx.service_date(now))?
        .into_iter()
        .rev()
        .find(|t| {
            t.desk == Some(desk) && matches!(t.state, TicketState::Called | TicketState::Serving)
        })
        .map(TicketRecord::from))
}

/// Calls the first ticket of this desk's line. Reading the line and
/// appending the call happen in one `BEGIN IMMEDIATE` transaction, so two
/// desks pressing at the same moment are served one after the other and
/// never get the same ticket.
pub fn call_next(
    store: &mut Store,
    ctx: &Context,
    op: &Operator,
    desk: DeskNo,
    now: DateTime<Utc>,
) -> AppResult<TicketRecord> {
    call(store, ctx, op, desk, Which::Next, now)
}

/// Which waiting ticket a desk calls: the next in turn, or one the operator
/// chose from the line (a citizen who stepped out and came back, a ticket
/// the rule would call later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Next,
    Chosen(uuid::Uuid),
}

/// Calls a waiting ticket of this desk's line, as `which` says. A chosen
/// ticket that left the line meanwhile (another desk called it) is
/// refused, never called twice.
pub fn call(
    store: &mut Store,
    ctx: &Context,
    op: &Operator,
    desk: DeskNo,
    which: Which,
    now: DateTime<Utc>,
) -> AppResult<TicketRecord> {
    check_desk(ctx, desk)?;
    store.write(&op.actor(), now, |w| -> AppResult<TicketRecord> {
        if let Some(p) = crate::store::pauses::of_desk(w.conn(), desk)? {
            return Err(DeskError::Paused(p.reason).into());
        }
        if let Some(busy) = current(w, ctx, desk, now)? {
            return Err(DeskError::Busy(busy.number).into());
        }
        let line = line_for_desk(w, ctx, desk, now)?;
        let ticket = match which {
            Which::Next => line.into_iter().next().ok_or(DeskError::QueueEmpty)?,
            Which::Chosen(id) => line
                .into_iter()
                .find(|t| t.id == id)
                .ok_or(DeskError::NotInLine)?,
        };
        ticket.state.apply(TicketMove::Call)?;
        w.append(&EventBody::TicketCalled(TicketAtDesk {
            ticket_id: ticket.id,
            desk,
        }))?;
        reread(w, &ticket)
    })
}

/// Brings this desk's latest no-show of the day back into the line (the
/// citizen had stepped out and came back): undo for `X`, which takes
/// effect at once. The ticket keeps its number and the time it was taken,
/// so it is called again soon.
pub fn return_no_show(
    store: &mut Store,
    ctx: &Context,
    op: &Operator,
    desk: DeskNo,
    now: DateTime<Utc>,
) -> AppResult<TicketRecord> {
    check_desk(ctx, desk)?;
    store.write(&op.actor(), now, |w| -> AppResult<TicketRecord> {
        let last = tickets::of_day(w.conn(), ctx.service_date(now))?
            .into_iter()
            .filter(|t| t.state == TicketState::NoShow && t.desk == Some(desk))
            .max_by_key(|t| t.finished_at)
            .map(TicketRecord::from)
            .ok_or(DeskError::NoNoShow)?;
        last.state.apply(TicketMove::Return)?;
        w.append(&EventBody::TicketReturned(TicketRef { ticket_id: last.id }))?;
        reread(w, &last)
    })
}

/// Where a transferred ticket goes: another category, and optionally one
/// desk (otherwise any desk serving the category).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferTo {
    pub category: CategoryId,
    pub desk: Option<DeskNo>,
}

/// What can be done to the desk's current ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Move {
    Recall,
    StartServing,
    NoShow,
    Transfer(TransferTo),
    Finish,
}

/// Applies `action` to this desk's current ticket, refusing moves the
/// ticket's state does not allow.
pub fn move_current(
    store: &mut Store,
    ctx: &Context,
    op: &Operator,
    desk: DeskNo,
    action: Move,
    now: DateTime<Utc>,
) -> AppResult<TicketRecord> {
    check_desk(ctx, desk)?;
    if let Move::Transfer(to) = &action {
        if ctx.catalogue.get(&to.category).is_none() {
            return Err(crate::app::AppError::UnknownCategory(
                to.category.to_string(),
            ));
        }
        if let Some(d) = to.desk {
            check_desk(ctx, d)?;
            if d == desk {
                return Err(DeskError::SameDesk.into());
            }
        }
    }
    store.write(&op.actor(), now, |w| -> AppResult<TicketRecord> {
        let ticket = current(w, ctx, desk, now)?.ok_or(DeskError::NoCurrentTicket)?;
        let ticket_id = ticket.id;
        let (m, body) = match action {
            Move::Recall => (
                TicketMove::Recall,
                EventBody::TicketRecalled(TicketAtDesk { ticket_id, desk }),
            ),
            Move::StartServing => (
                TicketMove::StartServing,
                EventBody::TicketServing(TicketAtDesk { ticket_id, desk }),
            ),
            Move::NoShow => (
                TicketMove::NoShow,
                EventBody::TicketNoShow(TicketRef { ticket_id }),
            ),
            Move::Transfer(to) => (
                TicketMove::Transfer,
                EventBody::TicketTransferred(TicketTransferred {
                    ticket_id,
                    category: to.category,
                    desk: to.desk,
                }),
            ),
            Move::Finish => (
                TicketMove::Finish,
                EventBody::TicketFinished(TicketRef { ticket_id }),
            ),
        };
        ticket.state.apply(m)?;
        w.append(&body)?;
        reread(w, &ticket)
    })
}

fn reread(w: &Writer<'_>, ticket: &TicketRecord) -> AppResult<TicketRecord> {
    Ok(tickets::get(w.conn(), ticket.id)?.map_or_else(|| ticket.clone(), TicketRecord::from))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::app::AppError;
    use crate::app::kiosk::take_ticket;
    use crate::domain::staff::Role;
    use crate::domain::{Lang, Priority};
    use crate::store::events;
    use chrono::{Duration, TimeZone};

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 4, 0, 0).unwrap() // 09:00 in Almaty
    }

    fn take(s: &mut Store, ctx: &Context, cat: &str, p: Priority, at: DateTime<Utc>) -> String {
        take_ticket(s, ctx, &CategoryId::new(cat), p, Lang::Ru, at)
            .unwrap()
            .number
            .to_string()
    }

    fn numbers(rows: &[TicketRecord]) -> Vec<String> {
        rows.iter().map(|t| t.number.to_string()).collect()
    }

    #[test]
    fn each_desk_sees_its_categories_priority_first() {
        let (mut s, ctx) = (store(), ctx());
        take(&mut s, &ctx, "housing", Priority::Ordinary, t0());
        take(
            &mut s,
            &ctx,
            "labour",
            Priority::Ordinary,
            t0() + Duration::minutes(1),
        );
        take(
            &mut s,
            &ctx,
            "utilities",
            Priority::Veteran,
            t0() + Duration::minutes(2),
        );
        take(
            &mut s,
            &ctx,
            "health",
            Priority::Ordinary,
            t0() + Duration::minutes(3),
        );
        let now = t0() + Duration::minutes(5);
        let line = |d| numbers(&line_for_desk(&s, &ctx, d, now).unwrap());
        assert_eq!(line(1), ["К-001", "Ж-001"]);
        assert_eq!(line(2), ["Т-001"]);
        assert_eq!(line(3), ["К-001", "Ж-001", "Т-001", "М-001"]);
        // after the wait limit (30 min) the ordinary housing ticket, taken
        // before the veteran's, goes first
        let later = t0() + Duration::minutes(31);
        assert_eq!(
            numbers(&line_for_desk(&s, &ctx, 1, later).unwrap()),
            ["Ж-001", "К-001"]
        );
        assert!(matches!(
            line_for_desk(&s, &ctx, 9, now),
            Err(AppError::Desk(DeskError::UnknownDesk(9)))
        ));
    }

    /// Ж-001 at 09:00 and Ж-002 a minute later, both waiting.
    fn two_housing_tickets() -> (Store, Context) {
        let (mut s, ctx) = (store(), ctx());
        take(&mut s, &ctx, "housing", Priority::Ordinary, t0());
        take(
            &mut s,
            &ctx,
            "housing",
            Priority::Ordinary,
            t0() + Duration::minutes(1),
        );
        (s, ctx)
    }

    #[test]
    fn a_chosen_ticket_is_called_out_of_turn_once() {
        let (mut s, ctx) = two_housing_tickets();
        let now = t0() + Duration::minutes(2);
        let second = line_for_desk(&s, &ctx, 1, now).unwrap()[1].clone();
        assert_eq!(second.number.to_string(), "Ж-002");
        let op = operator(Role::Operator);
        let called = call(&mut s, &ctx, &op, 1, Which::Chosen(second.id), now).unwrap();
        assert_eq!(called.number.to_string(), "Ж-002");
        assert_eq!(called.state, TicketState::Called);
        assert_eq!(
            numbers(&line_for_desk(&s, &ctx, 1, now).unwrap()),
            ["Ж-001"]
        );
        // called already: not in the line any more, another desk cannot
        // call it twice
        let other = call(&mut s, &ctx, &op, 3, Which::Chosen(second.id), now);
        assert!(
            matches!(other, Err(AppError::Desk(DeskError::NotInLine))),
            "{other:?}"
        );
    }

    #[test]
    fn a_no_show_comes_back_into_the_line_once() {
        let (mut s, ctx) = two_housing_tickets();
        let op = operator(Role::Operator);
        let now = t0() + Duration::minutes(5);
        let missed = call_next(&mut s, &ctx, &op, 1, now).unwrap();
        move_current(&mut s, &ctx, &op, 1, Move::NoShow, now).unwrap();
        assert_eq!(
            numbers(&line_for_desk(&s, &ctx, 1, now).unwrap()),
            ["Ж-002"]
        );
        // the citizen is back: first in the line again, not a no-show
        let back = return_no_show(&mut s, &ctx, &op, 1, now + Duration::minutes(2)).unwrap();
        assert_eq!(back.id, missed.id);
        assert_eq!(back.state, TicketState::Waiting);
        assert_eq!(back.desk, None);
        assert_eq!(
            numbers(&line_for_desk(&s, &ctx, 1, now).unwrap()),
            ["Ж-001", "Ж-002"]
        );
        // nothing more to bring back
        assert!(matches!(
            return_no_show(&mut s, &ctx, &op, 1, now),
            Err(AppError::Desk(DeskError::NoNoShow))
        ));
        let kinds: Vec<String> = events::after(s.conn(), 0, 100)
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(kinds.last().map(String::as_str), Some("ticket_returned"));
    }

    #[test]
    fn call_serve_finish_with_operator_as_actor() {
        let (mut s, ctx) = (store(), ctx());
        let op = operator(Role::Operator);
        take(&mut s, &ctx, "housing", Priority::Ordinary, t0());
        take(&mut s, &ctx, "housing", Priority::Ordinary, t0());
        let now = t0() + Duration::minutes(3);
        let called = call_next(&mut s, &ctx, &op, 1, now).unwrap();
        assert_eq!(called.number.to_string(), "Ж-001");
        assert_eq!(called.state, TicketState::Called);
        assert_eq!(called.desk, Some(1));
        // the desk is busy until the ticket is finished or a no-show
        assert!(matches!(
            call_next(&mut s, &ctx, &op, 1, now),
            Err(AppError::Desk(DeskError::Busy(_)))
        ));
        // finishing a ticket nobody started serving is refused
        assert!(matches!(
            move_current(&mut s, &ctx, &op, 1, Move::Finish, now),
            Err(AppError::TicketMove(_))
        ));
        let r = move_current(&mut s, &ctx, &op, 1, Move::Recall, now).unwrap();
        assert_eq!(r.recalls, 1);
        let r = move_current(&mut s, &ctx, &op, 1, Move::StartServing, now).unwrap();
        assert_eq!(r.state, TicketState::Serving);
        let r = move_current(&mut s, &ctx, &op, 1, Move::Finish, now).unwrap();
        assert_eq!(r.state, TicketState::Done);
        assert!(matches!(
            move_current(&mut s, &ctx, &op, 1, Move::Finish, now),
            Err(AppError::Desk(DeskError::NoCurrentTicket))
        ));
        let next = call_next(&mut s, &ctx, &op, 1, now).unwrap();
        assert_eq!(next.number.to_string(), "Ж-002");
        let r = move_current(&mut s, &ctx, &op, 1, Move::NoShow, now).unwrap();
        assert_eq!(r.state, TicketState::NoShow);
        assert!(matches!(
            call_next(&mut s, &ctx, &op, 1, now),
            Err(AppError::Desk(DeskError::QueueEmpty))
        ));
        let ev = events::after(s.conn(), 2, 100).unwrap();
        let kinds: Vec<&str> = ev.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "ticket_called",
                "ticket_recalled",
                "ticket_serving",
                "ticket_finished",
                "ticket_called",
                "ticket_no_show"
            ]
        );
        assert!(ev.iter().all(|e| e.actor == "staff:aigul"));
    }

    #[test]
    fn transfer_to_a_category_or_a_desk() {
        let (mut s, ctx) = (store(), ctx());
        let op = operator(Role::Operator);
        take(&mut s, &ctx, "housing", Priority::Ordinary, t0());
        let now = t0() + Duration::minutes(1);
        call_next(&mut s, &ctx, &op, 1, now).unwrap();
        // to the labour category: desk 2 (labour) and desk 3 (all) see it
        let to_labour = Move::Transfer(TransferTo {
            category: CategoryId::new("labour"),
            desk: None,
        });
        let r = move_current(&mut s, &ctx, &op, 1, to_labour, now).unwrap();
        assert_eq!(r.state, TicketState::Waiting);
        assert_eq!(r.category, CategoryId::new("labour"));
        assert!(line_for_desk(&s, &ctx, 1, now).unwrap().is_empty());
        assert_eq!(line_for_desk(&s, &ctx, 2, now).unwrap().len(), 1);
        // desk 2 calls it and sends it to desk 3 alone
        call_next(&mut s, &ctx, &op, 2, now).unwrap();
        let to_desk3 = Move::Transfer(TransferTo {
            category: CategoryId::new("labour"),
            desk: Some(3),
        });
        move_current(&mut s, &ctx, &op, 2, to_desk3, now).unwrap();
        assert!(line_for_desk(&s, &ctx, 2, now).unwrap().is_empty());
        assert_eq!(line_for_desk(&s, &ctx, 3, now).unwrap().len(), 1);
        let same = Move::Transfer(TransferTo {
            category: CategoryId::new("labour"),
            desk: Some(3),
        });
        call_next(&mut s, &ctx, &op, 3, now).unwrap();
        assert!(matches!(
            move_current(&mut s, &ctx, &op, 3, same, now),
            Err(AppError::Desk(DeskError::SameDesk))
        ));
        let nowhere = Move::Transfer(TransferTo {
            category: CategoryId::new("spaceflight"),
            desk: None,
        });
        assert!(matches!(
            move_current(&mut s, &ctx, &op, 3, nowhere, now),
            Err(AppError::UnknownCategory(_))
        ));
    }

    /// Two connections to one file, two threads pressing "call next" as fast
    /// as they can: every ticket is called exactly once.
    #[test]
    fn two_desks_calling_at_once_never_share_a_ticket() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.db");
        let ctx = ctx();
        let mut s = Store::open(&path, ctx.point_id()).unwrap();
        let now = Utc::now();
        for _ in 0..60 {
            take_ticket(
                &mut s,
                &ctx,
                &CategoryId::new("health"),
                Priority::Ordinary,
                Lang::Kk,
                now,
            )
            .unwrap();
        }
        drop(s);
        let worker = |desk: DeskNo, path: std::path::PathBuf, ctx: Context| {
            std::thread::spawn(move || {
                let mut s = Store::open(&path, ctx.point_id()).unwrap();
                let op = operator(Role::Operator);
                let mut got = Vec::new();
                loop {
                    match call_next(&mut s, &ctx, &op, desk, Utc::now()) {
                        Ok(t) => {
                            got.push(t.id);
                            move_current(&mut s, &ctx, &op, desk, Move::NoShow, Utc::now())
                                .unwrap();
                        }
                        Err(AppError::Desk(DeskError::QueueEmpty)) => break,
                        Err(e) => panic!("{e}"),
                    }
                }
                got
            })
        };
        // desks 3 and a second seat also serving all categories
        let mut ctx2 = ctx.clone();
        ctx2.config.desks.push(crate::config::DeskConfig {
            number: 4,
            name: String::new(),
            categories: vec![],
        });
        let a = worker(3, path.clone(), ctx2.clone());
        let b = worker(4, path.clone(), ctx2);
        let (a, b) = (a.join().unwrap(), b.join().unwrap());
        let mut all: Vec<_> = a.iter().chain(&b).collect();
        assert_eq!(all.len(), 60);
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 60, "a ticket was called twice");
        let s = Store::open(&path, ctx.point_id()).unwrap();
        let calls = events::after(s.conn(), 0, 1000)
            .unwrap()
            .into_iter()
            .filter(|e| e.kind == "ticket_called")
            .count();
        assert_eq!(calls, 60);
    }
}
