//! Key derivation: master secret -> HKDF-SHA256 -> one key per (app, purpose, UTC day).
//! Keys exist only while used; rotating is simply a new day.

use hkdf::Hkdf;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use super::ProtectError;

/// Days since 1970-01-01 UTC: the unit of key rotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcDay(pub u32);

impl UtcDay {
    /// The day of a Unix time.
    pub fn from_unix_seconds(seconds: u64) -> UtcDay {
        UtcDay((seconds / 86_400) as u32)
    }
}

/// What a derived key is for; keys of different purposes are independent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Sealing templates at rest; rotates daily.
    Templates,
    /// Session tokens; rotates daily.
    Sessions,
    /// Salting device fingerprints; stable (day 0) so a device keeps its id.
    DeviceIds,
    /// The cancellable template transform; stable per transform version.
    TemplateTransform,
    /// Keyed digests of identity document numbers; stable (day 0) so a number keeps its digest.
    DocumentNumbers,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::Templates => b"templates",
            Purpose::Sessions => b"sessions",
            Purpose::DeviceIds => b"device-ids",
            Purpose::TemplateTransform => b"template-transform",
            Purpose::DocumentNumbers => b"document-numbers",
        }
    }
}

/// A 256-bit derived key. Debug never prints it; equality is constant-time.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl SecretKey {
    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

impl PartialEq for SecretKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Drop for SecretKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// The app's master secret (from the app's server or a platform key store, never hard-coded).
#[derive(Clone)]
pub struct MasterSecret(Vec<u8>);

impl MasterSecret {
    /// At least 32 bytes (WEAK_MASTER_SECRET otherwise); the bytes are zeroed on drop.
    pub fn new(bytes: &[u8]) -> Result<Self, ProtectError> {
        if bytes.len() < 32 {
            return Err(ProtectError::WeakMasterSecret(bytes.len()));
        }
        Ok(MasterSecret(bytes.to_vec()))
    }
}

impl std::fmt::Debug for MasterSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterSecret(..)")
    }
}

impl Drop for MasterSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// Fixed HKDF salt: domain separation for this protocol and version.
const SALT: &[u8] = b"entry/v1/hkdf-salt";

/// Writes `field` with a length prefix so that no two field lists share an encoding.
fn push_field(info: &mut Vec<u8>, field: &[u8]) {
    info.extend_from_slice(&(field.len() as u32).to_be_bytes());
    info.extend_from_slice(field);
}

/// Derives an app's keys from its master secret, and says which key days are due for re-sealing.
#[derive(Clone, Debug)]
pub struct Keyring {
    master: MasterSecret,
    app_id: String,
    /// Items sealed more than this many days ago are stale: re-sealed under today's key when next
    /// opened. Age never stops an item opening (every day's key derives from the same master), so
    /// a person who has not logged in for a while is re-sealed, never lost or enrolled twice.
    grace_days: u32,
}

impl Keyring {
    /// Keys of `app_id` from `master`; templates sealed more than `grace_days` days ago are stale.
    pub fn new(master: MasterSecret, app_id: impl Into<String>, grace_days: u32) -> Self {
        Keyring { master, app_id: app_id.into(), grace_days }
    }

    /// The app the keys are bound to.
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// Days after which a sealed item is stale (due for re-sealing under today's key).
    pub fn grace_days(&self) -> u32 {
        self.grace_days
    }

    /// Whether an item sealed on `sealed` is due for re-sealing on `today`.
    pub fn is_stale(&self, sealed: UtcDay, today: UtcDay) -> bool {
        sealed.0 < today.0.saturating_sub(self.grace_days)
    }

    /// HKDF-SHA256(salt, master) expanded with info = ("entry/v1", app, purpose, day).
    pub fn derive(&self, purpose: Purpose, day: UtcDay) -> SecretKey {
        let mut info = Vec::new();
        push_field(&mut info, b"entry/v1");
        push_field(&mut info, self.app_id.as_bytes());
        push_field(&mut info, purpose.label());
        push_field(&mut info, &day.0.to_be_bytes());
        let mut key = [0u8; 32];
        Hkdf::<Sha256>::new(Some(SALT), &self.master.0)
            .expand(&info, &mut key)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        SecretKey(key)
    }

    /// Checks that something sealed on `sealed` may be opened on `today`: not from a later day (a
    /// clock set back, or a header rewritten to a day whose key nobody has used yet). Age alone is
    /// no reason: old items open and are re-sealed ([`Keyring::is_stale`]).
    pub fn check_day(&self, sealed: UtcDay, today: UtcDay) -> Result<(), ProtectError> {
        if sealed > today {
            return Err(ProtectError::KeyFromFuture { sealed_day: sealed.0, today: today.0 });
        }
        Ok(())
    }
}

/// The keyring every known-answer test's reference program used: master 00 01 .. 1f, `app_id`,
/// a grace of 7 days.
#[cfg(test)]
pub(crate) fn known_answer_keyring(app_id: &str) -> Keyring {
    Keyring::new(MasterSecret::new(&(0u8..32).collect::<Vec<_>>()).expect("32 bytes"), app_id, 7)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// RFC 5869 appendix A, test cases 1 and 3 (SHA-256).
    #[test]
    fn hkdf_matches_rfc5869_vectors() {
        let ikm = unhex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        let mut okm = [0u8; 42];
        Hkdf::<Sha256>::new(Some(&unhex("000102030405060708090a0b0c")), &ikm)
            .expand(&unhex("f0f1f2f3f4f5f6f7f8f9"), &mut okm)
            .unwrap();
        assert_eq!(
            hex::encode(okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
        );
        Hkdf::<Sha256>::new(None, &ikm).expand(&[], &mut okm).unwrap();
        assert_eq!(
            hex::encode(okm),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"
        );
    }

    fn ring(app: &str) -> Keyring {
        Keyring::new(MasterSecret::new(&[7u8; 32]).unwrap(), app, 30)
    }

    #[test]
    fn keys_differ_by_app_purpose_and_day_and_are_reproducible() {
        let a = ring("bank.example");
        let k = a.derive(Purpose::Templates, UtcDay(20_000));
        assert_eq!(k, ring("bank.example").derive(Purpose::Templates, UtcDay(20_000)));
        assert_ne!(k, a.derive(Purpose::Templates, UtcDay(20_001)));
        assert_ne!(k, a.derive(Purpose::Sessions, UtcDay(20_000)));
        assert_ne!(k, ring("shop.example").derive(Purpose::Templates, UtcDay(20_000)));
        assert_eq!(format!("{k:?}"), "SecretKey(..)");
    }

    #[test]
    fn weak_master_secret_is_refused() {
        assert_eq!(MasterSecret::new(&[1; 16]).unwrap_err(), ProtectError::WeakMasterSecret(16));
    }

    #[test]
    fn old_key_days_open_and_are_stale_past_the_grace_window_future_ones_do_not_open() {
        let r = ring("a");
        assert!(r.check_day(UtcDay(100), UtcDay(100)).is_ok());
        assert!(r.check_day(UtcDay(70), UtcDay(100)).is_ok() && !r.is_stale(UtcDay(70), UtcDay(100)));
        assert!(r.check_day(UtcDay(1), UtcDay(100)).is_ok() && r.is_stale(UtcDay(69), UtcDay(100)));
        assert!(matches!(r.check_day(UtcDay(101), UtcDay(100)), Err(ProtectError::KeyFromFuture { .. })));
    }
}
