//! The forwarder's state in the point's database: the acknowledged cursor,
//! the last success and error, the alarm a supervisor must see, and the
//! lease that lets only one forwarder run per database.
//!
//! This is local state of the link to the regional server, not a change at
//! the point, so it is written here directly and not through events (like
//! `settings` and the PIN hash).

use super::{Result, events, fmt_time, parse_time};
use crate::domain::sync_alarm::SyncAlarm;
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

/// What the screens and `qabyldau sync --status` show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    /// The server the cursor belongs to, once a forwarder has talked to one.
    pub server_url: Option<String>,
    /// The regional server holds events `1..=acked_seq`.
    pub acked_seq: u64,
    /// The last event written at this point.
    pub last_seq: u64,
    /// Events not yet held by the server.
    pub pending: u64,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    /// Something a supervisor must look at (the server lost events, a
    /// conflict); stays until a later success clears it or a person does.
    pub alarm: Option<SyncAlarm>,
    pub alarm_at: Option<DateTime<Utc>>,
    /// How many times the cursor was taken back because the server held
    /// less than it had acknowledged (each also raised the alarm). Never
    /// reset: 0 means no acknowledged event was ever missing.
    pub rewinds: u64,
    /// Whether some forwarder holds the lease now.
    pub forwarder_active: bool,
    /// The region's decisions for this point applied through this `rseq`.
    pub region_applied: u64,
}

impl SyncStatus {
    /// The last attempt succeeded.
    pub fn is_healthy(&self) -> bool {
        match (self.last_success_at, self.last_error_at) {
            (_, None) => true,
            (Some(ok), Some(err)) => ok >= err,
            (None, Some(_)) => false,
        }
    }
}

type Row = (
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);

fn opt_time(s: Option<String>) -> Result<Option<DateTime<Utc>>> {
    s.as_deref().map(parse_time).transpose()
}

/// The state as the screens show it.
pub fn get(conn: &Connection) -> Result<SyncStatus> {
    get_at(conn, Utc::now())
}

pub fn get_at(conn: &Connection, now: DateTime<Utc>) -> Result<SyncStatus> {
    let row: Row = conn.query_row(
        "SELECT server_url, acked_seq, last_attempt_at, last_success_at, last_error,
                last_error_at, alarm, alarm_at,
                CASE WHEN lease_holder IS NOT NULL AND lease_expires_at > ?1 THEN lease_holder END,
                rewinds
         FROM sync_state WHERE id = 1",
        [fmt_time(now)],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        },
    )?;
    let (url, acked, attempt, success, error, error_at, alarm, alarm_at, holder, rewinds) = row;
    let acked = acked.max(0) as u64;
    let last_seq = events::last_seq(conn)?;
    Ok(SyncStatus {
        server_url: url,
        acked_seq: acked,
        last_seq,
        pending: last_seq.saturating_sub(acked),
        last_attempt_at: opt_time(attempt)?,
        last_success_at: opt_time(success)?,
        last_error: error,
        last_error_at: opt_time(error_at)?,
        alarm: alarm.as_deref().map(SyncAlarm::decode),
        alarm_at: opt_time(alarm_at)?,
        rewinds: rewinds.max(0) as u64,
        forwarder_active: holder.is_some(),
        region_applied: super::region::applied_through(conn)?,
    })
}

/// The acknowledged cursor and the server it belongs to.
pub fn cursor(conn: &Connection) -> Result<(u64, Option<String>)> {
    let (acked, url): (i64, Option<String>) = conn.query_row(
        "SELECT acked_seq, server_url FROM sync_state WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((acked.max(0) as u64, url))
}

/// Takes the cursor back to `acked` because the server holds less than it
/// acknowledged, and counts the rewind. The caller raises the alarm.
pub fn rewind(conn: &Connection, acked: u64, server_url: &str) -> Result<()> {
    conn.execute(
        "UPDATE sync_state SET acked_seq = ?1, server_url = ?2, rewinds = rewinds + 1 WHERE id = 1",
        (acked as i64, server_url),
    )?;
    Ok(())
}

/// Sets the cursor outright: used when the server's own cursor says
/// otherwise (it is ahead, or it lost events and they must be resent).
pub fn set_cursor(conn: &Connection, acked: u64, server_url: &str) -> Result<()> {
    conn.execute(
        "UPDATE sync_state SET acked_seq = ?1, server_url = ?2 WHERE id = 1",
        (acked as i64, server_url),
    )?;
    Ok(())
}

pub fn record_attempt(conn: &Connection, at: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE sync_state SET last_attempt_at = ?1 WHERE id = 1",
        [fmt_time(at)],
    )?;
    Ok(())
}

/// The server acknowledged events through `acked`. Only moves forward: a
/// late reply to an older request never takes the cursor back.
pub fn record_ack(conn: &Connection, acked: u64, at: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE sync_state SET acked_seq = MAX(acked_seq, ?1), last_success_at = ?2 WHERE id = 1",
        (acked as i64, fmt_time(at)),
    )?;
    Ok(())
}

/// `message` is shown on screens: it is made one safe line here.
pub fn record_error(conn: &Connection, message: &str, at: DateTime<Utc>) -> Result<()> {
    let line: String = crate::domain::text::sanitize_line(message)
        .chars()
        .take(500)
        .collect();
    conn.execute(
        "UPDATE sync_state SET last_error = ?1, last_error_at = ?2 WHERE id = 1",
        (line, fmt_time(at)),
    )?;
    Ok(())
}

/// Raises (or with `None`, clears) the alarm for the supervisor view.
pub fn set_alarm(conn: &Connection, alarm: Option<&SyncAlarm>, at: DateTime<Utc>) -> Result<()> {
    let line = alarm.map(|a| {
        crate::domain::text::sanitize_line(&a.encode())
            .chars()
            .take(500)
            .collect::<String>()
    });
    conn.execute(
        "UPDATE sync_state SET alarm = ?1, alarm_at = CASE WHEN ?1 IS NULL THEN NULL ELSE ?2 END WHERE id = 1",
        (line, fmt_time(at)),
    )?;
    Ok(())
}

/// Takes or renews the forwarding lease for `holder` until `now + ttl`.
/// One statement, so two processes cannot both win; a holder that was
/// killed loses the lease when it runs out.
pub fn try_lease(
    conn: &Connection,
    holder: &str,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<bool> {
    let n = conn.execute(
        "UPDATE sync_state SET lease_holder = ?1, lease_expires_at = ?2
         WHERE id = 1 AND (lease_holder IS NULL OR lease_holder = ?1 OR lease_expires_at <= ?3)",
        (holder, fmt_time(now + ttl), fmt_time(now)),
    )?;
    Ok(n == 1)
}

/// Gives the lease up at once, so another process need not wait for it to
/// run out.
pub fn release_lease(conn: &Connection, holder: &str) -> Result<()> {
    conn.execute(
        "UPDATE sync_state SET lease_holder = NULL, lease_expires_at = NULL
         WHERE id = 1 AND lease_holder = ?1",
        [holder],
    )?;
    Ok(())
}

/// Who holds the lease now, if anyone.
pub fn lease_holder(conn: &Connection, now: DateTime<Utc>) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT lease_holder FROM sync_state WHERE id = 1 AND lease_expires_at > ?1",
            [fmt_time(now)],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PointId;
    use crate::store::Store;

    fn store() -> Store {
        Store::open_in_memory(&PointId::parse("p1").unwrap()).unwrap()
    }

    #[test]
    fn fresh_database_has_nothing_acked() {
        let s = store();
        let st = get(s.conn()).unwrap();
        assert_eq!((st.acked_seq, st.pending, st.last_seq), (0, 0, 0));
        assert!(st.is_healthy() && st.alarm.is_none() && !st.forwarder_active);
    }

    #[test]
    fn ack_only_moves_forward_but_cursor_can_be_set_back() {
        let s = store();
        let now = Utc::now();
        record_ack(s.conn(), 10, now).unwrap();
        record_ack(s.conn(), 7, now).unwrap();
        assert_eq!(cursor(s.conn()).unwrap().0, 10);
        set_cursor(s.conn(), 3, "http://x").unwrap();
        assert_eq!(cursor(s.conn()).unwrap(), (3, Some("http://x".into())));
        assert_eq!(
            get(s.conn()).unwrap().rewinds,
            0,
            "moving the cursor is no rewind"
        );
    }

    #[test]
    fn rewinds_are_counted_and_outlive_the_alarm() {
        let s = store();
        let now = Utc::now();
        record_ack(s.conn(), 10, now).unwrap();
        rewind(s.conn(), 4, "http://x").unwrap();
        set_alarm(s.conn(), Some(&SyncAlarm::Rewound { from: 5, to: 10 }), now).unwrap();
        rewind(s.conn(), 2, "http://x").unwrap();
        set_alarm(s.conn(), None, now).unwrap();
        let st = get(s.conn()).unwrap();
        assert_eq!((st.acked_seq, st.rewinds), (2, 2));
        assert!(st.alarm.is_none());
    }

    #[test]
    fn errors_are_one_safe_line_and_success_heals() {
        let s = store();
        let t0 = Utc::now();
        record_error(s.conn(), "bad\x1b[31m red\nline", t0).unwrap();
        let st = get(s.conn()).unwrap();
        assert_eq!(st.last_error.as_deref(), Some("bad red line"));
        assert!(!st.is_healthy());
        record_ack(s.conn(), 0, t0 + Duration::seconds(1)).unwrap();
        assert!(get(s.conn()).unwrap().is_healthy());
    }

    #[test]
    fn alarm_set_and_cleared() {
        let s = store();
        let now = Utc::now();
        set_alarm(s.conn(), Some(&SyncAlarm::Rewound { from: 5, to: 9 }), now).unwrap();
        let st = get(s.conn()).unwrap();
        assert_eq!(st.alarm, Some(SyncAlarm::Rewound { from: 5, to: 9 }));
        assert!(st.alarm_at.is_some());
        set_alarm(s.conn(), None, now).unwrap();
        let st = get(s.conn()).unwrap();
        assert!(st.alarm.is_none() && st.alarm_at.is_none());
    }

    #[test]
    fn one_lease_holder_until_it_expires_or_is_released() {
        let s = store();
        let t0 = Utc::now();
        let ttl = Duration::seconds(30);
        assert!(try_lease(s.conn(), "a", t0, ttl).unwrap());
        assert!(!try_lease(s.conn(), "b", t0 + Duration::seconds(5), ttl).unwrap());
        assert!(try_lease(s.conn(), "a", t0 + Duration::seconds(5), ttl).unwrap()); // renew
        assert_eq!(lease_holder(s.conn(), t0).unwrap().as_deref(), Some("a"));
        // a killed holder: its lease runs out
        assert!(try_lease(s.conn(), "b", t0 + Duration::seconds(36), ttl).unwrap());
        release_lease(s.conn(), "a").unwrap(); // not a's any more: no effect
        assert_eq!(
            lease_holder(s.conn(), t0 + Duration::seconds(40))
                .unwrap()
                .as_deref(),
            Some("b")
        );
        release_lease(s.conn(), "b").unwrap();
        assert!(try_lease(s.conn(), "c", t0 + Duration::seconds(41), ttl).unwrap());
    }
}
