//! Device keys: each browser profile keeps a non-extractable ECDSA P-256 key (WebCrypto) and signs
//! every attempt it answers, so "a known device" is a key the server has seen for the user, not a
//! fingerprint of the user agent. The proof travels inside the encrypted evidence.
//!
//! Signed message: entry-core's [`device_message`] (the evidence AAD's fields under the label
//! `entry/device/v1`). Signature: ECDSA P-256 with SHA-256, `r || s` (64 bytes, what WebCrypto's
//! `sign` returns), base64url. The device is named by its RFC 7638 JWK thumbprint.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use entry_core::evidence::{device_message, DeviceJwk, DeviceProof};
use entry_core::ErrorCode;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::store::AttemptRow;

/// The RFC 7638 thumbprint of a P-256 JWK: SHA-256 of `{"crv","kty","x","y"}` in that order,
/// without spaces, base64url.
pub fn thumbprint(jwk: &DeviceJwk) -> String {
    let canonical = format!(r#"{{"crv":"{}","kty":"{}","x":"{}","y":"{}"}}"#, jwk.crv, jwk.kty, jwk.x, jwk.y);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

/// Checks `proof`'s signature over `attempt`; returns the device's thumbprint. A key that is not
/// P-256, or a signature that does not verify, is SESSION_INVALID.
pub fn verify_device(proof: &DeviceProof, attempt: &AttemptRow) -> Result<String, ApiError> {
    let refused = |why: &str| ApiError::new(ErrorCode::SessionInvalid, format!("the device proof {why}"));
    let jwk = &proof.public_key;
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
        .decode(&proof.signature)
        .ok()
        .and_then(|b| Signature::from_slice(&b).ok())
        .ok_or_else(|| refused("has a malformed signature"))?;
    key.verify(&device_message(&attempt.binding()), &signature)
        .map_err(|_| refused("does not verify for this attempt"))?;
    Ok(thumbprint(jwk))
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
