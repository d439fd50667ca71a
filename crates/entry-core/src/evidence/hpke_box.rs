//! HPKE (RFC 9180) base mode with X25519-HKDF-SHA256, HKDF-SHA256 and AES-128-GCM: the sender's
//! [`seal`] (the browser's worker, a Rust client) and the server's [`EvidenceKey`].

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hpke::aead::AesGcm128;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem, OpModeR, OpModeS, Serializable};

use super::error::EvidenceError;
use super::format::{evidence_aad, AttemptBinding, Evidence, SealedEvidence, EVIDENCE_INFO, MAX_FRAMES};

/// The platform's randomness (getrandom: the OS natively, `crypto.getRandomValues` in wasm), for
/// the sender's ephemeral key.
struct PlatformRng;

impl hpke::rand_core::RngCore for PlatformRng {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        // `seal` checks the platform has randomness before HPKE asks for any.
        getrandom::fill(dest).expect("randomness was checked before sealing");
    }
}

impl hpke::rand_core::CryptoRng for PlatformRng {}

/// Seals `evidence` to the server's `evidence_key` (base64url, 32 bytes, as `POST /v1/attempts`
/// returns it) for the attempt `binding`.
pub fn seal(
    evidence_key: &str,
    binding: &AttemptBinding,
    evidence: &Evidence,
) -> Result<SealedEvidence, EvidenceError> {
    let plaintext = serde_json::to_vec(evidence).map_err(|e| EvidenceError::Malformed(e.to_string()))?;
    seal_bytes(evidence_key, binding, &plaintext)
}

/// [`seal`] for any plaintext (tests that forge evidence use it).
pub fn seal_bytes(
    evidence_key: &str,
    binding: &AttemptBinding,
    plaintext: &[u8],
) -> Result<SealedEvidence, EvidenceError> {
    let key = URL_SAFE_NO_PAD.decode(evidence_key).map_err(|_| EvidenceError::BadKey)?;
    let key = <X25519HkdfSha256 as Kem>::PublicKey::from_bytes(&key).map_err(|_| EvidenceError::BadKey)?;
    getrandom::fill(&mut [0u8; 1]).map_err(|e| EvidenceError::Randomness(e.to_string()))?;
    let (enc, ciphertext) = hpke::single_shot_seal::<AesGcm128, HkdfSha256, X25519HkdfSha256, _>(
        &OpModeS::Base,
        &key,
        EVIDENCE_INFO,
        plaintext,
        &evidence_aad(binding),
        &mut PlatformRng,
    )
    .map_err(|e| EvidenceError::Malformed(format!("HPKE: {e}")))?;
    Ok(SealedEvidence {
        app: binding.app_id.clone(),
        enc: URL_SAFE_NO_PAD.encode(enc.to_bytes()),
        ciphertext: URL_SAFE_NO_PAD.encode(ciphertext),
    })
}

/// The receiver's key pair (the server's), derived from 32 bytes of key material.
pub struct EvidenceKey {
    private: <X25519HkdfSha256 as Kem>::PrivateKey,
    public: <X25519HkdfSha256 as Kem>::PublicKey,
}

impl EvidenceKey {
    /// The key pair RFC 9180's DeriveKeyPair makes from `ikm`.
    pub fn derive(ikm: &[u8; 32]) -> EvidenceKey {
        let (private, public) = X25519HkdfSha256::derive_keypair(ikm);
        EvidenceKey { private, public }
    }

    /// The public key, base64url (32 bytes): what browsers seal to.
    pub fn public_b64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.public.to_bytes())
    }

    /// Opens `sealed` for the attempt `binding`: [`EvidenceError::Refused`] unless it was sealed
    /// to this key for exactly this binding and not altered; [`EvidenceError::Malformed`] when it
    /// opens but is not 1 to [`MAX_FRAMES`] frames of evidence.
    pub fn open(&self, sealed: &SealedEvidence, binding: &AttemptBinding) -> Result<Evidence, EvidenceError> {
        let enc = URL_SAFE_NO_PAD.decode(&sealed.enc).map_err(|_| EvidenceError::Refused)?;
        let ciphertext = URL_SAFE_NO_PAD.decode(&sealed.ciphertext).map_err(|_| EvidenceError::Refused)?;
        let enc = <X25519HkdfSha256 as Kem>::EncappedKey::from_bytes(&enc).map_err(|_| EvidenceError::Refused)?;
        let plaintext = hpke::single_shot_open::<AesGcm128, HkdfSha256, X25519HkdfSha256>(
            &OpModeR::Base,
            &self.private,
            &enc,
            EVIDENCE_INFO,
            &ciphertext,
            &evidence_aad(binding),
        )
        .map_err(|_| EvidenceError::Refused)?;
        let evidence: Evidence =
            serde_json::from_slice(&plaintext).map_err(|e| EvidenceError::Malformed(e.to_string()))?;
        if evidence.frames.is_empty() || evidence.frames.len() > MAX_FRAMES {
            return Err(EvidenceError::Malformed(format!(
                "1 to {MAX_FRAMES} frames are needed, got {}",
                evidence.frames.len()
            )));
        }
        Ok(evidence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::EvidenceFrame;

    fn binding() -> AttemptBinding {
        AttemptBinding {
            attempt_id: "att".into(),
            nonce: "bm9uY2U".into(),
            app_id: "bank.example".into(),
            origin: "https://bank.example".into(),
        }
    }

    fn evidence() -> Evidence {
        Evidence { frames: vec![EvidenceFrame { t: 0.0, image: "AAAA".into() }], device: None }
    }

    /// Made outside this code (Python: RFC 9180 base mode by hand from HMAC-SHA256, X25519 and
    /// AES-128-GCM from `cryptography`): receiver key from DeriveKeyPair(00 01 .. 1f), ephemeral
    /// private key 42 x 32, info and AAD as `evidence_aad` describes, for attempt "att-1".
    #[test]
    fn known_answer_evidence_from_another_hpke_implementation_opens() {
        let key = EvidenceKey::derive(&std::array::from_fn(|i| i as u8));
        assert_eq!(key.public_b64(), "sfG4QN56MkGwJ0jPmwW3TcjF6EUSmHOIF712qo6-jCs");
        let sealed = SealedEvidence {
            app: "bank.example".into(),
            enc: "EyxEK-AQ-9V-cmAzKKp25x_MwVA6riGTJ9FNnJmT9HI".into(),
            ciphertext: "wrIoKe5VxoPj9P_XPQzRPzWkwBWfF5wW00Ji5Rqil_DKbW3rxsy7na439WQu6QI6Hzwz65jZ".into(),
        };
        let binding = AttemptBinding { attempt_id: "att-1".into(), ..binding() };
        let opened = key.open(&sealed, &binding).unwrap();
        assert_eq!(opened, Evidence { frames: vec![EvidenceFrame { t: 12.5, image: "AAAA".into() }], device: None });
        assert!(matches!(
            key.open(&sealed, &AttemptBinding { attempt_id: "att-2".into(), ..binding }),
            Err(EvidenceError::Refused)
        ));
    }

    #[test]
    fn sealed_evidence_opens_only_for_its_binding_and_unaltered() {
        let key = EvidenceKey::derive(&[3u8; 32]);
        let sealed = seal(&key.public_b64(), &binding(), &evidence()).unwrap();
        assert_eq!(sealed.app, "bank.example");
        assert_eq!(key.open(&sealed, &binding()).unwrap(), evidence());
        for other in [
            AttemptBinding { attempt_id: "other".into(), ..binding() },
            AttemptBinding { nonce: "other".into(), ..binding() },
            AttemptBinding { app_id: "other.example".into(), ..binding() },
            AttemptBinding { origin: "https://evil.example".into(), ..binding() },
        ] {
            assert_eq!(key.open(&sealed, &other), Err(EvidenceError::Refused));
        }
        let mut bytes = URL_SAFE_NO_PAD.decode(&sealed.ciphertext).unwrap();
        bytes[3] ^= 1;
        let flipped = SealedEvidence { ciphertext: URL_SAFE_NO_PAD.encode(bytes), ..sealed.clone() };
        assert_eq!(key.open(&flipped, &binding()), Err(EvidenceError::Refused));
        assert_eq!(EvidenceKey::derive(&[4u8; 32]).open(&sealed, &binding()), Err(EvidenceError::Refused));
        assert_eq!(seal("not a key", &binding(), &evidence()), Err(EvidenceError::BadKey));
        let empty = seal_bytes(&key.public_b64(), &binding(), br#"{"frames":[]}"#).unwrap();
        assert!(matches!(key.open(&empty, &binding()), Err(EvidenceError::Malformed(_))));
        let sealed_twice = seal(&key.public_b64(), &binding(), &evidence()).unwrap();
        assert_ne!(sealed_twice.enc, sealed.enc, "a fresh ephemeral key each time");
    }
}
