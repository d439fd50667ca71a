use entry_core::capture::{CapturePolicy, CaptureSession as CoreSession};
use entry_core::documents::face_match::match_document_embedding;
use entry_core::embed::Embedding;
use entry_core::policy::MatchPolicy;
use entry_core::ErrorCode;
use entry_core::Frame;
use wasm_bindgen::prelude::*;

use crate::engine::FaceEngine;
use crate::{coded_error, js_error, options_from_js, to_js};

/// One capture: guidance, good-frame collection, liveness and challenge, frame by frame. Its
/// embedding never crosses into JavaScript: `TemplateVault` seals or searches with it directly.
#[wasm_bindgen]
pub struct CaptureSession {
    inner: CoreSession,
}

impl CaptureSession {
    pub(crate) fn embedding(&self) -> Result<&Embedding, JsValue> {
        self.inner.embedding().ok_or_else(|| coded_error(ErrorCode::NotEnoughCaptures, "the capture has not succeeded"))
    }
}

#[wasm_bindgen]
impl CaptureSession {
    /// `policy`: `{ frames, timeout_ms, multiple_faces_frames, liveness: "off" | "passive" |
    /// "passive_and_active" | "adaptive", liveness_policy, challenge, continuity_fmr }`, omitted fields default.
    /// `nonce` seeds the challenge (a server can issue it and recompute the actions).
    #[wasm_bindgen(constructor)]
    pub fn new(policy: JsValue, nonce: &[u8]) -> Result<CaptureSession, JsValue> {
        let policy: CapturePolicy = options_from_js(policy, "capture policy")?;
        Ok(CaptureSession { inner: CoreSession::new(policy, nonce) })
    }

    /// Processes an RGBA frame taken at `now_ms`; returns the update to show
    /// (`{ state: "collecting" | "challenge" | "captured" | "failed", ... }`).
    pub fn push(
        &mut self,
        engine: &FaceEngine,
        rgba: &[u8],
        width: u32,
        height: u32,
        now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        let frame = Frame::from_rgba(width, height, rgba).map_err(js_error)?;
        to_js(&self.inner.push(engine.core(), &frame, now_ms).map_err(js_error)?)
    }

    /// Face-to-document check of a successful capture against the portrait of an identity document
    /// (JPEG or PNG bytes), at the document-match false-match rate: `{ score, decision }`.
    #[wasm_bindgen(js_name = matchDocument)]
    pub fn match_document(&self, engine: &FaceEngine, document_photo: &[u8]) -> Result<JsValue, JsValue> {
        let photo = Frame::decode(document_photo).map_err(js_error)?;
        let result = match_document_embedding(engine.core(), &MatchPolicy::default(), self.embedding()?, &photo);
        to_js(&result.map_err(js_error)?)
    }

    #[wasm_bindgen(getter, js_name = isFinished)]
    pub fn is_finished(&self) -> bool {
        self.inner.is_finished()
    }
}
