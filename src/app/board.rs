//! What the live queue board reads: the hall's view of the queue, and the
//! day's figures for a supervisor. One short snapshot read per refresh.

use super::staff::{LoginOutcome, log_in};
use super::{AppResult, Context};
use crate::domain::event::DeskNo;
use crate::domain::pause::DeskPause;
use crate::domain::queue::{self, Waiting};
use crate::domain::{Category, TicketNo, TicketState};
use crate::store::sync_state::{self, SyncStatus};
use crate::store::today::{self, AppealFigures, DeskFigures, OverdueAppeal, WaitFigures};
use crate::store::{Store, tickets};
use chrono::{DateTime, Duration, NaiveDate, Offset, TimeZone, Utc};
use rusqlite::Connection;

/// What the hall board shows, and all it can show: ticket numbers,
/// categories from the catalogue, desk numbers, counts and times. No field
/// can hold a citizen's name, phone, IIN or the text of an appeal, so no
/// change of layout can put them on a screen in a public hall.
#[derive(Debug, Clone, PartialEq)]
pub struct Hall {
    pub day: NaiveDate,
    /// Every configured desk (and any other desk that called a ticket
    /// today), by number.
    pub desks: Vec<DeskNow>,
    /// Categories with waiting tickets, in catalogue order; tickets in
    /// calling order.
    pub waiting: Vec<WaitingGroup>,
    pub waiting_count: usize,
    /// What a citizen taking a ticket now can expect, in minutes.
    pub estimated_wait_minutes: u32,
    /// Tickets waiting longer than the point's waiting limit, with the
    /// minutes each has waited, the longest first.
    pub long_waits: Vec<(TicketNo, u32)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeskNow {
    pub desk: DeskNo,
    pub ticket: Option<AtDesk>,
    /// The desk is paused: the hall shows it as not serving, the
    /// supervisor why and since when.
    pub pause: Option<DeskPause>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AtDesk {
    pub number: TicketNo,
    /// True once the citizen has sat down; false while the desk calls.
    pub serving: bool,
    /// The latest call or recall.
    pub called_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WaitingGroup {
    pub category: &'static Category,
    pub tickets: Vec<TicketNo>,
}

/// The most recent call on the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    pub desk: DeskNo,
    pub number: TicketNo,
    pub at: DateTime<Utc>,
}

impl Hall {
    pub fn latest_call(&self) -> Option<Call> {
        self.desks
            .iter()
            .filter_map(|d| {
                d.ticket.map(|t| Call {
                    desk: d.desk,
                    number: t.number,
                    at: t.called_at,
                })
            })
            .max_by_key(|c| (c.at, std::cmp::Reverse(c.desk)))
    }

    /// Calls on this board that `before` did not show (new tickets at a
    /// desk, or recalls): what the bell rings for.
    pub fn new_calls_since(&self, before: &Hall) -> Vec<Call> {
        self.desks
            .iter()
            .filter_map(|d| {
                let t = d.ticket?;
                let old = before
                    .desks
                    .iter()
                    .find(|o| o.desk == d.desk)
                    .and_then(|o| o.ticket);
                let same = old.is_some_and(|o| o.number == t.number && o.called_at == t.called_at);
                (!same).then_some(Call {
                    desk: d.desk,
                    number: t.number,
                    at: t.called_at,
                })
            })
            .collect()
    }
}

/// Today's figures for the supervisor.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub day: NaiveDate,
    pub tickets: u32,
    pub appeals: AppealFigures,
    /// Every configured desk (zeros where nothing was served), and any
    /// other desk that served today.
    pub desks: Vec<DeskFigures>,
    pub waits: WaitFigures,
    pub overdue: Vec<OverdueAppeal>,
    /// Tickets taken per local hour, 0..24.
    pub arrivals: [u32; 24],
}

/// Share of appeals resolved positively, in whole percent.
pub fn positive_percent(a: &AppealFigures) -> Option<u32> {
    (a.received > 0)
        .then(|| ((f64::from(a.resolved_positive) * 100.0) / f64::from(a.received)).round() as u32)
}

#[derive(Debug, Clone, PartialEq)]
pub struct BoardData {
    pub hall: Hall,
    pub figures: Option<Figures>,
    /// The link to the regional server, read with the figures.
    pub sync: Option<SyncLink>,
}

/// What the supervisor's sync box shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncLink {
    /// No `[server]` in the config, and no forwarder ever talked to one.
    NotConfigured,
    Linked(SyncStatus),
}

/// Reads the board in one snapshot: the hall, and the figures when a
/// supervisor is looking.
pub fn read(
    store: &Store,
    ctx: &Context,
    now: DateTime<Utc>,
    with_figures: bool,
) -> AppResult<BoardData> {
    let day = ctx.service_date(now);
    Ok(today::snapshot(store.conn(), |conn| {
        let hall = hall(conn, ctx, day, now)?;
        let (figures, sync) = if with_figures {
            (
                Some(figures(conn, ctx, day)?),
                Some(sync_link(conn, ctx, now)?),
            )
        } else {
            (None, None)
        };
        Ok(BoardData {
            hall,
            figures,
            sync,
        })
    })?)
}

fn hall(
    conn: &Connection,
    ctx: &Context,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> crate::store::Result<Hall> {
    let mut desks: Vec<DeskNow> = ctx
        .config
        .desks
        .iter()
        .map(|d| DeskNow {
            desk: d.number,
            ticket: None,
            pause: None,
        })
        .collect();
    let mut at_desks = tickets::of_day_in_state(conn, day, TicketState::Called)?;
    at_desks.extend(tickets::of_day_in_state(conn, day, TicketState::Serving)?);
    // the latest call last, so a desk that somehow holds two shows the newer
    at_desks.sort_by_key(|t| t.called_at);
    for t in at_desks {
        let (Some(desk), Some(called_at)) = (t.desk, t.called_at) else {
            continue;
        };
        let now_at = AtDesk {
            number: t.number,
            serving: t.state == TicketState::Serving,
            called_at,
        };
        match desks.iter_mut().find(|d| d.desk == desk) {
            Some(d) => d.ticket = Some(now_at),
            None => desks.push(DeskNow {
                desk,
                ticket: Some(now_at),
                pause: None,
            }),
        }
    }
    for (desk, pause) in crate::store::pauses::paused_now(conn)? {
        match desks.iter_mut().find(|d| d.desk == desk) {
            Some(d) => d.pause = Some(pause),
            None => desks.push(DeskNow {
                desk,
                ticket: None,
                pause: Some(pause),
            }),
        }
    }
    desks.sort_by_key(|d| d.desk);

    let rows = tickets::of_day_in_state(conn, day, TicketState::Waiting)?;
    let waiting: Vec<Waiting<TicketNo>> = rows
        .into_iter()
        .map(|t| Waiting {
            id: t.number,
            category: t.category,
            priority: t.priority,
            taken_at: t.taken_at,
            target_desk: t.target_desk,
        })
        .collect();
    let line = queue::order(&waiting, now, ctx.wait_limit());
    let long_waits = queue::long_waits(&waiting, now, ctx.wait_limit());
    let catalogue = ctx.catalogue;
    let fallback = catalogue
        .by_id("other")
        .unwrap_or_else(|| &catalogue.all()[0]);
    let mut groups: Vec<WaitingGroup> = Vec::new();
    for t in &line {
        let category = catalogue.get(&t.category).unwrap_or(fallback);
        match groups
            .iter_mut()
            .find(|g| std::ptr::eq(g.category, category))
        {
            Some(g) => g.tickets.push(t.id),
            None => groups.push(WaitingGroup {
                category,
                tickets: vec![t.id],
            }),
        }
    }
    let position = |c: &Category| catalogue.all().iter().position(|x| x.id == c.id);
    groups.sort_by_key(|g| position(g.category));

    let service = tickets::mean_service_minutes(conn, day)?
        .unwrap_or(f64::from(ctx.config.queue.default_service_minutes));
    Ok(Hall {
        day,
        desks,
        waiting: groups,
        waiting_count: line.len(),
        estimated_wait_minutes: queue::estimate_wait_minutes(
            line.len(),
            ctx.config.desks.len(),
            service,
        ),
        long_waits,
    })
}

/// The forwarder's state, in the same snapshot as the figures.
fn sync_link(
    conn: &Connection,
    ctx: &Context,
    now: DateTime<Utc>,
) -> crate::store::Result<SyncLink> {
    let status = sync_state::get_at(conn, now)?;
    Ok(
        if ctx.config.server.is_none() && status.server_url.is_none() {
            SyncLink::NotConfigured
        } else {
            SyncLink::Linked(status)
        },
    )
}

fn figures(conn: &Connection, ctx: &Context, day: NaiveDate) -> crate::store::Result<Figures> {
    let (from, to) = day_bounds(ctx, day);
    let offset_minutes = ctx
        .tz()
        .offset_from_utc_datetime(&from.naive_utc())
        .fix()
        .local_minus_utc()
        / 60;
    let mut desks: Vec<DeskFigures> = ctx
        .config
        .desks
        .iter()
        .map(|d| DeskFigures {
            desk: d.number,
            served: 0,
            mean_service_minutes: None,
        })
        .collect();
    for f in today::desk_figures(conn, day)? {
        match desks.iter_mut().find(|d| d.desk == f.desk) {
            Some(d) => *d = f,
            None => desks.push(f),
        }
    }
    desks.sort_by_key(|d| d.desk);
    Ok(Figures {
        day,
        tickets: today::tickets_taken(conn, day)?,
        appeals: today::appeal_figures(conn, from, to)?,
        desks,
        waits: today::waits(conn, day)?,
        overdue: today::overdue_under_control(conn, day)?,
        arrivals: today::arrivals_per_hour(conn, day, offset_minutes)?,
    })
}

/// The instants a service day starts and ends, in UTC.
pub fn day_bounds(ctx: &Context, day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = |d: NaiveDate| {
        let midnight = d.and_hms_opt(0, 0, 0).expect("midnight exists");
        ctx.tz()
            .from_local_datetime(&midnight)
            .earliest()
            // a zone that skips midnight: its first hour then
            .unwrap_or_else(|| Utc.from_utc_datetime(&midnight).with_timezone(&ctx.tz()))
            .with_timezone(&Utc)
    };
    (start(day), start(day + Duration::days(1)))
}

/// Whether a supervisor may open the figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SupervisorLogin {
    Welcome {
        name: String,
    },
    /// The PIN was right, but the login is an operator's.
    NotSupervisor,
    WrongPin {
        attempts_left: u32,
    },
    Locked {
        until: DateTime<Utc>,
    },
    Refused,
}

/// A staff login for the supervisor's view: supervisors and admins only.
/// Every attempt is an event, as any login.
pub fn supervisor_log_in(
    store: &mut Store,
    login: &str,
    pin: &str,
    now: DateTime<Utc>,
) -> AppResult<SupervisorLogin> {
    Ok(match log_in(store, login, pin, None, now)? {
        LoginOutcome::Welcome { name, role, .. } if role.can_supervise() => {
            SupervisorLogin::Welcome { name }
        }
        LoginOutcome::Welcome { .. } => SupervisorLogin::NotSupervisor,
        LoginOutcome::WrongPin { attempts_left } => SupervisorLogin::WrongPin { attempts_left },
        LoginOutcome::Locked { until } => SupervisorLogin::Locked { until },
        LoginOutcome::Refused => SupervisorLogin::Refused,
    })
}
