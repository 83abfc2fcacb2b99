//! A citizen's personal data in an append-only log: sealed with a key kept
//! outside the log, so that deleting the key forgets it everywhere the log
//! was copied (the server, backups, USB files) without rewriting an event.
//! Events still hash, sync and replay; a sealed part whose key is gone reads
//! as erased. The keys themselves are the store's (docs/ARCHITECTURE.md,
//! "A citizen's own data").
//!
//! The cipher is XChaCha20-Poly1305 with a random 24-byte nonce per seal (no
//! counter to keep across crashes), and the appeal's id and the part's name
//! as associated data, so a sealed part cannot be moved to another appeal
//! or field unnoticed.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

/// A citizen as this point knows them, without saying who: a random id that
/// links their appeals (a repeated appeal, their history) and survives the
/// erasure of what named them, so every figure stays the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SubjectId(pub Uuid);

impl SubjectId {
    pub fn new() -> Self {
        SubjectId(Uuid::now_v7())
    }
}

impl Default for SubjectId {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Display for SubjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A part of an event that is personal: in clear (as a use case makes it,
/// and in events written before sealing), or sealed (as it is stored).
/// Untagged, so a part in clear serialises exactly as the plain value did
/// and the events written before this type hash as they did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Personal<T> {
    Clear(T),
    Sealed(Sealed),
}

impl<T> Personal<T> {
    /// The value, when it is in clear.
    pub fn clear(&self) -> Option<&T> {
        match self {
            Personal::Clear(v) => Some(v),
            Personal::Sealed(_) => None,
        }
    }
}

impl<T> From<T> for Personal<T> {
    fn from(v: T) -> Self {
        Personal::Clear(v)
    }
}

/// The sealed form: base64 of nonce and ciphertext.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sealed {
    pub sealed: String,
}

/// Which part of an appeal a seal holds: bound into the seal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Citizen,
    Text,
}

impl Part {
    fn tag(self) -> &'static [u8] {
        match self {
            Part::Citizen => b"citizen",
            Part::Text => b"text",
        }
    }
}

/// A 256-bit key. Not `Debug`: a key is never logged.
#[derive(Clone)]
pub struct Key([u8; 32]);

impl Key {
    pub fn generate() -> Self {
        let mut k = [0u8; 32];
        rand::rng().fill_bytes(&mut k);
        Key(k)
    }

    pub fn from_bytes(b: &[u8]) -> Option<Self> {
        Some(Key(b.try_into().ok()?))
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        // not a guarantee (copies may exist), but no key lingers in a
        // freed allocation by our own doing
        self.0 = [0; 32];
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("a sealed part does not open with its key: the data or the key is damaged")]
    Damaged,
    #[error("a sealed part is not valid: {0}")]
    Format(String),
}

fn aad(appeal: Uuid, part: Part) -> Vec<u8> {
    let mut v = appeal.as_bytes().to_vec();
    v.extend_from_slice(part.tag());
    v
}

/// Seals `value` (as JSON) under `key` for `part` of `appeal`.
pub fn seal<T: Serialize>(key: &Key, appeal: Uuid, part: Part, value: &T) -> Sealed {
    let plain = serde_json::to_vec(value).expect("personal parts serialise");
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    let mut nonce = [0u8; 24];
    rand::rng().fill_bytes(&mut nonce);
    let ct = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &plain,
                aad: &aad(appeal, part),
            },
        )
        .expect("encryption of a bounded message does not fail");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&ct);
    Sealed {
        sealed: B64.encode(out),
    }
}

/// Opens what [`seal`] made. A wrong key, another appeal or part, or a
/// changed byte is `Damaged`: a missing key is the caller's "erased".
pub fn open<T: DeserializeOwned>(
    key: &Key,
    appeal: Uuid,
    part: Part,
    sealed: &Sealed,
) -> Result<T, SealError> {
    let bytes = B64
        .decode(&sealed.sealed)
        .map_err(|e| SealError::Format(e.to_string()))?;
    if bytes.len() < 24 + 16 {
        return Err(SealError::Format("too short".into()));
    }
    let (nonce, ct) = bytes.split_at(24);
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    let plain = cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ct,
                aad: &aad(appeal, part),
            },
        )
        .map_err(|_| SealError::Damaged)?;
    serde_json::from_slice(&plain).map_err(|e| SealError::Format(e.to_string()))
}

/// A keyed hash of an identifier (an IIN, a phone): how a point finds the
/// key of a citizen who comes again without keeping the identifier
/// readable. The tag is kept beside the key and goes with it.
pub fn tag(secret: &Key, what: &str, value: &str) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(what.as_bytes());
    mac.update(b":");
    mac.update(value.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Takes the citizen (and, with `texts`, the text) out of the payload of an
/// `appeal_recorded` event written before sealing, which has no key to
/// delete: the one rewrite of the log an erasure makes, the same at the
/// point and at the server so both keep equal events (and hashes). The
/// text becomes an empty seal: it reads as erased and still decodes.
/// Sealed parts are left alone. Returns whether anything changed.
pub fn redact_clear(payload: &mut serde_json::Value, texts: bool) -> bool {
    let Some(obj) = payload.as_object_mut() else {
        return false;
    };
    let mut changed = false;
    if obj
        .get("citizen")
        .and_then(|c| c.as_object())
        .is_some_and(|c| !c.contains_key("sealed"))
    {
        obj.remove("citizen");
        changed = true;
    }
    if texts && obj.get("text").is_some_and(|t| t.is_string()) {
        obj.insert("text".into(), serde_json::json!({ "sealed": "" }));
        changed = true;
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::appeal::Citizen;
    use crate::domain::text::{AppealText, PersonName};

    #[test]
    fn a_sealed_part_opens_with_its_key_only_for_its_appeal_and_part() {
        let key = Key::generate();
        let appeal = Uuid::now_v7();
        let text = AppealText::parse("Қасымова Әлия: үй кезегі").unwrap();
        let s = seal(&key, appeal, Part::Text, &text);
        assert!(!s.sealed.contains("Қасымова"));
        let back: AppealText = open(&key, appeal, Part::Text, &s).unwrap();
        assert_eq!(back, text);
        assert!(matches!(
            open::<AppealText>(&Key::generate(), appeal, Part::Text, &s),
            Err(SealError::Damaged)
        ));
        assert!(matches!(
            open::<AppealText>(&key, Uuid::now_v7(), Part::Text, &s),
            Err(SealError::Damaged)
        ));
        assert!(matches!(
            open::<AppealText>(&key, appeal, Part::Citizen, &s),
            Err(SealError::Damaged)
        ));
    }

    #[test]
    fn a_clear_part_serialises_as_the_plain_value_did() {
        let c = Citizen {
            name: PersonName::parse("Айгүл Сейтқали").unwrap(),
            iin: None,
            phone: None,
            settlement: None,
            workplace: None,
        };
        let plain = serde_json::to_value(&c).unwrap();
        let held = serde_json::to_value(Personal::Clear(c.clone())).unwrap();
        assert_eq!(plain, held);
        let back: Personal<Citizen> = serde_json::from_value(plain).unwrap();
        assert_eq!(back, Personal::Clear(c));
        let sealed = seal(&Key::generate(), Uuid::now_v7(), Part::Citizen, &1);
        let v = serde_json::to_value(Personal::<Citizen>::Sealed(sealed.clone())).unwrap();
        let back: Personal<Citizen> = serde_json::from_value(v).unwrap();
        assert_eq!(back, Personal::Sealed(sealed));
    }

    #[test]
    fn tags_differ_by_secret_and_by_kind() {
        let (a, b) = (Key::generate(), Key::generate());
        assert_eq!(
            tag(&a, "iin", "900101300123"),
            tag(&a, "iin", "900101300123")
        );
        assert_ne!(
            tag(&a, "iin", "900101300123"),
            tag(&b, "iin", "900101300123")
        );
        assert_ne!(
            tag(&a, "iin", "77011234567"),
            tag(&a, "phone", "77011234567")
        );
    }
}
