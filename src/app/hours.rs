//! Opening hours at work: the kiosk's refusal of a ticket after its last
//! time (or past a topic's daily limit), and the closing of tickets still
//! waiting when the point closed.

use super::{AppError, AppResult, Context};
use crate::domain::event::{EventBody, TicketRef};
use crate::domain::hours::TicketWindow;
use crate::domain::ticket::TicketMove;
use crate::domain::workdays::Calendar;
use crate::domain::{Actor, Category};
use crate::store::{Store, tickets};
use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::Connection;

/// Why the kiosk gives no ticket now, and when to come back (local time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NoTicket {
    #[error("no tickets now: the point is closed or closes soon")]
    Closed { back: Option<NaiveDateTime> },
    #[error("no more tickets for this topic today: the daily limit is reached")]
    DailyLimit { back: Option<NaiveDateTime> },
}

/// Whether a ticket for `category` may be given at `now`, read on `conn`
/// inside the ticket's own transaction (so the daily limit holds with
/// several kiosks).
pub fn ticket_allowed(
    conn: &Connection,
    ctx: &Context,
    category: &Category,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let local = ctx.local(now);
    let calendar = Calendar::builtin();
    let hours = ctx.hours();
    if let Some(h) = &hours
        && let TicketWindow::Closed { back } = h.ticket_window(local, calendar)
    {
        return Err(AppError::NoTicket(NoTicket::Closed { back }));
    }
    if let Some(limit) = ctx.config.queue.daily_ticket_limits.get(&category.id) {
        let taken = tickets::count_of_category(conn, ctx.service_date(now), category.id.as_str())?;
        if taken >= *limit {
            let back = hours.as_ref().and_then(|h| {
                let tomorrow = (local.date() + chrono::Days::new(1)).and_hms_opt(0, 0, 0)?;
                h.next_opening(tomorrow, calendar)
            });
            return Err(AppError::NoTicket(NoTicket::DailyLimit { back }));
        }
    }
    Ok(())
}

/// Closes, as "not served: closed", every ticket still waiting from a day
/// whose closing time has passed. Any screen may call it at any time: the
/// tickets are read again inside one `BEGIN IMMEDIATE` transaction, so
/// two processes noticing the closing at once close each ticket once, and
/// a later call finds nothing to do. Returns how many it closed.
pub fn close_waiting(store: &mut Store, ctx: &Context, now: DateTime<Utc>) -> AppResult<usize> {
    let Some(hours) = ctx.hours() else {
        return Ok(0);
    };
    let calendar = Calendar::builtin();
    let local = ctx.local(now);
    let due = |conn: &Connection| -> AppResult<Vec<uuid::Uuid>> {
        Ok(tickets::waiting_through(conn, local.date())?
            .into_iter()
            .filter(|t| hours.is_closed_for(t.service_date, local, calendar))
            .map(|t| t.id)
            .collect())
    };
    // a read first: the common case (nothing to close) takes no write lock
    if due(store.conn())?.is_empty() {
        return Ok(0);
    }
    store.write(&Actor::system(), now, |w| -> AppResult<usize> {
        let ids = due(w.conn())?;
        for id in &ids {
            crate::domain::TicketState::Waiting.apply(TicketMove::Close)?;
            w.append(&EventBody::TicketClosed(TicketRef { ticket_id: *id }))?;
        }
        Ok(ids.len())
    })
}
