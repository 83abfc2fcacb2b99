//! Giving a new appeal its registration number, the one step every way of
//! recording an appeal shares.

use super::AppResult;
use crate::domain::appeal::AppealNo;
use crate::domain::event::{AppealRecorded, EventBody};
use crate::store::{Writer, appeals};

/// Numbers the appeal `build` makes (the year's next number, taken under
/// the write lock so two processes never share one) and appends it.
/// Returns the number and the event's seq.
pub(crate) fn register_appeal(
    w: &mut Writer<'_>,
    year: i32,
    build: impl FnOnce(AppealNo) -> AppealRecorded,
) -> AppResult<(AppealNo, u64)> {
    let number = AppealNo {
        year,
        number: appeals::next_number(w.conn(), year)?,
    };
    let seq = w.append(&EventBody::AppealRecorded(Box::new(build(number))))?;
    Ok((number, seq))
}
