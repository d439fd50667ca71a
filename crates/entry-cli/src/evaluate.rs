//! `entry eval`: embeds every image on all cores, scores genuine and impostor pairs, and reports
//! per set ROC AUC, EER, TAR at fixed FARs with their thresholds, and what the manifest's
//! thresholds give for each use case; over several sets, the thresholds that hold on every one
//! (optionally as a manifest calibration), and open-set identification with `--open-set`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use clap::Args;
use entry_core::face::{dot, Embedding};
use entry_core::model::Calibration;
use entry_core::FaceEngine;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use crate::calibration::{across_sets, as_calibration, manifest_points, SetScores};
use crate::dataset::{identities, lfw_pairs};
use crate::metrics::{k_fold_accuracy, LabelledScore, Scores};
use crate::{open_set, read_frame};

#[derive(Args)]
pub struct EvalArgs {
    /// The LFW image root, with --lfw-pairs.
    #[arg(long, required_unless_present = "dirs")]
    root: Option<PathBuf>,
    /// Folders with one sub-folder per identity: each is measured on its own, then all together.
    dirs: Vec<PathBuf>,
    /// LFW pairs.txt: evaluate its pairs with 10-fold accuracy.
    #[arg(long, requires = "root")]
    lfw_pairs: Option<PathBuf>,
    /// Most impostor pairs to sample (all of them when there are fewer).
    #[arg(long, default_value_t = 200_000)]
    impostors: usize,
    /// Seed of the impostor sampling.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Worker threads (default: every core).
    #[arg(long)]
    threads: Option<usize>,
    /// Also print a manifest `calibration` block: per rate, the strictest threshold over the sets
    /// with enough impostor pairs.
    #[arg(long)]
    calibrate: bool,
    /// Also run open-set identification on each set (enrol every other identity, search with the
    /// rest and with the identities left out).
    #[arg(long)]
    open_set: bool,
    /// Images averaged into each enrolled template with --open-set.
    #[arg(long, default_value_t = 1)]
    enrol: usize,
}

/// SplitMix64: a small, seeded, reproducible generator for pair sampling.
struct SplitMix(u64);
impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Applies `f` to every path on `threads` workers with a progress bar, keeping the order.
pub fn map_parallel<T: Clone + Send>(
    paths: &[PathBuf],
    threads: usize,
    what: &str,
    f: impl Fn(&PathBuf) -> Option<T> + Sync,
) -> Vec<Option<T>> {
    let bar = ProgressBar::new(paths.len() as u64).with_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} {what} {{pos}}/{{len}} [{{bar:40}}] {{per_sec}} eta {{eta}}"
        ))
        .expect("valid template")
        .progress_chars("=> "),
    );
    let next = AtomicUsize::new(0);
    let results = Mutex::new(vec![None; paths.len()]);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = paths.get(i) else { break };
                let value = f(path);
                results.lock().expect("no worker panics")[i] = value;
                bar.inc(1);
            });
        }
    });
    bar.finish_and_clear();
    results.into_inner().expect("no worker panics")
}

/// Embeds the primary face of every path; `None` where no face was found.
fn embed_all(engine: &FaceEngine, paths: &[PathBuf], threads: usize) -> Vec<Option<Embedding>> {
    map_parallel(paths, threads, "embedding", |path| {
        read_frame(path).ok().and_then(|f| engine.embed_primary(&f).ok()).map(|(_, e)| e)
    })
}

fn report(scores: &Scores, failures: usize, calibration: &Calibration, extra: serde_json::Value) -> Result<(), String> {
    let (eer, eer_t) = scores.eer();
    let mut rates = vec![1e-2, 1e-3];
    if scores.impostor.len() >= 100_000 {
        rates.push(1e-4);
    }
    let points: Vec<_> = rates.iter().map(|&far| scores.at_far(far)).collect();
    println!("detection failures   {failures}");
    println!("genuine pairs        {}", scores.genuine.len());
    println!("impostor pairs       {}", scores.impostor.len());
    println!("ROC AUC              {:.5}", scores.roc_auc());
    println!("EER                  {:.2}%  (threshold {eer_t:.3})", eer * 100.0);
    for p in &points {
        println!(
            "TAR @ FAR {:<9}  {:.2}%  (threshold {:.3}, measured FAR {:.2e})",
            p.far,
            p.tar * 100.0,
            p.threshold,
            p.measured_far
        );
    }
    let manifest = manifest_points(calibration, scores)?;
    for m in &manifest {
        println!(
            "manifest {:<18} FMR target {:<7} threshold {:.4}: FMR {:.2e} (95% bound {:.1e}{}), FNMR {:.2}%",
            m.use_case,
            m.target_fmr,
            m.threshold,
            m.measured_fmr,
            m.fmr_upper_95,
            if m.enough_pairs { "" } else { ", too few pairs" },
            m.measured_fnmr * 100.0
        );
    }
    let summary = json!({
        "detection_failures": failures, "genuine_pairs": scores.genuine.len(), "impostor_pairs": scores.impostor.len(),
        "roc_auc": scores.roc_auc(), "eer": eer, "eer_threshold": eer_t, "operating_points": points,
        "manifest_operating_points": manifest, "extra": extra,
    });
    println!("json {summary}");
    Ok(())
}

/// Over every set evaluated: the thresholds that hold on each, and the calibration block if asked.
fn report_across(sets: &[SetScores], args: &EvalArgs) {
    let rates = across_sets(sets);
    println!(
        "\nacross {} set(s): per rate, each set's threshold (sets with fewer than 3/FMR impostor pairs: -)",
        sets.len()
    );
    for r in &rates {
        let per: Vec<String> = r
            .per_set
            .iter()
            .map(|(name, t)| format!("{name} {}", t.map_or("-".to_string(), |t| format!("{t:.4}"))))
            .collect();
        let pooled = r.pooled.map_or("-".to_string(), |t| format!("{t:.4}"));
        match (r.threshold, &r.set_by, r.worst_fmr_upper_95) {
            (Some(t), Some(by), Some(bound)) => println!(
                "FMR {:<7} holds everywhere at {t:.4} (set by {by}; worst 95% bound {bound:.1e}); {}; pooled {pooled}",
                r.fmr,
                per.join(", ")
            ),
            _ => println!("FMR {:<7} no set has enough impostor pairs; {}", r.fmr, per.join(", ")),
        }
    }
    println!("json-sets {}", json!({ "rates": rates }));
    if args.calibrate {
        let command = format!(
            "entry eval {} --calibrate --impostors {} --seed {}",
            sets.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(" "),
            args.impostors,
            args.seed
        );
        let c = as_calibration(&rates, sets, &command);
        println!("calibration {}", serde_json::to_string_pretty(&c).expect("serialisable"));
    }
}

pub fn threads(requested: Option<usize>) -> usize {
    requested.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1)
}

pub fn run(engine: &FaceEngine, args: &EvalArgs) -> Result<(), String> {
    match (&args.lfw_pairs, &args.root) {
        (Some(pairs), Some(root)) => run_lfw(engine, args, pairs, root),
        (None, None) if !args.dirs.is_empty() => {
            let mut sets = Vec::new();
            for dir in &args.dirs {
                sets.push(run_identities(engine, args, dir)?);
            }
            if sets.len() > 1 || args.calibrate {
                report_across(&sets, args);
            }
            Ok(())
        }
        _ => Err("give folder-per-identity directories, or --lfw-pairs FILE --root DIR".into()),
    }
}

/// Measures one folder-per-identity set and returns its scores.
fn run_identities(engine: &FaceEngine, args: &EvalArgs, dir: &Path) -> Result<SetScores, String> {
    let (names, samples) = identities(dir)?;
    let paths: Vec<PathBuf> = samples.iter().map(|s| s.path.clone()).collect();
    let embeddings = embed_all(engine, &paths, threads(args.threads));
    let ok: Vec<(usize, &Embedding)> =
        samples.iter().zip(&embeddings).filter_map(|(s, e)| e.as_ref().map(|e| (s.identity, e))).collect();
    let failures = samples.len() - ok.len();
    let mut scores = Scores::default();
    for i in 0..ok.len() {
        for j in i + 1..ok.len() {
            if ok[i].0 == ok[j].0 {
                scores.genuine.push(dot(ok[i].1.values(), ok[j].1.values()));
            }
        }
    }
    let total_impostor = {
        let mut per: HashMap<usize, usize> = HashMap::new();
        ok.iter().for_each(|(id, _)| *per.entry(*id).or_default() += 1);
        let n = ok.len();
        (n * n.saturating_sub(1) - per.values().map(|c| c * (c - 1)).sum::<usize>()) / 2
    };
    if total_impostor <= args.impostors {
        for i in 0..ok.len() {
            for j in i + 1..ok.len() {
                if ok[i].0 != ok[j].0 {
                    scores.impostor.push(dot(ok[i].1.values(), ok[j].1.values()));
                }
            }
        }
    } else {
        let mut rng = SplitMix(args.seed);
        let mut seen = std::collections::HashSet::new();
        while scores.impostor.len() < args.impostors {
            let (i, j) = (rng.below(ok.len()), rng.below(ok.len()));
            if ok[i].0 != ok[j].0 && seen.insert((i.min(j), i.max(j))) {
                scores.impostor.push(dot(ok[i].1.values(), ok[j].1.values()));
            }
        }
    }
    let calibration = &engine.manifest().embedder.calibration;
    println!("dataset              {} ({} identities, {} images)", dir.display(), names.len(), samples.len());
    let mut extra = json!({ "identities": names.len(), "images": samples.len() });
    if args.open_set {
        let o = open_set::run(&ok, &names, args.enrol, calibration)?;
        println!(
            "open set             {} enrolled ({} image(s) each), {} mated and {} non-mated searches",
            o.enrolled_identities, o.images_per_template, o.mated_searches, o.non_mated_searches
        );
        for p in &o.points {
            println!(
                "open set {:<16} FPIR target {:<7} threshold {:.4}: FPIR {:.2e} (95% bound {:.1e}{}), FNIR {:.2}%",
                p.use_case,
                p.target_fpir,
                p.threshold,
                p.measured_fpir,
                p.fpir_upper_95,
                if p.enough_searches { "" } else { ", too few searches" },
                p.fnir * 100.0
            );
        }
        extra["open_set"] = json!(o);
    }
    report(&scores, failures, calibration, extra)?;
    let name = dir.file_name().unwrap_or(dir.as_os_str()).to_string_lossy().into_owned();
    Ok(SetScores { name, scores })
}

fn run_lfw(engine: &FaceEngine, args: &EvalArgs, pairs_file: &Path, root: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(pairs_file).map_err(|e| format!("{}: {e}", pairs_file.display()))?;
    let pairs = lfw_pairs(&text, root)?;
    let mut paths: Vec<PathBuf> = pairs.iter().flat_map(|p| [p.a.clone(), p.b.clone()]).collect();
    paths.sort();
    paths.dedup();
    let embeddings = embed_all(engine, &paths, threads(args.threads));
    let index: HashMap<&PathBuf, &Option<Embedding>> = paths.iter().zip(&embeddings).collect();
    let mut scores = Scores::default();
    let mut labelled = Vec::new();
    let mut found = Vec::new();
    let mut failures = 0;
    for p in &pairs {
        // A pair with an undetected face scores as a non-match, as the protocol counts every pair.
        let score = match (index[&p.a], index[&p.b]) {
            (Some(a), Some(b)) => {
                found.push(true);
                dot(a.values(), b.values())
            }
            _ => {
                found.push(false);
                failures += 1;
                -1.0
            }
        };
        if p.same { &mut scores.genuine } else { &mut scores.impostor }.push(score);
        labelled.push(LabelledScore { score, same: p.same, fold: p.fold });
    }
    let folds = pairs.iter().map(|p| p.fold).max().map_or(0, |f| f + 1);
    let (mean, std) = k_fold_accuracy(&labelled, folds);
    println!("dataset              {} ({} pairs, {} folds)", pairs_file.display(), pairs.len(), folds);
    println!(
        "{folds}-fold accuracy     {:.2}% +- {:.2} (a pair with an undetected face counts as an error)",
        mean * 100.0,
        std * 100.0
    );
    // The same protocol over the pairs where both faces were found, as papers usually report it.
    let detected: Vec<LabelledScore> = labelled.iter().zip(&found).filter(|(_, f)| **f).map(|(l, _)| *l).collect();
    let (detected_mean, detected_std) = k_fold_accuracy(&detected, folds);
    println!(
        "{folds}-fold accuracy     {:.2}% +- {:.2} over the {} pairs with both faces found",
        detected_mean * 100.0,
        detected_std * 100.0,
        detected.len()
    );
    let extra = json!({ "folds": folds, "accuracy_mean": mean, "accuracy_std": std,
        "accuracy_detected_pairs_mean": detected_mean, "detected_pairs": detected.len() });
    report(&scores, failures, &engine.manifest().embedder.calibration, extra)?;
    if args.calibrate {
        report_across(&[SetScores { name: "lfw".into(), scores }], args);
    }
    Ok(())
}
