//! One network: verified against its pinned hash, optimised once for a fixed input, then run. The
//! bytes are the ONNX file (builds with feature `onnx`) or its converted NNEF form ([`convert`]).

use std::sync::Arc;

use sha2::{Digest, Sha256};
use tract_nnef::prelude::*;

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

/// tract's NNEF reader and writer, built once: building its operator registry took 5.7% of an
/// engine load in Chromium's profiler (2026-11-29), four times over.
fn nnef() -> &'static tract_nnef::framework::Nnef {
    static NNEF: std::sync::OnceLock<tract_nnef::framework::Nnef> = std::sync::OnceLock::new();
    NNEF.get_or_init(tract_nnef::nnef)
}

fn load_error(spec: &ModelFile) -> impl Fn(TractError) -> Error + '_ {
    |e| Error::ModelLoad { model: spec.id.clone(), reason: format!("{e:#}") }
}

/// The ONNX file as a typed model for the manifest's input size, not yet decluttered: decluttering
/// chooses layouts by the platform's kernels (a wasm32 build wrote another graph than x86-64), so the
/// converted form stops before it and every platform writes the same bytes.
#[cfg(feature = "onnx")]
fn from_onnx(spec: &ModelFile, bytes: &[u8]) -> Result<TypedModel> {
    use tract_onnx::prelude::{Framework, InferenceModelExt};
    let i = &spec.input;
    let shape = [1, i.channels.count(), i.height as usize, i.width as usize];
    tract_onnx::onnx()
        .model_for_read(&mut &bytes[..])
        .and_then(|m| m.with_input_fact(0, f32::fact(shape).into()))
        .and_then(|m| m.into_typed())
        .map_err(load_error(spec))
}

/// Without the ONNX reader, the ONNX file does not load.
#[cfg(not(feature = "onnx"))]
fn from_onnx(spec: &ModelFile, _: &[u8]) -> Result<TypedModel> {
    Err(Error::ModelLoad {
        model: spec.id.clone(),
        reason: "this build reads converted models only (entry convert-models), not ONNX".into(),
    })
}

/// The ONNX file of `spec` (checked against its sha256) in tract's NNEF form, typed for the
/// manifest's input size and written deterministically: the same bytes on every platform with this
/// tract version (native and the Node converter: `tests/e2e/models-cli.test.mjs`), so the manifest
/// can pin their sha256 (`ConvertedModel`).
#[cfg(feature = "onnx")]
pub fn convert(spec: &ModelFile, onnx: &[u8]) -> Result<Vec<u8>> {
    let actual = sha256_hex(onnx);
    if !actual.eq_ignore_ascii_case(&spec.sha256) {
        return Err(Error::ModelChecksum { model: spec.id.clone(), expected: spec.sha256.clone(), actual });
    }
    let model = from_onnx(spec, onnx)?;
    nnef().write_to_tar_with_config(&model, Vec::new(), false, true).map_err(load_error(spec))
}

impl Network {
    /// Loads the ONNX file or its converted form, whichever `bytes` are by their sha256 (the
    /// manifest pins both); any other bytes are MODEL_INTEGRITY. A build without feature `onnx`
    /// refuses the ONNX file with MODEL_LOAD_FAILED.
    pub fn load(spec: &ModelFile, bytes: &[u8]) -> Result<Self> {
        let actual = sha256_hex(bytes);
        let converted = spec.converted.as_ref().is_some_and(|c| actual.eq_ignore_ascii_case(&c.sha256));
        let model = if converted {
            nnef().model_for_read(&mut &bytes[..]).map_err(load_error(spec))?
        } else if actual.eq_ignore_ascii_case(&spec.sha256) {
            from_onnx(spec, bytes)?
        } else {
            let (_, expected) = spec.to_load()?;
            return Err(Error::ModelChecksum { model: spec.id.clone(), expected: expected.to_string(), actual });
        };
        let plan = model.into_optimized().and_then(|m| m.into_runnable()).map_err(load_error(spec))?;
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
