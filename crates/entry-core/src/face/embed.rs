//! Embeddings: the aligned face through the recognition network, L2-normalised, so that the dot
//! product of two embeddings is their cosine similarity.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::face::align;
use crate::face::Landmarks;
use crate::frame::Frame;
use crate::model::{EmbedderSpec, Network};

/// A unit-length face embedding and the model that produced it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Embedding {
    model: String,
    values: Vec<f32>,
}

impl Embedding {
    /// Normalises `values` to unit length. A zero or non-finite vector is an error.
    pub fn new(model: impl Into<String>, mut values: Vec<f32>) -> Result<Self> {
        let norm = values.iter().map(|v| v * v).sum::<f32>().sqrt();
        if !norm.is_finite() || norm < 1e-12 {
            return Err(Error::ModelOutput { model: model.into(), reason: "a zero or non-finite embedding".into() });
        }
        values.iter_mut().for_each(|v| *v /= norm);
        Ok(Embedding { model: model.into(), values })
    }

    /// The id of the model that made this embedding.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// The L2-normalised values.
    pub fn values(&self) -> &[f32] {
        &self.values
    }

    /// Cosine similarity in [-1, 1]; embeddings of different models cannot be compared.
    pub fn cosine(&self, other: &Embedding) -> Result<f32> {
        if self.model != other.model {
            return Err(Error::ModelMismatch { left: self.model.clone(), right: other.model.clone() });
        }
        if self.values.len() != other.values.len() {
            return Err(Error::EmbeddingSize { expected: self.values.len(), actual: other.values.len() });
        }
        Ok(dot(&self.values, &other.values))
    }

    /// The normalised mean of several embeddings of one model.
    pub fn mean(embeddings: &[Embedding]) -> Result<Embedding> {
        let first = embeddings.first().ok_or(Error::NotEnoughCaptures { needed: 1, got: 0 })?;
        let mut sum = vec![0f32; first.values.len()];
        for e in embeddings {
            first.cosine(e)?;
            sum.iter_mut().zip(&e.values).for_each(|(s, v)| *s += v);
        }
        Embedding::new(first.model.clone(), sum)
    }
}

/// Dot product with eight independent accumulators: float addition is not associative, so a plain
/// sum is a serial chain the compiler may not vectorise; eight lanes let it use SIMD registers.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut lanes = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            lanes[i] += x[i] * y[i];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// The face embedder of a manifest.
pub struct Embedder {
    net: Network,
    spec: EmbedderSpec,
}

impl Embedder {
    /// Loads the model from its bytes (already checked against the manifest's sha256).
    pub fn new(spec: EmbedderSpec, bytes: &[u8]) -> Result<Self> {
        Ok(Embedder { net: Network::load(&spec.model, bytes)?, spec })
    }

    /// The embedder's manifest entry (dimension, template, calibration).
    pub fn spec(&self) -> &EmbedderSpec {
        &self.spec
    }

    /// The crop the embedder sees: the face warped onto the five-point template.
    pub fn aligned(&self, frame: &Frame, landmarks: &Landmarks) -> Result<Frame> {
        let input = self.net.input();
        align(frame, &landmarks.five_points(), &self.spec.template, (input.width, input.height))
            .ok_or_else(|| self.net.output_err("landmarks are degenerate, the face cannot be aligned"))
    }

    /// Embedding of an already aligned crop.
    pub fn embed_aligned(&self, aligned: &Frame) -> Result<Embedding> {
        let outputs = self.net.run_image(aligned)?;
        let values = outputs.into_iter().next().ok_or_else(|| self.net.output_err("no output"))?;
        if values.len() != self.spec.dimension {
            return Err(Error::EmbeddingSize { expected: self.spec.dimension, actual: values.len() });
        }
        Embedding::new(self.net.id(), values)
    }

    /// Embedding of the face with these landmarks: aligned, then embedded.
    pub fn embed(&self, frame: &Frame, landmarks: &Landmarks) -> Result<Embedding> {
        self.embed_aligned(&self.aligned(frame, landmarks)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeddings_are_unit_length_and_cosine_is_checked() {
        let a = Embedding::new("m", vec![3.0, 4.0]).unwrap();
        assert!((a.cosine(&a).unwrap() - 1.0).abs() < 1e-6);
        let b = Embedding::new("m", vec![-4.0, 3.0]).unwrap();
        assert!(a.cosine(&b).unwrap().abs() < 1e-6);
        assert!(matches!(
            a.cosine(&Embedding::new("other", vec![1.0, 0.0]).unwrap()),
            Err(Error::ModelMismatch { .. })
        ));
        assert!(matches!(
            a.cosine(&Embedding::new("m", vec![1.0, 0.0, 0.0]).unwrap()),
            Err(Error::EmbeddingSize { .. })
        ));
        assert!(Embedding::new("m", vec![0.0, 0.0]).is_err());
        assert!(Embedding::new("m", vec![f32::NAN, 1.0]).is_err());
    }

    #[test]
    fn dot_matches_the_plain_sum_at_any_length() {
        for n in [0, 1, 7, 8, 9, 512, 517] {
            let a: Vec<f32> = (0..n).map(|i| (i as f32 * 0.3).sin()).collect();
            let b: Vec<f32> = (0..n).map(|i| (i as f32 * 0.7).cos()).collect();
            let plain: f64 = a.iter().zip(&b).map(|(x, y)| (*x as f64) * (*y as f64)).sum();
            assert!((dot(&a, &b) as f64 - plain).abs() < 1e-4, "n = {n}");
        }
    }

    #[test]
    fn mean_is_normalised() {
        let a = Embedding::new("m", vec![1.0, 0.0]).unwrap();
        let b = Embedding::new("m", vec![0.0, 1.0]).unwrap();
        let m = Embedding::mean(&[a, b]).unwrap();
        assert!((m.values()[0] - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
    }
}
