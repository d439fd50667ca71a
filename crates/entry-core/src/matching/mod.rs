//! Templates and decisions: enrollment from several good captures, 1:1 verification and 1:N
//! identification against thresholds chosen by target false-match rate.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::face::Embedding;
use crate::face::QualityReport;
use crate::model::Calibration;

mod coarse;
mod gallery;

pub use gallery::{Candidate, Gallery, Identification};

/// A decision threshold together with the false-match rate it was calibrated for.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Threshold {
    /// The target false-match rate.
    pub fmr: f64,
    /// The cosine threshold for it.
    pub cosine: f32,
}

impl Threshold {
    /// The calibrated threshold for `fmr` (the strictest at or below it).
    pub fn at_fmr(calibration: &Calibration, fmr: f64) -> Result<Threshold> {
        Ok(Threshold { fmr, cosine: calibration.threshold_for(fmr)? })
    }
}

/// Outcome of comparing a probe with one template.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Cosine similarity.
    pub score: f32,
    /// The threshold applied.
    pub threshold: f32,
    /// Whether the score reaches it.
    pub is_match: bool,
}

/// 1:1: compares a probe with one template at `threshold`.
pub fn verify(template: &Embedding, probe: &Embedding, threshold: Threshold) -> Result<Comparison> {
    let score = template.cosine(probe)?;
    Ok(Comparison { score, threshold: threshold.cosine, is_match: score >= threshold.cosine })
}

/// Collects captures of one person; refuses poor ones and averages the rest.
#[derive(Debug)]
pub struct Enrollment {
    required: usize,
    accepted: Vec<Embedding>,
}

impl Enrollment {
    /// An enrollment needing `required` accepted captures (at least 1).
    pub fn new(required: usize) -> Self {
        Enrollment { required: required.max(1), accepted: Vec::new() }
    }

    /// Adds a capture, or says which quality issues refused it.
    pub fn add(&mut self, embedding: Embedding, quality: &QualityReport) -> Result<usize> {
        if !quality.acceptable() {
            let reasons: Vec<String> = quality.issues.iter().map(|i| format!("{i:?}")).collect();
            return Err(Error::PoorQuality(reasons.join(", ")));
        }
        if let Some(first) = self.accepted.first() {
            first.cosine(&embedding)?;
        }
        self.accepted.push(embedding);
        Ok(self.accepted.len())
    }

    /// True once enough captures were accepted.
    pub fn is_complete(&self) -> bool {
        self.accepted.len() >= self.required
    }

    /// The mean of the accepted captures (NOT_ENOUGH_CAPTURES before enough).
    pub fn finish(self) -> Result<Embedding> {
        if !self.is_complete() {
            return Err(Error::NotEnoughCaptures { needed: self.required, got: self.accepted.len() });
        }
        Embedding::mean(&self.accepted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::face::{HeadPose, QualityIssue};

    fn e(v: &[f32]) -> Embedding {
        Embedding::new("m", v.to_vec()).unwrap()
    }

    fn quality(issues: Vec<QualityIssue>) -> QualityReport {
        QualityReport {
            face_px: 100.0,
            brightness: 120.0,
            sharpness: 100.0,
            pose: HeadPose { yaw: 0.0, pitch: 0.0, roll: 0.0 },
            issues,
        }
    }

    const T: Threshold = Threshold { fmr: 1e-3, cosine: 0.5 };

    #[test]
    fn verify_decides_at_threshold() {
        assert!(verify(&e(&[1.0, 0.0]), &e(&[1.0, 0.2]), T).unwrap().is_match);
        assert!(!verify(&e(&[1.0, 0.0]), &e(&[0.2, 1.0]), T).unwrap().is_match);
    }

    #[test]
    fn enrollment_refuses_poor_captures_and_needs_enough() {
        let mut en = Enrollment::new(2);
        let err = en.add(e(&[1.0, 0.0]), &quality(vec![QualityIssue::Blurred])).unwrap_err();
        assert_eq!(err, Error::PoorQuality("Blurred".into()));
        en.add(e(&[1.0, 0.0]), &quality(vec![])).unwrap();
        assert!(!en.is_complete());
        let mut en2 = Enrollment::new(2);
        en2.add(e(&[1.0, 0.0]), &quality(vec![])).unwrap();
        assert_eq!(en.finish().unwrap_err(), Error::NotEnoughCaptures { needed: 2, got: 1 });
        en2.add(e(&[1.0, 0.1]), &quality(vec![])).unwrap();
        assert!(en2.finish().unwrap().values()[0] > 0.99);
    }
}
