//! What one login attempt is for, as the page (or a server's client) asks for it, and the attempt
//! the core checked and keeps while the capture runs.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::documents::AgeRule;
use crate::documents::DocumentProfile;
use crate::documents::{parse_aamva, parse_mrz, CalendarDate};
use crate::policy::UseCase;
use crate::protect::Keyring;

use super::error::LoginError;
use super::user::Timestamp;

/// Recognise someone among the app's users, or check one user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum Purpose {
    /// 1:N over the app's users; an unknown face registers when `register_if_not_found`.
    Identify {
        /// Register the person when nobody matches.
        register_if_not_found: bool,
    },
    /// 1:1 against `entry_user_id`; failures count towards its lockout.
    Verify {
        /// The user to check.
        entry_user_id: String,
    },
}

/// An identity document as the app hands it over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DocumentInput {
    /// `mrz`: the machine-readable zone of a passport, ID card or visa; `aamva`: a US/Canadian
    /// licence barcode text.
    pub kind: DocumentKind,
    /// The MRZ lines or the barcode text.
    pub text: String,
    /// The document's portrait (JPEG or PNG): when given, the captured face must match it.
    #[serde(with = "serde_bytes", default)]
    #[ts(type = "Uint8Array", optional)]
    pub photo: Option<Vec<u8>>,
}

impl DocumentInput {
    /// Reads the document into what an app may keep (the number only as a keyed digest), refusing
    /// one that does not parse (DOCUMENT_INVALID, naming the field) or has expired on `today`.
    pub fn read(&self, keyring: &Keyring, today: CalendarDate) -> Result<CheckedDocument, LoginError> {
        let profile = match self.kind {
            DocumentKind::Mrz => DocumentProfile::from_mrz(&parse_mrz(&self.text, today)?, keyring),
            DocumentKind::Aamva => DocumentProfile::from_aamva(&parse_aamva(&self.text)?, keyring),
        };
        profile.check_valid(today)?;
        Ok(CheckedDocument { profile, photo: self.photo.clone() })
    }
}

/// How a document's data is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// ICAO 9303 machine-readable zone.
    Mrz,
    /// AAMVA licence barcode text.
    Aamva,
}

/// An age rule by name (see [`AgeRule::named`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AgeRuleName {
    /// `coppa`, `alcohol`, `gambling` or `eu-digital-consent`.
    pub name: String,
    #[serde(default)]
    #[ts(optional)]
    /// ISO 3166 alpha-2 code, for `eu-digital-consent`.
    pub country: Option<String>,
}

/// One attempt as asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttemptRequest {
    /// Identify or verify.
    pub purpose: Purpose,
    /// The target false-match rate; default `login`.
    #[serde(default = "default_use_case")]
    pub use_case: UseCase,
    #[serde(default)]
    #[ts(optional)]
    /// A document to read with the attempt.
    pub document: Option<DocumentInput>,
    /// Checked against the document's date of birth (needs `document`).
    #[serde(default)]
    #[ts(optional)]
    pub age_rule: Option<AgeRuleName>,
}

fn default_use_case() -> UseCase {
    UseCase::Login
}

/// A document read and checked before the camera opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedDocument {
    /// What the app may keep of it.
    pub profile: DocumentProfile,
    /// The portrait the captured face must match, if the app gave one.
    pub photo: Option<Vec<u8>>,
}

/// An attempt whose request was checked: the device is known by id, the document is valid, the
/// age rule exists, and a verified user exists and is not locked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// Identify or verify.
    pub purpose: Purpose,
    /// The target false-match rate.
    pub use_case: UseCase,
    /// The device the attempt runs on: the app-salted id in device mode, the device key's
    /// thumbprint in server mode. Empty when the attempt is bound to no device: never known,
    /// never recorded.
    pub device_id: String,
    /// Who asks, for throttling identify: the device id in device mode, the client address in
    /// server mode (where a device key costs an attacker nothing to mint).
    pub client: String,
    /// When `begin` accepted it.
    pub started: Timestamp,
    /// The document read before the camera opened.
    pub document: Option<CheckedDocument>,
    /// The age rule to check against the document.
    pub age_rule: Option<AgeRule>,
}

impl Attempt {
    /// The user a verification is for (failures are audited and counted against it).
    pub fn verified_user(&self) -> Option<&str> {
        match &self.purpose {
            Purpose::Verify { entry_user_id } => Some(entry_user_id),
            Purpose::Identify { .. } => None,
        }
    }

    /// The account this attempt's failures count against: the verified user, or for identify
    /// the client ([`identify_account`]).
    pub fn lockout_account(&self) -> String {
        match &self.purpose {
            Purpose::Verify { entry_user_id } => entry_user_id.clone(),
            Purpose::Identify { .. } => identify_account(&self.client),
        }
    }
}

/// The lockout account of identify attempts from `client`: searches that find nobody, need
/// another factor or fail liveness count here, so nobody can search the app's users for free.
pub fn identify_account(client: &str) -> String {
    format!("identify:{client}")
}
