//! Applies one event to the tables the screens read. Runs in the same
//! transaction as the event's append, so the two never disagree.

use super::personal::{self, Readable};
use super::{Result, StoreError, fmt_time, search};
use crate::domain::appeal_state::{Side, Stamp};
use crate::domain::event::*;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

pub(super) fn apply(
    conn: &Connection,
    seq: u64,
    at: DateTime<Utc>,
    actor: &str,
    body: &EventBody,
) -> Result<()> {
    let at_s = fmt_time(at);
    match body {
        EventBody::TicketTaken(t) => ticket_taken(conn, t, &at_s),
        EventBody::TicketCalled(t) => ticket_update(
            conn,
            "UPDATE tickets SET state = 'called', desk = ?2, called_at = ?3, target_desk = NULL WHERE id = ?1",
            params![t.ticket_id.to_string(), t.desk, at_s],
        ),
        EventBody::TicketRecalled(t) => ticket_update(
            conn,
            "UPDATE tickets SET desk = ?2, called_at = ?3, recalls = recalls + 1 WHERE id = ?1",
            params![t.ticket_id.to_string(), t.desk, at_s],
        ),
        EventBody::TicketServing(t) => ticket_update(
            conn,
            "UPDATE tickets SET state = 'serving', desk = ?2, serving_at = ?3 WHERE id = ?1",
            params![t.ticket_id.to_string(), t.desk, at_s],
        ),
        EventBody::TicketNoShow(t) => ticket_update(
            conn,
            "UPDATE tickets SET state = 'no_show', finished_at = ?2 WHERE id = ?1",
            params![t.ticket_id.to_string(), at_s],
        ),
        EventBody::TicketTransferred(t) => ticket_update(
            conn,
            "UPDATE tickets SET state = 'waiting', category = ?2, target_desk = ?3, desk = NULL,
                    serving_at = NULL, transfers = transfers + 1 WHERE id = ?1",
            params![t.ticket_id.to_string(), t.category.as_str(), t.desk],
        ),
        EventBody::TicketFinished(t) => ticket_update(
            conn,
            "UPDATE tickets SET state = 'done', finished_at = ?2 WHERE id = ?1",
            params![t.ticket_id.to_string(), at_s],
        ),
        // back in the line as it was before the call: its wait goes on
        // from when it was taken, so it comes up again soon
        EventBody::TicketReturned(t) => ticket_update(
            conn,
            "UPDATE tickets SET state = 'waiting', desk = NULL, called_at = NULL,
                    finished_at = NULL WHERE id = ?1",
            params![t.ticket_id.to_string()],
        ),
        EventBody::TicketClosed(t) => ticket_update(
            conn,
            "UPDATE tickets SET state = 'closed', finished_at = ?2 WHERE id = ?1",
            params![t.ticket_id.to_string(), at_s],
        ),
        EventBody::TicketCancelled(t) => ticket_update(
            conn,
            "UPDATE tickets SET state = 'cancelled', finished_at = ?2 WHERE id = ?1",
            params![t.ticket_id.to_string(), at_s],
        ),
        EventBody::AppealRecorded(a) => {
            appeal_recorded(conn, a, &at_s, actor)?;
            conn.execute(
                "UPDATE appeals SET outcome_stamp = ?2 WHERE id = ?1",
                params![
                    a.appeal_id.to_string(),
                    Stamp::new(at, Side::Point, seq).encode()
                ],
            )?;
            history(conn, seq, &a.appeal_id, &at_s, actor, body)
        }
        EventBody::AppealOutcomeSet(o) => {
            let stamp = Stamp::new(o.counts_at(at), Side::Point, seq);
            set_outcome(conn, o, &stamp, &at_s)?;
            history(conn, seq, &o.appeal_id, &at_s, actor, body)
        }
        EventBody::AppealControlSet(c) => {
            let (on, who, deadline) = match &c.control {
                Some(ctl) => (
                    true,
                    Some(ctl.responsible.as_str()),
                    Some(ctl.deadline.to_string()),
                ),
                None => (false, None, None),
            };
            appeal_update(
                conn,
                "UPDATE appeals SET under_control = ?2, responsible = ?3, deadline = ?4, updated_at = ?5 WHERE id = ?1",
                params![c.appeal_id.to_string(), on, who, deadline, at_s],
            )?;
            history(conn, seq, &c.appeal_id, &at_s, actor, body)
        }
        EventBody::AppealDeadlineExtended(d) => {
            appeal_update(
                conn,
                "UPDATE appeals SET deadline = ?2, updated_at = ?3 WHERE id = ?1",
                params![d.appeal_id.to_string(), d.deadline.to_string(), at_s],
            )?;
            history(conn, seq, &d.appeal_id, &at_s, actor, body)
        }
        EventBody::AppealFollowUp(n) => {
            appeal_update(
                conn,
                "UPDATE appeals SET updated_at = ?2 WHERE id = ?1",
                params![n.appeal_id.to_string(), at_s],
            )?;
            history(conn, seq, &n.appeal_id, &at_s, actor, body)
        }
        EventBody::SessionOpened(s) => {
            conn.execute(
                "INSERT INTO sessions (id, kind, date, place, officials, opened_at, opened_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    s.session_id.to_string(),
                    serde_json::to_value(s.kind)?.as_str().unwrap_or_default(),
                    s.date.to_string(),
                    s.place.as_str(),
                    serde_json::to_string(&s.officials)?,
                    at_s,
                    actor
                ],
            )?;
            Ok(())
        }
        EventBody::SessionClosed(s) => {
            let n = conn.execute(
                "UPDATE sessions SET closed_at = ?2 WHERE id = ?1 AND closed_at IS NULL",
                params![s.session_id.to_string(), at_s],
            )?;
            expect_one(n, "session", &s.session_id.to_string())
        }
        EventBody::StaffAdded(s) => {
            conn.execute(
                "INSERT INTO staff (login, name, role, created_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (login) DO UPDATE SET name = excluded.name, role = excluded.role, disabled = 0",
                params![s.login.as_str(), s.name.as_str(), s.role.as_str(), at_s],
            )?;
            Ok(())
        }
        EventBody::StaffDisabled(s) => {
            let n = conn.execute(
                "UPDATE staff SET disabled = 1 WHERE login = ?1",
                [s.login.as_str()],
            )?;
            expect_one(n, "staff login", s.login.as_str())
        }
        EventBody::LoginAttempted(l) => {
            match l.result {
                LoginResult::Ok => {
                    conn.execute(
                        "UPDATE staff SET failed_pins = 0 WHERE login = ?1",
                        [&l.login],
                    )?;
                }
                // A wrong PIN is only checked when the login is not locked, so
                // a count already at the limit belongs to an expired lock and
                // starts again.
                LoginResult::WrongPin => {
                    conn.execute(
                        "UPDATE staff SET last_failed_at = ?2, failed_pins =
                            CASE WHEN failed_pins >= ?3 THEN 1 ELSE failed_pins + 1 END
                         WHERE login = ?1",
                        params![l.login, at_s, crate::domain::staff::MAX_WRONG_PINS],
                    )?;
                }
                LoginResult::Locked | LoginResult::UnknownLogin | LoginResult::Disabled => {}
            }
            Ok(())
        }
        EventBody::CampaignModeSet(c) => super::settings::set(
            conn,
            super::settings::CAMPAIGN_MODE,
            if c.on { "1" } else { "0" },
        ),
        // only in the log: it changes no table
        EventBody::PersonalDataExported(_) => Ok(()),
        EventBody::CitizenErased(e) => citizen_erased(conn, e, &at_s),
        EventBody::PersonalDataViewed(v) => {
            conn.execute(
                "INSERT INTO personal_views (seq, appeal_id, at, actor) VALUES (?1, ?2, ?3, ?4)",
                params![seq as i64, v.appeal_id.to_string(), at_s, actor],
            )?;
            Ok(())
        }
        EventBody::DocumentPrinted(p) => {
            printer_attempt(conn, &p.printer, &at_s, actor, None, &p.document)
        }
        EventBody::PrintFailed(p) => {
            if !p.reprint {
                let (sql, id) = match p.document {
                    DocumentRef::Ticket(id) => {
                        ("UPDATE tickets SET print_failed = 1 WHERE id = ?1", id)
                    }
                    DocumentRef::Receipt(id) => (
                        "UPDATE appeals SET receipt_print_failed = 1 WHERE id = ?1",
                        id,
                    ),
                };
                let n = conn.execute(sql, [id.to_string()])?;
                expect_one(n, "printed document", &id.to_string())?;
            }
            printer_attempt(conn, &p.printer, &at_s, actor, Some(p), &p.document)
        }
        // pausing again with another reason starts a new pause
        EventBody::DeskPaused(p) => {
            conn.execute(
                "INSERT INTO paused_desks (desk, reason, since) VALUES (?1, ?2, ?3)
                 ON CONFLICT (desk) DO UPDATE SET reason = excluded.reason, since = excluded.since",
                params![p.desk, p.reason.as_str(), at_s],
            )?;
            Ok(())
        }
        EventBody::DeskResumed(d) => {
            conn.execute("DELETE FROM paused_desks WHERE desk = ?1", [d.desk])?;
            Ok(())
        }
        EventBody::FromRegion(r) => from_region(conn, seq, actor, r),
    }
}

/// A decision of the region: the same change as the point's own event,
/// stamped with the region's time and sequence, and in the appeal's
/// history at the time it was decided.
fn from_region(conn: &Connection, seq: u64, actor: &str, r: &FromRegion) -> Result<()> {
    let decided = fmt_time(r.at);
    if let Some(name) = &r.by_name {
        conn.execute(
            "INSERT INTO region_staff (login, name) VALUES (?1, ?2)
             ON CONFLICT (login) DO UPDATE SET name = excluded.name",
            params![r.by, crate::domain::sanitize_line(name)],
        )?;
    }
    match &r.decision {
        RegionDecision::AppealOutcomeSet(o) => {
            let stamp = Stamp::new(o.counts_at(r.at), Side::Region, r.rseq);
            if set_outcome(conn, o, &stamp, &decided).is_err() {
                // an appeal this database does not hold (restored from an
                // older backup): the decision stays in the log, and the
                // region's view of that appeal is the only one
                tracing::warn!(appeal = %o.appeal_id, "a decision of the region names an appeal this point does not hold");
                return Ok(());
            }
            history(
                conn,
                seq,
                &o.appeal_id,
                &decided,
                actor,
                &EventBody::AppealOutcomeSet(o.clone()),
            )
        }
        RegionDecision::RetentionSet(t) => {
            super::settings::set(conn, super::settings::RETENTION_YEARS, &t.years.to_string())
        }
        RegionDecision::CampaignModeSet(c) => super::settings::set(
            conn,
            super::settings::CAMPAIGN_MODE,
            if c.on { "1" } else { "0" },
        ),
        // the citizen of the appeal the region named, and all their appeals
        // here: found from the subject, which outlives the keys, so a
        // replay erases the same
        RegionDecision::CitizenErased(e) => {
            let target = personal::erasable(conn, personal::CitizenBy::AppealId(e.appeal_id))?;
            if target.appeals.is_empty() {
                tracing::warn!(appeal = %e.appeal_id, "an erasure of the region names an appeal this point does not hold");
                return Ok(());
            }
            citizen_erased(
                conn,
                &CitizenErased {
                    subjects: target.subjects,
                    appeals: target.appeals,
                    texts: e.texts,
                    ground: e.ground.clone(),
                },
                &decided,
            )
        }
    }
}

/// Sets an appeal's outcome if `stamp` is later than the one that set it
/// (docs/SYNC.md): a change that lost stays in the history only.
fn set_outcome(conn: &Connection, o: &AppealOutcomeSet, stamp: &Stamp, at: &str) -> Result<()> {
    let current: Option<Option<String>> = conn
        .query_row(
            "SELECT outcome_stamp FROM appeals WHERE id = ?1",
            [o.appeal_id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    let Some(current) = current else {
        return expect_one(0, "appeal", &o.appeal_id.to_string());
    };
    let current = current
        .map(|c| Stamp::decode(&c).map_err(|e| StoreError::Corrupt(e.to_string())))
        .transpose()?;
    if !stamp.wins_over(current.as_ref()) {
        return Ok(());
    }
    let closed = o.outcome.is_closed().then_some(at);
    appeal_update(
        conn,
        "UPDATE appeals SET outcome = ?2, redirected_to = ?3, closed_at = ?4, updated_at = ?5,
                outcome_stamp = ?6 WHERE id = ?1",
        params![
            o.appeal_id.to_string(),
            o.outcome.as_str(),
            o.redirected_to.as_ref().map(|b| b.as_str()),
            closed,
            at,
            stamp.encode()
        ],
    )
}

/// The printer's latest attempt, for the supervisor's board: a failure
/// stays shown until the same printer prints again.
fn printer_attempt(
    conn: &Connection,
    printer: &crate::domain::ShortText,
    at: &str,
    actor: &str,
    failed: Option<&PrintFailed>,
    document: &DocumentRef,
) -> Result<()> {
    let number: Option<String> = match document {
        DocumentRef::Ticket(id) => conn
            .query_row(
                "SELECT prefix || '-' || printf('%03d', number) FROM tickets WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .ok(),
        DocumentRef::Receipt(id) => conn
            .query_row(
                "SELECT year || '-' || printf('%05d', number) FROM appeals WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .ok(),
    };
    conn.execute(
        "INSERT INTO printers (printer, at, actor, ok, reason, detail, document, last_ok_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, CASE WHEN ?4 THEN ?2 END)
         ON CONFLICT (printer) DO UPDATE SET at = excluded.at, actor = excluded.actor,
             ok = excluded.ok, reason = excluded.reason, detail = excluded.detail,
             document = excluded.document,
             last_ok_at = COALESCE(excluded.last_ok_at, printers.last_ok_at)",
        params![
            printer.as_str(),
            at,
            actor,
            failed.is_none(),
            failed.map(|f| f.reason.as_str()),
            failed.and_then(|f| f.detail.as_ref().map(|d| d.as_str())),
            number,
        ],
    )?;
    Ok(())
}

fn ticket_taken(conn: &Connection, t: &TicketTaken, at: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO tickets (id, service_date, prefix, number, category, priority, lang, state, taken_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'waiting', ?8)",
        params![
            t.ticket_id.to_string(),
            t.service_date.to_string(),
            t.number.prefix.to_string(),
            t.number.number,
            t.category.as_str(),
            t.priority.as_str(),
            t.lang.code(),
            at
        ],
    )?;
    Ok(())
}

fn ticket_update(conn: &Connection, sql: &str, params: &[&dyn rusqlite::ToSql]) -> Result<()> {
    let n = conn.execute(sql, params)?;
    expect_one(n, "ticket", "")
}

fn appeal_update(conn: &Connection, sql: &str, params: &[&dyn rusqlite::ToSql]) -> Result<()> {
    let n = conn.execute(sql, params)?;
    expect_one(n, "appeal", "")
}

/// An event about a row that does not exist means the use case skipped its
/// checks; refuse it rather than log something the tables cannot show.
fn expect_one(n: usize, what: &str, id: &str) -> Result<()> {
    if n == 1 {
        Ok(())
    } else {
        Err(StoreError::Corrupt(format!(
            "event names an unknown {what} {id}"
        )))
    }
}

fn appeal_recorded(conn: &Connection, a: &AppealRecorded, at: &str, actor: &str) -> Result<()> {
    let opened = personal::open(conn, a)?;
    let c = opened.citizen.here();
    let iin = c.and_then(|c| c.iin.as_ref()).map(|i| i.as_str());
    let phone = c.and_then(|c| c.phone.as_ref()).map(|p| p.as_str());
    // A repeated appeal: the same citizen came before, known by their
    // subject (which outlives an erasure) or, for appeals recorded before
    // sealing, by IIN or phone.
    let subject = a.subject.map(|s| s.to_string());
    let repeated: bool = conn.query_row(
        "SELECT (?1 IS NOT NULL AND EXISTS (SELECT 1 FROM appeals WHERE subject = ?1))
             OR ((?2 IS NOT NULL OR ?3 IS NOT NULL)
                 AND EXISTS (SELECT 1 FROM appeals WHERE citizen_iin = ?2 OR citizen_phone = ?3))",
        params![subject, iin, phone],
        |r| r.get(0),
    )?;
    let erased_citizen = matches!(opened.citizen, Readable::Erased).then_some(at);
    let (text, erased_text) = match &opened.text {
        Readable::Here(t) => (t.as_str(), None),
        _ => ("", Some(at)),
    };
    let control = a.control.as_ref();
    conn.execute(
        "INSERT INTO appeals (id, year, number, received_at, kind, channel, category, consent,
            citizen_name, citizen_iin, citizen_phone, settlement, workplace, text, heard_by,
            ticket_id, session_id, desk, lang, recorded_by, repeated, outcome, redirected_to,
            under_control, responsible, deadline, closed_at, updated_at, subject,
            citizen_erased_at, text_erased_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
            ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?4, ?28, ?29, ?30)",
        params![
            a.appeal_id.to_string(),
            a.number.year,
            a.number.number,
            at,
            a.kind.as_str(),
            a.channel.as_str(),
            a.category.as_str(),
            a.consent,
            c.map(|c| c.name.as_str()),
            iin,
            phone,
            c.and_then(|c| c.settlement.as_ref()).map(|s| s.as_str()),
            c.and_then(|c| c.workplace.as_ref()).map(|s| s.as_str()),
            text,
            serde_json::to_string(&a.heard_by)?,
            a.ticket_id.map(|t| t.to_string()),
            a.session_id.map(|s| s.to_string()),
            a.desk,
            a.lang.code(),
            actor,
            repeated,
            a.outcome.as_str(),
            a.redirected_to.as_ref().map(|b| b.as_str()),
            control.is_some(),
            control.map(|c| c.responsible.as_str()),
            control.map(|c| c.deadline.to_string()),
            a.outcome.is_closed().then_some(at),
            subject,
            erased_citizen,
            erased_text,
        ],
    )?;
    search::index(conn, &a.appeal_id.to_string())
}

/// An appeal recorded before sealing holds its citizen (and text) in clear
/// in its event and in its history's copy: with no key to delete, those
/// are the one place the log is rewritten, the citizen dropped and the
/// text replaced by an empty seal (it reads as erased, and still parses).
/// The server compares a resent event by its hash, but a point resends
/// only what the server does not have. Sealed appeals are never touched.
fn redact_clear(conn: &Connection, appeal_id: &str, texts: bool) -> Result<()> {
    // the history row names the recording event's seq: no scan of the log
    let seq: Option<i64> = conn
        .query_row(
            "SELECT seq FROM appeal_history WHERE appeal_id = ?1 AND kind = 'appeal_recorded'",
            [appeal_id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(seq) = seq else { return Ok(()) };
    for (table, column) in [("events", "payload"), ("appeal_history", "detail")] {
        let text: String = conn.query_row(
            &format!("SELECT {column} FROM {table} WHERE seq = ?1"),
            [seq],
            |r| r.get(0),
        )?;
        let mut payload: serde_json::Value = serde_json::from_str(&text)?;
        if crate::domain::personal::redact_clear(&mut payload, texts) {
            conn.execute(
                &format!("UPDATE {table} SET {column} = ?2 WHERE seq = ?1"),
                params![seq, serde_json::to_string(&payload)?],
            )?;
        }
    }
    Ok(())
}

/// Forgets what an erasure names: the keys first (every sealed part they
/// opened is unreadable from here on), then the readable copies in the
/// tables and the search index. Appeals recorded before sealing kept the
/// citizen in their history's copy of the event too.
pub(super) fn citizen_erased(conn: &Connection, e: &CitizenErased, at: &str) -> Result<()> {
    personal::forget(conn, e)?;
    for id in &e.appeals {
        let id_s = id.to_string();
        let ground = match &e.ground {
            ErasureGround::ConsentWithdrawn { .. } => "consent_withdrawn",
            ErasureGround::Expired { .. } => "expired",
        };
        // erased once: the first time and ground stay
        appeal_update(
            conn,
            "UPDATE appeals SET citizen_name = NULL, citizen_iin = NULL, citizen_phone = NULL,
                    settlement = NULL, workplace = NULL,
                    citizen_erased_for = CASE WHEN citizen_erased_at IS NOT NULL
                        THEN citizen_erased_for WHEN citizen_name IS NOT NULL THEN ?3 END,
                    citizen_erased_at = CASE WHEN citizen_name IS NOT NULL
                        OR citizen_erased_at IS NOT NULL THEN COALESCE(citizen_erased_at, ?2) END
             WHERE id = ?1",
            params![id_s, at, ground],
        )?;
        redact_clear(conn, &id_s, e.texts)?;
        if e.texts {
            conn.execute(
                "UPDATE appeals SET text = '', text_erased_at = COALESCE(text_erased_at, ?2)
                 WHERE id = ?1",
                params![id_s, at],
            )?;
        }
        search::reindex(conn, &id_s)?;
    }
    // not in `appeal_history` (one row per event, and one erasure names
    // many appeals): the card says when, the event log who and why
    Ok(())
}

fn history(
    conn: &Connection,
    seq: u64,
    appeal: &uuid::Uuid,
    at: &str,
    actor: &str,
    body: &EventBody,
) -> Result<()> {
    conn.execute(
        "INSERT INTO appeal_history (seq, appeal_id, at, actor, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![seq as i64, appeal.to_string(), at, actor, body.kind(), serde_json::to_string(&body.payload())?],
    )?;
    Ok(())
}
