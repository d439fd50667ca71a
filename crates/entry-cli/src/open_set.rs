//! Open-set identification (`entry eval SET --open-set`), the way `identifyUser` searches: every
//! other identity (in name order) is enrolled from its first `k` images, averaged as enrolment
//! averages captures; the rest of their images are mated searches, and every image of the
//! identities left out is a non-mated search (a stranger). Each search takes the best template
//! of the whole gallery, and is decided at the core's per-search threshold for the gallery's size
//! (`Calibration::threshold_for_search`, the one device and server mode use).
//!
//! FPIR: non-mated searches whose best score reaches the threshold. FNIR: mated searches whose
//! best template is not theirs or does not reach it (ISO/IEC 19795-1).

use entry_core::face::Embedding;
use entry_core::matching::Gallery;
use entry_core::model::Calibration;
use entry_core::policy::{MatchPolicy, UseCase};
use serde::Serialize;

use crate::calibration::enough_pairs;
use crate::metrics::upper_bound;

/// The outcome of one open-set run.
#[derive(Debug, Serialize)]
pub struct OpenSet {
    pub enrolled_identities: usize,
    pub images_per_template: usize,
    pub mated_searches: usize,
    pub non_mated_searches: usize,
    pub points: Vec<OpenSetPoint>,
}

/// One use case's per-search threshold and the rates measured at it.
#[derive(Debug, Serialize)]
pub struct OpenSetPoint {
    pub use_case: &'static str,
    pub target_fpir: f64,
    pub threshold: f32,
    pub measured_fpir: f64,
    pub fpir_upper_95: f64,
    pub fnir: f64,
    /// Whether the non-mated searches are enough to estimate `target_fpir` (3 / rate).
    pub enough_searches: bool,
}

/// A search's best candidate: which identity, and its score.
struct Best {
    identity: usize,
    score: f32,
}

/// Runs open-set identification over `samples` (identity, embedding) with `k` images per template.
pub fn run(
    samples: &[(usize, &Embedding)],
    names: &[String],
    k: usize,
    calibration: &Calibration,
) -> Result<OpenSet, String> {
    let k = k.max(1);
    let mut gallery = Gallery::new();
    let mut mated: Vec<(usize, &Embedding)> = Vec::new();
    let mut strangers: Vec<&Embedding> = Vec::new();
    for identity in 0..names.len() {
        let images: Vec<&Embedding> = samples.iter().filter(|(id, _)| *id == identity).map(|(_, e)| *e).collect();
        // Enrolled: even positions with an image left to search with; the rest are strangers.
        if identity % 2 == 0 && images.len() > k {
            let owned: Vec<Embedding> = images[..k].iter().map(|e| (*e).clone()).collect();
            let template = Embedding::mean(&owned).map_err(|e| e.to_string())?;
            gallery.insert(identity.to_string(), &template).map_err(|e| e.to_string())?;
            mated.extend(images[k..].iter().map(|e| (identity, *e)));
        } else {
            strangers.extend(images);
        }
    }
    if gallery.is_empty() || strangers.is_empty() {
        return Err("open-set needs identities with more than --enrol images and identities left out".into());
    }
    let best = |probe: &Embedding| -> Result<Best, String> {
        let c = gallery.best(probe).map_err(|e| e.to_string())?.ok_or("empty gallery")?;
        Ok(Best { identity: c.id.parse().map_err(|_| "gallery ids are identity numbers")?, score: c.score })
    };
    let mated_best: Vec<(usize, Best)> =
        mated.iter().map(|(id, e)| best(e).map(|b| (*id, b))).collect::<Result<_, _>>()?;
    let stranger_best: Vec<Best> = strangers.iter().map(|e| best(e)).collect::<Result<_, _>>()?;

    let policy = MatchPolicy::default();
    let use_cases = [(UseCase::Login, "login"), (UseCase::AccountRecovery, "account_recovery")];
    let points = use_cases
        .iter()
        .map(|&(use_case, name)| {
            let target_fpir = policy.fmr(use_case);
            let threshold = calibration.threshold_for_search(target_fpir, gallery.len()).map_err(|e| e.to_string())?;
            let false_positives = stranger_best.iter().filter(|b| b.score >= threshold).count();
            let found = mated_best.iter().filter(|(id, b)| b.identity == *id && b.score >= threshold).count();
            Ok(OpenSetPoint {
                use_case: name,
                target_fpir,
                threshold,
                measured_fpir: false_positives as f64 / stranger_best.len() as f64,
                fpir_upper_95: upper_bound(false_positives, stranger_best.len(), 0.95),
                fnir: 1.0 - found as f64 / mated_best.len().max(1) as f64,
                enough_searches: enough_pairs(stranger_best.len(), target_fpir),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(OpenSet {
        enrolled_identities: gallery.len(),
        images_per_template: k,
        mated_searches: mated_best.len(),
        non_mated_searches: stranger_best.len(),
        points,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(axis: usize, noise: f32) -> Embedding {
        let mut v = vec![noise; 8];
        v[axis] = 1.0;
        Embedding::new("test", v).unwrap()
    }

    #[test]
    fn enrols_every_other_identity_and_searches_with_the_rest() {
        let calibration = crate::calibration::for_tests([0.2, 0.3, 0.4]);
        // Four identities on their own axes, three images each; identity 2's last image is far
        // from its template (another axis), so one mated search in four misses.
        let images: Vec<(usize, Embedding)> = (0..4)
            .flat_map(|id| {
                (0..3).map(move |i| (id, if id == 2 && i == 2 { unit(7, 0.0) } else { unit(id, 0.01 * i as f32) }))
            })
            .collect();
        let samples: Vec<(usize, &Embedding)> = images.iter().map(|(id, e)| (*id, e)).collect();
        let names: Vec<String> = (0..4).map(|i| format!("p{i}")).collect();
        let o = run(&samples, &names, 1, &calibration).unwrap();
        assert_eq!((o.enrolled_identities, o.mated_searches, o.non_mated_searches), (2, 4, 6));
        let login = &o.points[0];
        // Gallery of 2 at 1e-3 per search: each comparison at 5e-4, so the 1e-4 threshold.
        assert_eq!(login.threshold, 0.4);
        assert_eq!(login.measured_fpir, 0.0, "strangers sit on other axes");
        assert!((login.fnir - 0.25).abs() < 1e-9, "{}", login.fnir);
        assert!(!login.enough_searches);
        assert!(run(&samples, &names, 3, &calibration).is_err(), "nobody has an image left to search with");
    }
}
