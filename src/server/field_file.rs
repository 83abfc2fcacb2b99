//! The region's side of field files (docs/SYNC.md, "By hand"): a point's
//! events brought on a USB stick are taken by exactly the API's rules
//! (`ingest::decode_request`, then `Storage::ingest_batch`), and what the
//! region holds for a point is written for the stick going back.

use super::error::ApiError;
use super::ingest::{BatchLimits, decode_request};
use super::storage::{IngestOutcome, Storage, StorageError, TokenLookup};
use crate::domain::PointId;
use crate::protocol::PushRequest;
use crate::protocol::field_file::{self, Carries, FieldFileError, Header, SealKey};
use crate::protocol::region::MAX_REGION_BATCH;
use chrono::{DateTime, Utc};

/// Events stored per transaction: a long trip's file does not hold the
/// server's database for long at once, and what was stored before a
/// refusal stays stored, as batches of the API do.
pub const IMPORT_BATCH: usize = 2000;

#[derive(Debug, thiserror::Error)]
pub enum FieldImportError {
    #[error(transparent)]
    File(#[from] FieldFileError),
    #[error("this file carries {found}; `server import` takes a point's events (sync --export)")]
    WrongDirection { found: Carries },
    #[error("no point {0} is registered at this server")]
    NoSuchPoint(PointId),
    #[error("the token of point {0} was revoked: its files are not taken")]
    Revoked(PointId),
    #[error(
        "events are missing: the server holds point {point}'s events up to {acked_through}, and this file starts at {first}; \
         import the file written before it, or export again at the point with --all"
    )]
    Gap {
        point: PointId,
        acked_through: u64,
        first: u64,
    },
    #[error(
        "event {seq} of the file differs from the one the server already holds under that seq: \
         it was not stored, the point is flagged for a supervisor ({stored} events of the file were stored before it)"
    )]
    Changed { seq: u64, stored: u64 },
    #[error("the file's events were refused: {message}")]
    Refused { message: String },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Imported {
    pub point: PointId,
    pub events: u64,
    pub stored: u64,
    /// Events the server held already (a file imported twice, or two
    /// files that overlap, or events that came by the network meanwhile).
    pub duplicates: u64,
    pub acked_through: u64,
}

/// Takes a point's field file: the whole seal checked with the point's key
/// first (one pass), then the events in order, by the API's rules (a
/// second pass, `IMPORT_BATCH` at a time: a point's whole history is never
/// in memory). `open` gives the file from its start, each time it is
/// called.
pub async fn import<R: std::io::BufRead>(
    storage: &dyn Storage,
    open: impl Fn() -> std::io::Result<R>,
    now: DateTime<Utc>,
) -> Result<Imported, FieldImportError> {
    let read = |e: std::io::Error| FieldFileError::Read(e.to_string());
    let header = field_file::peek(open().map_err(read)?)?;
    if header.carries != Carries::PointEvents {
        return Err(FieldImportError::WrongDirection {
            found: header.carries,
        });
    }
    let point = header.point_id.clone();
    let digest = storage
        .point_token_hash(point.clone())
        .await?
        .ok_or_else(|| FieldImportError::NoSuchPoint(point.clone()))?;
    if matches!(
        storage.authenticate(digest.clone()).await?,
        TokenLookup::Revoked | TokenLookup::Unknown
    ) {
        return Err(FieldImportError::Revoked(point));
    }
    let header = field_file::verify(open().map_err(read)?, &SealKey::of_token_digest(&digest))?;
    let mut done = Imported {
        point: point.clone(),
        events: header.count,
        stored: 0,
        duplicates: 0,
        acked_through: storage.cursor(point.clone(), now).await?.0,
    };
    let mut events = field_file::items(open().map_err(read)?, &header).peekable();
    while events.peek().is_some() {
        let chunk = events
            .by_ref()
            .take(IMPORT_BATCH)
            .collect::<Result<Vec<_>, _>>()?;
        let first = chunk[0].get("seq").and_then(serde_json::Value::as_u64);
        let request = PushRequest {
            events: chunk,
            head: header.head,
            timezone: header.timezone.clone(),
        };
        let batch = decode_request(
            request,
            &point,
            BatchLimits {
                max_events: IMPORT_BATCH,
            },
            now,
        )
        .map_err(refused)?;
        match storage.ingest_batch(batch).await? {
            IngestOutcome::Stored {
                acked_through,
                stored,
                duplicates,
                ..
            } => {
                done.stored += stored;
                done.duplicates += duplicates;
                done.acked_through = acked_through;
            }
            IngestOutcome::Gap { acked_through, .. } => {
                return Err(FieldImportError::Gap {
                    point,
                    acked_through,
                    first: first.unwrap_or_default(),
                });
            }
            IngestOutcome::Changed { seq, .. } => {
                tracing::warn!(point = %point, seq, "a field file offered a changed event under a known seq; point flagged");
                return Err(FieldImportError::Changed {
                    seq,
                    stored: done.stored,
                });
            }
        }
    }
    Ok(done)
}

fn refused(e: ApiError) -> FieldImportError {
    let mut message = crate::domain::text::sanitize_line(&e.body.message);
    if let Some(seq) = e.body.seq {
        message = format!("event {seq}: {message}");
    }
    FieldImportError::Refused { message }
}

#[derive(Debug, thiserror::Error)]
pub enum FieldExportError {
    #[error("no point {0} is registered at this server")]
    NoSuchPoint(PointId),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// What a file for a point holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Exported {
    pub point: PointId,
    pub decisions: u64,
    pub first: Option<u64>,
    pub last: Option<u64>,
}

/// Writes what the region holds for `point` after `after` (0: all of it;
/// the point skips what it has applied), acknowledging nothing: only the
/// point's own fetch says what it applied.
pub async fn export_for(
    storage: &dyn Storage,
    point: &PointId,
    after: u64,
    now: DateTime<Utc>,
) -> Result<(Vec<u8>, Exported), FieldExportError> {
    let digest = storage
        .point_token_hash(point.clone())
        .await?
        .ok_or_else(|| FieldExportError::NoSuchPoint(point.clone()))?;
    let mut decisions = Vec::new();
    let mut from = after;
    loop {
        let batch = storage
            .region_log(point.clone(), from, MAX_REGION_BATCH)
            .await?;
        let Some(last) = batch.events.last() else {
            break;
        };
        from = last.rseq;
        decisions.extend(batch.events);
    }
    let mut header = Header::new(Carries::RegionDecisions, point.clone(), now);
    header.first = decisions.first().map(|d| d.rseq);
    header.last = decisions.last().map(|d| d.rseq);
    let exported = Exported {
        point: point.clone(),
        decisions: decisions.len() as u64,
        first: header.first,
        last: header.last,
    };
    let items: Vec<serde_json::Value> = decisions
        .iter()
        .map(|d| serde_json::to_value(d).expect("a decision serialises"))
        .collect();
    Ok((
        field_file::encode(header, &items, &SealKey::of_token_digest(&digest)),
        exported,
    ))
}
