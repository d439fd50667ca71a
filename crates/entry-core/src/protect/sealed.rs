//! Sealed templates: an embedding encrypted with AES-256-GCM under the day's template key.
//!
//! Format (version 1), all integers big-endian:
//! `magic "ENTT" | version u8 | model-id length u8 | model id | key day u32 | nonce [12] | ciphertext | tag [16]`
//! The associated data is the whole header (magic to nonce) plus the app id and the user id, so a
//! template moved to another user, app or model, or with any byte changed, fails to open.
//! Nonces are 96 random bits per seal: with one key per app and day, the number of seals under a
//! key stays far below the 2^32 that NIST SP 800-38D allows for random nonces.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use zeroize::Zeroize;

use super::keys::{Keyring, Purpose, UtcDay};
use super::{random, ProtectError};
use crate::face::Embedding;

/// The first four bytes of every sealed template.
pub const SEALED_MAGIC: &[u8; 4] = b"ENTT";
/// The sealed format version this build writes.
pub const SEALED_VERSION: u8 = 1;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;

/// An encrypted template. Its embedding is reachable only through [`SealedTemplate::open`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedTemplate {
    bytes: Vec<u8>,
    model_id: String,
    key_day: UtcDay,
    /// Where the nonce ends and the ciphertext starts.
    header_len: usize,
}

/// `header | lp(app id) | lp(user id)`: the associated data of a sealed template, and of a wrapped one.
pub(super) fn aad(header: &[u8], app_id: &str, user_id: &str) -> Vec<u8> {
    let mut aad = header.to_vec();
    for field in [app_id.as_bytes(), user_id.as_bytes()] {
        aad.extend_from_slice(&(field.len() as u32).to_be_bytes());
        aad.extend_from_slice(field);
    }
    aad
}

fn cipher(keyring: &Keyring, day: UtcDay) -> Aes256Gcm {
    Aes256Gcm::new_from_slice(keyring.derive(Purpose::Templates, day).bytes()).expect("32-byte key")
}

impl SealedTemplate {
    /// Encrypts `embedding` for `user_id` under the template key of `today`.
    pub fn seal(keyring: &Keyring, user_id: &str, embedding: &Embedding, today: UtcDay) -> Result<Self, ProtectError> {
        Self::seal_with_nonce(keyring, user_id, embedding, today, random()?)
    }

    /// [`seal`](Self::seal) with a given nonce: only the known-answer tests choose one.
    fn seal_with_nonce(
        keyring: &Keyring,
        user_id: &str,
        embedding: &Embedding,
        today: UtcDay,
        nonce: [u8; NONCE_LEN],
    ) -> Result<Self, ProtectError> {
        let model = embedding.model().as_bytes();
        if model.len() > u8::MAX as usize {
            return Err(ProtectError::TooLong("model id"));
        }
        let values = embedding.values();
        if values.len() > u16::MAX as usize {
            return Err(ProtectError::TooLong("embedding"));
        }
        let mut header = Vec::with_capacity(4 + 2 + model.len() + 4 + NONCE_LEN);
        header.extend_from_slice(SEALED_MAGIC);
        header.push(SEALED_VERSION);
        header.push(model.len() as u8);
        header.extend_from_slice(model);
        header.extend_from_slice(&today.0.to_be_bytes());
        header.extend_from_slice(&nonce);
        let mut plaintext = Vec::with_capacity(2 + values.len() * 4);
        plaintext.extend_from_slice(&(values.len() as u16).to_be_bytes());
        values.iter().for_each(|v| plaintext.extend_from_slice(&v.to_le_bytes()));
        let ciphertext = cipher(keyring, today)
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload { msg: &plaintext, aad: &aad(&header, keyring.app_id(), user_id) },
            )
            .map_err(|_| ProtectError::AuthenticationFailed)?;
        plaintext.zeroize();
        let header_len = header.len();
        let mut bytes = header;
        bytes.extend_from_slice(&ciphertext);
        Ok(SealedTemplate { bytes, model_id: embedding.model().to_string(), key_day: today, header_len })
    }

    /// Parses the public header of stored bytes; nothing is decrypted yet.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, ProtectError> {
        let need = |needed: usize| ProtectError::need("sealed template", &bytes, needed);
        need(6)?;
        if super::wrapped::is_wrapped(&bytes) {
            return Err(ProtectError::StillWrapped);
        }
        if &bytes[..4] != SEALED_MAGIC {
            return Err(ProtectError::BadMagic);
        }
        if bytes[4] != SEALED_VERSION {
            return Err(ProtectError::UnsupportedVersion(bytes[4]));
        }
        let model_len = bytes[5] as usize;
        let header_len = 6 + model_len + 4 + NONCE_LEN;
        need(header_len + 2 + TAG_LEN)?;
        let model_id = std::str::from_utf8(&bytes[6..6 + model_len])
            .map_err(|_| ProtectError::Malformed("model id is not UTF-8".into()))?
            .to_string();
        let day = u32::from_be_bytes(bytes[6 + model_len..10 + model_len].try_into().expect("4 bytes"));
        Ok(SealedTemplate { bytes, model_id, key_day: UtcDay(day), header_len })
    }

    /// The bytes to store.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes to store, by value.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The model that made the embedding (public, so stores can filter without decrypting).
    pub fn model_id(&self) -> &str {
        &self.model_id
    }

    /// The day whose key sealed it.
    pub fn key_day(&self) -> UtcDay {
        self.key_day
    }

    /// Decrypts for `user_id`, if its key day is not after `today` (however old it is).
    pub fn open(
        &self,
        keyring: &Keyring,
        user_id: &str,
        model_id: &str,
        today: UtcDay,
    ) -> Result<Embedding, ProtectError> {
        if self.model_id != model_id {
            return Err(ProtectError::ModelMismatch { expected: model_id.into(), found: self.model_id.clone() });
        }
        keyring.check_day(self.key_day, today)?;
        let (header, ciphertext) = self.bytes.split_at(self.header_len);
        let nonce = Nonce::from_slice(&header[header.len() - NONCE_LEN..]);
        let mut plaintext = cipher(keyring, self.key_day)
            .decrypt(nonce, Payload { msg: ciphertext, aad: &aad(header, keyring.app_id(), user_id) })
            .map_err(|_| ProtectError::AuthenticationFailed)?;
        let result = decode_values(&plaintext).and_then(|values| {
            Embedding::new(self.model_id.clone(), values).map_err(|e| ProtectError::Malformed(e.to_string()))
        });
        plaintext.zeroize();
        result
    }

    /// Opens with the key of the day it was sealed and seals again under today's key.
    pub fn reseal(&self, keyring: &Keyring, user_id: &str, today: UtcDay) -> Result<Self, ProtectError> {
        let embedding = self.open(keyring, user_id, &self.model_id, today)?;
        SealedTemplate::seal(keyring, user_id, &embedding, today)
    }
}

fn decode_values(plaintext: &[u8]) -> Result<Vec<f32>, ProtectError> {
    let (len, rest) = plaintext.split_at_checked(2).ok_or(ProtectError::Malformed("no length".into()))?;
    let n = u16::from_be_bytes([len[0], len[1]]) as usize;
    if rest.len() != n * 4 {
        return Err(ProtectError::Malformed(format!("{} value bytes for {n} values", rest.len())));
    }
    Ok(rest.chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes"))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protect::keys::{known_answer_keyring, Purpose};
    use crate::protect::MasterSecret;

    fn ring(app: &str, secret: u8) -> Keyring {
        Keyring::new(MasterSecret::new(&[secret; 32]).unwrap(), app, 7)
    }

    fn embedding() -> Embedding {
        Embedding::new("model-a", (0..512).map(|i| (i as f32 * 0.37).sin()).collect()).unwrap()
    }

    const DAY: UtcDay = UtcDay(20_500);

    /// Version 1 bytes made outside this code from the format in the module docs (Python: HKDF by
    /// hand from HMAC-SHA256, AES-256-GCM from `cryptography`): master 00 01 .. 1f, app
    /// "app.example", user "alice", model "model-a", day 20500, nonce 11 x 12, values
    /// (0.5, -0.5, 0.5, -0.5).
    const KNOWN_KEY: &str = "f1b64c389ce25a5cc869f51f609b45a9c7b9238d13d8a80977a7ea48598201fb";
    const KNOWN_SEALED: &str = "454e545401076d6f64656c2d61000050141111111111111111111111118f16cc29f38e7b3d0480e7844dd35a9ada453eab14e302ce7b4a97e63262fc851a54";

    #[test]
    fn known_answer_key_seal_and_open() {
        let r = known_answer_keyring("app.example");
        assert_eq!(hex::encode(r.derive(Purpose::Templates, DAY).bytes()), KNOWN_KEY);
        let values = vec![0.5, -0.5, 0.5, -0.5];
        let embedding = Embedding::new("model-a", values.clone()).unwrap();
        let sealed = SealedTemplate::seal_with_nonce(&r, "alice", &embedding, DAY, [0x11; 12]).unwrap();
        assert_eq!(hex::encode(sealed.as_bytes()), KNOWN_SEALED);
        let stored = SealedTemplate::from_bytes(hex::decode(KNOWN_SEALED).unwrap()).unwrap();
        assert_eq!(stored.open(&r, "alice", "model-a", DAY).unwrap().values(), &values[..]);
    }

    #[test]
    fn a_rewritten_model_id_fails_authentication() {
        // "model-a" -> "model-b" in the header, opened as model-b: the header is associated data.
        let mut bytes = hex::decode(KNOWN_SEALED).unwrap();
        bytes[6 + 6] = b'b';
        let rewritten = SealedTemplate::from_bytes(bytes).unwrap();
        assert_eq!(rewritten.model_id(), "model-b");
        assert_eq!(
            rewritten.open(&known_answer_keyring("app.example"), "alice", "model-b", DAY),
            Err(ProtectError::AuthenticationFailed)
        );
    }

    #[test]
    fn seal_open_round_trip() {
        let r = ring("app", 1);
        let sealed = SealedTemplate::seal(&r, "alice", &embedding(), DAY).unwrap();
        let parsed = SealedTemplate::from_bytes(sealed.as_bytes().to_vec()).unwrap();
        assert_eq!(parsed.model_id(), "model-a");
        assert_eq!(parsed.key_day(), DAY);
        assert_eq!(parsed.open(&r, "alice", "model-a", DAY).unwrap(), embedding());
        // Plaintext values never appear in the sealed bytes.
        let first = embedding().values()[1].to_le_bytes();
        assert!(!sealed.as_bytes().windows(4).any(|w| w == first));
    }

    #[test]
    fn every_flipped_byte_fails_to_open_without_panicking() {
        let r = ring("app", 1);
        let bytes = SealedTemplate::seal(&r, "alice", &embedding(), DAY).unwrap().into_bytes();
        for i in 0..bytes.len() {
            for bit in [0x01, 0x80] {
                let mut t = bytes.clone();
                t[i] ^= bit;
                let opened = SealedTemplate::from_bytes(t).and_then(|s| s.open(&r, "alice", "model-a", DAY));
                assert!(opened.is_err(), "flip at byte {i} bit {bit:#x} still opened");
            }
        }
    }

    #[test]
    fn truncation_at_every_length_is_a_typed_error() {
        let r = ring("app", 1);
        let bytes = SealedTemplate::seal(&r, "alice", &embedding(), DAY).unwrap().into_bytes();
        for n in 0..bytes.len() {
            let opened =
                SealedTemplate::from_bytes(bytes[..n].to_vec()).and_then(|s| s.open(&r, "alice", "model-a", DAY));
            assert!(opened.is_err(), "truncated to {n} still opened");
        }
    }

    #[test]
    fn wrong_key_user_app_model_or_day_is_refused() {
        let r = ring("app", 1);
        let sealed = SealedTemplate::seal(&r, "alice", &embedding(), DAY).unwrap();
        let auth = Err(ProtectError::AuthenticationFailed);
        assert_eq!(sealed.open(&ring("app", 2), "alice", "model-a", DAY), auth);
        assert_eq!(sealed.open(&r, "bob", "model-a", DAY), auth);
        assert_eq!(sealed.open(&ring("other-app", 1), "alice", "model-a", DAY), auth);
        assert!(matches!(sealed.open(&r, "alice", "model-b", DAY), Err(ProtectError::ModelMismatch { .. })));
        // Past the grace window it still opens (stale, to be re-sealed): nobody is lost.
        assert_eq!(sealed.open(&r, "alice", "model-a", UtcDay(DAY.0 + 400)).unwrap(), embedding());
        assert!(matches!(
            sealed.open(&r, "alice", "model-a", UtcDay(DAY.0 - 1)),
            Err(ProtectError::KeyFromFuture { .. })
        ));
        // Changing the key day in the header points at another key: authentication fails.
        let mut moved = sealed.as_bytes().to_vec();
        moved[6 + 7 + 3] ^= 4; // day 20500 -> 20496, inside the grace window
        let moved = SealedTemplate::from_bytes(moved).unwrap();
        assert_eq!(moved.open(&r, "alice", "model-a", DAY), auth);
    }

    #[test]
    fn reseal_moves_to_todays_key() {
        let r = ring("app", 1);
        let old = SealedTemplate::seal(&r, "alice", &embedding(), DAY).unwrap();
        let today = UtcDay(DAY.0 + 5);
        let new = old.reseal(&r, "alice", today).unwrap();
        assert_eq!(new.key_day(), today);
        assert_eq!(new.open(&r, "alice", "model-a", UtcDay(today.0 + 7)).unwrap(), embedding());
        assert!(r.is_stale(old.key_day(), UtcDay(today.0 + 7)) && !r.is_stale(new.key_day(), UtcDay(today.0 + 7)));
    }

    #[test]
    fn nonces_do_not_repeat() {
        let r = ring("app", 1);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..2000 {
            let s = SealedTemplate::seal(&r, "alice", &embedding(), DAY).unwrap();
            let h = s.header_len;
            assert!(seen.insert(s.as_bytes()[h - NONCE_LEN..h].to_vec()));
        }
    }

    #[test]
    fn bad_magic_and_version_are_named() {
        assert_eq!(SealedTemplate::from_bytes(b"XXXX\x01\x00".to_vec()).unwrap_err(), ProtectError::BadMagic);
        assert_eq!(
            SealedTemplate::from_bytes(b"ENTT\x09\x00".to_vec()).unwrap_err(),
            ProtectError::UnsupportedVersion(9)
        );
        // Device mode hands the core a wrapped template as stored only when the browser's key refused it.
        assert_eq!(SealedTemplate::from_bytes(b"ENTW\x01\x00".to_vec()).unwrap_err(), ProtectError::StillWrapped);
    }
}

/// AES-256-GCM known-answer tests from the GCM specification (McGrew and Viega), cases 14 and 16,
/// as reproduced in NIST's GCM validation vectors.
#[cfg(test)]
mod nist_vectors {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    use aes_gcm::{Aes256Gcm, Nonce};

    fn check(key: &str, iv: &str, pt: &str, aad: &str, ct: &str, tag: &str) {
        let cipher = Aes256Gcm::new_from_slice(&hex::decode(key).unwrap()).unwrap();
        let (iv, pt, aad) = (hex::decode(iv).unwrap(), hex::decode(pt).unwrap(), hex::decode(aad).unwrap());
        let out = cipher.encrypt(Nonce::from_slice(&iv), Payload { msg: &pt, aad: &aad }).unwrap();
        assert_eq!(hex::encode(&out), format!("{ct}{tag}"));
        assert_eq!(cipher.decrypt(Nonce::from_slice(&iv), Payload { msg: &out, aad: &aad }).unwrap(), pt);
    }

    #[test]
    fn gcm_case_14_zero_key_one_block() {
        check(
            &"00".repeat(32),
            &"00".repeat(12),
            &"00".repeat(16),
            "",
            "cea7403d4d606b6e074ec5d3baf39d18",
            "d0d1c8a799996bf0265b98b5d48ab919",
        );
    }

    #[test]
    fn gcm_case_16_with_aad() {
        check(
            "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
            "cafebabefacedbaddecaf888",
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
            "feedfacedeadbeeffeedfacedeadbeefabaddad2",
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
            "76fc6ece0f4e1768cddf8853bb2d551b",
        );
    }
}
