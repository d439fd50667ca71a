//! 68 facial landmarks (iBUG numbering) from a square crop around the detection, and the five
//! points (eye centres, nose tip, mouth corners) that alignment uses.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::face::{BoundingBox, Point};
use crate::frame::Frame;
use crate::model::{LandmarkSpec, Network};

/// The 68 points of one face, in frame pixels.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct Landmarks(pub Vec<Point>);

fn mean(points: &[Point], idx: &[usize]) -> Point {
    let n = idx.len() as f32;
    Point { x: idx.iter().map(|&i| points[i].x).sum::<f32>() / n, y: idx.iter().map(|&i| points[i].y).sum::<f32>() / n }
}

impl Landmarks {
    /// Centre of the left eye in the image (iBUG points 37, 38, 40, 41).
    pub fn left_eye(&self) -> Point {
        mean(&self.0, &[37, 38, 40, 41])
    }

    /// Centre of the right eye in the image (iBUG points 43, 44, 46, 47).
    pub fn right_eye(&self) -> Point {
        mean(&self.0, &[43, 44, 46, 47])
    }

    /// Tip of the nose (iBUG point 30).
    pub fn nose_tip(&self) -> Point {
        self.0[30]
    }

    /// Eyes, nose, left and right mouth corner: the order of the ArcFace template.
    pub fn five_points(&self) -> [Point; 5] {
        [self.left_eye(), self.right_eye(), self.nose_tip(), mean(&self.0, &[48, 60]), mean(&self.0, &[54, 64])]
    }
}

/// The 68-point landmark model of a manifest.
pub struct Landmarker {
    net: Network,
    spec: LandmarkSpec,
}

impl Landmarker {
    /// Loads the model from its bytes (already checked against the manifest's sha256).
    pub fn new(spec: LandmarkSpec, bytes: &[u8]) -> Result<Self> {
        Ok(Landmarker { net: Network::load(&spec.model, bytes)?, spec })
    }

    /// The crop the landmark model sees: the detection made square (side = its height), clipped.
    pub fn crop_box(frame: &Frame, bbox: &BoundingBox) -> BoundingBox {
        bbox.square(1.0).clipped(frame.width(), frame.height())
    }

    /// The 68 landmarks of the face in `bbox`, in frame pixels.
    pub fn locate(&self, frame: &Frame, bbox: &BoundingBox) -> Result<Landmarks> {
        let crop = Self::crop_box(frame, bbox);
        if crop.width() < 1.0 || crop.height() < 1.0 {
            return Err(self.net.output_err("face box lies outside the frame"));
        }
        let input = self.net.input();
        let patch = frame.crop_resize(crop.x1, crop.y1, crop.width(), crop.height(), input.width, input.height);
        let outputs = self.net.run_image(&patch)?;
        let coords = outputs.first().ok_or_else(|| self.net.output_err("no output"))?;
        if coords.len() != self.spec.points * 2 {
            return Err(self.net.output_err(format!("{} values, expected {}", coords.len(), self.spec.points * 2)));
        }
        Ok(Landmarks(
            coords
                .chunks_exact(2)
                .map(|c| Point { x: c[0] * crop.width() + crop.x1, y: c[1] * crop.height() + crop.y1 })
                .collect(),
        ))
    }
}
