//! The server's side of the evidence (entry-core's [`entry_core::evidence`] defines the format and
//! the HPKE suite): its key pair, derived from the master secret, and opening evidence for an
//! attempt as stored.

use entry_core::evidence::{AttemptBinding, Evidence, EvidenceKey, SealedEvidence};
use entry_core::CodedError;
use hkdf::Hkdf;
use sha2::Sha256;

use crate::error::ApiError;
use crate::store::AttemptRow;

/// The largest evidence body accepted: 120 crops of up to about 180 kB (640 px, JPEG 95), base64url
/// twice over (inside the plaintext, then the ciphertext). A passive capture sends 8-13 crops of
/// 60-90 kB: about 2 MB.
pub const MAX_EVIDENCE_BYTES: usize = 40 << 20;

impl AttemptRow {
    /// What the attempt's evidence and device proof are bound to.
    pub fn binding(&self) -> AttemptBinding {
        AttemptBinding {
            attempt_id: self.attempt_id.clone(),
            nonce: self.nonce.clone(),
            app_id: self.app_id.clone(),
            origin: self.origin.clone(),
        }
    }
}

/// The server's evidence key pair of key `version`, derived from `master` (HKDF-SHA256, salt
/// `entry/server/v1`, info `evidence-hpke/<version>`, then RFC 9180 DeriveKeyPair).
pub fn evidence_key(master: &[u8], version: u32) -> EvidenceKey {
    let hk = Hkdf::<Sha256>::new(Some(b"entry/server/v1"), master);
    let mut ikm = [0u8; 32];
    hk.expand(format!("evidence-hpke/{version}").as_bytes(), &mut ikm).expect("32 bytes is a valid length");
    let key = EvidenceKey::derive(&ikm);
    ikm.fill(0);
    key
}

/// Opens `sealed` for `attempt`: SESSION_INVALID unless sealed to `key` for exactly this attempt,
/// INVALID_CONFIGURATION when it is not 1 to 120 frames of evidence.
pub(crate) fn open(key: &EvidenceKey, sealed: &SealedEvidence, attempt: &AttemptRow) -> Result<Evidence, ApiError> {
    key.open(sealed, &attempt.binding()).map_err(|e| ApiError::new(e.code(), e.to_string()))
}
