//! What is printed: the facts of each kind of document, gathered by the
//! use cases (`app::print`) and laid out in the citizen's language by
//! `layout`.

use crate::domain::event::DocumentRef;
use crate::domain::{FullAppealNo, Lang, TicketNo};
use chrono::{NaiveDate, NaiveDateTime};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    Ticket(TicketSlip),
    Receipt(Receipt),
    // The appointments issue adds `Booking(BookingSlip)`: its code, the
    // reception, the official and the time. `layout::blocks` and
    // `DocumentRef` grow the same third arm.
}

impl Document {
    pub fn lang(&self) -> Lang {
        match self {
            Document::Ticket(t) => t.lang,
            Document::Receipt(r) => r.lang,
        }
    }

    pub fn reference(&self) -> DocumentRef {
        match self {
            Document::Ticket(t) => DocumentRef::Ticket(t.ticket_id),
            Document::Receipt(r) => DocumentRef::Receipt(r.appeal_id),
        }
    }

    /// The number the citizen must keep, as written on the paper.
    pub fn number(&self) -> String {
        match self {
            Document::Ticket(t) => t.number.to_string(),
            Document::Receipt(r) => r.number.to_string(),
        }
    }
}

/// A place in the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketSlip {
    pub ticket_id: Uuid,
    pub number: TicketNo,
    pub lang: Lang,
    pub point_name: String,
    /// The topic's name in `lang`.
    pub topic: String,
    /// Local time at the point.
    pub taken_at: NaiveDateTime,
    pub ahead: u32,
    pub wait_minutes: u32,
}

/// Who accepted an appeal, as the receipt names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AcceptedBy {
    Kiosk,
    /// The operator's name from the staff table.
    Staff(String),
}

/// The receipt (талон) of an appeal: what the Administrative Procedural
/// Code's practice gives a citizen: the number, the date and time, who
/// accepted it, and when an answer is due.
#[derive(Debug, Clone, PartialEq)]
pub struct Receipt {
    pub appeal_id: Uuid,
    pub number: FullAppealNo,
    pub lang: Lang,
    pub point_name: String,
    pub topic: String,
    /// Local time at the point.
    pub received_at: NaiveDateTime,
    pub accepted_by: AcceptedBy,
    /// The control deadline, or 15 working days from the day of receipt.
    pub answer_due: NaiveDate,
    /// Anonymous (or no phone and no IIN): the number alone shows only the
    /// state, and the paper says so.
    pub state_only: bool,
}
