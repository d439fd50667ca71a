/// Failures of protected data. None of them says *why* authentication failed (wrong key, wrong
/// user, tampering): telling them apart would help an attacker.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ProtectError {
    /// The master secret is shorter than 32 bytes.
    #[error("master secret must be at least 32 bytes, got {0}")]
    WeakMasterSecret(usize),
    /// Bytes end before the format says they should.
    #[error("{what} is truncated: {needed} bytes needed, {got} present")]
    Truncated {
        /// What was being read.
        what: &'static str,
        /// Bytes needed.
        needed: usize,
        /// Bytes present.
        got: usize,
    },
    /// The bytes do not start with the format's magic.
    #[error("not a sealed template (bad magic)")]
    BadMagic,
    /// A wrapped template reached the core as it is stored: the browser's wrapping key refused it
    /// (the bytes were altered, or wrapped in another browser profile).
    #[error("a wrapped template did not unwrap: altered, or wrapped by another browser profile's key")]
    StillWrapped,
    /// A sealed format version this build does not read.
    #[error("sealed format version {0} is not supported")]
    UnsupportedVersion(u8),
    /// Sealed for another model or transform version (revoked).
    #[error("sealed for model {found}, expected {expected}")]
    ModelMismatch {
        /// The model id this protector expects.
        expected: String,
        /// The one recorded in the template.
        found: String,
    },
    /// Sealed under a day key later than today (a clock problem or a forgery).
    #[error("sealed with the key of day {sealed_day}, which is after today ({today})")]
    KeyFromFuture {
        /// The template's key day.
        sealed_day: u32,
        /// Today.
        today: u32,
    },
    /// The AEAD tag does not verify.
    #[error("authentication failed: wrong key, wrong user or app, or the data was altered")]
    AuthenticationFailed,
    /// Decrypted content that does not parse.
    #[error("the decrypted content is malformed: {0}")]
    Malformed(String),
    /// A field too long to encode.
    #[error("{0} is too long for the format")]
    TooLong(&'static str),
    /// An embedding dimension the transform does not support.
    #[error("the embedding dimension {0} is not supported by the transform (needs a power of two)")]
    UnsupportedDimension(usize),
    /// The operating system gave no randomness.
    #[error("no randomness available: {0}")]
    Randomness(String),
}

impl ProtectError {
    /// [`ProtectError::Truncated`] unless `bytes` hold at least `needed` bytes of `what`.
    pub(crate) fn need(what: &'static str, bytes: &[u8], needed: usize) -> Result<(), ProtectError> {
        if bytes.len() < needed {
            return Err(ProtectError::Truncated { what, needed, got: bytes.len() });
        }
        Ok(())
    }
}

/// Why a session token was refused.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum SessionError {
    /// Not a session token.
    #[error("session token is malformed")]
    Malformed,
    /// The token does not authenticate.
    #[error("session token is forged, altered or for another app")]
    Forged,
    /// The token is past its expiry.
    #[error("session expired at {expired_at}")]
    Expired {
        /// Unix seconds.
        expired_at: u64,
    },
    /// The token was used before.
    #[error("session token was already used")]
    Replayed,
    /// A lifetime above a day was asked for.
    #[error("session lifetime {0} s is longer than the one-day maximum")]
    LifetimeTooLong(u64),
    /// A key or format failure underneath.
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
            ProtectError::KeyFromFuture { .. } => C::TemplateKeyExpired,
            ProtectError::ModelMismatch { .. } => C::TemplateMismatch,
            ProtectError::Randomness(_) => C::DeviceNotSupported,
            ProtectError::Truncated { .. }
            | ProtectError::BadMagic
            | ProtectError::StillWrapped
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
