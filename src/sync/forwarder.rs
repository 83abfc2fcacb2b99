//! One forwarder: its own connection to the point's database, its HTTP
//! client, and the loop that sends what the server does not hold yet.

use super::api::{ApiClient, PushAnswer};
use super::backoff::Backoff;
use super::{SyncConfig, SyncError};
use crate::domain::sync_alarm::SyncAlarm;
use crate::domain::{EventRecord, PointId};
use crate::protocol::{EventsQuery, RegionEventsQuery};
use crate::store::{self, Store, events, region, sync_state};
use chrono::Utc;
use rand::SeedableRng;
use serde::Serialize;
use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// With nothing to send, the forwarder still says hello this often, so the
/// server's "last contact" and our "last success" stay fresh.
const HEARTBEAT: Duration = Duration::from_secs(60);

/// Decisions of the region asked for at once: each batch is one
/// transaction at the point, kept short so a screen's write never waits
/// long behind it.
const REGION_BATCH: usize = 200;

/// Events taken back from the server per request and transaction.
const TAKE_BACK_PAGE: usize = 1000;

/// After this many accepted batches in a row a halved batch size doubles.
const REGROW_AFTER: u32 = 10;

/// What one round of sending did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Round {
    pub batches: u32,
    /// Events the server stored now.
    pub stored: u64,
    /// Events the server already held (a resend after a lost reply).
    pub duplicates: u64,
    pub acked_through: u64,
    pub pending: u64,
    /// What the region decided for this point, applied in this round.
    pub region: region::Applied,
}

pub struct Forwarder {
    store: Arc<Mutex<Store>>,
    cfg: SyncConfig,
    client: ApiClient,
    holder: String,
    batch_limit: usize,
    accepted_in_a_row: u32,
    lease_renewed: Option<Instant>,
    last_contact: Option<Instant>,
}

impl Forwarder {
    /// Opens the point's database (its own connection) and the HTTP client.
    pub async fn open(db: &Path, point: &PointId, cfg: SyncConfig) -> Result<Forwarder, SyncError> {
        let client = ApiClient::new(&cfg.server, &cfg.token, cfg.timeouts)?;
        let (db, point) = (db.to_path_buf(), point.clone());
        let store = tokio::task::spawn_blocking(move || Store::open(&db, &point))
            .await
            .map_err(|e| SyncError::Config(format!("cannot open the database: {e}")))??;
        Ok(Forwarder {
            store: Arc::new(Mutex::new(store)),
            batch_limit: cfg.batch_events.max(1),
            cfg,
            client,
            holder: format!("pid{}-{}", std::process::id(), uuid::Uuid::now_v7()),
            accepted_in_a_row: 0,
            lease_renewed: None,
            last_contact: None,
        })
    }

    /// The events per batch it will try next (smaller after a 413).
    pub fn batch_limit(&self) -> usize {
        self.batch_limit
    }

    /// Runs `f` on the database on a blocking thread.
    async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> store::Result<T> + Send + 'static,
    ) -> Result<T, SyncError> {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || {
            let s = store.lock().unwrap_or_else(|p| p.into_inner());
            f(&s)
        })
        .await
        .map_err(|e| SyncError::Config(format!("database task failed: {e}")))?
        .map_err(SyncError::from)
    }

    /// Runs `f` on the database on a blocking thread, for a write.
    async fn db_mut<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> store::Result<T> + Send + 'static,
    ) -> Result<T, SyncError> {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || {
            let mut s = store.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut s)
        })
        .await
        .map_err(|e| SyncError::Config(format!("database task failed: {e}")))?
        .map_err(SyncError::from)
    }

    /// Fetches what the region decided for this point after what it has
    /// applied, and applies it (docs/REGION.md), batch by batch until the
    /// server has nothing more. Each batch is one transaction; the next
    /// fetch acknowledges it. A server that does not know the way back yet
    /// (404) has nothing to send.
    pub async fn pull_region(&mut self) -> Result<region::Applied, SyncError> {
        let mut total = region::Applied::default();
        loop {
            let after = self.db(|s| region::applied_through(s.conn())).await?;
            total.through = after;
            let query = RegionEventsQuery {
                after,
                limit: Some(REGION_BATCH),
                wait: None,
            };
            let reply = match self.client.region_events(&query).await {
                Ok(reply) => reply,
                Err(super::api::ApiError::Refused(r)) if r.status == 404 => return Ok(total),
                Err(e) => return Err(e.into()),
            };
            self.last_contact = Some(Instant::now());
            if reply.events.is_empty() {
                return Ok(total);
            }
            let events = reply.events;
            let done = self
                .db_mut(move |s| region::apply(s, &events, Utc::now()))
                .await?;
            total.applied += done.applied;
            total.skipped += done.skipped;
            total.through = done.through;
            if done.applied == 0 {
                // only decisions applied before: do not ask again at once
                return Ok(total);
            }
        }
    }

    /// Takes or renews the lease (renewing only when a third of it has
    /// passed, to keep writes rare). `false`: another forwarder holds it.
    pub async fn lease(&mut self) -> Result<bool, SyncError> {
        let ttl = self.cfg.lease_ttl;
        if self.lease_renewed.is_some_and(|t| t.elapsed() < ttl / 3) {
            return Ok(true);
        }
        let holder = self.holder.clone();
        let chrono_ttl = chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::seconds(30));
        let got = self
            .db(move |s| sync_state::try_lease(s.conn(), &holder, Utc::now(), chrono_ttl))
            .await?;
        self.lease_renewed = got.then(Instant::now);
        Ok(got)
    }

    /// Gives the lease up so another process can forward at once.
    pub async fn release(&mut self) {
        let holder = self.holder.clone();
        self.lease_renewed = None;
        if let Err(e) = self
            .db(move |s| sync_state::release_lease(s.conn(), &holder))
            .await
        {
            tracing::warn!(error = %e, "sync: cannot release the lease");
        }
    }

    /// Compares the local cursor with the server's and adopts the server's:
    /// ahead, the point moves forward; behind (the server lost events, or
    /// was restored from a backup), the point sends them again and raises
    /// an alarm for the supervisor. Returns the cursor now in force.
    pub async fn reconcile(&mut self) -> Result<u64, SyncError> {
        let server = self.client.cursor().await?;
        self.last_contact = Some(Instant::now());
        let url = self.client.base().to_string();
        let last = self.db(|s| events::last_seq(s.conn())).await?;
        if server.acked_through > last {
            // restored from an older backup: what the backup lacks is at
            // the server; a log that went its own way since is not touched
            // (the alarm below says so)
            match self.take_back().await {
                Ok(n) => tracing::info!(
                    events = n,
                    "sync: took back from the server what this database lacked"
                ),
                Err(
                    e @ (SyncError::Diverged { .. }
                    | SyncError::Store(crate::store::StoreError::Corrupt(_))),
                ) => {
                    tracing::warn!(error = %crate::domain::text::sanitize_line(&e.to_string()), "sync: cannot take back the server's events");
                }
                Err(e) => return Err(e),
            }
        }
        self.db(move |s| {
            let c = s.conn();
            let now = Utc::now();
            let (local, known_url) = sync_state::cursor(c)?;
            let last = events::last_seq(c)?;
            let theirs = server.acked_through;
            let target = theirs.min(last);
            let mut lost = false;
            if theirs > last {
                sync_state::set_alarm(
                    c,
                    Some(&SyncAlarm::ServerAhead {
                        server: theirs,
                        here: last,
                    }),
                    now,
                )?;
            } else if known_url.as_deref() == Some(url.as_str()) && theirs < local {
                lost = true;
                sync_state::set_alarm(
                    c,
                    Some(&SyncAlarm::Rewound {
                        from: theirs + 1,
                        to: local,
                    }),
                    now,
                )?;
            } else if server.flagged {
                let st = sync_state::get_at(c, now)?;
                if st.alarm.is_none() {
                    sync_state::set_alarm(c, Some(&SyncAlarm::Flagged), now)?;
                }
            }
            if lost {
                sync_state::rewind(c, target, &url)?;
            } else if target != local || known_url.as_deref() != Some(url.as_str()) {
                sync_state::set_cursor(c, target, &url)?;
            }
            // the server answered: that is a success of the link
            sync_state::record_ack(c, target, now)?;
            Ok(target)
        })
        .await
    }

    /// Takes back into this database the events the server holds beyond
    /// its last one (docs/SYNC.md, "The region as the point's backup"),
    /// page by page, each page one transaction. First it checks that the
    /// two logs agree where they meet (the event under this database's
    /// last `seq`, hash for hash): a database that wrote other events since
    /// it was restored is not given the server's on top. Returns how many
    /// events were taken.
    pub async fn take_back(&mut self) -> Result<u64, SyncError> {
        let mut taken = 0;
        loop {
            let last = self.db(|s| events::last_seq(s.conn())).await?;
            let query = EventsQuery {
                after: last.saturating_sub(1),
                limit: Some(TAKE_BACK_PAGE),
            };
            let mut page = self.client.events(&query).await?.events;
            self.last_contact = Some(Instant::now());
            if last > 0 {
                let Some(meeting) = page.first().filter(|e| e.seq == last).cloned() else {
                    return Ok(taken);
                };
                let ours = self.db(move |s| events::get(s.conn(), last)).await?;
                if ours.map(|e| e.content_hash()) != Some(meeting.content_hash()) {
                    return Err(SyncError::Diverged { seq: last });
                }
                page.remove(0);
            }
            if page.is_empty() {
                return Ok(taken);
            }
            taken += self
                .db_mut(move |s| crate::store::take_back::take_back(s, &page))
                .await?;
        }
    }

    /// Sends everything after the cursor, batch by batch, until the server
    /// holds it all. Reads at most one batch from SQLite at a time.
    pub async fn push_pending(&mut self) -> Result<Round, SyncError> {
        let mut round = Round::default();
        let mut gaps_in_a_row = 0;
        // an idle poll writes nothing: the attempt is recorded once there
        // is something to say to the server
        let mut attempt_recorded = false;
        loop {
            if !self.lease().await? {
                return Err(SyncError::LeaseHeld);
            }
            let limit = self.batch_limit;
            let (acked, batch, head) = self
                .db(move |s| {
                    let (acked, _) = sync_state::cursor(s.conn())?;
                    let batch = events::after(s.conn(), acked, limit)?;
                    Ok((acked, batch, events::last_seq(s.conn())?))
                })
                .await?;
            let heartbeat_due = self.last_contact.is_none_or(|t| t.elapsed() >= HEARTBEAT);
            if !attempt_recorded && (!batch.is_empty() || heartbeat_due) {
                self.db(|s| sync_state::record_attempt(s.conn(), Utc::now()))
                    .await?;
                attempt_recorded = true;
            }
            if batch.is_empty() {
                if heartbeat_due {
                    self.heartbeat(head).await?;
                }
                round.acked_through = acked;
                round.pending = head.saturating_sub(acked);
                return Ok(round);
            }
            let (body, count) = encode(&batch, head, self.cfg.timezone, self.cfg.batch_bytes);
            let last_sent = batch[count - 1].seq;
            drop(batch);
            let answer = self.client.push(body).await?;
            self.last_contact = Some(Instant::now());
            match answer {
                PushAnswer::Acked(reply) => {
                    super::test_panic_after_ack();
                    gaps_in_a_row = 0;
                    round.batches += 1;
                    round.stored += reply.stored;
                    round.duplicates += reply.duplicates;
                    self.accepted(count);
                    let got = reply.acked_through;
                    self.db(move |s| {
                        if got < acked {
                            // the server went back between our calls
                            sync_state::rewind(s.conn(), got, &current_url(s)?)?;
                        }
                        sync_state::record_ack(s.conn(), got, Utc::now())
                    })
                    .await?;
                    if got < last_sent && got <= acked {
                        // no progress although accepted: do not spin
                        return Err(SyncError::Unexpected(format!(
                            "the server accepted events up to {last_sent} but holds only {got}"
                        )));
                    }
                }
                PushAnswer::TooLarge => {
                    if count == 1 {
                        return Err(SyncError::EventTooLarge(last_sent));
                    }
                    self.batch_limit = (count / 2).max(1);
                    self.accepted_in_a_row = 0;
                    tracing::info!(limit = self.batch_limit, "sync: batch too large, halved");
                }
                PushAnswer::Gap { expected } => {
                    gaps_in_a_row += 1;
                    if gaps_in_a_row > 3 || expected == 0 {
                        return Err(SyncError::Unexpected(format!(
                            "the server keeps asking for event {expected}"
                        )));
                    }
                    let back = expected - 1;
                    self.db(move |s| {
                        let now = Utc::now();
                        sync_state::set_alarm(
                            s.conn(),
                            Some(&SyncAlarm::Rewound {
                                from: expected,
                                to: acked,
                            }),
                            now,
                        )?;
                        sync_state::rewind(s.conn(), back, &current_url(s)?)
                    })
                    .await?;
                }
                PushAnswer::Conflict { seq, message } => {
                    let alarm = SyncAlarm::Conflict { seq };
                    self.db(move |s| sync_state::set_alarm(s.conn(), Some(&alarm), Utc::now()))
                        .await?;
                    return Err(SyncError::Conflict { seq, message });
                }
            }
        }
    }

    /// An empty batch: keeps the server's "last contact" fresh and proves
    /// the link works.
    async fn heartbeat(&mut self, head: u64) -> Result<(), SyncError> {
        let body = encode(&[], head, self.cfg.timezone, usize::MAX).0;
        match self.client.push(body).await? {
            PushAnswer::Acked(reply) => {
                self.last_contact = Some(Instant::now());
                let got = reply.acked_through;
                self.db(move |s| sync_state::record_ack(s.conn(), got, Utc::now()))
                    .await
            }
            other => Err(SyncError::Unexpected(format!(
                "unexpected answer to an empty batch: {other:?}"
            ))),
        }
    }

    fn accepted(&mut self, count: usize) {
        self.accepted_in_a_row += 1;
        if self.accepted_in_a_row >= REGROW_AFTER && count >= self.batch_limit {
            self.batch_limit = (self.batch_limit * 2).min(self.cfg.batch_events.max(1));
            self.accepted_in_a_row = 0;
        }
    }

    async fn record_error(&self, e: &SyncError) {
        let text = e.to_string();
        if let Err(err) = self
            .db(move |s| sync_state::record_error(s.conn(), &text, Utc::now()))
            .await
        {
            tracing::warn!(error = %err, "sync: cannot record the error");
        }
    }

    /// One full pass: take the lease, compare cursors, send everything,
    /// give the lease back. Errors are also recorded for `--status`.
    pub async fn run_once(&mut self) -> Result<Round, SyncError> {
        if !self.lease().await? {
            return Err(SyncError::LeaseHeld);
        }
        let result = async {
            self.reconcile().await?;
            let mut round = self.push_pending().await?;
            round.region = self.pull_region().await?;
            Ok(round)
        }
        .await;
        if let Err(e) = &result {
            self.record_error(e).await;
        }
        self.release().await;
        result
    }

    /// Keeps sending until `stop` resolves: new events within `poll`,
    /// failures retried with backoff and jitter, the lease renewed while
    /// working and left to others while they hold it.
    pub async fn watch(&mut self, stop: impl Future<Output = ()>) {
        let mut backoff = Backoff::new(self.cfg.backoff_base, self.cfg.backoff_cap);
        let mut need_reconcile = true;
        // a Send generator: the loop runs on any of tokio's threads
        let mut rng = rand::rngs::StdRng::from_os_rng();
        tokio::pin!(stop);
        loop {
            let result = self.step(&mut need_reconcile).await;
            let after = match &result {
                Ok(_) => self.db(|s| region::applied_through(s.conn())).await.ok(),
                Err(_) => None,
            };
            let delay = match result {
                Ok(_) => {
                    backoff.reset();
                    self.cfg.poll
                }
                Err(SyncError::LeaseHeld) => {
                    // another process forwards; look again when its lease
                    // could have run out, and compare cursors when we take over
                    need_reconcile = true;
                    self.cfg.lease_ttl / 2
                }
                Err(e) => {
                    // no new comparison of cursors: the batch is simply sent
                    // again. If the server held it (the reply was lost), it
                    // answers with duplicates; if it lost data, with a gap.
                    tracing::warn!(error = %e, "sync: round failed");
                    self.record_error(&e).await;
                    if !e.is_transient() {
                        backoff.give_up_for_now();
                    }
                    backoff.next_delay(&mut rng, e.retry_after())
                }
            };
            tokio::select! {
                _ = &mut stop => {
                    self.release().await;
                    return;
                }
                _ = tokio::time::sleep(delay) => {}
                // while the link is fine the wait is also a long poll of
                // the region's log: a decision wakes the loop at once
                Some(()) = self.region_wakes(after, delay) => {}
            }
        }
    }

    /// Resolves with `Some` when the region has something after `after`
    /// within `wait`; `None` at once without a cursor, and when nothing
    /// came or the request failed (the next round says why).
    async fn region_wakes(&self, after: Option<u64>, wait: Duration) -> Option<()> {
        let query = RegionEventsQuery {
            after: after?,
            limit: Some(1),
            wait: Some(wait.as_secs().max(1)),
        };
        let reply = self.client.region_events(&query).await.ok()?;
        (!reply.events.is_empty()).then_some(())
    }

    async fn step(&mut self, need_reconcile: &mut bool) -> Result<Round, SyncError> {
        if !self.lease().await? {
            return Err(SyncError::LeaseHeld);
        }
        if *need_reconcile {
            self.reconcile().await?;
            *need_reconcile = false;
        }
        let mut round = self.push_pending().await?;
        round.region = self.pull_region().await?;
        Ok(round)
    }
}

fn current_url(s: &Store) -> store::Result<String> {
    Ok(sync_state::cursor(s.conn())?.1.unwrap_or_default())
}

/// The JSON body of a batch: as many of `events` as fit in `max_bytes`
/// (always at least one, when there are any), and how many that is. The
/// zone goes with every batch, heartbeats included, so a point whose zone
/// was changed tells the server at its next contact.
fn encode(
    events: &[EventRecord],
    head: u64,
    timezone: chrono_tz::Tz,
    max_bytes: usize,
) -> (Vec<u8>, usize) {
    let zone = serde_json::to_string(timezone.name()).expect("a string serialises");
    let tail = format!("],\"head\":{head},\"timezone\":{zone}}}");
    let mut body = b"{\"events\":[".to_vec();
    let mut count = 0;
    for e in events {
        let json = serde_json::to_vec(e).expect("records serialise");
        // the comma before it and the tail after it count too
        if count > 0 && body.len() + 1 + json.len() + tail.len() > max_bytes {
            break;
        }
        if count > 0 {
            body.push(b',');
        }
        body.extend_from_slice(&json);
        count += 1;
    }
    body.extend_from_slice(tail.as_bytes());
    (body, count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{CampaignModeSet, EventBody};

    fn rec(seq: u64) -> EventRecord {
        let body = EventBody::CampaignModeSet(CampaignModeSet { on: true });
        EventRecord {
            point_id: PointId::parse("p").unwrap(),
            seq,
            id: uuid::Uuid::now_v7(),
            at: Utc::now(),
            actor: "system".into(),
            kind: body.kind().into(),
            version: 1,
            payload: body.payload(),
        }
    }

    #[test]
    fn encoded_batch_is_a_push_request_within_the_byte_limit() {
        let events: Vec<_> = (1..=50).map(rec).collect();
        let one = serde_json::to_vec(&events[0]).unwrap().len();
        let tokyo = chrono_tz::Asia::Tokyo;
        let (body, count) = encode(&events, 77, tokyo, one * 10 + 40);
        assert!((9..50).contains(&count), "{count}");
        assert!(body.len() <= one * 10 + 40);
        let parsed: crate::protocol::PushRequest = serde_json::from_slice(&body).unwrap();
        assert_eq!(parsed.events.len(), count);
        assert_eq!(parsed.head, Some(77));
        assert_eq!(parsed.timezone.as_deref(), Some("Asia/Tokyo"));
        // a single event larger than the limit still goes alone
        let (_, count) = encode(&events, 77, tokyo, 10);
        assert_eq!(count, 1);
        // a heartbeat says the zone too
        let (body, count) = encode(&[], 5, tokyo, usize::MAX);
        let parsed: crate::protocol::PushRequest = serde_json::from_slice(&body).unwrap();
        assert_eq!((parsed.events.len(), count), (0, 0));
        assert_eq!(parsed.timezone.as_deref(), Some("Asia/Tokyo"));
    }
}
