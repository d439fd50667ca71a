//! Device identifiers: a documented set of browser signals, canonicalised and hashed with an
//! app-specific salt, so the id is stable for one browser in one app and useless to any other app.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use ts_rs::TS;

use super::keys::{Keyring, Purpose, UtcDay};

/// The signals a device id is made of. Each is readable without a permission prompt; none is
/// unique alone. Changing browser, OS version or screen changes the id (and asks for step-up).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeviceSignals {
    /// `navigator.userAgent`
    pub user_agent: String,
    /// `navigator.platform`
    pub platform: String,
    /// `navigator.languages`
    pub languages: Vec<String>,
    /// `Intl.DateTimeFormat().resolvedOptions().timeZone`
    pub time_zone: String,
    /// `screen.width`
    pub screen_width: u32,
    /// `screen.height`
    pub screen_height: u32,
    /// `screen.colorDepth`
    pub color_depth: u32,
    /// `navigator.hardwareConcurrency`
    pub hardware_concurrency: u32,
    /// `navigator.maxTouchPoints`
    pub max_touch_points: u32,
    /// WEBGL_debug_renderer_info's unmasked renderer, when the browser exposes it.
    #[serde(default)]
    pub webgl_renderer: Option<String>,
}

impl DeviceSignals {
    /// A canonical encoding: fixed field order, normalised case and whitespace.
    fn canonical(&self) -> Vec<u8> {
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let fields = [
            norm(&self.user_agent),
            norm(&self.platform),
            self.languages.iter().map(|l| l.trim().to_ascii_lowercase()).collect::<Vec<_>>().join(","),
            norm(&self.time_zone),
            format!("{}x{}x{}", self.screen_width, self.screen_height, self.color_depth),
            self.hardware_concurrency.to_string(),
            self.max_touch_points.to_string(),
            self.webgl_renderer.as_deref().map(norm).unwrap_or_default(),
        ];
        let mut out = Vec::new();
        for f in fields {
            out.extend_from_slice(&(f.len() as u32).to_be_bytes());
            out.extend_from_slice(f.as_bytes());
        }
        out
    }
}

/// `dev_` + hex(SHA-256(app device salt | canonical signals))[..32].
pub fn device_id(keyring: &Keyring, signals: &DeviceSignals) -> String {
    let salt = keyring.derive(Purpose::DeviceIds, UtcDay(0));
    let mut h = Sha256::new();
    h.update(salt.bytes());
    h.update(signals.canonical());
    format!("dev_{}", &hex::encode(h.finalize())[..32])
}

/// Whether a device was seen before for this user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceCheck {
    /// Seen before for this user.
    Known,
    /// Not seen before: ask for a step-up check before trusting it.
    NewDevice,
}

/// Whether `id` is among `known` (compared in constant time). An empty id (an attempt bound
/// to no device) is never known.
pub fn check_device(known: &[String], id: &str) -> DeviceCheck {
    if id.is_empty() {
        return DeviceCheck::NewDevice;
    }
    let mut found = subtle::Choice::from(0);
    for k in known {
        found |= k.as_bytes().ct_eq(id.as_bytes());
    }
    if bool::from(found) {
        DeviceCheck::Known
    } else {
        DeviceCheck::NewDevice
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protect::MasterSecret;

    fn signals() -> DeviceSignals {
        DeviceSignals {
            user_agent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0".into(),
            platform: "Linux x86_64".into(),
            languages: vec!["en-GB".into(), "fr".into()],
            time_zone: "Europe/London".into(),
            screen_width: 1920,
            screen_height: 1080,
            color_depth: 24,
            hardware_concurrency: 8,
            max_touch_points: 0,
            webgl_renderer: None,
        }
    }

    fn ring(app: &str) -> Keyring {
        Keyring::new(MasterSecret::new(&[3u8; 32]).unwrap(), app, 7)
    }

    #[test]
    fn stable_for_same_signals_and_different_per_app_and_device() {
        let id = device_id(&ring("bank"), &signals());
        assert_eq!(id, device_id(&ring("bank"), &signals()));
        assert!(id.starts_with("dev_") && id.len() == 36);
        let mut spaced = signals();
        spaced.user_agent = " Mozilla/5.0  (X11; Linux x86_64) Chrome/156.0 ".into();
        spaced.languages = vec!["EN-gb".into(), "fr".into()];
        assert_eq!(id, device_id(&ring("bank"), &spaced), "whitespace and case do not change the id");
        assert_ne!(id, device_id(&ring("shop"), &signals()));
        let mut other = signals();
        other.screen_width = 1280;
        assert_ne!(id, device_id(&ring("bank"), &other));
    }

    #[test]
    fn new_device_asks_for_step_up() {
        let id = device_id(&ring("bank"), &signals());
        assert_eq!(check_device(std::slice::from_ref(&id), &id), DeviceCheck::Known);
        assert_eq!(check_device(&["dev_other".into()], &id), DeviceCheck::NewDevice);
        assert_eq!(check_device(&[], &id), DeviceCheck::NewDevice);
    }
}
