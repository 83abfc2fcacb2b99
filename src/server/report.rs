//! The figures of `GET /api/v1/report`: the storage's facts of the period,
//! computed by the same `domain::report::compute` as a point's own report,
//! so the region and the point count alike (docs/REPORTS.md).
//!
//! Each point's days are its own: the period `from..=to` is a span of local
//! dates, and a point in another zone than the region's begins and ends it
//! at its own midnight, as its own report does. The facts are read zone by
//! zone (each point is in one) and counted together.

use super::projection::{REGION_TZ, local_date, local_date_in, zone_of};
use super::storage::{FactsQuery, Scope, Storage, StorageError, StorageResult};
use crate::domain::queue::WaitLimits;
use crate::domain::report::{Facts, GroupBy, Report, compute, period};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeSet;

#[derive(Debug, thiserror::Error)]
pub enum FiguresError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The dates make no period.
    #[error(transparent)]
    Period(#[from] crate::domain::report::BadPeriod),
}

/// The report of the points in `scope` for the local dates `from..=to`,
/// each point's dates in its own zone. Deadlines are judged as of today
/// where the points are; when they are in several zones, as of the
/// region's today (one "today" for one report).
pub async fn figures_of_points(
    storage: &dyn Storage,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
    by: Option<GroupBy>,
    wait_limits: &WaitLimits,
    now: DateTime<Utc>,
) -> Result<Report, FiguresError> {
    let zones = zones(storage, scope).await?;
    let mut facts = Facts::default();
    let mut pauses = Vec::new();
    for zone in &zones {
        let f = storage
            .report_facts(FactsQuery {
                period: period(from, to, zone_of(zone))?,
                region: scope.region.clone(),
                point: scope.point.as_ref().map(|p| p.to_string()),
                timezone: zone.clone(),
                wait_limits: wait_limits.clone(),
            })
            .await?;
        facts.appeals.extend(f.appeals);
        facts.tickets.extend(f.tickets);
        facts.sessions.extend(f.sessions);
        // a pause's day is the point's own; an open one counts up to now
        pauses.extend(crate::domain::pause::pauses(
            &f.pause_marks,
            zone_of(zone),
            now,
        ));
    }
    // one zone's facts come in time order; several are merged into it
    if zones.len() > 1 {
        facts.appeals.sort_by_key(|a| a.received_at);
    }
    // the report shows only the local dates of its period, the same in
    // every zone; its UTC bounds were each zone's own, above
    let (tz, today) = match zones.as_slice() {
        [one] => (zone_of(one), local_date_in(now, zone_of(one))),
        _ => (REGION_TZ, local_date(now)),
    };
    Ok(compute(
        period(from, to, tz)?,
        &facts.appeals,
        &facts.tickets,
        &facts.sessions,
        &pauses,
        wait_limits,
        by,
        today,
    ))
}

/// The zones of the points in `scope`, as their rows name them; the
/// region's when there are none (an empty report is still a report).
async fn zones(storage: &dyn Storage, scope: &Scope) -> StorageResult<Vec<String>> {
    let zones: BTreeSet<String> = storage
        .list_points()
        .await?
        .into_iter()
        .filter(|p| {
            scope.region.as_deref().is_none_or(|r| r == p.region)
                && scope.point.as_ref().is_none_or(|id| id.as_str() == p.id)
        })
        .map(|p| p.timezone)
        .collect();
    if zones.is_empty() {
        return Ok(vec![REGION_TZ.name().to_string()]);
    }
    Ok(zones.into_iter().collect())
}
