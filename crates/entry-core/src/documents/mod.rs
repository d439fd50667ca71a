//! Identity documents: machine-readable zones (ICAO 9303) and the calendar dates they carry.

pub mod aamva;
pub mod age;
mod date;
pub mod face_match;
pub mod mrz;
pub mod profile;

pub use date::CalendarDate;
