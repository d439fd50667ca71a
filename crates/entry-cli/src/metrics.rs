//! Biometric error rates from genuine and impostor score lists: ROC AUC, EER, TAR at a FAR, the
//! threshold that reaches a FAR, and 10-fold verification accuracy (the LFW protocol).

use serde::Serialize;

/// The scores of one evaluation.
#[derive(Clone, Debug, Default)]
pub struct Scores {
    pub genuine: Vec<f32>,
    pub impostor: Vec<f32>,
}

/// Operating point at one false-accept rate.
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
pub struct OperatingPoint {
    pub far: f64,
    pub threshold: f32,
    pub tar: f64,
    /// False accepts actually observed at the threshold (<= far).
    pub measured_far: f64,
}

fn sorted(v: &[f32]) -> Vec<f32> {
    let mut s = v.to_vec();
    s.sort_by(f32::total_cmp);
    s
}

/// Fraction of `sorted` at or above `t`.
fn fraction_at_or_above(sorted: &[f32], t: f32) -> f64 {
    let below = sorted.partition_point(|v| *v < t);
    (sorted.len() - below) as f64 / sorted.len().max(1) as f64
}

impl Scores {
    /// ROC AUC: the probability that a genuine score beats an impostor score (ties count half).
    pub fn roc_auc(&self) -> f64 {
        let imp = sorted(&self.impostor);
        if imp.is_empty() || self.genuine.is_empty() {
            return f64::NAN;
        }
        let total: f64 = self
            .genuine
            .iter()
            .map(|g| {
                let below = imp.partition_point(|v| v < g);
                let not_above = imp.partition_point(|v| v <= g);
                below as f64 + (not_above - below) as f64 / 2.0
            })
            .sum();
        total / (self.genuine.len() as f64 * imp.len() as f64)
    }

    /// Equal error rate and the threshold where false accepts and false rejects cross.
    pub fn eer(&self) -> (f64, f32) {
        let (gen, imp) = (sorted(&self.genuine), sorted(&self.impostor));
        let mut candidates: Vec<f32> = gen.iter().chain(&imp).copied().collect();
        candidates.sort_by(f32::total_cmp);
        candidates.dedup();
        let mut best = (f64::INFINITY, 0.0, 0.0f32);
        for t in candidates {
            let far = fraction_at_or_above(&imp, t);
            let frr = 1.0 - fraction_at_or_above(&gen, t);
            let gap = (far - frr).abs();
            if gap < best.0 {
                best = (gap, (far + frr) / 2.0, t);
            }
        }
        (best.1, best.2)
    }

    /// The lowest threshold whose false-accept rate does not exceed `far`, and the TAR there.
    pub fn at_far(&self, far: f64) -> OperatingPoint {
        let imp = sorted(&self.impostor);
        let gen = sorted(&self.genuine);
        let allowed = (far * imp.len() as f64).floor() as usize;
        // Accepting at most `allowed` impostors: the threshold sits just above the next one down.
        let threshold = if imp.is_empty() {
            f32::NEG_INFINITY
        } else if allowed >= imp.len() {
            imp[0]
        } else {
            let v = imp[imp.len() - 1 - allowed];
            f32::from_bits(if v >= 0.0 { v.to_bits() + 1 } else { v.to_bits() - 1 })
        };
        OperatingPoint {
            far,
            threshold,
            tar: fraction_at_or_above(&gen, threshold),
            measured_far: fraction_at_or_above(&imp, threshold),
        }
    }
}

impl Scores {
    /// The highest threshold whose false-reject rate does not exceed `frr`, and the false-accept
    /// rate there (liveness: APCER at a fixed BPCER, with live as genuine and attacks as impostor).
    pub fn at_frr(&self, frr: f64) -> OperatingPoint {
        let gen = sorted(&self.genuine);
        let imp = sorted(&self.impostor);
        let allowed = (frr * gen.len() as f64).floor() as usize;
        let threshold = gen.get(allowed).copied().unwrap_or(f32::INFINITY);
        OperatingPoint {
            far: fraction_at_or_above(&imp, threshold),
            threshold,
            tar: fraction_at_or_above(&gen, threshold),
            measured_far: fraction_at_or_above(&imp, threshold),
        }
    }
}

/// One labelled pair score for fold-based accuracy.
#[derive(Clone, Copy, Debug)]
pub struct LabelledScore {
    pub score: f32,
    pub same: bool,
    pub fold: usize,
}

fn accuracy(pairs: &[&LabelledScore], t: f32) -> f64 {
    let right = pairs.iter().filter(|p| (p.score >= t) == p.same).count();
    right as f64 / pairs.len().max(1) as f64
}

/// k-fold accuracy: for each fold the threshold is chosen on the other folds, then tested on it.
/// Returns (mean, standard deviation) over folds.
pub fn k_fold_accuracy(pairs: &[LabelledScore], folds: usize) -> (f64, f64) {
    let mut accs = Vec::new();
    for k in 0..folds {
        let train: Vec<&LabelledScore> = pairs.iter().filter(|p| p.fold != k).collect();
        let test: Vec<&LabelledScore> = pairs.iter().filter(|p| p.fold == k).collect();
        if test.is_empty() {
            continue;
        }
        let mut candidates: Vec<f32> = train.iter().map(|p| p.score).collect();
        candidates.sort_by(f32::total_cmp);
        candidates.dedup();
        let best_t = candidates
            .iter()
            .map(|&t| (accuracy(&train, t), t))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map_or(0.0, |x| x.1);
        accs.push(accuracy(&test, best_t));
    }
    let n = accs.len().max(1) as f64;
    let mean = accs.iter().sum::<f64>() / n;
    let std = (accs.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / n).sqrt();
    (mean, std)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separated_scores_are_perfect() {
        let s = Scores { genuine: vec![0.8, 0.9, 0.7], impostor: vec![0.1, 0.0, 0.2, -0.1] };
        assert_eq!(s.roc_auc(), 1.0);
        assert_eq!(s.eer().0, 0.0);
        let op = s.at_far(0.0);
        assert!(op.threshold > 0.2 && op.tar == 1.0 && op.measured_far == 0.0);
    }

    #[test]
    fn overlapping_scores_give_known_rates() {
        // One impostor (0.75) above two genuine scores out of four.
        let s = Scores { genuine: vec![0.5, 0.6, 0.8, 0.9], impostor: vec![0.1, 0.2, 0.3, 0.75] };
        assert!((s.roc_auc() - 14.0 / 16.0).abs() < 1e-9);
        let (eer, _) = s.eer();
        assert!((eer - 0.25).abs() < 1e-9, "{eer}");
        let op = s.at_far(0.25);
        assert_eq!(op.threshold, 0.3f32.next_up_compat());
        assert_eq!(op.tar, 1.0);
        let strict = s.at_far(0.0);
        assert_eq!(strict.tar, 0.5);
    }

    trait NextUp {
        fn next_up_compat(self) -> f32;
    }
    impl NextUp for f32 {
        fn next_up_compat(self) -> f32 {
            f32::from_bits(self.to_bits() + 1)
        }
    }

    #[test]
    fn at_frr_rejects_at_most_the_allowed_share_of_genuine() {
        let s = Scores { genuine: vec![0.1, 0.5, 0.6, 0.9], impostor: vec![0.0, 0.2, 0.55, 0.95] };
        let op = s.at_frr(0.25);
        assert_eq!(op.threshold, 0.5);
        assert_eq!(op.tar, 0.75);
        assert_eq!(op.far, 0.5);
        assert_eq!(s.at_frr(0.0).threshold, 0.1);
    }

    #[test]
    fn k_fold_picks_threshold_on_other_folds() {
        let pairs: Vec<LabelledScore> = (0..100)
            .map(|i| LabelledScore { score: if i % 2 == 0 { 0.8 } else { 0.1 }, same: i % 2 == 0, fold: i % 10 })
            .collect();
        let (mean, std) = k_fold_accuracy(&pairs, 10);
        assert_eq!(mean, 1.0);
        assert_eq!(std, 0.0);
    }
}
