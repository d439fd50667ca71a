//! Match decisions per use: each use names a target false-match rate, looked up in the model's
//! calibration; scores between the fallback and the decision threshold ask for another factor.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::model::Calibration;

/// Why the app is matching a face; stricter uses demand rarer false matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UseCase {
    /// Signing in.
    Login,
    /// Regaining an account (stricter).
    AccountRecovery,
    /// Approving a large payment (stricter).
    HighValuePayment,
    /// A live face against the photo printed on an identity document.
    DocumentMatch,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
/// What a score means for a use case.
pub enum Decision {
    /// The same person at the use case's false-match rate.
    Accept,
    /// Close, but not close enough for this use: ask for another factor. Counted towards a lockout
    /// like a failure (an uncounted near miss is a free retry for hill-climbing).
    FallbackRequired,
    /// Clearly not the same person.
    Reject,
}

/// Target false-match rates per use and the rate below which a score is "clearly an impostor".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
pub struct MatchPolicy {
    /// Target false-match rate for `login`.
    pub login_fmr: f64,
    /// Target false-match rate for `account_recovery`.
    pub account_recovery_fmr: f64,
    /// Target false-match rate for `high_value_payment`.
    pub high_value_payment_fmr: f64,
    /// Document photos are older and printed small: kept separate so an app can set it on its own.
    pub document_match_fmr: f64,
    /// Scores whose false-match rate is above this are rejected outright.
    pub fallback_fmr: f64,
}

impl Default for MatchPolicy {
    fn default() -> Self {
        MatchPolicy {
            login_fmr: 1e-3,
            account_recovery_fmr: 1e-4,
            high_value_payment_fmr: 1e-4,
            document_match_fmr: 1e-3,
            fallback_fmr: 1e-2,
        }
    }
}

impl MatchPolicy {
    /// The target false-match rate of `use_case`.
    pub fn fmr(&self, use_case: UseCase) -> f64 {
        match use_case {
            UseCase::Login => self.login_fmr,
            UseCase::AccountRecovery => self.account_recovery_fmr,
            UseCase::HighValuePayment => self.high_value_payment_fmr,
            UseCase::DocumentMatch => self.document_match_fmr,
        }
    }

    /// The decision for `score` under `use_case`, with the embedder's calibration.
    pub fn decide(&self, calibration: &Calibration, use_case: UseCase, score: f32) -> Result<Decision> {
        let accept = calibration.threshold_for(self.fmr(use_case))?;
        let fallback = calibration.threshold_for(self.fallback_fmr)?;
        Ok(Self::decision(score, accept, fallback))
    }

    /// The decision for the best `score` of a search over `gallery_size` templates: both rates
    /// hold per search, not per comparison (see [`Calibration::threshold_for_search`]), so a
    /// larger gallery needs a higher score.
    pub fn decide_search(
        &self,
        calibration: &Calibration,
        use_case: UseCase,
        gallery_size: usize,
        score: f32,
    ) -> Result<Decision> {
        let accept = calibration.threshold_for_search(self.fmr(use_case), gallery_size)?;
        let fallback = calibration.threshold_for_search(self.fallback_fmr, gallery_size)?;
        Ok(Self::decision(score, accept, fallback))
    }

    fn decision(score: f32, accept: f32, fallback: f32) -> Decision {
        if score >= accept {
            Decision::Accept
        } else if score >= fallback {
            Decision::FallbackRequired
        } else {
            Decision::Reject
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stricter_uses_need_higher_scores() {
        let c = Calibration::three_point_for_tests();
        let p = MatchPolicy::default();
        assert_eq!(p.decide(&c, UseCase::Login, 0.35).unwrap(), Decision::Accept);
        assert_eq!(p.decide(&c, UseCase::HighValuePayment, 0.35).unwrap(), Decision::FallbackRequired);
        assert_eq!(p.decide(&c, UseCase::AccountRecovery, 0.41).unwrap(), Decision::Accept);
        assert_eq!(p.decide(&c, UseCase::Login, 0.1).unwrap(), Decision::Reject);
        let strict = MatchPolicy { high_value_payment_fmr: 1e-6, ..p };
        assert!(
            strict.decide(&c, UseCase::HighValuePayment, 0.9).is_err(),
            "uncalibrated rate is an error, not a guess"
        );
    }

    #[test]
    fn a_larger_gallery_needs_a_higher_score() {
        let c = Calibration::three_point_for_tests();
        let p = MatchPolicy::default();
        assert_eq!(p.decide_search(&c, UseCase::Login, 1, 0.35).unwrap(), Decision::Accept);
        assert_eq!(p.decide_search(&c, UseCase::Login, 10, 0.35).unwrap(), Decision::FallbackRequired);
        assert_eq!(p.decide_search(&c, UseCase::Login, 10, 0.41).unwrap(), Decision::Accept);
        // 1000 templates: accept at 1e-6 per comparison (0.6), fall back from 1e-5 (0.5).
        assert_eq!(p.decide_search(&c, UseCase::Login, 1000, 0.61).unwrap(), Decision::Accept);
        assert_eq!(p.decide_search(&c, UseCase::Login, 1000, 0.55).unwrap(), Decision::FallbackRequired);
        assert_eq!(p.decide_search(&c, UseCase::Login, 1000, 0.41).unwrap(), Decision::Reject);
    }
}
