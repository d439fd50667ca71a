//! Passive anti-spoofing: one network scores a wide crop around the face (context such as paper
//! edges, moire and screen bezels is what it learned from).

use crate::error::Result;
use crate::face::BoundingBox;
use crate::frame::Frame;
use crate::model::{LivenessSpec, Network};

/// The passive anti-spoofing model: a live probability for one face in one frame.
pub struct PassiveLiveness {
    net: Network,
    spec: LivenessSpec,
}

/// The softmax of a model's logits.
pub fn softmax(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exp: Vec<f32> = logits.iter().map(|v| (v - max).exp()).collect();
    let sum: f32 = exp.iter().sum();
    exp.iter().map(|v| v / sum).collect()
}

impl PassiveLiveness {
    /// Loads the model from its bytes (already checked against the manifest's sha256).
    pub fn new(spec: LivenessSpec, bytes: &[u8]) -> Result<Self> {
        Ok(PassiveLiveness { net: Network::load(&spec.model, bytes)?, spec })
    }

    /// The crop the model sees: the square face box scaled about its centre, kept inside the frame.
    /// A face too close to the camera for the full context gets the largest square that fits, never a
    /// clipped rectangle: squashing a 544x960 portrait frame into the square input dropped the median
    /// live score of a phone-camera recording (webcam-replay-a) from 0.71 to 0.59 and of tight
    /// face crops (replay-one-person) from 0.92 to 0.58, while attacks stayed near 0 either way.
    pub fn crop_box(&self, frame: &Frame, bbox: &BoundingBox) -> BoundingBox {
        bbox.square_inside(self.spec.crop_scale, frame.width(), frame.height())
    }

    /// Probability in [0, 1] that the face is live.
    pub fn score(&self, frame: &Frame, bbox: &BoundingBox) -> Result<f32> {
        let crop = self.crop_box(frame, bbox);
        let input = self.net.input();
        let patch = frame.crop_resize(crop.x1, crop.y1, crop.width(), crop.height(), input.width, input.height);
        let outputs = self.net.run_image(&patch)?;
        let logits = outputs.first().ok_or_else(|| self.net.output_err("no output"))?;
        if self.spec.live_class >= logits.len() {
            return Err(self.net.output_err(format!(
                "{} classes, live class is {}",
                logits.len(),
                self.spec.live_class
            )));
        }
        Ok(softmax(logits)[self.spec.live_class])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_sums_to_one_and_is_stable() {
        let p = softmax(&[1000.0, 1000.0, 0.0]);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!((p[0] - 0.5).abs() < 1e-6);
    }
}
