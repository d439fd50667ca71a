//! The model manifest (`models/manifest.json`): which files, their hashes, their input layout and
//! normalisation, and thresholds calibrated from measurements. Code reads shapes from here.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Channel order (or grey) a network expects, planar NCHW.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channels {
    /// Red, green, blue planes.
    Rgb,
    /// Blue, green, red planes.
    Bgr,
    /// One luma plane.
    Grey,
}

impl Channels {
    /// Number of planes.
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
    /// Input width in pixels.
    pub width: u32,
    /// Input height in pixels.
    pub height: u32,
    /// Channel order.
    pub channels: Channels,
    /// Subtracted from each pixel value (0..255).
    pub mean: f32,
    /// Then divided into it.
    pub std: f32,
}

/// Where the model files come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelSource {
    /// The npm package the models come from, with its version.
    pub package: String,
    /// sha256 of the package tarball.
    pub tarball_sha256: String,
    /// Folder of the model files inside the tarball.
    pub directory: String,
    /// The models' licence.
    pub license: String,
}

/// The same network converted ahead of time to tract's NNEF form by `entry convert-models`: typed for
/// the manifest's input size, written deterministically, so its sha256 can be pinned too.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConvertedModel {
    /// File name beside the manifest.
    pub file: String,
    /// Pinned sha256 of the converted file.
    pub sha256: String,
}

/// What every model entry has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    /// Stable identifier; templates record it so embeddings of different models never mix.
    pub id: String,
    /// File name beside the manifest.
    pub file: String,
    /// Pinned sha256 of the file; loading refuses any other.
    pub sha256: String,
    /// What the network takes.
    pub input: InputSpec,
    /// The converted form, which builds without the ONNX reader (the browser's) load instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub converted: Option<ConvertedModel>,
}

impl ModelFile {
    /// The file this build loads and the sha256 it must have: the ONNX file when the build reads
    /// ONNX (feature `onnx`), else the converted one (MODEL_LOAD_FAILED when the manifest has none).
    pub fn to_load(&self) -> Result<(&str, &str)> {
        if cfg!(feature = "onnx") {
            return Ok((&self.file, &self.sha256));
        }
        let c = self.converted.as_ref().ok_or_else(|| Error::ModelLoad {
            model: self.id.clone(),
            reason: "this build reads converted models only, and the manifest names none (entry convert-models)".into(),
        })?;
        Ok((&c.file, &c.sha256))
    }
}

/// The face detector: which outputs hold scores and boxes, and how to filter them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DetectorSpec {
    #[serde(flatten)]
    /// The model file.
    pub model: ModelFile,
    /// Index of the scores output.
    pub scores_output: usize,
    /// Index of the boxes output.
    pub boxes_output: usize,
    /// Class index of faces in the scores.
    pub face_class: usize,
    /// Minimum score of a detection.
    pub score_threshold: f32,
    /// Overlap above which non-maximum suppression drops the weaker box.
    pub nms_iou: f32,
}

/// The landmark model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LandmarkSpec {
    #[serde(flatten)]
    /// The model file.
    pub model: ModelFile,
    /// Landmarks it outputs (68).
    pub points: usize,
}

/// A decision threshold on cosine similarity for one target false-match rate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FmrThreshold {
    /// The target false-match rate.
    pub fmr: f64,
    /// The cosine threshold that measured it.
    pub threshold: f32,
}

/// How thresholds were measured, and the thresholds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// How and on what data the thresholds were measured.
    pub method: String,
    /// One threshold per false-match rate.
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

    /// The threshold that keeps a search over `gallery_size` templates at `fmr` per search: each
    /// comparison is held to `fmr / gallery_size` (a union bound, so the promise holds however
    /// the impostor scores correlate). Rates inside the calibrated range use [`threshold_for`];
    /// rarer ones extend the line through the two strictest calibrated points in log10(FMR).
    /// That line overestimates the threshold, which errs towards refusing: impostor cosine tails
    /// fall off faster than exponentially (the shipped calibration's steps shrink from 0.098 to
    /// 0.072 per decade), so each further decade needs less than the last step. An
    /// extrapolated threshold is an upper bound, not a measurement.
    ///
    /// [`threshold_for`]: Calibration::threshold_for
    pub fn threshold_for_search(&self, fmr: f64, gallery_size: usize) -> Result<f32> {
        let per_comparison = fmr / gallery_size.max(1) as f64;
        if let Ok(t) = self.threshold_for(per_comparison) {
            return Ok(t);
        }
        let mut points: Vec<&FmrThreshold> = self.thresholds.iter().filter(|t| t.fmr > 0.0).collect();
        points.sort_by(|a, b| a.fmr.total_cmp(&b.fmr));
        let [strictest, next, ..] = points[..] else {
            return Err(Error::NoCalibration { fmr: per_comparison });
        };
        let decades = (strictest.fmr.log10() - next.fmr.log10()).abs();
        let slope = f64::from(strictest.threshold - next.threshold) / decades;
        let positive = |x: f64| x.is_finite() && x > 0.0;
        if !positive(slope) || !positive(per_comparison) {
            return Err(Error::NoCalibration { fmr: per_comparison });
        }
        let beyond = strictest.fmr.log10() - per_comparison.log10();
        Ok((f64::from(strictest.threshold) + slope * beyond) as f32)
    }
}

/// The face embedder: its dimension, alignment template and calibration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmbedderSpec {
    #[serde(flatten)]
    /// The model file.
    pub model: ModelFile,
    /// Values per embedding.
    pub dimension: usize,
    /// Five reference points (eyes, nose, mouth corners) in input pixels.
    pub template: [[f32; 2]; 5],
    /// Decision thresholds per false-match rate.
    pub calibration: Calibration,
}

/// The passive anti-spoofing model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LivenessSpec {
    #[serde(flatten)]
    /// The model file.
    pub model: ModelFile,
    /// The square face box is enlarged by this factor about its centre before cropping.
    pub crop_scale: f32,
    /// Class index of "live" in its output.
    pub live_class: usize,
}

/// All models of one face engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Where the files come from.
    pub source: ModelSource,
    /// The face detector.
    pub detector: DetectorSpec,
    /// The landmark model.
    pub landmarks: LandmarkSpec,
    /// The embedder.
    pub embedder: EmbedderSpec,
    /// The anti-spoofing model.
    pub liveness: LivenessSpec,
}

impl Manifest {
    /// Parses and validates a manifest (INVALID_CONFIGURATION when it does not).
    pub fn from_json(json: &str) -> Result<Self> {
        let manifest: Manifest = serde_json::from_str(json).map_err(|e| Error::Manifest(e.to_string()))?;
        manifest.validate()?;
        Ok(manifest)
    }

    /// The four model files.
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
            let hex64 = |h: &str| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit());
            if !hex64(&m.sha256) || !m.converted.as_ref().is_none_or(|c| hex64(&c.sha256)) {
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

    #[test]
    fn a_search_holds_each_comparison_to_the_rate_divided_by_the_gallery() {
        let c = Calibration::three_point_for_tests();
        assert_eq!(c.threshold_for_search(1e-3, 1).unwrap(), 0.3);
        assert_eq!(c.threshold_for_search(1e-3, 0).unwrap(), 0.3, "an empty gallery is a gallery of one");
        assert_eq!(c.threshold_for_search(1e-3, 5).unwrap(), 0.4, "2e-4 per comparison: the 1e-4 point");
        assert_eq!(c.threshold_for_search(1e-3, 10).unwrap(), 0.4);
        // Beyond the calibrated range, 0.1 per decade (the last step of the test calibration).
        assert!((c.threshold_for_search(1e-3, 100).unwrap() - 0.5).abs() < 1e-6);
        assert!((c.threshold_for_search(1e-3, 1_000_000).unwrap() - 0.9).abs() < 1e-5);
        let one = Calibration { method: "one".into(), thresholds: vec![FmrThreshold { fmr: 1e-3, threshold: 0.3 }] };
        assert!(matches!(one.threshold_for_search(1e-3, 10), Err(Error::NoCalibration { .. })));
    }
}
