//! Use cases: what a person can do, as functions over the store. No
//! terminal, no SQL; time comes in as an argument so tests can set it.

pub mod board;
pub mod citizen;
pub mod context;
pub mod demo;
pub mod desk;
pub mod doctor;
pub mod hours;
pub mod kiosk;
pub mod lookup;

pub mod print;
pub mod queue;
pub mod region;
mod register;
pub mod report;
pub mod staff;

/// The point's database as use cases take it. Screens hold it (on the
/// database thread) only to hand it to use cases: every read they show
/// and every write they ask for is a function of `app`, with `app` types.
pub use crate::store::Store;
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
    Pin(#[from] crate::domain::pin::PinError),
    #[error(
        "the database already holds {0} records; the demo fills only an empty one (use --db with a new file)"
    )]
    NotEmpty(u64),
    #[error(transparent)]
    BadPeriod(#[from] crate::domain::report::BadPeriod),
    #[error(transparent)]
    Desk(desk::DeskError),
    #[error(transparent)]
    Export(report::ExportRefused),
    #[error(transparent)]
    Erase(citizen::EraseRefused),
    #[error("not found: {0}")]
    NotFound(String),
    #[error(transparent)]
    NoTicket(hours::NoTicket),
}

pub type AppResult<T> = Result<T, AppError>;

/// A failure of the point's database that a person can be told about in
/// words, and try again after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageTrouble {
    /// The disk is full: nothing was recorded.
    DiskFull,
    /// Another program held the database too long.
    Busy,
}

impl AppError {
    pub fn storage_trouble(&self) -> Option<StorageTrouble> {
        match self {
            AppError::Store(StoreError::DiskFull) => Some(StorageTrouble::DiskFull),
            AppError::Store(StoreError::Busy) => Some(StorageTrouble::Busy),
            _ => None,
        }
    }
}
