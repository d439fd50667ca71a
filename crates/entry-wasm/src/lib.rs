//! The browser face of entry-core: thin wasm-bindgen wrappers that convert types and errors and
//! hold no logic of their own. Every error crosses as a JS `Error` whose `name` is a stable code.
#![forbid(unsafe_code)]

mod audit_log;
mod documents;
mod engine;
mod evidence;
mod keys;
mod liveness;
mod login;
mod policy;
mod templates;

use entry_core::{CodedError, ErrorCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

pub use audit_log::AuditLog;
pub use documents::{age_rule, check_age, parse_aamva, parse_mrz};
pub use engine::FaceEngine;
pub use evidence::{device_message, EvidenceCapture};
pub use keys::{is_known_device, Keyring, SessionVerifier};
pub use liveness::LivenessSession;
pub use login::DeviceLogin;
pub use policy::{AccessPolicy, LockoutTracker};
pub use templates::{wrap_params, wrapped_parts, TemplateProtector};

/// A JS `Error` whose `name` is the stable code callers branch on.
pub(crate) fn coded_error(code: ErrorCode, message: impl std::fmt::Display) -> JsValue {
    let err = js_sys::Error::new(&message.to_string());
    err.set_name(code.as_str());
    err.into()
}

/// Any core error, forwarded with its own code.
pub(crate) fn js_error<E: CodedError>(e: E) -> JsValue {
    coded_error(e.code(), &e)
}

/// Plain objects, `null` for `None`, numbers for 64-bit integers, and `Uint8Array` for byte fields
/// (sealed templates: what IndexedDB and the `TemplateStore` contract keep).
const SERIALIZER: serde_wasm_bindgen::Serializer =
    serde_wasm_bindgen::Serializer::json_compatible().serialize_bytes_as_arrays(false);

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&SERIALIZER).map_err(|e| coded_error(ErrorCode::UnknownError, format!("serialisation failed: {e}")))
}

fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| coded_error(ErrorCode::InvalidConfiguration, format!("{what}: {e}")))
}

/// Options objects: `undefined` or `null` take every default, and omitted fields take theirs.
fn options_from_js<T: DeserializeOwned + Default>(value: JsValue, what: &str) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        from_js(value, what)
    }
}

// Unit tests run in headless Chromium: the crate is a cdylib only (an rlib would disable its LTO).
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;
