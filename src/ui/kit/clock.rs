//! The screens' sense of time: the system clock in use; in tests a clock
//! moved by hand, or read from the test's own source, so idle timeouts,
//! dates and the board's minute are tested without waiting.

use chrono::{DateTime, Utc};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A hand-moved clock's reading: monotonic and wall time together.
type Reading = (Instant, DateTime<Utc>);

#[derive(Clone, Default)]
pub struct Clock(Source);

#[derive(Clone, Default)]
enum Source {
    #[default]
    System,
    Manual(Arc<Mutex<Reading>>),
    /// Wall time from a function (a test's own clock); monotonic time is
    /// the system's.
    Read(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>),
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Source::System => f.write_str("Clock::System"),
            Source::Manual(_) => write!(f, "Clock::Manual({})", self.utc()),
            Source::Read(_) => write!(f, "Clock::Read({})", self.utc()),
        }
    }
}

impl Clock {
    pub fn system() -> Self {
        Clock(Source::System)
    }

    /// A clock that stands still at `utc` until `set` or `advance` moves it.
    pub fn manual(utc: DateTime<Utc>) -> Self {
        Clock(Source::Manual(Arc::new(Mutex::new((Instant::now(), utc)))))
    }

    /// The desk's name for a manual clock.
    pub fn fixed(utc: DateTime<Utc>) -> Self {
        Clock::manual(utc)
    }

    /// Wall time read from `now` at each look.
    pub fn from_fn(now: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        Clock(Source::Read(Arc::new(now)))
    }

    /// Monotonic time, for timeouts.
    pub fn instant(&self) -> Instant {
        match &self.0 {
            Source::System | Source::Read(_) => Instant::now(),
            Source::Manual(m) => lock(m).0,
        }
    }

    pub fn utc(&self) -> DateTime<Utc> {
        match &self.0 {
            Source::System => Utc::now(),
            Source::Manual(m) => lock(m).1,
            Source::Read(f) => f(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.utc()
    }

    /// Sets a manual clock's wall time (no effect on the others).
    pub fn set(&self, utc: DateTime<Utc>) {
        if let Source::Manual(m) = &self.0 {
            lock(m).1 = utc;
        }
    }

    /// Moves a manual clock forward, both readings (no effect on the others).
    pub fn advance(&self, by: Duration) {
        if let Source::Manual(m) = &self.0 {
            let mut g = lock(m);
            g.0 += by;
            g.1 += chrono::Duration::from_std(by).unwrap_or_default();
        }
    }
}

/// A poisoned lock still holds a valid reading: a clock never panics.
fn lock(m: &Mutex<Reading>) -> std::sync::MutexGuard<'_, Reading> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_manual_clock_moves_only_by_hand() {
        let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 5, 0, 0).unwrap();
        let c = Clock::manual(t0);
        let i0 = c.instant();
        assert_eq!(c.utc(), t0);
        c.advance(Duration::from_secs(90));
        assert_eq!(c.utc(), t0 + chrono::Duration::seconds(90));
        assert_eq!(c.instant() - i0, Duration::from_secs(90));
        c.set(t0);
        assert_eq!(c.now(), t0);
        // clones share the reading: the screen sees what the test moves
        let seen = c.clone();
        c.advance(Duration::from_secs(1));
        assert_eq!(seen.utc(), t0 + chrono::Duration::seconds(1));
    }

    #[test]
    fn a_clock_can_read_a_source() {
        let t = Arc::new(Mutex::new(
            Utc.with_ymd_and_hms(2026, 3, 2, 5, 0, 0).unwrap(),
        ));
        let src = Arc::clone(&t);
        let c = Clock::from_fn(move || *src.lock().unwrap());
        let later = Utc.with_ymd_and_hms(2026, 3, 2, 6, 0, 0).unwrap();
        *t.lock().unwrap() = later;
        assert_eq!(c.utc(), later);
    }
}
