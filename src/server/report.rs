//! The figures of `GET /api/v1/report`: the storage's facts of the period,
//! computed by the same `domain::report::compute` as a point's own report,
//! so the region and the point count alike (docs/REPORTS.md).

use super::storage::{FactsQuery, Storage, StorageResult};
use crate::domain::report::{GroupBy, Report, compute};
use chrono::NaiveDate;

/// The report for `query`, broken down `by`, with deadlines judged as of
/// `today` (the region's date).
pub async fn figures(
    storage: &dyn Storage,
    query: FactsQuery,
    by: Option<GroupBy>,
    today: NaiveDate,
) -> StorageResult<Report> {
    let period = query.period;
    let wait_limits = query.wait_limits.clone();
    let facts = storage.report_facts(query).await?;
    Ok(compute(
        period,
        &facts.appeals,
        &facts.tickets,
        &facts.sessions,
        // an open pause counts up to now (the server's clock)
        &crate::domain::pause::pauses(
            &facts.pause_marks,
            super::projection::REGION_TZ,
            chrono::Utc::now(),
        ),
        &wait_limits,
        by,
        today,
    ))
}
