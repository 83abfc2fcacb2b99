//! The desk on a break: paused with a reason, and back. While paused,
//! `tickets::call_next` refuses.

use super::{DeskError, Operator, check_desk};
use crate::app::{AppResult, Context};
use crate::domain::event::{DeskNo, DeskPaused, DeskRef, EventBody};
use crate::domain::pause::{DeskPause, PauseReason};
use crate::store::{Store, pauses};
use chrono::{DateTime, Utc};
use rusqlite::Connection;

/// This desk's pause now, if it is paused.
pub fn of_desk(conn: &Connection, desk: DeskNo) -> AppResult<Option<DeskPause>> {
    Ok(pauses::of_desk(conn, desk)?)
}

/// Pauses the desk. Paused already for another reason: the reason changes
/// (a new pause starts now); for the same reason: refused.
pub fn pause(
    store: &mut Store,
    ctx: &Context,
    op: &Operator,
    desk: DeskNo,
    reason: PauseReason,
    now: DateTime<Utc>,
) -> AppResult<DeskPause> {
    check_desk(ctx, desk)?;
    store.write(&op.actor(), now, |w| -> AppResult<DeskPause> {
        if let Some(p) = pauses::of_desk(w.conn(), desk)?
            && p.reason == reason
        {
            return Err(DeskError::AlreadyPaused(p.reason).into());
        }
        w.append(&EventBody::DeskPaused(DeskPaused { desk, reason }))?;
        Ok(DeskPause { reason, since: now })
    })
}

/// The desk is back and calls again.
pub fn resume(
    store: &mut Store,
    ctx: &Context,
    op: &Operator,
    desk: DeskNo,
    now: DateTime<Utc>,
) -> AppResult<()> {
    check_desk(ctx, desk)?;
    store.write(&op.actor(), now, |w| -> AppResult<()> {
        if pauses::of_desk(w.conn(), desk)?.is_none() {
            return Err(DeskError::NotPaused.into());
        }
        w.append(&EventBody::DeskResumed(DeskRef { desk }))?;
        Ok(())
    })
}
