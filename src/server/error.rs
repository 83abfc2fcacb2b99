//! Errors of the API: a status and a JSON `ErrorBody`. Messages may quote
//! what a client sent; they go back to that client inside JSON (escaped),
//! and into the log only through `domain::text::sanitize_line`.

use super::storage::StorageError;
use crate::protocol::ErrorBody;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: Box<ErrorBody>,
    /// Seconds for a `Retry-After` header (503).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: Box::new(ErrorBody::new(code, message)),
            retry_after: None,
        }
    }

    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }
    pub fn unauthorized(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, message)
    }
    pub fn forbidden(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, message)
    }
    pub fn unprocessable(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }
    pub fn too_large(code: &str, message: impl Into<String>, limit: u64) -> Self {
        let mut e = Self::new(StatusCode::PAYLOAD_TOO_LARGE, code, message);
        e.body.limit = Some(limit);
        e
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// Names the event of a batch the error is about.
    pub fn at_event(mut self, index: usize, seq: Option<u64>) -> Self {
        self.body.index = Some(index);
        self.body.seq = seq;
        self
    }

    /// The machine code, for metrics and logs.
    pub fn code(&self) -> &str {
        &self.body.error
    }
}

impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Unavailable(_) => {
                tracing::warn!(error = %crate::domain::text::sanitize_line(&e.to_string()), "storage unavailable");
                let mut err = ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the server's database is unavailable; try again later",
                );
                err.retry_after = Some(30);
                err
            }
            StorageError::NotFound(what) => ApiError::not_found(format!("{what} not found")),
            other => {
                tracing::error!(error = %crate::domain::text::sanitize_line(&other.to_string()), "storage error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the server failed; the batch was not stored",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, Json(*self.body)).into_response();
        if let Some(secs) = self.retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}
