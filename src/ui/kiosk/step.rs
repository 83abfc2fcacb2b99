//! Where a citizen is in the kiosk, and the written appeal as it is being
//! filled in.

use super::choices::Digits;
use crate::app::kiosk::{AppealReceived, Author, TicketIssued, WrittenAppeal};
use crate::app::{AppError, StorageTrouble};
use crate::domain::appeal::Citizen;
use crate::domain::event::{DocumentRef, PrintFailure};
use crate::domain::phone::PhoneError;
use crate::domain::text::TextError;
use crate::domain::{
    AppealKind, AppealText, Catalogue, CategoryId, Lang, PersonName, Phone, Priority, ShortText,
};
use crate::print::{PrintReport, Receipt, TicketSlip};
use crate::ui::kit::TextInput;
use std::time::Instant;

/// What became of the paper of the ticket or receipt on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// No printer here: the number is on screen only, as it always was.
    NoPrinter,
    Printing(DocumentRef),
    Printed,
    /// The printer could not: the number stays on screen longer and the
    /// citizen is told to write it down or photograph it.
    Failed(PrintFailure),
}

impl Paper {
    pub fn is_trouble(self) -> bool {
        matches!(self, Paper::Failed(_))
    }
}

/// A list of choices and the one highlighted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choice {
    pub selected: usize,
    pub digits: Digits,
}

impl Choice {
    pub fn at(selected: usize) -> Self {
        Choice {
            selected,
            digits: Digits::default(),
        }
    }
}

/// What the citizen came for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Ticket,
    Appeal,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Language choice, in all three languages.
    Welcome(Choice),
    /// Take a ticket, or leave a written appeal or proposal.
    Menu(Choice),
    Topic {
        purpose: Purpose,
        choice: Choice,
    },
    Priority {
        category: CategoryId,
        choice: Choice,
    },
    /// The ticket is being written; nothing can be pressed.
    Taking {
        category: CategoryId,
        priority: Priority,
    },
    Ticket {
        issued: TicketIssued,
        category: CategoryId,
        priority: Priority,
        since: Instant,
        paper: Paper,
    },
    Consent {
        draft: Draft,
        choice: Choice,
    },
    /// "What became of my appeal?": typing the number, then the digits.
    Lookup {
        stage: LookupStage,
        input: TextInput,
    },
    /// The look-up runs; nothing can be pressed.
    LookingUp,
    /// What the look-up found (or did not), until Done or the timeout.
    Status {
        result: crate::app::lookup::LookupResult,
        since: Instant,
    },
    Field {
        draft: Draft,
        field: Field,
        input: TextInput,
    },
    Review {
        draft: Draft,
        choice: Choice,
        /// Rows of the review scrolled off the top (↑↓, the wheel, ▲▼):
        /// a long text is read whole before it is sent.
        scroll: u16,
    },
    /// The appeal is being written; nothing can be pressed.
    Saving {
        draft: Draft,
    },
    Receipt {
        received: AppealReceived,
        anonymous: bool,
        since: Instant,
        /// The receipt's facts (full number, who accepted it, the date an
        /// answer is due); `None` if they could not be read after the save.
        receipt: Option<Receipt>,
        paper: Paper,
    },
}

impl Step {
    pub fn welcome() -> Self {
        Step::Welcome(Choice::default())
    }

    /// A job is running: input waits for its reply.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            Step::Taking { .. } | Step::Saving { .. } | Step::LookingUp
        )
    }

    /// Screens that show a result and close by themselves.
    pub fn paper(&self) -> Option<Paper> {
        match self {
            Step::Ticket { paper, .. } | Step::Receipt { paper, .. } => Some(*paper),
            _ => None,
        }
    }

    pub fn shown_since(&self) -> Option<Instant> {
        match self {
            Step::Ticket { since, .. }
            | Step::Receipt { since, .. }
            | Step::Status { since, .. } => Some(*since),
            _ => None,
        }
    }

    pub fn choice_mut(&mut self) -> Option<&mut Choice> {
        match self {
            Step::Welcome(c) | Step::Menu(c) => Some(c),
            Step::Topic { choice, .. }
            | Step::Priority { choice, .. }
            | Step::Consent { choice, .. }
            | Step::Review { choice, .. } => Some(choice),
            _ => None,
        }
    }
}

/// The fields of a written appeal, in the order they are asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Phone,
    Settlement,
    Workplace,
    Text,
}

impl Field {
    pub fn max(self) -> usize {
        match self {
            Field::Name => PersonName::MAX,
            // "+7 (701) 123-45-67" and some slack for spaces
            Field::Phone => 32,
            Field::Settlement | Field::Workplace => ShortText::MAX,
            Field::Text => AppealText::MAX,
        }
    }

    pub fn multiline(self) -> bool {
        self == Field::Text
    }

    pub fn required(self) -> bool {
        matches!(self, Field::Name | Field::Text)
    }

    /// The first field: the name with consent, else straight to the text
    /// (nothing personal is asked without consent).
    pub fn first(consent: bool) -> Field {
        if consent { Field::Name } else { Field::Text }
    }

    pub fn next(self) -> Option<Field> {
        match self {
            Field::Name => Some(Field::Phone),
            Field::Phone => Some(Field::Settlement),
            Field::Settlement => Some(Field::Workplace),
            Field::Workplace => Some(Field::Text),
            Field::Text => None,
        }
    }

    /// The field before, or `None` when the consent question comes before.
    pub fn prev(self, consent: bool) -> Option<Field> {
        match self {
            Field::Name => None,
            Field::Phone => Some(Field::Name),
            Field::Settlement => Some(Field::Phone),
            Field::Workplace => Some(Field::Settlement),
            Field::Text if consent => Some(Field::Workplace),
            Field::Text => None,
        }
    }

    /// Checks what was typed, as it will be stored.
    pub fn check(self, typed: &str) -> Result<(), Problem> {
        let optional_empty = !self.required() && typed.trim().is_empty();
        if optional_empty {
            return Ok(());
        }
        match self {
            Field::Name => PersonName::parse(typed).map(drop).map_err(Problem::from),
            Field::Phone => Phone::parse(typed).map(drop).map_err(Problem::Phone),
            Field::Settlement | Field::Workplace => {
                ShortText::parse(typed).map(drop).map_err(Problem::from)
            }
            Field::Text => AppealText::parse(typed).map(drop).map_err(Problem::from),
        }
    }
}

/// A written appeal as typed so far. Without consent the personal fields
/// are kept empty: nothing personal is held, not even in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub category: CategoryId,
    pub consent: bool,
    pub name: String,
    pub phone: String,
    pub settlement: String,
    pub workplace: String,
    pub text: String,
}

impl Draft {
    pub fn new(category: CategoryId) -> Self {
        Draft {
            category,
            consent: false,
            name: String::new(),
            phone: String::new(),
            settlement: String::new(),
            workplace: String::new(),
            text: String::new(),
        }
    }

    pub fn get(&self, field: Field) -> &str {
        match field {
            Field::Name => &self.name,
            Field::Phone => &self.phone,
            Field::Settlement => &self.settlement,
            Field::Workplace => &self.workplace,
            Field::Text => &self.text,
        }
    }

    pub fn set(&mut self, field: Field, value: String) {
        let slot = match field {
            Field::Name => &mut self.name,
            Field::Phone => &mut self.phone,
            Field::Settlement => &mut self.settlement,
            Field::Workplace => &mut self.workplace,
            Field::Text => &mut self.text,
        };
        *slot = value;
    }

    pub fn set_consent(&mut self, consent: bool) {
        self.consent = consent;
        if !consent {
            for f in [
                Field::Name,
                Field::Phone,
                Field::Settlement,
                Field::Workplace,
            ] {
                self.set(f, String::new());
            }
        }
    }

    /// A proposal when the topic is the programme, otherwise a request:
    /// the operator reading it decides what more it is.
    pub fn kind(&self, catalogue: &Catalogue) -> AppealKind {
        match catalogue.get(&self.category) {
            Some(c) if c.programme => AppealKind::Proposal,
            _ => AppealKind::Request,
        }
    }

    /// The appeal as the use case takes it, or the first field that is wrong.
    pub fn to_appeal(
        &self,
        catalogue: &Catalogue,
        lang: Lang,
    ) -> Result<WrittenAppeal, (Field, Problem)> {
        let optional = |field: Field, text: &str| -> Result<Option<ShortText>, (Field, Problem)> {
            if text.trim().is_empty() {
                Ok(None)
            } else {
                ShortText::parse(text)
                    .map(Some)
                    .map_err(|e| (field, Problem::from(e)))
            }
        };
        let author = if self.consent {
            Author::Consented(Citizen {
                name: PersonName::parse(&self.name).map_err(|e| (Field::Name, e.into()))?,
                iin: None,
                phone: if self.phone.trim().is_empty() {
                    None
                } else {
                    Some(Phone::parse(&self.phone).map_err(|e| (Field::Phone, Problem::Phone(e)))?)
                },
                settlement: optional(Field::Settlement, &self.settlement)?,
                workplace: optional(Field::Workplace, &self.workplace)?,
            })
        } else {
            Author::Anonymous
        };
        Ok(WrittenAppeal {
            kind: self.kind(catalogue),
            category: self.category.clone(),
            author,
            text: AppealText::parse(&self.text).map_err(|e| (Field::Text, e.into()))?,
            lang,
        })
    }
}

/// Something to tell the citizen (or the staff member at the exit prompt).
/// Turned into words only when drawn, in the language of the moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
        len: usize,
    },
    Phone(PhoneError),
    DiskFull,
    Busy,
    Campaign,
    /// No ticket now (closed, or the topic's daily limit): when to come back.
    NoTicket(crate::app::hours::NoTicket),
    Internal,
    WrongPin {
        left: u32,
    },
    PinLocked,
    NoExitPin,
}

impl From<TextError> for Problem {
    fn from(e: TextError) -> Self {
        match e {
            TextError::Empty => Problem::Required,
            TextError::TooLong { max, len } => Problem::TooLong { max, len },
        }
    }
}

impl From<&AppError> for Problem {
    fn from(e: &AppError) -> Self {
        match e {
            AppError::CampaignMode => Problem::Campaign,
            AppError::NoTicket(n) => Problem::NoTicket(*n),
            e if e.storage_trouble() == Some(StorageTrouble::DiskFull) => Problem::DiskFull,
            e if e.storage_trouble() == Some(StorageTrouble::Busy) => Problem::Busy,
            other => {
                tracing::error!(error = %other, "kiosk: a job failed");
                Problem::Internal
            }
        }
    }
}

/// What a step's choices are for: a click or a touch on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Choice(usize),
    Back,
    Next,
    /// A key of the on-screen keypad (a digit, '-', or '\u{8}' to rub out).
    Key(char),
    /// The ▲ (false) or ▼ (true) of a pane that scrolls.
    Scroll(bool),
    /// A key of the on-screen keyboard.
    Kbd(super::keyboard::Key),
}

/// Where the citizen is in "what became of my appeal?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupStage {
    Number,
    /// The number is typed; now the phone's last 4 digits or the IIN.
    SecondFactor {
        number: String,
    },
}

#[derive(Debug)]
pub enum Msg {
    Campaign(Result<bool, AppError>),
    /// The ticket, and its paper's facts read right after it was recorded
    /// (`None` if that read failed: the ticket stands all the same).
    Ticket(Result<(TicketIssued, Option<TicketSlip>), AppError>),
    Appeal(Result<(AppealReceived, Option<Receipt>), AppError>),
    /// From the print thread: what became of a document.
    Printed(PrintReport),
    LookedUp(Result<crate::app::lookup::LookupResult, AppError>),
    /// The print result's event was written (or not).
    PrintRecorded(Result<u64, AppError>),
    ExitPinSet(Result<bool, AppError>),
    ExitPin(Result<bool, AppError>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_checked_as_they_will_be_stored() {
        assert_eq!(Field::Name.check("  "), Err(Problem::Required));
        assert_eq!(Field::Name.check("Серік"), Ok(()));
        assert_eq!(Field::Phone.check(""), Ok(()));
        assert_eq!(
            Field::Phone.check("8 916 123 45 67"),
            Err(Problem::Phone(PhoneError::NotKazakhstan))
        );
        assert_eq!(Field::Settlement.check(""), Ok(()));
        assert!(matches!(
            Field::Text.check(&"ә".repeat(AppealText::MAX + 1)),
            Err(Problem::TooLong { max: 4000, .. })
        ));
        assert_eq!(Field::Text.check("\u{1b}[31m"), Err(Problem::Required));
    }

    #[test]
    fn without_consent_nothing_personal_is_kept() {
        let mut d = Draft::new(CategoryId::new("housing"));
        d.set_consent(true);
        d.name = "Серік".into();
        d.phone = "87011234567".into();
        d.text = "Кезек".into();
        d.set_consent(false);
        assert!(d.name.is_empty() && d.phone.is_empty());
        let a = d.to_appeal(Catalogue::builtin(), Lang::Kk).unwrap();
        assert_eq!(a.author, Author::Anonymous);
        assert_eq!(a.kind, AppealKind::Request);
    }

    #[test]
    fn programme_topic_makes_a_proposal() {
        let mut d = Draft::new(CategoryId::new("programme"));
        d.text = "Жаңа мектеп".into();
        let a = d.to_appeal(Catalogue::builtin(), Lang::Kk).unwrap();
        assert_eq!(a.kind, AppealKind::Proposal);
    }

    #[test]
    fn the_order_of_fields() {
        assert_eq!(Field::first(true), Field::Name);
        assert_eq!(Field::first(false), Field::Text);
        assert_eq!(Field::Text.prev(false), None);
        assert_eq!(Field::Text.prev(true), Some(Field::Workplace));
        let mut f = Field::Name;
        let mut seen = vec![f];
        while let Some(n) = f.next() {
            seen.push(n);
            f = n;
        }
        assert_eq!(seen.len(), 5);
    }
}
