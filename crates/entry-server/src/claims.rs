//! What an assertion says: the claims of the compact JWS (EdDSA) a decided attempt is answered
//! with. Generated for TypeScript (`npm/src/server-types.ts`) so the backend helper reads the same
//! names the server writes.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The liveness check behind an assertion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct LivenessClaim {
    /// The app's liveness mode (`passive`, `passive_and_active`, ...).
    pub mode: entry_core::capture::LivenessMode,
    /// The mean passive live probability of the capture (`null` with liveness off).
    pub score: Option<f32>,
}

/// RFC 7800 confirmation: the device key the assertion was issued to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Confirmation {
    /// The RFC 7638 thumbprint of the browser profile's P-256 key.
    pub jkt: String,
}

/// The claims of an assertion. Names follow JWT (RFC 7519) where one exists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct AssertionClaims {
    /// `entry-server`.
    pub iss: String,
    /// The app id.
    pub aud: String,
    /// The user's `entryUserId`.
    pub sub: String,
    /// The attempt's nonce (base64url): the one the app's page was given.
    pub nonce: String,
    /// The attempt id: single use.
    pub jti: String,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// Expires at, Unix seconds (`iat` + 300).
    pub exp: i64,
    /// Authentication methods: `["face"]`.
    pub amr: Vec<String>,
    /// The target false-match rate the match was decided at.
    pub fmr: f64,
    /// The liveness check.
    pub liveness: LivenessClaim,
    /// Registered by this attempt.
    pub new_user: bool,
    /// The device key is one the server recorded for this user before.
    pub device_known: bool,
    /// The device key the attempt was signed with; absent without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cnf: Option<Confirmation>,
}
