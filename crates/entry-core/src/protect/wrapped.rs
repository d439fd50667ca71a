//! Wrapped templates: device mode's outer layer. The browser encrypts each sealed template again,
//! with AES-256-GCM under a per-app key it generates as a non-extractable WebCrypto key, so no
//! secret page script can read (the device master secret included) opens a stored template. The
//! encryption runs in WebCrypto; this module defines the format once: the header and nonce to
//! encrypt with, and the parts of stored bytes to decrypt.
//!
//! Format (version 1), all integers big-endian:
//! `magic "ENTW" | version u8 | key version u32 | nonce [12] | ciphertext | tag [16]`
//! The plaintext is the whole sealed template ([`SealedTemplate`](super::SealedTemplate) bytes).
//! The associated data is the header (magic to nonce) plus the app id and the user id, each
//! length-prefixed (u32), so a wrapped template moved to another user or app, or with any byte
//! changed, fails to unwrap. Nonces are 96 random bits per wrap: one key per app and browser
//! profile wraps one template per login, far below the 2^32 random nonces NIST SP 800-38D allows.

use serde::Serialize;
use ts_rs::TS;

use super::sealed::aad as additional_data;
use super::{random, ProtectError};

/// The first four bytes of every wrapped template.
pub const WRAPPED_MAGIC: &[u8; 4] = b"ENTW";
/// The wrapped format version this build writes.
pub const WRAPPED_VERSION: u8 = 1;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = 4 + 1 + 4 + NONCE_LEN;

/// What WebCrypto needs to wrap one sealed template: AES-GCM with `iv` and `additional_data`,
/// and the stored bytes are `header` followed by the ciphertext.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WrapParams {
    /// The bytes that precede the ciphertext.
    #[serde(with = "serde_bytes")]
    #[ts(type = "Uint8Array")]
    pub header: Vec<u8>,
    /// The nonce (96 random bits).
    #[serde(with = "serde_bytes")]
    #[ts(type = "Uint8Array")]
    pub iv: Vec<u8>,
    /// Header, app id and user id.
    #[serde(with = "serde_bytes")]
    #[ts(type = "Uint8Array")]
    pub additional_data: Vec<u8>,
}

/// The parts of stored wrapped bytes that WebCrypto needs to unwrap them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WrappedParts {
    /// Which of the app's wrapping keys was used.
    pub key_version: u32,
    /// The nonce.
    #[serde(with = "serde_bytes")]
    #[ts(type = "Uint8Array")]
    pub iv: Vec<u8>,
    /// Header, app id and user id.
    #[serde(with = "serde_bytes")]
    #[ts(type = "Uint8Array")]
    pub additional_data: Vec<u8>,
    /// Ciphertext and tag.
    #[serde(with = "serde_bytes")]
    #[ts(type = "Uint8Array")]
    pub ciphertext: Vec<u8>,
}

/// True when stored bytes are a wrapped template (they may still fail to parse or unwrap).
pub fn is_wrapped(bytes: &[u8]) -> bool {
    bytes.starts_with(WRAPPED_MAGIC)
}

impl WrapParams {
    /// A fresh nonce and the header for wrapping `user_id`'s template of `app_id` under the app's
    /// wrapping key `key_version`.
    pub fn new(app_id: &str, user_id: &str, key_version: u32) -> Result<WrapParams, ProtectError> {
        Ok(Self::with_nonce(app_id, user_id, key_version, random()?))
    }

    /// [`new`](Self::new) with a given nonce: only the known-answer tests choose one.
    fn with_nonce(app_id: &str, user_id: &str, key_version: u32, nonce: [u8; NONCE_LEN]) -> WrapParams {
        let mut header = Vec::with_capacity(HEADER_LEN);
        header.extend_from_slice(WRAPPED_MAGIC);
        header.push(WRAPPED_VERSION);
        header.extend_from_slice(&key_version.to_be_bytes());
        header.extend_from_slice(&nonce);
        let additional_data = additional_data(&header, app_id, user_id);
        WrapParams { header, iv: nonce.to_vec(), additional_data }
    }
}

impl WrappedParts {
    /// The parts of `bytes` stored for `user_id` of `app_id`. Bytes that are not wrapped (a sealed
    /// template from before wrapping) are [`ProtectError::BadMagic`].
    pub fn parse(bytes: &[u8], app_id: &str, user_id: &str) -> Result<WrappedParts, ProtectError> {
        let need = |needed: usize| ProtectError::need("wrapped template", bytes, needed);
        need(5)?;
        if !is_wrapped(bytes) {
            return Err(ProtectError::BadMagic);
        }
        if bytes[4] != WRAPPED_VERSION {
            return Err(ProtectError::UnsupportedVersion(bytes[4]));
        }
        need(HEADER_LEN + TAG_LEN)?;
        let (header, ciphertext) = bytes.split_at(HEADER_LEN);
        Ok(WrappedParts {
            key_version: u32::from_be_bytes(header[5..9].try_into().expect("4 bytes")),
            iv: header[9..].to_vec(),
            additional_data: additional_data(header, app_id, user_id),
            ciphertext: ciphertext.to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    use aes_gcm::{Aes256Gcm, Nonce};

    use super::*;

    /// Made outside this code from the format in the module docs, with Node's WebCrypto (the
    /// implementation family that wraps in browsers): key a0 a1 .. bf, key version 1, nonce 22 x 12,
    /// app "app.example", user "alice", plaintext `sealed::tests::KNOWN_SEALED`.
    const KNOWN_WRAPPED: &str = "454e54570100000001222222222222222222222222f0f1184f0471b825304b80625f69088270ef6ed08e2c8290de4496ecdf9708848032ac43430a255ce845880797a238b98a7862111c3b80f8c4f9796d82f68682ae41865ade0946f6318d5fb5a8e278";
    const INNER: &str = "454e545401076d6f64656c2d61000050141111111111111111111111118f16cc29f38e7b3d0480e7844dd35a9ada453eab14e302ce7b4a97e63262fc851a54";

    fn cipher() -> Aes256Gcm {
        let key: Vec<u8> = (0xa0..=0xbf).collect();
        Aes256Gcm::new_from_slice(&key).unwrap()
    }

    fn unwrap(parts: &WrappedParts) -> Result<Vec<u8>, aes_gcm::Error> {
        let payload = Payload { msg: &parts.ciphertext, aad: &parts.additional_data };
        cipher().decrypt(Nonce::from_slice(&parts.iv), payload)
    }

    #[test]
    fn known_answer_wrap_and_unwrap() {
        let params = WrapParams::with_nonce("app.example", "alice", 1, [0x22; 12]);
        let inner = hex::decode(INNER).unwrap();
        let payload = Payload { msg: &inner, aad: &params.additional_data };
        let mut wrapped = params.header.clone();
        wrapped.extend(cipher().encrypt(Nonce::from_slice(&params.iv), payload).unwrap());
        assert_eq!(hex::encode(&wrapped), KNOWN_WRAPPED);
        let parts = WrappedParts::parse(&wrapped, "app.example", "alice").unwrap();
        assert_eq!(parts.key_version, 1);
        assert_eq!(unwrap(&parts).unwrap(), inner);
    }

    #[test]
    fn another_user_or_app_or_any_changed_byte_fails_to_unwrap() {
        let wrapped = hex::decode(KNOWN_WRAPPED).unwrap();
        for (app, user) in [("app.example", "mallory"), ("other.example", "alice")] {
            assert!(unwrap(&WrappedParts::parse(&wrapped, app, user).unwrap()).is_err(), "{app} {user}");
        }
        for i in 0..wrapped.len() {
            let mut t = wrapped.clone();
            t[i] ^= 0x01;
            let opened = WrappedParts::parse(&t, "app.example", "alice").ok().map(|p| unwrap(&p));
            assert!(!matches!(opened, Some(Ok(_))), "a flip at byte {i} still unwrapped");
        }
    }

    #[test]
    fn unwrapped_truncated_and_future_bytes_are_typed_errors() {
        let wrapped = hex::decode(KNOWN_WRAPPED).unwrap();
        assert_eq!(WrappedParts::parse(&hex::decode(INNER).unwrap(), "a", "u"), Err(ProtectError::BadMagic));
        for n in 0..HEADER_LEN + TAG_LEN {
            assert!(
                matches!(WrappedParts::parse(&wrapped[..n], "a", "u"), Err(ProtectError::Truncated { .. })),
                "{n} bytes"
            );
        }
        let mut future = wrapped.clone();
        future[4] = 2;
        assert_eq!(WrappedParts::parse(&future, "a", "u"), Err(ProtectError::UnsupportedVersion(2)));
    }

    #[test]
    fn nonces_do_not_repeat() {
        let a = WrapParams::new("app", "u", 1).unwrap();
        let b = WrapParams::new("app", "u", 1).unwrap();
        assert_ne!(a.iv, b.iv);
        assert_eq!(a.header[..9], b.header[..9]);
    }
}
