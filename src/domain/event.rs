//! The event log: every change at a point is one event. Events are what the
//! point forwards to the region and what every table is rebuilt from, so
//! their payloads carry everything needed and never change meaning: a new
//! meaning is a new `kind` or a new `version`.

use super::appeal::{AppealKind, AppealNo, Channel, Citizen, Outcome};
use super::category::CategoryId;
use super::lang::Lang;
use super::personal::{Personal, SubjectId};
use super::point::PointId;
use super::staff::Login;
// `StaffAdded` carries a role: its readers find it beside the event
pub use super::staff::Role;
use super::text::{AppealText, PersonName, ShortText};
use super::ticket::{Priority, TicketNo};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The payload schema version this binary writes.
pub const PAYLOAD_VERSION: u32 = 1;

/// A desk's number as shown on the board.
pub type DeskNo = u16;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum EventBody {
    TicketTaken(TicketTaken),
    TicketCalled(TicketAtDesk),
    TicketRecalled(TicketAtDesk),
    TicketServing(TicketAtDesk),
    TicketNoShow(TicketRef),
    TicketTransferred(TicketTransferred),
    TicketFinished(TicketRef),
    TicketCancelled(TicketRef),
    /// Still waiting when the point closed: not served, and no no-show.
    TicketClosed(TicketRef),
    /// A no-show back in the line, the same day (`TicketMove::Return`).
    TicketReturned(TicketRef),
    AppealRecorded(Box<AppealRecorded>),
    AppealOutcomeSet(AppealOutcomeSet),
    AppealControlSet(AppealControlSet),
    AppealDeadlineExtended(AppealDeadlineExtended),
    AppealFollowUp(AppealNote),
    SessionOpened(SessionOpened),
    SessionClosed(SessionRef),
    StaffAdded(StaffAdded),
    StaffDisabled(StaffRef),
    LoginAttempted(LoginAttempted),
    CampaignModeSet(CampaignModeSet),
    PersonalDataExported(PersonalDataExported),
    /// A citizen's personal data made unreadable: who asked and why, never
    /// what was erased.
    CitizenErased(CitizenErased),
    /// A staff member opened an appeal's card showing its citizen: who
    /// looked at whose data is accounted for, as exports are.
    PersonalDataViewed(PersonalDataViewed),
    DocumentPrinted(DocumentPrinted),
    PrintFailed(PrintFailed),
    DeskPaused(DeskPaused),
    DeskResumed(DeskRef),
    /// Something the region decided for this point, as the point applied it.
    FromRegion(Box<FromRegion>),
}

impl EventBody {
    /// Every `kind` this binary knows, so a receiver can tell an unknown
    /// kind (a newer sender) from a damaged payload of a known one.
    pub const KINDS: &'static [&'static str] = &[
        "ticket_taken",
        "ticket_called",
        "ticket_recalled",
        "ticket_serving",
        "ticket_no_show",
        "ticket_transferred",
        "ticket_finished",
        "ticket_cancelled",
        "appeal_recorded",
        "appeal_outcome_set",
        "appeal_control_set",
        "appeal_deadline_extended",
        "appeal_follow_up",
        "session_opened",
        "session_closed",
        "staff_added",
        "staff_disabled",
        "login_attempted",
        "campaign_mode_set",
        "personal_data_exported",
        "citizen_erased",
        "personal_data_viewed",
        "document_printed",
        "print_failed",
        "desk_paused",
        "desk_resumed",
        "ticket_closed",
        "ticket_returned",
        "from_region",
    ];

    /// The `kind` column: the serde tag of the variant.
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::TicketTaken(_) => "ticket_taken",
            EventBody::TicketCalled(_) => "ticket_called",
            EventBody::TicketRecalled(_) => "ticket_recalled",
            EventBody::TicketServing(_) => "ticket_serving",
            EventBody::TicketNoShow(_) => "ticket_no_show",
            EventBody::TicketTransferred(_) => "ticket_transferred",
            EventBody::TicketFinished(_) => "ticket_finished",
            EventBody::TicketCancelled(_) => "ticket_cancelled",
            EventBody::AppealRecorded(_) => "appeal_recorded",
            EventBody::AppealOutcomeSet(_) => "appeal_outcome_set",
            EventBody::AppealControlSet(_) => "appeal_control_set",
            EventBody::AppealDeadlineExtended(_) => "appeal_deadline_extended",
            EventBody::AppealFollowUp(_) => "appeal_follow_up",
            EventBody::SessionOpened(_) => "session_opened",
            EventBody::SessionClosed(_) => "session_closed",
            EventBody::StaffAdded(_) => "staff_added",
            EventBody::StaffDisabled(_) => "staff_disabled",
            EventBody::LoginAttempted(_) => "login_attempted",
            EventBody::CampaignModeSet(_) => "campaign_mode_set",
            EventBody::PersonalDataExported(_) => "personal_data_exported",
            EventBody::CitizenErased(_) => "citizen_erased",
            EventBody::PersonalDataViewed(_) => "personal_data_viewed",
            EventBody::DocumentPrinted(_) => "document_printed",
            EventBody::PrintFailed(_) => "print_failed",
            EventBody::DeskPaused(_) => "desk_paused",
            EventBody::DeskResumed(_) => "desk_resumed",
            EventBody::TicketClosed(_) => "ticket_closed",
            EventBody::TicketReturned(_) => "ticket_returned",
            EventBody::FromRegion(_) => "from_region",
        }
    }

    /// The payload alone, as stored in the `payload` column.
    pub fn payload(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).expect("event bodies serialise");
        v.get_mut("data")
            .map(serde_json::Value::take)
            .unwrap_or(serde_json::Value::Null)
    }

    /// Rebuilds a body from its stored columns.
    pub fn from_parts(kind: &str, payload: serde_json::Value) -> Result<Self, serde_json::Error> {
        serde_json::from_value(serde_json::json!({ "kind": kind, "data": payload }))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketTaken {
    pub ticket_id: Uuid,
    pub number: TicketNo,
    pub service_date: NaiveDate,
    pub category: CategoryId,
    pub priority: Priority,
    pub lang: Lang,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketAtDesk {
    pub ticket_id: Uuid,
    pub desk: DeskNo,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketRef {
    pub ticket_id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketTransferred {
    pub ticket_id: Uuid,
    pub category: CategoryId,
    /// A desk the ticket is sent to; `None` means any desk serving the category.
    #[serde(default)]
    pub desk: Option<DeskNo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    pub responsible: PersonName,
    pub deadline: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppealRecorded {
    pub appeal_id: Uuid,
    pub number: AppealNo,
    pub kind: AppealKind,
    pub channel: Channel,
    pub category: CategoryId,
    /// `None` without consent to personal-data processing. Sealed as
    /// stored (`domain::personal`); in clear in events written before.
    pub citizen: Option<Personal<Citizen>>,
    pub consent: bool,
    /// Sealed as stored under a key of the appeal's own, so the text can
    /// be forgotten with or without the citizen.
    pub text: Personal<AppealText>,
    /// Who brought it, without saying who: the same for the same citizen
    /// at this point, kept when their data is erased. Set by the store when
    /// it seals; absent in events written before sealing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<SubjectId>,
    #[serde(default)]
    pub heard_by: Vec<PersonName>,
    #[serde(default)]
    pub ticket_id: Option<Uuid>,
    #[serde(default)]
    pub session_id: Option<Uuid>,
    #[serde(default)]
    pub desk: Option<DeskNo>,
    pub lang: Lang,
    pub outcome: Outcome,
    #[serde(default)]
    pub redirected_to: Option<ShortText>,
    #[serde(default)]
    pub control: Option<Control>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppealOutcomeSet {
    pub appeal_id: Uuid,
    pub outcome: Outcome,
    #[serde(default)]
    pub redirected_to: Option<ShortText>,
    #[serde(default)]
    pub note: Option<AppealText>,
    /// The time the change counts at (`appeal_state::seen_after`), when the
    /// clock's own was not after the outcome it replaced: a change made
    /// seeing the present outcome always counts as later than it, on both
    /// sides. Absent (and not written) in the usual case, so events before
    /// it hash as they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_at: Option<DateTime<Utc>>,
}

impl AppealOutcomeSet {
    /// When the change counts, given the time of the event that made it.
    pub fn counts_at(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        self.effective_at.unwrap_or(at)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppealControlSet {
    pub appeal_id: Uuid,
    /// `None` takes the appeal off control.
    pub control: Option<Control>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppealDeadlineExtended {
    pub appeal_id: Uuid,
    pub deadline: NaiveDate,
    pub reason: AppealText,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppealNote {
    pub appeal_id: Uuid,
    pub note: AppealText,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    /// A mobile reception in a village.
    Mobile,
    /// An on-site reception at an enterprise.
    OnSite,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionOpened {
    pub session_id: Uuid,
    pub kind: SessionKind,
    pub date: NaiveDate,
    pub place: ShortText,
    #[serde(default)]
    pub officials: Vec<PersonName>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRef {
    pub session_id: Uuid,
}

/// The PIN's hash stays on the point: it is not part of the event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffAdded {
    pub login: Login,
    pub name: PersonName,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffRef {
    pub login: Login,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginResult {
    Ok,
    WrongPin,
    /// Refused without checking the PIN: too many wrong ones lately.
    Locked,
    UnknownLogin,
    Disabled,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginAttempted {
    /// As typed (sanitised): an unknown login is recorded too.
    pub login: String,
    pub result: LoginResult,
    #[serde(default)]
    pub desk: Option<DeskNo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignModeSet {
    pub on: bool,
}

/// A supervisor exported citizens' personal data (a report with the list
/// of appeals and who brought them): who, which period, in what form, how
/// many appeals. The law asks that such processing can be accounted for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonalDataExported {
    pub login: Login,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub format: String,
    pub appeals: u64,
}

/// The appeal whose citizen was shown (the actor is who looked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonalDataViewed {
    pub appeal_id: Uuid,
}

/// Why a citizen's data was erased.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "ground", rename_all = "snake_case", deny_unknown_fields)]
pub enum ErasureGround {
    /// The citizen withdrew their consent; `request` is how they asked (a
    /// written request's number and date, or the staff member's words).
    ConsentWithdrawn { request: ShortText },
    /// Kept as long as needed: the appeals were closed more than `years`
    /// years before.
    Expired { years: u32 },
}

/// The appeals whose personal data was erased, by whom and why. The
/// appeals stay, anonymous, in every figure; the citizen's keys are
/// deleted with this event, so the sealed parts no longer open anywhere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CitizenErased {
    /// The citizens' pseudonyms at this point whose keys go (none for
    /// appeals recorded before sealing, or anonymous ones).
    #[serde(default)]
    pub subjects: Vec<SubjectId>,
    /// Every appeal erased (all of the citizen's, or the one named).
    pub appeals: Vec<Uuid>,
    /// The appeals' texts too, not only who brought them.
    pub texts: bool,
    pub ground: ErasureGround,
}

/// What a printer was given: a queue ticket, or an appeal's receipt. The
/// appointments issue adds a booking's slip as a third kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentRef {
    Ticket(Uuid),
    Receipt(Uuid),
}

/// Why a printer did not print, as far as the program can tell: the first
/// three are what the printer itself answers to a status request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrintFailure {
    PaperOut,
    CoverOpen,
    /// The printer says it is offline (or in error) for another reason.
    Offline,
    /// No such device file, or nothing listens at the address.
    NoDevice,
    /// The printer did not answer in time.
    Timeout,
    /// The connection broke or the device refused the data.
    Failed,
}

impl PrintFailure {
    pub const ALL: &'static [PrintFailure] = &[
        PrintFailure::PaperOut,
        PrintFailure::CoverOpen,
        PrintFailure::Offline,
        PrintFailure::NoDevice,
        PrintFailure::Timeout,
        PrintFailure::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PrintFailure::PaperOut => "paper_out",
            PrintFailure::CoverOpen => "cover_open",
            PrintFailure::Offline => "offline",
            PrintFailure::NoDevice => "no_device",
            PrintFailure::Timeout => "timeout",
            PrintFailure::Failed => "failed",
        }
    }
}

impl std::str::FromStr for PrintFailure {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PrintFailure::ALL
            .iter()
            .copied()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| format!("unknown print failure {s:?}"))
    }
}

/// A document came out of the printer (its status was fine after it).
/// `printer` is the printer's address as configured; `reprint` is a copy
/// asked for later (at the desk), not the one given when it was issued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentPrinted {
    pub document: DocumentRef,
    pub printer: ShortText,
    #[serde(default)]
    pub reprint: bool,
}

/// A document could not be printed, and why. The ticket or appeal it
/// belongs to was recorded before: only the paper is missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintFailed {
    pub document: DocumentRef,
    pub printer: ShortText,
    pub reason: PrintFailure,
    /// The system's own words (an OS error), sanitised, for the technician.
    #[serde(default)]
    pub detail: Option<ShortText>,
    #[serde(default)]
    pub reprint: bool,
}

/// Why a desk is not calling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PauseReason {
    Break,
    Paperwork,
    /// A citizen on the phone.
    Phone,
    /// Technical trouble: the computer, the printer, the network.
    Technical,
}

impl PauseReason {
    pub const ALL: [PauseReason; 4] = [
        PauseReason::Break,
        PauseReason::Paperwork,
        PauseReason::Phone,
        PauseReason::Technical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PauseReason::Break => "break",
            PauseReason::Paperwork => "paperwork",
            PauseReason::Phone => "phone",
            PauseReason::Technical => "technical",
        }
    }
}

impl std::fmt::Display for PauseReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for PauseReason {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PauseReason::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown pause reason {s:?}"))
    }
}

/// The operator paused the desk: it calls nobody until `desk_resumed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeskPaused {
    pub desk: DeskNo,
    pub reason: PauseReason,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeskRef {
    pub desk: DeskNo,
}

/// A decision of the region for one point, from the region's log for that
/// point (docs/REGION.md). On the wire it is what the server sends; in the
/// point's log it is the payload of the `from_region` event that applied
/// it, so the point's log stays the one truth of the point and the origin
/// (the region's sequence, its event, who decided and when) goes with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FromRegion {
    /// Gapless from 1 in the region's log for this point.
    pub rseq: u64,
    pub region_event_id: Uuid,
    /// When it was decided at the region: the moment that counts for the
    /// appeal's state (`appeal_state::Stamp`) and for the figures.
    pub at: DateTime<Utc>,
    /// The regional staff login, or `admin` for the server's commands.
    pub by: String,
    /// Their name as the region keeps it, for the point's screens.
    #[serde(default)]
    pub by_name: Option<String>,
    pub decision: RegionDecision,
}

impl FromRegion {
    /// The actor of the point's event that applies it.
    pub fn actor(&self) -> String {
        format!("{REGION_ACTOR_PREFIX}{}", self.by)
    }
}

/// Actors of events the region decided begin so ("region:sadyrbaeva").
pub const REGION_ACTOR_PREFIX: &str = "region:";

/// Who decides when an administrator runs a directive at the server itself
/// (the server's database is in their hands; no login is asked).
pub const REGION_ADMIN: &str = "admin";

/// What the region may decide for a point. A new kind of decision is a new
/// variant; a point that does not know it stops applying (it never skips
/// one) and says that it needs a newer version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum RegionDecision {
    /// An appeal's outcome set at the region (closed under control with the
    /// answer given in `note`, redirected, declined, reopened).
    AppealOutcomeSet(AppealOutcomeSet),
    /// A campaign directive: proposals only, from the next citizen on.
    CampaignModeSet(CampaignModeSet),
    /// The citizen who brought an appeal asked the region to be forgotten:
    /// the point erases them (all their appeals) as if asked at its desk.
    CitizenErased(RegionErasure),
    /// How long personal data is kept, for every point of a region: it
    /// takes the place of the point's `[retention] years`.
    RetentionSet(RetentionSet),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionSet {
    pub years: u32,
}

/// An erasure asked at the region, naming the appeal the region knows; the
/// point finds the citizen and their other appeals itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionErasure {
    pub appeal_id: Uuid,
    pub texts: bool,
    pub ground: ErasureGround,
}

impl RegionDecision {
    pub fn kind(&self) -> &'static str {
        match self {
            RegionDecision::AppealOutcomeSet(_) => "appeal_outcome_set",
            RegionDecision::CampaignModeSet(_) => "campaign_mode_set",
            RegionDecision::CitizenErased(_) => "citizen_erased",
            RegionDecision::RetentionSet(_) => "retention_set",
        }
    }
}

/// One event as stored and as sent to the regional server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRecord {
    pub point_id: PointId,
    pub seq: u64,
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub kind: String,
    pub version: u32,
    pub payload: serde_json::Value,
}

impl EventRecord {
    /// SHA-256 over the event's canonical JSON (keys sorted, as serde_json
    /// writes a `Value`'s maps). The server compares it to tell a harmless
    /// resend from a changed event under a known `seq`.
    pub fn content_hash(&self) -> String {
        let canonical = serde_json::to_value(self).expect("records serialise");
        let bytes = serde_json::to_vec(&canonical).expect("values serialise");
        hex::encode(Sha256::digest(&bytes))
    }

    pub fn body(&self) -> Result<EventBody, serde_json::Error> {
        EventBody::from_parts(&self.kind, self.payload.clone())
    }
}

/// Who made a change: a staff login, or the kiosk itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(String);

impl Actor {
    pub const KIOSK: &'static str = "kiosk";
    pub const SYSTEM: &'static str = "system";

    pub fn kiosk() -> Self {
        Actor(Self::KIOSK.into())
    }
    pub fn system() -> Self {
        Actor(Self::SYSTEM.into())
    }
    pub fn staff(login: &str) -> Self {
        Actor(format!("staff:{login}"))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> EventBody {
        EventBody::TicketTaken(TicketTaken {
            ticket_id: Uuid::now_v7(),
            number: TicketNo::new('Ж', 1),
            service_date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            category: CategoryId::new("housing"),
            priority: Priority::Veteran,
            lang: Lang::Kk,
        })
    }

    #[test]
    fn body_round_trips_through_columns() {
        let body = sample();
        let back = EventBody::from_parts(body.kind(), body.payload()).unwrap();
        assert_eq!(back, body);
    }

    #[test]
    fn kinds_lists_every_variant_tag() {
        // a tag serde does not know fails as "unknown variant"; a known one
        // fails on its (empty) payload instead
        for kind in EventBody::KINDS {
            let err = EventBody::from_parts(kind, serde_json::json!({})).unwrap_err();
            assert!(
                !err.to_string().contains("unknown variant"),
                "{kind}: {err}"
            );
        }
        let err = EventBody::from_parts("no_such_kind", serde_json::json!({})).unwrap_err();
        assert!(err.to_string().contains("unknown variant"), "{err}");
        assert!(EventBody::KINDS.contains(&sample().kind()));
    }

    #[test]
    fn unknown_payload_fields_refused() {
        let mut payload = sample().payload();
        payload["extra"] = serde_json::json!(1);
        assert!(EventBody::from_parts("ticket_taken", payload).is_err());
    }

    #[test]
    fn hash_changes_with_content() {
        let body = sample();
        let rec = EventRecord {
            point_id: PointId::parse("p1").unwrap(),
            seq: 1,
            id: Uuid::now_v7(),
            at: Utc::now(),
            actor: "kiosk".into(),
            kind: body.kind().into(),
            version: PAYLOAD_VERSION,
            payload: body.payload(),
        };
        let mut other = rec.clone();
        assert_eq!(rec.content_hash(), other.content_hash());
        other.actor = "staff:x".into();
        assert_ne!(rec.content_hash(), other.content_hash());
    }
}
