//! Words the desk shows for values and errors, in the operator's language.

use crate::app::desk::{DeskError, Field, Invalid, Problem};
use crate::app::{AppError, StorageTrouble};
use crate::domain::appeal::{AppealKind, Channel, Outcome, OutcomeError};
use crate::domain::event::SessionKind;
use crate::domain::iin::IinError;
use crate::domain::phone::PhoneError;
use crate::domain::staff::Role;
use crate::domain::ticket::TicketMove;
use crate::domain::{Lang, Priority, TicketState};
use crate::i18n::t;
use crate::tr;

/// Who brought an appeal, as lists and the card show it: the name,
/// "anonymous", or that their personal data was erased.
pub fn citizen(lang: Lang, a: &crate::app::desk::records::AppealRecord) -> String {
    match (&a.citizen_name, a.citizen_erased) {
        (Some(n), _) => crate::domain::sanitize_line(n),
        (None, true) => t(lang, "desk-erased"),
        (None, false) => t(lang, "desk-anonymous"),
    }
}

/// The kind's one name (`ui::words`), in lower case: the desk shows it in
/// the middle of a line.
pub fn kind(lang: Lang, k: AppealKind) -> String {
    crate::ui::words::lower_first(&crate::ui::words::kind(lang, k))
}

pub fn channel(lang: Lang, c: Channel) -> String {
    t(lang, &format!("desk-channel-{}", c.as_str()))
}

/// The outcome's one name (`ui::words`), in lower case, as `kind`.
pub fn outcome(lang: Lang, o: Outcome) -> String {
    crate::ui::words::lower_first(&crate::ui::words::outcome(lang, o))
}

pub fn priority(lang: Lang, p: Priority) -> String {
    t(lang, &format!("desk-priority-{}", p.as_str()))
}

pub fn state(lang: Lang, s: TicketState) -> String {
    t(lang, &format!("desk-state-{}", s.as_str()))
}

pub fn role(lang: Lang, r: Role) -> String {
    t(lang, &format!("desk-role-{}", r.as_str()))
}

pub fn session_kind(lang: Lang, k: SessionKind) -> String {
    t(
        lang,
        match k {
            SessionKind::Mobile => "desk-session-mobile",
            SessionKind::OnSite => "desk-session-on_site",
        },
    )
}

pub fn field(lang: Lang, f: Field) -> String {
    let key = match f {
        Field::Name => "desk-f-name",
        Field::Iin => "desk-f-iin",
        Field::Phone => "desk-f-phone",
        Field::Settlement => "desk-f-settlement",
        Field::Workplace => "desk-f-workplace",
        Field::Category => "desk-f-category",
        Field::Kind => "desk-f-kind",
        Field::Channel => "desk-f-channel",
        Field::Text => "desk-f-text",
        Field::HeardBy => "desk-f-heard-by",
        Field::Consent => "desk-f-consent",
        Field::Outcome => "desk-f-outcome",
        Field::RedirectedTo => "desk-f-redirected",
        Field::Responsible => "desk-f-responsible",
        Field::Deadline => "desk-f-deadline",
    };
    t(lang, key)
}

pub fn problem(lang: Lang, p: Problem) -> String {
    match p {
        Problem::Required => t(lang, "desk-p-required"),
        Problem::TooLong { max } => tr!(lang, "desk-p-too-long", max = max),
        Problem::Iin(e) => match e {
            IinError::WrongLength(n) => tr!(lang, "desk-p-iin-length", count = n),
            IinError::NotDigits => t(lang, "desk-p-iin-digits"),
            IinError::BadCenturyDigit => t(lang, "desk-p-iin-century"),
            IinError::BadBirthDate => t(lang, "desk-p-iin-date"),
            IinError::BadCheckDigit => t(lang, "desk-p-iin-check"),
        },
        Problem::Phone(e) => match e {
            PhoneError::BadCharacters => t(lang, "desk-p-phone-chars"),
            PhoneError::TooShort { digits } => tr!(lang, "desk-p-phone-short", count = digits),
            PhoneError::TooLong { digits } => tr!(lang, "desk-p-phone-long", count = digits),
            PhoneError::NotKazakhstan => t(lang, "desk-p-phone-country"),
        },
        Problem::NeedsConsent => t(lang, "desk-p-consent"),
        Problem::BadDate => t(lang, "desk-p-date"),
        Problem::DateInPast => t(lang, "desk-p-date-past"),
        Problem::CampaignMode => t(lang, "desk-p-campaign"),
        Problem::UnknownCategory => t(lang, "desk-p-category"),
        Problem::BadOutcome => t(lang, "desk-p-outcome"),
    }
}

/// "IIN: the check digit does not match".
pub fn invalid(lang: Lang, i: &Invalid) -> String {
    format!("{}: {}", field(lang, i.field), problem(lang, i.problem))
}

/// A refused action, as a sentence for the message line.
pub fn error(lang: Lang, e: &AppError) -> String {
    match e {
        AppError::Desk(d) => match d {
            DeskError::UnknownDesk(n) => tr!(lang, "desk-err-unknown-desk", desk = *n),
            DeskError::QueueEmpty => t(lang, "desk-err-queue-empty"),
            DeskError::NotInLine => t(lang, "desk-err-not-in-line"),
            DeskError::NoNoShow => t(lang, "desk-err-no-no-show"),
            DeskError::Busy(no) => tr!(lang, "desk-err-busy", ticket = no.to_string()),
            DeskError::NoCurrentTicket => t(lang, "desk-err-no-ticket"),
            DeskError::Paused(r) => tr!(
                lang,
                "desk-err-paused",
                reason = super::pause::reason(lang, *r)
            ),
            DeskError::AlreadyPaused(r) => tr!(
                lang,
                "desk-err-already-paused",
                reason = super::pause::reason(lang, *r)
            ),
            DeskError::NotPaused => t(lang, "desk-err-not-paused"),
            DeskError::SameDesk => t(lang, "desk-err-same-desk"),
            DeskError::NotAdmin => t(lang, "desk-err-not-admin"),
            DeskError::SessionOpen => t(lang, "desk-err-session-open"),
            DeskError::NoSession => t(lang, "desk-err-no-session"),
            DeskError::NotUnderControl => t(lang, "desk-err-not-under-control"),
            DeskError::DeadlineNotLater => t(lang, "desk-err-deadline-not-later"),
            DeskError::Invalid(list) => match list.first() {
                Some(first) if list.len() == 1 => invalid(lang, first),
                // the first in full, the others by name, so the operator
                // knows every field to correct
                Some(first) => tr!(
                    lang,
                    "desk-err-invalid-more",
                    first = invalid(lang, first),
                    fields = list[1..]
                        .iter()
                        .map(|i| field(lang, i.field).to_lowercase())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => t(lang, "error-internal"),
            },
        },
        AppError::TicketMove(m) => match (m.from, m.action) {
            (TicketState::Called, TicketMove::Finish) => t(lang, "desk-err-serve-first"),
            (TicketState::Serving, TicketMove::NoShow | TicketMove::Recall) => {
                t(lang, "desk-err-already-serving")
            }
            (from, _) => tr!(lang, "desk-err-ticket-state", state = state(lang, from)),
        },
        AppError::Outcome(OutcomeError::MissingBody) => {
            format!(
                "{}: {}",
                field(lang, Field::RedirectedTo),
                t(lang, "desk-p-required")
            )
        }
        AppError::Outcome(OutcomeError::Illegal { from, to }) => tr!(
            lang,
            "desk-err-outcome",
            from = outcome(lang, *from),
            to = outcome(lang, *to)
        ),
        AppError::CampaignMode => t(lang, "desk-p-campaign"),
        AppError::UnknownCategory(_) => t(lang, "desk-p-category"),
        AppError::NotFound(_) => t(lang, "desk-err-not-found"),
        AppError::Erase(e) => {
            use crate::app::citizen::EraseRefused;
            match e {
                EraseRefused::NotSupervisor | EraseRefused::WrongLogin | EraseRefused::Locked => {
                    t(lang, "desk-erase-not-allowed")
                }
                EraseRefused::NoSuchCitizen
                | EraseRefused::NoSuchAppeal(_)
                | EraseRefused::AlreadyErased(_) => t(lang, "desk-erase-nothing"),
            }
        }
        e if e.storage_trouble() == Some(StorageTrouble::DiskFull) => t(lang, "error-disk-full"),
        e if e.storage_trouble() == Some(StorageTrouble::Busy) => t(lang, "error-busy"),
        _ => {
            tracing::error!(error = %e, "desk action failed");
            t(lang, "error-internal")
        }
    }
}

/// Who acted, in `lang`: the kiosk and the system in words, a staff member
/// by name (sanitised: names come from the database).
pub fn who(lang: Lang, who: &crate::app::desk::records::Who) -> String {
    use crate::app::desk::records::Who;
    match who {
        Who::Kiosk => t(lang, "print-accepted-kiosk"),
        Who::System => t(lang, "desk-who-system"),
        Who::Staff(name) => crate::domain::sanitize_line(name),
        Who::Region(Some(name)) => tr!(
            lang,
            "desk-who-region",
            name = crate::domain::sanitize_line(name)
        ),
        Who::Region(None) => t(lang, "desk-who-region-office"),
        Who::Other(actor) => crate::domain::sanitize_line(actor),
    }
}
