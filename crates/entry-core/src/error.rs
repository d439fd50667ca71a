//! Errors of the face pipeline. Each variant carries the context a caller needs to act on it.

/// Everything that can go wrong between a frame and an embedding.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum Error {
    /// A frame's byte buffer does not match its size and pixel format.
    #[error("frame of {width}x{height} {format} needs {expected} bytes, got {actual}")]
    FrameSize {
        /// Frame width in pixels.
        width: u32,
        /// Frame height in pixels.
        height: u32,
        /// Pixel format, e.g. `RGBA`.
        format: &'static str,
        /// Bytes the size and format need.
        expected: usize,
        /// Bytes given.
        actual: usize,
    },
    /// A frame is empty or larger than the maximum side.
    #[error("frame dimensions {width}x{height} are outside 1..={max} per side")]
    FrameDimensions {
        /// Frame width in pixels.
        width: u32,
        /// Frame height in pixels.
        height: u32,
        /// The largest side accepted.
        max: u32,
    },
    /// Image bytes are not a JPEG or PNG this build can decode.
    #[error("image could not be decoded: {0}")]
    ImageDecode(String),
    /// A frame could not be encoded as an image file.
    #[error("image could not be encoded: {0}")]
    ImageEncode(String),
    /// The model manifest does not parse or is inconsistent.
    #[error("model manifest is invalid: {0}")]
    Manifest(String),
    /// A model file does not have the sha256 the manifest pins.
    #[error("model {model}: sha256 is {actual}, the manifest pins {expected}")]
    ModelChecksum {
        /// The model file.
        model: String,
        /// The pinned sha256.
        expected: String,
        /// The file's sha256.
        actual: String,
    },
    /// A model file could not be read or parsed.
    #[error("model {model} could not be loaded: {reason}")]
    ModelLoad {
        /// The model file.
        model: String,
        /// What went wrong.
        reason: String,
    },
    /// A model failed while running.
    #[error("model {model} failed to run: {reason}")]
    Inference {
        /// The model file.
        model: String,
        /// What went wrong.
        reason: String,
    },
    /// A model's output has an unexpected shape.
    #[error("model {model} returned {reason}")]
    ModelOutput {
        /// The model file.
        model: String,
        /// What the output was.
        reason: String,
    },
    /// An embedding has the wrong number of values.
    #[error("embedding has {actual} values, expected {expected}")]
    EmbeddingSize {
        /// The model's dimension.
        expected: usize,
        /// Values given.
        actual: usize,
    },
    /// Two embeddings come from different models and cannot be compared.
    #[error("embeddings come from different models: {left} and {right}")]
    ModelMismatch {
        /// One model id.
        left: String,
        /// The other.
        right: String,
    },
    /// Fewer accepted captures than an enrollment needs.
    #[error("enrollment needs at least {needed} accepted captures, got {got}")]
    NotEnoughCaptures {
        /// Captures needed.
        needed: usize,
        /// Captures accepted.
        got: usize,
    },
    /// A capture was refused for its quality.
    #[error("capture refused: {0}")]
    PoorQuality(String),
    /// No face where one was needed.
    #[error("no face in the frame")]
    NoFace,
    /// Several faces where one was expected.
    #[error("{count} faces in the frame where one was expected")]
    MultipleFaces {
        /// Faces found.
        count: usize,
    },
    /// The calibration has no threshold at or below the requested false-match rate.
    #[error("no calibrated threshold for a false-match rate of {fmr}")]
    NoCalibration {
        /// The requested false-match rate.
        fmr: f64,
    },
}

/// A result whose error is the pipeline's [`Error`] by default.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl crate::CodedError for Error {
    fn code(&self) -> crate::ErrorCode {
        use crate::ErrorCode as C;
        match self {
            Error::FrameSize { .. } | Error::FrameDimensions { .. } => C::InvalidFrame,
            Error::ImageDecode(_) | Error::ImageEncode(_) => C::InvalidImage,
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
