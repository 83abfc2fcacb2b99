//! Types and rules: no terminal, no SQL, no clock of its own.

pub mod appeal;
pub mod appeal_state;
pub mod category;
pub mod event;
pub mod hours;
pub mod iin;
pub mod lang;
pub mod pause;
pub mod personal;
pub mod phone;
pub mod pin;
pub mod point;
pub mod queue;
pub mod report;
pub mod staff;
pub mod sync_alarm;
pub mod text;
pub mod ticket;
pub mod time;
pub mod workdays;

pub use appeal::{AppealKind, AppealNo, Channel, Citizen, Outcome};
pub use category::{Catalogue, Category, CategoryId};
pub use event::{Actor, EventBody, EventRecord};
pub use iin::Iin;
pub use lang::{Lang, Localized};
pub use phone::Phone;
pub use point::FullAppealNo;
pub use point::{PointId, PointKind};
pub use text::{AppealText, PersonName, ShortText, sanitize, sanitize_line};
pub use ticket::{Priority, TicketNo, TicketState};
