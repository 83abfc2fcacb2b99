//! Use cases: what a person can do, as functions over the store. No
//! terminal, no SQL; time comes in as an argument so tests can set it.

pub mod board;
pub mod context;
pub mod demo;
pub mod desk;
pub mod hours;
pub mod kiosk;
pub mod pin;
pub mod queue;
pub mod region;
mod register;
pub mod report;
pub mod staff;

pub use context::Context;

use crate::domain::appeal::OutcomeError;
use crate::domain::ticket::IllegalTicketMove;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("unknown category {0:?}")]
    UnknownCategory(String),
    #[error("campaign mode: only proposals for the programme are taken")]
    CampaignMode,
    #[error(transparent)]
    TicketMove(#[from] IllegalTicketMove),
    #[error(transparent)]
    Outcome(#[from] OutcomeError),
    #[error(transparent)]
    Staff(staff::StaffError),
    #[error(transparent)]
    Pin(#[from] pin::PinError),
    #[error(
        "the database already holds {0} records; the demo fills only an empty one (use --db with a new file)"
    )]
    NotEmpty(u64),
    #[error("the period ends ({to}) before it starts ({from})")]
    BadPeriod {
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    },
    #[error(transparent)]
    Desk(desk::DeskError),
    #[error(transparent)]
    Export(report::ExportRefused),
    #[error("not found: {0}")]
    NotFound(String),
    #[error(transparent)]
    NoTicket(hours::NoTicket),
}

pub type AppResult<T> = Result<T, AppError>;
