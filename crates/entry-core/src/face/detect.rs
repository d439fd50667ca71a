//! Face detection: the whole frame resized to the detector input, per-anchor scores and decoded
//! boxes thresholded, overlaps suppressed, faces returned largest first.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::face::BoundingBox;
use crate::frame::Frame;
use crate::model::{DetectorSpec, Network};

/// A detected face: its box in frame pixels and the detector's confidence.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct Detection {
    /// The face box in frame pixels.
    pub bbox: BoundingBox,
    /// The detector's confidence, 0..1.
    pub score: f32,
}

/// The face detector of a manifest.
pub struct Detector {
    net: Network,
    spec: DetectorSpec,
}

impl Detector {
    /// Loads the model from its bytes (already checked against the manifest's sha256).
    pub fn new(spec: DetectorSpec, bytes: &[u8]) -> Result<Self> {
        Ok(Detector { net: Network::load(&spec.model, bytes)?, spec })
    }

    /// All faces above the manifest's score threshold, largest first.
    pub fn detect(&self, frame: &Frame) -> Result<Vec<Detection>> {
        let input = self.net.input();
        let resized =
            frame.crop_resize(0.0, 0.0, frame.width() as f32, frame.height() as f32, input.width, input.height);
        let outputs = self.net.run_image(&resized)?;
        let (scores, boxes) = match (outputs.get(self.spec.scores_output), outputs.get(self.spec.boxes_output)) {
            (Some(s), Some(b)) => (s, b),
            _ => return Err(self.net.output_err(format!("{} outputs, expected scores and boxes", outputs.len()))),
        };
        let anchors = boxes.len() / 4;
        if anchors == 0 || boxes.len() % 4 != 0 || scores.len() % anchors != 0 {
            return Err(self.net.output_err(format!("{} scores for {} box values", scores.len(), boxes.len())));
        }
        let classes = scores.len() / anchors;
        if self.spec.face_class >= classes {
            return Err(self.net.output_err(format!("{classes} classes, face class is {}", self.spec.face_class)));
        }
        let (w, h) = (frame.width() as f32, frame.height() as f32);
        let candidates = (0..anchors)
            .map(|a| (scores[a * classes + self.spec.face_class], &boxes[a * 4..a * 4 + 4]))
            .filter(|(score, _)| *score >= self.spec.score_threshold)
            .map(|(score, b)| Detection {
                bbox: BoundingBox { x1: b[0] * w, y1: b[1] * h, x2: b[2] * w, y2: b[3] * h },
                score,
            })
            .filter(|d| d.bbox.area() > 0.0)
            .collect();
        let mut faces = non_max_suppression(candidates, self.spec.nms_iou);
        faces.sort_by(|a, b| b.bbox.area().total_cmp(&a.bbox.area()));
        Ok(faces)
    }
}

/// Greedy NMS: keep the best-scoring box, drop those overlapping it above `iou`, repeat.
pub fn non_max_suppression(mut candidates: Vec<Detection>, iou: f32) -> Vec<Detection> {
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Detection> = Vec::new();
    for c in candidates {
        if kept.iter().all(|k| k.bbox.iou(&c.bbox) <= iou) {
            kept.push(c);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn det(x1: f32, score: f32) -> Detection {
        Detection { bbox: BoundingBox { x1, y1: 0.0, x2: x1 + 10.0, y2: 10.0 }, score }
    }

    #[test]
    fn nms_keeps_best_of_overlapping_and_all_separate() {
        let kept = non_max_suppression(vec![det(0.0, 0.7), det(1.0, 0.9), det(50.0, 0.8)], 0.4);
        assert_eq!(kept, vec![det(1.0, 0.9), det(50.0, 0.8)]);
    }
}
