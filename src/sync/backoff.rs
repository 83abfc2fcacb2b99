//! Exponential backoff with full jitter: after the n-th failure in a row,
//! wait a random time between 0 and `min(cap, base · 2ⁿ)`. Many points
//! coming back after an outage then spread out instead of knocking on the
//! server together. A server's `Retry-After` is a floor.
//!
//! Why not `backon`: its jitter adds up to one more delay on top (a wait
//! between d and 2d), not full jitter from zero, and its `retry` drives the
//! future itself, while the forwarder and the board need each delay as a
//! value (the screen says "next try in 40 s", `sync_state` keeps it, a
//! refused token waits long) with the server's `Retry-After` as a floor.
//! What is left to write is this file.

use rand::Rng;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    failures: u32,
}

impl Backoff {
    pub fn new(base: Duration, cap: Duration) -> Self {
        Backoff {
            base,
            cap,
            failures: 0,
        }
    }

    pub fn reset(&mut self) {
        self.failures = 0;
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The ceiling of the next wait: `min(cap, base · 2^failures)`.
    pub fn ceiling(&self) -> Duration {
        let factor = 2u32.saturating_pow(self.failures.min(30));
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// Counts a failure and draws the wait before the next attempt.
    pub fn next_delay(&mut self, rng: &mut impl Rng, retry_after: Option<Duration>) -> Duration {
        let ceiling = self.ceiling();
        self.failures = self.failures.saturating_add(1);
        let jitter = Duration::from_millis(rng.random_range(0..=ceiling.as_millis() as u64));
        match retry_after {
            Some(floor) => jitter.max(floor.min(self.cap)),
            None => jitter,
        }
    }

    /// Counts a failure that will not heal by itself soon (a revoked
    /// token, a conflict): wait near the cap.
    pub fn give_up_for_now(&mut self) {
        self.failures = self.failures.max(30);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn ceiling_doubles_up_to_the_cap() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(600));
        let mut rng = StdRng::seed_from_u64(7);
        let mut ceilings = vec![];
        for _ in 0..12 {
            ceilings.push(b.ceiling().as_secs());
            let d = b.next_delay(&mut rng, None);
            assert!(d <= Duration::from_secs(600));
        }
        assert_eq!(&ceilings[..4], &[1, 2, 4, 8]);
        assert_eq!(*ceilings.last().unwrap(), 600);
        b.reset();
        assert_eq!(b.ceiling(), Duration::from_secs(1));
    }

    #[test]
    fn delays_are_spread_not_equal() {
        let mut rng = StdRng::seed_from_u64(1);
        let delays: Vec<Duration> = (0..50)
            .map(|_| {
                let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(600));
                for _ in 0..5 {
                    b.next_delay(&mut rng, None);
                }
                b.next_delay(&mut rng, None)
            })
            .collect();
        let distinct: std::collections::HashSet<_> = delays.iter().collect();
        assert!(distinct.len() > 40, "full jitter spreads the retries");
        assert!(delays.iter().all(|d| *d <= Duration::from_secs(32)));
    }

    #[test]
    fn retry_after_is_a_floor_within_the_cap() {
        let mut rng = StdRng::seed_from_u64(3);
        let mut b = Backoff::new(Duration::from_millis(10), Duration::from_secs(600));
        let d = b.next_delay(&mut rng, Some(Duration::from_secs(30)));
        assert!(d >= Duration::from_secs(30));
        let d = b.next_delay(&mut rng, Some(Duration::from_secs(100_000)));
        assert_eq!(d, Duration::from_secs(600));
    }

    #[test]
    fn giving_up_waits_near_the_cap() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(600));
        b.give_up_for_now();
        assert_eq!(b.ceiling(), Duration::from_secs(600));
    }
}
