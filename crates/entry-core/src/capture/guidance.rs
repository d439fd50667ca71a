//! What to tell the person in front of the camera, one instruction at a time.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::face::{QualityIssue, QualityReport};

/// The instruction a capture UI shows; each names something the person can do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Guidance {
    /// No face is visible.
    NoFace,
    /// Someone else is in the picture.
    OneFaceOnly,
    /// Move so the face is in the middle of the picture.
    CentreFace,
    /// Come closer: the face is too small.
    MoveCloser,
    /// Move back: the face is too large or cut off.
    MoveBack,
    /// The face is too dark.
    MoreLight,
    /// The face is overexposed.
    LessLight,
    /// Face the camera: the head is turned or tilted.
    LookStraight,
    /// Keep still: the frame is blurred.
    HoldStill,
    /// The frame is usable.
    Good,
}

impl From<QualityIssue> for Guidance {
    fn from(issue: QualityIssue) -> Guidance {
        match issue {
            QualityIssue::PartlyOutside => Guidance::CentreFace,
            QualityIssue::TooSmall => Guidance::MoveCloser,
            QualityIssue::TooClose => Guidance::MoveBack,
            QualityIssue::TooDark => Guidance::MoreLight,
            QualityIssue::TooBright => Guidance::LessLight,
            QualityIssue::HeadTurned => Guidance::LookStraight,
            QualityIssue::Blurred => Guidance::HoldStill,
        }
    }
}

impl Guidance {
    /// The one instruction for a quality report: position first (it changes the other measures),
    /// then light, pose and steadiness.
    pub fn for_quality(report: &QualityReport) -> Guidance {
        report.issues.iter().map(|&i| Guidance::from(i)).min_by_key(|g| *g as u8).unwrap_or(Guidance::Good)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::face::HeadPose;

    #[test]
    fn position_comes_before_light_and_pose() {
        let report = |issues| QualityReport {
            face_px: 50.0,
            brightness: 30.0,
            sharpness: 10.0,
            pose: HeadPose { yaw: 0.0, pitch: 0.0, roll: 0.0 },
            issues,
        };
        let all = vec![QualityIssue::Blurred, QualityIssue::TooDark, QualityIssue::TooSmall];
        assert_eq!(Guidance::for_quality(&report(all)), Guidance::MoveCloser);
        assert_eq!(Guidance::for_quality(&report(vec![QualityIssue::Blurred])), Guidance::HoldStill);
        assert_eq!(Guidance::for_quality(&report(vec![])), Guidance::Good);
    }
}
