//! Session tokens issued after a successful match: AEAD-sealed claims under the day's session key.
//!
//! `ent1.` + base64url(key day u32 | nonce \[12\] | AES-256-GCM(JSON claims) | tag \[16\]), with the app
//! id and the key day as associated data. A token opens only in its app, only once (the replay
//! guard remembers ids until they expire), and only before it expires.

use std::collections::HashMap;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::error::SessionError;
use super::keys::{Keyring, Purpose, UtcDay};
use super::random;

const PREFIX: &str = "ent1.";
const MAX_LIFETIME: u64 = 86_400;

/// What a token asserts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SessionClaims {
    /// Whom the token is for.
    pub user_id: String,
    /// The device it was issued on.
    pub device_id: String,
    /// Unix seconds.
    pub issued_at: u64,
    /// Unix seconds after which it is refused.
    pub expires_at: u64,
    /// Unique token id (hex), the replay guard's key.
    pub token_id: String,
}

/// Remembers used token ids until they expire.
pub trait ReplayGuard {
    /// True the first time `token_id` is seen; false on any later use.
    fn first_use(&mut self, token_id: &str, expires_at: u64, now: u64) -> bool;
}

/// A replay guard in memory (one process; a server fleet shares one in its database instead).
#[derive(Debug, Default)]
pub struct MemoryReplayGuard {
    seen: HashMap<String, u64>,
}

impl ReplayGuard for MemoryReplayGuard {
    fn first_use(&mut self, token_id: &str, expires_at: u64, now: u64) -> bool {
        self.seen.retain(|_, exp| *exp > now);
        self.seen.insert(token_id.to_string(), expires_at).is_none()
    }
}

fn aad(app_id: &str, day: UtcDay) -> Vec<u8> {
    let mut aad = b"entry/session/v1".to_vec();
    aad.extend_from_slice(&(app_id.len() as u32).to_be_bytes());
    aad.extend_from_slice(app_id.as_bytes());
    aad.extend_from_slice(&day.0.to_be_bytes());
    aad
}

fn cipher(keyring: &Keyring, day: UtcDay) -> Aes256Gcm {
    Aes256Gcm::new_from_slice(keyring.derive(Purpose::Sessions, day).bytes()).expect("32-byte key")
}

/// Issues a token for `user_id` on `device_id`, valid for `lifetime` seconds (at most a day).
pub fn issue(
    keyring: &Keyring,
    user_id: &str,
    device_id: &str,
    now: u64,
    lifetime: u64,
) -> Result<(String, SessionClaims), SessionError> {
    if lifetime > MAX_LIFETIME {
        return Err(SessionError::LifetimeTooLong(lifetime));
    }
    let claims = SessionClaims {
        user_id: user_id.into(),
        device_id: device_id.into(),
        issued_at: now,
        expires_at: now + lifetime,
        token_id: hex::encode(random::<16>()?),
    };
    let day = UtcDay::from_unix_seconds(now);
    let nonce: [u8; 12] = random()?;
    let json = serde_json::to_vec(&claims).expect("claims serialise");
    let sealed = cipher(keyring, day)
        .encrypt(Nonce::from_slice(&nonce), Payload { msg: &json, aad: &aad(keyring.app_id(), day) })
        .map_err(|_| SessionError::Forged)?;
    let mut raw = day.0.to_be_bytes().to_vec();
    raw.extend_from_slice(&nonce);
    raw.extend_from_slice(&sealed);
    Ok((format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(raw)), claims))
}

/// Checks a token and consumes it: forged, other-app, expired and replayed tokens are refused.
pub fn verify(
    keyring: &Keyring,
    token: &str,
    now: u64,
    guard: &mut impl ReplayGuard,
) -> Result<SessionClaims, SessionError> {
    let body = token.strip_prefix(PREFIX).ok_or(SessionError::Malformed)?;
    if body.len() > 4096 {
        return Err(SessionError::Malformed);
    }
    let raw = URL_SAFE_NO_PAD.decode(body).map_err(|_| SessionError::Malformed)?;
    if raw.len() < 4 + 12 + 16 {
        return Err(SessionError::Malformed);
    }
    let day = UtcDay(u32::from_be_bytes(raw[..4].try_into().expect("4 bytes")));
    let today = UtcDay::from_unix_seconds(now);
    // A token lives at most a day, so only today's and yesterday's keys can have made a valid one.
    if day > today || day.0 + 1 < today.0 {
        return Err(SessionError::Expired { expired_at: (day.0 as u64 + 1) * 86_400 });
    }
    let json = cipher(keyring, day)
        .decrypt(Nonce::from_slice(&raw[4..16]), Payload { msg: &raw[16..], aad: &aad(keyring.app_id(), day) })
        .map_err(|_| SessionError::Forged)?;
    let claims: SessionClaims = serde_json::from_slice(&json).map_err(|_| SessionError::Malformed)?;
    if UtcDay::from_unix_seconds(claims.issued_at) != day {
        return Err(SessionError::Forged);
    }
    if now >= claims.expires_at {
        return Err(SessionError::Expired { expired_at: claims.expires_at });
    }
    if !guard.first_use(&claims.token_id, claims.expires_at, now) {
        return Err(SessionError::Replayed);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protect::keys::known_answer_keyring;
    use crate::protect::MasterSecret;

    fn ring(app: &str, secret: u8) -> Keyring {
        Keyring::new(MasterSecret::new(&[secret; 32]).unwrap(), app, 7)
    }

    const NOW: u64 = 1_790_000_000;

    /// A token made outside this code from the format in the module docs (Python: HKDF by hand from
    /// HMAC-SHA256, AES-256-GCM from `cryptography`, compact JSON): master 00 01 .. 1f, app
    /// "app.example", day 20500, nonce 22 x 12.
    const KNOWN_TOKEN: &str = "ent1.AABQFCIiIiIiIiIiIiIiIqqdYmsBERBhp8gXrQ9voNbhBmA8QcMMGMNBr5nsRW6YYuRT331-YEwIkRs0yPQxEARDJOs0PflzAqgDAHCq1BrK_Q-g1NX7AVf1FzzkCa4mRJgWZIO4SXNDuTqhy4HJyWxSkGpFXpLhW5LS9bJ52W3DmLZAPIzE7llZ5D1QOvjGkgtz_PuOmt-D7ybasXL1_79sDrkK0E8";

    #[test]
    fn known_answer_token_verifies_once() {
        let r = known_answer_keyring("app.example");
        let issued_at = 1_771_203_600;
        let claims = verify(&r, KNOWN_TOKEN, issued_at + 60, &mut MemoryReplayGuard::default()).unwrap();
        assert_eq!(
            claims,
            SessionClaims {
                user_id: "alice".into(),
                device_id: "device-1".into(),
                issued_at,
                expires_at: issued_at + 3600,
                token_id: "00112233445566778899aabbccddeeff".into(),
            }
        );
        let mut guard = MemoryReplayGuard::default();
        verify(&r, KNOWN_TOKEN, issued_at + 60, &mut guard).unwrap();
        assert_eq!(verify(&r, KNOWN_TOKEN, issued_at + 61, &mut guard), Err(SessionError::Replayed));
        let other_app = known_answer_keyring("app.other");
        assert_eq!(verify(&other_app, KNOWN_TOKEN, issued_at + 60, &mut guard), Err(SessionError::Forged));
    }

    #[test]
    fn valid_token_verifies_once() {
        let r = ring("bank", 1);
        let (token, claims) = issue(&r, "alice", "dev-1", NOW, 900).unwrap();
        let mut guard = MemoryReplayGuard::default();
        assert_eq!(verify(&r, &token, NOW + 10, &mut guard).unwrap(), claims);
        assert_eq!(verify(&r, &token, NOW + 20, &mut guard), Err(SessionError::Replayed));
    }

    #[test]
    fn forged_expired_and_other_app_tokens_are_refused() {
        let r = ring("bank", 1);
        let (token, _) = issue(&r, "alice", "dev-1", NOW, 900).unwrap();
        let mut g = MemoryReplayGuard::default();
        assert_eq!(verify(&ring("shop", 1), &token, NOW, &mut g), Err(SessionError::Forged));
        assert_eq!(verify(&ring("bank", 2), &token, NOW, &mut g), Err(SessionError::Forged));
        assert_eq!(verify(&r, &token, NOW + 900, &mut g), Err(SessionError::Expired { expired_at: NOW + 900 }));
        let mut raw = URL_SAFE_NO_PAD.decode(&token[PREFIX.len()..]).unwrap();
        let last = raw.len() - 1;
        raw[last] ^= 1;
        let tampered = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(raw));
        assert_eq!(verify(&r, &tampered, NOW, &mut g), Err(SessionError::Forged));
        for junk in ["", "ent1.", "ent1.!!!", "jwt.abc", "ent1.AAAA"] {
            assert_eq!(verify(&r, junk, NOW, &mut g), Err(SessionError::Malformed), "{junk:?}");
        }
        assert_eq!(
            issue(&r, "a", "d", NOW, MAX_LIFETIME + 1).unwrap_err(),
            SessionError::LifetimeTooLong(MAX_LIFETIME + 1)
        );
    }

    #[test]
    fn a_token_from_two_days_ago_is_dead_even_with_a_long_expiry() {
        let r = ring("bank", 1);
        let (token, _) = issue(&r, "alice", "dev-1", NOW, MAX_LIFETIME).unwrap();
        let mut g = MemoryReplayGuard::default();
        assert!(matches!(verify(&r, &token, NOW + 2 * 86_400, &mut g), Err(SessionError::Expired { .. })));
    }
}
