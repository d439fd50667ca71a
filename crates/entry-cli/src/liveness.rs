//! `entry eval-liveness`: passive anti-spoofing on live and attack folders, reported in ISO/IEC
//! 30107-3 terms. APCER: attacks accepted as live; BPCER: live people rejected.
//!
//! Frames of one recording are not independent, so besides the per-frame scores the command replays
//! the rule the capture ships with (`LivenessPolicy::default()`: the mean of `min_frames` consecutive
//! good frames against its threshold, plus the static-input check) on every window of consecutive
//! collectable frames of each source (one recording, or one folder of photos), and counts windows.

use std::path::{Path, PathBuf};

use clap::Args;
use entry_core::capture::{people_in_view, CapturePolicy, Guidance};
use entry_core::liveness::{LivenessPolicy, LivenessSample, LivenessSession, LivenessVerdict};
use entry_core::FaceEngine;
use serde::Serialize;
use serde_json::json;

use crate::dataset::{sources, Source};
use crate::evaluate::{map_parallel, threads};
use crate::metrics::Scores;
use crate::read_frame;

#[derive(Args)]
pub struct LivenessArgs {
    /// Folder with `live/` and `spoof/` sub-folders (searched recursively).
    dir: PathBuf,
    /// What the attacks under `spoof/` are (print, replay, mask, ...): APCER is reported per type.
    #[arg(long, default_value = "unspecified")]
    attack: String,
    /// Live probability the rule needs (default: the shipped `LivenessPolicy`).
    #[arg(long)]
    threshold: Option<f32>,
    /// Worker threads (default: every core).
    #[arg(long)]
    threads: Option<usize>,
}

/// What one image gave: whether a face was found, and the liveness sample when the capture would
/// have collected the frame (one person, quality good enough).
#[derive(Clone)]
struct FrameResult {
    face_score: Option<f32>,
    sample: Option<LivenessSample>,
}

fn analyse(engine: &FaceEngine, path: &Path, capture: &CapturePolicy) -> Option<FrameResult> {
    let frame = read_frame(path).ok()?;
    let faces = engine.analyze(&frame).ok()?;
    let Some(face) = faces.first() else { return Some(FrameResult { face_score: None, sample: None }) };
    let score = engine.liveness().score(&frame, &face.detection.bbox).ok()?;
    let collectable =
        people_in_view(&faces, capture.other_face_ratio) <= 1 && Guidance::for_quality(&face.quality) == Guidance::Good;
    let sample = collectable.then(|| LivenessSample::new(&frame, &face.detection.bbox, score));
    Some(FrameResult { face_score: Some(score), sample })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Live,
    Spoof,
}

/// The shipped rule on one source.
#[derive(Serialize)]
struct SourceReport {
    folder: String,
    kind: Kind,
    frames: usize,
    without_face: usize,
    /// Frames the capture would collect (one face, good quality).
    collectable: usize,
    windows: usize,
    /// Live sources: windows refused. Attack sources: windows accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    rejected: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accepted: Option<usize>,
    /// Windows the rule accepts but not surely (under `sure_threshold`): `liveness: adaptive` asks
    /// for the challenge there.
    challenged: usize,
    /// Windows refused as one picture shown again (static input), whatever the passive score.
    static_input: usize,
    /// Lowest, median and highest mean score over the windows.
    min_window_score: Option<f32>,
    median_window_score: Option<f32>,
    max_window_score: Option<f32>,
}

/// A rate with its Wilson 95% interval.
#[derive(Serialize)]
struct Rate {
    rate: f64,
    errors: usize,
    windows: usize,
    /// Overlapping windows share frames, so the interval counts `windows / frames` independent trials.
    ci95: [f64; 2],
}

fn wilson(errors: usize, windows: usize, frames_per_window: usize) -> Rate {
    let rate = errors as f64 / windows.max(1) as f64;
    let n = (windows as f64 / frames_per_window.max(1) as f64).max(1.0);
    let z = 1.96f64;
    let centre = (rate + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z * (rate * (1.0 - rate) / n + z * z / (4.0 * n * n)).sqrt() / (1.0 + z * z / n);
    Rate { rate, errors, windows, ci95: [(centre - half).max(0.0), (centre + half).min(1.0)] }
}

/// Verdicts of the rule on every window of `window` consecutive collectable frames.
fn window_verdicts(samples: &[LivenessSample], policy: &LivenessPolicy) -> Vec<LivenessVerdict> {
    let window = policy.min_frames.max(2);
    samples
        .windows(window)
        .map(|w| {
            let mut session = LivenessSession::new(policy.clone());
            w.iter().cloned().for_each(|s| session.push(s));
            session.verdict()
        })
        .collect()
}

fn verdict_score(v: &LivenessVerdict) -> Option<f32> {
    match v {
        LivenessVerdict::Live { score } | LivenessVerdict::Spoof { score } => Some(*score),
        _ => None,
    }
}

fn report_source(
    source: &Source,
    kind: Kind,
    results: &[Option<FrameResult>],
    policy: &LivenessPolicy,
) -> SourceReport {
    let samples: Vec<LivenessSample> = results.iter().flatten().filter_map(|r| r.sample.clone()).collect();
    let verdicts = window_verdicts(&samples, policy);
    let accepted = verdicts.iter().filter(|v| matches!(v, LivenessVerdict::Live { .. })).count();
    let challenged = verdicts
        .iter()
        .filter(|v| matches!(v, LivenessVerdict::Live { score } if *score < policy.sure_threshold))
        .count();
    let mut scores: Vec<f32> = verdicts.iter().filter_map(verdict_score).collect();
    scores.sort_by(f32::total_cmp);
    SourceReport {
        folder: source.name.clone(),
        kind,
        frames: source.frames.len(),
        without_face: results.iter().filter(|r| r.as_ref().is_none_or(|r| r.face_score.is_none())).count(),
        collectable: samples.len(),
        windows: verdicts.len(),
        rejected: (kind == Kind::Live).then_some(verdicts.len() - accepted),
        accepted: (kind == Kind::Spoof).then_some(accepted),
        challenged,
        static_input: verdicts.iter().filter(|v| matches!(v, LivenessVerdict::StaticInput { .. })).count(),
        min_window_score: scores.first().copied(),
        median_window_score: scores.get(scores.len() / 2).copied(),
        max_window_score: scores.last().copied(),
    }
}

fn evaluate_kind(
    engine: &FaceEngine,
    dir: &Path,
    kind: Kind,
    policy: &LivenessPolicy,
    threads: usize,
) -> Result<(Vec<SourceReport>, Vec<f32>), String> {
    let capture = CapturePolicy::default();
    let sources = sources(dir)?;
    let paths: Vec<PathBuf> = sources.iter().flat_map(|s| s.frames.iter().cloned()).collect();
    let label = format!("{kind:?}").to_lowercase();
    let results = map_parallel(&paths, threads, &label, |p| analyse(engine, p, &capture));
    let frame_scores = results.iter().flatten().filter_map(|r| r.face_score).collect();
    let mut at = 0;
    let reports = sources
        .iter()
        .map(|s| {
            let r = report_source(s, kind, &results[at..at + s.frames.len()], policy);
            at += s.frames.len();
            r
        })
        .collect();
    Ok((reports, frame_scores))
}

pub fn run(engine: &FaceEngine, args: &LivenessArgs) -> Result<(), String> {
    let threads = threads(args.threads);
    let mut policy = LivenessPolicy::default();
    if let Some(t) = args.threshold {
        policy.live_threshold = t;
    }
    let (live, live_scores) = evaluate_kind(engine, &args.dir.join("live"), Kind::Live, &policy, threads)?;
    let (spoof, spoof_scores) = evaluate_kind(engine, &args.dir.join("spoof"), Kind::Spoof, &policy, threads)?;
    let frames = policy.min_frames.max(2);
    let sum = |v: &[SourceReport], f: fn(&SourceReport) -> usize| v.iter().map(f).sum::<usize>();
    let bpcer = wilson(sum(&live, |s| s.rejected.unwrap_or(0)), sum(&live, |s| s.windows), frames);
    let apcer = wilson(sum(&spoof, |s| s.accepted.unwrap_or(0)), sum(&spoof, |s| s.windows), frames);
    let worst_live = live.iter().filter(|s| s.windows > 0).map(|s| s.rejected.unwrap_or(0) as f64 / s.windows as f64);
    let worst_live = worst_live.fold(0.0f64, f64::max);
    let lowest_live = live.iter().filter_map(|s| s.min_window_score).reduce(f32::min);
    let highest_attack = spoof.iter().filter_map(|s| s.max_window_score).reduce(f32::max);

    let scores = Scores { genuine: live_scores, impostor: spoof_scores };
    let (eer, eer_t) = scores.eer();
    let points: Vec<_> = [0.05, 0.01].iter().map(|&b| (b, scores.at_frr(b))).collect();
    println!("dataset              {}", args.dir.display());
    for (name, v) in [("bona fide (live)", &live), ("attacks (spoof)", &spoof)] {
        println!(
            "{name:<20} {} images in {} sources, {} without a face, {} collectable",
            sum(v, |s| s.frames),
            v.len(),
            sum(v, |s| s.without_face),
            sum(v, |s| s.collectable)
        );
    }
    println!("per frame            EER {:.2}% (threshold {eer_t:.3})", eer * 100.0);
    for (b, p) in &points {
        println!("per frame            APCER {:.2}% at BPCER {b} (threshold {:.3})", p.far * 100.0, p.threshold);
    }
    let show = |v: Option<f32>| v.map_or("-".into(), |v: f32| format!("{v:.3}"));
    println!(
        "shipped rule         mean of {frames} consecutive good frames >= {}; one picture: change under {} grey levels, or noise ratio under {} below {} (every pair under {} once fitted: moved)",
        policy.live_threshold, policy.min_motion, policy.noise_ratio, policy.noise_ceiling, policy.moved_noise_ratio
    );
    let pct = |r: &Rate| {
        format!(
            "{:.2}% ({}/{}, 95% CI {:.1}-{:.1}%)",
            r.rate * 100.0,
            r.errors,
            r.windows,
            r.ci95[0] * 100.0,
            r.ci95[1] * 100.0
        )
    };
    println!("  BPCER              {} ; worst live source {:.2}%", pct(&bpcer), worst_live * 100.0);
    println!("  APCER ({:<9})  {}", args.attack, pct(&apcer));
    println!(
        "  adaptive mode      challenge under {}: {} of {} live windows, {} of {} attack windows",
        policy.sure_threshold,
        sum(&live, |s| s.challenged),
        bpcer.windows,
        sum(&spoof, |s| s.challenged),
        apcer.windows
    );
    for s in live.iter().chain(&spoof) {
        let errors = s.rejected.or(s.accepted).unwrap_or(0);
        println!(
            "  {:<5} {:<28} {:>3} windows, {:>3} {} ({} as one picture), {:>3} challenged in adaptive mode (window mean: lowest {}, median {}, highest {})",
            format!("{:?}", s.kind).to_lowercase(),
            s.folder,
            s.windows,
            errors,
            if s.kind == Kind::Live { "rejected" } else { "accepted" },
            s.static_input,
            s.challenged,
            show(s.min_window_score),
            show(s.median_window_score),
            show(s.max_window_score),
        );
    }
    println!("  lowest live window {} ; highest attack window {}", show(lowest_live), show(highest_attack));
    let summary = json!({
        "dataset": args.dir, "attack_type": args.attack,
        "live": sum(&live, |s| s.frames), "spoof": sum(&spoof, |s| s.frames),
        "live_without_face": sum(&live, |s| s.without_face), "spoof_without_face": sum(&spoof, |s| s.without_face),
        "per_frame": {
            "eer": eer, "eer_threshold": eer_t,
            "apcer_at_bpcer": points.iter().map(|(b, p)| json!({ "bpcer": b, "apcer": p.far, "threshold": p.threshold, "measured_bpcer": 1.0 - p.tar })).collect::<Vec<_>>(),
        },
        "shipped_rule": {
            "threshold": policy.live_threshold, "frames": frames, "min_motion": policy.min_motion, "noise_ratio": policy.noise_ratio, "noise_ceiling": policy.noise_ceiling,
            "moved_noise_ratio": policy.moved_noise_ratio,
            "sure_threshold": policy.sure_threshold,
            "live_windows_challenged": sum(&live, |s| s.challenged), "attack_windows_challenged": sum(&spoof, |s| s.challenged),
            "bpcer": bpcer, "worst_live_source_bpcer": worst_live,
            "lowest_live_window": lowest_live, "highest_attack_window": highest_attack,
            "apcer": { args.attack.clone(): apcer },
            "per_folder": live.iter().chain(&spoof).collect::<Vec<_>>(),
        },
    });
    println!("json {summary}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_intervals_match_the_textbook_and_count_independent_windows() {
        // 5 of 10 independent trials: the textbook Wilson 95% interval is 0.2366-0.7634.
        let r = wilson(5, 10, 1);
        assert!((r.ci95[0] - 0.2366).abs() < 1e-4 && (r.ci95[1] - 0.7634).abs() < 1e-4, "{:?}", r.ci95);
        // No error in 126 overlapping 5-frame windows counts as 25.2 trials: upper bound 13.2%.
        let r = wilson(0, 126, 5);
        assert_eq!(r.ci95[0], 0.0);
        assert!((r.ci95[1] - 0.1323).abs() < 1e-3, "{:?}", r.ci95);
    }
}
