//! The face engine: every model of a manifest loaded once, and the pipeline from a frame to faces
//! with landmarks, quality and embeddings.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::face::{Detection, Detector};
use crate::face::{Embedder, Embedding};
use crate::face::{Landmarker, Landmarks};
use crate::face::{QualityPolicy, QualityReport};
use crate::frame::Frame;
use crate::liveness::PassiveLiveness;
use crate::model::Manifest;

/// Margin added around a still photo whose face is missing or fills it (see `embed_primary`).
const PHOTO_MARGIN: f32 = 0.5;
/// How many times a still photo may be padded in search of a well-framed face.
const PHOTO_PADDINGS: usize = 2;

/// The subject of a photo with several faces: the largest area penalised by twice the squared
/// distance of its centre from the image centre (the rule InsightFace uses), so a big face at the
/// edge of a group photo does not outrank the centred subject.
fn primary(frame: &Frame, detections: Vec<Detection>) -> Option<Detection> {
    let (cx, cy) = (frame.width() as f32 / 2.0, frame.height() as f32 / 2.0);
    let value = |d: &Detection| {
        let c = d.bbox.centre();
        d.bbox.area() - 2.0 * ((c.x - cx).powi(2) + (c.y - cy).powi(2))
    };
    detections.into_iter().max_by(|a, b| value(a).total_cmp(&value(b)))
}

/// A face filling most of a photo (a tight crop): detector and landmarks work better with context.
fn fills_frame(frame: &Frame, d: &Detection) -> bool {
    d.bbox.height() > 0.5 * frame.height() as f32 || d.bbox.width() > 0.5 * frame.width() as f32
}

/// One face found in a frame, with everything measured about it.
#[derive(Clone, Debug, Serialize, Deserialize, TS)]
pub struct Face {
    /// Where the detector found it.
    pub detection: Detection,
    /// Its 68 landmarks.
    pub landmarks: Landmarks,
    /// Whether it is good enough to use, and why not.
    pub quality: QualityReport,
}

/// The models of one manifest, ready to run.
pub struct FaceEngine {
    manifest: Manifest,
    detector: Detector,
    landmarker: Landmarker,
    embedder: Embedder,
    liveness: PassiveLiveness,
    quality: QualityPolicy,
}

impl FaceEngine {
    /// Loads every model; `read` returns the bytes of a manifest file name.
    pub fn load(manifest: Manifest, mut read: impl FnMut(&str) -> Result<Vec<u8>>) -> Result<Self> {
        Ok(FaceEngine {
            detector: Detector::new(manifest.detector.clone(), &read(manifest.detector.model.to_load()?.0)?)?,
            landmarker: Landmarker::new(manifest.landmarks.clone(), &read(manifest.landmarks.model.to_load()?.0)?)?,
            embedder: Embedder::new(manifest.embedder.clone(), &read(manifest.embedder.model.to_load()?.0)?)?,
            liveness: PassiveLiveness::new(manifest.liveness.clone(), &read(manifest.liveness.model.to_load()?.0)?)?,
            quality: QualityPolicy::default(),
            manifest,
        })
    }

    /// Loads from a directory holding the manifest's files (native tools and tests).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn load_dir(manifest: Manifest, dir: &std::path::Path) -> Result<Self> {
        FaceEngine::load(manifest, |file| {
            std::fs::read(dir.join(file)).map_err(|e| Error::ModelLoad {
                model: file.to_string(),
                reason: format!(
                    "cannot read {}: {e} (run scripts/setup to fetch the models)",
                    dir.join(file).display()
                ),
            })
        })
    }

    /// The same engine judging quality with `policy` instead of the default.
    pub fn with_quality_policy(mut self, policy: QualityPolicy) -> Self {
        self.quality = policy;
        self
    }

    /// The manifest the models were loaded from.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The face detector.
    pub fn detector(&self) -> &Detector {
        &self.detector
    }

    /// The face embedder.
    pub fn embedder(&self) -> &Embedder {
        &self.embedder
    }

    /// The 68-point landmark model.
    pub fn landmarker(&self) -> &Landmarker {
        &self.landmarker
    }

    /// The passive anti-spoofing model.
    pub fn liveness(&self) -> &PassiveLiveness {
        &self.liveness
    }

    /// Detection only: boxes, largest first.
    pub fn detect(&self, frame: &Frame) -> Result<Vec<Detection>> {
        self.detector.detect(frame)
    }

    /// Every face with landmarks and quality, largest first.
    pub fn analyze(&self, frame: &Frame) -> Result<Vec<Face>> {
        self.detect(frame)?.into_iter().map(|d| self.describe(frame, d)).collect()
    }

    fn describe(&self, frame: &Frame, detection: Detection) -> Result<Face> {
        let landmarks = self.landmarker.locate(frame, &detection.bbox)?;
        let aligned = self.embedder.aligned(frame, &landmarks)?;
        let quality = self.quality.assess(frame, &detection.bbox, &landmarks, &aligned);
        Ok(Face { detection, landmarks, quality })
    }

    /// The embedding of an analysed face.
    pub fn embed(&self, frame: &Frame, face: &Face) -> Result<Embedding> {
        self.embedder.embed(frame, &face.landmarks)
    }

    /// The one face a capture must show: errors when there is none or several.
    pub fn single_face(&self, frame: &Frame) -> Result<Face> {
        let mut faces = self.analyze(frame)?;
        match faces.len() {
            0 => Err(Error::NoFace),
            1 => Ok(faces.remove(0)),
            count => Err(Error::MultipleFaces { count }),
        }
    }

    /// The primary face of a camera frame or photo: large and centred (see `primary`).
    pub fn primary_detection(&self, frame: &Frame) -> Result<Detection> {
        primary(frame, self.detect(frame)?).ok_or(Error::NoFace)
    }

    /// Embedding of the primary face of a still photo, whatever its quality (evaluation, ID photos).
    /// A tightly cropped face (a passport-style crop) can be bigger than the detector's largest
    /// anchor, or found without the context landmarks need: when nothing is found, or the face fills
    /// over half the photo, the photo is searched again on a neutral-grey canvas twice its size (up to
    /// twice). The last face found is used; coordinates are those of the canvas it was found on.
    /// The returned face's coordinates are those of the frame it was found in.
    pub fn embed_primary(&self, frame: &Frame) -> Result<(Face, Embedding)> {
        let mut canvas = std::borrow::Cow::Borrowed(frame);
        let mut found = None;
        for _ in 0..=PHOTO_PADDINGS {
            match primary(&canvas, self.detect(&canvas)?) {
                Some(d) if !fills_frame(&canvas, &d) => {
                    found = Some((canvas.clone(), d));
                    break;
                }
                Some(d) => found = Some((canvas.clone(), d)),
                None if found.is_some() => break,
                None => {}
            }
            canvas = std::borrow::Cow::Owned(canvas.padded(PHOTO_MARGIN, 127));
        }
        let (canvas, detection) = found.ok_or(Error::NoFace)?;
        let frame = canvas.as_ref();
        let face = self.describe(frame, detection)?;
        let embedding = self.embed(frame, &face)?;
        Ok((face, embedding))
    }
}
