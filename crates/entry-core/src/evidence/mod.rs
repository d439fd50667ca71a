//! Evidence for server mode: what the browser hands entry-server instead of a decision. The worker
//! keeps a face-centred crop of each frame the capture used ([`evidence_crop`]), seals them to the
//! server's public key with HPKE ([`seal`]; RFC 9180 base mode, X25519-HKDF-SHA256, HKDF-SHA256,
//! AES-128-GCM) bound to one attempt of one app from one origin ([`AttemptBinding`]), and may add a
//! device key's signature over the same binding ([`device_message`]). The server opens them with
//! its [`EvidenceKey`] and re-runs the capture natively. One definition of the format, used on both
//! sides; docs/protocol.md describes its bytes.

mod capture;
mod crop;
mod error;
mod format;
mod hpke_box;

pub use capture::{EvidenceCapture, EVIDENCE_MARGIN};
pub use crop::{evidence_crop, CROP_SCALE, CROP_SIDE, JPEG_QUALITY};
pub use error::EvidenceError;
pub use format::{
    device_message, evidence_aad, AttemptBinding, DeviceJwk, DeviceProof, Evidence, EvidenceFrame, SealedEvidence,
    DEVICE_INFO, EVIDENCE_INFO, MAX_FRAMES,
};
pub use hpke_box::{seal, seal_bytes, EvidenceKey};
