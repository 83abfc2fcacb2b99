//! The region's side of the way back (docs/REGION.md): who of the region's
//! staff may do what, and the decisions and directives they make. The CLI
//! (`server appeal decide`, `server campaign`) and, later, the regional
//! desk's API call these, so the rules are written once.

use super::storage::region::{
    AppealDecision, Audience, Decided, ErasureRequest, StaffLogin, StaffRecord,
};
use super::storage::{ALL_REGIONS, Storage, StorageError};
use crate::domain::event::{CampaignModeSet, ErasureGround, LoginResult, RegionDecision};
use crate::domain::staff::{RegionRole, locked_until};
use crate::domain::{AppealText, FullAppealNo, Outcome, PointId, ShortText};
use chrono::{DateTime, Utc};

pub use crate::domain::event::REGION_ADMIN as ADMIN;

#[derive(Debug, thiserror::Error)]
pub enum RegionError {
    #[error("no such login at the region: {0}")]
    UnknownLogin(String),
    #[error("wrong PIN for {login} ({left} tries left before the login is locked)")]
    WrongPin { login: String, left: u32 },
    #[error("the login {login} is locked after too many wrong PINs until {until} (UTC)")]
    Locked { login: String, until: DateTime<Utc> },
    #[error("the login {0} is disabled")]
    Disabled(String),
    #[error("a {role} of the region reads, and cannot decide on appeals")]
    CannotDecide { role: &'static str },
    #[error("{login} works for the region {theirs}; point {point} is in the region {region}")]
    OutsideRegion {
        login: String,
        theirs: String,
        point: PointId,
        region: String,
    },
    #[error("no point {0} is registered at this server")]
    NoSuchPoint(PointId),
    #[error("the server holds no appeal {0} (has the point forwarded it?)")]
    NoSuchAppeal(FullAppealNo),
    #[error("appeal {appeal} is {from}: it cannot be set to {to}")]
    Illegal {
        appeal: FullAppealNo,
        from: Outcome,
        to: Outcome,
    },
    #[error("a redirected appeal names the state body it went to (--body)")]
    MissingBody,
    #[error("a state body (--body) goes only with the outcome redirected")]
    BodyWithoutRedirect,
    #[error("the login's stored role is not one this program knows: {0}")]
    BadRole(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// A member of the region's staff whose PIN was right just now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub login: String,
    pub name: String,
    pub role: RegionRole,
    pub region: String,
}

impl Staff {
    fn of(record: &StaffRecord) -> Result<Staff, RegionError> {
        Ok(Staff {
            login: record.login.clone(),
            name: record.name.clone(),
            role: record
                .role
                .parse()
                .map_err(|_| RegionError::BadRole(record.role.clone()))?,
            region: record.region.clone(),
        })
    }

    fn covers(&self, region: &str) -> bool {
        self.region == ALL_REGIONS || self.region == region
    }
}

/// Checks a login and PIN as the point's desk does: five wrong PINs in a
/// row lock the login for five minutes, and every attempt is recorded.
pub async fn log_in(
    storage: &dyn Storage,
    login: &str,
    pin: &str,
    now: DateTime<Utc>,
) -> Result<Staff, RegionError> {
    let typed = crate::domain::sanitize_line(login.trim());
    let found = storage.staff_login(typed.clone()).await?;
    let record = |result| storage.record_staff_attempt(typed.clone(), result, now);
    let Some(StaffLogin {
        record: staff,
        pin_hash,
        failed_pins,
        last_failed_at,
    }) = found
    else {
        record(LoginResult::UnknownLogin).await?;
        return Err(RegionError::UnknownLogin(typed));
    };
    if staff.disabled_at.is_some() {
        record(LoginResult::Disabled).await?;
        return Err(RegionError::Disabled(typed));
    }
    if let Some(until) = locked_until(failed_pins, last_failed_at, now) {
        record(LoginResult::Locked).await?;
        return Err(RegionError::Locked {
            login: typed,
            until,
        });
    }
    if !crate::domain::pin::verify(pin, &pin_hash) {
        record(LoginResult::WrongPin).await?;
        // the count restarts after an expired lock, as the storage keeps it
        let failed = if failed_pins >= crate::domain::staff::MAX_WRONG_PINS {
            1
        } else {
            failed_pins + 1
        };
        return Err(RegionError::WrongPin {
            login: typed,
            left: crate::domain::staff::MAX_WRONG_PINS.saturating_sub(failed),
        });
    }
    record(LoginResult::Ok).await?;
    Staff::of(&staff)
}

/// What a decision asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionRequest {
    pub appeal: FullAppealNo,
    pub outcome: Outcome,
    /// The state body, for a redirected appeal.
    pub body: Option<ShortText>,
    /// The answer given to the citizen.
    pub answer: Option<AppealText>,
}

/// A decision on an appeal of one of the staff member's points. Returns the
/// `rseq` under which the point will receive it.
pub async fn decide(
    storage: &dyn Storage,
    staff: &Staff,
    request: DecisionRequest,
    now: DateTime<Utc>,
) -> Result<u64, RegionError> {
    let point = request.appeal.point.clone();
    point_of_theirs(storage, staff, &point).await?;
    match (
        request.outcome == Outcome::Redirected,
        request.body.is_some(),
    ) {
        (true, false) => return Err(RegionError::MissingBody),
        (false, true) => return Err(RegionError::BodyWithoutRedirect),
        _ => {}
    }
    let decided = storage
        .decide(AppealDecision {
            point,
            number: request.appeal.number.to_string(),
            outcome: request.outcome,
            redirected_to: request.body,
            answer: request.answer,
            by: staff.login.clone(),
            by_name: Some(staff.name.clone()),
            at: now,
        })
        .await?;
    match decided {
        Decided::Made { rseq, .. } => Ok(rseq),
        Decided::NoSuchAppeal => Err(RegionError::NoSuchAppeal(request.appeal)),
        Decided::Illegal { from } => Err(RegionError::Illegal {
            appeal: request.appeal,
            from,
            to: request.outcome,
        }),
    }
}

/// The point's registration, if the staff member may act on its appeals.
async fn point_of_theirs(
    storage: &dyn Storage,
    staff: &Staff,
    point: &PointId,
) -> Result<(), RegionError> {
    if !staff.role.can_decide() {
        return Err(RegionError::CannotDecide {
            role: staff.role.as_str(),
        });
    }
    let points = storage.list_points().await?;
    let Some(registered) = points.iter().find(|p| p.id == point.as_str()) else {
        return Err(RegionError::NoSuchPoint(point.clone()));
    };
    if !staff.covers(&registered.region) {
        return Err(RegionError::OutsideRegion {
            login: staff.login.clone(),
            theirs: staff.region.clone(),
            point: point.clone(),
            region: registered.region.clone(),
        });
    }
    Ok(())
}

/// The citizen who brought `appeal` withdrew their consent at the region:
/// the point erases them (all their appeals there) when it applies this.
/// The server holds no key of theirs to delete. Returns the `rseq`.
pub async fn erase_citizen(
    storage: &dyn Storage,
    staff: &Staff,
    appeal: FullAppealNo,
    texts: bool,
    request: ShortText,
    now: DateTime<Utc>,
) -> Result<u64, RegionError> {
    point_of_theirs(storage, staff, &appeal.point).await?;
    storage
        .erase_citizen(ErasureRequest {
            point: appeal.point.clone(),
            number: appeal.number.to_string(),
            texts,
            ground: ErasureGround::ConsentWithdrawn { request },
            by: staff.login.clone(),
            by_name: Some(staff.name.clone()),
            at: now,
        })
        .await?
        .ok_or(RegionError::NoSuchAppeal(appeal))
}

/// How long the points of `region` (`None`: every region) keep personal
/// data: a directive that takes the place of their `[retention] years`.
pub async fn retention(
    storage: &dyn Storage,
    years: u32,
    region: Option<String>,
    now: DateTime<Utc>,
) -> Result<Vec<PointId>, RegionError> {
    let set = crate::domain::event::RetentionSet { years };
    directive(storage, RegionDecision::RetentionSet(set), region, now).await
}

/// Campaign mode switched on or off for every point of `region` (`None`:
/// every region); the points reached.
pub async fn campaign(
    storage: &dyn Storage,
    on: bool,
    region: Option<String>,
    now: DateTime<Utc>,
) -> Result<Vec<PointId>, RegionError> {
    let set = CampaignModeSet { on };
    directive(storage, RegionDecision::CampaignModeSet(set), region, now).await
}

/// A directive of the server's administrator to every point of `region`
/// (`None`: every region); the points reached.
async fn directive(
    storage: &dyn Storage,
    decision: RegionDecision,
    region: Option<String>,
    now: DateTime<Utc>,
) -> Result<Vec<PointId>, RegionError> {
    let audience = region.map_or(Audience::Everyone, Audience::Region);
    Ok(storage
        .publish(audience, ADMIN.to_string(), decision, now)
        .await?)
}
