//! Printing as use cases: what a ticket or a receipt says (read from the
//! tables after the ticket or appeal is recorded), and what became of
//! the paper (an event). The printer itself is only ever driven by
//! `print::Printer` on a thread of its own.

use super::queue::place_of;
use super::{AppError, AppResult, Context};
use crate::config::PrinterConfig;
use crate::domain::event::{DocumentPrinted, DocumentRef, EventBody, PrintFailed};
use crate::domain::workdays::Calendar;
use crate::domain::{Actor, FullAppealNo, Lang, ShortText};
use crate::print::{AcceptedBy, Document, PrintReport, Printer, Receipt, TicketSlip, Timeouts};
use crate::store::{Store, appeals, staff, tickets};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum PrinterSetupError {
    #[error("[printer] {0}")]
    Config(String),
    #[error("[printer] logo: {0}")]
    Logo(#[from] crate::print::raster::LogoError),
}

/// The printer the config names, ready to print (its logo read once, here,
/// so a missing logo is said at start and not on a citizen's ticket).
pub fn printer_of(config: Option<&PrinterConfig>) -> Result<Option<Printer>, PrinterSetupError> {
    let Some(c) = config else {
        return Ok(None);
    };
    let url = c.address().map_err(PrinterSetupError::Config)?;
    let width = c
        .paper()
        .ok_or_else(|| PrinterSetupError::Config(format!("width_mm {}: 58 or 80", c.width_mm)))?;
    let logo = c
        .logo
        .as_deref()
        .map(|p| crate::print::raster::logo_from_png(p, width.dots()))
        .transpose()?;
    Ok(Some(Printer {
        url,
        width,
        logo,
        status: c.status,
        timeouts: Timeouts::default(),
    }))
}

/// A queue ticket's paper, as it stands now (place in the line, wait).
pub fn ticket_slip(
    store: &Store,
    ctx: &Context,
    ticket_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<TicketSlip> {
    let t = tickets::get(store.conn(), ticket_id)?
        .ok_or_else(|| AppError::NotFound(format!("ticket {ticket_id}")))?;
    let place = place_of(store, ctx, ticket_id, now)?;
    Ok(TicketSlip {
        ticket_id,
        number: t.number,
        lang: t.lang,
        point_name: ctx.config.point.name.clone(),
        topic: ctx.catalogue.name(&t.category, t.lang),
        taken_at: t.taken_at.with_timezone(&ctx.tz()).naive_local(),
        ahead: place.map_or(0, |p| p.ahead as u32),
        wait_minutes: place.map_or(0, |p| p.estimated_wait_minutes),
    })
}

/// Who accepted an appeal, by its `recorded_by`: the kiosk, or the
/// operator's name from the staff table (the login if it has none).
fn accepted_by(store: &Store, recorded_by: &str) -> AppResult<AcceptedBy> {
    Ok(match recorded_by.strip_prefix("staff:") {
        Some(login) => AcceptedBy::Staff(
            staff::get(store.conn(), login)?
                .map(|s| s.name)
                .unwrap_or_else(|| login.to_string()),
        ),
        None => AcceptedBy::Kiosk,
    })
}

/// The date by which an answer is due: the control deadline, or 15
/// working days from the day of receipt.
pub fn answer_due(deadline: Option<NaiveDate>, received_on: NaiveDate) -> NaiveDate {
    deadline.unwrap_or_else(|| Calendar::builtin().default_deadline(received_on))
}

/// An appeal's receipt, in `lang` (the citizen's, by default the appeal's).
pub fn receipt(
    store: &Store,
    ctx: &Context,
    appeal_id: Uuid,
    lang: Option<Lang>,
) -> AppResult<Receipt> {
    let a = appeals::get(store.conn(), appeal_id)?
        .ok_or_else(|| AppError::NotFound(format!("appeal {appeal_id}")))?;
    let lang = lang.unwrap_or(a.lang);
    let received = a.received_at.with_timezone(&ctx.tz());
    Ok(Receipt {
        appeal_id,
        number: FullAppealNo {
            point: ctx.point_id().clone(),
            number: a.number,
        },
        lang,
        point_name: ctx.config.point.name.clone(),
        topic: ctx.catalogue.name(&a.category, lang),
        received_at: received.naive_local(),
        accepted_by: accepted_by(store, &a.recorded_by)?,
        answer_due: answer_due(a.deadline, received.date_naive()),
        state_only: a.citizen_phone.is_none() && a.citizen_iin.is_none(),
    })
}

/// The document of a reference, for a reprint.
pub fn document(
    store: &Store,
    ctx: &Context,
    doc: DocumentRef,
    now: DateTime<Utc>,
) -> AppResult<Document> {
    Ok(match doc {
        DocumentRef::Ticket(id) => Document::Ticket(ticket_slip(store, ctx, id, now)?),
        DocumentRef::Receipt(id) => Document::Receipt(receipt(store, ctx, id, None)?),
    })
}

/// Records what became of a print job: `document_printed`, or
/// `print_failed` with the reason. The ticket or appeal was recorded before.
pub fn record(
    store: &mut Store,
    actor: &Actor,
    report: &PrintReport,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    let printer = short(&report.printer).unwrap_or_else(|| short("?").expect("not empty"));
    let body = match &report.result {
        Ok(()) => EventBody::DocumentPrinted(DocumentPrinted {
            document: report.document,
            printer,
            reprint: report.reprint,
        }),
        Err(f) => EventBody::PrintFailed(PrintFailed {
            document: report.document,
            printer,
            reason: f.reason,
            detail: short(&f.detail),
            reprint: report.reprint,
        }),
    };
    store.write(actor, now, |w| -> AppResult<u64> { Ok(w.append(&body)?) })
}

/// Text from a printer or the system, cut to what an event holds.
fn short(s: &str) -> Option<ShortText> {
    let cut: String = s.chars().take(ShortText::MAX).collect();
    ShortText::parse(&cut).ok()
}

/// The latest attempt of each printer, for the supervisor's board.
pub use crate::store::printers::PrinterState;

pub fn printers(store: &Store) -> AppResult<Vec<PrinterState>> {
    Ok(crate::store::printers::all(store.conn())?)
}
