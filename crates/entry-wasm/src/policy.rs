use entry_core::policy::{DomainAllowList, IpAllowList, LockoutPolicy, LockoutTracker as CoreTracker};
use entry_core::ErrorCode;
use wasm_bindgen::prelude::*;

use crate::{coded_error, js_error, options_from_js};

/// Where the SDK may be used: domain and IP allow-lists (empty lists allow everything).
#[wasm_bindgen]
pub struct AccessPolicy {
    domains: Option<DomainAllowList>,
    ips: Option<IpAllowList>,
}

#[wasm_bindgen]
impl AccessPolicy {
    #[wasm_bindgen(constructor)]
    pub fn new(domains: Vec<String>, ips: Vec<String>) -> Result<AccessPolicy, JsValue> {
        Ok(AccessPolicy {
            domains: (!domains.is_empty()).then(|| DomainAllowList::new(&domains)).transpose().map_err(js_error)?,
            ips: (!ips.is_empty()).then(|| IpAllowList::new(&ips)).transpose().map_err(js_error)?,
        })
    }

    #[wasm_bindgen(js_name = allowsOrigin)]
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.domains.as_ref().is_none_or(|d| d.allows(origin))
    }

    #[wasm_bindgen(js_name = allowsIp)]
    pub fn allows_ip(&self, ip: &str) -> bool {
        self.ips.as_ref().is_none_or(|l| l.allows(ip))
    }
}

/// Failure counting and lockout per account.
#[wasm_bindgen]
pub struct LockoutTracker {
    tracker: CoreTracker,
}

#[wasm_bindgen]
impl LockoutTracker {
    /// `policy`: `{ max_failures, window_seconds, lockout_seconds }`, any omitted field defaulting
    /// to 5 failures in 180 s locking for 1800 s.
    #[wasm_bindgen(constructor)]
    pub fn new(policy: JsValue) -> Result<LockoutTracker, JsValue> {
        let policy: LockoutPolicy = options_from_js(policy, "lockout policy")?;
        Ok(LockoutTracker { tracker: CoreTracker::new(policy) })
    }

    /// A tracker restored from `toJson` (failure times and locks; the policy travels with it).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(json: &str) -> Result<LockoutTracker, JsValue> {
        let tracker = serde_json::from_str(json)
            .map_err(|e| coded_error(ErrorCode::InvalidConfiguration, format!("lockout state: {e}")))?;
        Ok(LockoutTracker { tracker })
    }

    /// The state to persist between page loads.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.tracker).expect("lockout state serialises")
    }

    /// Unix seconds until which the account is locked, if it is.
    #[wasm_bindgen(js_name = lockedUntil)]
    pub fn locked_until(&self, account: &str, unix_seconds: f64) -> Option<f64> {
        self.tracker.locked_until(account, unix_seconds as u64).map(|t| t as f64)
    }

    /// Records a failure; returns the lock's end when this failure locked the account.
    #[wasm_bindgen(js_name = recordFailure)]
    pub fn record_failure(&mut self, account: &str, unix_seconds: f64) -> Option<f64> {
        self.tracker.record_failure(account, unix_seconds as u64).map(|t| t as f64)
    }

    #[wasm_bindgen(js_name = recordSuccess)]
    pub fn record_success(&mut self, account: &str) {
        self.tracker.record_success(account);
    }
}
