//! The query of `GET /api/v1/report`; the answer is a
//! `domain::report::Report`, the same JSON as a point's own report.

use crate::domain::report::GroupBy;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub point: Option<String>,
    /// Break the appeal figures down: category, channel, kind, point, desk,
    /// operator or month.
    #[serde(default)]
    pub by: Option<GroupBy>,
    /// The waiting limit "waited over the limit" counts against; the
    /// points' default (30) when not given.
    #[serde(default)]
    pub wait_limit_minutes: Option<u32>,
    /// Topics' own waiting limits, `legal:15,housing:20`
    /// (`WaitLimits::categories_text`).
    #[serde(default)]
    pub wait_limits: Option<String>,
}

/// A point's default waiting limit, which a report at the server counts
/// against unless asked otherwise.
pub const DEFAULT_WAIT_LIMIT_MINUTES: u32 = 30;
