use entry_core::documents::profile::DocumentProfile;
use entry_core::documents::{aamva, mrz};
use entry_core::embed::Embedding;
use entry_core::protect::device::{check_device, device_id, DeviceCheck, DeviceSignals};
use entry_core::protect::session::{self, MemoryReplayGuard};
use entry_core::protect::{Keyring, MasterSecret, SealedTemplate, TemplateProtector, UtcDay};
use entry_core::ErrorCode;
use wasm_bindgen::prelude::*;

use crate::capture::CaptureSession;
use crate::{coded_error, from_js, js_error, to_js};

fn day(unix_seconds: f64) -> UtcDay {
    UtcDay::from_unix_seconds(unix_seconds.max(0.0) as u64)
}

/// One app's template protection, sessions and device ids, all keyed from its master secret.
#[wasm_bindgen]
pub struct TemplateVault {
    protector: TemplateProtector,
    model_id: String,
    replay_guard: MemoryReplayGuard,
}

#[wasm_bindgen]
impl TemplateVault {
    /// `master_secret`: at least 32 bytes from the app's server. `model_id`: the embedder's id.
    #[wasm_bindgen(constructor)]
    pub fn new(
        master_secret: &[u8],
        app_id: &str,
        model_id: &str,
        dimension: usize,
        transform_version: u32,
        grace_days: u32,
    ) -> Result<TemplateVault, JsValue> {
        let keyring = Keyring::new(MasterSecret::new(master_secret).map_err(js_error)?, app_id, grace_days);
        let protector = TemplateProtector::new(keyring, transform_version, dimension).map_err(js_error)?;
        Ok(TemplateVault { protector, model_id: model_id.into(), replay_guard: MemoryReplayGuard::default() })
    }

    /// Transforms and seals an embedding for `user_id`; returns the bytes to store.
    pub fn seal(&self, user_id: &str, embedding: Vec<f32>, unix_seconds: f64) -> Result<Vec<u8>, JsValue> {
        let e = Embedding::new(self.model_id.clone(), embedding).map_err(js_error)?;
        Ok(self.protector.protect(user_id, &e, day(unix_seconds)).map_err(js_error)?.into_bytes())
    }

    /// Opens stored bytes for `user_id` into the protected space (compare with `probe`).
    pub fn open(&self, user_id: &str, sealed: Vec<u8>, unix_seconds: f64) -> Result<Vec<f32>, JsValue> {
        let sealed = SealedTemplate::from_bytes(sealed).map_err(js_error)?;
        let e = self.protector.open(user_id, &sealed, &self.model_id, day(unix_seconds)).map_err(js_error)?;
        Ok(e.values().to_vec())
    }

    /// Seals the template of a successful capture for `user_id` (enrolment).
    #[wasm_bindgen(js_name = sealCapture)]
    pub fn seal_capture(&self, user_id: &str, capture: &CaptureSession, unix_seconds: f64) -> Result<Vec<u8>, JsValue> {
        let sealed = self.protector.protect(user_id, capture.embedding()?, day(unix_seconds)).map_err(js_error)?;
        Ok(sealed.into_bytes())
    }

    /// Compares a successful capture with stored templates (`[{ userId, sealed: Uint8Array }]`;
    /// one entry for 1:1). Returns `{ best: { id, score } | null, unreadable: [{ user_id, code }] }`.
    pub fn search(
        &self,
        capture: &CaptureSession,
        stored: js_sys::Array,
        unix_seconds: f64,
    ) -> Result<JsValue, JsValue> {
        let field =
            |record: &JsValue, name: &str| js_sys::Reflect::get(record, &name.into()).unwrap_or(JsValue::UNDEFINED);
        let mut records = Vec::with_capacity(stored.length() as usize);
        for record in stored.iter() {
            let (user_id, sealed) = (field(&record, "userId").as_string(), field(&record, "sealed"));
            let (Some(user_id), Ok(sealed)) = (user_id, sealed.dyn_into::<js_sys::Uint8Array>()) else {
                return Err(coded_error(
                    ErrorCode::InvalidConfiguration,
                    "stored records need a userId string and sealed bytes",
                ));
            };
            records.push((user_id, sealed.to_vec()));
        }
        let stored = records.iter().map(|(id, bytes)| (id.as_str(), bytes.as_slice()));
        to_js(&self.protector.search(stored, capture.embedding()?, day(unix_seconds)).map_err(js_error)?)
    }

    /// Re-seals stored bytes under today's key (daily rotation).
    pub fn reseal(&self, user_id: &str, sealed: Vec<u8>, unix_seconds: f64) -> Result<Vec<u8>, JsValue> {
        let sealed = SealedTemplate::from_bytes(sealed).map_err(js_error)?;
        let resealed = sealed.reseal(self.protector.keyring(), user_id, day(unix_seconds)).map_err(js_error)?;
        Ok(resealed.into_bytes())
    }

    /// Stored bytes re-sealed under today's key, or `undefined` when they already use it: call after
    /// each successful match so templates follow the daily rotation within the grace window.
    pub fn refresh(&self, user_id: &str, sealed: Vec<u8>, unix_seconds: f64) -> Result<Option<Vec<u8>>, JsValue> {
        let sealed = SealedTemplate::from_bytes(sealed).map_err(js_error)?;
        let today = day(unix_seconds);
        if sealed.key_day() == today {
            return Ok(None);
        }
        Ok(Some(sealed.reseal(self.protector.keyring(), user_id, today).map_err(js_error)?.into_bytes()))
    }

    /// The key day a stored template was sealed with (to decide whether to re-seal).
    #[wasm_bindgen(js_name = keyDay)]
    pub fn key_day(sealed: Vec<u8>) -> Result<u32, JsValue> {
        Ok(SealedTemplate::from_bytes(sealed).map_err(js_error)?.key_day().0)
    }

    /// A live embedding in the protected space.
    pub fn probe(&self, embedding: Vec<f32>) -> Result<Vec<f32>, JsValue> {
        let e = Embedding::new(self.model_id.clone(), embedding).map_err(js_error)?;
        Ok(self.protector.probe(&e).map_err(js_error)?.values().to_vec())
    }

    /// Issues a session token; returns `{ token, claims }`.
    #[wasm_bindgen(js_name = issueSession)]
    pub fn issue_session(
        &self,
        user_id: &str,
        device_id: &str,
        unix_seconds: f64,
        lifetime_seconds: f64,
    ) -> Result<JsValue, JsValue> {
        let (token, claims) =
            session::issue(self.protector.keyring(), user_id, device_id, unix_seconds as u64, lifetime_seconds as u64)
                .map_err(js_error)?;
        to_js(&serde_json::json!({ "token": token, "claims": claims }))
    }

    /// Verifies and consumes a token; returns its claims.
    #[wasm_bindgen(js_name = verifySession)]
    pub fn verify_session(&mut self, token: &str, unix_seconds: f64) -> Result<JsValue, JsValue> {
        let claims = session::verify(self.protector.keyring(), token, unix_seconds as u64, &mut self.replay_guard)
            .map_err(js_error)?;
        to_js(&claims)
    }

    /// The app-salted device id for a set of browser signals (see DeviceSignals).
    #[wasm_bindgen(js_name = deviceId)]
    pub fn device_id(&self, signals: JsValue) -> Result<String, JsValue> {
        let signals: DeviceSignals = from_js(signals, "device signals")?;
        Ok(device_id(self.protector.keyring(), &signals))
    }

    /// True when `device_id` is among `known` (else the app should ask for a step-up check).
    #[wasm_bindgen(js_name = isKnownDevice)]
    pub fn is_known_device(known: Vec<String>, device_id: &str) -> bool {
        check_device(&known, device_id) == DeviceCheck::Known
    }

    /// Profile fields from a document (`kind`: "mrz" or "aamva"): type, date of birth, expiry, issuer,
    /// nationality, and a keyed digest in place of the document number. Expired documents are refused
    /// (DOCUMENT_EXPIRED), malformed ones name the failing field (DOCUMENT_INVALID).
    #[wasm_bindgen(js_name = documentProfile)]
    pub fn document_profile(&self, kind: &str, text: &str, unix_seconds: f64) -> Result<JsValue, JsValue> {
        let today = crate::documents::today(unix_seconds);
        let keyring = self.protector.keyring();
        let profile = match kind {
            "mrz" => DocumentProfile::from_mrz(&mrz::parse(text, today).map_err(js_error)?, keyring),
            "aamva" => DocumentProfile::from_aamva(&aamva::parse(text).map_err(js_error)?, keyring),
            other => {
                return Err(coded_error(ErrorCode::InvalidConfiguration, format!("unknown document kind {other:?}")))
            }
        };
        profile.check_valid(today).map_err(js_error)?;
        to_js(&profile)
    }
}
