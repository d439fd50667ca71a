//! Age policies as data: a named minimum age, checked against a date of birth on a given day.
//! Built-in rules: COPPA (parental consent under 13, USA), the GDPR Article 8 digital-consent age of
//! each EU member state (16 unless the state set 13, 14 or 15), and 18+ for alcohol and gambling.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::CalendarDate;

/// A minimum age with the name the audit log and the UI use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AgeRule {
    /// Shown in the audit log and the UI, e.g. `coppa-13`.
    pub name: String,
    /// Completed years needed to meet the rule.
    pub minimum_age: u8,
}

/// GDPR Article 8: member states that set the age of digital consent below 16.
const EU_CONSENT_AGES: [(&str, u8); 18] = [
    ("BE", 13),
    ("DK", 13),
    ("EE", 13),
    ("FI", 13),
    ("LV", 13),
    ("MT", 13),
    ("PT", 13),
    ("SE", 13),
    ("AT", 14),
    ("BG", 14),
    ("CY", 14),
    ("ES", 14),
    ("IT", 14),
    ("LT", 14),
    ("CZ", 15),
    ("FR", 15),
    ("GR", 15),
    ("SI", 15),
];

impl AgeRule {
    /// A rule of the app's own.
    pub fn custom(name: impl Into<String>, minimum_age: u8) -> AgeRule {
        AgeRule { name: name.into(), minimum_age }
    }

    /// COPPA: under 13 needs verifiable parental consent.
    pub fn coppa() -> AgeRule {
        AgeRule::custom("coppa-13", 13)
    }

    /// Digital-consent age for an EU member state (ISO 3166 alpha-2; 16 where the state kept the
    /// GDPR default, and for codes it does not list).
    pub fn eu_digital_consent(country: &str) -> AgeRule {
        let code = country.trim().to_ascii_uppercase();
        let code = if code == "EL" { "GR".to_string() } else { code };
        let age = EU_CONSENT_AGES.iter().find(|(c, _)| *c == code).map_or(16, |(_, a)| *a);
        AgeRule { name: format!("eu-digital-consent-{code}"), minimum_age: age }
    }

    /// 18+ for alcohol.
    pub fn alcohol_18() -> AgeRule {
        AgeRule::custom("alcohol-18", 18)
    }

    /// 18+ for gambling.
    pub fn gambling_18() -> AgeRule {
        AgeRule::custom("gambling-18", 18)
    }

    /// A built-in rule by the name an app configures: `coppa`, `alcohol`, `gambling`, or
    /// `eu-digital-consent` with an ISO 3166 country code; `None` for anything else.
    pub fn named(name: &str, country: Option<&str>) -> Option<AgeRule> {
        match (name, country) {
            ("coppa", _) => Some(AgeRule::coppa()),
            ("alcohol", _) => Some(AgeRule::alcohol_18()),
            ("gambling", _) => Some(AgeRule::gambling_18()),
            ("eu-digital-consent", Some(country)) => Some(AgeRule::eu_digital_consent(country)),
            _ => None,
        }
    }

    /// The decision for someone born on `birth`, on `today`. `guardian_flow` says whether the app
    /// runs a verified guardian-consent flow: without one, nothing biometric is kept for a minor.
    pub fn check(&self, birth: CalendarDate, today: CalendarDate, guardian_flow: bool) -> AgeDecision {
        let age = birth.age_on(today);
        let meets = age >= self.minimum_age as i32;
        AgeDecision {
            rule: self.name.clone(),
            age,
            meets,
            needs_guardian: !meets,
            may_store_template: meets || guardian_flow,
        }
    }
}

/// The outcome of an age rule. `may_store_template` is false for an under-age user unless a
/// guardian flow is configured (data minimisation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AgeDecision {
    /// The rule's name.
    pub rule: String,
    /// Completed years on the day checked.
    pub age: i32,
    /// Whether the age meets the rule.
    pub meets: bool,
    /// Under the minimum: a guardian must consent.
    pub needs_guardian: bool,
    /// Whether a template may be kept (of-age, or a guardian flow is configured).
    pub may_store_template: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: CalendarDate = CalendarDate { year: 2026, month: 11, day: 26 };

    fn born(y: i32, m: u8, d: u8) -> CalendarDate {
        CalendarDate::new(y, m, d).unwrap()
    }

    #[test]
    fn eighteen_on_the_birthday_not_the_day_before() {
        let rule = AgeRule::alcohol_18();
        assert!(rule.check(born(2008, 11, 26), TODAY, false).meets);
        assert!(!rule.check(born(2008, 11, 27), TODAY, false).meets);
        // A leap-day birthday: 18 on 1 March of a common year.
        assert!(!rule.check(born(2008, 2, 29), born(2026, 2, 28), false).meets);
        assert!(rule.check(born(2008, 2, 29), born(2026, 3, 1), false).meets);
    }

    #[test]
    fn coppa_minors_keep_no_template_without_a_guardian_flow() {
        let d = AgeRule::coppa().check(born(2015, 1, 1), TODAY, false);
        assert_eq!((d.age, d.meets, d.needs_guardian, d.may_store_template), (11, false, true, false));
        assert!(AgeRule::coppa().check(born(2015, 1, 1), TODAY, true).may_store_template);
        assert!(AgeRule::coppa().check(born(2010, 1, 1), TODAY, false).may_store_template);
    }

    #[test]
    fn eu_consent_ages_by_member_state() {
        assert_eq!(AgeRule::eu_digital_consent("de").minimum_age, 16);
        assert_eq!(AgeRule::eu_digital_consent("FR").minimum_age, 15);
        assert_eq!(AgeRule::eu_digital_consent("ES").minimum_age, 14);
        assert_eq!(AgeRule::eu_digital_consent("BE").minimum_age, 13);
        assert_eq!(AgeRule::eu_digital_consent("EL").minimum_age, 15);
        assert_eq!(AgeRule::eu_digital_consent("IE").minimum_age, 16);
        let fourteen = born(2012, 6, 1);
        assert!(AgeRule::eu_digital_consent("IT").check(fourteen, TODAY, false).meets);
        assert!(!AgeRule::eu_digital_consent("NL").check(fourteen, TODAY, false).meets);
    }
}
