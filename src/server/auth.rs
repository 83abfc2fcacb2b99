//! Bearer tokens. A token is 32 random bytes, shown once when it is made;
//! the server keeps only its SHA-256. Tokens are random, not chosen by
//! people, so a fast hash is enough (no password stretching needed) and a
//! lookup by hash is constant work.

use super::error::ApiError;
use super::storage::{Principal, Storage, TokenLookup};
use axum::http::{HeaderMap, header};
use rand::RngCore;

/// Tokens start with this, so a leaked one is recognisable in a config or
/// a log scanner.
pub const TOKEN_PREFIX: &str = "qbl_";

/// A new random token: `qbl_` and 64 hex digits.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{TOKEN_PREFIX}{}", hex::encode(bytes))
}

/// What the server keeps of a token (also the key of the point's field
/// files, `protocol::field_file`).
pub fn hash_token(token: &str) -> String {
    crate::protocol::field_file::token_digest(token)
}

/// Who is calling, from the `Authorization: Bearer ...` header.
pub async fn authenticate(
    headers: &HeaderMap,
    storage: &dyn Storage,
) -> Result<Principal, ApiError> {
    let value = headers.get(header::AUTHORIZATION).ok_or_else(|| {
        ApiError::unauthorized(
            "missing_token",
            "send the point's token as 'Authorization: Bearer <token>'",
        )
    })?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 200)
        .ok_or_else(|| {
            ApiError::unauthorized(
                "bad_token",
                "the Authorization header must be 'Bearer <token>'",
            )
        })?;
    match storage.authenticate(hash_token(token)).await? {
        TokenLookup::Valid(p) => Ok(p),
        TokenLookup::Revoked => Err(ApiError::unauthorized(
            "token_revoked",
            "this token was revoked; ask the regional office for a new one",
        )),
        TokenLookup::Unknown => Err(ApiError::unauthorized(
            "unknown_token",
            "this token is not known to the server",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hash_stably() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() == TOKEN_PREFIX.len() + 64);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), hash_token(&b));
        assert!(!hash_token(&a).contains(&a[4..]));
    }
}
