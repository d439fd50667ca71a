//! Biometric error rates from genuine and impostor score lists: ROC AUC, EER, TAR at a FAR, the
//! threshold that reaches a FAR, error rates at a given threshold with a confidence bound, and
//! 10-fold verification accuracy (the LFW protocol).

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

/// The smallest f32 above `v`: a threshold that accepts every score above `v` and not `v` itself.
fn just_above(v: f32) -> f32 {
    f32::from_bits(if v >= 0.0 { v.to_bits() + 1 } else { v.to_bits() - 1 })
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
            just_above(imp[imp.len() - 1 - allowed])
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
    /// Share of impostor scores at or above `t` (false matches at that threshold), and their count.
    pub fn fmr_at(&self, t: f32) -> (f64, usize) {
        let accepted = self.impostor.iter().filter(|s| **s >= t).count();
        (accepted as f64 / self.impostor.len().max(1) as f64, accepted)
    }

    /// Share of genuine scores below `t` (false non-matches at that threshold).
    pub fn fnmr_at(&self, t: f32) -> f64 {
        self.genuine.iter().filter(|s| **s < t).count() as f64 / self.genuine.len().max(1) as f64
    }

    /// The lowest threshold at which the `confidence` upper bound on the FMR (see [`upper_bound`])
    /// is at or below `fmr`: the point estimate's threshold is as likely too low as too high, this
    /// one errs high. `None` when even a threshold above every impostor score cannot show `fmr`
    /// (too few impostor pairs).
    pub fn threshold_bounded(&self, fmr: f64, confidence: f64) -> Option<f32> {
        let n = self.impostor.len();
        if n == 0 || upper_bound(0, n, confidence) > fmr {
            return None;
        }
        // The most false matches whose bound still meets `fmr` (the bound rises with k).
        let (mut ok, mut too_many) = (0usize, (fmr * n as f64).floor() as usize + 1);
        while too_many - ok > 1 {
            let mid = (ok + too_many) / 2;
            if upper_bound(mid, n, confidence) <= fmr {
                ok = mid;
            } else {
                too_many = mid;
            }
        }
        Some(just_above(sorted(&self.impostor)[n - 1 - ok]))
    }
}

/// One-sided upper confidence bound on a rate after `k` events in `n` trials (Clopper-Pearson,
/// exact): the largest rate `p` under which seeing `k` or fewer would still have probability at
/// least `1 - confidence`. With `k = 0` this is `1 - (1 - confidence)^(1/n)`, about 3/n at 95%.
pub fn upper_bound(k: usize, n: usize, confidence: f64) -> f64 {
    if k >= n {
        return 1.0;
    }
    let alpha = 1.0 - confidence;
    // P(X <= k) for X ~ Binomial(n, p), summed in logs (n is up to millions of pairs).
    let cdf = |p: f64| -> f64 {
        let (lp, lq) = (p.ln(), (-p).ln_1p());
        let mut log_choose = 0.0f64;
        let mut total = 0.0f64;
        for i in 0..=k {
            if i > 0 {
                log_choose += ((n - i + 1) as f64).ln() - (i as f64).ln();
            }
            total += (log_choose + i as f64 * lp + (n - i) as f64 * lq).exp();
        }
        total
    };
    // The CDF falls as p rises: bisect for the p where it crosses alpha.
    let (mut lo, mut hi) = (k as f64 / n as f64, 1.0f64);
    for _ in 0..100 {
        let mid = (lo + hi) / 2.0;
        if cdf(mid) > alpha {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
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
    fn rates_at_a_threshold_count_ties_as_matches() {
        let s = Scores { genuine: vec![0.3, 0.5, 0.7, 0.9], impostor: vec![0.1, 0.2, 0.5, 0.6] };
        assert_eq!(s.fmr_at(0.5), (0.5, 2));
        assert_eq!(s.fnmr_at(0.5), 0.25);
        assert_eq!(s.fmr_at(0.95), (0.0, 0));
    }

    #[test]
    fn upper_bound_matches_known_values() {
        // k = 0: 1 - 0.05^(1/n); the rule of three for large n.
        let n = 30_000;
        let exact = 1.0 - 0.05f64.powf(1.0 / n as f64);
        assert!((upper_bound(0, n, 0.95) - exact).abs() < 1e-9, "{}", upper_bound(0, n, 0.95));
        assert!((upper_bound(0, n, 0.95) * n as f64 - 3.0).abs() < 0.01);
        // k = 1, n = 10: the one-sided 95% Clopper-Pearson bound is 0.3942 (tables).
        assert!((upper_bound(1, 10, 0.95) - 0.3942).abs() < 1e-3, "{}", upper_bound(1, 10, 0.95));
        // k = 5, n = 1000: 0.01049 (tables, one-sided 95%).
        assert!((upper_bound(5, 1000, 0.95) - 0.01049).abs() < 5e-5, "{}", upper_bound(5, 1000, 0.95));
        assert_eq!(upper_bound(3, 3, 0.95), 1.0);
    }

    #[test]
    fn bounded_threshold_allows_only_the_false_matches_the_bound_permits() {
        let s = Scores { genuine: vec![], impostor: (0..1000).map(|i| i as f32 / 1000.0).collect() };
        // 1e-2 of 1000: the point estimate allows 10 false matches; the 95% bound allows 4
        // (upper_bound(4, 1000) = 0.0092, upper_bound(5, 1000) = 0.0105).
        assert!(upper_bound(4, 1000, 0.95) <= 0.01 && upper_bound(5, 1000, 0.95) > 0.01);
        let t = s.threshold_bounded(0.01, 0.95).unwrap();
        assert_eq!(s.fmr_at(t).1, 4);
        assert!(t > 0.995 && t <= 0.996, "{t}");
        // 3/FMR pairs allow none; fewer cannot show the rate at all.
        assert_eq!(s.fmr_at(s.threshold_bounded(3e-3, 0.95).unwrap()).1, 0);
        assert_eq!(s.threshold_bounded(2e-3, 0.95), None);
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
