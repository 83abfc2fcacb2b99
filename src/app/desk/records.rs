//! What the desk's screens read, as the use cases give it: tickets,
//! appeals with their history, reception sessions, and the state of the
//! desk re-read when the database changes. These are the app's types, not
//! the store's rows, so a screen depends on what a desk shows and not on
//! how the point's tables hold it.

use crate::app::{AppError, AppResult};
use crate::domain::event::{DeskNo, SessionKind};
use crate::domain::{AppealKind, AppealNo, CategoryId, Channel, Lang, Outcome};
use crate::domain::{Priority, TicketNo, TicketState};
use crate::store::Read;
use crate::store::appeals::{self, AppealRow, HistoryRow};
use crate::store::sessions::SessionRow;
use crate::store::tickets::TicketRow;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

/// A ticket as the desk sees it (and `qabyldau call-next --json` prints it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TicketRecord {
    pub id: Uuid,
    pub service_date: NaiveDate,
    pub number: TicketNo,
    pub category: CategoryId,
    pub priority: Priority,
    pub lang: Lang,
    pub state: TicketState,
    pub desk: Option<DeskNo>,
    pub target_desk: Option<DeskNo>,
    pub taken_at: DateTime<Utc>,
    pub called_at: Option<DateTime<Utc>>,
    pub serving_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub recalls: u32,
}

impl From<TicketRow> for TicketRecord {
    fn from(t: TicketRow) -> Self {
        TicketRecord {
            id: t.id,
            service_date: t.service_date,
            number: t.number,
            category: t.category,
            priority: t.priority,
            lang: t.lang,
            state: t.state,
            desk: t.desk,
            target_desk: t.target_desk,
            taken_at: t.taken_at,
            called_at: t.called_at,
            serving_at: t.serving_at,
            finished_at: t.finished_at,
            recalls: t.recalls,
        }
    }
}

/// An appeal as the desk lists and shows it: the citizen as recorded (the
/// desk is where personal data may be seen), its outcome and control.
#[derive(Debug, Clone, PartialEq)]
pub struct AppealRecord {
    pub id: Uuid,
    pub number: AppealNo,
    pub received_at: DateTime<Utc>,
    pub kind: AppealKind,
    pub channel: Channel,
    pub category: CategoryId,
    pub citizen_name: Option<String>,
    pub citizen_iin: Option<String>,
    pub citizen_phone: Option<String>,
    pub settlement: Option<String>,
    pub workplace: Option<String>,
    pub text: String,
    pub heard_by: Vec<String>,
    pub recorded_by: String,
    pub repeated: bool,
    pub outcome: Outcome,
    pub redirected_to: Option<String>,
    pub under_control: bool,
    pub responsible: Option<String>,
    pub deadline: Option<NaiveDate>,
    /// The citizen's personal data was erased at their request (or for
    /// age): the `citizen_*` fields are empty, and the desk says so.
    pub citizen_erased: bool,
    /// The text was erased: `text` is empty.
    pub text_erased: bool,
}

impl From<AppealRow> for AppealRecord {
    fn from(a: AppealRow) -> Self {
        AppealRecord {
            id: a.id,
            number: a.number,
            received_at: a.received_at,
            kind: a.kind,
            channel: a.channel,
            category: a.category,
            citizen_name: a.citizen_name,
            citizen_iin: a.citizen_iin,
            citizen_phone: a.citizen_phone,
            settlement: a.settlement,
            workplace: a.workplace,
            text: a.text,
            heard_by: a.heard_by,
            recorded_by: a.recorded_by,
            repeated: a.repeated,
            outcome: a.outcome,
            redirected_to: a.redirected_to,
            under_control: a.under_control,
            responsible: a.responsible,
            deadline: a.deadline,
            citizen_erased: a.citizen_erased_at.is_some(),
            text_erased: a.text_erased_at.is_some(),
        }
    }
}

/// One change in an appeal's history: when, who, what (the event's kind
/// and its payload as recorded).
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    /// As the log has it (`staff:serik`).
    pub actor: String,
    /// As a screen names them.
    pub who: Who,
    pub kind: String,
    pub detail: serde_json::Value,
}

/// Who did something, as a screen names them: a staff member by name, not
/// by the login the log keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    Kiosk,
    System,
    /// The name from the staff table (the login when the row has gone).
    Staff(String),
    /// The region's staff, by name as their decision brought it (the login
    /// when it came without one; `None`: the server's administrator).
    Region(Option<String>),
    /// An actor this point does not know (another point's).
    Other(String),
}

/// An appeal's card: the appeal, who recorded it, and its history.
#[derive(Debug, Clone, PartialEq)]
pub struct AppealDetail {
    pub appeal: AppealRecord,
    pub recorded_by: Who,
    pub history: Vec<HistoryEntry>,
}

/// Names actors, each login read once per card.
struct Names<'a, D: Read> {
    db: &'a D,
    known: std::collections::HashMap<String, Who>,
}

impl<D: Read> Names<'_, D> {
    fn of(&mut self, actor: &str) -> AppResult<Who> {
        if let Some(w) = self.known.get(actor) {
            return Ok(w.clone());
        }
        let who = match actor {
            "kiosk" => Who::Kiosk,
            "system" => Who::System,
            a => match a.strip_prefix("staff:") {
                Some(login) => Who::Staff(
                    crate::store::staff::get(self.db.conn(), login)?
                        .map_or_else(|| login.to_string(), |s| s.name),
                ),
                None => match a.strip_prefix(crate::domain::event::REGION_ACTOR_PREFIX) {
                    Some(crate::domain::event::REGION_ADMIN) => Who::Region(None),
                    Some(login) => Who::Region(Some(
                        crate::store::region::staff_name(self.db.conn(), login)?
                            .unwrap_or_else(|| login.to_string()),
                    )),
                    None => Who::Other(a.to_string()),
                },
            },
        };
        self.known.insert(actor.to_string(), who.clone());
        Ok(who)
    }
}

/// A reception session (a mobile reception in a village, an on-site
/// reception at a plant).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    pub id: Uuid,
    pub kind: SessionKind,
    pub date: NaiveDate,
    pub place: String,
    pub officials: Vec<String>,
    pub opened_at: DateTime<Utc>,
    pub opened_by: String,
    pub closed_at: Option<DateTime<Utc>>,
    /// Appeals recorded while it was open.
    pub appeals: u32,
}

impl From<SessionRow> for SessionRecord {
    fn from(s: SessionRow) -> Self {
        SessionRecord {
            id: s.id,
            kind: s.kind,
            date: s.date,
            place: s.place,
            officials: s.officials,
            opened_at: s.opened_at,
            opened_by: s.opened_by,
            closed_at: s.closed_at,
            appeals: s.appeals,
        }
    }
}

/// Appeals and citizens matching what the operator typed, newest first.
pub fn search(db: &impl Read, typed: &str, limit: usize) -> AppResult<Vec<AppealRecord>> {
    Ok(appeals::search_newest(db.conn(), typed, limit)?
        .into_iter()
        .map(AppealRecord::from)
        .collect())
}

/// Every appeal under control.
pub fn under_control(db: &impl Read) -> AppResult<Vec<AppealRecord>> {
    Ok(appeals::under_control(db.conn())?
        .into_iter()
        .map(AppealRecord::from)
        .collect())
}

/// One appeal with its history, in order, and the names of who acted.
pub fn detail(db: &impl Read, id: Uuid) -> AppResult<AppealDetail> {
    let a =
        appeals::get(db.conn(), id)?.ok_or_else(|| AppError::NotFound(format!("appeal {id}")))?;
    let mut names = Names {
        db,
        known: Default::default(),
    };
    let recorded_by = names.of(&a.recorded_by)?;
    let history = appeals::history(db.conn(), id)?
        .into_iter()
        .map(|h: HistoryRow| {
            Ok(HistoryEntry {
                who: names.of(&h.actor)?,
                at: h.at,
                actor: h.actor,
                kind: h.kind,
                detail: h.detail,
            })
        })
        .collect::<AppResult<_>>()?;
    Ok(AppealDetail {
        appeal: a.into(),
        recorded_by,
        history,
    })
}
