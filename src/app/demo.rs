//! A demo point: staff, reception sessions, and some weeks of tickets and
//! appeals, modelled on published reception days (housing queue, cold flats,
//! tap water, roads, a new heating plant; a bag factory, a poultry farm, a
//! locomotive repair plant, a bearing plant; villages far from town).
//!
//! Everything is written as ordinary events in time order, so the demo
//! exercises the same log, projection and forwarding as real work.

use super::{AppError, AppResult, Context, staff};
use crate::domain::appeal::{AppealKind, AppealNo, Channel, Citizen, Outcome};
use crate::domain::event::*;
use crate::domain::personal::Personal;
use crate::domain::staff::Role;
use crate::domain::{
    Actor, AppealText, CategoryId, Iin, Lang, PersonName, Phone, Priority, ShortText, TicketNo,
};
use crate::store::{Store, appeals, events, tickets};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Deserialize)]
struct Material {
    appeal: Vec<Template>,
    people: People,
}

#[derive(Debug, Deserialize)]
struct Template {
    category: String,
    kind: AppealKind,
    ru: String,
    kk: String,
}

#[derive(Debug, Deserialize)]
struct People {
    names: Vec<String>,
    settlements: Vec<String>,
    workplaces: Vec<String>,
    officials: Vec<String>,
    bodies: Vec<String>,
    villages: Vec<String>,
    plants: Vec<String>,
}

const MATERIAL: &str = include_str!("../../assets/demo/appeals.toml");

/// Demo staff: login, name, role, PIN. The PINs are printed by the command.
pub const STAFF: [(&str, &str, Role, &str); 4] = [
    ("admin", "Әкімші Болат Қуанышев", Role::Admin, "1000"),
    ("aigerim", "Айгерим Нұрланқызы", Role::Operator, "1111"),
    ("serik", "Серік Ахметов", Role::Operator, "2222"),
    ("dana", "Дана Есімова", Role::Supervisor, "3333"),
];

#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    /// Working days of history before today.
    pub days: u32,
    pub seed: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub tickets: usize,
    pub appeals: usize,
    pub sessions: usize,
    pub events: u64,
}

/// One thing that happens at the point, scheduled at a time.
enum Step {
    Take {
        id: Uuid,
        category: CategoryId,
        priority: Priority,
        lang: Lang,
    },
    Ticket(EventBody),
    Record(Box<AppealRecorded>),
    Appeal(EventBody),
    Session(EventBody),
}

struct Scheduled {
    at: DateTime<Utc>,
    actor: Actor,
    step: Step,
}

/// Fills an empty database with the demo point's history, up to `now`.
pub fn fill(
    store: &mut Store,
    ctx: &Context,
    options: DemoOptions,
    now: DateTime<Utc>,
) -> AppResult<DemoSummary> {
    let existing = events::last_seq(store.conn())?;
    if existing > 0 {
        return Err(AppError::NotEmpty(existing));
    }
    let material: Material = toml::from_str(MATERIAL).expect("assets/demo/appeals.toml is valid");
    let mut plan = Planner {
        rng: StdRng::seed_from_u64(options.seed),
        ctx,
        m: &material,
        steps: Vec::new(),
        known: Vec::new(),
    };
    let mut day = ctx.service_date(now - Duration::days(i64::from(options.days) * 7 / 5 + 2));
    // staff exist before the first morning's events
    let staff_added = plan.local(day, -60);
    for (login, name, role, pin) in STAFF {
        staff::add(store, &Actor::system(), login, name, role, pin, staff_added)?;
    }
    let today = ctx.service_date(now);
    while day <= today {
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            plan.day(day, day == today, now);
        }
        day = day.succ_opt().expect("dates go on");
    }
    plan.still_waiting(now);
    let mut steps = plan.steps;
    steps.retain(|s| s.at <= now);
    steps.sort_by_key(|s| s.at);
    apply(store, ctx, steps)
}

fn apply(store: &mut Store, ctx: &Context, steps: Vec<Scheduled>) -> AppResult<DemoSummary> {
    let mut summary = DemoSummary {
        tickets: 0,
        appeals: 0,
        sessions: 0,
        events: 0,
    };
    for s in steps {
        let day = ctx.service_date(s.at);
        let year = s.at.with_timezone(&ctx.tz()).year();
        store.write(&s.actor, s.at, |w| -> AppResult<()> {
            let body = match s.step {
                Step::Take {
                    id,
                    category,
                    priority,
                    lang,
                } => {
                    let prefix = ctx
                        .catalogue
                        .get(&category)
                        .expect("demo categories exist")
                        .prefix;
                    let number =
                        TicketNo::new(prefix, tickets::next_number(w.conn(), day, prefix)?);
                    summary.tickets += 1;
                    EventBody::TicketTaken(TicketTaken {
                        ticket_id: id,
                        number,
                        service_date: day,
                        category,
                        priority,
                        lang,
                    })
                }
                Step::Record(mut a) => {
                    a.number = AppealNo {
                        year,
                        number: appeals::next_number(w.conn(), year)?,
                    };
                    summary.appeals += 1;
                    EventBody::AppealRecorded(a)
                }
                Step::Session(body) => {
                    if matches!(body, EventBody::SessionOpened(_)) {
                        summary.sessions += 1;
                    }
                    body
                }
                Step::Ticket(body) | Step::Appeal(body) => body,
            };
            w.append(&body)?;
            Ok(())
        })?;
    }
    summary.events = events::last_seq(store.conn())?;
    Ok(summary)
}

struct Planner<'a> {
    rng: StdRng,
    ctx: &'a Context,
    m: &'a Material,
    steps: Vec<Scheduled>,
    /// Citizens met so far: some come back, and their appeals are repeated.
    known: Vec<Citizen>,
}

impl Planner<'_> {
    fn local(&self, day: NaiveDate, minutes_after_nine: i64) -> DateTime<Utc> {
        let nine = day.and_hms_opt(9, 0, 0).expect("valid time");
        self.ctx
            .tz()
            .from_local_datetime(&nine)
            .single()
            .expect("Almaty has no DST")
            .with_timezone(&Utc)
            + Duration::minutes(minutes_after_nine)
    }

    fn push(&mut self, at: DateTime<Utc>, actor: Actor, step: Step) {
        self.steps.push(Scheduled { at, actor, step });
    }

    fn pick<'s>(&mut self, list: &'s [String]) -> &'s str {
        &list[self.rng.random_range(0..list.len())]
    }

    fn operator(&mut self) -> (Actor, DeskNo) {
        if self.rng.random_bool(0.5) {
            (Actor::staff("aigerim"), 1)
        } else {
            (Actor::staff("serik"), 2)
        }
    }

    fn day(&mut self, day: NaiveDate, is_today: bool, now: DateTime<Utc>) {
        if self.rng.random_bool(0.15) {
            self.session(day);
        }
        let visitors = self.rng.random_range(8..18);
        let mut arrivals: Vec<i64> = (0..visitors)
            .map(|_| self.rng.random_range(0..480))
            .collect();
        arrivals.sort_unstable();
        let mut desk_free = [0i64; 2];
        for arrive in arrivals {
            self.visit(day, arrive, &mut desk_free, is_today, now);
        }
        for _ in 0..self.rng.random_range(1..5) {
            let minute = self.rng.random_range(0..480);
            let at = self.local(day, minute);
            let channel =
                [Channel::Phone, Channel::Email, Channel::Messenger][self.rng.random_range(0..3)];
            let (actor, desk) = self.operator();
            self.appeal(at, actor, channel, Some(desk), None, None);
        }
    }

    /// A few citizens who came in the last half hour and wait: a
    /// newcomer's first "call next" finds somebody whatever the hour the
    /// demo is made (after the point's midnight the day's plan is all in
    /// the future, at a weekend there is none). Never before the day's
    /// start, so they are today's tickets.
    fn still_waiting(&mut self, now: DateTime<Utc>) {
        let today = self.ctx.service_date(now);
        let midnight = self
            .ctx
            .tz()
            .from_local_datetime(&today.and_hms_opt(0, 0, 0).expect("valid time"))
            .single()
            .expect("Almaty has no DST")
            .with_timezone(&Utc);
        for minutes_ago in [25, 14, 6] {
            let template = self.rng.random_range(0..self.m.appeal.len());
            let category = CategoryId::new(self.m.appeal[template].category.clone());
            let lang = if self.rng.random_bool(0.5) {
                Lang::Kk
            } else {
                Lang::Ru
            };
            self.push(
                (now - Duration::minutes(minutes_ago)).max(midnight),
                Actor::kiosk(),
                Step::Take {
                    id: Uuid::now_v7(),
                    category,
                    priority: Priority::Ordinary,
                    lang,
                },
            );
        }
    }

    /// A citizen takes a ticket, waits, is called and heard at a desk.
    fn visit(
        &mut self,
        day: NaiveDate,
        arrive: i64,
        desk_free: &mut [i64; 2],
        is_today: bool,
        now: DateTime<Utc>,
    ) {
        let template = self.rng.random_range(0..self.m.appeal.len());
        let category = CategoryId::new(self.m.appeal[template].category.clone());
        let priority = if self.rng.random_bool(0.15) {
            Priority::ALL[self.rng.random_range(1..Priority::ALL.len())]
        } else {
            Priority::Ordinary
        };
        let lang = if self.rng.random_bool(0.5) {
            Lang::Kk
        } else {
            Lang::Ru
        };
        let id = Uuid::now_v7();
        let taken = self.local(day, arrive);
        self.push(
            taken,
            Actor::kiosk(),
            Step::Take {
                id,
                category,
                priority,
                lang,
            },
        );
        // the desk that frees up first calls next
        let d = usize::from(desk_free[1] < desk_free[0]);
        let called_min = desk_free[d].max(arrive + self.rng.random_range(2..25));
        let service = self.rng.random_range(6..25);
        desk_free[d] = called_min + service + 1;
        let (actor, desk) = (Actor::staff(["aigerim", "serik"][d]), d as DeskNo + 1);
        let called = self.local(day, called_min);
        // today's later visitors are still waiting or being served
        if is_today && called > now {
            return;
        }
        self.push(
            called,
            actor.clone(),
            Step::Ticket(EventBody::TicketCalled(TicketAtDesk {
                ticket_id: id,
                desk,
            })),
        );
        if self.rng.random_bool(0.06) {
            let gone = called + Duration::minutes(3);
            self.push(
                gone,
                actor,
                Step::Ticket(EventBody::TicketNoShow(TicketRef { ticket_id: id })),
            );
            return;
        }
        let serving = called + Duration::minutes(1);
        self.push(
            serving,
            actor.clone(),
            Step::Ticket(EventBody::TicketServing(TicketAtDesk {
                ticket_id: id,
                desk,
            })),
        );
        let finished = serving + Duration::minutes(service);
        if self.rng.random_bool(0.8) {
            let channel = self.ctx.point_kind().kiosk_channel();
            self.appeal_from(
                template,
                finished - Duration::minutes(1),
                actor.clone(),
                channel,
                Some(desk),
                Some(id),
                None,
            );
        }
        self.push(
            finished,
            actor,
            Step::Ticket(EventBody::TicketFinished(TicketRef { ticket_id: id })),
        );
    }

    fn appeal(
        &mut self,
        at: DateTime<Utc>,
        actor: Actor,
        channel: Channel,
        desk: Option<DeskNo>,
        ticket: Option<Uuid>,
        session: Option<Uuid>,
    ) {
        let template = self.rng.random_range(0..self.m.appeal.len());
        self.appeal_from(template, at, actor, channel, desk, ticket, session);
    }

    #[allow(clippy::too_many_arguments)]
    fn appeal_from(
        &mut self,
        template: usize,
        at: DateTime<Utc>,
        actor: Actor,
        channel: Channel,
        desk: Option<DeskNo>,
        ticket_id: Option<Uuid>,
        session_id: Option<Uuid>,
    ) {
        let m = self.m;
        let t = &m.appeal[template];
        let lang = if self.rng.random_bool(0.5) {
            Lang::Kk
        } else {
            Lang::Ru
        };
        let text = AppealText::parse(if lang == Lang::Kk { &t.kk } else { &t.ru })
            .expect("demo texts are valid");
        let consent = self.rng.random_bool(0.9);
        let citizen = consent.then(|| self.citizen());
        let heard_by = (0..self.rng.random_range(0..3))
            .map(|_| PersonName::parse(self.pick(&m.people.officials)).expect("valid name"))
            .collect();
        let appeal_id = Uuid::now_v7();
        let (kind, category) = (t.kind, CategoryId::new(t.category.clone()));
        self.push(
            at,
            actor.clone(),
            Step::Record(Box::new(AppealRecorded {
                appeal_id,
                number: AppealNo { year: 0, number: 0 },
                kind,
                channel,
                category,
                citizen: citizen.map(Personal::Clear),
                consent,
                text: Personal::Clear(text),
                subject: None,
                heard_by,
                ticket_id,
                session_id,
                desk,
                lang,
                outcome: Outcome::Registered,
                redirected_to: None,
                control: None,
            })),
        );
        self.follow_up(appeal_id, kind, at, actor);
    }

    /// What became of an appeal over the following days, in the shares the
    /// offices publish: about half resolved positively, many consultations,
    /// some redirected, a few still under consideration.
    fn follow_up(&mut self, appeal_id: Uuid, kind: AppealKind, at: DateTime<Utc>, actor: Actor) {
        let m = self.m;
        let roll: f64 = self.rng.random();
        let outcome = match kind {
            AppealKind::Consultation => Outcome::Consulted,
            AppealKind::Gratitude => Outcome::ResolvedPositive,
            _ if roll < 0.50 => Outcome::ResolvedPositive,
            _ if roll < 0.68 => Outcome::Consulted,
            _ if roll < 0.78 => Outcome::Redirected,
            _ if roll < 0.82 => Outcome::Declined,
            _ if roll < 0.84 => Outcome::Withdrawn,
            _ => Outcome::UnderConsideration,
        };
        let controlled = matches!(kind, AppealKind::Complaint | AppealKind::Request)
            && self.rng.random_bool(0.4);
        if controlled {
            let responsible =
                PersonName::parse(self.pick(&m.people.officials)).expect("valid name");
            let deadline = self.ctx.service_date(at) + Duration::days(21);
            let control = Some(Control {
                responsible,
                deadline,
            });
            let step = Step::Appeal(EventBody::AppealControlSet(AppealControlSet {
                appeal_id,
                control,
            }));
            self.push(at + Duration::seconds(30), actor.clone(), step);
        }
        if outcome == Outcome::UnderConsideration {
            let step = Step::Appeal(EventBody::AppealOutcomeSet(AppealOutcomeSet {
                effective_at: None,
                appeal_id,
                outcome,
                redirected_to: None,
                note: None,
            }));
            self.push(at + Duration::minutes(1), actor, step);
            return;
        }
        let later = at + Duration::hours(self.rng.random_range(1..24 * 20));
        if controlled && self.rng.random_bool(0.5) {
            let note = AppealText::parse("Запрос направлен в уполномоченный орган, ответ ожидается. / Уәкілетті органға сұрау жіберілді.")
                .expect("valid note");
            let step = Step::Appeal(EventBody::AppealFollowUp(AppealNote { appeal_id, note }));
            self.push(at + (later - at) / 2, actor.clone(), step);
        }
        let redirected_to = (outcome == Outcome::Redirected)
            .then(|| ShortText::parse(self.pick(&m.people.bodies)).expect("valid body"));
        let step = Step::Appeal(EventBody::AppealOutcomeSet(AppealOutcomeSet {
            effective_at: None,
            appeal_id,
            outcome,
            redirected_to,
            note: None,
        }));
        self.push(later, actor.clone(), step);
        if controlled {
            let step = Step::Appeal(EventBody::AppealControlSet(AppealControlSet {
                appeal_id,
                control: None,
            }));
            self.push(later + Duration::seconds(30), actor, step);
        }
    }

    fn citizen(&mut self) -> Citizen {
        if !self.known.is_empty() && self.rng.random_bool(0.12) {
            return self.known[self.rng.random_range(0..self.known.len())].clone();
        }
        let c = self.new_citizen();
        self.known.push(c.clone());
        c
    }

    fn new_citizen(&mut self) -> Citizen {
        let m = self.m;
        let name = PersonName::parse(self.pick(&m.people.names)).expect("valid name");
        let iin = self.rng.random_bool(0.6).then(|| self.iin());
        let phone = self.rng.random_bool(0.8).then(|| {
            let code = ["701", "705", "707", "747", "771", "777"][self.rng.random_range(0..6)];
            Phone::parse(&format!(
                "8{code}{:07}",
                self.rng.random_range(0..10_000_000)
            ))
            .expect("valid phone")
        });
        let settlement = Some(ShortText::parse(self.pick(&m.people.settlements)).expect("valid"));
        let workplace = self
            .rng
            .random_bool(0.6)
            .then(|| ShortText::parse(self.pick(&m.people.workplaces)).expect("valid"));
        Citizen {
            name,
            iin,
            phone,
            settlement,
            workplace,
        }
    }

    fn iin(&mut self) -> Iin {
        loop {
            let year = self.rng.random_range(55..99);
            let (month, day) = (self.rng.random_range(1..13), self.rng.random_range(1..29));
            let sex = self.rng.random_range(3..5);
            let serial = self.rng.random_range(0..10_000);
            if let Some(iin) =
                Iin::complete(&format!("{year:02}{month:02}{day:02}{sex}{serial:04}"))
            {
                return iin;
            }
        }
    }

    /// A mobile reception in a village or an on-site reception at a plant.
    fn session(&mut self, day: NaiveDate) {
        let m = self.m;
        let session_id = Uuid::now_v7();
        let mobile = self.rng.random_bool(0.5);
        let (kind, place, channel) = if mobile {
            (
                SessionKind::Mobile,
                self.pick(&m.people.villages).to_string(),
                Channel::Mobile,
            )
        } else {
            (
                SessionKind::OnSite,
                self.pick(&m.people.plants).to_string(),
                Channel::OnSite,
            )
        };
        let officials = (0..3)
            .map(|i| PersonName::parse(&m.people.officials[i]).expect("valid name"))
            .collect();
        let open = self.local(day, 60);
        let actor = Actor::staff("aigerim");
        let opened = EventBody::SessionOpened(SessionOpened {
            session_id,
            kind,
            date: day,
            place: ShortText::parse(&place).expect("valid place"),
            officials,
        });
        self.push(open, actor.clone(), Step::Session(opened));
        let heard = self.rng.random_range(5..16);
        for i in 0..heard {
            let at = open + Duration::minutes(10 + i * 12);
            self.appeal(at, actor.clone(), channel, None, None, Some(session_id));
        }
        let close = open + Duration::minutes(20 + heard * 12);
        self.push(
            close,
            actor,
            Step::Session(EventBody::SessionClosed(SessionRef { session_id })),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, DEFAULT_CONFIG};
    use crate::domain::TicketState;
    use std::path::Path;

    fn setup() -> (Store, Context) {
        let config = Config::parse(DEFAULT_CONFIG, Path::new("test.toml")).unwrap();
        let store = Store::open_in_memory(&config.point.id).unwrap();
        (store, Context::new(config))
    }

    #[test]
    fn fills_a_realistic_point_with_valid_history() {
        let (mut store, ctx) = setup();
        let now = Utc.with_ymd_and_hms(2026, 3, 4, 8, 30, 0).unwrap(); // 13:30 in Almaty, a Wednesday
        let s = fill(&mut store, &ctx, DemoOptions { days: 20, seed: 7 }, now).unwrap();
        assert!(s.tickets >= 150, "{s:?}");
        assert!(s.appeals >= 150, "{s:?}");
        // every event is in the log, and the log is gapless
        let all = events::after(store.conn(), 0, 1_000_000).unwrap();
        assert_eq!(all.len() as u64, s.events);
        assert!(all.iter().enumerate().all(|(i, e)| e.seq == i as u64 + 1));
        // events are in time order
        assert!(all.windows(2).all(|w| w[0].at <= w[1].at));
        // today has people still waiting, and nothing is in the future
        let today = tickets::of_day(store.conn(), ctx.service_date(now)).unwrap();
        assert!(today.iter().any(|t| t.state == TicketState::Waiting));
        assert!(all.iter().all(|e| e.at <= now));
        // about half of the closed appeals were resolved positively
        let rows = appeals::latest(store.conn(), 10_000).unwrap();
        let positive = rows
            .iter()
            .filter(|a| a.outcome == Outcome::ResolvedPositive)
            .count();
        let share = positive as f64 / rows.len() as f64;
        assert!((0.3..0.7).contains(&share), "{share}");
        // Kazakh and Russian texts, personal data only with consent
        assert!(rows.iter().any(|a| a.lang == Lang::Kk) && rows.iter().any(|a| a.lang == Lang::Ru));
        assert!(rows.iter().all(|a| a.consent || a.citizen_name.is_none()));
        assert!(rows.iter().any(|a| a.session_id.is_some()));
    }

    #[test]
    fn somebody_waits_today_whatever_the_hour() {
        // 00:20 on a Wednesday and 15:00 on a Saturday, in Almaty
        for now in [
            Utc.with_ymd_and_hms(2026, 3, 3, 19, 20, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 3, 7, 10, 0, 0).unwrap(),
        ] {
            let (mut store, ctx) = setup();
            fill(&mut store, &ctx, DemoOptions { days: 5, seed: 7 }, now).unwrap();
            let today = tickets::of_day(store.conn(), ctx.service_date(now)).unwrap();
            let waiting = today
                .iter()
                .filter(|t| t.state == TicketState::Waiting)
                .count();
            assert!(waiting >= 3, "{now}: {waiting} waiting");
            let all = events::after(store.conn(), 0, 1_000_000).unwrap();
            assert!(all.iter().all(|e| e.at <= now));
        }
    }

    #[test]
    fn refuses_a_database_with_records() {
        let (mut store, ctx) = setup();
        let now = Utc.with_ymd_and_hms(2026, 3, 4, 8, 30, 0).unwrap();
        fill(&mut store, &ctx, DemoOptions { days: 2, seed: 1 }, now).unwrap();
        let before = events::last_seq(store.conn()).unwrap();
        assert!(fill(&mut store, &ctx, DemoOptions { days: 2, seed: 1 }, now).is_err());
        assert_eq!(events::last_seq(store.conn()).unwrap(), before);
    }
}
