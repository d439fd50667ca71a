//! entry-wasm in headless Chromium: the wasm build computes what the native build computes, and
//! bad input comes back as a typed JS error, never a panic.
use crate::Engine;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! model {
    ($file:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../.cache/models/", $file)).as_slice()
    };
}

const MANIFEST: &str = include_str!("../../../models/manifest.json");
/// The same photo and native embedding the core's tests use (fixture written by `entry embed`).
const PHOTO: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/faces/identities/deepface/person02/img12.jpg"));
const NATIVE: &str = include_str!("../../entry-core/tests/fixtures/native-embedding.json");

fn engine() -> Engine {
    let files = js_sys::Object::new();
    for (name, bytes) in [
        ("fr_detect.onnx", model!("fr_detect.onnx")),
        ("fr_landmark.onnx", model!("fr_landmark.onnx")),
        ("fr_feature.onnx", model!("fr_feature.onnx")),
        ("fr_liveness.onnx", model!("fr_liveness.onnx")),
    ] {
        js_sys::Reflect::set(&files, &name.into(), &js_sys::Uint8Array::from(bytes)).unwrap();
    }
    Engine::new(MANIFEST, &files).unwrap_or_else(|e| panic!("{e:?}"))
}

fn error_name(e: JsValue) -> String {
    e.dyn_into::<js_sys::Error>().map(|e| String::from(e.name())).unwrap_or_default()
}

#[wasm_bindgen_test]
fn wasm_embedding_equals_native() {
    let native: serde_json::Value = serde_json::from_str(NATIVE).unwrap();
    let native: Vec<f32> = native["embedding"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap() as f32).collect();
    let wasm = engine().embed_image(PHOTO).unwrap_or_else(|e| panic!("{e:?}"));
    let cosine: f32 = wasm.iter().zip(&native).map(|(a, b)| a * b).sum();
    assert!(cosine >= 0.9999, "wasm vs native cosine {cosine}");
}

#[wasm_bindgen_test]
fn bad_input_is_a_typed_error() {
    let engine = engine();
    assert_eq!(error_name(engine.detect(&[0; 10], 4, 4).unwrap_err()), "INVALID_FRAME");
    assert_eq!(error_name(engine.embed_image(b"not an image").unwrap_err()), "INVALID_IMAGE");
    let blank = vec![0u8; 64 * 64 * 4];
    assert_eq!(engine.detect(&blank, 64, 64).map(|v| js_sys::Array::from(&v).length()).unwrap(), 0);
    let files = js_sys::Object::new();
    assert_eq!(error_name(Engine::new(MANIFEST, &files).err().unwrap()), "MODEL_LOAD_FAILED");
    assert_eq!(error_name(Engine::new("{", &files).err().unwrap()), "INVALID_CONFIGURATION");
}
