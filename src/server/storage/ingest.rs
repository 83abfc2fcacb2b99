//! The ingest of a batch, written once for every backend.
//!
//! A backend implements the steps in its own SQL (`IngestTx`, inside one
//! transaction begun by `IngestStore::begin`); `ingest` runs them in the
//! one order that keeps the promise of docs/SYNC.md: lock the point, place
//! the batch (heartbeat, gap or continuation), compare what is resent, flag
//! a changed event, insert what is new, apply it, acknowledge, record the
//! contact, commit. Nothing is acknowledged that is not committed with it.
//!
//! The shape is a point's log guarded by a lock on the point's row, with a
//! gapless sequence: `PointTx` is that part alone, so a later log of the
//! same kind (the region's decisions for a point, which the point
//! acknowledges) takes `PointTx` and adds its own steps beside `IngestTx`.

use super::{Batch, Incoming, IngestOutcome, StorageError, StorageResult};
use crate::domain::{EventRecord, PointId};
use crate::server::projection::Change;
use chrono::{DateTime, Utc};

/// A backend's connection, able to begin the transactions of the ingest.
pub(crate) trait IngestStore {
    type Tx<'t>: IngestTx
    where
        Self: 't;

    /// Begins a write transaction.
    async fn begin(&mut self) -> StorageResult<Self::Tx<'_>>;
}

/// A write transaction on one point's log.
pub(crate) trait PointTx: Sized {
    /// Locks the point's row until the end of the transaction (another
    /// transaction of this point waits, so two batches never both pass the
    /// gap check) and reads its cursor: the highest contiguous `seq` held.
    /// `None` when the point is unknown.
    async fn lock_point(&mut self, point: &PointId) -> StorageResult<Option<u64>>;
    async fn commit(self) -> StorageResult<()>;
    async fn rollback(self) -> StorageResult<()>;
}

/// An event to insert, with the time it first reached a server.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewEvent<'a> {
    pub record: &'a EventRecord,
    pub hash: &'a str,
    pub received_at: DateTime<Utc>,
}

/// What a contact tells about a point.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Contact {
    pub at: DateTime<Utc>,
    /// The point's own last `seq`, when it said.
    pub head: Option<u64>,
    /// The time of the newest event stored now.
    pub last_event_at: Option<DateTime<Utc>>,
}

/// A changed event offered under a `seq` the server holds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Conflict<'a> {
    pub seq: u64,
    pub held_hash: &'a str,
    pub offered: &'a EventRecord,
    pub at: DateTime<Utc>,
}

/// The steps of the ingest, each in the backend's own SQL.
pub(crate) trait IngestTx: PointTx {
    /// The `(seq, hash)` of the point's events `from..=to`, in `seq` order.
    async fn held_hashes(
        &mut self,
        point: &PointId,
        from: u64,
        to: u64,
    ) -> StorageResult<Vec<(u64, String)>>;
    /// Inserts consecutive events; an event whose `seq` is held already is
    /// left as it is and answered as `(seq, held hash)`.
    async fn insert_events(
        &mut self,
        point: &PointId,
        events: &[NewEvent<'_>],
    ) -> StorageResult<Vec<(u64, String)>>;
    /// Applies the changes of inserted events, in `seq` order.
    async fn apply(&mut self, point: &PointId, changes: &[(u64, &Change)]) -> StorageResult<()>;
    /// Sets the point's cursor.
    async fn acknowledge(&mut self, point: &PointId, acked: u64) -> StorageResult<()>;
    /// Records the contact (time, reported head, newest event).
    async fn touch(&mut self, point: &PointId, contact: Contact) -> StorageResult<()>;
    /// Flags the point and keeps the offered event for a person to see.
    async fn flag(&mut self, point: &PointId, conflict: Conflict<'_>) -> StorageResult<()>;
}

/// Stores a batch in one transaction: see `IngestOutcome`.
pub(crate) async fn ingest<S: IngestStore>(
    store: &mut S,
    batch: &Batch,
) -> StorageResult<IngestOutcome> {
    let point = &batch.point;
    let contact = |last_event_at| Contact {
        at: batch.received_at,
        head: batch.head,
        last_event_at,
    };
    let mut tx = store.begin().await?;
    let held = tx
        .lock_point(point)
        .await?
        .ok_or_else(|| StorageError::NotFound(format!("point {point}")))?;
    let (last, resent) = match place(batch, held) {
        Placement::Heartbeat => {
            tx.touch(point, contact(None)).await?;
            tx.commit().await?;
            return Ok(IngestOutcome::heartbeat(held));
        }
        Placement::Gap => {
            tx.rollback().await?;
            return Ok(IngestOutcome::gap(held));
        }
        Placement::Continues { last, resent, .. } => (last, resent),
    };
    let mut duplicates = 0;
    if let Some((from, to)) = resent {
        let hashes = tx.held_hashes(point, from, to).await?;
        match compare_resent(batch, (from, to), hashes)? {
            Resent::Same(n) => duplicates = n,
            Resent::Changed { seq, held_hash } => {
                tx.rollback().await?;
                return flag(store, batch, seq, &held_hash, held).await;
            }
        }
    }
    let new: Vec<&Incoming> = batch
        .events
        .iter()
        .filter(|e| e.record.seq > held)
        .collect();
    let rows: Vec<NewEvent<'_>> = new
        .iter()
        .map(|e| NewEvent {
            record: &e.record,
            hash: &e.hash,
            received_at: batch.received_at,
        })
        .collect();
    let already = tx.insert_events(point, &rows).await?;
    // held above the cursor: the database and its cursor disagree; the
    // same hash is a duplicate, another is a conflict like any other
    for (seq, hash) in &already {
        if batch.offered_hash(*seq) != hash {
            tx.rollback().await?;
            return flag(store, batch, *seq, hash, held).await;
        }
    }
    duplicates += already.len() as u64;
    let fresh: Vec<&Incoming> = new
        .iter()
        .copied()
        .filter(|e| !already.iter().any(|(s, _)| *s == e.record.seq))
        .collect();
    let changes: Vec<(u64, &Change)> = fresh
        .iter()
        .filter_map(|e| e.change.as_ref().map(|c| (e.record.seq, c)))
        .collect();
    tx.apply(point, &changes).await?;
    let acked = held.max(last);
    tx.acknowledge(point, acked).await?;
    tx.touch(point, contact(new.last().map(|e| e.record.at)))
        .await?;
    tx.commit().await?;
    Ok(IngestOutcome::Stored {
        acked_through: acked,
        stored: fresh.len() as u64,
        duplicates,
        queue_changed: changes.iter().any(|(_, c)| c.touches_queue()),
    })
}

/// Records a conflict in its own transaction: the batch left nothing, but
/// the flag and the offered event stay for a person to look at.
async fn flag<S: IngestStore>(
    store: &mut S,
    batch: &Batch,
    seq: u64,
    held_hash: &str,
    held: u64,
) -> StorageResult<IngestOutcome> {
    let mut tx = store.begin().await?;
    tx.flag(
        &batch.point,
        Conflict {
            seq,
            held_hash,
            offered: batch.offered(seq),
            at: batch.received_at,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(IngestOutcome::Changed {
        seq,
        acked_through: held,
    })
}

/// Where a batch stands against the `held` events of its point (the
/// highest contiguous `seq` the server has).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Placement {
    /// No events: a heartbeat.
    Heartbeat,
    /// The batch starts after `held + 1`: events are missing in between.
    Gap,
    /// The batch continues the log. `resent`: the seqs it offers again
    /// (at most `first..=held`), whose hashes must match the held ones.
    Continues {
        first: u64,
        last: u64,
        resent: Option<(u64, u64)>,
    },
}

pub(crate) fn place(batch: &Batch, held: u64) -> Placement {
    let Some(first) = batch.events.first().map(|e| e.record.seq) else {
        return Placement::Heartbeat;
    };
    if first > held + 1 {
        return Placement::Gap;
    }
    let last = first + batch.events.len() as u64 - 1;
    Placement::Continues {
        first,
        last,
        resent: (first <= held).then(|| (first, held.min(last))),
    }
}

/// What the resent events of a batch are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resent {
    /// All the same as held: this many duplicates, answered silently.
    Same(u64),
    /// The event `seq` differs from the one held (its hash `held_hash`).
    Changed { seq: u64, held_hash: String },
}

/// Compares the batch's events in `range` with the `(seq, hash)` pairs the
/// server holds for that range, in `seq` order.
pub(crate) fn compare_resent(
    batch: &Batch,
    range: (u64, u64),
    held: Vec<(u64, String)>,
) -> StorageResult<Resent> {
    let (first, last) = range;
    if held.len() as u64 != last - first + 1 {
        return Err(StorageError::Corrupt(format!(
            "point {}: events {first}..{last} below the cursor are missing",
            batch.point
        )));
    }
    for (seq, hash) in held {
        if batch.offered_hash(seq) != hash {
            return Ok(Resent::Changed {
                seq,
                held_hash: hash,
            });
        }
    }
    Ok(Resent::Same(last - first + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn pid(s: &str) -> PointId {
        PointId::parse(s).unwrap()
    }

    /// A batch of `seqs` whose hashes are "h{seq}".
    fn batch(seqs: std::ops::RangeInclusive<u64>) -> Batch {
        let events = seqs
            .map(|seq| Incoming {
                record: EventRecord {
                    point_id: pid("p1"),
                    seq,
                    id: uuid::Uuid::nil(),
                    at: DateTime::UNIX_EPOCH,
                    actor: "kiosk".into(),
                    kind: "ticket_taken".into(),
                    version: 1,
                    payload: serde_json::Value::Null,
                },
                hash: format!("h{seq}"),
                change: None,
            })
            .collect();
        Batch {
            point: pid("p1"),
            events,
            head: None,
            received_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_batch_is_placed_against_what_is_held() {
        let empty = Batch {
            events: vec![],
            ..batch(1..=1)
        };
        assert_eq!(place(&empty, 7), Placement::Heartbeat);
        // 10 held: 12.. leaves 11 missing
        assert_eq!(place(&batch(12..=20), 10), Placement::Gap);
        let next = Placement::Continues {
            first: 11,
            last: 20,
            resent: None,
        };
        assert_eq!(place(&batch(11..=20), 10), next);
        // resent in part, and wholly
        let part = Placement::Continues {
            first: 5,
            last: 14,
            resent: Some((5, 10)),
        };
        assert_eq!(place(&batch(5..=14), 10), part);
        let whole = Placement::Continues {
            first: 3,
            last: 6,
            resent: Some((3, 6)),
        };
        assert_eq!(place(&batch(3..=6), 10), whole);
    }

    #[test]
    fn resent_events_are_duplicates_only_with_the_same_hash() {
        let b = batch(5..=14);
        let held = |seqs: std::ops::RangeInclusive<u64>| -> Vec<(u64, String)> {
            seqs.map(|s| (s, format!("h{s}"))).collect()
        };
        assert_eq!(
            compare_resent(&b, (5, 10), held(5..=10)).unwrap(),
            Resent::Same(6)
        );
        let mut changed = held(5..=10);
        changed[2].1 = "other".into();
        assert_eq!(
            compare_resent(&b, (5, 10), changed).unwrap(),
            Resent::Changed {
                seq: 7,
                held_hash: "other".into()
            }
        );
        assert_eq!(b.offered(7).seq, 7);
        // the server lost events below its own cursor: not a duplicate
        let err = compare_resent(&b, (5, 10), held(5..=8)).unwrap_err();
        assert!(matches!(err, StorageError::Corrupt(_)), "{err}");
    }

    /// A backend in memory, recording the steps it is asked for: the
    /// sequence itself, seen without SQL.
    #[derive(Default)]
    struct Memory {
        acked: u64,
        events: BTreeMap<u64, String>,
        flagged: Option<u64>,
        steps: Vec<String>,
    }

    struct MemoryTx<'m> {
        m: &'m mut Memory,
        acked: u64,
        events: BTreeMap<u64, String>,
    }

    impl IngestStore for Memory {
        type Tx<'t> = MemoryTx<'t>;
        async fn begin(&mut self) -> StorageResult<MemoryTx<'_>> {
            self.steps.push("begin".into());
            Ok(MemoryTx {
                acked: self.acked,
                events: self.events.clone(),
                m: self,
            })
        }
    }

    impl PointTx for MemoryTx<'_> {
        async fn lock_point(&mut self, _: &PointId) -> StorageResult<Option<u64>> {
            self.m.steps.push("lock".into());
            Ok(Some(self.acked))
        }
        async fn commit(self) -> StorageResult<()> {
            self.m.steps.push("commit".into());
            self.m.acked = self.acked;
            self.m.events = self.events;
            Ok(())
        }
        async fn rollback(self) -> StorageResult<()> {
            self.m.steps.push("rollback".into());
            Ok(())
        }
    }

    impl IngestTx for MemoryTx<'_> {
        async fn held_hashes(
            &mut self,
            _: &PointId,
            from: u64,
            to: u64,
        ) -> StorageResult<Vec<(u64, String)>> {
            self.m.steps.push(format!("held {from}..{to}"));
            Ok(self
                .events
                .range(from..=to)
                .map(|(s, h)| (*s, h.clone()))
                .collect())
        }
        async fn insert_events(
            &mut self,
            _: &PointId,
            events: &[NewEvent<'_>],
        ) -> StorageResult<Vec<(u64, String)>> {
            self.m.steps.push(format!("insert {}", events.len()));
            let mut already = Vec::new();
            for e in events {
                match self.events.get(&e.record.seq) {
                    Some(h) => already.push((e.record.seq, h.clone())),
                    None => {
                        self.events.insert(e.record.seq, e.hash.to_string());
                    }
                }
            }
            Ok(already)
        }
        async fn apply(&mut self, _: &PointId, changes: &[(u64, &Change)]) -> StorageResult<()> {
            self.m.steps.push(format!("apply {}", changes.len()));
            Ok(())
        }
        async fn acknowledge(&mut self, _: &PointId, acked: u64) -> StorageResult<()> {
            self.m.steps.push(format!("ack {acked}"));
            self.acked = acked;
            Ok(())
        }
        async fn touch(&mut self, _: &PointId, _: Contact) -> StorageResult<()> {
            self.m.steps.push("touch".into());
            Ok(())
        }
        async fn flag(&mut self, _: &PointId, c: Conflict<'_>) -> StorageResult<()> {
            self.m.steps.push(format!("flag {}", c.seq));
            self.m.flagged = Some(c.seq);
            Ok(())
        }
    }

    fn run(m: &mut Memory, b: &Batch) -> IngestOutcome {
        m.steps.clear();
        futures::executor::block_on(ingest(m, b)).unwrap()
    }

    #[test]
    fn the_sequence_acknowledges_only_inside_the_commit() {
        let mut m = Memory::default();
        let out = run(&mut m, &batch(1..=3));
        assert!(matches!(
            out,
            IngestOutcome::Stored {
                acked_through: 3,
                stored: 3,
                duplicates: 0,
                ..
            }
        ));
        assert_eq!(
            m.steps,
            [
                "begin", "lock", "insert 3", "apply 0", "ack 3", "touch", "commit"
            ]
        );
        // resent in part: compared, the rest stored
        let out = run(&mut m, &batch(2..=5));
        assert!(matches!(
            out,
            IngestOutcome::Stored {
                acked_through: 5,
                stored: 2,
                duplicates: 2,
                ..
            }
        ));
        assert_eq!(m.steps[2], "held 2..3");
        // a gap leaves nothing, and touches nothing
        assert_eq!(run(&mut m, &batch(9..=9)), IngestOutcome::gap(5));
        assert_eq!(m.steps, ["begin", "lock", "rollback"]);
        // a heartbeat only records the contact
        let empty = Batch {
            events: vec![],
            ..batch(1..=1)
        };
        assert_eq!(run(&mut m, &empty), IngestOutcome::heartbeat(5));
        assert_eq!(m.steps, ["begin", "lock", "touch", "commit"]);
    }

    #[test]
    fn a_changed_event_rolls_back_and_flags_in_a_transaction_of_its_own() {
        let mut m = Memory::default();
        run(&mut m, &batch(1..=3));
        let mut changed = batch(3..=4);
        changed.events[0].hash = "other".into();
        let out = run(&mut m, &changed);
        assert_eq!(
            out,
            IngestOutcome::Changed {
                seq: 3,
                acked_through: 3
            }
        );
        assert_eq!(
            m.steps,
            [
                "begin",
                "lock",
                "held 3..3",
                "rollback",
                "begin",
                "flag 3",
                "commit"
            ]
        );
        assert_eq!((m.acked, m.flagged, m.events.len()), (3, Some(3), 3));
        // held above the cursor with another hash: a conflict too
        m.acked = 2;
        let mut above = batch(3..=4);
        above.events[0].hash = "other".into();
        assert!(matches!(
            run(&mut m, &above),
            IngestOutcome::Changed { seq: 3, .. }
        ));
        assert_eq!(m.events.len(), 3, "{:?}", m.steps);
    }
}
