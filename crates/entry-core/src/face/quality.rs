//! Capture quality: measurable reasons a capture is not good enough, phrased so a UI can tell the
//! person what to do. Thresholds live in `QualityPolicy` with sane defaults.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::face::BoundingBox;
use crate::face::Landmarks;
use crate::frame::Frame;

/// Why a capture is refused; each maps to one instruction ("move closer", "more light", ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QualityIssue {
    /// The face is smaller than the minimum side.
    TooSmall,
    /// The face fills too much of the frame.
    TooClose,
    /// The face is too dark.
    TooDark,
    /// The face is overexposed.
    TooBright,
    /// The face is not sharp.
    Blurred,
    /// The head is turned or tilted beyond the limits.
    HeadTurned,
    /// Part of the face is outside the frame.
    PartlyOutside,
}

/// Limits a capture must respect.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QualityPolicy {
    /// Smallest face box side, in frame pixels.
    pub min_face_px: f32,
    /// Largest face box height as a fraction of the frame height.
    pub max_face_fraction: f32,
    /// Mean luma of the face box, 0..255.
    pub min_brightness: f32,
    /// Mean luma of the face box above which it is overexposed, 0..255.
    pub max_brightness: f32,
    /// Variance of the Laplacian of the aligned grey crop.
    pub min_sharpness: f32,
    /// Largest yaw, pitch or roll estimate, degrees.
    pub max_angle_deg: f32,
    /// Least gap between the face box and the frame edge, as a fraction of the frame side: detectors
    /// clip a cut face at the edge rather than extend past it, so touching the edge means cut.
    pub min_edge_gap: f32,
}

impl Default for QualityPolicy {
    fn default() -> Self {
        QualityPolicy {
            min_face_px: 64.0,
            max_face_fraction: 0.9,
            min_brightness: 50.0,
            max_brightness: 215.0,
            // Real webcam faces (NUAA live frames, 640x480) measure 585 at their 10th percentile;
            // a frontal photo blurred by a 5x shrink-and-enlarge measures about 110.
            min_sharpness: 150.0,
            max_angle_deg: 25.0,
            min_edge_gap: 0.01,
        }
    }
}

/// Head pose estimated from landmark geometry, degrees. Positive yaw: face turned to the image
/// right; positive pitch: looking down; positive roll: head tilted clockwise in the image.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct HeadPose {
    /// Degrees; positive: turned to the image right.
    pub yaw: f32,
    /// Degrees; positive: looking down.
    pub pitch: f32,
    /// Degrees; positive: tilted clockwise in the image.
    pub roll: f32,
}

/// Nose-tip depth in front of the eyes relative to the inter-ocular distance of an average adult
/// head (about 3.5 cm over 6.3 cm): converts the nose's sideways offset into a yaw angle.
const NOSE_DEPTH_PER_EYE_DISTANCE: f32 = 0.55;
/// Nose-tip depth in front of the eye-mouth plane relative to the eye-to-mouth height (about
/// 2.5 cm over 6.5 cm): converts the nose's vertical offset into a pitch angle.
const NOSE_DEPTH_PER_FACE_HEIGHT: f32 = 0.4;
/// Where this landmark model puts the nose tip (iBUG 30) between the eye line and the mouth line on
/// frontal faces: the median over the deepface photos (quartiles 0.52 and 0.64). The ArcFace
/// template's 0.49 is a different point (MTCNN's nose), so it cannot serve.
const FRONTAL_NOSE_HEIGHT: f32 = 0.57;

impl HeadPose {
    /// The pose of a face from its 68 landmarks.
    pub fn from_landmarks(lm: &Landmarks) -> HeadPose {
        let [le, re, nose, ml, mr] = lm.five_points();
        let (ex, ey) = ((le.x + re.x) / 2.0, (le.y + re.y) / 2.0);
        let (mx, my) = ((ml.x + mr.x) / 2.0, (ml.y + mr.y) / 2.0);
        let roll = (re.y - le.y).atan2(re.x - le.x);
        let iod = ((re.x - le.x).powi(2) + (re.y - le.y).powi(2)).sqrt().max(1e-6);
        // Measure in the face's own frame so roll does not leak into yaw and pitch.
        let (c, s) = (roll.cos(), roll.sin());
        let along = |x: f32, y: f32| (x - ex) * c + (y - ey) * s;
        let across = |x: f32, y: f32| -(x - ex) * s + (y - ey) * c;
        let yaw = (along(nose.x, nose.y) / iod / NOSE_DEPTH_PER_EYE_DISTANCE).atan();
        let face_h = across(mx, my).max(1e-6);
        let pitch = ((across(nose.x, nose.y) / face_h - FRONTAL_NOSE_HEIGHT) / NOSE_DEPTH_PER_FACE_HEIGHT).atan();
        HeadPose { yaw: yaw.to_degrees(), pitch: pitch.to_degrees(), roll: roll.to_degrees() }
    }
}

/// The measurements behind a quality decision, and the issues found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QualityReport {
    /// Face box height in frame pixels.
    pub face_px: f32,
    /// Mean luma of the face box, 0..255.
    pub brightness: f32,
    /// Variance of the Laplacian of the grey face crop.
    pub sharpness: f32,
    /// Estimated head pose.
    pub pose: HeadPose,
    /// What is wrong; empty when the face is usable.
    pub issues: Vec<QualityIssue>,
}

impl QualityReport {
    /// True when nothing is wrong.
    pub fn acceptable(&self) -> bool {
        self.issues.is_empty()
    }
}

/// Mean luma inside `bbox` (clipped to the frame).
pub fn brightness(frame: &Frame, bbox: &BoundingBox) -> f32 {
    let b = bbox.clipped(frame.width(), frame.height());
    let (x1, y1, x2, y2) = (b.x1 as usize, b.y1 as usize, b.x2 as usize, b.y2 as usize);
    let w = frame.width() as usize;
    let rgb = frame.rgb();
    let (mut sum, mut n) = (0f64, 0usize);
    for y in y1..y2 {
        for x in x1..x2 {
            let p = &rgb[(y * w + x) * 3..(y * w + x) * 3 + 3];
            sum += 0.299 * p[0] as f64 + 0.587 * p[1] as f64 + 0.114 * p[2] as f64;
            n += 1;
        }
    }
    if n == 0 {
        0.0
    } else {
        (sum / n as f64) as f32
    }
}

/// Variance of the 4-neighbour Laplacian of a grey image: low when blurred.
pub fn laplacian_variance(grey: &[u8], width: usize, height: usize) -> f32 {
    if width < 3 || height < 3 {
        return 0.0;
    }
    let mut values = Vec::with_capacity((width - 2) * (height - 2));
    for y in 1..height - 1 {
        for x in 1..width - 1 {
            let at =
                |dx: isize, dy: isize| grey[(y as isize + dy) as usize * width + (x as isize + dx) as usize] as f32;
            values.push(at(-1, 0) + at(1, 0) + at(0, -1) + at(0, 1) - 4.0 * at(0, 0));
        }
    }
    let n = values.len() as f32;
    let mean = values.iter().sum::<f32>() / n;
    values.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / n
}

impl QualityPolicy {
    /// Assesses one face: its detection box, landmarks, and the aligned crop it would be embedded from.
    pub fn assess(&self, frame: &Frame, bbox: &BoundingBox, landmarks: &Landmarks, aligned: &Frame) -> QualityReport {
        let mut issues = Vec::new();
        let face_px = bbox.width().min(bbox.height());
        if face_px < self.min_face_px {
            issues.push(QualityIssue::TooSmall);
        }
        if bbox.height() > self.max_face_fraction * frame.height() as f32 {
            issues.push(QualityIssue::TooClose);
        }
        let (w, h) = (frame.width() as f32, frame.height() as f32);
        let gaps = [bbox.x1 / w, bbox.y1 / h, (w - bbox.x2) / w, (h - bbox.y2) / h];
        if gaps.iter().any(|g| *g < self.min_edge_gap) {
            issues.push(QualityIssue::PartlyOutside);
        }
        let brightness = brightness(frame, bbox);
        if brightness < self.min_brightness {
            issues.push(QualityIssue::TooDark);
        } else if brightness > self.max_brightness {
            issues.push(QualityIssue::TooBright);
        }
        let sharpness = laplacian_variance(&aligned.grey(), aligned.width() as usize, aligned.height() as usize);
        if sharpness < self.min_sharpness {
            issues.push(QualityIssue::Blurred);
        }
        let pose = HeadPose::from_landmarks(landmarks);
        if [pose.yaw, pose.pitch, pose.roll].iter().any(|a| a.abs() > self.max_angle_deg) {
            issues.push(QualityIssue::HeadTurned);
        }
        QualityReport { face_px, brightness, sharpness, pose, issues }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::face::Point;

    /// A frontal face: 68 points where only the five used ones matter, placed on the template.
    fn frontal(shift_nose_x: f32, tilt: f32) -> Landmarks {
        let mut p = vec![Point { x: 0.0, y: 0.0 }; 68];
        let rot = |x: f32, y: f32| Point { x: x * tilt.cos() - y * tilt.sin(), y: x * tilt.sin() + y * tilt.cos() };
        for i in [37, 38, 40, 41] {
            p[i] = rot(38.3, 51.7);
        }
        for i in [43, 44, 46, 47] {
            p[i] = rot(73.5, 51.7);
        }
        p[30] = rot(56.0 + shift_nose_x, 51.7 + FRONTAL_NOSE_HEIGHT * (92.3 - 51.7));
        for i in [48, 60] {
            p[i] = rot(41.5, 92.3);
        }
        for i in [54, 64] {
            p[i] = rot(70.7, 92.3);
        }
        Landmarks(p)
    }

    #[test]
    fn frontal_template_is_level() {
        let pose = HeadPose::from_landmarks(&frontal(0.0, 0.0));
        assert!(pose.yaw.abs() < 1.0 && pose.pitch.abs() < 2.0 && pose.roll.abs() < 0.5, "{pose:?}");
    }

    #[test]
    fn nose_off_centre_reads_as_yaw_and_tilt_as_roll_only() {
        let turned = HeadPose::from_landmarks(&frontal(15.0, 0.0));
        assert!(turned.yaw > 30.0, "{turned:?}");
        let tilted = HeadPose::from_landmarks(&frontal(0.0, 0.5));
        assert!((tilted.roll - 0.5f32.to_degrees()).abs() < 0.5 && tilted.yaw.abs() < 1.0, "{tilted:?}");
    }

    #[test]
    fn flat_image_has_no_sharpness_and_edges_do() {
        assert_eq!(laplacian_variance(&[128; 100], 10, 10), 0.0);
        let stripes: Vec<u8> = (0..100).map(|i| if i % 2 == 0 { 0 } else { 255 }).collect();
        assert!(laplacian_variance(&stripes, 10, 10) > 1000.0);
    }

    #[test]
    fn dark_small_face_outside_the_frame_gets_every_reason() {
        let frame = Frame::from_rgb(200, 200, vec![10; 200 * 200 * 3]).unwrap();
        let bbox = BoundingBox { x1: -10.0, y1: 10.0, x2: 30.0, y2: 50.0 };
        let aligned = Frame::from_rgb(4, 4, vec![10; 48]).unwrap();
        let r = QualityPolicy::default().assess(&frame, &bbox, &frontal(0.0, 0.0), &aligned);
        for issue in [QualityIssue::TooSmall, QualityIssue::PartlyOutside, QualityIssue::TooDark, QualityIssue::Blurred]
        {
            assert!(r.issues.contains(&issue), "{issue:?} missing from {:?}", r.issues);
        }
        assert!(!r.acceptable());
    }
}
