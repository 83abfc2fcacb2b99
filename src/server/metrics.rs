//! Counters for `/metrics`, in the Prometheus text format. Labels are our
//! own words (route templates, error codes, point ids, which are restricted
//! to safe characters), never raw client input.

use crate::protocol::PointView;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    rejects: Mutex<BTreeMap<String, u64>>,
    pub events_ingested: AtomicU64,
    pub events_duplicate: AtomicU64,
    pub batches: AtomicU64,
}

impl Metrics {
    pub fn request(&self, method: &str, route: &str, status: u16) {
        let mut m = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        *m.entry((method.to_string(), route.to_string(), status))
            .or_default() += 1;
    }

    pub fn reject(&self, reason: &str) {
        let mut m = self.rejects.lock().unwrap_or_else(|p| p.into_inner());
        *m.entry(reason.to_string()).or_default() += 1;
    }

    pub fn rejects_of(&self, reason: &str) -> u64 {
        let m = self.rejects.lock().unwrap_or_else(|p| p.into_inner());
        m.get(reason).copied().unwrap_or(0)
    }

    /// The text of `/metrics`; `points` gives the per-point figures.
    pub fn render(&self, points: &[PointView]) -> String {
        let mut out = String::new();
        out.push_str("# HELP qabyldau_http_requests_total HTTP requests by route and status.\n");
        out.push_str("# TYPE qabyldau_http_requests_total counter\n");
        for ((method, route, status), n) in self
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            let _ = writeln!(
                out,
                "qabyldau_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        counter(
            &mut out,
            "qabyldau_events_ingested_total",
            "Events stored for the first time.",
            self.events_ingested.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "qabyldau_events_duplicate_total",
            "Events resent with the same hash (accepted, not stored again).",
            self.events_duplicate.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "qabyldau_batches_total",
            "Batches accepted.",
            self.batches.load(Ordering::Relaxed),
        );
        out.push_str("# HELP qabyldau_rejects_total Requests refused, by reason.\n");
        out.push_str("# TYPE qabyldau_rejects_total counter\n");
        for (reason, n) in self
            .rejects
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            let _ = writeln!(out, "qabyldau_rejects_total{{reason=\"{reason}\"}} {n}");
        }
        gauge_per_point(
            &mut out,
            "qabyldau_point_acked_seq",
            "The highest contiguous seq held for the point.",
            points,
            |p| Some(p.acked_through as i64),
        );
        gauge_per_point(
            &mut out,
            "qabyldau_point_lag_events",
            "Events the point had and the server did not, at the last contact.",
            points,
            |p| Some(p.lag_events as i64),
        );
        gauge_per_point(
            &mut out,
            "qabyldau_point_lag_seconds",
            "Seconds since the point's last contact.",
            points,
            |p| p.lag_seconds,
        );
        gauge_per_point(
            &mut out,
            "qabyldau_point_flagged",
            "1 when the point once sent a changed event under a known seq.",
            points,
            |p| Some(i64::from(p.flagged.is_some())),
        );
        out
    }
}

fn counter(out: &mut String, name: &str, help: &str, value: u64) {
    let _ = writeln!(
        out,
        "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
    );
}

fn gauge_per_point(
    out: &mut String,
    name: &str,
    help: &str,
    points: &[PointView],
    value: impl Fn(&PointView) -> Option<i64>,
) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
    for p in points {
        if let Some(v) = value(p) {
            let _ = writeln!(out, "{name}{{point=\"{}\"}} {v}", p.id);
        }
    }
}
