//! The published figures of a point for a period.

use super::{AppError, AppResult, Context};
use crate::domain::report::{self, GroupBy, Period, Report};
use crate::store::{Store, report as facts};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// The period of local dates `from..=to` in the point's time zone.
pub fn period(from: NaiveDate, to: NaiveDate, tz: Tz) -> AppResult<Period> {
    if to < from {
        return Err(AppError::BadPeriod { from, to });
    }
    let midnight = |d: NaiveDate| -> DateTime<Utc> {
        let local = d.and_hms_opt(0, 0, 0).expect("midnight exists");
        // Asia/Almaty has no daylight saving; `earliest` covers zones that do
        tz.from_local_datetime(&local)
            .earliest()
            .expect("a local midnight")
            .with_timezone(&Utc)
    };
    let next = to.succ_opt().ok_or(AppError::BadPeriod { from, to })?;
    Ok(Period {
        from,
        to,
        start: midnight(from),
        end: midnight(next),
    })
}

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
    Ok(report::compute(
        period,
        &appeals,
        &tickets,
        &sessions,
        by,
        ctx.service_date(now),
    ))
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
    let (appeals, tickets, sessions) = crate::store::today::snapshot(store.conn(), |conn| {
        Ok((
            facts::appeal_facts(conn, ctx.point_id(), &period, ctx.tz())?,
            facts::ticket_facts(conn, ctx.point_id(), &period)?,
            facts::session_facts(conn, &period)?,
        ))
    })?;
    let daily = report::received_per_day(&period, &appeals);
    Ok(ScreenReport {
        report: report::compute(
            period,
            &appeals,
            &tickets,
            &sessions,
            Some(GroupBy::Category),
            ctx.service_date(now),
        ),
        daily,
    })
}
