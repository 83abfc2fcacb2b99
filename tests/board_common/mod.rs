//! Helpers of the board's tests: a point's context, and the desk's moves
//! made by appending events directly (the desk's use cases live in another
//! branch; the board only reads what the events leave in the tables).
#![allow(dead_code)]

pub mod screen;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use qabyldau::app::Context;
use qabyldau::app::kiosk::{self, Author, WrittenAppeal};
use qabyldau::config::Config;
use qabyldau::domain::appeal::{AppealKind, Citizen, Outcome};
use qabyldau::domain::event::{
    AppealControlSet, AppealOutcomeSet, Control, DeskNo, EventBody, TicketAtDesk, TicketRef,
};
use qabyldau::domain::{
    Actor, AppealText, CategoryId, Iin, Lang, PersonName, Phone, Priority, ShortText,
};
use qabyldau::store::Store;
use uuid::Uuid;

/// Two desks, all languages, Almaty time: the config of tests/support.
pub const CONFIG: &str = r#"
[point]
id = "test-point"
name = "Тест қабылдау бөлмесі"
kind = "enterprise"
region = "Ақмола облысы"
timezone = "Asia/Almaty"

[[desk]]
number = 1
name = "1"

[[desk]]
number = 2
name = "2"
"#;

pub fn ctx() -> Context {
    ctx_with(CONFIG)
}

pub fn ctx_with(text: &str) -> Context {
    Context::new(Config::parse(text, std::path::Path::new("test.toml")).unwrap())
}

pub fn store(ctx: &Context) -> Store {
    Store::open_in_memory(ctx.point_id()).unwrap()
}

/// 2 March 2026 at `h:m` in Almaty (UTC+5).
pub fn local(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap() - chrono::Duration::hours(5)
}

pub fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

pub fn take(store: &mut Store, ctx: &Context, category: &str, at: DateTime<Utc>) -> Uuid {
    take_priority(store, ctx, category, Priority::Ordinary, at)
}

pub fn take_priority(
    store: &mut Store,
    ctx: &Context,
    category: &str,
    priority: Priority,
    at: DateTime<Utc>,
) -> Uuid {
    kiosk::take_ticket(
        store,
        ctx,
        &CategoryId::new(category),
        priority,
        Lang::Kk,
        at,
    )
    .unwrap()
    .id
}

fn desk_event(store: &mut Store, at: DateTime<Utc>, body: EventBody) {
    store
        .write(&Actor::staff("operator"), at, |w| {
            w.append(&body).map(|_| ())
        })
        .unwrap();
}

pub fn call(store: &mut Store, ticket: Uuid, desk: DeskNo, at: DateTime<Utc>) {
    desk_event(
        store,
        at,
        EventBody::TicketCalled(TicketAtDesk {
            ticket_id: ticket,
            desk,
        }),
    );
}

pub fn recall(store: &mut Store, ticket: Uuid, desk: DeskNo, at: DateTime<Utc>) {
    desk_event(
        store,
        at,
        EventBody::TicketRecalled(TicketAtDesk {
            ticket_id: ticket,
            desk,
        }),
    );
}

pub fn serve(store: &mut Store, ticket: Uuid, desk: DeskNo, at: DateTime<Utc>) {
    desk_event(
        store,
        at,
        EventBody::TicketServing(TicketAtDesk {
            ticket_id: ticket,
            desk,
        }),
    );
}

pub fn finish(store: &mut Store, ticket: Uuid, at: DateTime<Utc>) {
    desk_event(
        store,
        at,
        EventBody::TicketFinished(TicketRef { ticket_id: ticket }),
    );
}

pub fn no_show(store: &mut Store, ticket: Uuid, at: DateTime<Utc>) {
    desk_event(
        store,
        at,
        EventBody::TicketNoShow(TicketRef { ticket_id: ticket }),
    );
}

/// A ticket taken, called, served and finished at the given minutes.
pub fn served_ticket(
    store: &mut Store,
    ctx: &Context,
    category: &str,
    desk: DeskNo,
    [taken, called, done]: [DateTime<Utc>; 3],
) -> Uuid {
    let id = take(store, ctx, category, taken);
    call(store, id, desk, called);
    serve(store, id, desk, called);
    finish(store, id, done);
    id
}

/// Who wrote an appeal and what.
pub struct Named<'a> {
    pub name: &'a str,
    pub phone: &'a str,
    pub iin: Option<&'a str>,
    pub text: &'a str,
}

/// A written appeal with a named, consenting citizen.
pub fn named_appeal(
    store: &mut Store,
    ctx: &Context,
    category: &str,
    kind: AppealKind,
    who: Named<'_>,
    at: DateTime<Utc>,
) -> Uuid {
    let Named {
        name,
        phone,
        iin,
        text,
    } = who;
    kiosk::leave_written_appeal(
        store,
        ctx,
        WrittenAppeal {
            kind,
            category: CategoryId::new(category),
            author: Author::Consented(Citizen {
                name: PersonName::parse(name).unwrap(),
                iin: iin.map(|i| Iin::parse(i).unwrap()),
                phone: Some(Phone::parse(phone).unwrap()),
                settlement: Some(ShortText::parse("Ақкөл ауылы").unwrap()),
                workplace: Some(ShortText::parse("ЖШС Қазмырыш").unwrap()),
            }),
            text: AppealText::parse(text).unwrap(),
            lang: Lang::Ru,
        },
        at,
    )
    .unwrap()
    .id
}

pub fn anonymous_appeal(store: &mut Store, ctx: &Context, at: DateTime<Utc>) -> Uuid {
    kiosk::leave_written_appeal(
        store,
        ctx,
        WrittenAppeal {
            kind: AppealKind::Complaint,
            category: CategoryId::new("utilities"),
            author: Author::Anonymous,
            text: AppealText::parse("В квартире холодно").unwrap(),
            lang: Lang::Ru,
        },
        at,
    )
    .unwrap()
    .id
}

pub fn set_outcome(store: &mut Store, appeal: Uuid, outcome: Outcome, at: DateTime<Utc>) {
    let redirected_to = (outcome == Outcome::Redirected)
        .then(|| ShortText::parse("Тұрғын үй инспекциясы").unwrap());
    desk_event(
        store,
        at,
        EventBody::AppealOutcomeSet(AppealOutcomeSet {
            effective_at: None,
            appeal_id: appeal,
            outcome,
            redirected_to,
            note: None,
        }),
    );
}

pub fn set_control(
    store: &mut Store,
    appeal: Uuid,
    deadline: NaiveDate,
    responsible: &str,
    at: DateTime<Utc>,
) {
    desk_event(
        store,
        at,
        EventBody::AppealControlSet(AppealControlSet {
            appeal_id: appeal,
            control: Some(Control {
                responsible: PersonName::parse(responsible).unwrap(),
                deadline,
            }),
        }),
    );
}
