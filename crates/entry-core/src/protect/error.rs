/// Failures of protected data. None of them says *why* authentication failed (wrong key, wrong
/// user, tampering): telling them apart would help an attacker.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ProtectError {
    #[error("master secret must be at least 32 bytes, got {0}")]
    WeakMasterSecret(usize),
    #[error("{what} is truncated: {needed} bytes needed, {got} present")]
    Truncated { what: &'static str, needed: usize, got: usize },
    #[error("not a sealed template (bad magic)")]
    BadMagic,
    #[error("sealed format version {0} is not supported")]
    UnsupportedVersion(u8),
    #[error("sealed for model {found}, expected {expected}")]
    ModelMismatch { expected: String, found: String },
    #[error("sealed with the key of day {sealed_day}; only days {oldest}..={today} are accepted")]
    KeyExpired { sealed_day: u32, oldest: u32, today: u32 },
    #[error("sealed with the key of day {sealed_day}, which is after today ({today})")]
    KeyFromFuture { sealed_day: u32, today: u32 },
    #[error("authentication failed: wrong key, wrong user or app, or the data was altered")]
    AuthenticationFailed,
    #[error("the decrypted content is malformed: {0}")]
    Malformed(String),
    #[error("{0} is too long for the format")]
    TooLong(&'static str),
    #[error("the embedding dimension {0} is not supported by the transform (needs a power of two)")]
    UnsupportedDimension(usize),
    #[error("no randomness available: {0}")]
    Randomness(String),
}

/// Why a session token was refused.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum SessionError {
    #[error("session token is malformed")]
    Malformed,
    #[error("session token is forged, altered or for another app")]
    Forged,
    #[error("session expired at {expired_at}")]
    Expired { expired_at: u64 },
    #[error("session token was already used")]
    Replayed,
    #[error("session lifetime {0} s is longer than the one-day maximum")]
    LifetimeTooLong(u64),
    #[error(transparent)]
    Protect(#[from] ProtectError),
}

impl crate::CodedError for ProtectError {
    fn code(&self) -> crate::ErrorCode {
        use crate::ErrorCode as C;
        match self {
            ProtectError::WeakMasterSecret(_) | ProtectError::UnsupportedDimension(_) | ProtectError::TooLong(_) => {
                C::InvalidConfiguration
            }
            ProtectError::KeyExpired { .. } | ProtectError::KeyFromFuture { .. } => C::TemplateKeyExpired,
            ProtectError::ModelMismatch { .. } => C::TemplateMismatch,
            ProtectError::Randomness(_) => C::DeviceNotSupported,
            ProtectError::Truncated { .. }
            | ProtectError::BadMagic
            | ProtectError::UnsupportedVersion(_)
            | ProtectError::AuthenticationFailed
            | ProtectError::Malformed(_) => C::TemplateTampered,
        }
    }
}

impl crate::CodedError for SessionError {
    fn code(&self) -> crate::ErrorCode {
        use crate::ErrorCode as C;
        match self {
            SessionError::Expired { .. } => C::SessionExpired,
            SessionError::Replayed => C::SessionReplayed,
            SessionError::LifetimeTooLong(_) => C::InvalidConfiguration,
            SessionError::Malformed | SessionError::Forged => C::SessionInvalid,
            SessionError::Protect(e) => crate::CodedError::code(e),
        }
    }
}
