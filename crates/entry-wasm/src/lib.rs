//! The browser face of entry-core: thin wasm-bindgen wrappers that convert types and errors and
//! hold no logic of their own. Every error crosses as a JS `Error` whose `name` is a stable code.
#![forbid(unsafe_code)]

use entry_core::model::Manifest;
use entry_core::{FaceEngine, Frame};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A JS `Error` with `name` set to the core error's code, so callers can branch on it.
fn js_error(e: entry_core::Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name(e.code());
    err.into()
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_sys::Error::new(&format!("serialisation failed: {e}")).into())
}

/// All face models of one manifest, loaded and ready.
#[wasm_bindgen]
pub struct Engine {
    inner: FaceEngine,
}

#[wasm_bindgen]
impl Engine {
    /// `manifest_json` is `models/manifest.json`; `files` maps each file name it lists to its bytes
    /// (`Uint8Array`). Hashes are checked again here, whatever the loader did.
    #[wasm_bindgen(constructor)]
    pub fn new(manifest_json: &str, files: &js_sys::Object) -> Result<Engine, JsValue> {
        let manifest = Manifest::from_json(manifest_json).map_err(js_error)?;
        let inner = FaceEngine::load(manifest, |file| {
            let value = js_sys::Reflect::get(files, &JsValue::from_str(file)).unwrap_or(JsValue::UNDEFINED);
            value.dyn_into::<js_sys::Uint8Array>().map(|a| a.to_vec()).map_err(|_| entry_core::Error::ModelLoad {
                model: file.to_string(),
                reason: "no Uint8Array was given for this file".into(),
            })
        })
        .map_err(js_error)?;
        Ok(Engine { inner })
    }

    /// Model identifier of the embeddings this engine produces.
    #[wasm_bindgen(getter, js_name = embedderId)]
    pub fn embedder_id(&self) -> String {
        self.inner.manifest().embedder.model.id.clone()
    }

    /// Face boxes in an RGBA frame (`ImageData.data`), largest first.
    pub fn detect(&self, rgba: &[u8], width: u32, height: u32) -> Result<JsValue, JsValue> {
        let frame = Frame::from_rgba(width, height, rgba).map_err(js_error)?;
        to_js(&self.inner.detect(&frame).map_err(js_error)?)
    }

    /// Faces with landmarks and capture quality, largest first.
    pub fn analyze(&self, rgba: &[u8], width: u32, height: u32) -> Result<JsValue, JsValue> {
        let frame = Frame::from_rgba(width, height, rgba).map_err(js_error)?;
        to_js(&self.inner.analyze(&frame).map_err(js_error)?)
    }

    /// Embedding of the largest face in an encoded JPEG or PNG image.
    #[wasm_bindgen(js_name = embedImage)]
    pub fn embed_image(&self, encoded: &[u8]) -> Result<Vec<f32>, JsValue> {
        let frame = Frame::decode(encoded).map_err(js_error)?;
        let (_, embedding) = self.inner.embed_largest(&frame).map_err(js_error)?;
        Ok(embedding.values().to_vec())
    }
}

// Unit tests run in headless Chromium: the crate is a cdylib only (an rlib would disable its LTO).
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;
