//! The records a login reads and writes, and what it returns: one definition for the browser's
//! store, the server's database and the SDK's `EntryUser` (serialised camelCase, as JavaScript
//! sees them).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::documents::CalendarDate;
use crate::documents::{DocumentProfile, DocumentType};

/// A moment, in milliseconds since the Unix epoch (what `Date.now()` gives).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// Whole seconds since the epoch: the unit of lockout, audit and key days.
    pub fn seconds(self) -> u64 {
        self.0 / 1000
    }

    /// The UTC calendar day.
    pub fn date(self) -> CalendarDate {
        CalendarDate::from_unix_seconds(self.seconds() as i64)
    }

    /// ISO 8601 in UTC with milliseconds, as JavaScript's `toISOString` writes it.
    pub fn iso(self) -> String {
        let second_of_day = self.seconds() % 86_400;
        format!(
            "{}T{:02}:{:02}:{:02}.{:03}Z",
            self.date(),
            second_of_day / 3600,
            second_of_day / 60 % 60,
            second_of_day % 60,
            self.0 % 1000
        )
    }
}

/// Profile fields from an identity document; all `None` until one is read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserProfile {
    /// ISO date, e.g. "1974-08-12".
    pub date_of_birth: Option<String>,
    /// Passport, ID card, visa or driver licence.
    pub photo_identity_document_type: Option<DocumentType>,
    /// A keyed HMAC digest of the document number: comparable within the app, never reversible.
    pub photo_identity_document_number: Option<String>,
    /// ISO date.
    pub photo_identity_document_expiry: Option<String>,
    /// Issuing state or jurisdiction.
    pub photo_identity_document_issuer: Option<String>,
    /// Nationality, when the document states it.
    pub nationality: Option<String>,
}

impl From<&DocumentProfile> for UserProfile {
    fn from(d: &DocumentProfile) -> UserProfile {
        UserProfile {
            date_of_birth: Some(d.date_of_birth.to_string()),
            photo_identity_document_type: Some(d.document_type),
            photo_identity_document_number: Some(d.document_number_digest.clone()),
            photo_identity_document_expiry: Some(d.expiry_date.to_string()),
            photo_identity_document_issuer: Some(d.issuer.clone()),
            nationality: d.nationality.clone(),
        }
    }
}

/// One enrolled user as a store keeps it: sealed template bytes, never a face or an embedding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserRecord {
    /// The app the user belongs to.
    pub app_id: String,
    /// A random UUID, the user's only identifier.
    pub entry_user_id: String,
    /// The sealed template; `None` when none may be kept (an under-age user without a guardian flow).
    #[serde(with = "serde_bytes", default)]
    #[ts(type = "Uint8Array | null")]
    pub sealed_template: Option<Vec<u8>>,
    /// Fields from an identity document, if one was read.
    pub profile: UserProfile,
    /// Salted device ids this user has been recognised on.
    pub known_devices: Vec<String>,
    /// A document showed the user under the app's age rule.
    pub is_under_age: bool,
    /// ISO 8601.
    pub created_at: String,
    /// ISO 8601: the last recognition or change.
    pub updated_at: String,
}

/// The person a login recognised or registered, as the app receives them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EntryUser {
    #[serde(flatten)]
    /// Fields from an identity document, if one was read.
    pub profile: UserProfile,
    /// The user's id.
    pub entry_user_id: String,
    /// A template is stored: the user can be recognised next time.
    pub is_registration_complete: bool,
    /// Registered by this attempt.
    pub is_new_user: bool,
    /// A document showed the user under the app's age rule.
    pub is_under_age: bool,
    /// The app-salted id of this device.
    pub device_id: String,
    /// Recognised on this device before (else an app may ask for a step-up check).
    pub is_known_device: bool,
    /// Cosine score against the stored template (`None` for a new registration).
    pub match_score: Option<f32>,
    /// Mean passive live probability of the capture (`None` with liveness off).
    pub liveness_score: Option<f32>,
    /// Device mode: a single-use token under the app's keys, for this page (see docs/security.md).
    pub session_token: Option<String>,
    /// Server mode: the server's signed assertion (compact JWS) for the app's backend to verify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub assertion: Option<String>,
    /// ISO 8601: when the user registered.
    pub created_at: String,
    /// ISO 8601: the last recognition or change.
    pub updated_at: String,
}

impl EntryUser {
    pub(crate) fn from_record(record: &UserRecord, device_id: &str, liveness_score: Option<f32>) -> EntryUser {
        EntryUser {
            profile: record.profile.clone(),
            entry_user_id: record.entry_user_id.clone(),
            is_registration_complete: record.sealed_template.is_some(),
            is_new_user: false,
            is_under_age: record.is_under_age,
            device_id: device_id.to_string(),
            is_known_device: false,
            match_score: None,
            liveness_score,
            session_token: None,
            assertion: None,
            created_at: record.created_at.clone(),
            updated_at: record.updated_at.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_print_as_javascript_does() {
        // new Date(1796022437123).toISOString()
        assert_eq!(Timestamp(1_796_022_437_123).iso(), "2026-11-30T07:07:17.123Z");
        assert_eq!(Timestamp(0).iso(), "1970-01-01T00:00:00.000Z");
        assert_eq!(Timestamp(951_782_400_000).iso(), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn records_serialise_in_camel_case_with_bytes() {
        let record = UserRecord {
            app_id: "bank".into(),
            entry_user_id: "u1".into(),
            sealed_template: Some(vec![1, 2, 3]),
            profile: UserProfile::default(),
            known_devices: vec!["dev_1".into()],
            is_under_age: false,
            created_at: Timestamp(0).iso(),
            updated_at: Timestamp(0).iso(),
        };
        let json = serde_json::to_value(&record).unwrap();
        assert_eq!(json["entryUserId"], "u1");
        assert_eq!(json["profile"]["photoIdentityDocumentType"], serde_json::Value::Null);
        assert_eq!(serde_json::from_value::<UserRecord>(json).unwrap(), record);
    }
}
