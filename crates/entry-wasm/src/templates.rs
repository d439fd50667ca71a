use entry_core::face::Embedding;
use entry_core::protect::{is_wrapped, WrapParams, WrappedParts};
use entry_core::protect::{SealedTemplate, TemplateProtector as CoreProtector, UtcDay};
use wasm_bindgen::prelude::*;

use crate::keys::Keyring;
use crate::{js_error, to_js};

fn day(unix_seconds: f64) -> UtcDay {
    UtcDay::from_unix_seconds(unix_seconds.max(0.0) as u64)
}

/// Sealed templates of one app (entry-core `TemplateProtector`): the app's cancellable transform,
/// then AES-256-GCM under the day's key, bound to app, user and model.
#[wasm_bindgen]
pub struct TemplateProtector {
    inner: CoreProtector,
    model_id: String,
}

#[wasm_bindgen]
impl TemplateProtector {
    /// `model_id`: the embedder's id; `dimension`: its embedding length; raising
    /// `transform_version` revokes every template sealed under the previous one.
    #[wasm_bindgen(constructor)]
    pub fn new(
        keyring: &Keyring,
        model_id: &str,
        dimension: usize,
        transform_version: u32,
    ) -> Result<TemplateProtector, JsValue> {
        let inner = CoreProtector::new(keyring.core().clone(), transform_version, dimension).map_err(js_error)?;
        Ok(TemplateProtector { inner, model_id: model_id.into() })
    }

    /// Transforms and seals an embedding for `user_id`; returns the bytes to store.
    pub fn seal(&self, user_id: &str, embedding: Vec<f32>, unix_seconds: f64) -> Result<Vec<u8>, JsValue> {
        let e = Embedding::new(self.model_id.clone(), embedding).map_err(js_error)?;
        Ok(self.inner.protect(user_id, &e, day(unix_seconds)).map_err(js_error)?.into_bytes())
    }

    /// Opens stored bytes for `user_id` into the protected space (compare with `probe`).
    pub fn open(&self, user_id: &str, sealed: Vec<u8>, unix_seconds: f64) -> Result<Vec<f32>, JsValue> {
        let sealed = SealedTemplate::from_bytes(sealed).map_err(js_error)?;
        let e = self.inner.open(user_id, &sealed, &self.model_id, day(unix_seconds)).map_err(js_error)?;
        Ok(e.values().to_vec())
    }

    /// Re-seals stored bytes under the key of `unix_seconds`' day (daily rotation).
    pub fn reseal(&self, user_id: &str, sealed: Vec<u8>, unix_seconds: f64) -> Result<Vec<u8>, JsValue> {
        let sealed = SealedTemplate::from_bytes(sealed).map_err(js_error)?;
        let resealed = sealed.reseal(self.inner.keyring(), user_id, day(unix_seconds)).map_err(js_error)?;
        Ok(resealed.into_bytes())
    }

    /// The key day a stored template was sealed with (to decide whether to re-seal).
    #[wasm_bindgen(js_name = keyDay)]
    pub fn key_day(sealed: Vec<u8>) -> Result<u32, JsValue> {
        Ok(SealedTemplate::from_bytes(sealed).map_err(js_error)?.key_day().0)
    }

    /// A live embedding in the protected space.
    pub fn probe(&self, embedding: Vec<f32>) -> Result<Vec<f32>, JsValue> {
        let e = Embedding::new(self.model_id.clone(), embedding).map_err(js_error)?;
        Ok(self.inner.probe(&e).map_err(js_error)?.values().to_vec())
    }
}

/// Device mode's wrapping (entry-core `WrapParams`): a fresh nonce and the header to wrap
/// `user_id`'s sealed template of `app_id` with AES-GCM under the app's wrapping key `key_version`
/// in WebCrypto; the stored bytes are `header` followed by the ciphertext.
#[wasm_bindgen(js_name = wrapParams)]
pub fn wrap_params(app_id: &str, user_id: &str, key_version: u32) -> Result<JsValue, JsValue> {
    to_js(&WrapParams::new(app_id, user_id, key_version).map_err(js_error)?)
}

/// The parts WebCrypto needs to unwrap stored bytes (entry-core `WrappedParts`), or `null` when
/// the bytes are not wrapped (a sealed template from before wrapping, opened as it is).
/// Malformed wrapped bytes are TEMPLATE_TAMPERED.
#[wasm_bindgen(js_name = wrappedParts)]
pub fn wrapped_parts(bytes: &[u8], app_id: &str, user_id: &str) -> Result<JsValue, JsValue> {
    if !is_wrapped(bytes) {
        return Ok(JsValue::NULL);
    }
    to_js(&WrappedParts::parse(bytes, app_id, user_id).map_err(js_error)?)
}
