//! What `/metrics` shows, kept and written by `prometheus-client` (the
//! OpenMetrics text format). Labels are our own words (route templates,
//! status classes, error codes, point ids, which are restricted to safe
//! characters), never raw client input.

use crate::protocol::PointView;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};
use std::time::Duration;

/// The content type of the text `render` writes.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LatencyLabels {
    route: String,
    /// `2xx`, `4xx`, `5xx`...
    status_class: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RejectLabels {
    reason: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PointLabels {
    point: String,
}

/// 1 ms to about 16 s, doubling: a request or a batch between a LAN hop
/// and the request timeout (30 s) lands in a bucket that tells them apart.
fn request_buckets() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// 1 ms to about 65 s: a year's report over many points takes seconds.
fn report_buckets() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 17))
}

/// The server's own figures since it started. The per-point gauges are
/// read from the storage at each scrape (`render`).
pub struct Metrics {
    requests: Family<RequestLabels, Counter>,
    request_seconds: Family<LatencyLabels, Histogram>,
    rejects: Family<RejectLabels, Counter>,
    /// Events stored for the first time.
    pub events_ingested: Counter,
    /// Events resent with the same hash (accepted, not stored again).
    pub events_duplicate: Counter,
    /// Batches accepted.
    pub batches: Counter,
    ingest_seconds: Histogram,
    report_seconds: Histogram,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            requests: Family::default(),
            request_seconds: Family::new_with_constructor(request_buckets),
            rejects: Family::default(),
            events_ingested: Counter::default(),
            events_duplicate: Counter::default(),
            batches: Counter::default(),
            ingest_seconds: request_buckets(),
            report_seconds: report_buckets(),
        }
    }
}

impl Metrics {
    /// A request answered `status` after `took`.
    pub fn request(&self, method: &str, route: &str, status: u16, took: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_string(),
                route: route.to_string(),
                status: status.to_string(),
            })
            .inc();
        self.request_seconds
            .get_or_create(&LatencyLabels {
                route: route.to_string(),
                status_class: format!("{}xx", status / 100),
            })
            .observe(took.as_secs_f64());
    }

    pub fn reject(&self, reason: &str) {
        self.rejects
            .get_or_create(&RejectLabels {
                reason: reason.to_string(),
            })
            .inc();
    }

    pub fn rejects_of(&self, reason: &str) -> u64 {
        self.rejects
            .get(&RejectLabels {
                reason: reason.to_string(),
            })
            .map_or(0, |c| c.get())
    }

    /// A batch's storage transaction, whatever it answered.
    pub fn ingest_took(&self, took: Duration) {
        self.ingest_seconds.observe(took.as_secs_f64());
    }

    /// A report's facts read and figures computed.
    pub fn report_took(&self, took: Duration) {
        self.report_seconds.observe(took.as_secs_f64());
    }

    /// The text of `/metrics`; `points` gives the per-point figures.
    pub fn render(&self, points: &[PointView]) -> String {
        // a registry per scrape: the metrics are shared handles, and the
        // per-point gauges hold exactly the points there are now
        let mut r = Registry::default();
        r.register(
            "qabyldau_http_requests",
            "HTTP requests by route and status.",
            self.requests.clone(),
        );
        r.register_with_unit(
            "qabyldau_http_request_duration",
            "Time to answer a request (to its headers, for the stream), by route and status class.",
            Unit::Seconds,
            self.request_seconds.clone(),
        );
        r.register(
            "qabyldau_events_ingested",
            "Events stored for the first time.",
            self.events_ingested.clone(),
        );
        r.register(
            "qabyldau_events_duplicate",
            "Events resent with the same hash (accepted, not stored again).",
            self.events_duplicate.clone(),
        );
        r.register(
            "qabyldau_batches",
            "Batches accepted.",
            self.batches.clone(),
        );
        r.register_with_unit(
            "qabyldau_ingest_batch_duration",
            "Time of a batch's storage transaction, whatever it answered.",
            Unit::Seconds,
            self.ingest_seconds.clone(),
        );
        r.register_with_unit(
            "qabyldau_report_duration",
            "Time to read a report's facts and compute its figures.",
            Unit::Seconds,
            self.report_seconds.clone(),
        );
        r.register(
            "qabyldau_rejects",
            "Requests refused, by reason.",
            self.rejects.clone(),
        );
        let per_point =
            |r: &mut Registry, name: &str, help: &str, value: fn(&PointView) -> Option<i64>| {
                let family = Family::<PointLabels, Gauge>::default();
                for p in points {
                    if let Some(v) = value(p) {
                        family
                            .get_or_create(&PointLabels {
                                point: p.id.clone(),
                            })
                            .set(v);
                    }
                }
                r.register(name, help, family);
            };
        per_point(
            &mut r,
            "qabyldau_point_acked_seq",
            "The highest contiguous seq held for the point.",
            |p| Some(p.acked_through.min(i64::MAX as u64) as i64),
        );
        per_point(
            &mut r,
            "qabyldau_point_lag_events",
            "Events the point had and the server did not, at the last contact.",
            |p| Some(p.lag_events.min(i64::MAX as u64) as i64),
        );
        per_point(
            &mut r,
            "qabyldau_point_lag_seconds",
            "Seconds since the point's last contact.",
            |p| p.lag_seconds,
        );
        per_point(
            &mut r,
            "qabyldau_point_flagged",
            "1 when the point once sent a changed event under a known seq.",
            |p| Some(i64::from(p.flagged.is_some())),
        );
        let mut out = String::new();
        // writing into a String cannot fail
        let _ = prometheus_client::encoding::text::encode(&mut out, &r);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_keeps_its_name_and_the_histograms_are_there() {
        let m = Metrics::default();
        m.request("POST", "/api/v1/events", 200, Duration::from_millis(3));
        m.reject("gap");
        m.events_ingested.inc_by(5);
        m.ingest_took(Duration::from_millis(2));
        m.report_took(Duration::from_millis(40));
        let text = m.render(&[]);
        for line in [
            "qabyldau_http_requests_total{method=\"POST\",route=\"/api/v1/events\",status=\"200\"} 1",
            "qabyldau_events_ingested_total 5",
            "qabyldau_events_duplicate_total 0",
            "qabyldau_batches_total 0",
            "qabyldau_rejects_total{reason=\"gap\"} 1",
            "# TYPE qabyldau_http_request_duration_seconds histogram",
            "qabyldau_http_request_duration_seconds_count{route=\"/api/v1/events\",status_class=\"2xx\"} 1",
            "qabyldau_http_request_duration_seconds_bucket{le=\"0.004\",route=\"/api/v1/events\",status_class=\"2xx\"} 1",
            "qabyldau_ingest_batch_duration_seconds_count 1",
            "qabyldau_report_duration_seconds_bucket{le=\"0.032\"} 0",
            "qabyldau_report_duration_seconds_bucket{le=\"0.064\"} 1",
            "# EOF",
        ] {
            assert!(text.contains(line), "{line} in\n{text}");
        }
        assert_eq!(m.rejects_of("gap"), 1);
        assert_eq!(m.rejects_of("conflict"), 0);
    }
}
