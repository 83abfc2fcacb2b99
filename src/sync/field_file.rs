//! The point's side of field files (docs/SYNC.md, "By hand"): its events
//! written for a USB stick when there is no network, and the region's
//! decisions brought back on one applied exactly as a fetch applies them
//! (`store::region::apply`: once, in order, never with a hole).

use crate::domain::PointId;
use crate::protocol::field_file::{self, Carries, FieldFileError, Header, SealKey, Sealer};
use crate::store::region::{self, Applied};
use crate::store::{Store, StoreError, events, sync_state};
use chrono::{DateTime, Utc};

/// Events read from the database at once while a file is written.
const READ_PAGE: usize = 5000;

/// Decisions applied per transaction, as the network fetch does.
const APPLY_BATCH: usize = 200;

#[derive(Debug, thiserror::Error)]
pub enum FieldError {
    #[error(transparent)]
    File(#[from] FieldFileError),
    #[error("this file is for point {file}; this is point {here}: nothing of it was applied")]
    WrongPoint { file: PointId, here: PointId },
    #[error(
        "this file carries {found}; `sync --import` takes the region's decisions (server export-for)"
    )]
    WrongDirection { found: Carries },
    #[error(
        "the region's decisions {from}–{to} are missing between what this point applied and the file; \
         ask the region for a file with everything for this point (server export-for without --after)"
    )]
    Gap { from: u64, to: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the field file: {0}")]
    Write(#[from] std::io::Error),
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Exported {
    pub events: u64,
    pub first: Option<u64>,
    pub last: Option<u64>,
    /// How far the point knows the server holds its events.
    pub acked_through: u64,
}

/// The point's events the server has not acknowledged (`all`: every one),
/// sealed with the point's token, written to `out` a page at a time.
/// Events keep being written meanwhile: the file holds those up to the
/// point's last `seq` when it began.
pub fn export<W: std::io::Write>(
    store: &Store,
    point: &PointId,
    token: &str,
    timezone: chrono_tz::Tz,
    all: bool,
    now: DateTime<Utc>,
    out: W,
) -> Result<(W, Exported), FieldError> {
    let c = store.conn();
    let (acked, _) = sync_state::cursor(c)?;
    let head = events::last_seq(c)?;
    let mut from = if all { 0 } else { acked.min(head) };
    let mut header = Header::new(Carries::PointEvents, point.clone(), now);
    // the log is gapless: the events after `from` are from+1 ..= head
    header.count = head - from;
    header.first = (head > from).then_some(from + 1);
    header.last = (head > from).then_some(head);
    header.head = Some(head);
    header.timezone = Some(timezone.name().to_string());
    let mut sealer = Sealer::start(out, &header, &SealKey::of_token(token))?;
    while from < head {
        let page = events::after(c, from, READ_PAGE)?;
        let Some(last) = page.last() else { break };
        from = last.seq;
        for e in page.iter().filter(|e| e.seq <= head) {
            sealer.line(e)?;
        }
    }
    let out = sealer.finish()?;
    Ok((
        out,
        Exported {
            events: header.count,
            first: header.first,
            last: header.last,
            acked_through: acked,
        },
    ))
}

/// Applies a file of the region's decisions for this point: the seal is
/// checked with the point's token, then the decisions go in order, those
/// applied before (by the network, or an earlier file) skipped.
pub fn import(
    store: &mut Store,
    bytes: &[u8],
    point: &PointId,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Applied, FieldError> {
    let header = field_file::peek(bytes)?;
    if header.carries != Carries::RegionDecisions {
        return Err(FieldError::WrongDirection {
            found: header.carries,
        });
    }
    if &header.point_id != point {
        return Err(FieldError::WrongPoint {
            file: header.point_id,
            here: point.clone(),
        });
    }
    let (_, items) = field_file::decode(bytes, &SealKey::of_token(token))?;
    let decisions = items
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            serde_json::from_value(v).map_err(|e| FieldFileError::Line {
                line: i + 2,
                message: format!("not a decision of the region: {e}"),
            })
        })
        .collect::<Result<Vec<crate::domain::event::FromRegion>, _>>()?;
    let through = region::applied_through(store.conn())?;
    if let Some(first) = decisions.iter().map(|d| d.rseq).min() {
        if first > through + 1 {
            return Err(FieldError::Gap {
                from: through + 1,
                to: first - 1,
            });
        }
    }
    let mut total = Applied {
        through,
        ..Applied::default()
    };
    for chunk in decisions.chunks(APPLY_BATCH) {
        let done = region::apply(store, chunk, now)?;
        total.applied += done.applied;
        total.skipped += done.skipped;
        total.through = done.through;
    }
    Ok(total)
}
