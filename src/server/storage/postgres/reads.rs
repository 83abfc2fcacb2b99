//! Reads for the forwarder, boards and `/metrics`: stored events, points
//! with their state, and a point's live queue.

use super::{Client, corrupt, count};
use crate::domain::{EventRecord, PointId};
use crate::protocol::{Flag, PointView, QueueTicket, QueueView};
use crate::server::projection::{REGION_TZ, local_date_in, zone_of};
use crate::server::storage::{Scope, StorageResult, StoredEvent};
use chrono::{DateTime, NaiveDate, Utc};

pub(super) async fn events(
    c: &Client,
    point: &PointId,
    after: u64,
    limit: usize,
) -> StorageResult<Vec<StoredEvent>> {
    let stmt = c
        .prepare_cached(
            "SELECT seq, id, at, actor, kind, version, payload, hash, received_at
             FROM events WHERE point_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        )
        .await?;
    let rows = c
        .query(
            &stmt,
            &[
                &point.as_str(),
                &(after.min(i64::MAX as u64) as i64),
                &(limit.min(i64::MAX as usize) as i64),
            ],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(StoredEvent {
                record: EventRecord {
                    point_id: point.clone(),
                    seq: count(r.get(0)),
                    id: r.get(1),
                    at: r.get(2),
                    actor: r.get(3),
                    kind: r.get(4),
                    version: r.get::<_, i32>(5).max(0) as u32,
                    payload: serde_json::from_str(r.get(6)).map_err(corrupt)?,
                },
                hash: r.get(7),
                received_at: r.get(8),
            })
        })
        .collect()
}

pub(super) async fn points(
    c: &Client,
    scope: &Scope,
    now: DateTime<Utc>,
) -> StorageResult<Vec<PointView>> {
    let point = scope.point.as_ref().map(|p| p.as_str());
    let rows = c
        .query(
            "SELECT id, name, region, kind, revoked_at IS NOT NULL, acked_seq, reported_head,
                    last_contact_at, last_event_at, flagged_seq, flagged_at, timezone,
                    (SELECT COALESCE(MAX(rseq), 0) FROM region_events e WHERE e.point_id = points.id)
                        - region_acked
             FROM points WHERE ($1::text IS NULL OR region = $1)
               AND ($2::text IS NULL OR id = $2)
             ORDER BY region COLLATE \"C\", id COLLATE \"C\"",
            &[&scope.region, &point],
        )
        .await?;
    // the queues of all points, asked at once on the connection, each of
    // its own today
    let queues = futures::future::try_join_all(rows.iter().map(|r| {
        let today = local_date_in(now, zone_of(r.get(11)));
        queue_of(c, r.get::<_, &str>(0), today)
    }))
    .await?;
    Ok(rows
        .iter()
        .zip(queues)
        .map(|(r, queue)| {
            let acked = count(r.get(5));
            let head = r.get::<_, Option<i64>>(6).map(count);
            let contact: Option<DateTime<Utc>> = r.get(7);
            let flagged = match (r.get::<_, Option<i64>>(9), r.get(10)) {
                (Some(seq), Some(at)) => Some(Flag {
                    seq: count(seq),
                    at,
                }),
                _ => None,
            };
            PointView {
                id: r.get(0),
                name: r.get(1),
                region: r.get(2),
                kind: r.get(3),
                revoked: r.get(4),
                acked_through: acked,
                reported_head: head,
                lag_events: head.map_or(0, |h| h.saturating_sub(acked)),
                last_contact_at: contact,
                lag_seconds: contact.map(|t| (now - t).num_seconds().max(0)),
                last_event_at: r.get(8),
                flagged,
                queue,
                region_pending: count(r.get(12)),
            }
        })
        .collect())
}

pub(super) async fn queue_of(
    c: &Client,
    point: &str,
    today: NaiveDate,
) -> StorageResult<QueueView> {
    let list = c
        .prepare_cached(
            // NULLS LAST: where SQLite puts them in a descending order
            "SELECT number, category, priority, state, desk, taken_at, called_at
             FROM tickets WHERE point_id = $1 AND service_date = $2
               AND state IN ('waiting', 'called', 'serving')
             ORDER BY CASE WHEN state = 'waiting' THEN 1 ELSE 0 END,
                      called_at DESC NULLS LAST, taken_at",
        )
        .await?;
    let counts = c
        .prepare_cached(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE state = 'done'),
                    COUNT(*) FILTER (WHERE state = 'no_show')
             FROM tickets WHERE point_id = $1 AND service_date = $2",
        )
        .await?;
    let (rows, totals) = futures::future::try_join(
        c.query(&list, &[&point, &today]),
        c.query_one(&counts, &[&point, &today]),
    )
    .await?;
    let mut now_serving = Vec::new();
    let mut waiting = Vec::new();
    for r in rows {
        let ticket = QueueTicket {
            number: r.get(0),
            category: r.get(1),
            priority: r.get(2),
            state: r.get(3),
            desk: r
                .get::<_, Option<i32>>(4)
                .map(|d| u16::try_from(d).map_err(corrupt))
                .transpose()?,
            taken_at: r.get(5),
            called_at: r.get(6),
        };
        if ticket.state == "waiting" {
            waiting.push(ticket);
        } else {
            now_serving.push(ticket);
        }
    }
    Ok(QueueView {
        point_id: point.to_string(),
        service_date: today,
        now_serving,
        waiting,
        issued: count(totals.get(0)),
        served: count(totals.get(1)),
        no_shows: count(totals.get(2)),
    })
}

/// A point's queue of its own today (the region's for a point not
/// registered: an empty queue either way).
pub(super) async fn queue(
    c: &Client,
    point: &PointId,
    now: DateTime<Utc>,
) -> StorageResult<QueueView> {
    let tz = c
        .query_opt(
            "SELECT timezone FROM points WHERE id = $1",
            &[&point.as_str()],
        )
        .await?
        .map_or(REGION_TZ, |r| zone_of(r.get(0)));
    queue_of(c, point.as_str(), local_date_in(now, tz)).await
}
