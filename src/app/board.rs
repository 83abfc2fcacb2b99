//! What the live queue board reads: the hall's view of the queue, and the
//! day's figures for a supervisor. One short snapshot read per refresh.

use super::staff::{LoginOutcome, log_in};
use super::{AppResult, Context};
use crate::domain::event::DeskNo;
use crate::domain::pause::DeskPause;
use crate::domain::queue::{self, Waiting};
use crate::domain::{AppealNo, Category, CategoryId, TicketNo, TicketState};
use crate::store::sync_state::{self, SyncStatus};
use crate::store::today::{self, AppealFigures, DeskFigures, OverdueAppeal, WaitFigures};
use crate::store::{Read, Store, tickets};
use chrono::{DateTime, Duration, NaiveDate, Offset, TimeZone, Utc};

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
    pub appeals: AppealsToday,
    /// Every configured desk (zeros where nothing was served), and any
    /// other desk that served today.
    pub desks: Vec<DeskToday>,
    pub waits: WaitsToday,
    pub overdue: Vec<Overdue>,
    /// Tickets taken per local hour, 0..24.
    pub arrivals: [u32; 24],
    /// Printers whose latest attempt failed: the supervisor sends someone
    /// with paper before the next citizen leaves without a ticket.
    pub printers_in_trouble: Vec<crate::store::printers::PrinterState>,
}

/// What became of the day's appeals, by their outcome now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AppealsToday {
    pub received: u32,
    pub resolved_positive: u32,
    pub consulted: u32,
    /// Still open: registered, or under consideration.
    pub under_consideration: u32,
    pub redirected: u32,
}

impl From<AppealFigures> for AppealsToday {
    fn from(a: AppealFigures) -> Self {
        AppealsToday {
            received: a.received,
            resolved_positive: a.resolved_positive,
            consulted: a.consulted,
            under_consideration: a.under_consideration,
            redirected: a.redirected,
        }
    }
}

/// One desk's day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeskToday {
    pub desk: DeskNo,
    /// Tickets the desk finished today.
    pub served: u32,
    /// Mean minutes from the start of serving to the end.
    pub mean_service_minutes: Option<f64>,
}

impl From<DeskFigures> for DeskToday {
    fn from(d: DeskFigures) -> Self {
        DeskToday {
            desk: d.desk,
            served: d.served,
            mean_service_minutes: d.mean_service_minutes,
        }
    }
}

/// How long the day's citizens waited for their call.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WaitsToday {
    /// Tickets of the day that have been called.
    pub called: u32,
    /// Minutes from taking a ticket to its latest call.
    pub mean_minutes: Option<f64>,
    pub longest_minutes: Option<f64>,
    /// When the longest-waiting ticket still in the line was taken.
    pub oldest_waiting_since: Option<DateTime<Utc>>,
}

impl From<WaitFigures> for WaitsToday {
    fn from(w: WaitFigures) -> Self {
        WaitsToday {
            called: w.called,
            mean_minutes: w.mean_minutes,
            longest_minutes: w.longest_minutes,
            oldest_waiting_since: w.oldest_waiting_since,
        }
    }
}

/// An open appeal under control past its deadline: its number, topic,
/// deadline and who answers for it; no citizen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overdue {
    pub number: AppealNo,
    pub category: CategoryId,
    pub deadline: NaiveDate,
    pub responsible: Option<String>,
}

impl From<OverdueAppeal> for Overdue {
    fn from(o: OverdueAppeal) -> Self {
        Overdue {
            number: o.number,
            category: o.category,
            deadline: o.deadline,
            responsible: o.responsible,
        }
    }
}

/// The forwarder's link to the regional server, as the supervisor sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkState {
    /// Events not yet held by the server.
    pub pending: u64,
    pub last_success_at: Option<DateTime<Utc>>,
    /// The last error, while it is not healed by a later success.
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    /// Something a supervisor must look at, until it is cleared.
    pub alarm: Option<crate::domain::sync_alarm::SyncAlarm>,
    pub alarm_at: Option<DateTime<Utc>>,
    /// Whether some forwarder holds the lease now.
    pub forwarder_active: bool,
    /// The last attempt succeeded.
    pub healthy: bool,
}

impl From<SyncStatus> for LinkState {
    fn from(s: SyncStatus) -> Self {
        LinkState {
            healthy: s.is_healthy(),
            pending: s.pending,
            last_success_at: s.last_success_at,
            last_error: s.last_error,
            last_error_at: s.last_error_at,
            alarm: s.alarm,
            alarm_at: s.alarm_at,
            forwarder_active: s.forwarder_active,
        }
    }
}

/// Share of appeals resolved positively, in whole percent.
pub fn positive_percent(a: &AppealsToday) -> Option<u32> {
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
    Linked(LinkState),
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
    Ok(today::snapshot(store, |db| {
        let hall = hall(db, ctx, day, now)?;
        let (figures, sync) = if with_figures {
            (Some(figures(db, ctx, day)?), Some(sync_link(db, ctx, now)?))
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
    db: &impl Read,
    ctx: &Context,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> crate::store::Result<Hall> {
    let mut at_desks = tickets::of_day_in_state(db.conn(), day, TicketState::Called)?;
    at_desks.extend(tickets::of_day_in_state(
        db.conn(),
        day,
        TicketState::Serving,
    )?);
    let at_desks = at_desks
        .into_iter()
        .filter_map(|t| {
            Some((
                t.desk?,
                AtDesk {
                    number: t.number,
                    serving: t.state == TicketState::Serving,
                    called_at: t.called_at?,
                },
            ))
        })
        .collect();
    let waiting = tickets::of_day_in_state(db.conn(), day, TicketState::Waiting)?
        .into_iter()
        .map(|t| Waiting {
            id: t.number,
            category: t.category,
            priority: t.priority,
            taken_at: t.taken_at,
            target_desk: t.target_desk,
        })
        .collect();
    let service_minutes = tickets::mean_service_minutes(db.conn(), day)?
        .unwrap_or(f64::from(ctx.config.queue.default_service_minutes));
    let (hall, _) = build_hall(
        HallParts {
            day,
            desks: ctx.config.desks.iter().map(|d| d.number).collect(),
            at_desks,
            waiting,
            pauses: crate::store::pauses::paused_now(db.conn())?,
            estimate_desks: Some(ctx.config.desks.len()),
            service_minutes,
        },
        ctx,
        now,
    );
    Ok(hall)
}

/// What a hall is made of, however it was read: from the point's own
/// tables (`read`) or from what the regional server sends
/// (`app::region::point`).
pub struct HallParts {
    pub day: NaiveDate,
    /// Desks shown even while they hold no ticket.
    pub desks: Vec<DeskNo>,
    /// The called and serving tickets, each with its desk.
    pub at_desks: Vec<(DeskNo, AtDesk)>,
    /// The waiting tickets, in any order.
    pub waiting: Vec<Waiting<TicketNo>>,
    /// The desks on a break now.
    pub pauses: Vec<(DeskNo, DeskPause)>,
    /// Desks the wait estimate divides the line among; `None`: the desks
    /// shown (at least one).
    pub estimate_desks: Option<usize>,
    /// Minutes one citizen takes at a desk, for the estimate.
    pub service_minutes: f64,
}

/// The one way a hall is built: each desk with its latest call, the line
/// in calling order (`domain::queue::order`, with the context's wait
/// limit) grouped by category in catalogue order, and the wait a citizen
/// taking a ticket now can expect. Also returns the whole line in calling
/// order.
pub fn build_hall(parts: HallParts, ctx: &Context, now: DateTime<Utc>) -> (Hall, Vec<TicketNo>) {
    let mut desks: Vec<DeskNow> = parts
        .desks
        .iter()
        .map(|&desk| DeskNow {
            desk,
            ticket: None,
            pause: None,
        })
        .collect();
    let mut at_desks = parts.at_desks;
    // the latest call last, so a desk that somehow holds two shows the newer
    at_desks.sort_by_key(|(_, t)| t.called_at);
    for (desk, at) in at_desks {
        match desks.iter_mut().find(|d| d.desk == desk) {
            Some(d) => d.ticket = Some(at),
            None => desks.push(DeskNow {
                desk,
                ticket: Some(at),
                pause: None,
            }),
        }
    }
    for (desk, pause) in parts.pauses {
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

    let limits = ctx.wait_limit();
    let line = queue::order(&parts.waiting, now, &limits);
    let long_waits = queue::long_waits(&parts.waiting, now, &limits);
    let catalogue = ctx.catalogue;
    let fallback = catalogue
        .by_id("other")
        .unwrap_or_else(|| &catalogue.all()[0]);
    let mut groups: Vec<WaitingGroup> = Vec::new();
    for t in &line {
        let category: &'static Category = catalogue.get(&t.category).unwrap_or(fallback);
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
    let estimate_desks = parts.estimate_desks.unwrap_or(desks.len().max(1));
    let estimated_wait_minutes =
        queue::estimate_wait_minutes(line.len(), estimate_desks, parts.service_minutes);
    let hall = Hall {
        day: parts.day,
        desks,
        waiting: groups,
        waiting_count: line.len(),
        estimated_wait_minutes,
        long_waits,
    };
    (hall, line.into_iter().map(|t| t.id).collect())
}

/// The forwarder's state, in the same snapshot as the figures.
fn sync_link(db: &impl Read, ctx: &Context, now: DateTime<Utc>) -> crate::store::Result<SyncLink> {
    let status = sync_state::get_at(db.conn(), now)?;
    Ok(
        if ctx.config.server.is_none() && status.server_url.is_none() {
            SyncLink::NotConfigured
        } else {
            SyncLink::Linked(status.into())
        },
    )
}

fn figures(db: &impl Read, ctx: &Context, day: NaiveDate) -> crate::store::Result<Figures> {
    let (from, to) = day_bounds(ctx, day);
    let offset_minutes = ctx
        .tz()
        .offset_from_utc_datetime(&from.naive_utc())
        .fix()
        .local_minus_utc()
        / 60;
    let mut desks: Vec<DeskToday> = ctx
        .config
        .desks
        .iter()
        .map(|d| DeskToday {
            desk: d.number,
            served: 0,
            mean_service_minutes: None,
        })
        .collect();
    for f in today::desk_figures(db.conn(), day)? {
        let f = DeskToday::from(f);
        match desks.iter_mut().find(|d| d.desk == f.desk) {
            Some(d) => *d = f,
            None => desks.push(f),
        }
    }
    desks.sort_by_key(|d| d.desk);
    Ok(Figures {
        day,
        tickets: today::tickets_taken(db.conn(), day)?,
        appeals: today::appeal_figures(db.conn(), from, to)?.into(),
        desks,
        waits: today::waits(db.conn(), day)?.into(),
        overdue: today::overdue_under_control(db.conn(), day)?
            .into_iter()
            .map(Overdue::from)
            .collect(),
        arrivals: today::arrivals_per_hour(db.conn(), day, offset_minutes)?,
        printers_in_trouble: crate::store::printers::all(db.conn())?
            .into_iter()
            .filter(|p| p.trouble.is_some())
            .collect(),
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
    /// A fresh point: no login exists yet.
    NoLogins,
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
        LoginOutcome::NoLogins => SupervisorLogin::NoLogins,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, DEFAULT_CONFIG};
    use crate::domain::{CategoryId, Priority};

    fn ctx() -> Context {
        Context::new(Config::parse(DEFAULT_CONFIG, std::path::Path::new("c.toml")).unwrap())
    }

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 5, 0, 0).unwrap()
    }

    fn at(number: &str, minute: i64) -> AtDesk {
        AtDesk {
            number: number.parse().unwrap(),
            serving: false,
            called_at: t0() + Duration::minutes(minute),
        }
    }

    fn waiting(number: &str, category: &str, minute: i64) -> Waiting<TicketNo> {
        Waiting {
            id: number.parse().unwrap(),
            category: CategoryId::new(category),
            priority: Priority::Ordinary,
            taken_at: t0() + Duration::minutes(minute),
            target_desk: None,
        }
    }

    #[test]
    fn one_hall_from_desks_calls_and_the_line() {
        let ctx = ctx();
        let (hall, line) = build_hall(
            HallParts {
                day: t0().date_naive(),
                desks: vec![2, 1],
                // desk 1 holds two (a recall went wrong): the newer shows;
                // desk 7 is not configured and called: it shows too
                at_desks: vec![
                    (1, at("Ж-002", 5)),
                    (7, at("С-001", 3)),
                    (1, at("Ж-001", 1)),
                ],
                waiting: vec![
                    waiting("Ж-004", "housing", 2),
                    waiting("Ә-001", "no-such-topic", 1),
                    waiting("Ж-003", "housing", 0),
                ],
                // desk 2 is on a break
                pauses: vec![(
                    2,
                    DeskPause {
                        reason: crate::domain::pause::PauseReason::Phone,
                        since: t0(),
                    },
                )],
                estimate_desks: None,
                service_minutes: 10.0,
            },
            &ctx,
            t0() + Duration::minutes(3),
        );
        let desks: Vec<(DeskNo, Option<String>)> = hall
            .desks
            .iter()
            .map(|d| (d.desk, d.ticket.map(|t| t.number.to_string())))
            .collect();
        assert_eq!(
            desks,
            [
                (1, Some("Ж-002".into())),
                (2, None),
                (7, Some("С-001".into()))
            ]
        );
        let paused: Vec<DeskNo> = hall
            .desks
            .iter()
            .filter(|d| d.pause.is_some())
            .map(|d| d.desk)
            .collect();
        assert_eq!(paused, [2]);
        let line: Vec<String> = line.iter().map(|t| t.to_string()).collect();
        assert_eq!(line, ["Ж-003", "Ә-001", "Ж-004"]);
        // an unknown topic waits under "other", groups in catalogue order
        let groups: Vec<&str> = hall
            .waiting
            .iter()
            .map(|g| g.category.id.as_str())
            .collect();
        assert_eq!(groups, ["housing", "other"]);
        assert_eq!(hall.waiting_count, 3);
        // three waiting over the three desks shown, ten minutes each
        assert_eq!(
            hall.estimated_wait_minutes,
            queue::estimate_wait_minutes(3, 3, 10.0)
        );
    }
}
