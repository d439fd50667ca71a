//! One ONNX network: verified against its pinned hash, optimised once for a fixed input, then run.

use std::sync::Arc;

use sha2::{Digest, Sha256};
use tract_onnx::prelude::*;

use super::manifest::{Channels, InputSpec, ModelFile};
use crate::error::{Error, Result};
use crate::frame::Frame;

/// Lowercase hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A loaded network and the input it was optimised for.
pub struct Network {
    id: String,
    input: InputSpec,
    plan: Arc<TypedRunnableModel>,
}

impl Network {
    /// Loads ONNX bytes after checking them against the manifest's sha256.
    pub fn load(spec: &ModelFile, bytes: &[u8]) -> Result<Self> {
        let actual = sha256_hex(bytes);
        if !actual.eq_ignore_ascii_case(&spec.sha256) {
            return Err(Error::ModelChecksum { model: spec.id.clone(), expected: spec.sha256.clone(), actual });
        }
        let load_err = |e: TractError| Error::ModelLoad { model: spec.id.clone(), reason: format!("{e:#}") };
        let i = &spec.input;
        let shape = [1, i.channels.count(), i.height as usize, i.width as usize];
        let plan = tract_onnx::onnx()
            .model_for_read(&mut &bytes[..])
            .and_then(|m| m.with_input_fact(0, f32::fact(shape).into()))
            .and_then(|m| m.into_optimized())
            .and_then(|m| m.into_runnable())
            .map_err(load_err)?;
        Ok(Network { id: spec.id.clone(), input: spec.input.clone(), plan })
    }

    /// The model's id from the manifest.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// What the network takes.
    pub fn input(&self) -> &InputSpec {
        &self.input
    }

    /// Turns an image already at the input size into the normalised NCHW tensor.
    pub fn tensor(&self, image: &Frame) -> Result<Tensor> {
        let i = &self.input;
        if image.width() != i.width || image.height() != i.height {
            return Err(Error::Inference {
                model: self.id.clone(),
                reason: format!("input is {}x{}, expected {}x{}", image.width(), image.height(), i.width, i.height),
            });
        }
        let plane = (i.width * i.height) as usize;
        let norm = |v: u8| (v as f32 - i.mean) / i.std;
        let mut data = vec![0f32; plane * i.channels.count()];
        match i.channels {
            Channels::Grey => {
                for (d, g) in data.iter_mut().zip(image.grey()) {
                    *d = norm(g);
                }
            }
            Channels::Rgb | Channels::Bgr => {
                let order = if i.channels == Channels::Rgb { [0, 1, 2] } else { [2, 1, 0] };
                for (p, px) in image.rgb().chunks_exact(3).enumerate() {
                    for (c, &src) in order.iter().enumerate() {
                        data[c * plane + p] = norm(px[src]);
                    }
                }
            }
        }
        let shape = [1, i.channels.count(), i.height as usize, i.width as usize];
        Tensor::from_shape(&shape, &data).map_err(|e| self.run_err(e))
    }

    /// Runs the network and returns every output flattened to `f32`.
    pub fn run(&self, input: Tensor) -> Result<Vec<Vec<f32>>> {
        let outputs = self.plan.run(tvec!(input.into())).map_err(|e| self.run_err(e))?;
        outputs
            .iter()
            .map(|t| t.to_plain_array_view::<f32>().map(|v| v.iter().copied().collect()).map_err(|e| self.run_err(e)))
            .collect()
    }

    /// Samples `image` into the input size and runs it.
    pub fn run_image(&self, image: &Frame) -> Result<Vec<Vec<f32>>> {
        self.run(self.tensor(image)?)
    }

    /// An output error with this network's name.
    pub fn output_err(&self, reason: impl Into<String>) -> Error {
        Error::ModelOutput { model: self.id.clone(), reason: reason.into() }
    }

    fn run_err(&self, e: TractError) -> Error {
        Error::Inference { model: self.id.clone(), reason: format!("{e:#}") }
    }
}
