//! The one error body of the API.

use serde::{Deserialize, Serialize};

/// Every error the API returns: a stable machine `error` code, a sentence
/// for a person, and, where it helps, the numbers to act on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
    /// A gap: the `seq` the server expects next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_seq: Option<u64>,
    /// Gap and conflict: what the server holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acked_through: Option<u64>,
    /// The `seq` of the event the error is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// The position of that event in the batch (from 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// A limit that was exceeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
}

impl ErrorBody {
    pub fn new(error: &str, message: impl Into<String>) -> Self {
        ErrorBody {
            error: error.into(),
            message: message.into(),
            expected_seq: None,
            acked_through: None,
            seq: None,
            index: None,
            limit: None,
        }
    }
}
