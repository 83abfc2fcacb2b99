//! The regional board's view of the points, made from what the regional
//! server sends (`protocol::PointView`). Each point's queue becomes
//! the same `app::board::Hall` a point's own board shows: ticket numbers,
//! catalogue categories, desk numbers, counts and times, and nothing that
//! could carry a citizen's name, phone, IIN or appeal text.
//!
//! The server lists waiting tickets in the order they were taken; the
//! calling order (priority first, an ordinary ticket that waited past the
//! limit counts as priority) is applied here with `domain::queue::order`.

use super::Context;
use super::board::{AtDesk, Hall, HallParts, build_hall};
use crate::domain::queue::Waiting;
use crate::domain::text::sanitize_line;
use crate::domain::{CategoryId, Priority, TicketNo};
use crate::protocol::{PointView, QueueTicket};
use chrono::{DateTime, Utc};

/// One point as the regional board shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionPoint {
    pub id: String,
    pub name: String,
    pub region: String,
    pub hall: Hall,
    /// The whole line in calling order (the hall groups it by category).
    pub line: Vec<TicketNo>,
    pub issued: u64,
    pub served: u64,
    /// The point's last request to the server.
    pub last_contact_at: Option<DateTime<Utc>>,
    /// Events the point had and the server did not, at that contact.
    pub lag_events: u64,
    /// Decisions of the region the point has not applied yet.
    pub region_pending: u64,
    /// The point sent a changed event: the regional office must look.
    pub flagged: bool,
    pub revoked: bool,
}

/// `view` as the board shows it at `now`. The point's own wait limit and
/// service time are not sent by the server: `ctx`'s (the board's config,
/// or the defaults) stand in for them.
pub fn point(view: &PointView, ctx: &Context, now: DateTime<Utc>) -> RegionPoint {
    let q = &view.queue;
    let at_desks = q
        .now_serving
        .iter()
        .filter_map(|t: &QueueTicket| {
            Some((
                t.desk?,
                AtDesk {
                    number: t.number.parse().ok()?,
                    serving: t.state == "serving",
                    called_at: t.called_at?,
                },
            ))
        })
        .collect();
    let waiting = q
        .waiting
        .iter()
        .filter_map(|t| {
            Some(Waiting {
                id: t.number.parse().ok()?,
                category: CategoryId::new(t.category.as_str()),
                priority: t.priority.parse().unwrap_or(Priority::Ordinary),
                taken_at: t.taken_at,
                target_desk: None,
            })
        })
        .collect();
    let (hall, line) = build_hall(
        HallParts {
            day: q.service_date,
            // the server names only the desks holding a ticket
            desks: Vec::new(),
            at_desks,
            waiting,
            // the server does not send pauses
            pauses: Vec::new(),
            estimate_desks: None,
            service_minutes: f64::from(ctx.config.queue.default_service_minutes),
        },
        ctx,
        now,
    );
    RegionPoint {
        id: sanitize_line(&view.id),
        name: sanitize_line(&view.name),
        region: sanitize_line(&view.region),
        hall,
        line,
        issued: q.issued,
        served: q.served,
        last_contact_at: view.last_contact_at,
        lag_events: view.lag_events,
        region_pending: view.region_pending,
        flagged: view.flagged.is_some(),
        revoked: view.revoked,
    }
}

/// The points in the order the board shows them: by name, then id, so a
/// wall screen keeps its layout as the data changes.
pub fn points(views: &[PointView], ctx: &Context, now: DateTime<Utc>) -> Vec<RegionPoint> {
    let mut out: Vec<RegionPoint> = views.iter().map(|v| point(v, ctx, now)).collect();
    out.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, DEFAULT_CONFIG};
    use crate::protocol::QueueView;
    use chrono::{Duration, NaiveDate, TimeZone};

    fn ctx() -> Context {
        Context::new(Config::parse(DEFAULT_CONFIG, std::path::Path::new("c.toml")).unwrap())
    }

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 5, 0, 0).unwrap()
    }

    fn ticket(number: &str, category: &str, priority: &str, minute: i64) -> QueueTicket {
        QueueTicket {
            number: number.into(),
            category: category.into(),
            priority: priority.into(),
            state: "waiting".into(),
            desk: None,
            taken_at: t0() + Duration::minutes(minute),
            called_at: None,
        }
    }

    fn view(waiting: Vec<QueueTicket>, now_serving: Vec<QueueTicket>) -> PointView {
        PointView {
            id: "p1".into(),
            name: "Point\u{1b}[31m one".into(),
            region: "R".into(),
            kind: "office".into(),
            revoked: false,
            acked_through: 10,
            reported_head: Some(12),
            lag_events: 2,
            region_pending: 0,
            last_contact_at: Some(t0()),
            lag_seconds: Some(3),
            last_event_at: Some(t0()),
            flagged: None,
            queue: QueueView {
                point_id: "p1".into(),
                service_date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
                now_serving,
                waiting,
                issued: 5,
                served: 1,
                no_shows: 0,
            },
        }
    }

    #[test]
    fn the_line_is_in_calling_order_not_taken_order() {
        let v = view(
            vec![
                ticket("Ж-001", "housing", "ordinary", 0),
                ticket("Ж-002", "housing", "ordinary", 50),
                ticket("Ж-003", "housing", "veteran", 55),
            ],
            vec![],
        );
        // at 06:00 Ж-001 has waited 60 min (past the 30-min limit): it
        // goes first; the veteran before the ordinary Ж-002
        let p = point(&v, &ctx(), t0() + Duration::minutes(60));
        let line: Vec<String> = p.line.iter().map(|t| t.to_string()).collect();
        assert_eq!(line, ["Ж-001", "Ж-003", "Ж-002"]);
        assert_eq!(p.hall.waiting_count, 3);
        assert_eq!(p.name, "Point one", "sanitised");
        // past the limit, with how long: Ж-001 only (Ж-003 waited 5 min)
        let long: Vec<(String, u32)> = p
            .hall
            .long_waits
            .iter()
            .map(|(n, m)| (n.to_string(), *m))
            .collect();
        assert_eq!(long, [("Ж-001".to_string(), 60)]);
    }

    #[test]
    fn desks_come_from_the_tickets_they_hold() {
        let mut called = ticket("С-004", "social", "ordinary", 0);
        called.state = "called".into();
        called.desk = Some(3);
        called.called_at = Some(t0() + Duration::minutes(9));
        let mut serving = ticket("Ж-002", "housing", "ordinary", 1);
        serving.state = "serving".into();
        serving.desk = Some(1);
        serving.called_at = Some(t0() + Duration::minutes(5));
        let p = point(&view(vec![], vec![called, serving]), &ctx(), t0());
        let desks: Vec<(u32, String, bool)> = p
            .hall
            .desks
            .iter()
            .map(|d| {
                let t = d.ticket.unwrap();
                (u32::from(d.desk), t.number.to_string(), t.serving)
            })
            .collect();
        assert_eq!(
            desks,
            [(1, "Ж-002".into(), true), (3, "С-004".into(), false)]
        );
        assert_eq!(p.hall.latest_call().unwrap().number.to_string(), "С-004");
    }
}
