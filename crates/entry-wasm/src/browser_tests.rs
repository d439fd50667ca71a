//! entry-wasm in headless Chromium: the wasm build computes what the native build computes, and
//! bad input comes back as a typed JS error, never a panic.
use crate::FaceEngine;
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
const PHOTO: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/faces/identities/deepface/person02/img12.jpg"
));
const NATIVE: &str = include_str!("../../entry-core/tests/fixtures/native-embedding.json");

fn engine() -> FaceEngine {
    let files = js_sys::Object::new();
    for (name, bytes) in [
        ("fr_detect.onnx", model!("fr_detect.onnx")),
        ("fr_landmark.onnx", model!("fr_landmark.onnx")),
        ("fr_feature.onnx", model!("fr_feature.onnx")),
        ("fr_liveness.onnx", model!("fr_liveness.onnx")),
    ] {
        js_sys::Reflect::set(&files, &name.into(), &js_sys::Uint8Array::from(bytes)).unwrap();
    }
    FaceEngine::new(MANIFEST, &files).unwrap_or_else(|e| panic!("{e:?}"))
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
    assert_eq!(error_name(FaceEngine::new(MANIFEST, &files).err().unwrap()), "MODEL_LOAD_FAILED");
    assert_eq!(error_name(FaceEngine::new("{", &files).err().unwrap()), "INVALID_CONFIGURATION");
}

#[wasm_bindgen_test]
fn vault_seals_opens_rotates_and_refuses_tampering() {
    use crate::TemplateVault;
    const NOW: f64 = 1_790_000_000.0;
    let vault = TemplateVault::new(&[1; 32], "bank.example", "m", 4, 1, 30).unwrap();
    let sealed = vault.seal("alice", vec![1.0, 2.0, 3.0, 4.0], NOW).unwrap();
    let opened = vault.open("alice", sealed.clone(), NOW).unwrap();
    let probe = vault.probe(vec![1.0, 2.0, 3.0, 4.0]).unwrap();
    let cosine: f32 = opened.iter().zip(&probe).map(|(a, b)| a * b).sum();
    assert!((cosine - 1.0).abs() < 1e-5);
    let mut tampered = sealed.clone();
    *tampered.last_mut().unwrap() ^= 1;
    assert_eq!(error_name(vault.open("alice", tampered, NOW).unwrap_err()), "TEMPLATE_TAMPERED");
    assert_eq!(error_name(vault.open("bob", sealed.clone(), NOW).unwrap_err()), "TEMPLATE_TAMPERED");
    let later = NOW + 3.0 * 86_400.0;
    let resealed = vault.reseal("alice", sealed.clone(), later).unwrap();
    assert_eq!(TemplateVault::key_day(resealed).unwrap(), TemplateVault::key_day(sealed).unwrap() + 3);
    assert_eq!(error_name(TemplateVault::new(&[1; 8], "a", "m", 4, 1, 30).err().unwrap()), "INVALID_CONFIGURATION");
}

#[wasm_bindgen_test]
fn sessions_devices_policy_and_audit_cross_the_boundary() {
    use crate::{AccessPolicy, AuditTrail, Lockout, TemplateVault};
    const NOW: f64 = 1_790_000_000.0;
    let mut vault = TemplateVault::new(&[2; 32], "bank.example", "m", 4, 1, 30).unwrap();
    let issued = vault.issue_session("alice", "dev_1", NOW, 600.0).unwrap();
    let token = js_sys::Reflect::get(&issued, &"token".into()).unwrap().as_string().unwrap();
    assert!(vault.verify_session(&token, NOW + 1.0).is_ok());
    assert_eq!(error_name(vault.verify_session(&token, NOW + 2.0).unwrap_err()), "SESSION_REPLAYED");

    let signals: serde_json::Value = serde_json::json!({
        "userAgent": "UA", "platform": "Linux", "languages": ["en"], "timeZone": "UTC", "screenWidth": 1, "screenHeight": 1,
        "colorDepth": 24, "hardwareConcurrency": 2, "maxTouchPoints": 0
    });
    let js = JsValue::from_str(&signals.to_string());
    let value = js_sys::JSON::parse(&js.as_string().unwrap()).unwrap();
    let id = vault.device_id(value.clone()).unwrap();
    assert_eq!(id, vault.device_id(value).unwrap());
    assert!(TemplateVault::is_known_device(vec![id.clone()], &id));
    assert!(!TemplateVault::is_known_device(vec![], &id));

    let policy = AccessPolicy::new(vec!["*.bank.example".into()], vec!["10.0.0.0/8".into()]).unwrap();
    assert!(policy.allows_origin("https://app.bank.example") && !policy.allows_origin("https://bank.evil"));
    assert!(policy.allows_ip("10.1.1.1") && !policy.allows_ip("11.1.1.1"));
    let mut lockout = Lockout::new(JsValue::UNDEFINED).unwrap();
    for i in 0..4 {
        assert_eq!(lockout.record_failure("alice", NOW + i as f64), None);
    }
    assert_eq!(lockout.record_failure("alice", NOW + 5.0), Some(NOW + 5.0 + 1800.0));

    let mut trail = AuditTrail::new(None).unwrap();
    let event = js_sys::JSON::parse(r#"{"type":"delete","user_id":"alice"}"#).unwrap();
    trail.append(NOW, event).unwrap();
    let exported = trail.to_json_lines();
    assert!(AuditTrail::new(Some(exported.clone())).is_ok());
    let edited = exported.replace("alice", "mallory");
    assert_eq!(error_name(AuditTrail::new(Some(edited)).err().unwrap()), "AUDIT_TAMPERED");
}

#[wasm_bindgen_test]
fn documents_and_age_cross_the_boundary() {
    use crate::{age_rule, check_age, parse_aamva, parse_mrz, TemplateVault};
    const MRZ: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    const IN_2010: f64 = 1_262_304_000.0;
    let get = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).unwrap();
    let m = parse_mrz(MRZ, IN_2010).unwrap();
    assert_eq!(get(&m, "document_number").as_string().unwrap(), "L898902C3");
    assert_eq!(error_name(parse_mrz("P<UTO", IN_2010).unwrap_err()), "DOCUMENT_INVALID");
    assert_eq!(error_name(parse_aamva("not a licence").unwrap_err()), "DOCUMENT_INVALID");

    let vault = TemplateVault::new(&[3; 32], "bank.example", "m", 4, 1, 30).unwrap();
    let profile = vault.document_profile("mrz", MRZ, IN_2010).unwrap();
    assert!(get(&profile, "document_number_digest").as_string().unwrap().starts_with("hmac-sha256:"));
    assert_eq!(error_name(vault.document_profile("mrz", MRZ, 1_795_651_200.0).unwrap_err()), "DOCUMENT_EXPIRED");

    let birth = js_sys::JSON::parse(r#"{"year":2015,"month":1,"day":1}"#).unwrap();
    let decision = check_age(birth, age_rule("coppa", None).unwrap(), 1_795_651_200.0, false).unwrap();
    assert_eq!(get(&decision, "meets"), JsValue::FALSE);
    assert_eq!(get(&decision, "may_store_template"), JsValue::FALSE);
    assert_eq!(error_name(age_rule("eu-digital-consent", None).unwrap_err()), "INVALID_CONFIGURATION");
}

#[wasm_bindgen_test]
fn live_face_matches_the_document_photo() {
    const DOCUMENT: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/faces/identities/deepface/person02/img53.jpg"
    ));
    let engine = engine();
    // The live frame: the test photo decoded to RGBA, as a canvas would hand it over.
    let live = entry_core::Frame::decode(PHOTO).unwrap();
    let rgba: Vec<u8> = live.rgb().chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
    let result = engine.match_document(&rgba, live.width(), live.height(), DOCUMENT).unwrap();
    let decision = js_sys::Reflect::get(&result, &"decision".into()).unwrap().as_string().unwrap();
    assert_eq!(decision, "accept");
}

#[wasm_bindgen_test]
fn a_still_photo_repeated_is_static_input() {
    use crate::LivenessCapture;
    let engine = engine();
    let frame = entry_core::Frame::decode(PHOTO).unwrap();
    let rgba: Vec<u8> = frame.rgb().chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
    let mut capture = LivenessCapture::new(JsValue::UNDEFINED).unwrap();
    for _ in 0..5 {
        let score = capture.add_frame(&engine, &rgba, frame.width(), frame.height()).unwrap();
        assert!((0.0..=1.0).contains(&score));
    }
    let verdict = capture.verdict().unwrap();
    let kind = js_sys::Reflect::get(&verdict, &"verdict".into()).unwrap().as_string().unwrap();
    assert_eq!(kind, "static_input");
    assert_eq!(error_name(capture.add_frame(&engine, &[0; 8], 4, 4).unwrap_err()), "INVALID_FRAME");
}

#[wasm_bindgen_test]
fn a_capture_is_sealed_and_found_without_its_embedding_reaching_js() {
    use crate::{CaptureSession, TemplateVault};
    const NOW: f64 = 1_790_000_000.0;
    let engine = engine();
    let frame = entry_core::Frame::decode(PHOTO).unwrap();
    let rgba: Vec<u8> = frame.rgb().chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
    let (w, h) = (frame.width(), frame.height());
    let get = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).unwrap();
    let policy = js_sys::JSON::parse(r#"{ "liveness": "off", "frames": 2 }"#).unwrap();
    let mut capture = CaptureSession::new(policy, b"nonce").unwrap();
    let vault = TemplateVault::new(&[3; 32], "bank.example", &engine.embedder_id(), 512, 1, 30).unwrap();
    assert_eq!(error_name(vault.seal_capture("alice", &capture, NOW).unwrap_err()), "NOT_ENOUGH_CAPTURES");
    let first = capture.push(&engine, &rgba, w, h, 0.0).unwrap();
    assert_eq!(get(&first, "state").as_string().unwrap(), "collecting");
    let second = capture.push(&engine, &rgba, w, h, 100.0).unwrap();
    let shown = js_sys::JSON::stringify(&second).map(String::from).unwrap_or_default();
    assert_eq!(get(&second, "state").as_string().unwrap(), "captured", "{shown}");
    assert!(capture.is_finished());

    let sealed = vault.seal_capture("alice", &capture, NOW).unwrap();
    let record = |id: &str, bytes: &[u8]| {
        let r = js_sys::Object::new();
        js_sys::Reflect::set(&r, &"userId".into(), &id.into()).unwrap();
        js_sys::Reflect::set(&r, &"sealed".into(), &js_sys::Uint8Array::from(bytes)).unwrap();
        JsValue::from(r)
    };
    let stored = js_sys::Array::of3(&record("alice", &sealed), &record("bob", &sealed), &record("eve", b"junk"));
    let found = vault.search(&capture, stored, NOW).unwrap();
    let best = get(&found, "best");
    assert_eq!(get(&best, "id").as_string().unwrap(), "alice");
    assert!(get(&best, "score").as_f64().unwrap() > 0.99);
    assert_eq!(js_sys::Array::from(&get(&found, "unreadable")).length(), 2, "bob's copy and eve's junk are refused");

    let bad = js_sys::JSON::parse(r#"{ "liveness": "sometimes" }"#).unwrap();
    assert_eq!(error_name(CaptureSession::new(bad, b"").err().unwrap()), "INVALID_CONFIGURATION");
}
