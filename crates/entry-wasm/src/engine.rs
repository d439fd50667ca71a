use entry_core::documents::match_document;
use entry_core::model::Manifest;
use entry_core::policy::{MatchPolicy, UseCase};
use entry_core::{FaceEngine as CoreEngine, Frame};
use wasm_bindgen::prelude::*;

use crate::{from_js, js_error, to_js};

/// All face models of one manifest, loaded and ready.
#[wasm_bindgen]
pub struct FaceEngine {
    inner: CoreEngine,
}

impl FaceEngine {
    pub(crate) fn core(&self) -> &CoreEngine {
        &self.inner
    }
}

#[wasm_bindgen]
impl FaceEngine {
    /// `manifest_json` is `models/manifest.json`; `files` maps each file name it lists to its bytes
    /// (`Uint8Array`). Hashes are checked again here, whatever the loader did.
    #[wasm_bindgen(constructor)]
    pub fn new(manifest_json: &str, files: &js_sys::Object) -> Result<FaceEngine, JsValue> {
        let manifest = Manifest::from_json(manifest_json).map_err(js_error)?;
        let inner = CoreEngine::load(manifest, |file| {
            let value = js_sys::Reflect::get(files, &JsValue::from_str(file)).unwrap_or(JsValue::UNDEFINED);
            value.dyn_into::<js_sys::Uint8Array>().map(|a| a.to_vec()).map_err(|_| entry_core::Error::ModelLoad {
                model: file.to_string(),
                reason: "no Uint8Array was given for this file".into(),
            })
        })
        .map_err(js_error)?;
        Ok(FaceEngine { inner })
    }

    /// Model identifier of the embeddings this engine produces.
    #[wasm_bindgen(getter, js_name = embedderId)]
    pub fn embedder_id(&self) -> String {
        self.inner.manifest().embedder.model.id.clone()
    }

    /// Length of the embeddings this engine produces (templates are sealed at this size).
    #[wasm_bindgen(getter, js_name = embeddingDimension)]
    pub fn embedding_dimension(&self) -> usize {
        self.inner.manifest().embedder.dimension
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

    /// Embedding of the primary face (centred and large) in an encoded JPEG or PNG image.
    #[wasm_bindgen(js_name = embedImage)]
    pub fn embed_image(&self, encoded: &[u8]) -> Result<Vec<f32>, JsValue> {
        let frame = Frame::decode(encoded).map_err(js_error)?;
        let (_, embedding) = self.inner.embed_primary(&frame).map_err(js_error)?;
        Ok(embedding.values().to_vec())
    }

    /// Embedding of the one face in an RGBA frame; errors when there is no face or several.
    #[wasm_bindgen(js_name = embedFrame)]
    pub fn embed_frame(&self, rgba: &[u8], width: u32, height: u32) -> Result<Vec<f32>, JsValue> {
        let frame = Frame::from_rgba(width, height, rgba).map_err(js_error)?;
        let face = self.inner.single_face(&frame).map_err(js_error)?;
        Ok(self.inner.embed(&frame, &face).map_err(js_error)?.values().to_vec())
    }

    /// "accept", "fallback_required" or "reject" for a cosine score under `use_case`
    /// ("login", "account_recovery", "high_value_payment"), using the manifest's calibration.
    pub fn decide(&self, score: f32, use_case: JsValue) -> Result<JsValue, JsValue> {
        let use_case: UseCase = from_js(use_case, "use case")?;
        let decision = MatchPolicy::default()
            .decide(&self.inner.manifest().embedder.calibration, use_case, score)
            .map_err(js_error)?;
        to_js(&decision)
    }

    /// Face-to-document check: the one face of a live RGBA frame against the photo of an identity
    /// document (encoded JPEG/PNG); returns `{ score, decision }`.
    #[wasm_bindgen(js_name = matchDocument)]
    pub fn match_document(
        &self,
        rgba: &[u8],
        width: u32,
        height: u32,
        document_photo: &[u8],
    ) -> Result<JsValue, JsValue> {
        let live = Frame::from_rgba(width, height, rgba).map_err(js_error)?;
        let document = Frame::decode(document_photo).map_err(js_error)?;
        to_js(&match_document(&self.inner, &MatchPolicy::default(), &live, &document).map_err(js_error)?)
    }
}
