use entry_core::capture::CapturePolicy;
use entry_core::login::{
    AttemptRequest, DeviceLogin as CoreLogin, DeviceLoginConfig, FinishReport, SavedState, Timestamp, UserRecord,
};
use entry_core::protect::DeviceSignals;
use entry_core::protect::MasterSecret;
use entry_core::{ErrorCode, Frame};
use wasm_bindgen::prelude::*;

use crate::engine::FaceEngine;
use crate::{coded_error, from_js, js_error, options_from_js, to_js};

fn at(unix_ms: f64) -> Timestamp {
    Timestamp(unix_ms.max(0.0) as u64)
}

/// Device mode's login for one app (entry-core `DeviceLogin`): the worker calls `begin`, `push`
/// per frame, then `finish` or `abandon`; the page persists what each returns.
#[wasm_bindgen]
pub struct DeviceLogin {
    inner: CoreLogin,
    restarted_audit_log: Option<String>,
}

#[wasm_bindgen]
impl DeviceLogin {
    /// `config`: `{ appId, transformVersion?, graceDays?, sessionLifetimeSeconds?, guardianFlow?,
    /// matching?, lockout? }`. `saved`: `{ auditLog?, lockoutState? }` from the last page load.
    #[wasm_bindgen(constructor)]
    pub fn new(
        engine: &FaceEngine,
        master_secret: &[u8],
        config: JsValue,
        saved: JsValue,
        now_ms: f64,
    ) -> Result<DeviceLogin, JsValue> {
        let config: DeviceLoginConfig = from_js(config, "device login config")?;
        let saved: SavedState = options_from_js(saved, "saved state")?;
        let master = MasterSecret::new(master_secret).map_err(js_error)?;
        let (inner, restarted_audit_log) =
            CoreLogin::new(engine.core(), master, config, saved, at(now_ms)).map_err(js_error)?;
        Ok(DeviceLogin { inner, restarted_audit_log })
    }

    /// The new audit log when the saved one failed verification (its first entry says so).
    #[wasm_bindgen(getter, js_name = restartedAuditLog)]
    pub fn restarted_audit_log(&self) -> Option<String> {
        self.restarted_audit_log.clone()
    }

    /// Replaces the lockout counters and audit log with `saved` (`{ auditLog?, lockoutState? }`) as
    /// storage holds them now (another tab may have written them); returns the restarted audit log
    /// when the saved one failed verification, else `undefined`. Call with the storage locked.
    pub fn reload(&mut self, saved: JsValue, now_ms: f64) -> Result<Option<String>, JsValue> {
        let saved: SavedState = options_from_js(saved, "saved state")?;
        Ok(self.inner.reload(saved, at(now_ms)))
    }

    /// Starts an attempt (`{ purpose: { kind: "identify", registerIfNotFound } | { kind: "verify",
    /// entryUserId }, useCase?, document?, ageRule? }`); `user`: the stored record of a verified
    /// user. Refuses unknown or locked users and bad documents; returns the device id.
    pub fn begin(
        &mut self,
        request: JsValue,
        user: JsValue,
        signals: JsValue,
        capture_policy: JsValue,
        nonce: &[u8],
        now_ms: f64,
    ) -> Result<String, JsValue> {
        let request: AttemptRequest = from_js(request, "attempt")?;
        let user: Option<UserRecord> = options_from_js(user, "user record")?;
        let signals: DeviceSignals = from_js(signals, "device signals")?;
        let policy: CapturePolicy = options_from_js(capture_policy, "capture policy")?;
        self.inner.begin(request, user.as_ref(), &signals, policy, nonce, at(now_ms)).map_err(js_error)
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
        let frame = Frame::from_rgba(width, height, rgba).map_err(js_error)?;
        to_js(&self.inner.push(engine.core(), &frame, now_ms).map_err(js_error)?)
    }

    /// Decides the attempt after a successful capture: `{ user, error: { code, message },
    /// changes: [{ op: "put", user } | { op: "delete", entryUserId }], auditLines, lockoutState }`.
    pub fn finish(&mut self, engine: &FaceEngine, users: JsValue, now_ms: f64) -> Result<JsValue, JsValue> {
        let users: Vec<UserRecord> = from_js(users, "user records")?;
        let finished = self.inner.finish(engine.core(), &users, at(now_ms)).map_err(js_error)?;
        to_js(&FinishReport::from(finished))
    }

    /// Ends the attempt without a decision, with the code the page reports (`{ auditLines,
    /// lockoutState }` to persist).
    pub fn abandon(&mut self, code: &str, message: &str, now_ms: f64) -> Result<JsValue, JsValue> {
        let code = ErrorCode::parse(code)
            .ok_or_else(|| coded_error(ErrorCode::InvalidConfiguration, format!("unknown error code {code:?}")))?;
        to_js(&self.inner.abandon(code, message, at(now_ms)))
    }

    /// Audits a user's deletion from the store.
    #[wasm_bindgen(js_name = recordDeletion)]
    pub fn record_deletion(&mut self, entry_user_id: &str, now_ms: f64) -> Result<JsValue, JsValue> {
        to_js(&self.inner.record_deletion(entry_user_id, at(now_ms)))
    }
}
