//! The published figures of a point for a period.

use super::staff::{self, LoginOutcome};
use super::{AppError, AppResult, Context};
use crate::domain::Actor;
use crate::domain::event::{EventBody, PersonalDataExported};
use crate::domain::pause;
use crate::domain::report::{self, GroupBy, Report, period};
use crate::store::appeals::{self, AppealRow};
use crate::store::{Store, pauses, report as facts};
use chrono::{DateTime, NaiveDate, Utc};

/// The report of this point, as of the end of the period (or now, if the
/// period has not ended).
pub fn local(
    store: &Store,
    ctx: &Context,
    from: NaiveDate,
    to: NaiveDate,
    by: Option<GroupBy>,
    now: DateTime<Utc>,
) -> AppResult<Report> {
    let period = period(from, to, ctx.tz())?;
    let conn = store.conn();
    let appeals = facts::appeal_facts(conn, ctx.point_id(), &period, ctx.tz())?;
    let tickets = facts::ticket_facts(conn, ctx.point_id(), &period)?;
    let sessions = facts::session_facts(conn, &period)?;
    let marks = pauses::marks(conn, ctx.point_id(), period.start, period.end)?;
    Ok(report::compute(
        period,
        &appeals,
        &tickets,
        &sessions,
        &pause::pauses(&marks, ctx.tz(), now),
        &ctx.wait_limit(),
        by,
        ctx.service_date(now),
    ))
}

/// The point's report as `qabyldau report` prints and exports it: the
/// figures the server computes the same way (`local`), and the point's own
/// count of appeals whose citizen was erased in the period.
pub fn local_with_erasures(
    store: &Store,
    ctx: &Context,
    from: NaiveDate,
    to: NaiveDate,
    by: Option<GroupBy>,
    now: DateTime<Utc>,
) -> AppResult<Report> {
    let mut r = local(store, ctx, from, to, by, now)?;
    let (for_age, on_request) =
        crate::store::personal::erased_between(store.conn(), r.period.start, r.period.end)?;
    r.erasures = Some(report::ErasureFigures {
        for_age,
        on_request,
    });
    Ok(r)
}

/// What a report screen shows: the figures with appeals by topic, and the
/// appeals received on each day of the period, for the sparkline.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenReport {
    pub report: Report,
    /// Appeals received per local day, `from` first; adds up to
    /// `report.appeals.received`.
    pub daily: Vec<u64>,
}

/// The report of this point for a screen, from one read of the facts.
pub fn for_screen(
    store: &Store,
    ctx: &Context,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<ScreenReport> {
    let period = period(from, to, ctx.tz())?;
    // one read transaction: the three reads see the same moment, however
    // busy the desks are while a long period is read
    let (appeals, tickets, sessions, marks) = crate::store::today::snapshot(store, |db| {
        let conn = crate::store::Read::conn(db);
        Ok((
            facts::appeal_facts(conn, ctx.point_id(), &period, ctx.tz())?,
            facts::ticket_facts(conn, ctx.point_id(), &period)?,
            facts::session_facts(conn, &period)?,
            pauses::marks(conn, ctx.point_id(), period.start, period.end)?,
        ))
    })?;
    let daily = report::received_per_day(&period, &appeals);
    Ok(ScreenReport {
        report: report::compute(
            period,
            &appeals,
            &tickets,
            &sessions,
            &pause::pauses(&marks, ctx.tz(), now),
            &ctx.wait_limit(),
            Some(GroupBy::Category),
            ctx.service_date(now),
        ),
        daily,
    })
}

/// The appeals received in the period, oldest first, for the list an
/// export can carry.
pub fn appeals_of(
    store: &Store,
    ctx: &Context,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<AppealRow>> {
    let period = period(from, to, ctx.tz())?;
    Ok(appeals::received_between(
        store.conn(),
        period.start,
        period.end,
    )?)
}

/// Why an export with personal data was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportRefused {
    #[error("wrong login or PIN")]
    WrongLogin,
    #[error("this login is locked for a few minutes after wrong PINs")]
    Locked,
    #[error("personal data is exported only by a supervisor or an administrator")]
    NotSupervisor,
}

/// Lets a supervisor export personal data: checks the login and PIN (the
/// attempt is an event, as at the desk) and records the export itself as an
/// event before anything is written, so no export goes unaccounted.
#[allow(clippy::too_many_arguments)]
pub fn record_personal_export(
    store: &mut Store,
    login: &str,
    pin: &str,
    from: NaiveDate,
    to: NaiveDate,
    format: &str,
    appeals: u64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let who = match staff::log_in(store, login, pin, None, now)? {
        LoginOutcome::Welcome { login, role, .. } if role.can_supervise() => login,
        LoginOutcome::Welcome { .. } => return Err(AppError::Export(ExportRefused::NotSupervisor)),
        LoginOutcome::Locked { .. } => return Err(AppError::Export(ExportRefused::Locked)),
        LoginOutcome::WrongPin { .. } | LoginOutcome::Refused | LoginOutcome::NoLogins => {
            return Err(AppError::Export(ExportRefused::WrongLogin));
        }
    };
    store.write(&Actor::staff(who.as_str()), now, |w| -> AppResult<()> {
        w.append(&EventBody::PersonalDataExported(PersonalDataExported {
            login: who.clone(),
            from,
            to,
            format: format.to_string(),
            appeals,
        }))?;
        Ok(())
    })
}

/// An appeal as a list in an export shows it. Who brought it and what they
/// wrote are personal data: present only in an export a supervisor asked
/// for with personal data.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ListedAppeal {
    pub number: crate::domain::AppealNo,
    pub received_at: DateTime<Utc>,
    pub category: crate::domain::CategoryId,
    pub kind: crate::domain::AppealKind,
    pub channel: crate::domain::Channel,
    pub outcome: crate::domain::Outcome,
    pub redirected_to: Option<String>,
    pub deadline: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal: Option<PersonalData>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PersonalData {
    /// The citizen's data was erased at their request or for age: the
    /// fields below are empty, and an export says so.
    pub erased: bool,
    pub text_erased: bool,
    pub name: Option<String>,
    pub iin: Option<String>,
    pub phone: Option<String>,
    pub settlement: Option<String>,
    pub workplace: Option<String>,
    pub text: String,
}

impl ListedAppeal {
    pub fn new(row: AppealRow, with_personal_data: bool) -> ListedAppeal {
        let personal = with_personal_data.then_some(PersonalData {
            erased: row.citizen_erased_at.is_some(),
            text_erased: row.text_erased_at.is_some(),
            name: row.citizen_name,
            iin: row.citizen_iin,
            phone: row.citizen_phone,
            settlement: row.settlement,
            workplace: row.workplace,
            text: row.text,
        });
        ListedAppeal {
            number: row.number,
            received_at: row.received_at,
            category: row.category,
            kind: row.kind,
            channel: row.channel,
            outcome: row.outcome,
            redirected_to: row.redirected_to,
            deadline: row.deadline,
            personal,
        }
    }
}
