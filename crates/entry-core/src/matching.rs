//! Templates and decisions: enrollment from several good captures, 1:1 verification and 1:N
//! identification against thresholds chosen by target false-match rate.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::face::QualityReport;
use crate::face::{dot, Embedding};
use crate::model::Calibration;

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

/// Many templates of one model stored contiguously for fast 1:N search; one template per id.
#[derive(Clone, Debug, Default)]
pub struct Gallery {
    model: String,
    dimension: usize,
    ids: Vec<String>,
    values: Vec<f32>,
    /// Where each id's template sits, so a change to one user costs O(dimension), not a scan.
    positions: HashMap<String, usize>,
}

/// The best candidate of a 1:N search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The template's id.
    pub id: String,
    /// Cosine similarity.
    pub score: f32,
}

/// Result of 1:N identification.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Identification {
    /// The best match above the threshold, if any.
    pub matched: Option<Candidate>,
    /// The best candidate whatever its score (for fallback policies), if the gallery is not empty.
    pub best: Option<Candidate>,
}

impl Gallery {
    /// An empty gallery.
    pub fn new() -> Self {
        Gallery::default()
    }

    /// Templates held.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when no template is held.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Adds the template of `id`, or replaces it (all templates must come from one model).
    pub fn insert(&mut self, id: impl Into<String>, template: &Embedding) -> Result<()> {
        let id = id.into();
        if self.ids.is_empty() {
            self.model = template.model().to_string();
            self.dimension = template.values().len();
        } else if template.model() != self.model {
            return Err(Error::ModelMismatch { left: self.model.clone(), right: template.model().to_string() });
        } else if template.values().len() != self.dimension {
            return Err(Error::EmbeddingSize { expected: self.dimension, actual: template.values().len() });
        }
        if let Some(&at) = self.positions.get(&id) {
            self.values[at * self.dimension..(at + 1) * self.dimension].copy_from_slice(template.values());
            return Ok(());
        }
        self.positions.insert(id.clone(), self.ids.len());
        self.ids.push(id);
        self.values.extend_from_slice(template.values());
        Ok(())
    }

    /// Removes the template of `id`; false when there was none.
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(at) = self.positions.remove(id) else { return false };
        let last = self.ids.len() - 1;
        if at != last {
            let (d, moved) = (self.dimension, self.ids[last].clone());
            self.values.copy_within(last * d..(last + 1) * d, at * d);
            self.positions.insert(moved, at);
        }
        self.ids.swap_remove(at);
        self.values.truncate(last * self.dimension);
        true
    }

    /// True when `id` has a template here.
    pub fn contains(&self, id: &str) -> bool {
        self.positions.contains_key(id)
    }

    /// 1:N: the template closest to `probe`, whatever its score (`None` for an empty gallery).
    pub fn best(&self, probe: &Embedding) -> Result<Option<Candidate>> {
        if self.ids.is_empty() {
            return Ok(None);
        }
        if probe.model() != self.model {
            return Err(Error::ModelMismatch { left: self.model.clone(), right: probe.model().to_string() });
        }
        if probe.values().len() != self.dimension {
            return Err(Error::EmbeddingSize { expected: self.dimension, actual: probe.values().len() });
        }
        let (index, score) = self
            .values
            .chunks_exact(self.dimension)
            .map(|t| dot(t, probe.values()))
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .expect("gallery is not empty");
        Ok(Some(Candidate { id: self.ids[index].clone(), score }))
    }

    /// 1:N: the best template for `probe`, and whether it reaches `threshold`.
    pub fn identify(&self, probe: &Embedding, threshold: Threshold) -> Result<Identification> {
        let best = self.best(probe)?;
        let matched = best.clone().filter(|b| b.score >= threshold.cosine);
        Ok(Identification { matched, best })
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

    #[test]
    fn identify_finds_best_above_threshold_only() {
        let mut g = Gallery::new();
        g.insert("alice", &e(&[1.0, 0.0, 0.0])).unwrap();
        g.insert("bob", &e(&[0.0, 1.0, 0.0])).unwrap();
        let hit = g.identify(&e(&[0.1, 1.0, 0.0]), T).unwrap();
        assert_eq!(hit.matched.unwrap().id, "bob");
        let miss = g.identify(&e(&[0.0, 0.0, 1.0]), T).unwrap();
        assert!(miss.matched.is_none());
        assert!(miss.best.is_some());
        assert!(g.insert("x", &e(&[1.0, 0.0])).is_err());
        assert!(Gallery::new().identify(&e(&[1.0]), T).unwrap().best.is_none());
    }

    #[test]
    fn a_gallery_replaces_and_removes_one_id_without_disturbing_the_others() {
        let mut g = Gallery::new();
        for (id, v) in [("a", [1.0, 0.0, 0.0]), ("b", [0.0, 1.0, 0.0]), ("c", [0.0, 0.0, 1.0])] {
            g.insert(id, &e(&v)).unwrap();
        }
        g.insert("a", &e(&[0.0, 0.6, 0.8])).unwrap();
        assert_eq!(g.len(), 3, "a second insert replaces");
        assert!(g.remove("b") && !g.remove("b"));
        assert_eq!((g.len(), g.contains("b"), g.contains("c")), (2, false, true));
        assert_eq!(g.best(&e(&[0.0, 0.0, 1.0])).unwrap().unwrap().id, "c", "c moved into b's place");
        assert_eq!(g.best(&e(&[0.0, 0.7, 0.7])).unwrap().unwrap().id, "a");
        assert!(g.remove("a") && g.remove("c") && g.is_empty());
        assert!(g.best(&e(&[1.0, 0.0, 0.0])).unwrap().is_none());
    }
}
