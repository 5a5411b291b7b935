//! Secrets at rest and tokens.
//!
//! One configured secret key (32+ random bytes) is stretched with
//! HKDF-SHA256 into independent sub-keys:
//! * `field`: AES-256-GCM for personal data that must be read back
//!   (date of birth, later bank account numbers);
//! * `mac`: HMAC-SHA256 for values only ever compared (SSN last four), so a
//!   stolen database alone does not reveal them, even by brute force;
//! * `csrf`: HMAC-SHA256 signing of CSRF tokens.
//!
//! Bearer tokens (sessions, welcome and reset links) are 256 random bits;
//! only their SHA-256 is stored.

use aes_gcm::aead::{Aead, KeyInit, OsRng};
use aes_gcm::{AeadCore, Aes256Gcm, Nonce};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("the secret key must be at least 32 bytes")]
    ShortKey,
    #[error("sealed value is malformed or was sealed with another key")]
    Open,
}

#[derive(Clone)]
pub struct Keys {
    field: Aes256Gcm,
    mac: [u8; 32],
    csrf: [u8; 32],
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(<redacted>)")
    }
}

fn derive(hk: &Hkdf<Sha256>, info: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    // 32 bytes is far below HKDF-SHA256's limit of 255 * 32, so this cannot fail.
    hk.expand(info.as_bytes(), &mut out).unwrap_or_default();
    out
}

impl Keys {
    pub fn from_secret(secret: &[u8]) -> Result<Keys, CryptoError> {
        if secret.len() < 32 {
            return Err(CryptoError::ShortKey);
        }
        let hk = Hkdf::<Sha256>::new(Some(b"portico/v1"), secret);
        let field_key = derive(&hk, "field-encryption");
        Ok(Keys { field: Aes256Gcm::new(&field_key.into()), mac: derive(&hk, "field-mac"), csrf: derive(&hk, "csrf") })
    }

    /// Encrypt a value: `v1:` + base64(nonce ‖ ciphertext+tag).
    pub fn seal(&self, plain: &str) -> String {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        // Encryption with a valid key and a fresh nonce does not fail.
        let ct = self.field.encrypt(&nonce, plain.as_bytes()).unwrap_or_default();
        let mut buf = nonce.to_vec();
        buf.extend_from_slice(&ct);
        format!("v1:{}", STANDARD_NO_PAD.encode(buf))
    }

    pub fn open(&self, sealed: &str) -> Result<String, CryptoError> {
        let b64 = sealed.strip_prefix("v1:").ok_or(CryptoError::Open)?;
        let buf = STANDARD_NO_PAD.decode(b64).map_err(|_| CryptoError::Open)?;
        if buf.len() < 12 + 16 {
            return Err(CryptoError::Open);
        }
        let (nonce, ct) = buf.split_at(12);
        let plain = self.field.decrypt(Nonce::from_slice(nonce), ct).map_err(|_| CryptoError::Open)?;
        String::from_utf8(plain).map_err(|_| CryptoError::Open)
    }

    /// Keyed MAC of a value within a context (e.g. the contact it belongs
    /// to), hex-encoded. Used for secrets that are only compared.
    pub fn mac(&self, context: &str, value: &str) -> String {
        hmac_hex(&self.mac, &[context.as_bytes(), b"\0", value.as_bytes()])
    }

    /// CSRF token for a browser's CSRF seed (signed double-submit cookie).
    pub fn csrf_token(&self, seed: &str) -> String {
        hmac_hex(&self.csrf, &[b"csrf\0", seed.as_bytes()])
    }

    pub fn csrf_ok(&self, seed: &str, token: &str) -> bool {
        constant_time_eq(self.csrf_token(seed).as_bytes(), token.as_bytes())
    }
}

fn hmac_hex(key: &[u8; 32], parts: &[&[u8]]) -> String {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    let mut m = <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    for p in parts {
        m.update(p);
    }
    hex::encode(m.finalize().into_bytes())
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A new random bearer token (256 bits, URL-safe).
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    URL_SAFE_NO_PAD.encode(b)
}

/// How a bearer token is stored: its SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// argon2id with the crate defaults (m = 19 MiB, t = 2, p = 1), which are
/// OWASP's recommended minimum.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(h) => Argon2::default().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// Spend the same time as a real verification, for unknown accounts, so
/// response times don't reveal which user names exist.
pub fn dummy_verify(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let h = DUMMY.get_or_init(|| hash_password("dummy-password-for-timing"));
    let _ = verify_password(password, h);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_round_trip_and_tamper() {
        let k = Keys::from_secret(&[7u8; 32]).unwrap();
        let s = k.seal("1985-04-12");
        assert_ne!(s, k.seal("1985-04-12"), "fresh nonce each time");
        assert_eq!(k.open(&s).unwrap(), "1985-04-12");
        let other = Keys::from_secret(&[8u8; 32]).unwrap();
        assert!(other.open(&s).is_err());
        // Change a character in the middle (the last one may only carry
        // padding bits), to a different one: the tag no longer matches.
        let mut bad: Vec<char> = s.chars().collect();
        let i = bad.len() / 2;
        bad[i] = if bad[i] == 'A' { 'B' } else { 'A' };
        let bad: String = bad.into_iter().collect();
        assert!(k.open(&bad).is_err());
        assert!(Keys::from_secret(&[1u8; 16]).is_err());
    }

    #[test]
    fn mac_depends_on_context_and_key() {
        let k = Keys::from_secret(&[7u8; 32]).unwrap();
        assert_eq!(k.mac("contact:1", "1234"), k.mac("contact:1", "1234"));
        assert_ne!(k.mac("contact:1", "1234"), k.mac("contact:2", "1234"));
        assert!(k.csrf_ok("seed", &k.csrf_token("seed")));
        assert!(!k.csrf_ok("seed", &k.csrf_token("other")));
    }

    #[test]
    fn passwords_and_tokens() {
        let h = hash_password("violet tundra sings");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("violet tundra sings", &h));
        assert!(!verify_password("violet tundra sing", &h));
        assert!(!verify_password("x", "not a hash"));
        let t = random_token();
        assert_eq!(t.len(), 43);
        assert_eq!(token_hash(&t).len(), 64);
        assert_ne!(random_token(), t);
    }
}
