//! Models as assets: a manifest says what each network expects, `Network` runs one with tract.
//! Each network loads from its ONNX file (feature `onnx`) or from the NNEF form [`convert`] makes of
//! it ahead of time, which is all the browser build reads.

mod manifest;
mod network;

pub use manifest::{
    Calibration, Channels, ConvertedModel, DetectorSpec, EmbedderSpec, FmrThreshold, InputSpec, LandmarkSpec,
    LivenessSpec, Manifest, ModelFile, ModelSource,
};
#[cfg(feature = "onnx")]
pub use network::convert;
pub use network::{sha256_hex, Network};
