//! Liveness over a capture: the passive score averaged over several frames, plus a static-input
//! detector. A real camera never delivers two identical frames of a face (sensor noise alone moves
//! every pixel), so frames that do not change are a replayed still or an injected image.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::face::BoundingBox;
use crate::frame::Frame;

/// Side of the grey thumbnail of the face box compared between frames.
const THUMB: u32 = 32;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
/// The passive rule of a capture; every field has a default (README, Liveness).
pub struct LivenessPolicy {
    /// Frames needed before a verdict.
    pub min_frames: usize,
    /// Mean live probability needed over the frames (see the manifest's liveness calibration).
    pub live_threshold: f32,
    /// Least mean absolute change of the face thumbnail between frames, grey levels.
    pub min_motion: f32,
    /// Mean live probability at which the passive check is sure on its own; in
    /// `LivenessMode::Adaptive` a live verdict under it is followed by the challenge.
    pub sure_threshold: f32,
}

impl Default for LivenessPolicy {
    fn default() -> Self {
        // 0.14 is midway, in log-odds, between the lowest live window mean (0.331, a phone-class
        // camera: webcam-replay-a) and the highest attack window mean (0.047, a screen replay:
        // replay-one-person) over the three sets in ../shared (`entry eval-liveness`, README). The
        // former 0.87 (BPCER 1% on single nuaa-train frames) refused 85% of the capture windows of a
        // real person on that camera. The margin is wide on both sides, but it is measured on three
        // people and two unseen cameras (in-sample for this choice): the README states the limits.
        // 0.1 grey levels is far below what sensor noise and compression change between two real
        // frames, so only replayed or injected stills (exactly or nearly identical) fall under it.
        // 0.5 is the model's own decision boundary: live no more likely than spoof is not sure. On
        // the measured sets it sends no NUAA window, 15% of webcam-replay-a's live windows and none
        // of replay-one-person's to the challenge (README).
        LivenessPolicy { min_frames: 5, live_threshold: 0.14, min_motion: 0.1, sure_threshold: 0.5 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "verdict", rename_all = "snake_case", rename_all_fields = "camelCase")]
/// The passive verdict over a capture's frames.
pub enum LivenessVerdict {
    /// Too few frames so far.
    NotEnoughFrames {
        /// Frames collected.
        frames: usize,
        /// Frames needed.
        needed: usize,
    },
    /// Frames do not change: a replayed still or an injected image.
    StaticInput {
        /// The smallest change between consecutive face thumbnails (mean absolute grey difference).
        motion: f32,
    },
    /// The mean live probability is under the threshold.
    Spoof {
        /// Mean live probability.
        score: f32,
    },
    /// The mean live probability reaches the threshold.
    Live {
        /// Mean live probability.
        score: f32,
    },
}

/// What one frame contributes to a liveness verdict: the passive live probability of its face and a
/// small grey thumbnail of the face, to tell a camera image from a repeated still.
#[derive(Clone, Debug, PartialEq)]
pub struct LivenessSample {
    score: f32,
    thumbnail: Vec<u8>,
}

impl LivenessSample {
    /// The sample of `face` in `frame`, with the passive model's score for it.
    pub fn new(frame: &Frame, face: &BoundingBox, passive_score: f32) -> LivenessSample {
        let b = face.clipped(frame.width(), frame.height());
        let thumb = frame.crop_resize(b.x1, b.y1, b.width().max(1.0), b.height().max(1.0), THUMB, THUMB);
        LivenessSample { score: passive_score, thumbnail: thumb.grey() }
    }

    /// The passive live probability of the frame's face.
    pub fn score(&self) -> f32 {
        self.score
    }
}

/// Evidence collected frame by frame during one capture.
#[derive(Debug, Default)]
pub struct LivenessSession {
    policy: LivenessPolicy,
    samples: Vec<LivenessSample>,
}

impl LivenessSession {
    /// An empty session under `policy`.
    pub fn new(policy: LivenessPolicy) -> Self {
        LivenessSession { policy, samples: Vec::new() }
    }

    /// Records one frame: the passive live probability of its face and the face's appearance.
    pub fn add(&mut self, frame: &Frame, face: &BoundingBox, passive_score: f32) {
        self.push(LivenessSample::new(frame, face, passive_score));
    }

    /// Records one frame's sample (made earlier, e.g. by an evaluation that replays many windows).
    pub fn push(&mut self, sample: LivenessSample) {
        self.samples.push(sample);
    }

    /// Mean absolute change between consecutive face thumbnails (grey levels); the smallest one.
    fn least_motion(&self) -> f32 {
        self.samples
            .windows(2)
            .map(|w| {
                let (a, b) = (&w[0].thumbnail, &w[1].thumbnail);
                let sum: u32 = a.iter().zip(b).map(|(a, b)| a.abs_diff(*b) as u32).sum();
                sum as f32 / a.len() as f32
            })
            .fold(f32::INFINITY, f32::min)
    }

    /// The verdict over the samples so far (the last `min_frames` of them).
    pub fn verdict(&self) -> LivenessVerdict {
        let n = self.samples.len();
        if n < self.policy.min_frames.max(2) {
            return LivenessVerdict::NotEnoughFrames { frames: n, needed: self.policy.min_frames.max(2) };
        }
        let motion = self.least_motion();
        if motion < self.policy.min_motion {
            return LivenessVerdict::StaticInput { motion };
        }
        let score = self.samples.iter().map(|s| s.score).sum::<f32>() / n as f32;
        if score >= self.policy.live_threshold {
            LivenessVerdict::Live { score }
        } else {
            LivenessVerdict::Spoof { score }
        }
    }
}
