//! The server's keys, all derived from its master secret (which never leaves the server): the
//! template keyring of each app (entry-core's), and the Ed25519 keys that sign assertions, one per
//! key version so the signing key can be rotated while the previous one still verifies.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use entry_core::protect::{Keyring, MasterSecret, TemplateProtector};
use hkdf::Hkdf;
use serde::Serialize;
use sha2::{Digest, Sha256};

use entry_core::ErrorCode;

use crate::error::ApiError;
use entry_core::evidence::EvidenceKey;

use crate::evidence::evidence_key;

/// HKDF salt for server keys: domain separation from the core's per-app keys.
const SALT: &[u8] = b"entry/server/v1";

/// The cancellable-template transform version (entry-core's; a master rotation changes the
/// transform's key, so the version itself stays).
const TRANSFORM_VERSION: u32 = 1;

/// One signing key with its id.
struct Signer25519 {
    kid: String,
    key: SigningKey,
}

/// Every key the server uses, derived on start.
pub struct ServerKeys {
    /// The key version of `master`: templates sealed under it record it, assertions name it.
    version: u32,
    master: MasterSecret,
    /// The master of `version - 1` while templates are being moved off it (the same master when
    /// only the signing key was rotated).
    previous: Option<MasterSecret>,
    grace_days: u32,
    /// Current first, then the previous version (still published so older assertions verify).
    signing: Vec<Signer25519>,
    /// The key browsers encrypt evidence to.
    pub evidence: EvidenceKey,
}

/// A public key as a JWK (RFC 8037: OKP, Ed25519).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Jwk {
    /// `OKP`
    pub kty: &'static str,
    /// `Ed25519`
    pub crv: &'static str,
    /// The public key, base64url.
    pub x: String,
    /// Key id: `v<version>-` and the first 16 hex digits of SHA-256 of the public key.
    pub kid: String,
    /// `EdDSA`
    pub alg: &'static str,
    /// `sig`
    #[serde(rename = "use")]
    pub use_: &'static str,
}

fn signing_key(master: &[u8], version: u32) -> Signer25519 {
    let hk = Hkdf::<Sha256>::new(Some(SALT), master);
    let mut seed = [0u8; 32];
    hk.expand(format!("assertion-signing/{version}").as_bytes(), &mut seed).expect("32 bytes is a valid length");
    let key = SigningKey::from_bytes(&seed);
    seed.fill(0);
    let digest = hex::encode(Sha256::digest(key.verifying_key().as_bytes()));
    Signer25519 { kid: format!("v{version}-{}", &digest[..16]), key }
}

impl ServerKeys {
    /// Keys of key `version` from `master` (at least 32 bytes). `previous`: the master of version
    /// `version - 1`, while templates sealed under it are moved (see [`ServerKeys::protector`]);
    /// without it, version `version - 1` is taken to have had the same master (a rotation of the
    /// signing key only).
    pub fn new(master: &[u8], previous: Option<&[u8]>, version: u32, grace_days: u32) -> Result<ServerKeys, ApiError> {
        let invalid = |m: String| ApiError::new(ErrorCode::InvalidConfiguration, m);
        let secret = MasterSecret::new(master).map_err(|e| invalid(format!("the master secret: {e}")))?;
        let previous_secret = previous
            .map(MasterSecret::new)
            .transpose()
            .map_err(|e| invalid(format!("the previous master secret: {e}")))?;
        if version == 0 || (previous.is_some() && version < 2) {
            return Err(invalid("the key version starts at 1, and a previous master needs version 2 or more".into()));
        }
        let mut signing = vec![signing_key(master, version)];
        if version > 1 {
            signing.push(signing_key(previous.unwrap_or(master), version - 1));
        }
        Ok(ServerKeys {
            version,
            master: secret,
            previous: previous_secret,
            grace_days,
            signing,
            evidence: evidence_key(master, version),
        })
    }

    /// The current key version.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// The template protector of `app_id` under key `version` (the current one or the one
    /// before it), or `None` for a version this server no longer holds.
    pub fn protector(
        &self,
        app_id: &str,
        version: u32,
        dimension: usize,
    ) -> Option<Result<TemplateProtector, entry_core::protect::ProtectError>> {
        let master = if version == self.version {
            &self.master
        } else if version + 1 == self.version {
            self.previous.as_ref().unwrap_or(&self.master)
        } else {
            return None;
        };
        let keyring = Keyring::new(master.clone(), app_id, self.grace_days);
        Some(TemplateProtector::new(keyring, TRANSFORM_VERSION, dimension))
    }

    /// The template keyring of `app_id` under the current version.
    pub fn keyring(&self, app_id: &str) -> Keyring {
        Keyring::new(self.master.clone(), app_id, self.grace_days)
    }

    /// The template protector of `app_id` under the current version: what seals new templates and
    /// opens the gallery.
    pub fn current_protector(
        &self,
        app_id: &str,
        dimension: usize,
    ) -> Result<TemplateProtector, entry_core::protect::ProtectError> {
        TemplateProtector::new(self.keyring(app_id), TRANSFORM_VERSION, dimension)
    }

    /// The public signing keys, current first.
    pub fn jwks(&self) -> Vec<Jwk> {
        self.signing
            .iter()
            .map(|s| Jwk {
                kty: "OKP",
                crv: "Ed25519",
                x: URL_SAFE_NO_PAD.encode(s.key.verifying_key().as_bytes()),
                kid: s.kid.clone(),
                alg: "EdDSA",
                use_: "sig",
            })
            .collect()
    }

    /// A compact JWS (`EdDSA`) of `claims` under the current key.
    pub fn sign(&self, claims: &serde_json::Value) -> String {
        let current = &self.signing[0];
        let header = serde_json::json!({ "alg": "EdDSA", "typ": "JWT", "kid": current.kid });
        let input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let signature = current.key.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};

    #[test]
    fn keys_are_stable_per_version_and_signatures_verify_with_the_published_key() {
        let keys = ServerKeys::new(&[7u8; 32], None, 2, 30).unwrap();
        let jwks = keys.jwks();
        assert_eq!(jwks.len(), 2, "the previous version stays published");
        assert!(jwks[0].kid.starts_with("v2-") && jwks[1].kid.starts_with("v1-"));
        assert_eq!(jwks, ServerKeys::new(&[7u8; 32], None, 2, 30).unwrap().jwks(), "derived, not random");
        assert_ne!(jwks[0].x, ServerKeys::new(&[8u8; 32], None, 2, 30).unwrap().jwks()[0].x);
        // A new master at version 2 still publishes version 1 of the old master.
        let rotated = ServerKeys::new(&[8u8; 32], Some(&[7u8; 32]), 2, 30).unwrap().jwks();
        assert_eq!(rotated[1], ServerKeys::new(&[7u8; 32], None, 1, 30).unwrap().jwks()[0]);
        assert!(ServerKeys::new(&[8u8; 32], Some(&[7u8; 32]), 1, 30).is_err());

        let jws = keys.sign(&serde_json::json!({ "sub": "u1" }));
        let (input, signature) = jws.rsplit_once('.').unwrap();
        let public: [u8; 32] = URL_SAFE_NO_PAD.decode(&jwks[0].x).unwrap().try_into().unwrap();
        let signature = Signature::from_slice(&URL_SAFE_NO_PAD.decode(signature).unwrap()).unwrap();
        let key = VerifyingKey::from_bytes(&public).unwrap();
        assert!(key.verify(input.as_bytes(), &signature).is_ok());
        assert!(key.verify(input.replace('e', "f").as_bytes(), &signature).is_err());
        assert!(ServerKeys::new(&[7u8; 16], None, 1, 30).is_err(), "a short master secret is refused");
    }
}
