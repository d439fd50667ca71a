//! Device keys: each browser profile keeps a non-extractable ECDSA P-256 key (WebCrypto) and signs
//! every attempt it answers, so "a known device" is a key the server has seen for the user, not a
//! fingerprint of the user agent. The proof travels inside the encrypted evidence.
//!
//! Signed message: `"entry/device/v1"` then the attempt id, the nonce (base64url text), the app
//! id and the origin, each with a 4-byte big-endian length (the evidence AAD's fields under
//! another label). Signature: ECDSA P-256 with SHA-256, `r || s` (64 bytes, what WebCrypto's
//! `sign` returns), base64url. The device is named by its RFC 7638 JWK thumbprint.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use entry_core::ErrorCode;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::ApiError;
use crate::store::AttemptRow;

/// The label of the signed message: the protocol and its version.
pub const DEVICE_INFO: &[u8] = b"entry/device/v1";

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
#[derive(Clone, Debug, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeviceProof {
    /// The device's public key.
    pub public_key: DeviceJwk,
    /// ECDSA P-256 / SHA-256 over [`device_message`], `r || s`, base64url.
    pub signature: String,
}

/// `label` then the attempt's id, nonce, app and origin, each length-prefixed.
pub(crate) fn attempt_context(label: &[u8], attempt: &AttemptRow) -> Vec<u8> {
    let mut out = label.to_vec();
    for field in [&attempt.attempt_id, &attempt.nonce, &attempt.app_id, &attempt.origin] {
        out.extend_from_slice(&(field.len() as u32).to_be_bytes());
        out.extend_from_slice(field.as_bytes());
    }
    out
}

/// What a device signs for `attempt`.
pub fn device_message(attempt: &AttemptRow) -> Vec<u8> {
    attempt_context(DEVICE_INFO, attempt)
}

/// The RFC 7638 thumbprint of a P-256 JWK: SHA-256 of `{"crv","kty","x","y"}` in that order,
/// without spaces, base64url.
pub fn thumbprint(jwk: &DeviceJwk) -> String {
    let canonical = format!(r#"{{"crv":"{}","kty":"{}","x":"{}","y":"{}"}}"#, jwk.crv, jwk.kty, jwk.x, jwk.y);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

impl DeviceProof {
    /// Checks the signature over `attempt`; returns the device's thumbprint. A key that is not
    /// P-256, or a signature that does not verify, is SESSION_INVALID.
    pub fn verify(&self, attempt: &AttemptRow) -> Result<String, ApiError> {
        let refused = |why: &str| ApiError::new(ErrorCode::SessionInvalid, format!("the device proof {why}"));
        let jwk = &self.public_key;
        if jwk.kty != "EC" || jwk.crv != "P-256" {
            return Err(refused("needs an EC P-256 key"));
        }
        let coordinate = |c: &str| -> Result<[u8; 32], ApiError> {
            URL_SAFE_NO_PAD.decode(c).ok().and_then(|b| b.try_into().ok()).ok_or_else(|| refused("has a malformed key"))
        };
        let mut point = vec![4u8];
        point.extend_from_slice(&coordinate(&jwk.x)?);
        point.extend_from_slice(&coordinate(&jwk.y)?);
        let key = VerifyingKey::from_sec1_bytes(&point).map_err(|_| refused("has a key off the curve"))?;
        let signature = URL_SAFE_NO_PAD
            .decode(&self.signature)
            .ok()
            .and_then(|b| Signature::from_slice(&b).ok())
            .ok_or_else(|| refused("has a malformed signature"))?;
        key.verify(&device_message(attempt), &signature).map_err(|_| refused("does not verify for this attempt"))?;
        Ok(thumbprint(jwk))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7638 section 3.1 uses an RSA key; this is the same construction on the P-256 key of
    /// RFC 7515 appendix A.3, whose thumbprint was computed independently (Python's hashlib).
    #[test]
    fn thumbprint_is_rfc7638() {
        let jwk = DeviceJwk {
            kty: "EC".into(),
            crv: "P-256".into(),
            x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU".into(),
            y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0".into(),
        };
        assert_eq!(thumbprint(&jwk), "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U");
    }
}
