//! Why evidence was refused.

use crate::{CodedError, ErrorCode};

/// Evidence that cannot be sealed or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    /// It does not open for this attempt: a flipped byte, another attempt's or app's evidence, or
    /// bytes that are not HPKE at all (which of them is not said). SESSION_INVALID.
    #[error("the evidence does not open for this attempt")]
    Refused,
    /// It opened but is not evidence: bad JSON, no frames or too many. INVALID_CONFIGURATION.
    #[error("evidence: {0}")]
    Malformed(String),
    /// The public key to seal to is not an X25519 key (base64url, 32 bytes). INVALID_CONFIGURATION.
    #[error("not an X25519 evidence key")]
    BadKey,
    /// The platform gave no randomness for the ephemeral key. DEVICE_NOT_SUPPORTED.
    #[error("no randomness: {0}")]
    Randomness(String),
}

impl CodedError for EvidenceError {
    fn code(&self) -> ErrorCode {
        match self {
            EvidenceError::Refused => ErrorCode::SessionInvalid,
            EvidenceError::Malformed(_) | EvidenceError::BadKey => ErrorCode::InvalidConfiguration,
            EvidenceError::Randomness(_) => ErrorCode::DeviceNotSupported,
        }
    }
}
