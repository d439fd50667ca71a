use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use entry_core::capture::CapturePolicy;
use entry_core::evidence::{
    device_message as core_device_message, AttemptBinding, DeviceProof, EvidenceCapture as CoreCapture,
};
use entry_core::{ErrorCode, Frame};
use wasm_bindgen::prelude::*;

use crate::engine::FaceEngine;
use crate::{coded_error, from_js, js_error, options_from_js, to_js};

/// Server mode's capture (entry-core `EvidenceCapture`): the capture runs as in device mode under
/// the app's policy from the server's attempt, keeps a face-centred crop of each frame it used, and
/// seals them to the server for that attempt. Nothing here decides or holds a key that opens
/// anything.
#[wasm_bindgen]
pub struct EvidenceCapture {
    inner: Option<CoreCapture>,
}

#[wasm_bindgen]
impl EvidenceCapture {
    /// `binding`: `{ attemptId, nonce, appId, origin }`; `evidence_key`: the attempt's
    /// `evidenceKey`; `policy`: the attempt's `capture` policy.
    #[wasm_bindgen(constructor)]
    pub fn new(binding: JsValue, evidence_key: &str, policy: JsValue) -> Result<EvidenceCapture, JsValue> {
        let binding: AttemptBinding = from_js(binding, "attempt binding")?;
        let policy: CapturePolicy = options_from_js(policy, "capture policy")?;
        let nonce = URL_SAFE_NO_PAD
            .decode(&binding.nonce)
            .map_err(|_| coded_error(ErrorCode::InvalidConfiguration, "the attempt's nonce is not base64url"))?;
        Ok(EvidenceCapture { inner: Some(CoreCapture::new(policy, &nonce, binding, evidence_key.to_string())) })
    }

    /// One RGBA frame taken at `now_ms` (the camera's clock); returns the update to show.
    pub fn push(
        &mut self,
        engine: &FaceEngine,
        rgba: &[u8],
        width: u32,
        height: u32,
        now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        let capture = self.inner.as_mut().ok_or_else(sealed_already)?;
        let frame = Frame::from_rgba(width, height, rgba).map_err(js_error)?;
        to_js(&capture.push(engine.core(), &frame, now_ms).map_err(js_error)?)
    }

    /// Frames kept for the server so far.
    #[wasm_bindgen(getter)]
    pub fn frames(&self) -> usize {
        self.inner.as_ref().map_or(0, CoreCapture::frames)
    }

    /// The evidence sealed for the server (`{ app, enc, ciphertext }`), with the device proof
    /// (`{ publicKey, signature }`) when given. Once: the crops are dropped with it.
    pub fn seal(&mut self, device: JsValue) -> Result<JsValue, JsValue> {
        let device: Option<DeviceProof> =
            if device.is_null() || device.is_undefined() { None } else { Some(from_js(device, "device proof")?) };
        let capture = self.inner.take().ok_or_else(sealed_already)?;
        to_js(&capture.seal(device).map_err(js_error)?)
    }
}

fn sealed_already() -> JsValue {
    coded_error(ErrorCode::InvalidConfiguration, "this capture was sealed already")
}

/// What a device key signs for the attempt `binding` (`{ attemptId, nonce, appId, origin }`).
#[wasm_bindgen(js_name = deviceMessage)]
pub fn device_message(binding: JsValue) -> Result<Vec<u8>, JsValue> {
    let binding: AttemptBinding = from_js(binding, "attempt binding")?;
    Ok(core_device_message(&binding))
}
