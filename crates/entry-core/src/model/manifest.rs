//! The model manifest (`models/manifest.json`): which files, their hashes, their input layout and
//! normalisation, and thresholds calibrated from measurements. Code reads shapes from here.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Channel order (or grey) a network expects, planar NCHW.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channels {
    Rgb,
    Bgr,
    Grey,
}

impl Channels {
    pub fn count(self) -> usize {
        match self {
            Channels::Rgb | Channels::Bgr => 3,
            Channels::Grey => 1,
        }
    }
}

/// Input of a network: size, channel order and `(pixel - mean) / std` normalisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InputSpec {
    pub width: u32,
    pub height: u32,
    pub channels: Channels,
    pub mean: f32,
    pub std: f32,
}

/// Where the model files come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelSource {
    pub package: String,
    pub tarball_sha256: String,
    pub directory: String,
    pub license: String,
}

/// What every model entry has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    /// Stable identifier; templates record it so embeddings of different models never mix.
    pub id: String,
    pub file: String,
    pub sha256: String,
    pub input: InputSpec,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DetectorSpec {
    #[serde(flatten)]
    pub model: ModelFile,
    pub scores_output: usize,
    pub boxes_output: usize,
    pub face_class: usize,
    pub score_threshold: f32,
    pub nms_iou: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LandmarkSpec {
    #[serde(flatten)]
    pub model: ModelFile,
    pub points: usize,
}

/// A decision threshold on cosine similarity for one target false-match rate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FmrThreshold {
    pub fmr: f64,
    pub threshold: f32,
}

/// How thresholds were measured, and the thresholds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub method: String,
    pub thresholds: Vec<FmrThreshold>,
}

impl Calibration {
    /// FMR 1e-2 / 1e-3 / 1e-4 at thresholds 0.2 / 0.3 / 0.4, for unit tests of decisions.
    #[cfg(test)]
    pub(crate) fn three_point_for_tests() -> Calibration {
        Calibration {
            method: "test".into(),
            thresholds: vec![
                FmrThreshold { fmr: 1e-2, threshold: 0.2 },
                FmrThreshold { fmr: 1e-3, threshold: 0.3 },
                FmrThreshold { fmr: 1e-4, threshold: 0.4 },
            ],
        }
    }

    /// The threshold for the requested false-match rate: the calibrated one with the
    /// largest rate not above it, so the promise is kept or bettered.
    pub fn threshold_for(&self, fmr: f64) -> Result<f32> {
        self.thresholds
            .iter()
            .filter(|t| t.fmr <= fmr * (1.0 + 1e-9))
            .max_by(|a, b| a.fmr.total_cmp(&b.fmr))
            .map(|t| t.threshold)
            .ok_or(Error::NoCalibration { fmr })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmbedderSpec {
    #[serde(flatten)]
    pub model: ModelFile,
    pub dimension: usize,
    /// Five reference points (eyes, nose, mouth corners) in input pixels.
    pub template: [[f32; 2]; 5],
    pub calibration: Calibration,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LivenessSpec {
    #[serde(flatten)]
    pub model: ModelFile,
    /// The square face box is enlarged by this factor about its centre before cropping.
    pub crop_scale: f32,
    pub live_class: usize,
}

/// All models of one face engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub source: ModelSource,
    pub detector: DetectorSpec,
    pub landmarks: LandmarkSpec,
    pub embedder: EmbedderSpec,
    pub liveness: LivenessSpec,
}

impl Manifest {
    pub fn from_json(json: &str) -> Result<Self> {
        let manifest: Manifest = serde_json::from_str(json).map_err(|e| Error::Manifest(e.to_string()))?;
        manifest.validate()?;
        Ok(manifest)
    }

    pub fn files(&self) -> [&ModelFile; 4] {
        [&self.detector.model, &self.landmarks.model, &self.embedder.model, &self.liveness.model]
    }

    fn validate(&self) -> Result<()> {
        for m in self.files() {
            let i = &m.input;
            if i.width == 0 || i.height == 0 || i.width > 1024 || i.height > 1024 {
                return Err(Error::Manifest(format!("{}: input size {}x{} is not sane", m.id, i.width, i.height)));
            }
            if !(i.std.is_finite() && i.std != 0.0 && i.mean.is_finite()) {
                return Err(Error::Manifest(format!("{}: normalisation must have a finite, non-zero std", m.id)));
            }
            if m.sha256.len() != 64 || !m.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Error::Manifest(format!("{}: sha256 must be 64 hex digits", m.id)));
            }
        }
        if self.landmarks.points != 68 {
            return Err(Error::Manifest("the alignment needs a 68-point (iBUG) landmark model".into()));
        }
        if self.embedder.dimension == 0 {
            return Err(Error::Manifest("embedding dimension must be positive".into()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = include_str!("../../../../models/manifest.json");

    #[test]
    fn shipped_manifest_parses() {
        let m = Manifest::from_json(MANIFEST).unwrap();
        assert_eq!(m.embedder.model.input.channels, Channels::Bgr);
        assert_eq!(m.detector.model.input.channels, Channels::Rgb);
    }

    #[test]
    fn malformed_manifest_is_an_error() {
        assert!(matches!(Manifest::from_json("{"), Err(Error::Manifest(_))));
        let bad = MANIFEST.replacen("\"std\": 128.0", "\"std\": 0.0", 1);
        assert!(matches!(Manifest::from_json(&bad), Err(Error::Manifest(m)) if m.contains("std")));
    }

    #[test]
    fn threshold_for_picks_the_strictest_rate_that_keeps_the_promise() {
        let c = Calibration::three_point_for_tests();
        assert_eq!(c.threshold_for(1e-3).unwrap(), 0.3);
        assert_eq!(c.threshold_for(5e-3).unwrap(), 0.3);
        assert_eq!(c.threshold_for(1.0).unwrap(), 0.2);
        assert!(matches!(c.threshold_for(1e-6), Err(Error::NoCalibration { .. })));
    }
}
