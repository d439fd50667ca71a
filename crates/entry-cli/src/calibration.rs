//! Thresholds across several identity sets: what the manifest's thresholds give on each set (per
//! use case: measured FMR and FNMR, pairs behind them, a 95% upper bound on the FMR), and a new
//! calibration that holds on every set (`entry eval SET... --calibrate`).
//!
//! An FMR estimate needs impostor pairs: with fewer than [`PAIRS_PER_RATE`] / FMR of them a set
//! says nothing about that rate (it cannot see a single false match at the threshold that gives
//! it), so it neither sets nor checks that threshold. A set's threshold for a rate is the lowest
//! at which the 95% upper bound on its FMR meets the rate, not the point estimate: the shipped
//! thresholds are used on faces none of these sets hold, and at 1e-4 even 78,000 pairs rest the
//! point estimate on 7 false matches.

use entry_core::model::{Calibration, FmrThreshold};
use entry_core::policy::{MatchPolicy, UseCase};
use serde::Serialize;

use crate::metrics::{upper_bound, Scores};

/// Impostor pairs per unit of 1/FMR that a set needs before it estimates that FMR.
pub const PAIRS_PER_RATE: f64 = 3.0;

/// The rates a calibration carries (the manifest's).
pub const RATES: [f64; 3] = [1e-2, 1e-3, 1e-4];

/// Confidence of the upper bounds reported.
const CONFIDENCE: f64 = 0.95;

/// The use cases a manifest's thresholds serve, with the default policy's rates.
const USE_CASES: [(UseCase, &str); 4] = [
    (UseCase::Login, "login"),
    (UseCase::AccountRecovery, "account_recovery"),
    (UseCase::HighValuePayment, "high_value_payment"),
    (UseCase::DocumentMatch, "document_match"),
];

/// The scores of one identity set.
pub struct SetScores {
    /// The set's folder name.
    pub name: String,
    /// Its genuine and impostor scores.
    pub scores: Scores,
}

/// True when `pairs` impostor pairs are enough to estimate `fmr`.
pub fn enough_pairs(pairs: usize, fmr: f64) -> bool {
    pairs as f64 >= PAIRS_PER_RATE / fmr
}

/// What a manifest threshold gives on one set for one use case.
#[derive(Debug, Serialize)]
pub struct ManifestPoint {
    pub use_case: &'static str,
    pub target_fmr: f64,
    pub threshold: f32,
    pub measured_fmr: f64,
    /// One-sided 95% Clopper-Pearson bound on the FMR given the false matches seen.
    pub fmr_upper_95: f64,
    pub measured_fnmr: f64,
    pub impostor_pairs: usize,
    /// Whether `impostor_pairs` is enough to estimate `target_fmr` (see [`PAIRS_PER_RATE`]).
    pub enough_pairs: bool,
}

/// The manifest's operating points for every use case of the default policy, measured on `scores`.
pub fn manifest_points(calibration: &Calibration, scores: &Scores) -> Result<Vec<ManifestPoint>, String> {
    let policy = MatchPolicy::default();
    USE_CASES
        .iter()
        .map(|&(use_case, name)| {
            let target_fmr = policy.fmr(use_case);
            let threshold = calibration.threshold_for(target_fmr).map_err(|e| e.to_string())?;
            let (measured_fmr, false_matches) = scores.fmr_at(threshold);
            let pairs = scores.impostor.len();
            Ok(ManifestPoint {
                use_case: name,
                target_fmr,
                threshold,
                measured_fmr,
                fmr_upper_95: upper_bound(false_matches, pairs, CONFIDENCE),
                measured_fnmr: scores.fnmr_at(threshold),
                impostor_pairs: pairs,
                enough_pairs: enough_pairs(pairs, target_fmr),
            })
        })
        .collect()
}

/// One rate of a calibration over several sets.
#[derive(Debug, Serialize)]
pub struct RateAcrossSets {
    pub fmr: f64,
    /// Each set's own threshold for the rate, bounded at 95% (`None`: too few impostor pairs).
    pub per_set: Vec<(String, Option<f32>)>,
    /// The threshold over every set's impostors together (enough pairs counted over all).
    pub pooled: Option<f32>,
    /// The strictest per-set threshold: it holds on every set that can estimate the rate.
    pub threshold: Option<f32>,
    /// The set that sets it.
    pub set_by: Option<String>,
    /// The highest 95% upper bound on the FMR at `threshold` over the sets that estimate the rate.
    pub worst_fmr_upper_95: Option<f64>,
}

/// The threshold `scores` give for `fmr` at 95% confidence, if they have enough impostor pairs.
fn bounded_threshold(scores: &Scores, fmr: f64) -> Option<f32> {
    scores.threshold_bounded(fmr, CONFIDENCE).filter(|_| enough_pairs(scores.impostor.len(), fmr))
}

/// For every rate in [`RATES`], the threshold that holds on each set with enough pairs.
pub fn across_sets(sets: &[SetScores]) -> Vec<RateAcrossSets> {
    let pooled =
        Scores { genuine: Vec::new(), impostor: sets.iter().flat_map(|s| s.scores.impostor.iter().copied()).collect() };
    RATES
        .iter()
        .map(|&fmr| {
            let per_set: Vec<(String, Option<f32>)> =
                sets.iter().map(|s| (s.name.clone(), bounded_threshold(&s.scores, fmr))).collect();
            let strictest =
                per_set.iter().filter_map(|(name, t)| t.map(|t| (name, t))).max_by(|a, b| a.1.total_cmp(&b.1));
            let worst_fmr_upper_95 = strictest.map(|(_, t)| {
                sets.iter()
                    .filter(|s| enough_pairs(s.scores.impostor.len(), fmr))
                    .map(|s| upper_bound(s.scores.fmr_at(t).1, s.scores.impostor.len(), CONFIDENCE))
                    .fold(0.0, f64::max)
            });
            RateAcrossSets {
                fmr,
                pooled: bounded_threshold(&pooled, fmr),
                threshold: strictest.map(|(_, t)| t),
                set_by: strictest.map(|(name, _)| name.clone()),
                worst_fmr_upper_95,
                per_set,
            }
        })
        .collect()
}

/// The manifest `calibration` block for `rates` (rates no set could estimate are left out).
pub fn as_calibration(rates: &[RateAcrossSets], sets: &[SetScores], command: &str) -> Calibration {
    let pairs: Vec<String> = sets.iter().map(|s| format!("{} {}", s.name, s.scores.impostor.len())).collect();
    Calibration {
        method: format!(
            "impostor cosine scores of this pipeline ({command}); per rate, the strictest threshold over the \
             sets with at least {PAIRS_PER_RATE}/FMR impostor pairs (impostor pairs: {}), each set's being the \
             lowest at which the 95% upper bound on its FMR meets the rate",
            pairs.join(", ")
        ),
        thresholds: rates
            .iter()
            .filter_map(|r| r.threshold.map(|threshold| FmrThreshold { fmr: r.fmr, threshold }))
            .collect(),
    }
}

/// A calibration with `thresholds` at [`RATES`], for unit tests.
#[cfg(test)]
pub fn for_tests(thresholds: [f32; 3]) -> Calibration {
    Calibration {
        method: "test".into(),
        thresholds: RATES.iter().zip(thresholds).map(|(&fmr, threshold)| FmrThreshold { fmr, threshold }).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(name: &str, impostor: Vec<f32>) -> SetScores {
        SetScores { name: name.into(), scores: Scores { genuine: vec![0.9; 10], impostor } }
    }

    #[test]
    fn the_strictest_set_with_enough_pairs_sets_each_rate() {
        // Set a: 1000 impostors spread over [0, 0.5); set b: 300 higher ones; set c: 10 very high.
        let a = set("a", (0..1000).map(|i| i as f32 / 2000.0).collect());
        let b = set("b", (0..300).map(|i| 0.2 + i as f32 / 600.0).collect());
        let c = set("c", vec![0.95; 10]);
        let rates = across_sets(&[a, b, c]);
        let at_1e2 = &rates[0];
        assert_eq!(at_1e2.set_by.as_deref(), Some("b"), "c has too few pairs to speak for 1e-2");
        assert_eq!(at_1e2.per_set[2].1, None);
        // 300 pairs at 1e-2 allow no false match within the 95% bound: just above b's highest.
        assert!((at_1e2.threshold.unwrap() - (0.2 + 299.0 / 600.0)).abs() < 1e-6);
        // 1e-3 needs 3000 pairs: no single set has them; the pooled 1310 do not either.
        assert_eq!(rates[1].threshold, None);
        assert_eq!(rates[1].pooled, None);
        assert!(at_1e2.worst_fmr_upper_95.unwrap() <= 0.01, "every set's bound meets the target");
    }

    #[test]
    fn manifest_points_report_each_use_case() {
        let calibration = for_tests([0.3, 0.4, 0.5]);
        let scores =
            Scores { genuine: vec![0.35, 0.45, 0.55, 0.65], impostor: (0..4000).map(|i| i as f32 / 9000.0).collect() };
        let points = manifest_points(&calibration, &scores).unwrap();
        let login = points.iter().find(|p| p.use_case == "login").unwrap();
        assert_eq!(login.threshold, 0.4);
        assert!(login.enough_pairs);
        // Impostors at or above 0.4: i >= 3600, 400 of 4000.
        assert!((login.measured_fmr - 0.1).abs() < 1e-9);
        assert!((login.measured_fnmr - 0.25).abs() < 1e-9);
        let recovery = points.iter().find(|p| p.use_case == "account_recovery").unwrap();
        assert_eq!(recovery.threshold, 0.5);
        assert!(!recovery.enough_pairs, "4000 pairs cannot estimate 1e-4");
    }
}
