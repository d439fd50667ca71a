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

/// The models as the browser build loads them: converted ahead of time (`entry convert-models`).
const CONVERTED: [(&str, &[u8]); 4] = [
    ("fr_detect.nnef.tar", model!("fr_detect.nnef.tar")),
    ("fr_landmark.nnef.tar", model!("fr_landmark.nnef.tar")),
    ("fr_feature.nnef.tar", model!("fr_feature.nnef.tar")),
    ("fr_liveness.nnef.tar", model!("fr_liveness.nnef.tar")),
];

fn files(models: &[(&str, &[u8])]) -> js_sys::Object {
    let files = js_sys::Object::new();
    for (name, bytes) in models {
        js_sys::Reflect::set(&files, &(*name).into(), &js_sys::Uint8Array::from(*bytes)).unwrap();
    }
    files
}

fn engine() -> FaceEngine {
    FaceEngine::new(MANIFEST, &files(&CONVERTED)).unwrap_or_else(|e| panic!("{e:?}"))
}

#[wasm_bindgen_test]
fn the_browser_build_reads_converted_models_only() {
    // The ONNX files under the converted names: their bytes are the manifest's ONNX pins, which
    // this build (no ONNX reader) refuses to load rather than mistaking them for anything else.
    let onnx = [
        ("fr_detect.nnef.tar", model!("fr_detect.onnx")),
        ("fr_landmark.nnef.tar", model!("fr_landmark.onnx")),
        ("fr_feature.nnef.tar", model!("fr_feature.onnx")),
        ("fr_liveness.nnef.tar", model!("fr_liveness.onnx")),
    ];
    let e = FaceEngine::new(MANIFEST, &files(&onnx)).err().expect("ONNX must not load here");
    assert_eq!(error_name(e), "MODEL_LOAD_FAILED");
}

/// The test photo as the RGBA pixels a camera frame crosses as, with its width and height.
fn photo_rgba() -> (Vec<u8>, u32, u32) {
    let frame = entry_core::Frame::decode(PHOTO).unwrap();
    let rgba = frame.rgb().chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
    (rgba, frame.width(), frame.height())
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
fn templates_seal_open_rotate_and_refuse_tampering() {
    use crate::{Keyring, TemplateProtector};
    const NOW: f64 = 1_790_000_000.0;
    let keyring = Keyring::new(&[1; 32], "bank.example", 30).unwrap();
    let vault = TemplateProtector::new(&keyring, "m", 4, 1).unwrap();
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
    assert_eq!(TemplateProtector::key_day(resealed).unwrap(), TemplateProtector::key_day(sealed).unwrap() + 3);
    assert_eq!(error_name(Keyring::new(&[1; 8], "a", 30).err().unwrap()), "INVALID_CONFIGURATION");
}

#[wasm_bindgen_test]
fn sessions_devices_policy_and_audit_cross_the_boundary() {
    use crate::{is_known_device, AccessPolicy, AuditLog, Keyring, LockoutTracker, SessionVerifier};
    const NOW: f64 = 1_790_000_000.0;
    let vault = Keyring::new(&[2; 32], "bank.example", 30).unwrap();
    let issued = vault.issue_session("alice", "dev_1", NOW, 600.0).unwrap();
    let token = js_sys::Reflect::get(&issued, &"token".into()).unwrap().as_string().unwrap();
    let mut sessions = SessionVerifier::new(&vault);
    assert!(sessions.verify(&token, NOW + 1.0).is_ok());
    assert_eq!(error_name(sessions.verify(&token, NOW + 2.0).unwrap_err()), "SESSION_REPLAYED");

    let signals: serde_json::Value = serde_json::json!({
        "userAgent": "UA", "platform": "Linux", "languages": ["en"], "timeZone": "UTC", "screenWidth": 1, "screenHeight": 1,
        "colorDepth": 24, "hardwareConcurrency": 2, "maxTouchPoints": 0
    });
    let js = JsValue::from_str(&signals.to_string());
    let value = js_sys::JSON::parse(&js.as_string().unwrap()).unwrap();
    let id = vault.device_id(value.clone()).unwrap();
    assert_eq!(id, vault.device_id(value).unwrap());
    assert!(is_known_device(vec![id.clone()], &id));
    assert!(!is_known_device(vec![], &id));

    let policy = AccessPolicy::new(vec!["*.bank.example".into()], vec!["10.0.0.0/8".into()]).unwrap();
    assert!(policy.allows_origin("https://app.bank.example") && !policy.allows_origin("https://bank.evil"));
    assert!(policy.allows_ip("10.1.1.1") && !policy.allows_ip("11.1.1.1"));
    let mut lockout = LockoutTracker::new(JsValue::UNDEFINED).unwrap();
    for i in 0..4 {
        assert_eq!(lockout.record_failure("alice", NOW + i as f64), None);
    }
    assert_eq!(lockout.record_failure("alice", NOW + 5.0), Some(NOW + 5.0 + 1800.0));

    let mut trail = AuditLog::new(None).unwrap();
    let event = js_sys::JSON::parse(r#"{"type":"delete","user_id":"alice"}"#).unwrap();
    trail.append(NOW, event).unwrap();
    let exported = trail.to_json_lines();
    assert!(AuditLog::new(Some(exported.clone())).is_ok());
    let edited = exported.replace("alice", "mallory");
    assert_eq!(error_name(AuditLog::new(Some(edited)).err().unwrap()), "AUDIT_TAMPERED");
}

#[wasm_bindgen_test]
fn documents_and_age_cross_the_boundary() {
    use crate::{age_rule, check_age, parse_aamva, parse_mrz, Keyring};
    const MRZ: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    const IN_2010: f64 = 1_262_304_000.0;
    let get = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).unwrap();
    let m = parse_mrz(MRZ, IN_2010).unwrap();
    assert_eq!(get(&m, "documentNumber").as_string().unwrap(), "L898902C3");
    assert_eq!(error_name(parse_mrz("P<UTO", IN_2010).unwrap_err()), "DOCUMENT_INVALID");
    assert_eq!(error_name(parse_aamva("not a licence").unwrap_err()), "DOCUMENT_INVALID");

    let keyring = Keyring::new(&[3; 32], "bank.example", 30).unwrap();
    let passport = js_sys::JSON::parse(&serde_json::json!({ "kind": "mrz", "text": MRZ }).to_string()).unwrap();
    let profile = keyring.document_profile(passport.clone(), IN_2010).unwrap();
    assert!(get(&profile, "documentNumberDigest").as_string().unwrap().starts_with("hmac-sha256:"));
    assert_eq!(error_name(keyring.document_profile(passport, 1_795_651_200.0).unwrap_err()), "DOCUMENT_EXPIRED");

    let birth = js_sys::JSON::parse(r#"{"year":2015,"month":1,"day":1}"#).unwrap();
    let decision = check_age(birth, age_rule("coppa", None).unwrap(), 1_795_651_200.0, false).unwrap();
    assert_eq!(get(&decision, "meets"), JsValue::FALSE);
    assert_eq!(get(&decision, "mayStoreTemplate"), JsValue::FALSE);
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
    use crate::LivenessSession;
    let engine = engine();
    let (rgba, w, h) = photo_rgba();
    let mut capture = LivenessSession::new(JsValue::UNDEFINED).unwrap();
    for _ in 0..5 {
        let score = capture.add_frame(&engine, &rgba, w, h).unwrap();
        assert!((0.0..=1.0).contains(&score));
    }
    let verdict = capture.verdict().unwrap();
    let kind = js_sys::Reflect::get(&verdict, &"verdict".into()).unwrap().as_string().unwrap();
    assert_eq!(kind, "static_input");
    assert_eq!(error_name(capture.add_frame(&engine, &[0; 8], 4, 4).unwrap_err()), "INVALID_FRAME");
}

#[wasm_bindgen_test]
fn device_login_registers_then_recognises_without_the_embedding_reaching_js() {
    use crate::DeviceLogin;
    const NOW_MS: f64 = 1_790_000_000_000.0;
    let json = |v: serde_json::Value| js_sys::JSON::parse(&v.to_string()).unwrap();
    let get = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).unwrap();
    let engine = engine();
    let (rgba, w, h) = photo_rgba();
    let signals = json(serde_json::json!({
        "userAgent": "UA", "platform": "Linux", "languages": ["en"], "timeZone": "UTC", "screenWidth": 1, "screenHeight": 1,
        "colorDepth": 24, "hardwareConcurrency": 2, "maxTouchPoints": 0, "webglRenderer": null
    }));
    let policy = || json(serde_json::json!({ "liveness": "off", "frames": 2 }));
    let identify = || json(serde_json::json!({ "purpose": { "kind": "identify", "registerIfNotFound": true } }));
    let config = json(serde_json::json!({ "appId": "bank.example" }));
    let mut login = DeviceLogin::new(&engine, &[3; 32], config, JsValue::UNDEFINED, NOW_MS).unwrap();
    assert!(login.restarted_audit_log().is_none());
    assert_eq!(
        error_name(login.finish(&engine, js_sys::Array::new().into(), NOW_MS).unwrap_err()),
        "INVALID_CONFIGURATION"
    );

    let capture = |login: &mut DeviceLogin| {
        let first = login.push(&engine, &rgba, w, h, 0.0).unwrap();
        assert_eq!(get(&first, "state").as_string().unwrap(), "collecting");
        let second = login.push(&engine, &rgba, w, h, 100.0).unwrap();
        assert_eq!(get(&second, "state").as_string().unwrap(), "captured");
    };
    let device = login.begin(identify(), JsValue::NULL, signals.clone(), policy(), b"n", NOW_MS).unwrap();
    capture(&mut login);
    let registered = login.finish(&engine, js_sys::Array::new().into(), NOW_MS).unwrap();
    let user = get(&registered, "user");
    assert_eq!(get(&user, "isNewUser"), JsValue::TRUE);
    assert_eq!(get(&user, "deviceId").as_string().unwrap(), device);
    assert!(get(&user, "sessionToken").as_string().unwrap().starts_with("ent1."));
    let change = js_sys::Array::from(&get(&registered, "changes")).get(0);
    assert_eq!(get(&change, "op").as_string().unwrap(), "put");
    let record = get(&change, "user");
    assert!(
        get(&record, "sealedTemplate").is_instance_of::<js_sys::Uint8Array>(),
        "sealed bytes, as IndexedDB keeps them"
    );
    assert!(get(&registered, "auditLines").as_string().unwrap().contains("\"enroll\""));

    // The stored record, as the page reads it back from its store, is recognised.
    login.begin(identify(), JsValue::NULL, signals.clone(), policy(), b"m", NOW_MS).unwrap();
    capture(&mut login);
    let recognised = login.finish(&engine, js_sys::Array::of1(&record).into(), NOW_MS).unwrap();
    let user = get(&recognised, "user");
    assert_eq!(get(&user, "entryUserId"), get(&record, "entryUserId"));
    assert_eq!(get(&user, "isKnownDevice"), JsValue::TRUE);

    let verify = json(serde_json::json!({ "purpose": { "kind": "verify", "entryUserId": "nobody" } }));
    let unknown = login.begin(verify, JsValue::NULL, signals.clone(), policy(), b"v", NOW_MS).unwrap_err();
    assert_eq!(error_name(unknown), "USER_NOT_FOUND");
    let bad = json(serde_json::json!({ "liveness": "sometimes" }));
    assert_eq!(
        error_name(login.begin(identify(), JsValue::NULL, signals, bad, b"", NOW_MS).unwrap_err()),
        "INVALID_CONFIGURATION"
    );
    assert_eq!(error_name(login.abandon("NOT_A_CODE", "", NOW_MS).unwrap_err()), "INVALID_CONFIGURATION");
}

#[wasm_bindgen_test]
fn server_mode_capture_seals_crops_only_the_server_opens() {
    use crate::{device_message, EvidenceCapture};
    use entry_core::evidence::{AttemptBinding, EvidenceKey, SealedEvidence};
    let json = |v: serde_json::Value| js_sys::JSON::parse(&v.to_string()).unwrap();
    let get = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).unwrap();
    let engine = engine();
    let (rgba, w, h) = photo_rgba();
    let server = EvidenceKey::derive(&[6; 32]);
    let binding = AttemptBinding {
        attempt_id: "a1".into(),
        nonce: "bm9uY2U".into(),
        app_id: "bank.example".into(),
        origin: "https://bank.example".into(),
    };
    let binding_js = json(serde_json::to_value(&binding).unwrap());
    let policy = json(serde_json::json!({ "liveness": "off", "frames": 2 }));
    let mut capture = EvidenceCapture::new(binding_js.clone(), &server.public_b64(), policy).unwrap();
    // The policy's frames (at least the liveness minimum, 5) plus the evidence margin.
    let needed = 5 + entry_core::evidence::EVIDENCE_MARGIN;
    for i in 0..needed {
        let state = get(&capture.push(&engine, &rgba, w, h, i as f64 * 100.0).unwrap(), "state").as_string().unwrap();
        assert_eq!(state, if i + 1 == needed { "captured" } else { "collecting" }, "frame {i}");
    }
    assert_eq!(capture.frames(), needed);
    let sealed = capture.seal(JsValue::NULL).unwrap();
    let sealed: SealedEvidence = serde_wasm_bindgen::from_value(sealed).unwrap();
    let evidence = server.open(&sealed, &binding).unwrap();
    let crop = entry_core::Frame::decode(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &evidence.frames[0].image).unwrap(),
    )
    .unwrap();
    // A close-up photo: the crop around the face is clipped to the frame, and never larger.
    let side = entry_core::evidence::CROP_SIDE;
    assert!(
        crop.width() <= w.min(side) && crop.height() <= h.min(side),
        "{}x{} of {w}x{h}",
        crop.width(),
        crop.height()
    );
    assert_eq!(error_name(capture.seal(JsValue::NULL).unwrap_err()), "INVALID_CONFIGURATION", "sealed once");
    assert_eq!(device_message(binding_js).unwrap(), entry_core::evidence::device_message(&binding));
    let bad_nonce = json(serde_json::json!({ "attemptId": "a", "nonce": "!!", "appId": "x", "origin": "y" }));
    assert_eq!(error_name(EvidenceCapture::new(bad_nonce, "k", JsValue::NULL).err().unwrap()), "INVALID_CONFIGURATION");
}
