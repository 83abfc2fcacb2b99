//! The desk's state as its queue pane and header show it, read again when
//! the database changes: the line, the ticket at the desk, campaign mode
//! the open session and the desk's pause. Composed of `tickets` and `sessions` reads, so it
//! stands beside them (the records they return know neither).

use super::records::{SessionRecord, TicketRecord};
use super::sessions;
use super::tickets::{current, line_for_desk};
use crate::app::{AppResult, Context};
use crate::domain::event::DeskNo;
use crate::domain::pause::DeskPause;
use crate::store::Store;
use chrono::{DateTime, Utc};

/// What the desk's queue pane and header show.
#[derive(Debug, Clone, Default)]
pub struct DeskState {
    /// The database's `data_version` this was read at.
    pub version: i64,
    pub line: Vec<TicketRecord>,
    pub current: Option<TicketRecord>,
    pub campaign: bool,
    pub session: Option<SessionRecord>,
    /// The desk is paused: why, and since when.
    pub pause: Option<DeskPause>,
}

/// The desk's state, when the database changed since `known` (`-1`:
/// always); `None` when nothing changed. On a forced read (about every
/// two seconds) tickets still waiting when the point closed are closed as
/// such first, so a desk left open past closing does the closing.
pub fn read_state(
    store: &mut Store,
    ctx: &Context,
    desk: DeskNo,
    now: DateTime<Utc>,
    known: i64,
) -> AppResult<Option<DeskState>> {
    if known == -1 {
        crate::app::hours::close_waiting(store, ctx, now)?;
        // once a day, by whichever screen comes first; a failure must not
        // stop the desk from showing its line
        if let Err(e) = crate::app::citizen::erase_expired_daily(store, ctx, now) {
            tracing::warn!(error = %e, "retention: the expired personal data was not erased");
        }
    }
    let version = store.data_version()?;
    if version == known {
        return Ok(None);
    }
    Ok(Some(DeskState {
        version,
        line: line_for_desk(store, ctx, desk, now)?,
        current: current(store, ctx, desk, now)?,
        campaign: ctx.campaign_mode(store)?,
        session: sessions::current(store)?,
        pause: super::pause::of_desk(store.conn(), desk)?,
    }))
}
