//! The server's one error type: a stable [`ErrorCode`] (the same codes the SDK reports), an HTTP
//! status that follows from it, and a message that names ids and reasons, never secrets or faces.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use entry_core::{CodedError, ErrorCode};
use serde::Serialize;

/// A failed request or operation.
#[derive(Debug, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    /// The stable code.
    pub code: ErrorCode,
    /// What happened, for a log or the caller.
    pub message: String,
}

impl ApiError {
    /// An error with `code`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError { code, message: message.into() }
    }

    /// A database failure: the cause goes to the log, the caller sees STORAGE_ERROR.
    pub fn storage(e: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %e, "database");
        ApiError::new(ErrorCode::StorageError, "the database failed")
    }

    /// The HTTP status for the code.
    pub fn status(&self) -> StatusCode {
        match self.code {
            ErrorCode::InvalidConfiguration | ErrorCode::InvalidFrame | ErrorCode::InvalidImage => {
                StatusCode::BAD_REQUEST
            }
            ErrorCode::OriginNotAllowed | ErrorCode::IpNotAllowed => StatusCode::FORBIDDEN,
            ErrorCode::SessionInvalid => StatusCode::UNAUTHORIZED,
            ErrorCode::SessionExpired | ErrorCode::SessionReplayed => StatusCode::GONE,
            ErrorCode::AccountLocked => StatusCode::LOCKED,
            ErrorCode::UserNotFound => StatusCode::NOT_FOUND,
            ErrorCode::StorageError | ErrorCode::UnknownError => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

impl<E: CodedError> From<E> for ApiError {
    fn from(e: E) -> ApiError {
        ApiError::new(e.code(), e.to_string())
    }
}

/// The JSON body of an error answer.
#[derive(Serialize)]
struct ErrorBody<'a> {
    code: ErrorCode,
    message: &'a str,
    retryable: bool,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { code: self.code, message: &self.message, retryable: self.code.is_retryable() };
        (self.status(), Json(body)).into_response()
    }
}
