//! What an operator does at a desk: the queue, appeals, control, sessions.
//! Every change is an event whose actor is the logged-in operator.

pub mod appeals;
pub mod form;
pub mod pause;
pub mod records;
pub mod sessions;
pub mod state;
pub mod tickets;

use super::staff::LoginOutcome;
use super::{AppError, AppResult, Context};
use crate::domain::event::{CampaignModeSet, DeskNo, EventBody};
use crate::domain::staff::{Login, Role};
use crate::domain::{Actor, TicketNo};
use crate::store::{Store, staff};
use chrono::{DateTime, Utc};

pub use form::{AppealInput, Field, Invalid, Problem};

/// The person logged in at a desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    pub login: Login,
    pub name: String,
    pub role: Role,
}

impl Operator {
    pub fn actor(&self) -> Actor {
        Actor::staff(self.login.as_str())
    }

    /// The operator a successful login names.
    pub fn from_login(outcome: &LoginOutcome) -> Option<Operator> {
        match outcome {
            LoginOutcome::Welcome { login, name, role } => Some(Operator {
                login: login.clone(),
                name: name.clone(),
                role: *role,
            }),
            _ => None,
        }
    }

    /// An enabled staff member by login, for scripting commands that act
    /// as them without a PIN (whoever can run them can open the database).
    pub fn load(store: &Store, login: &str) -> AppResult<Operator> {
        let login = Login::parse(login).map_err(super::staff::StaffError::from)?;
        match staff::get(store.conn(), login.as_str())? {
            Some(row) if !row.disabled => Ok(Operator {
                login: row.login,
                name: row.name,
                role: row.role,
            }),
            _ => Err(super::staff::StaffError::Unknown(login.to_string()).into()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeskError {
    #[error("desk {0} is not in the config")]
    UnknownDesk(DeskNo),
    #[error("nobody is waiting for this desk")]
    QueueEmpty,
    #[error("that ticket is no longer waiting in this desk's line")]
    NotInLine,
    #[error("this desk has no no-show today to bring back")]
    NoNoShow,
    #[error("this desk still has ticket {0}: finish it or mark a no-show first")]
    Busy(TicketNo),
    #[error("this desk has no current ticket")]
    NoCurrentTicket,
    #[error("this desk is paused ({0}): come back to call")]
    Paused(crate::domain::pause::PauseReason),
    #[error("this desk is already paused ({0})")]
    AlreadyPaused(crate::domain::pause::PauseReason),
    #[error("this desk is not paused")]
    NotPaused,
    #[error("a ticket is transferred to another desk, not to the same one")]
    SameDesk,
    #[error("only an administrator can do this")]
    NotAdmin,
    #[error("a reception session is already open")]
    SessionOpen,
    #[error("no reception session is open")]
    NoSession,
    #[error("the appeal is not under control")]
    NotUnderControl,
    #[error("the new deadline must be later than the current one")]
    DeadlineNotLater,
    #[error("the appeal form has mistakes: {0:?}")]
    Invalid(Vec<Invalid>),
}

impl From<DeskError> for AppError {
    fn from(e: DeskError) -> Self {
        AppError::Desk(e)
    }
}

/// Checks that `desk` is one of the point's desks.
pub fn check_desk(ctx: &Context, desk: DeskNo) -> AppResult<()> {
    ctx.config
        .desk(desk)
        .map(|_| ())
        .ok_or(DeskError::UnknownDesk(desk).into())
}

/// Campaign mode on or off: an administrator's action, itself an event.
pub fn set_campaign_mode(
    store: &mut Store,
    op: &Operator,
    on: bool,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if op.role != Role::Admin {
        return Err(DeskError::NotAdmin.into());
    }
    store.write(&op.actor(), now, |w| -> AppResult<()> {
        w.append(&EventBody::CampaignModeSet(CampaignModeSet { on }))?;
        Ok(())
    })
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::config::{Config, DEFAULT_CONFIG};
    use crate::domain::PointId;
    use std::path::Path;

    pub const CONFIG: &str = r#"
[point]
id = "test-point"
name = "Тест"
kind = "office"
region = "Ақмола облысы"
officials = ["Депутат Серік Ахметов"]

[[desk]]
number = 1
categories = ["housing", "utilities"]

[[desk]]
number = 2
categories = ["labour"]

[[desk]]
number = 3
"#;

    pub fn ctx() -> Context {
        let _ = DEFAULT_CONFIG;
        Context::new(Config::parse(CONFIG, Path::new("test.toml")).unwrap())
    }

    pub fn store() -> Store {
        Store::open_in_memory(&PointId::parse("test-point").unwrap()).unwrap()
    }

    pub fn operator(role: Role) -> Operator {
        Operator {
            login: Login::parse("aigul").unwrap(),
            name: "Айгүл".into(),
            role,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;
    use crate::store::events;

    #[test]
    fn campaign_mode_is_an_admin_event() {
        let mut s = store();
        let ctx = ctx();
        let now = Utc::now();
        let r = set_campaign_mode(&mut s, &operator(Role::Operator), true, now);
        assert!(matches!(r, Err(AppError::Desk(DeskError::NotAdmin))));
        assert!(!ctx.campaign_mode(&s).unwrap());
        set_campaign_mode(&mut s, &operator(Role::Admin), true, now).unwrap();
        assert!(ctx.campaign_mode(&s).unwrap());
        let ev = events::after(s.conn(), 0, 10).unwrap();
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].kind, "campaign_mode_set");
        assert_eq!(ev[0].actor, "staff:aigul");
    }
}
