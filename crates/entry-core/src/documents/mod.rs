//! Identity documents: machine-readable zones (ICAO 9303, [`parse_mrz`]), US and Canadian licence
//! barcodes ([`parse_aamva`]), what an app may keep of them ([`DocumentProfile`]), age rules
//! ([`AgeRule`]) and the live face against the document's portrait ([`match_document`]).

mod aamva;
mod age;
mod date;
mod face_match;
mod mrz;
mod profile;

pub use aamva::{parse as parse_aamva, AamvaError, AamvaLicence};
pub use age::{AgeDecision, AgeRule};
pub use date::CalendarDate;
pub use face_match::{match_document, match_document_embedding, DocumentMatch};
pub use mrz::{check_digit, parse as parse_mrz, Mrz, MrzError, MrzFormat, Sex};
pub use profile::{DocumentError, DocumentProfile, DocumentType};
