//! Reading the day's line: who waits, in which order, how long.

use super::{AppResult, Context};
use crate::domain::queue::{self, Waiting};
use crate::domain::{CategoryId, TicketState};
use crate::store::{Store, tickets};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The day's waiting line in calling order (all desks together).
pub fn waiting_line(
    store: &Store,
    ctx: &Context,
    now: DateTime<Utc>,
) -> AppResult<Vec<Waiting<Uuid>>> {
    let day = ctx.service_date(now);
    let rows = tickets::of_day_in_state(store.conn(), day, TicketState::Waiting)?;
    let waiting: Vec<Waiting<Uuid>> = rows
        .into_iter()
        .map(|t| Waiting {
            id: t.id,
            category: t.category,
            priority: t.priority,
            taken_at: t.taken_at,
            target_desk: t.target_desk,
        })
        .collect();
    Ok(queue::order(&waiting, now, &ctx.wait_limit()))
}

/// Desks that serve a category.
pub fn desks_serving(ctx: &Context, category: &CategoryId) -> usize {
    ctx.config
        .desks
        .iter()
        .filter(|d| d.categories.is_empty() || d.categories.contains(category))
        .count()
}

/// Mean service time today, or the configured assumption before the first
/// ticket is done.
pub fn service_minutes(store: &Store, ctx: &Context, now: DateTime<Utc>) -> AppResult<f64> {
    Ok(
        tickets::mean_service_minutes(store.conn(), ctx.service_date(now))?
            .unwrap_or(f64::from(ctx.config.queue.default_service_minutes)),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// People before this ticket who can be called by the same desks.
    pub ahead: usize,
    pub estimated_wait_minutes: u32,
}

/// Where a waiting ticket stands: the tickets ahead of it that the same
/// desks would call first.
pub fn place_of(
    store: &Store,
    ctx: &Context,
    ticket: Uuid,
    now: DateTime<Utc>,
) -> AppResult<Option<Place>> {
    let line = waiting_line(store, ctx, now)?;
    let Some(pos) = line.iter().position(|t| t.id == ticket) else {
        return Ok(None);
    };
    let category = &line[pos].category;
    let competing = |c: &CategoryId| {
        c == category
            || ctx.config.desks.iter().any(|d| {
                (d.categories.is_empty() || d.categories.contains(category))
                    && (d.categories.is_empty() || d.categories.contains(c))
            })
    };
    let ahead = line[..pos]
        .iter()
        .filter(|t| competing(&t.category))
        .count();
    let minutes = service_minutes(store, ctx, now)?;
    Ok(Some(Place {
        ahead,
        estimated_wait_minutes: queue::estimate_wait_minutes(
            ahead,
            desks_serving(ctx, category),
            minutes,
        ),
    }))
}
