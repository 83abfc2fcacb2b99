//! The kiosk's sense of time: the system clock in use, a hand-moved one in
//! tests, so idle timeouts and dates are tested without waiting.

use chrono::{DateTime, Utc};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A hand-moved clock's reading: monotonic and wall time together.
type Reading = (Instant, DateTime<Utc>);

#[derive(Debug, Clone, Default)]
pub struct Clock(Option<Arc<Mutex<Reading>>>);

impl Clock {
    pub fn system() -> Self {
        Clock(None)
    }

    /// A clock that stands still at `utc` until `advance` moves it.
    pub fn manual(utc: DateTime<Utc>) -> Self {
        Clock(Some(Arc::new(Mutex::new((Instant::now(), utc)))))
    }

    pub fn instant(&self) -> Instant {
        match &self.0 {
            None => Instant::now(),
            Some(m) => m.lock().map(|g| g.0).unwrap_or_else(|e| e.into_inner().0),
        }
    }

    pub fn utc(&self) -> DateTime<Utc> {
        match &self.0 {
            None => Utc::now(),
            Some(m) => m.lock().map(|g| g.1).unwrap_or_else(|e| e.into_inner().1),
        }
    }

    /// Moves a manual clock forward (no effect on the system clock).
    pub fn advance(&self, by: Duration) {
        if let Some(m) = &self.0 {
            let mut g = m.lock().unwrap_or_else(|e| e.into_inner());
            g.0 += by;
            g.1 += chrono::Duration::from_std(by).unwrap_or_default();
        }
    }
}
