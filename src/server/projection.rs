//! What one event changes in the server's own tables (tickets, appeals,
//! sessions), as plain values. Each storage backend turns a `Change` into
//! its SQL, so the meaning of an event is decided once, here, for SQLite and
//! PostgreSQL alike.
//!
//! The server keeps only what the live queues and the figures need: no
//! citizen's name, phone or IIN leaves the events table.

use crate::domain::appeal_state::{Side, Stamp};
use crate::domain::event::{AppealOutcomeSet, DeskNo, EventBody, RegionDecision};
use crate::domain::{EventRecord, TicketState};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

/// The zone of a point that never said its own (the whole country is on
/// UTC+5 since 2024), and of the region's own "today".
pub const REGION_TZ: Tz = chrono_tz::Asia::Almaty;

/// The local day of a moment in the region's zone.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    local_date_in(at, REGION_TZ)
}

/// The local day of a moment in a point's zone: an appeal counts on the
/// day it was received where it was received.
pub fn local_date_in(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// A point's zone as the server keeps it (an IANA name). The ingest stores
/// only names it could parse, so another name is a database written by a
/// newer zone table than this program's: counted as the region's rather
/// than refused, so the point still shows.
pub fn zone_of(name: &str) -> Tz {
    name.parse().unwrap_or(REGION_TZ)
}

/// A ticket's move: set `state`; set the desk when `desk` is `Some`, clear
/// it when `clear_desk`; set the category and times that are `Some`.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketMoved {
    pub ticket_id: Uuid,
    pub state: TicketState,
    pub desk: Option<DeskNo>,
    pub clear_desk: bool,
    pub category: Option<String>,
    pub called_at: Option<DateTime<Utc>>,
    pub serving_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

// one value per event, made and applied at once: boxing the large
// variant would only add an allocation per appeal
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    TicketTaken {
        ticket_id: Uuid,
        number: String,
        service_date: NaiveDate,
        category: String,
        priority: String,
        at: DateTime<Utc>,
    },
    TicketMoved(TicketMoved),
    AppealRecorded {
        appeal_id: Uuid,
        number: String,
        received_at: DateTime<Utc>,
        received_date: NaiveDate,
        kind: String,
        channel: String,
        category: String,
        outcome: String,
        redirected_to: Option<String>,
        session_id: Option<Uuid>,
        ticket_id: Option<Uuid>,
        desk: Option<DeskNo>,
        deadline: Option<NaiveDate>,
        closed_at: Option<DateTime<Utc>>,
        recorded_by: String,
        /// Keys of the citizen's IIN and phone: enough to tell a repeated
        /// appeal, not enough to show who it was.
        iin_key: Option<String>,
        phone_key: Option<String>,
        /// `appeal_state::Stamp` text of the first outcome.
        stamp: String,
    },
    /// Sets the outcome if `stamp` is higher than the one that set it
    /// (docs/SYNC.md); the history keeps the change either way.
    AppealOutcome {
        appeal_id: Uuid,
        outcome: String,
        redirected_to: Option<String>,
        /// `None` reopens the appeal.
        closed_at: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
        stamp: String,
    },
    /// `deadline: None` takes the appeal off control.
    AppealControl {
        appeal_id: Uuid,
        deadline: Option<NaiveDate>,
        at: DateTime<Utc>,
    },
    AppealDeadline {
        appeal_id: Uuid,
        deadline: NaiveDate,
        at: DateTime<Utc>,
    },
    AppealTouched {
        appeal_id: Uuid,
        at: DateTime<Utc>,
    },
    SessionOpened {
        session_id: Uuid,
        kind: String,
        date: NaiveDate,
        place: String,
        at: DateTime<Utc>,
    },
    SessionClosed {
        session_id: Uuid,
        at: DateTime<Utc>,
    },
    /// The ticket's paper did not come out when it was issued.
    TicketNotPrinted {
        ticket_id: Uuid,
    },
    /// The appeal's receipt did not come out when it was recorded.
    ReceiptNotPrinted {
        appeal_id: Uuid,
    },
    /// A citizen's personal data erased at the point or at the region: the
    /// appeals named, and those of the same citizen here (by the keys the
    /// server keeps), lose those keys, and a recording event written before
    /// sealing is redacted as the point redacts it
    /// (`domain::personal::redact_clear`), its hash made again.
    CitizenErased {
        appeals: Vec<Uuid>,
        texts: bool,
    },
}

impl Change {
    /// Whether the change moves a live queue (boards are told).
    pub fn touches_queue(&self) -> bool {
        matches!(self, Change::TicketTaken { .. } | Change::TicketMoved(_))
    }
}

/// An outcome set on one side or the other, at `at`.
pub fn outcome_change(o: &AppealOutcomeSet, at: DateTime<Utc>, stamp: Stamp) -> Change {
    Change::AppealOutcome {
        appeal_id: o.appeal_id,
        outcome: o.outcome.as_str().into(),
        redirected_to: o.redirected_to.as_ref().map(|b| b.as_str().to_string()),
        closed_at: o.outcome.is_closed().then_some(at),
        at,
        stamp: stamp.encode(),
    }
}

/// A key standing for a citizen's identifier at one point.
fn citizen_key(point: &crate::domain::PointId, value: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(format!("{point}\u{1f}{value}").as_bytes()))
}

fn moved(ticket_id: Uuid, state: TicketState) -> TicketMoved {
    TicketMoved {
        ticket_id,
        state,
        desk: None,
        clear_desk: false,
        category: None,
        called_at: None,
        serving_at: None,
        finished_at: None,
    }
}

/// The change an event makes; `None` for events that only live in the log
/// (staff, logins, campaign mode, what printed, reprints that failed).
/// `tz` is the point's zone: its local dates are its own.
pub fn change_of(rec: &EventRecord, body: &EventBody, tz: Tz) -> Option<Change> {
    let at = rec.at;
    Some(match body {
        EventBody::TicketTaken(t) => Change::TicketTaken {
            ticket_id: t.ticket_id,
            number: t.number.to_string(),
            service_date: t.service_date,
            category: t.category.to_string(),
            priority: t.priority.as_str().into(),
            at,
        },
        EventBody::TicketCalled(t) | EventBody::TicketRecalled(t) => {
            Change::TicketMoved(TicketMoved {
                desk: Some(t.desk),
                called_at: Some(at),
                ..moved(t.ticket_id, TicketState::Called)
            })
        }
        EventBody::TicketServing(t) => Change::TicketMoved(TicketMoved {
            desk: Some(t.desk),
            serving_at: Some(at),
            ..moved(t.ticket_id, TicketState::Serving)
        }),
        EventBody::TicketNoShow(t) => Change::TicketMoved(TicketMoved {
            finished_at: Some(at),
            ..moved(t.ticket_id, TicketState::NoShow)
        }),
        EventBody::TicketFinished(t) => Change::TicketMoved(TicketMoved {
            finished_at: Some(at),
            ..moved(t.ticket_id, TicketState::Done)
        }),
        EventBody::TicketReturned(t) => Change::TicketMoved(TicketMoved {
            clear_desk: true,
            ..moved(t.ticket_id, TicketState::Waiting)
        }),
        EventBody::TicketClosed(t) => Change::TicketMoved(TicketMoved {
            finished_at: Some(at),
            ..moved(t.ticket_id, TicketState::Closed)
        }),
        EventBody::TicketCancelled(t) => Change::TicketMoved(TicketMoved {
            finished_at: Some(at),
            ..moved(t.ticket_id, TicketState::Cancelled)
        }),
        EventBody::TicketTransferred(t) => Change::TicketMoved(TicketMoved {
            clear_desk: true,
            category: Some(t.category.to_string()),
            ..moved(t.ticket_id, TicketState::Waiting)
        }),
        EventBody::AppealRecorded(a) => Change::AppealRecorded {
            appeal_id: a.appeal_id,
            number: a.number.to_string(),
            received_at: at,
            received_date: local_date_in(at, tz),
            kind: a.kind.as_str().into(),
            channel: a.channel.as_str().into(),
            category: a.category.to_string(),
            outcome: a.outcome.as_str().into(),
            redirected_to: a.redirected_to.as_ref().map(|b| b.as_str().to_string()),
            session_id: a.session_id,
            ticket_id: a.ticket_id,
            desk: a.desk,
            deadline: a.control.as_ref().map(|c| c.deadline),
            closed_at: a.outcome.is_closed().then_some(at),
            // the actor is text from the network, like any other
            recorded_by: crate::domain::sanitize_line(&rec.actor),
            // a sealed citizen is known here by the point's pseudonym only
            // (the server holds no key); one in clear (before sealing) by
            // a hash of the IIN or phone; both dropped when they are erased
            iin_key: match (&a.subject, a.citizen.as_ref().and_then(|c| c.clear())) {
                (Some(s), _) => Some(citizen_key(&rec.point_id, &format!("subject:{s}"))),
                (None, c) => c
                    .and_then(|c| c.iin.as_ref())
                    .map(|i| citizen_key(&rec.point_id, i.as_str())),
            },
            phone_key: match (&a.subject, a.citizen.as_ref().and_then(|c| c.clear())) {
                (Some(_), _) => None,
                (None, c) => c
                    .and_then(|c| c.phone.as_ref())
                    .map(|p| citizen_key(&rec.point_id, p.as_str())),
            },
            stamp: Stamp::new(at, Side::Point, rec.seq).encode(),
        },
        EventBody::AppealOutcomeSet(o) => {
            outcome_change(o, at, Stamp::new(o.counts_at(at), Side::Point, rec.seq))
        }
        // the point applied a decision of the region: the server made that
        // change when the decision was taken, and its stamp is the same, so
        // this only puts it in the appeal's history under the point's seq
        EventBody::FromRegion(r) => match &r.decision {
            RegionDecision::AppealOutcomeSet(o) => {
                outcome_change(o, r.at, Stamp::new(o.counts_at(r.at), Side::Region, r.rseq))
            }
            RegionDecision::CitizenErased(e) => Change::CitizenErased {
                appeals: vec![e.appeal_id],
                texts: e.texts,
            },
            RegionDecision::CampaignModeSet(_) | RegionDecision::RetentionSet(_) => return None,
        },
        EventBody::CitizenErased(e) => Change::CitizenErased {
            appeals: e.appeals.clone(),
            texts: e.texts,
        },
        EventBody::AppealControlSet(c) => Change::AppealControl {
            appeal_id: c.appeal_id,
            deadline: c.control.as_ref().map(|c| c.deadline),
            at,
        },
        EventBody::AppealDeadlineExtended(d) => Change::AppealDeadline {
            appeal_id: d.appeal_id,
            deadline: d.deadline,
            at,
        },
        EventBody::AppealFollowUp(n) => Change::AppealTouched {
            appeal_id: n.appeal_id,
            at,
        },
        EventBody::SessionOpened(s) => Change::SessionOpened {
            session_id: s.session_id,
            kind: match s.kind {
                crate::domain::event::SessionKind::Mobile => "mobile",
                crate::domain::event::SessionKind::OnSite => "on_site",
            }
            .into(),
            date: s.date,
            place: s.place.as_str().into(),
            at,
        },
        EventBody::SessionClosed(s) => Change::SessionClosed {
            session_id: s.session_id,
            at,
        },
        EventBody::PrintFailed(p) if !p.reprint => match p.document {
            crate::domain::event::DocumentRef::Ticket(ticket_id) => {
                Change::TicketNotPrinted { ticket_id }
            }
            crate::domain::event::DocumentRef::Receipt(appeal_id) => {
                Change::ReceiptNotPrinted { appeal_id }
            }
        },
        EventBody::StaffAdded(_)
        | EventBody::PrintFailed(_)
        | EventBody::DocumentPrinted(_)
        | EventBody::StaffDisabled(_)
        | EventBody::LoginAttempted(_)
        | EventBody::CampaignModeSet(_)
        | EventBody::PersonalDataExported(_)
        | EventBody::PersonalDataViewed(_)
        // pauses are read from the events themselves for the report
        // (`Storage::report_facts`), as the point reads its own
        | EventBody::DeskPaused(_)
        | EventBody::DeskResumed(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{TicketAtDesk, TicketTransferred};
    use crate::domain::{CategoryId, PointId};
    use chrono::TimeZone;

    fn rec(body: &EventBody, at: DateTime<Utc>) -> EventRecord {
        EventRecord {
            point_id: PointId::parse("p").unwrap(),
            seq: 1,
            id: Uuid::now_v7(),
            at,
            actor: "kiosk".into(),
            kind: body.kind().into(),
            version: 1,
            payload: body.payload(),
        }
    }

    #[test]
    fn local_day_is_almaty() {
        // 19:30 UTC is 00:30 the next day in Almaty
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 19, 30, 0).unwrap();
        assert_eq!(local_date(at), NaiveDate::from_ymd_opt(2026, 3, 3).unwrap());
    }

    #[test]
    fn an_appeal_counts_on_its_points_own_day() {
        // 19:30 UTC is 22:30 in Moscow: still the 2nd there
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 19, 30, 0).unwrap();
        let moscow = zone_of("Europe/Moscow");
        assert_eq!(moscow, chrono_tz::Europe::Moscow);
        assert_eq!(
            local_date_in(at, moscow),
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
        );
        assert_eq!(zone_of("Mars/Olympus"), REGION_TZ);
    }

    #[test]
    fn call_sets_desk_and_time_transfer_clears_desk() {
        let at = Utc::now();
        let id = Uuid::now_v7();
        let call = EventBody::TicketCalled(TicketAtDesk {
            ticket_id: id,
            desk: 3,
        });
        match change_of(&rec(&call, at), &call, REGION_TZ).unwrap() {
            Change::TicketMoved(TicketMoved {
                state,
                desk,
                called_at,
                ..
            }) => {
                assert_eq!(
                    (state, desk, called_at),
                    (TicketState::Called, Some(3), Some(at))
                );
            }
            other => panic!("{other:?}"),
        }
        let tr = EventBody::TicketTransferred(TicketTransferred {
            ticket_id: id,
            category: CategoryId::new("roads"),
            desk: None,
        });
        let c = change_of(&rec(&tr, at), &tr, REGION_TZ).unwrap();
        assert!(c.touches_queue());
        assert!(matches!(
            c,
            Change::TicketMoved(TicketMoved { clear_desk: true, state: TicketState::Waiting, category: Some(ref cat), .. }) if cat == "roads"
        ));
    }
}
