//! The stable error codes every boundary reports (wasm, the SDK, the server), defined once.
//!
//! Each error type that can cross a boundary implements [`CodedError`]. The TypeScript list
//! (`npm/src/error-codes.ts`) is generated from [`ErrorCode::ALL`] and checked by
//! `cargo test -p entry-core --test error_codes` (`ENTRY_BLESS=1` rewrites it), so a code added here
//! and not there, or the reverse, fails a test instead of falling back silently.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! error_codes {
    ($($(#[doc = $doc:literal])+ $name:ident = $code:literal, retryable: $retry:literal;)+) => {
        /// A stable, machine-readable failure code; it serialises as its `SCREAMING_SNAKE_CASE` string.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($(#[doc = $doc])+ $name,)+
        }

        impl ErrorCode {
            /// Every code, in the order of the list above.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$name),+];

            /// The code as it crosses every boundary, e.g. `"USER_NOT_FOUND"`.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$name => $code,)+ }
            }

            /// Whether trying again (better light, another attempt, the network back) can succeed.
            pub fn is_retryable(self) -> bool {
                match self { $(ErrorCode::$name => $retry,)+ }
            }

            /// What the code means, for documentation on the other side of a boundary.
            pub fn description(self) -> &'static str {
                match self { $(ErrorCode::$name => concat!($($doc),+).trim_ascii(),)+ }
            }
        }
    };
}

error_codes! {
    /// No enrolled user matches the face.
    UserNotFound = "USER_NOT_FOUND", retryable: false;
    /// The capture did not pass the liveness check (spoof, static input, challenge, changed face).
    LivenessCheckFailed = "LIVENESS_CHECK_FAILED", retryable: true;
    /// The face does not match the user it was checked against.
    FaceMatchFailed = "FACE_MATCH_FAILED", retryable: true;
    /// The face is close to the enrolled one but not close enough for this use: ask for another factor.
    FallbackRequired = "FALLBACK_REQUIRED", retryable: true;
    /// No face was found where one was needed.
    NoFaceDetected = "NO_FACE_DETECTED", retryable: true;
    /// More than one person is in view.
    MultipleFacesDetected = "MULTIPLE_FACES_DETECTED", retryable: true;
    /// The face is too small, dark, blurred or turned to be used.
    PoorQuality = "POOR_QUALITY", retryable: true;
    /// The person or the browser refused camera access.
    CameraAccessDenied = "CAMERA_ACCESS_DENIED", retryable: false;
    /// No camera is available.
    CameraNotFound = "CAMERA_NOT_FOUND", retryable: false;
    /// Another program holds the camera.
    CameraInUse = "CAMERA_IN_USE", retryable: true;
    /// The browser lacks something Entry needs (module workers, OffscreenCanvas, wasm SIMD, randomness).
    DeviceNotSupported = "DEVICE_NOT_SUPPORTED", retryable: false;
    /// The person cancelled the capture.
    UserCancelled = "USER_CANCELLED", retryable: true;
    /// Too many failed checks of this user: verification is refused until the lock expires.
    AccountLocked = "ACCOUNT_LOCKED", retryable: false;
    /// Another capture is still running on this SDK instance.
    CaptureInProgress = "CAPTURE_IN_PROGRESS", retryable: true;
    /// Not enough usable frames arrived in time.
    TimeoutError = "TIMEOUT_ERROR", retryable: true;
    /// The session token has expired.
    SessionExpired = "SESSION_EXPIRED", retryable: true;
    /// An option, policy, manifest or argument is invalid.
    InvalidConfiguration = "INVALID_CONFIGURATION", retryable: false;
    /// A model file could not be fetched or loaded.
    ModelLoadFailed = "MODEL_LOAD_FAILED", retryable: true;
    /// A model file does not have the sha256 the manifest pins.
    ModelIntegrity = "MODEL_INTEGRITY", retryable: false;
    /// A frame's size or bytes are invalid.
    InvalidFrame = "INVALID_FRAME", retryable: false;
    /// An image could not be decoded.
    InvalidImage = "INVALID_IMAGE", retryable: false;
    /// The template store failed.
    StorageError = "STORAGE_ERROR", retryable: false;
    /// Fewer captures than needed (e.g. an embedding asked of a capture that has not succeeded).
    NotEnoughCaptures = "NOT_ENOUGH_CAPTURES", retryable: false;
    /// A model failed to run or gave an output of the wrong shape.
    InferenceFailed = "INFERENCE_FAILED", retryable: false;
    /// A sealed template does not open: altered, truncated or not a template.
    TemplateTampered = "TEMPLATE_TAMPERED", retryable: false;
    /// A sealed template's key is not available: dated after today (a clock set back, or an edited
    /// header), or sealed under a master version the server no longer holds.
    TemplateKeyExpired = "TEMPLATE_KEY_EXPIRED", retryable: false;
    /// A template or embedding belongs to another model or has another size.
    TemplateMismatch = "TEMPLATE_MISMATCH", retryable: false;
    /// A session token is malformed or forged.
    SessionInvalid = "SESSION_INVALID", retryable: false;
    /// A session token was already used.
    SessionReplayed = "SESSION_REPLAYED", retryable: false;
    /// The audit log's hash chain does not verify.
    AuditTampered = "AUDIT_TAMPERED", retryable: false;
    /// An identity document could not be read (a check digit, a field, the format).
    DocumentInvalid = "DOCUMENT_INVALID", retryable: false;
    /// The identity document has expired.
    DocumentExpired = "DOCUMENT_EXPIRED", retryable: false;
    /// The request's origin is not among the app's allowed origins.
    OriginNotAllowed = "ORIGIN_NOT_ALLOWED", retryable: false;
    /// The client's address is outside the app's IP allow-list.
    IpNotAllowed = "IP_NOT_ALLOWED", retryable: false;
    /// The server could not be reached or answered with a server error.
    NetworkError = "NETWORK_ERROR", retryable: true;
    /// Anything else.
    UnknownError = "UNKNOWN_ERROR", retryable: false;
}

impl ErrorCode {
    /// The code of a string, if it is one.
    pub fn parse(code: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.as_str() == code)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        ErrorCode::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown error code {s:?}")))
    }
}

/// An error that can cross a boundary: it carries one stable code.
pub trait CodedError: std::error::Error {
    /// The code callers branch on.
    fn code(&self) -> ErrorCode;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip_as_strings() {
        let mut seen = std::collections::HashSet::new();
        for &code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert!(code.as_str().bytes().all(|b| b.is_ascii_uppercase() || b == b'_'), "{code}");
            assert!(!code.description().is_empty());
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{code}\""));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
        }
        assert!(serde_json::from_str::<ErrorCode>("\"NOT_A_CODE\"").is_err());
        assert_eq!(ErrorCode::parse("USER_NOT_FOUND"), Some(ErrorCode::UserNotFound));
    }
}
