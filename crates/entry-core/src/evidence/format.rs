//! The evidence format: what is sealed, what it is bound to, what a device signs.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// HPKE `info`, and the first bytes of the AAD: the protocol and its version.
pub const EVIDENCE_INFO: &[u8] = b"entry/evidence/v1";

/// The first bytes of what a device key signs: the protocol and its version.
pub const DEVICE_INFO: &[u8] = b"entry/device/v1";

/// At most this many frames per attempt: a capture needs about 5, a challenge a few dozen.
pub const MAX_FRAMES: usize = 120;

/// What one attempt's evidence is bound to: the server's attempt, its nonce, the app and the
/// origin the attempt was created from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttemptBinding {
    /// The attempt id the server gave.
    pub attempt_id: String,
    /// The attempt's nonce, base64url text as the server gave it.
    pub nonce: String,
    /// The app id.
    pub app_id: String,
    /// The page's origin (`https://host`).
    pub origin: String,
}

impl AttemptBinding {
    /// `label`, then the attempt id, the nonce, the app id and the origin, each preceded by its
    /// length as 4 bytes big-endian (so no two bindings share an encoding).
    fn bytes(&self, label: &[u8]) -> Vec<u8> {
        let mut out = label.to_vec();
        for field in [&self.attempt_id, &self.nonce, &self.app_id, &self.origin] {
            out.extend_from_slice(&(field.len() as u32).to_be_bytes());
            out.extend_from_slice(field.as_bytes());
        }
        out
    }
}

/// The HPKE associated data of the evidence for `binding`.
pub fn evidence_aad(binding: &AttemptBinding) -> Vec<u8> {
    binding.bytes(EVIDENCE_INFO)
}

/// What a device key signs for `binding` (ECDSA P-256 / SHA-256).
pub fn device_message(binding: &AttemptBinding) -> Vec<u8> {
    binding.bytes(DEVICE_INFO)
}

/// One frame of evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct EvidenceFrame {
    /// When the camera took it, milliseconds (its own clock).
    pub t: f64,
    /// The face-centred crop, JPEG or PNG, base64url.
    pub image: String,
}

/// A P-256 public key as a JWK (RFC 7518), as WebCrypto exports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DeviceJwk {
    /// `EC`
    pub kty: String,
    /// `P-256`
    pub crv: String,
    /// The x coordinate, base64url (32 bytes).
    pub x: String,
    /// The y coordinate, base64url (32 bytes).
    pub y: String,
}

/// A device's proof for one attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeviceProof {
    /// The device's public key.
    pub public_key: DeviceJwk,
    /// ECDSA P-256 / SHA-256 over [`device_message`], `r || s` (64 bytes), base64url.
    pub signature: String,
}

/// The sealed plaintext.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The frames the capture used, in order (1 to [`MAX_FRAMES`]).
    pub frames: Vec<EvidenceFrame>,
    /// The browser profile's device key and its signature over this attempt, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub device: Option<DeviceProof>,
}

/// `POST /v1/attempts/{id}/evidence`: the HPKE encapsulated key and ciphertext, base64url.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SealedEvidence {
    /// The app (the attempt must be its).
    pub app: String,
    /// HPKE `enc`.
    pub enc: String,
    /// The AEAD ciphertext with its tag.
    pub ciphertext: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known answer: the byte layout docs/protocol.md gives.
    #[test]
    fn bindings_are_length_prefixed_under_their_label() {
        let b = AttemptBinding { attempt_id: "a1".into(), nonce: "n".into(), app_id: "app".into(), origin: "".into() };
        let mut expected = b"entry/evidence/v1".to_vec();
        expected.extend_from_slice(b"\0\0\0\x02a1\0\0\0\x01n\0\0\0\x03app\0\0\0\0");
        assert_eq!(evidence_aad(&b), expected);
        assert_eq!(&device_message(&b)[..15], b"entry/device/v1");
        assert_eq!(device_message(&b)[15..], expected[17..]);
        let shifted = AttemptBinding { attempt_id: "a".into(), nonce: "1n".into(), ..b.clone() };
        assert_ne!(evidence_aad(&shifted), evidence_aad(&b), "moving a byte between fields changes the AAD");
    }
}
