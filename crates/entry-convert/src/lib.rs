//! `entry convert-models` for app developers without a Rust toolchain: entry-core's converter
//! (ONNX -> tract's NNEF form, deterministic) built for Node, which `npx entry-face-models` runs to
//! put beside the ONNX files the converted ones the browser SDK loads. It holds no logic of its own.
#![forbid(unsafe_code)]

use entry_core::model::{convert, Manifest};
use entry_core::CodedError;
use wasm_bindgen::prelude::*;

/// A JS `Error` whose `name` is the stable code.
fn coded(e: impl CodedError) -> JsValue {
    let error = js_sys::Error::new(&e.to_string());
    error.set_name(e.code().as_str());
    error.into()
}

/// The converted form of the manifest's model `file` from its ONNX bytes (checked against the
/// manifest's sha256). Errors are JS `Error`s whose `name` is the stable code.
#[wasm_bindgen(js_name = convertModel)]
pub fn convert_model(manifest_json: &str, file: &str, onnx: &[u8]) -> Result<Vec<u8>, JsValue> {
    let manifest = Manifest::from_json(manifest_json).map_err(coded)?;
    let Some(spec) = manifest.files().into_iter().find(|m| m.file == file) else {
        return Err(coded(entry_core::Error::Manifest(format!("the manifest lists no model file {file}"))));
    };
    convert(spec, onnx).map_err(coded)
}
