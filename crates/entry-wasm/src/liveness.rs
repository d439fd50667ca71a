use entry_core::liveness::{LivenessPolicy, LivenessSession as CoreSession};
use entry_core::Frame;
use wasm_bindgen::prelude::*;

use crate::engine::FaceEngine;
use crate::{js_error, options_from_js, to_js};

/// Liveness evidence over the frames of one capture: passive scores and a static-input check.
#[wasm_bindgen]
pub struct LivenessSession {
    session: CoreSession,
}

#[wasm_bindgen]
impl LivenessSession {
    /// `policy`: `{ min_frames, live_threshold, min_motion, noise_ratio, noise_ceiling, moved_noise_ratio }`, omitted fields taking the defaults.
    #[wasm_bindgen(constructor)]
    pub fn new(policy: JsValue) -> Result<LivenessSession, JsValue> {
        let policy: LivenessPolicy = options_from_js(policy, "liveness policy")?;
        Ok(LivenessSession { session: CoreSession::new(policy) })
    }

    /// Scores the primary face of an RGBA frame and records it; returns its live probability.
    #[wasm_bindgen(js_name = addFrame)]
    pub fn add_frame(&mut self, engine: &FaceEngine, rgba: &[u8], width: u32, height: u32) -> Result<f32, JsValue> {
        let frame = Frame::from_rgba(width, height, rgba).map_err(js_error)?;
        let core = engine.core();
        let face = core.primary_detection(&frame).map_err(js_error)?;
        let score = core.liveness().score(&frame, &face.bbox).map_err(js_error)?;
        self.session.add(&frame, &face.bbox, score);
        Ok(score)
    }

    /// `{ verdict: "live" | "spoof" | "static_input" | "not_enough_frames", ... }`
    pub fn verdict(&self) -> Result<JsValue, JsValue> {
        to_js(&self.session.verdict())
    }
}
