use entry_core::documents::{self as core, AgeRule, CalendarDate};
use entry_core::ErrorCode;
use wasm_bindgen::prelude::*;

use crate::{coded_error, from_js, js_error, to_js};

fn today(unix_seconds: f64) -> CalendarDate {
    CalendarDate::from_unix_seconds(unix_seconds as i64)
}

/// Parses an ICAO 9303 MRZ (TD1, TD2, TD3, MRV-A/B); errors are named DOCUMENT_INVALID and say
/// which field failed.
#[wasm_bindgen(js_name = parseMrz)]
pub fn parse_mrz(text: &str, unix_seconds: f64) -> Result<JsValue, JsValue> {
    to_js(&core::parse_mrz(text, today(unix_seconds)).map_err(js_error)?)
}

/// Parses the text of an AAMVA licence barcode (PDF417).
#[wasm_bindgen(js_name = parseAamva)]
pub fn parse_aamva(payload: &str) -> Result<JsValue, JsValue> {
    to_js(&core::parse_aamva(payload).map_err(js_error)?)
}

/// A built-in age rule: "coppa", "alcohol", "gambling", or "eu-digital-consent" with a country code.
#[wasm_bindgen(js_name = ageRule)]
pub fn age_rule(name: &str, country: Option<String>) -> Result<JsValue, JsValue> {
    let rule = AgeRule::named(name, country.as_deref()).ok_or_else(|| {
        coded_error(ErrorCode::InvalidConfiguration, format!("unknown age rule {name:?} (or no country)"))
    })?;
    to_js(&rule)
}

/// Checks `{year, month, day}` against a rule (`{name, minimum_age}`) on the given day.
#[wasm_bindgen(js_name = checkAge)]
pub fn check_age(birth: JsValue, rule: JsValue, unix_seconds: f64, guardian_flow: bool) -> Result<JsValue, JsValue> {
    let birth: CalendarDate = from_js(birth, "date of birth")?;
    let birth = CalendarDate::new(birth.year, birth.month, birth.day)
        .ok_or_else(|| coded_error(ErrorCode::InvalidConfiguration, format!("{birth} is not a calendar date")))?;
    let rule: AgeRule = from_js(rule, "age rule")?;
    to_js(&rule.check(birth, today(unix_seconds), guardian_flow))
}
