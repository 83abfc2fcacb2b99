//! What an event changes in the server's tables (`projection::Change`),
//! in PostgreSQL's SQL: prepared once per connection, pipelined per batch.

use super::{Param, ms, oms};
use crate::server::projection::{Change, TicketMoved};
use crate::server::storage::StorageResult;

/// The prepared statements of the projection (cached per connection).
pub(super) struct Statements {
    ticket_taken: tokio_postgres::Statement,
    ticket_moved: tokio_postgres::Statement,
    appeal_recorded: tokio_postgres::Statement,
    appeal_outcome: tokio_postgres::Statement,
    appeal_control: tokio_postgres::Statement,
    appeal_deadline: tokio_postgres::Statement,
    appeal_touched: tokio_postgres::Statement,
    session_opened: tokio_postgres::Statement,
    session_closed: tokio_postgres::Statement,
    ticket_not_printed: tokio_postgres::Statement,
    receipt_not_printed: tokio_postgres::Statement,
}

impl Statements {
    pub(super) async fn prepare(
        tx: &deadpool_postgres::Transaction<'_>,
    ) -> StorageResult<Statements> {
        Ok(Statements {
            ticket_taken: tx
                .prepare_cached(
                    "INSERT INTO tickets (point_id, id, number, service_date, category, priority,
                         state, taken_at)
                     VALUES ($1, $2, $3, $4, $5, $6, 'waiting', $7)
                     ON CONFLICT (point_id, id) DO NOTHING",
                )
                .await?,
            ticket_moved: tx
                .prepare_cached(
                    "UPDATE tickets SET state = $3,
                            desk = CASE WHEN $5::boolean THEN NULL ELSE COALESCE($4::integer, desk) END,
                            category = COALESCE($6::text, category),
                            called_at = COALESCE($7::timestamptz, called_at),
                            serving_at = COALESCE($8::timestamptz, serving_at),
                            finished_at = COALESCE($9::timestamptz, finished_at)
                     WHERE point_id = $1 AND id = $2",
                )
                .await?,
            // the same rule as the point's projection: this citizen, known
            // by IIN or phone, appealed here before
            appeal_recorded: tx
                .prepare_cached(
                    "WITH ins AS (
                         INSERT INTO appeals (point_id, id, number, received_at, received_date,
                             kind, channel, category, outcome, redirected_to, session_id,
                             ticket_id, desk, under_control, deadline, closed_at, updated_at,
                             recorded_by, repeated, iin_key, phone_key, outcome_stamp)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                             $16, $4, $17,
                             EXISTS (SELECT 1 FROM appeals WHERE point_id = $1 AND iin_key = $18)
                                 OR EXISTS (SELECT 1 FROM appeals WHERE point_id = $1 AND phone_key = $19),
                             $18, $19, $21)
                         ON CONFLICT (point_id, id) DO NOTHING
                         RETURNING id)
                     INSERT INTO appeal_changes (point_id, seq, appeal_id, at, outcome,
                         redirected_to, deadline)
                     SELECT $1, $20::bigint, id, $4, $9, $10, $15 FROM ins
                     ON CONFLICT (point_id, seq) DO NOTHING",
                )
                .await?,
            appeal_outcome: tx
                .prepare_cached(
                    // the state only for a later stamp (docs/SYNC.md), the
                    // history always; stamps compare as bytes, whatever the
                    // database's collation
                    "WITH u AS (
                         UPDATE appeals SET outcome = $3, redirected_to = $4, closed_at = $5,
                                updated_at = $6, outcome_stamp = $8
                         WHERE point_id = $1 AND id = $2
                           AND (outcome_stamp IS NULL OR outcome_stamp COLLATE \"C\" < $8::text COLLATE \"C\")
                         RETURNING id)
                     INSERT INTO appeal_changes (point_id, seq, appeal_id, at, outcome,
                         redirected_to, deadline)
                     SELECT $1, $7::bigint, a.id, $6, $3, $4, NULL FROM appeals a
                     WHERE a.point_id = $1 AND a.id = $2
                     ON CONFLICT (point_id, seq) DO NOTHING",
                )
                .await?,
            appeal_control: tx
                .prepare_cached(
                    "WITH u AS (
                         UPDATE appeals SET under_control = $3, deadline = $4, updated_at = $5
                         WHERE point_id = $1 AND id = $2 RETURNING id)
                     INSERT INTO appeal_changes (point_id, seq, appeal_id, at, outcome,
                         redirected_to, deadline)
                     SELECT $1, $6::bigint, id, $5, NULL, NULL, $4 FROM u
                     WHERE $4::date IS NOT NULL
                     ON CONFLICT (point_id, seq) DO NOTHING",
                )
                .await?,
            appeal_deadline: tx
                .prepare_cached(
                    "WITH u AS (
                         UPDATE appeals SET deadline = $3, updated_at = $4
                         WHERE point_id = $1 AND id = $2 RETURNING id)
                     INSERT INTO appeal_changes (point_id, seq, appeal_id, at, outcome,
                         redirected_to, deadline)
                     SELECT $1, $5::bigint, id, $4, NULL, NULL, $3 FROM u
                     ON CONFLICT (point_id, seq) DO NOTHING",
                )
                .await?,
            appeal_touched: tx
                .prepare_cached(
                    "UPDATE appeals SET updated_at = $3 WHERE point_id = $1 AND id = $2",
                )
                .await?,
            session_opened: tx
                .prepare_cached(
                    "INSERT INTO sessions (point_id, id, kind, date, place, opened_at)
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (point_id, id) DO NOTHING",
                )
                .await?,
            session_closed: tx
                .prepare_cached(
                    "UPDATE sessions SET closed_at = $3
                     WHERE point_id = $1 AND id = $2 AND closed_at IS NULL",
                )
                .await?,
            ticket_not_printed: tx
                .prepare_cached(
                    "UPDATE tickets SET print_failed = true WHERE point_id = $1 AND id = $2",
                )
                .await?,
            receipt_not_printed: tx
                .prepare_cached(
                    "UPDATE appeals SET receipt_print_failed = true WHERE point_id = $1 AND id = $2",
                )
                .await?,
        })
    }
}

/// The SQL of one `Change`, the same meaning as SQLite's `apply`. An update
/// that finds no row is ignored: the events are the truth, and refusing
/// them would stop the point's sync.
pub(super) async fn apply(
    tx: &deadpool_postgres::Transaction<'_>,
    st: &Statements,
    point: &str,
    seq: i64,
    change: &Change,
) -> StorageResult<()> {
    let desk = |d: &Option<crate::domain::event::DeskNo>| d.map(i32::from);
    match change {
        Change::TicketTaken {
            ticket_id,
            number,
            service_date,
            category,
            priority,
            at,
        } => {
            let p: [Param; 7] = [
                &point,
                ticket_id,
                number,
                service_date,
                category,
                priority,
                &ms(*at),
            ];
            tx.execute(&st.ticket_taken, &p).await?;
        }
        Change::TicketMoved(TicketMoved {
            ticket_id,
            state,
            desk: d,
            clear_desk,
            category,
            called_at,
            serving_at,
            finished_at,
        }) => {
            let p: [Param; 9] = [
                &point,
                ticket_id,
                &state.as_str(),
                &desk(d),
                clear_desk,
                category,
                &oms(*called_at),
                &oms(*serving_at),
                &oms(*finished_at),
            ];
            tx.execute(&st.ticket_moved, &p).await?;
        }
        Change::AppealRecorded {
            appeal_id,
            number,
            received_at,
            received_date,
            kind,
            channel,
            category,
            outcome,
            redirected_to,
            session_id,
            ticket_id,
            desk: d,
            deadline,
            closed_at,
            recorded_by,
            iin_key,
            phone_key,
            stamp,
        } => {
            let p: [Param; 21] = [
                &point,
                appeal_id,
                number,
                &ms(*received_at),
                received_date,
                kind,
                channel,
                category,
                outcome,
                redirected_to,
                session_id,
                ticket_id,
                &desk(d),
                &deadline.is_some(),
                deadline,
                &oms(*closed_at),
                recorded_by,
                iin_key,
                phone_key,
                &seq,
                stamp,
            ];
            tx.execute(&st.appeal_recorded, &p).await?;
        }
        Change::AppealOutcome {
            appeal_id,
            outcome,
            redirected_to,
            closed_at,
            at,
            stamp,
        } => {
            let p: [Param; 8] = [
                &point,
                appeal_id,
                outcome,
                redirected_to,
                &oms(*closed_at),
                &ms(*at),
                &seq,
                stamp,
            ];
            tx.execute(&st.appeal_outcome, &p).await?;
        }
        Change::AppealControl {
            appeal_id,
            deadline,
            at,
        } => {
            let p: [Param; 6] = [
                &point,
                appeal_id,
                &deadline.is_some(),
                deadline,
                &ms(*at),
                &seq,
            ];
            tx.execute(&st.appeal_control, &p).await?;
        }
        Change::AppealDeadline {
            appeal_id,
            deadline,
            at,
        } => {
            let p: [Param; 5] = [&point, appeal_id, deadline, &ms(*at), &seq];
            tx.execute(&st.appeal_deadline, &p).await?;
        }
        Change::AppealTouched { appeal_id, at } => {
            let p: [Param; 3] = [&point, appeal_id, &ms(*at)];
            tx.execute(&st.appeal_touched, &p).await?;
        }
        Change::SessionOpened {
            session_id,
            kind,
            date,
            place,
            at,
        } => {
            let p: [Param; 6] = [&point, session_id, kind, date, place, &ms(*at)];
            tx.execute(&st.session_opened, &p).await?;
        }
        Change::SessionClosed { session_id, at } => {
            let p: [Param; 3] = [&point, session_id, &ms(*at)];
            tx.execute(&st.session_closed, &p).await?;
        }
        Change::TicketNotPrinted { ticket_id } => {
            let p: [Param; 2] = [&point, ticket_id];
            tx.execute(&st.ticket_not_printed, &p).await?;
        }
        Change::ReceiptNotPrinted { appeal_id } => {
            let p: [Param; 2] = [&point, appeal_id];
            tx.execute(&st.receipt_not_printed, &p).await?;
        }
        Change::CitizenErased { appeals, texts } => {
            citizen_erased(tx, point, appeals, *texts).await?;
        }
    }
    Ok(())
}

/// As SQLite's (`sqlite::apply::citizen_erased`): the appeals named and the
/// citizen's others here lose their keys, a recording event in clear is
/// redacted and its hash made again.
async fn citizen_erased(
    tx: &deadpool_postgres::Transaction<'_>,
    point: &str,
    named: &[uuid::Uuid],
    texts: bool,
) -> StorageResult<()> {
    use super::corrupt;
    use crate::domain::{EventRecord, PointId};
    let rows = tx
        .query(
            "SELECT DISTINCT o.id FROM appeals a JOIN appeals o ON o.point_id = a.point_id
               AND ((a.iin_key IS NOT NULL AND o.iin_key = a.iin_key)
                 OR (a.phone_key IS NOT NULL AND o.phone_key = a.phone_key))
             WHERE a.point_id = $1 AND a.id = ANY($2)",
            &[&point, &named],
        )
        .await?;
    let mut ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.get(0)).collect();
    ids.extend_from_slice(named);
    ids.sort();
    ids.dedup();
    for id in &ids {
        let recorded = tx
            .query_opt(
                "SELECT e.id, e.at, e.actor, e.kind, e.version, e.payload, e.seq FROM events e
                 WHERE e.point_id = $1 AND e.kind = 'appeal_recorded'
                   AND e.seq = (SELECT MIN(seq) FROM appeal_changes
                                WHERE point_id = $1 AND appeal_id = $2)",
                &[&point, id],
            )
            .await?;
        if let Some(r) = recorded {
            let seq: i64 = r.get(6);
            let mut record = EventRecord {
                point_id: PointId::parse(point).map_err(corrupt)?,
                seq: seq.max(0) as u64,
                id: r.get(0),
                at: r.get(1),
                actor: r.get(2),
                kind: r.get(3),
                version: r.get::<_, i32>(4).max(0) as u32,
                payload: serde_json::from_str(r.get(5)).map_err(corrupt)?,
            };
            if crate::domain::personal::redact_clear(&mut record.payload, texts) {
                let payload = serde_json::to_string(&record.payload).map_err(corrupt)?;
                tx.execute(
                    "UPDATE events SET payload = $3, hash = $4 WHERE point_id = $1 AND seq = $2",
                    &[&point, &seq, &payload, &record.content_hash()],
                )
                .await?;
            }
        }
        tx.execute(
            "UPDATE appeals SET iin_key = NULL, phone_key = NULL WHERE point_id = $1 AND id = $2",
            &[&point, id],
        )
        .await?;
    }
    Ok(())
}
