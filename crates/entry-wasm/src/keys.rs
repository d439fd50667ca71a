use entry_core::documents::CalendarDate;
use entry_core::login::DocumentInput;
use entry_core::protect::{check_device, device_id, DeviceCheck, DeviceSignals};
use entry_core::protect::{issue_session, verify_session, MemoryReplayGuard};
use entry_core::protect::{Keyring as CoreKeyring, MasterSecret};
use wasm_bindgen::prelude::*;

use crate::{from_js, js_error, to_js};

/// One app's keys, derived on use from its master secret (entry-core `Keyring`): device ids,
/// document digests and session tokens come from here; `TemplateProtector` seals with it.
#[wasm_bindgen]
pub struct Keyring {
    inner: CoreKeyring,
}

impl Keyring {
    pub(crate) fn core(&self) -> &CoreKeyring {
        &self.inner
    }
}

#[wasm_bindgen]
impl Keyring {
    /// `master_secret`: at least 32 bytes. `grace_days`: how long an old daily key still opens.
    #[wasm_bindgen(constructor)]
    pub fn new(master_secret: &[u8], app_id: &str, grace_days: u32) -> Result<Keyring, JsValue> {
        let master = MasterSecret::new(master_secret).map_err(js_error)?;
        Ok(Keyring { inner: CoreKeyring::new(master, app_id, grace_days) })
    }

    /// The app-salted device id for a set of browser signals (see entry-core `DeviceSignals`).
    #[wasm_bindgen(js_name = deviceId)]
    pub fn device_id(&self, signals: JsValue) -> Result<String, JsValue> {
        let signals: DeviceSignals = from_js(signals, "device signals")?;
        Ok(device_id(&self.inner, &signals))
    }

    /// Profile fields from a document (`{ kind: "mrz" | "aamva", text }`): type, date of birth,
    /// expiry, issuer, nationality, and a keyed digest in place of the document number. Expired
    /// documents are refused (DOCUMENT_EXPIRED), malformed ones name the failing field (DOCUMENT_INVALID).
    #[wasm_bindgen(js_name = documentProfile)]
    pub fn document_profile(&self, document: JsValue, unix_seconds: f64) -> Result<JsValue, JsValue> {
        let document: DocumentInput = from_js(document, "document")?;
        let today = CalendarDate::from_unix_seconds(unix_seconds as i64);
        to_js(&document.read(&self.inner, today).map_err(js_error)?.profile)
    }

    /// Issues a single-use session token; returns `{ token, claims }`.
    #[wasm_bindgen(js_name = issueSession)]
    pub fn issue_session(
        &self,
        user_id: &str,
        device_id: &str,
        unix_seconds: f64,
        lifetime_seconds: f64,
    ) -> Result<JsValue, JsValue> {
        let (token, claims) =
            issue_session(&self.inner, user_id, device_id, unix_seconds as u64, lifetime_seconds as u64)
                .map_err(js_error)?;
        to_js(&serde_json::json!({ "token": token, "claims": claims }))
    }
}

/// Verifies session tokens of one app, each once (a memory replay guard: one page or process).
#[wasm_bindgen]
pub struct SessionVerifier {
    keyring: CoreKeyring,
    replay_guard: MemoryReplayGuard,
}

#[wasm_bindgen]
impl SessionVerifier {
    #[wasm_bindgen(constructor)]
    pub fn new(keyring: &Keyring) -> SessionVerifier {
        SessionVerifier { keyring: keyring.inner.clone(), replay_guard: MemoryReplayGuard::default() }
    }

    /// Verifies and consumes a token; returns its claims (SESSION_INVALID, SESSION_EXPIRED,
    /// SESSION_REPLAYED otherwise).
    pub fn verify(&mut self, token: &str, unix_seconds: f64) -> Result<JsValue, JsValue> {
        let claims =
            verify_session(&self.keyring, token, unix_seconds as u64, &mut self.replay_guard).map_err(js_error)?;
        to_js(&claims)
    }
}

/// True when `device_id` is among `known` (compared in constant time).
#[wasm_bindgen(js_name = isKnownDevice)]
pub fn is_known_device(known: Vec<String>, device_id: &str) -> bool {
    check_device(&known, device_id) == DeviceCheck::Known
}
