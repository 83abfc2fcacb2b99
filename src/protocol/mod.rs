//! The wire protocol between a point and the regional server: every type
//! that crosses the network, shared by the server (`server/`) and the
//! point's side (`sync/`, the regional board, `report --server`) so the two
//! cannot drift apart. `docs/API.md` and `assets/openapi.json` describe the
//! same shapes.
//!
//! The rules of this module:
//!
//! - **It depends on `domain` only**, and nothing of either side depends
//!   on the other through it: the server never imports the point's `app`,
//!   `store` or `sync`, the point never imports `server` (`tests/layers.rs`).
//! - **Versioned JSON.** The API is versioned by its path (`paths`,
//!   `/api/v1/…`). Within v1 a field may be added only where the receiver
//!   ignores what it does not know; a change of meaning is a new path
//!   version. Events themselves carry their payload `version`
//!   (`domain::event::EventRecord`).
//! - **`deny_unknown_fields` where the receiver must refuse**: what the
//!   server takes (`PushRequest`, the queries), so a misspelt field is an
//!   error and not a silent default; and the acknowledgements the
//!   forwarder moves its cursor by (`PushReply`, `CursorReply`), so an
//!   answer it does not fully understand never moves it. Views a screen
//!   only shows (`PointView`, `ErrorBody`) accept additions.
//! - **Text that arrives is untrusted.** Point names, error codes and
//!   messages travel as received; whoever shows or logs them makes them
//!   one safe line first (`domain::text::sanitize_line`), as the API
//!   client (`sync::api`) and the server's logs do.
//!
//! Files by concept: `push` (a point's batch and the cursor), `points`
//! (points and their live queues), `stream` (the server-sent events of
//! the regional board), `report` (the report query), `error` (the one
//! error body), `paths`, `field_file` (the same, carried on a USB stick). The region → point direction (decisions on
//! appeals, directives) gets its own files here, beside `push`: a log per
//! point that the point fetches after its cursor and acknowledges, under
//! the same rules.

pub mod error;
pub mod field_file;
pub mod paths;
pub mod points;
pub mod push;
pub mod region;
pub mod report;
pub mod stream;

pub use error::ErrorBody;
pub use points::{Flag, PointView, PointsQuery, PointsReply, QueueTicket, QueueView};
pub use push::{CursorReply, EventsQuery, EventsReply, PushReply, PushRequest};
pub use region::{RegionEventsQuery, RegionEventsReply};
pub use report::ReportQuery;
pub use stream::StreamEvent;
