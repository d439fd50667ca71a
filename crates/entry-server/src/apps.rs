//! An app as the server knows it: where it may be used from (origins, client networks), its
//! policy, and the hash of its API key. The checks a request passes before anything else happens.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use entry_core::capture::CapturePolicy;
use entry_core::login::LoginPolicy;
use entry_core::policy::{DomainAllowList, IpAllowList, LockoutPolicy};
use entry_core::ErrorCode;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::ApiError;

/// What an app decides; every field has a default.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AppPolicy {
    /// How a capture runs (liveness mode, frames, challenge).
    pub capture: CapturePolicy,
    /// Match policy and guardian flow.
    pub login: LoginPolicy,
    /// When failures lock an account.
    pub lockout: LockoutPolicy,
}

/// One app.
#[derive(Clone, Debug, PartialEq)]
pub struct App {
    /// The app's id (`aud` of its assertions).
    pub app_id: String,
    /// Allowed page origins: host names or `*.` wildcards.
    pub origins: Vec<String>,
    /// Allowed client networks (CIDR); empty allows every address.
    pub ip_allow_list: Vec<String>,
    /// The app's policy.
    pub policy: AppPolicy,
    /// Hex SHA-256 of the app's API key.
    pub api_key_sha256: String,
}

fn key_hash(api_key: &str) -> String {
    hex::encode(Sha256::digest(api_key.as_bytes()))
}

impl App {
    /// A new app and its API key (shown once; the server keeps only its hash). Refuses malformed
    /// origins and networks.
    pub fn create(
        app_id: &str,
        origins: Vec<String>,
        ip_allow_list: Vec<String>,
        policy: AppPolicy,
    ) -> Result<(App, String), ApiError> {
        if app_id.trim().is_empty() || origins.is_empty() {
            return Err(ApiError::new(ErrorCode::InvalidConfiguration, "an app needs an id and at least one origin"));
        }
        DomainAllowList::new(&origins)?;
        IpAllowList::new(&ip_allow_list)?;
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| ApiError::new(ErrorCode::UnknownError, format!("no randomness: {e}")))?;
        let api_key = format!("entry_{}", URL_SAFE_NO_PAD.encode(bytes));
        let app = App { app_id: app_id.into(), origins, ip_allow_list, policy, api_key_sha256: key_hash(&api_key) };
        Ok((app, api_key))
    }

    /// Refuses a request whose `Origin` header is missing or not allowed (ORIGIN_NOT_ALLOWED).
    pub fn check_origin(&self, origin: Option<&str>) -> Result<(), ApiError> {
        let list = DomainAllowList::new(&self.origins)?;
        match origin {
            Some(origin) if list.allows(origin) => Ok(()),
            Some(origin) => Err(ApiError::new(
                ErrorCode::OriginNotAllowed,
                format!("origin {origin} is not allowed for {}", self.app_id),
            )),
            None => Err(ApiError::new(ErrorCode::OriginNotAllowed, "the request has no Origin header")),
        }
    }

    /// Refuses a client address outside the app's networks (IP_NOT_ALLOWED).
    pub fn check_client(&self, ip: &str) -> Result<(), ApiError> {
        if self.ip_allow_list.is_empty() || IpAllowList::new(&self.ip_allow_list)?.allows(ip) {
            Ok(())
        } else {
            Err(ApiError::new(ErrorCode::IpNotAllowed, format!("{ip} is outside {}'s networks", self.app_id)))
        }
    }

    /// Whether `api_key` is this app's (compared as hashes, in constant time).
    pub fn has_api_key(&self, api_key: &str) -> bool {
        key_hash(api_key).as_bytes().ct_eq(self.api_key_sha256.as_bytes()).into()
    }
}
