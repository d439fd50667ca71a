//! Evidence: what the browser sends for an attempt, encrypted to the server with HPKE (RFC 9180;
//! X25519-HKDF-SHA256, HKDF-SHA256, AES-128-GCM, base mode) so the page that carries it cannot read
//! or alter it. The AAD binds it to one attempt of one app from one origin, with its nonce.
//!
//! Plaintext (JSON): `{ "frames": [{ "t": <ms, the camera's clock>, "image": <base64url JPEG or
//! PNG: a face-centred crop> }], "device": <optional DeviceProof> }`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use entry_core::ErrorCode;
use hkdf::Hkdf;
use hpke::aead::AesGcm128;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem, OpModeR, OpModeS, Serializable};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use ts_rs::TS;

use crate::error::ApiError;
use crate::store::AttemptRow;

/// The largest evidence body accepted: 120 frames of about 60 kB JPEG, base64url twice over
/// (inside the plaintext, then the ciphertext). Face crops of 320 px are a fraction of that.
pub const MAX_EVIDENCE_BYTES: usize = 16 << 20;

/// HPKE `info`: the protocol and its version.
pub const EVIDENCE_INFO: &[u8] = b"entry/evidence/v1";

/// At most this many frames per attempt: a capture needs about 5, a challenge a few dozen.
pub const MAX_FRAMES: usize = 120;

/// One frame of evidence.
#[derive(Clone, Debug, Serialize, Deserialize, TS)]
pub struct EvidenceFrame {
    /// When the camera took it, milliseconds (its own clock).
    pub t: f64,
    /// The crop, JPEG or PNG, base64url.
    pub image: String,
}

/// The decrypted evidence.
#[derive(Clone, Debug, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The frames the capture used, in order.
    pub frames: Vec<EvidenceFrame>,
    /// The browser profile's device key and its signature over this attempt, when it has one.
    #[serde(default)]
    #[ts(optional)]
    pub device: Option<crate::device::DeviceProof>,
}

/// `POST /v1/attempts/{id}/evidence`: the HPKE encapsulated key and ciphertext, base64url.
#[derive(Clone, Debug, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SealedEvidence {
    /// The app (the attempt must be its).
    pub app: String,
    /// HPKE `enc`.
    pub enc: String,
    /// The AEAD ciphertext with its tag.
    pub ciphertext: String,
}

/// The associated data of an attempt's evidence: `"entry/evidence/v1"` then the attempt id, the
/// nonce (base64url text), the app id and the origin, each with a 4-byte big-endian length.
pub fn evidence_aad(attempt: &AttemptRow) -> Vec<u8> {
    crate::device::attempt_context(EVIDENCE_INFO, attempt)
}

/// The server's evidence key pair, derived from the master secret.
pub struct EvidenceKey {
    private: <X25519HkdfSha256 as Kem>::PrivateKey,
    public: <X25519HkdfSha256 as Kem>::PublicKey,
}

impl EvidenceKey {
    /// Derived from `master` (HKDF-SHA256, salt `entry/server/v1`, info `evidence-hpke/<version>`).
    pub fn derive(master: &[u8], version: u32) -> EvidenceKey {
        let hk = Hkdf::<Sha256>::new(Some(b"entry/server/v1"), master);
        let mut ikm = [0u8; 32];
        hk.expand(format!("evidence-hpke/{version}").as_bytes(), &mut ikm).expect("32 bytes is a valid length");
        let (private, public) = X25519HkdfSha256::derive_keypair(&ikm);
        ikm.fill(0);
        EvidenceKey { private, public }
    }

    /// The public key, base64url (32 bytes): what browsers encrypt to.
    pub fn public_b64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.public.to_bytes())
    }

    /// Opens evidence for `attempt`. A flipped byte, another attempt's or app's evidence, or a
    /// malformed body is SESSION_INVALID (which of them is not said).
    pub fn open(&self, sealed: &SealedEvidence, attempt: &AttemptRow) -> Result<Evidence, ApiError> {
        let refused = || ApiError::new(ErrorCode::SessionInvalid, "the evidence does not open for this attempt");
        let enc = URL_SAFE_NO_PAD.decode(&sealed.enc).map_err(|_| refused())?;
        let ciphertext = URL_SAFE_NO_PAD.decode(&sealed.ciphertext).map_err(|_| refused())?;
        let enc = <X25519HkdfSha256 as Kem>::EncappedKey::from_bytes(&enc).map_err(|_| refused())?;
        let plaintext = hpke::single_shot_open::<AesGcm128, HkdfSha256, X25519HkdfSha256>(
            &OpModeR::Base,
            &self.private,
            &enc,
            EVIDENCE_INFO,
            &ciphertext,
            &evidence_aad(attempt),
        )
        .map_err(|_| refused())?;
        let evidence: Evidence = serde_json::from_slice(&plaintext)
            .map_err(|e| ApiError::new(ErrorCode::InvalidConfiguration, format!("evidence: {e}")))?;
        if evidence.frames.is_empty() || evidence.frames.len() > MAX_FRAMES {
            return Err(ApiError::new(
                ErrorCode::InvalidConfiguration,
                format!("evidence needs 1 to {MAX_FRAMES} frames, got {}", evidence.frames.len()),
            ));
        }
        Ok(evidence)
    }
}

/// The operating system's randomness, for the sender's ephemeral HPKE key.
struct OsRng;

impl hpke::rand_core::RngCore for OsRng {
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
        getrandom::fill(dest).expect("the operating system has randomness");
    }
}

impl hpke::rand_core::CryptoRng for OsRng {}

/// The sender's side, for Rust clients, tests and benchmarks (the SDK's worker does the same
/// in WebAssembly): `plaintext` sealed to the server's `evidence_key` (base64url, as
/// `POST /v1/attempts` returns it) for `attempt` of `app`.
pub fn seal_evidence(
    app: &str,
    evidence_key: &str,
    attempt: &AttemptRow,
    plaintext: &[u8],
) -> Result<SealedEvidence, ApiError> {
    let refused = || ApiError::new(ErrorCode::InvalidConfiguration, "not an X25519 evidence key");
    let key = URL_SAFE_NO_PAD.decode(evidence_key).map_err(|_| refused())?;
    let key = <X25519HkdfSha256 as Kem>::PublicKey::from_bytes(&key).map_err(|_| refused())?;
    let (enc, ciphertext) = hpke::single_shot_seal::<AesGcm128, HkdfSha256, X25519HkdfSha256, _>(
        &OpModeS::Base,
        &key,
        EVIDENCE_INFO,
        plaintext,
        &evidence_aad(attempt),
        &mut OsRng,
    )
    .map_err(|e| ApiError::new(ErrorCode::UnknownError, format!("HPKE: {e}")))?;
    Ok(SealedEvidence {
        app: app.to_string(),
        enc: URL_SAFE_NO_PAD.encode(enc.to_bytes()),
        ciphertext: URL_SAFE_NO_PAD.encode(ciphertext),
    })
}
