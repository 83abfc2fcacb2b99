//! Events the server held taken back into the point's database as they
//! are: a point rebuilt on a new machine from the region's copy of its log
//! (`restore --from-server`), or one restored from an older backup taking
//! what the backup lacks (docs/SYNC.md, "The region as the point's
//! backup"). Each event keeps its `seq`, id, time, actor and payload, so
//! its hash is the one the server holds and nothing is sent again; the
//! tables are written from it as when it was first written.

use super::{Result, Store, StoreError, events, projection};
use crate::domain::Actor;
use crate::domain::event::{EventBody, EventRecord};
use chrono::Utc;

/// Writes `records` (the next events of the log, in order) and applies
/// each, all in one transaction. Refused whole, with nothing written, when
/// they do not continue the log exactly (another event was written here
/// meanwhile under that `seq`) or are another point's.
pub fn take_back(store: &mut Store, records: &[EventRecord]) -> Result<u64> {
    store.write(&Actor::system(), Utc::now(), |w| {
        for record in records {
            if &record.point_id != w.point() {
                return Err(StoreError::Corrupt(format!(
                    "the server sent an event of point {} to point {}",
                    record.point_id,
                    w.point()
                )));
            }
            let next = events::last_seq(w.conn())? + 1;
            if record.seq != next {
                return Err(StoreError::Corrupt(format!(
                    "the server's event {} does not follow this point's log, whose next event is {next}",
                    record.seq
                )));
            }
            let body = record.body().map_err(|e| {
                StoreError::Corrupt(format!(
                    "the server's event {} ({}) does not decode: {e}",
                    record.seq, record.kind
                ))
            })?;
            events::insert(w.conn(), record)?;
            projection::apply(w.conn(), record.seq, record.at, &record.actor, &body)?;
            if let EventBody::FromRegion(d) = &body {
                // what the point had applied of the region, as when it did
                w.conn().execute(
                    "INSERT INTO region_applied (rseq, region_event_id, seq) VALUES (?1, ?2, ?3)",
                    (
                        d.rseq as i64,
                        d.region_event_id.to_string(),
                        record.seq as i64,
                    ),
                )?;
            }
        }
        Ok(records.len() as u64)
    })
}
