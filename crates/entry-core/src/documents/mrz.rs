//! ICAO Doc 9303 machine-readable zones: TD1 (3x30), TD2 (2x36), TD3 passports (2x44) and MRV-A/B
//! visas (2x44, 2x36). Every check digit is verified, including the composite. Letters that OCR
//! reads for digits (O/0, I/1, B/8, S/5, Z/2, G/6) are repaired in digit-only fields and check
//! digits, and only where the check digit then confirms the field; names, codes and document
//! numbers are never guessed.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::CalendarDate;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
/// The ICAO 9303 layout of an MRZ.
pub enum MrzFormat {
    /// ID card, 3 lines of 30.
    Td1,
    /// ID card, 2 lines of 36.
    Td2,
    /// Passport, 2 lines of 44.
    Td3,
    /// Visa, 2 lines of 44.
    MrvA,
    /// Visa, 2 lines of 36.
    MrvB,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
/// Sex as printed.
pub enum Sex {
    /// `F`
    Female,
    /// `M`
    Male,
    /// `<` or `X`.
    Unspecified,
}

/// A parsed, check-digit-verified MRZ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Mrz {
    /// The layout read.
    pub format: MrzFormat,
    /// `P<`, `I<`, `V<`, `ID`, ... with fillers removed.
    pub document_code: String,
    /// Issuing state or organisation (ICAO 3-letter code).
    pub issuing_state: String,
    /// Primary identifier.
    pub surname: String,
    /// Secondary identifiers, space separated.
    pub given_names: String,
    /// Document number, fillers removed.
    pub document_number: String,
    /// Nationality (ICAO 3-letter code).
    pub nationality: String,
    /// Date of birth (century chosen so it is not in the future).
    pub birth_date: CalendarDate,
    /// Sex as printed.
    pub sex: Sex,
    /// Date of expiry.
    pub expiry_date: CalendarDate,
    /// Optional data fields, fillers removed.
    pub optional_data: Vec<String>,
    /// Fields whose OCR confusions were repaired (and confirmed by their check digit).
    pub repaired: Vec<&'static str>,
}

impl Mrz {
    /// True when the document expired before `today`.
    pub fn is_expired(&self, today: CalendarDate) -> bool {
        self.expiry_date < today
    }
}

/// What is wrong with an MRZ, naming the field.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum MrzError {
    /// Not one of the ICAO layouts.
    #[error("{lines} line(s) of lengths {lengths:?}: not TD1 (3x30), TD2/MRV-B (2x36) or TD3/MRV-A (2x44)")]
    Layout {
        /// Lines found.
        lines: usize,
        /// Their lengths.
        lengths: Vec<usize>,
    },
    /// A character outside the MRZ alphabet.
    #[error("line {line}, column {column}: {found:?} is not an MRZ character (A-Z, 0-9, <)")]
    Character {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The character.
        found: char,
    },
    /// A check digit does not match its field.
    #[error("{field}: check digit {found:?} does not match {expected}")]
    CheckDigit {
        /// The field the digit guards.
        field: &'static str,
        /// The digit the field computes to.
        expected: char,
        /// The digit printed.
        found: char,
    },
    /// A date field is not a calendar date.
    #[error("{field}: {value:?} is not a valid date")]
    CalendarDate {
        /// The field.
        field: &'static str,
        /// Its text.
        value: String,
    },
    /// Any other field that does not parse.
    #[error("{field}: {value:?} is malformed")]
    Field {
        /// The field.
        field: &'static str,
        /// Its text.
        value: String,
    },
}

fn char_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some((c - b'0') as u32),
        b'A'..=b'Z' => Some((c - b'A') as u32 + 10),
        b'<' => Some(0),
        _ => None,
    }
}

/// The 9303 check digit: weights 7, 3, 1 repeating, sum modulo 10.
pub fn check_digit(field: &str) -> Option<char> {
    let mut sum = 0;
    for (i, c) in field.bytes().enumerate() {
        sum += char_value(c)? * [7, 3, 1][i % 3];
    }
    Some(char::from(b'0' + (sum % 10) as u8))
}

/// Letters OCR reads where a digit is printed.
fn as_digit(c: char) -> char {
    match c {
        'O' | 'Q' | 'D' => '0',
        'I' | 'L' => '1',
        'Z' => '2',
        'S' => '5',
        'G' => '6',
        'B' => '8',
        other => other,
    }
}

/// A field and its check digit. Numeric fields (dates) may only hold digits, so a letter there is
/// certainly an OCR confusion: it is mapped to its digit and kept only if the check digit then
/// agrees. Alphanumeric fields (document numbers) are never repaired: a letter and a digit are both
/// legal there, and with several confusable characters some substitution would pass by chance.
fn verified(
    field_name: &'static str,
    field: &str,
    check: char,
    numeric: bool,
    repaired: &mut Vec<&'static str>,
) -> Result<String, MrzError> {
    let all_digits = |f: &str| f.bytes().all(|b| b.is_ascii_digit());
    if check_digit(field) == Some(check) && (!numeric || all_digits(field)) {
        return Ok(field.to_string());
    }
    let candidate: String = if numeric { field.chars().map(as_digit).collect() } else { field.to_string() };
    let check_fixed = as_digit(check);
    let expected = check_digit(&candidate).unwrap_or('?');
    if numeric && all_digits(&candidate) && expected == check_fixed {
        repaired.push(field_name);
        return Ok(candidate);
    }
    Err(MrzError::CheckDigit { field: field_name, expected, found: check })
}

fn letters_only(field_name: &'static str, value: &str) -> Result<String, MrzError> {
    if value.bytes().all(|b| b.is_ascii_uppercase() || b == b'<') {
        Ok(value.trim_end_matches('<').replace('<', " "))
    } else {
        Err(MrzError::Field { field: field_name, value: value.into() })
    }
}

fn names(value: &str) -> Result<(String, String), MrzError> {
    if !value.bytes().all(|b| b.is_ascii_uppercase() || b == b'<') {
        return Err(MrzError::Field { field: "names", value: value.into() });
    }
    let (surname, given) = value.split_once("<<").unwrap_or((value, ""));
    let clean = |s: &str| s.split('<').filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ");
    Ok((clean(surname), clean(given)))
}

fn sex(c: char) -> Result<Sex, MrzError> {
    match c {
        'F' => Ok(Sex::Female),
        'M' => Ok(Sex::Male),
        '<' | 'X' => Ok(Sex::Unspecified),
        other => Err(MrzError::Field { field: "sex", value: other.to_string() }),
    }
}

/// YYMMDD -> a date. Births are never in the future: the latest century not after `today`.
/// Expiry dates lie within 50 years of `today` either way.
fn date(field_name: &'static str, yymmdd: &str, today: CalendarDate, birth: bool) -> Result<CalendarDate, MrzError> {
    let bad = || MrzError::CalendarDate { field: field_name, value: yymmdd.into() };
    let n = |r: std::ops::Range<usize>| yymmdd.get(r).and_then(|s| s.parse::<u8>().ok()).ok_or_else(bad);
    let (yy, mm, dd) = (n(0..2)? as i32, n(2..4)?, n(4..6)?);
    let century = today.year - today.year.rem_euclid(100);
    let year = if birth {
        let y = century + yy;
        if (y, mm, dd) > (today.year, today.month, today.day) {
            y - 100
        } else {
            y
        }
    } else {
        let y = century + yy;
        if y > today.year + 50 {
            y - 100
        } else if y < today.year - 50 {
            y + 100
        } else {
            y
        }
    };
    CalendarDate::new(year, mm, dd).ok_or_else(bad)
}

fn layout(lines: &[String]) -> Result<MrzFormat, MrzError> {
    let visa = lines.first().is_some_and(|l| l.starts_with('V'));
    let lengths: Vec<usize> = lines.iter().map(|l| l.len()).collect();
    Ok(match (lines.len(), lengths.first()) {
        (3, Some(30)) if lengths.iter().all(|l| *l == 30) => MrzFormat::Td1,
        (2, Some(36)) if lengths[1] == 36 => {
            if visa {
                MrzFormat::MrvB
            } else {
                MrzFormat::Td2
            }
        }
        (2, Some(44)) if lengths[1] == 44 => {
            if visa {
                MrzFormat::MrvA
            } else {
                MrzFormat::Td3
            }
        }
        _ => return Err(MrzError::Layout { lines: lines.len(), lengths }),
    })
}

/// Parses an MRZ (lines separated by newlines; spaces and case are forgiven) on the date `today`,
/// which resolves two-digit years.
pub fn parse(text: &str, today: CalendarDate) -> Result<Mrz, MrzError> {
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase())
        .filter(|l| !l.is_empty())
        .collect();
    for (i, l) in lines.iter().enumerate() {
        if let Some((column, found)) = l.chars().enumerate().find(|(_, c)| !matches!(c, 'A'..='Z' | '0'..='9' | '<')) {
            return Err(MrzError::Character { line: i + 1, column: column + 1, found });
        }
    }
    let format = layout(&lines)?;
    let mut repaired = Vec::new();
    let c = |l: &str, i: usize| l.as_bytes()[i] as char;
    let digit = |l: &str, i: usize| as_digit(l.as_bytes()[i] as char);
    match format {
        MrzFormat::Td1 => {
            let (l1, l2, l3) = (&lines[0], &lines[1], &lines[2]);
            // A number longer than 9 characters continues in optional data 1, its check digit last.
            let extended = c(l1, 14) == '<' && c(l1, 15) != '<';
            let (number, number_check, optional1) = if extended {
                let rest = &l1[15..30];
                let end = rest.find('<').unwrap_or(rest.len());
                if end < 2 {
                    return Err(MrzError::Field { field: "document number", value: l1[5..30].into() });
                }
                (format!("{}{}", &l1[5..14], &rest[..end - 1]), c(rest, end - 1), rest[end..].to_string())
            } else {
                (l1[5..14].to_string(), c(l1, 14), l1[15..30].to_string())
            };
            let number = verified("document number", &number, number_check, false, &mut repaired)?;
            let birth = verified("date of birth", &l2[0..6], c(l2, 6), true, &mut repaired)?;
            let expiry = verified("date of expiry", &l2[8..14], c(l2, 14), true, &mut repaired)?;
            // Composite over line 1 positions 6-30 and line 2 positions 1-7, 9-15 and 19-29, repaired.
            let line1_part = if extended {
                format!("{}<{}{}{}", &number[..9], &number[9..], as_digit(number_check), optional1)
            } else {
                format!("{number}{}{optional1}", as_digit(number_check))
            };
            let composite = format!("{line1_part}{birth}{}{expiry}{}{}", digit(l2, 6), digit(l2, 14), &l2[18..29]);
            composite_check(&composite, c(l2, 29))?;
            let optional = [optional1.as_str(), &l2[18..29]].map(String::from).to_vec();
            let printed = Printed { names: l3, nationality: &l2[15..18], sex: c(l2, 7), optional };
            assemble(format, l1, &number, &birth, &expiry, printed, today, repaired)
        }
        MrzFormat::Td2 | MrzFormat::Td3 | MrzFormat::MrvA | MrzFormat::MrvB => {
            let (l1, l2) = (&lines[0], &lines[1]);
            let width = l1.len();
            let number = verified("document number", &l2[0..9], c(l2, 9), false, &mut repaired)?;
            let birth = verified("date of birth", &l2[13..19], c(l2, 19), true, &mut repaired)?;
            let expiry = verified("date of expiry", &l2[21..27], c(l2, 27), true, &mut repaired)?;
            let optional = match format {
                MrzFormat::Td3 => {
                    // Personal number with its own check digit ('<' allowed when it is empty).
                    let field = &l2[28..42];
                    let check = c(l2, 42);
                    if !(check == '<' && field.bytes().all(|b| b == b'<')) {
                        verified("personal number", field, check, false, &mut repaired)?;
                    }
                    field.to_string()
                }
                MrzFormat::Td2 => l2[28..35].to_string(),
                MrzFormat::MrvA => l2[28..44].to_string(),
                MrzFormat::MrvB | MrzFormat::Td1 => l2[28..36].to_string(),
            };
            // Composite over the number, dates and optional data with their check digits (none on visas).
            let composite_end = match format {
                MrzFormat::Td3 => Some(43),
                MrzFormat::Td2 => Some(35),
                _ => None,
            };
            if let Some(end) = composite_end {
                let composite = format!(
                    "{number}{}{birth}{}{expiry}{}{}",
                    digit(l2, 9),
                    digit(l2, 19),
                    digit(l2, 27),
                    &l2[28..end]
                );
                composite_check(&composite, c(l2, end))?;
            }
            let printed =
                Printed { names: &l1[5..width], nationality: &l2[10..13], sex: c(l2, 20), optional: vec![optional] };
            assemble(format, l1, &number, &birth, &expiry, printed, today, repaired)
        }
    }
}

/// The fields no check digit covers, as printed.
struct Printed<'a> {
    names: &'a str,
    nationality: &'a str,
    sex: char,
    optional: Vec<String>,
}

/// Builds the document from verified fields and validates the rest.
#[allow(clippy::too_many_arguments)]
fn assemble(
    format: MrzFormat,
    line1: &str,
    number: &str,
    birth: &str,
    expiry: &str,
    printed: Printed,
    today: CalendarDate,
    repaired: Vec<&'static str>,
) -> Result<Mrz, MrzError> {
    let (surname, given_names) = names(printed.names)?;
    Ok(Mrz {
        format,
        document_code: line1[0..2].trim_end_matches('<').into(),
        issuing_state: letters_only("issuing state", &line1[2..5])?,
        surname,
        given_names,
        document_number: number.trim_end_matches('<').into(),
        nationality: letters_only("nationality", printed.nationality)?,
        birth_date: date("date of birth", birth, today, true)?,
        sex: sex(printed.sex)?,
        expiry_date: date("date of expiry", expiry, today, false)?,
        optional_data: printed
            .optional
            .iter()
            .map(|s| s.trim_end_matches('<').to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        repaired,
    })
}

fn composite_check(composite: &str, check: char) -> Result<(), MrzError> {
    let expected = check_digit(composite).unwrap_or('?');
    if expected == as_digit(check) {
        Ok(())
    } else {
        Err(MrzError::CheckDigit { field: "composite", expected, found: check })
    }
}

impl crate::CodedError for MrzError {
    fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::DocumentInvalid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: CalendarDate = CalendarDate { year: 2026, month: 11, day: 26 };

    fn lines(l: &[&str]) -> String {
        l.join("\n")
    }

    /// ICAO 9303 part 4 specimen passport.
    const TD3: [&str; 2] =
        ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"];
    /// ICAO 9303 part 5 specimen identity card.
    const TD1: [&str; 3] =
        ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"];
    /// ICAO 9303 part 6 specimen.
    const TD2: [&str; 2] = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"];
    /// ICAO 9303 part 7 specimen visas.
    const MRV_A: [&str; 2] =
        ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"];
    const MRV_B: [&str; 2] = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"];

    #[test]
    fn check_digits_of_the_specimens() {
        assert_eq!(check_digit("L898902C3"), Some('6'));
        assert_eq!(check_digit("740812"), Some('2'));
        assert_eq!(check_digit("120415"), Some('9'));
        assert_eq!(check_digit("D23145890"), Some('7'));
        assert_eq!(check_digit("ab"), None);
    }

    #[test]
    fn td3_passport_specimen() {
        let m = parse(&lines(&TD3), TODAY).unwrap();
        assert_eq!(m.format, MrzFormat::Td3);
        assert_eq!(m.document_code, "P");
        assert_eq!((m.surname.as_str(), m.given_names.as_str()), ("ERIKSSON", "ANNA MARIA"));
        assert_eq!(m.document_number, "L898902C3");
        assert_eq!((m.issuing_state.as_str(), m.nationality.as_str()), ("UTO", "UTO"));
        assert_eq!(m.birth_date, CalendarDate { year: 1974, month: 8, day: 12 });
        assert_eq!(m.expiry_date, CalendarDate { year: 2012, month: 4, day: 15 });
        assert_eq!(m.sex, Sex::Female);
        assert_eq!(m.optional_data, vec!["ZE184226B".to_string()]);
        assert!(m.is_expired(TODAY));
        assert!(m.repaired.is_empty());
    }

    #[test]
    fn td1_td2_and_visa_specimens() {
        let td1 = parse(&lines(&TD1), TODAY).unwrap();
        assert_eq!(
            (td1.format, td1.document_number.as_str(), td1.surname.as_str()),
            (MrzFormat::Td1, "D23145890", "ERIKSSON")
        );
        assert_eq!(td1.birth_date, CalendarDate { year: 1974, month: 8, day: 12 });
        let td2 = parse(&lines(&TD2), TODAY).unwrap();
        assert_eq!((td2.format, td2.document_number.as_str()), (MrzFormat::Td2, "D23145890"));
        let a = parse(&lines(&MRV_A), TODAY).unwrap();
        assert_eq!(
            (a.format, a.document_number.as_str(), a.nationality.as_str()),
            (MrzFormat::MrvA, "L8988901C", "XXX")
        );
        assert_eq!(a.birth_date, CalendarDate { year: 1940, month: 9, day: 7 });
        assert_eq!(a.expiry_date, CalendarDate { year: 1996, month: 12, day: 10 });
        let b = parse(&lines(&MRV_B), TODAY).unwrap();
        assert_eq!((b.format, b.sex), (MrzFormat::MrvB, Sex::Female));
    }

    #[test]
    fn ocr_confusions_are_repaired_only_when_a_check_digit_confirms() {
        // O for 0 in the birth date, and I for 1 in the expiry date.
        let ocr = lines(&[TD3[0], &TD3[1].replace("7408122", "74O8122").replace("1204159", "I204159")]);
        let m = parse(&ocr, TODAY).unwrap();
        assert_eq!(m.birth_date, CalendarDate { year: 1974, month: 8, day: 12 });
        assert_eq!(m.repaired, vec!["date of birth", "date of expiry"]);
        // A wrong digit (not a confusion) is refused, naming the field.
        let wrong = lines(&[TD3[0], &TD3[1].replace("7408122", "7408132")]);
        assert!(matches!(parse(&wrong, TODAY), Err(MrzError::CheckDigit { field: "date of birth", .. })));
        // Names have no check digit: a digit in a name is an error, not a guess.
        let name = lines(&[&TD3[0].replace("ANNA", "ANN4"), TD3[1]]);
        assert!(matches!(parse(&name, TODAY), Err(MrzError::Field { field: "names", .. })));
    }

    #[test]
    fn composite_and_field_checks_name_the_field() {
        let composite = lines(&[TD3[0], &format!("{}1", &TD3[1][..43])]);
        assert!(matches!(parse(&composite, TODAY), Err(MrzError::CheckDigit { field: "composite", .. })));
        let number = lines(&[TD3[0], &TD3[1].replacen("L898902C36", "L898902C35", 1)]);
        assert!(matches!(parse(&number, TODAY), Err(MrzError::CheckDigit { field: "document number", .. })));
        let sex = lines(&[TD3[0], &TD3[1].replace("2F12", "2Q12")]);
        assert!(parse(&sex, TODAY).is_err());
        assert!(matches!(parse("P<UTO", TODAY), Err(MrzError::Layout { lines: 1, .. })));
        assert!(matches!(
            parse(&lines(&[TD3[0], &TD3[1].replace('Z', "$")]), TODAY),
            Err(MrzError::Character { line: 2, .. })
        ));
        let month13 = lines(&[TD1[0], &TD1[1].replace("7408122", "7413120"), TD1[2]]);
        assert!(parse(&month13, TODAY).is_err());
    }

    #[test]
    fn spaces_and_lower_case_are_forgiven() {
        let messy = format!("  {}  \n{}\n", TD3[0].to_lowercase(), TD3[1].replace("UTO", "U TO"));
        assert_eq!(parse(&messy, TODAY).unwrap().document_number, "L898902C3");
    }

    #[test]
    fn century_rule() {
        assert_eq!(date("d", "000101", TODAY, true).unwrap().year, 2000);
        assert_eq!(date("d", "261127", TODAY, true).unwrap().year, 1926, "a birth is never in the future");
        assert_eq!(date("d", "261126", TODAY, true).unwrap().year, 2026);
        assert_eq!(date("d", "350101", TODAY, false).unwrap().year, 2035);
        assert_eq!(date("d", "800101", TODAY, false).unwrap().year, 1980);
    }
}
