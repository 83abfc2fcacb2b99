//! The endpoints of API v1, named once for the router and the client.

pub const EVENTS: &str = "/api/v1/events";
pub const CURSOR: &str = "/api/v1/cursor";
pub const POINTS: &str = "/api/v1/points";
pub const STREAM: &str = "/api/v1/stream";
pub const REPORT: &str = "/api/v1/report";
pub const OPENAPI: &str = "/api/v1/openapi.json";
pub const HEALTHZ: &str = "/healthz";
pub const METRICS: &str = "/metrics";
/// The way back: the region's decisions for the calling point.
pub const REGION_EVENTS: &str = "/api/v1/region-events";
