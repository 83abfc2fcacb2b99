//! PINs: a few digits, kept only as argon2 hashes.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    #[error("a PIN is 4 to 8 digits")]
    BadShape,
}

/// Checks the shape and hashes. The hash string carries its own salt and
/// parameters.
pub fn hash(pin: &str) -> Result<String, PinError> {
    if !(4..=8).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PinError::BadShape);
    }
    // a random salt each time, kept inside the PHC string
    Ok(Argon2::default()
        .hash_password(pin.as_bytes())
        .expect("argon2 with default parameters hashes any input")
        .to_string())
}

pub fn verify(pin: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(pin.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let h = hash("2468").unwrap();
        assert!(h.starts_with("$argon2"));
        assert!(!h.contains("2468"));
        assert!(verify("2468", &h));
        assert!(!verify("2469", &h));
        assert!(!verify("2468", "not a hash"));
    }

    #[test]
    fn shape_checked() {
        assert_eq!(hash("12"), Err(PinError::BadShape));
        assert_eq!(hash("12a4"), Err(PinError::BadShape));
        assert_eq!(hash("123456789"), Err(PinError::BadShape));
    }
}
