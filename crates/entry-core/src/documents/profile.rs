//! What an app keeps from an identity document: the profile fields, never the document number in
//! the clear (only a keyed digest, so the same document can be recognised without being readable).

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use ts_rs::TS;

use super::aamva::AamvaLicence;
use super::mrz::{Mrz, MrzFormat};
use super::CalendarDate;
use crate::protect::{Keyring, Purpose, UtcDay};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
/// The kind of identity document.
pub enum DocumentType {
    /// A passport (TD3).
    Passport,
    /// An identity card (TD1, TD2).
    IdCard,
    /// A visa (MRV-A, MRV-B).
    Visa,
    /// A driver licence (AAMVA).
    DriverLicence,
}

/// Profile fields for an `EntryUser`, from a verified document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentProfile {
    /// The kind of document.
    pub document_type: DocumentType,
    /// `hmac-sha256:` + hex of HMAC(app's document-number key, issuer | number).
    pub document_number_digest: String,
    /// Date of birth.
    pub date_of_birth: CalendarDate,
    /// Date of expiry.
    pub expiry_date: CalendarDate,
    /// Issuing state (ICAO code) or jurisdiction (AAMVA IIN).
    pub issuer: String,
    /// Nationality, when the document states it (MRZ only).
    pub nationality: Option<String>,
}

/// Why a document cannot be used.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum DocumentError {
    #[error("the document expired on {0}")]
    /// The document expired on this date.
    Expired(CalendarDate),
}

fn digest(keyring: &Keyring, issuer: &str, number: &str) -> String {
    let key = keyring.derive(Purpose::DocumentNumbers, UtcDay(0));
    let mut mac = Hmac::<Sha256>::new_from_slice(key.bytes()).expect("any key length");
    mac.update(&(issuer.len() as u32).to_be_bytes());
    mac.update(issuer.as_bytes());
    mac.update(number.as_bytes());
    format!("hmac-sha256:{}", hex::encode(mac.finalize().into_bytes()))
}

impl DocumentProfile {
    /// The profile of a passport, ID card or visa; the number is digested with the app's key.
    pub fn from_mrz(mrz: &Mrz, keyring: &Keyring) -> DocumentProfile {
        let document_type = match mrz.format {
            MrzFormat::Td3 => DocumentType::Passport,
            MrzFormat::MrvA | MrzFormat::MrvB => DocumentType::Visa,
            MrzFormat::Td1 | MrzFormat::Td2 => DocumentType::IdCard,
        };
        DocumentProfile {
            document_type,
            document_number_digest: digest(keyring, &mrz.issuing_state, &mrz.document_number),
            date_of_birth: mrz.birth_date,
            expiry_date: mrz.expiry_date,
            issuer: mrz.issuing_state.clone(),
            nationality: Some(mrz.nationality.clone()),
        }
    }

    /// The profile of a driver licence; the number is digested with the app's key.
    pub fn from_aamva(licence: &AamvaLicence, keyring: &Keyring) -> DocumentProfile {
        DocumentProfile {
            document_type: DocumentType::DriverLicence,
            document_number_digest: digest(keyring, &licence.issuer, &licence.document_number),
            date_of_birth: licence.birth_date,
            expiry_date: licence.expiry_date,
            issuer: licence.issuer.clone(),
            nationality: None,
        }
    }

    /// Refuses an expired document.
    pub fn check_valid(&self, today: CalendarDate) -> Result<(), DocumentError> {
        if self.expiry_date < today {
            Err(DocumentError::Expired(self.expiry_date))
        } else {
            Ok(())
        }
    }
}

impl crate::CodedError for DocumentError {
    fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::DocumentExpired
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::parse_mrz;
    use crate::protect::MasterSecret;

    fn keyring(app: &str) -> Keyring {
        Keyring::new(MasterSecret::new(&[6u8; 32]).unwrap(), app, 7)
    }

    const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

    #[test]
    fn profile_keeps_no_readable_document_number() {
        let m = parse_mrz(TD3, CalendarDate { year: 2010, month: 1, day: 1 }).unwrap();
        let p = DocumentProfile::from_mrz(&m, &keyring("bank"));
        assert_eq!(p.document_type, DocumentType::Passport);
        assert_eq!(p.date_of_birth, CalendarDate { year: 1974, month: 8, day: 12 });
        assert_eq!(p.nationality.as_deref(), Some("UTO"));
        let json = serde_json::to_string(&p).unwrap();
        assert!(!json.contains("L898902C3"), "{json}");
        assert_eq!(p, DocumentProfile::from_mrz(&m, &keyring("bank")), "stable digest");
        assert_ne!(p.document_number_digest, DocumentProfile::from_mrz(&m, &keyring("shop")).document_number_digest);
        assert_eq!(p.check_valid(CalendarDate { year: 2012, month: 4, day: 15 }), Ok(()));
        assert_eq!(
            p.check_valid(CalendarDate { year: 2012, month: 4, day: 16 }),
            Err(DocumentError::Expired(p.expiry_date))
        );
    }
}
