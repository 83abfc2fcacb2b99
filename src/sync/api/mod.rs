//! The point's one client of the regional API: the forwarder, the
//! regional board's feed and `report --server` (and whatever the region
//! answers back with, in the issues to come) all call the server through
//! `ApiClient`, which sets the timeouts, the token and the user agent once
//! and turns every failure into one `ApiError`. Anything the server says
//! is untrusted text: it is made one safe line here, before any caller can
//! show or log it.

mod client;
mod error;

pub use client::{ApiClient, PushAnswer, StreamReader, Timeouts};
pub use error::{ApiError, Refusal};

#[cfg(test)]
mod tests;
