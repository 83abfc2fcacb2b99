//! What every use case needs to know about the point it runs at.

use crate::config::Config;
use crate::domain::{Catalogue, PointId, PointKind};
use crate::store::{self, Store};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone)]
pub struct Context {
    pub config: Config,
    pub catalogue: &'static Catalogue,
}

impl Context {
    pub fn new(config: Config) -> Self {
        Context {
            config,
            catalogue: Catalogue::builtin(),
        }
    }

    pub fn point_id(&self) -> &PointId {
        &self.config.point.id
    }

    pub fn point_kind(&self) -> PointKind {
        self.config.point.kind
    }

    pub fn tz(&self) -> Tz {
        self.config.point.timezone
    }

    /// The service day `at` falls on, in the point's time zone.
    pub fn service_date(&self, at: DateTime<Utc>) -> NaiveDate {
        crate::domain::ticket::service_date(at, self.tz())
    }

    /// The point's waiting limits, a topic's own where the config has one.
    pub fn wait_limit(&self) -> crate::domain::queue::WaitLimits {
        crate::domain::queue::WaitLimits {
            minutes: self.config.queue.wait_limit_minutes,
            by_category: self.config.queue.wait_limits.clone(),
        }
    }

    /// The opening hours, if the config has them.
    pub fn hours(&self) -> Option<crate::domain::hours::Hours> {
        self.config.hours.as_ref().map(|h| h.hours())
    }

    /// Local time at the point.
    pub fn local(&self, at: DateTime<Utc>) -> chrono::NaiveDateTime {
        at.with_timezone(&self.tz()).naive_local()
    }

    /// Campaign mode as an admin last set it (an event), or else as configured.
    /// How many years personal data is kept after a citizen's last appeal
    /// closed: the region's directive when one arrived, else `[retention]`.
    pub fn retention_years(&self, store: &Store) -> store::Result<u32> {
        Ok(
            store::settings::get(store.conn(), store::settings::RETENTION_YEARS)?
                .and_then(|y| y.parse().ok())
                .unwrap_or(self.config.retention.years),
        )
    }

    pub fn campaign_mode(&self, store: &Store) -> store::Result<bool> {
        Ok(
            match store::settings::get(store.conn(), store::settings::CAMPAIGN_MODE)? {
                Some(v) => v == "1",
                None => self.config.kiosk.campaign_mode,
            },
        )
    }
}
