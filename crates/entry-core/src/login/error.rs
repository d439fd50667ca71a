//! Why a login attempt did not end with a user.

use crate::documents::AamvaError;
use crate::documents::DocumentError;
use crate::documents::MrzError;
use crate::protect::{ProtectError, SessionError};
use crate::{CodedError, ErrorCode};

use super::user::Timestamp;

/// Every way an attempt can end without a user; each has one stable [`ErrorCode`]. Messages name
/// ids and reasons, never a score (a score in a message is a free oracle for hill-climbing).
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Identify found nobody close enough and was not asked to register (USER_NOT_FOUND).
    #[error("no enrolled user matches this face")]
    NoMatch,
    /// Verify named a user who does not exist or has no template (USER_NOT_FOUND).
    #[error("no enrolled user {0}")]
    UnknownUser(String),
    /// Too many failed checks of this user (ACCOUNT_LOCKED).
    #[error("too many failed checks: locked until {}", Timestamp(*until * 1000).iso())]
    AccountLocked {
        /// Unix seconds.
        until: u64,
    },
    /// The face is not the verified user's (FACE_MATCH_FAILED).
    #[error("the face does not match {0}")]
    FaceMismatch(String),
    /// The face is not the one on the document's portrait (FACE_MATCH_FAILED).
    #[error("the face does not match the document photo")]
    DocumentMismatch,
    /// Close to an enrolled user, not close enough for this use (FALLBACK_REQUIRED): ask for
    /// another factor; registering would create a near-duplicate.
    #[error("the face is close to an enrolled user but this use needs another factor")]
    FallbackRequired,
    /// The verified user's stored template does not open (tampered, revoked, key expired).
    #[error("the stored template of {user} cannot be opened ({code})")]
    TemplateUnreadable {
        /// The user.
        user: String,
        /// Why it does not open.
        code: ErrorCode,
    },
    /// The capture ended without a face to match (its code: liveness, timeout, cancelled, ...).
    #[error("{message}")]
    Capture {
        /// The capture's code.
        code: ErrorCode,
        /// The capture's message.
        message: String,
    },
    /// A call out of order, or an argument the attempt cannot use (INVALID_CONFIGURATION).
    #[error("{0}")]
    Invalid(String),
    /// A pipeline failure.
    #[error(transparent)]
    Core(#[from] crate::Error),
    /// A template or key failure.
    #[error(transparent)]
    Protect(#[from] ProtectError),
    /// A session token failure.
    #[error(transparent)]
    Session(#[from] SessionError),
    /// The MRZ does not read.
    #[error(transparent)]
    Mrz(#[from] MrzError),
    /// The AAMVA text does not read.
    #[error(transparent)]
    Aamva(#[from] AamvaError),
    /// The document cannot be used.
    #[error(transparent)]
    Document(#[from] DocumentError),
}

impl CodedError for LoginError {
    fn code(&self) -> ErrorCode {
        match self {
            LoginError::NoMatch | LoginError::UnknownUser(_) => ErrorCode::UserNotFound,
            LoginError::AccountLocked { .. } => ErrorCode::AccountLocked,
            LoginError::FaceMismatch(_) | LoginError::DocumentMismatch => ErrorCode::FaceMatchFailed,
            LoginError::FallbackRequired => ErrorCode::FallbackRequired,
            LoginError::TemplateUnreadable { code, .. } | LoginError::Capture { code, .. } => *code,
            LoginError::Invalid(_) => ErrorCode::InvalidConfiguration,
            LoginError::Core(e) => e.code(),
            LoginError::Protect(e) => e.code(),
            LoginError::Session(e) => e.code(),
            LoginError::Mrz(e) => e.code(),
            LoginError::Aamva(e) => e.code(),
            LoginError::Document(e) => e.code(),
        }
    }
}
