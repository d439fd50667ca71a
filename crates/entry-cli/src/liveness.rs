//! `entry eval-liveness`: passive anti-spoof scores on live and attack folders, reported in
//! ISO/IEC 30107-3 terms. APCER: attacks accepted as live; BPCER: live people rejected.

use std::path::PathBuf;

use clap::Args;
use entry_core::eval::Scores;
use entry_core::FaceEngine;
use serde_json::json;

use crate::dataset::image_files;
use crate::evaluate::{map_parallel, threads};
use crate::read_frame;

#[derive(Args)]
pub struct LivenessArgs {
    /// Folder with `live/` and `spoof/` sub-folders (searched recursively).
    dir: PathBuf,
    /// Worker threads (default: every core).
    #[arg(long)]
    threads: Option<usize>,
}

/// Live probability of the primary face of each image; `None` where no face was found.
fn score_all(engine: &FaceEngine, paths: &[PathBuf], threads: usize) -> Vec<Option<f32>> {
    map_parallel(paths, threads, "scoring", |path| {
        let frame = read_frame(path).ok()?;
        let face = engine.primary_detection(&frame).ok()?;
        engine.liveness().score(&frame, &face.bbox).ok()
    })
}

pub fn run(engine: &FaceEngine, args: &LivenessArgs) -> Result<(), String> {
    let threads = threads(args.threads);
    let live = image_files(&args.dir.join("live"))?;
    let spoof = image_files(&args.dir.join("spoof"))?;
    let live_scores = score_all(engine, &live, threads);
    let spoof_scores = score_all(engine, &spoof, threads);
    let failures = |v: &[Option<f32>]| v.iter().filter(|s| s.is_none()).count();
    let scores = Scores {
        genuine: live_scores.iter().flatten().copied().collect(),
        impostor: spoof_scores.iter().flatten().copied().collect(),
    };
    let (eer, eer_t) = scores.eer();
    println!("dataset              {}", args.dir.display());
    println!("bona fide (live)     {} images, {} without a face", live.len(), failures(&live_scores));
    println!("attacks (spoof)      {} images, {} without a face", spoof.len(), failures(&spoof_scores));
    println!("EER                  {:.2}%  (threshold {eer_t:.3})", eer * 100.0);
    let points: Vec<_> = [0.05, 0.01].iter().map(|&b| (b, scores.at_frr(b))).collect();
    for (bpcer, p) in &points {
        println!(
            "APCER @ BPCER {:<4}   {:.2}%  (threshold {:.3}, measured BPCER {:.2}%)",
            bpcer,
            p.far * 100.0,
            p.threshold,
            (1.0 - p.tar) * 100.0
        );
    }
    let summary = json!({
        "live": live.len(), "spoof": spoof.len(), "live_without_face": failures(&live_scores),
        "spoof_without_face": failures(&spoof_scores), "eer": eer, "eer_threshold": eer_t,
        "apcer_at_bpcer": points.iter().map(|(b, p)| json!({ "bpcer": b, "apcer": p.far, "threshold": p.threshold, "measured_bpcer": 1.0 - p.tar })).collect::<Vec<_>>(),
    });
    println!("json {summary}");
    Ok(())
}
