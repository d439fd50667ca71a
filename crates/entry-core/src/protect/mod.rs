//! Template protection and trust plumbing: derived daily keys, sealed templates, cancellable
//! template transforms, session tokens, device identifiers, and the format of device mode's wrapped
//! templates. Nothing here stores a key: every key is derived from the app's master secret when
//! needed (the browser keeps device mode's wrapping key, which never reaches this crate).

mod device;
mod error;
mod keys;
mod protector;
mod sealed;
mod session;
mod transform;
mod wrapped;

pub use device::{check_device, device_id, DeviceCheck, DeviceSignals};
pub use error::{ProtectError, SessionError};
pub use keys::{Keyring, MasterSecret, Purpose, SecretKey, UtcDay};
pub use protector::{TemplateProtector, TemplateSearch, Unreadable};
pub use sealed::{SealedTemplate, SEALED_MAGIC, SEALED_VERSION};
pub use session::{issue as issue_session, verify as verify_session, MemoryReplayGuard, ReplayGuard, SessionClaims};
pub use transform::TemplateTransform;
pub use wrapped::{is_wrapped, WrapParams, WrappedParts, WRAPPED_MAGIC, WRAPPED_VERSION};

/// Fresh random bytes from the operating system (or `crypto.getRandomValues` in the browser).
pub(crate) fn random<const N: usize>() -> Result<[u8; N], ProtectError> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|e| ProtectError::Randomness(e.to_string()))?;
    Ok(out)
}
