//! AAMVA driver's licence and ID card data: the text payload of the PDF417 barcode on the back of
//! North American licences (AAMVA DL/ID Card Design Standard). Dates are MMDDCCYY in the USA and
//! CCYYMMDD in Canada.

use std::collections::HashMap;

use serde::Serialize;
use ts_rs::TS;

use super::mrz::Sex;
use super::CalendarDate;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
/// The fields of an AAMVA (US/Canadian) driver licence barcode that Entry uses.
pub struct AamvaLicence {
    /// IIN of the issuing jurisdiction (6 digits).
    pub issuer: String,
    /// AAMVA standard version of the payload.
    pub aamva_version: u8,
    /// `USA` or `CAN` (DCG).
    pub country: String,
    /// DAQ
    pub document_number: String,
    /// DCS
    pub family_name: String,
    /// DAC and DAD.
    pub given_names: String,
    /// DBB
    pub birth_date: CalendarDate,
    /// DBA
    pub expiry_date: CalendarDate,
    /// DBC
    pub sex: Sex,
    /// DDH, DDI, DDJ: dates until which the holder is under 18, 19 and 21, where printed.
    pub under_18_until: Option<CalendarDate>,
    /// DDI: until when the holder is under 19.
    pub under_19_until: Option<CalendarDate>,
    /// DDJ: until when the holder is under 21.
    pub under_21_until: Option<CalendarDate>,
}

impl AamvaLicence {
    /// True when the licence expired before `today`.
    pub fn is_expired(&self, today: CalendarDate) -> bool {
        self.expiry_date < today
    }
}

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
/// What is wrong with an AAMVA payload, naming the element.
pub enum AamvaError {
    /// The text is not an AAMVA payload (the reason says which part failed).
    #[error("not an AAMVA payload: {0}")]
    NotAamva(&'static str),
    /// A required element is missing: its id and what it holds.
    #[error("required element {0} ({1}) is missing")]
    Missing(&'static str, &'static str),
    /// A date element is not a date.
    #[error("{element}: {value:?} is not a valid date")]
    CalendarDate {
        /// The element id, e.g. `DBB`.
        element: &'static str,
        /// Its text.
        value: String,
    },
}

fn date(element: &'static str, value: &str, canadian: bool) -> Result<CalendarDate, AamvaError> {
    let bad = || AamvaError::CalendarDate { element, value: value.into() };
    let v = value.trim();
    if v.len() != 8 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let n = |r: std::ops::Range<usize>| v[r].parse::<i32>().map_err(|_| bad());
    let (year, month, day) = if canadian { (n(0..4)?, n(4..6)?, n(6..8)?) } else { (n(4..8)?, n(0..2)?, n(2..4)?) };
    CalendarDate::new(year, month as u8, day as u8).ok_or_else(bad)
}

/// Parses the barcode text. Only the DL or ID subfile's elements are read.
pub fn parse(payload: &str) -> Result<AamvaLicence, AamvaError> {
    let start =
        payload.find("ANSI ").or_else(|| payload.find("AAMVA")).ok_or(AamvaError::NotAamva("no ANSI header"))?;
    let header = payload.get(start + 5..start + 15).ok_or(AamvaError::NotAamva("header is truncated"))?;
    if !header.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AamvaError::NotAamva("header must hold the issuer number and versions"));
    }
    let issuer = header[0..6].to_string();
    let aamva_version: u8 = header[6..8].parse().map_err(|_| AamvaError::NotAamva("version"))?;
    let mut elements: HashMap<&str, &str> = HashMap::new();
    for segment in payload[start..].split(['\n', '\r']) {
        // The first element of a subfile follows its type ("DLDAQ..."), the header line included.
        let segment = match segment.find("DLDAQ").or_else(|| segment.find("IDDAQ")) {
            Some(i) => &segment[i + 2..],
            None => segment,
        };
        let id = segment.get(0..3).unwrap_or("");
        if id.len() == 3 && id.starts_with('D') && id.bytes().all(|b| b.is_ascii_uppercase()) {
            elements.entry(id).or_insert(segment[3..].trim());
        }
    }
    let get = |id: &'static str, what: &'static str| elements.get(id).copied().ok_or(AamvaError::Missing(id, what));
    let country = elements.get("DCG").copied().unwrap_or("USA").to_string();
    let canadian = country == "CAN";
    let optional_date = |id: &'static str| elements.get(id).map(|v| date(id, v, canadian)).transpose();
    let given = match (elements.get("DAC"), elements.get("DAD")) {
        (Some(first), Some(middle)) if !middle.is_empty() && *middle != "NONE" => format!("{first} {middle}"),
        (Some(first), _) => first.to_string(),
        (None, _) => elements.get("DCT").copied().unwrap_or("").replace(',', " "),
    };
    Ok(AamvaLicence {
        issuer,
        aamva_version,
        document_number: get("DAQ", "document number")?.to_string(),
        family_name: elements.get("DCS").or(elements.get("DAB")).copied().unwrap_or("").to_string(),
        given_names: given,
        birth_date: date("DBB", get("DBB", "date of birth")?, canadian)?,
        expiry_date: date("DBA", get("DBA", "expiry date")?, canadian)?,
        sex: match elements.get("DBC").copied() {
            Some("1") | Some("M") => Sex::Male,
            Some("2") | Some("F") => Sex::Female,
            _ => Sex::Unspecified,
        },
        under_18_until: optional_date("DDH")?,
        under_19_until: optional_date("DDI")?,
        under_21_until: optional_date("DDJ")?,
        country,
    })
}

impl crate::CodedError for AamvaError {
    fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::DocumentInvalid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample of the AAMVA DL/ID Card Design Standard (2016), with the under-age elements added.
    const US: &str = "@\n\x1e\rANSI 636000090002DL00410278ZV03190008DLDAQT64235789\nDCSSAMPLE\nDDEN\nDACMICHAEL\nDDFN\nDADJOHN\nDDGN\nDCUJR\nDCAD\nDCBK\nDCDPH\nDBD06062016\nDBB06062008\nDBA12102030\nDBC1\nDAU068 in\nDAYBRO\nDAG2300 WEST BROAD STREET\nDAIRICHMOND\nDAJVA\nDAK232690000  \nDCF2424244747474786102204\nDCGUSA\nDCK123456789\nDDAF\nDDB06062008\nDDH06062026\nDDI06062027\nDDJ06062029\rZVZVA01\r";

    #[test]
    fn us_licence_with_under_age_dates() {
        let l = parse(US).unwrap();
        assert_eq!(l.issuer, "636000");
        assert_eq!(l.aamva_version, 9);
        assert_eq!(l.document_number, "T64235789");
        assert_eq!((l.family_name.as_str(), l.given_names.as_str()), ("SAMPLE", "MICHAEL JOHN"));
        assert_eq!(l.birth_date, CalendarDate { year: 2008, month: 6, day: 6 });
        assert_eq!(l.expiry_date, CalendarDate { year: 2030, month: 12, day: 10 });
        assert_eq!(l.sex, Sex::Male);
        assert_eq!(l.under_18_until, Some(CalendarDate { year: 2026, month: 6, day: 6 }));
        assert_eq!(l.under_21_until, Some(CalendarDate { year: 2029, month: 6, day: 6 }));
        assert!(!l.is_expired(CalendarDate { year: 2026, month: 11, day: 26 }));
    }

    #[test]
    fn canadian_dates_are_year_first() {
        let ca =
            US.replace("DBB06062008", "DBB20080606").replace("DBA12102030", "DBA20301210").replace("DCGUSA", "DCGCAN");
        let ca = ca.replace("DDH06062026\nDDI06062027\nDDJ06062029", "DDH20260606");
        let l = parse(&ca).unwrap();
        assert_eq!(l.birth_date, CalendarDate { year: 2008, month: 6, day: 6 });
        assert_eq!(l.expiry_date, CalendarDate { year: 2030, month: 12, day: 10 });
        assert_eq!(l.under_18_until, Some(CalendarDate { year: 2026, month: 6, day: 6 }));
    }

    #[test]
    fn malformed_payloads_name_what_is_wrong() {
        assert!(matches!(parse("hello"), Err(AamvaError::NotAamva(_))));
        assert!(matches!(parse("@\n\x1e\rANSI 63"), Err(AamvaError::NotAamva(_))));
        assert_eq!(
            parse(&US.replace("DAQT64235789", "DXQT64235789")),
            Err(AamvaError::Missing("DAQ", "document number"))
        );
        assert!(matches!(
            parse(&US.replace("DBB06062008", "DBB13452008")),
            Err(AamvaError::CalendarDate { element: "DBB", .. })
        ));
    }
}
