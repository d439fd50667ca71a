use entry_core::audit::{AuditEvent, AuditLog as CoreLog};
use wasm_bindgen::prelude::*;

use crate::{from_js, js_error, to_js};

/// The hash-chained audit log.
#[wasm_bindgen]
pub struct AuditLog {
    log: CoreLog,
}

#[wasm_bindgen]
impl AuditLog {
    /// An empty log, or the verified contents of a JSON Lines export.
    #[wasm_bindgen(constructor)]
    pub fn new(json_lines: Option<String>) -> Result<AuditLog, JsValue> {
        let log = match json_lines {
            Some(text) => CoreLog::from_json_lines(&text).map_err(js_error)?,
            None => CoreLog::new(),
        };
        Ok(AuditLog { log })
    }

    /// Appends an event (`{ type: "enroll", user_id, device_id }`, ...) and returns the entry.
    pub fn append(&mut self, unix_seconds: f64, event: JsValue) -> Result<JsValue, JsValue> {
        let event: AuditEvent = from_js(event, "audit event")?;
        to_js(self.log.append(unix_seconds as u64, event))
    }

    #[wasm_bindgen(js_name = toJsonLines)]
    pub fn to_json_lines(&self) -> String {
        self.log.to_json_lines()
    }

    /// Hash of the last entry.
    pub fn head(&self) -> String {
        self.log.head().to_string()
    }
}
