//! Models as assets: a manifest says what each network expects, `Network` runs one with tract.

mod manifest;
mod network;

pub use manifest::{
    Calibration, Channels, DetectorSpec, EmbedderSpec, FmrThreshold, InputSpec, LandmarkSpec, LivenessSpec, Manifest,
    ModelFile, ModelSource,
};
pub use network::{sha256_hex, Network};
