//! Errors of the face pipeline. Each variant carries the context a caller needs to act on it.

/// Everything that can go wrong between a frame and an embedding.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum Error {
    #[error("frame of {width}x{height} {format} needs {expected} bytes, got {actual}")]
    FrameSize { width: u32, height: u32, format: &'static str, expected: usize, actual: usize },
    #[error("frame dimensions {width}x{height} are outside 1..={max} per side")]
    FrameDimensions { width: u32, height: u32, max: u32 },
    #[error("image could not be decoded: {0}")]
    ImageDecode(String),
    #[error("model manifest is invalid: {0}")]
    Manifest(String),
    #[error("model {model}: sha256 is {actual}, the manifest pins {expected}")]
    ModelChecksum { model: String, expected: String, actual: String },
    #[error("model {model} could not be loaded: {reason}")]
    ModelLoad { model: String, reason: String },
    #[error("model {model} failed to run: {reason}")]
    Inference { model: String, reason: String },
    #[error("model {model} returned {reason}")]
    ModelOutput { model: String, reason: String },
    #[error("embedding has {actual} values, expected {expected}")]
    EmbeddingSize { expected: usize, actual: usize },
    #[error("embeddings come from different models: {left} and {right}")]
    ModelMismatch { left: String, right: String },
    #[error("enrollment needs at least {needed} accepted captures, got {got}")]
    NotEnoughCaptures { needed: usize, got: usize },
    #[error("capture refused: {0}")]
    PoorQuality(String),
    #[error("no face in the frame")]
    NoFace,
    #[error("{count} faces in the frame where one was expected")]
    MultipleFaces { count: usize },
    #[error("no calibrated threshold for a false-match rate of {fmr}")]
    NoCalibration { fmr: f64 },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl crate::CodedError for Error {
    fn code(&self) -> crate::ErrorCode {
        use crate::ErrorCode as C;
        match self {
            Error::FrameSize { .. } | Error::FrameDimensions { .. } => C::InvalidFrame,
            Error::ImageDecode(_) => C::InvalidImage,
            Error::Manifest(_) => C::InvalidConfiguration,
            Error::ModelChecksum { .. } => C::ModelIntegrity,
            Error::ModelLoad { .. } => C::ModelLoadFailed,
            Error::Inference { .. } | Error::ModelOutput { .. } => C::InferenceFailed,
            Error::EmbeddingSize { .. } | Error::ModelMismatch { .. } => C::TemplateMismatch,
            Error::NotEnoughCaptures { .. } => C::NotEnoughCaptures,
            Error::PoorQuality(_) => C::PoorQuality,
            Error::NoFace => C::NoFaceDetected,
            Error::MultipleFaces { .. } => C::MultipleFacesDetected,
            Error::NoCalibration { .. } => C::InvalidConfiguration,
        }
    }
}
