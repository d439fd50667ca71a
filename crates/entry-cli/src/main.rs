//! `entry`: run the face pipeline on image files and measure it on labelled data.
#![forbid(unsafe_code)]

mod calibration;
mod convert;
mod dataset;
mod evaluate;
mod liveness;
mod metrics;
mod open_set;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use entry_core::matching::{verify, Threshold};
use entry_core::model::Manifest;
use entry_core::{FaceEngine, Frame};
use serde_json::json;

#[derive(Parser)]
#[command(name = "entry", version, about = "On-device face biometrics: run and measure the pipeline")]
struct Cli {
    /// Folder holding the model files (default: .cache/models, or ENTRY_MODELS_DIR).
    #[arg(long, global = true)]
    models: Option<PathBuf>,
    /// The model manifest (default: models/manifest.json).
    #[arg(long, global = true)]
    manifest: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Faces in an image: boxes, landmarks and capture quality, as JSON.
    Detect { image: PathBuf },
    /// The embedding of the primary face (large and central), as JSON.
    Embed { image: PathBuf },
    /// Compare the primary faces of two images at a target false-match rate.
    Verify {
        a: PathBuf,
        b: PathBuf,
        #[arg(long, default_value_t = 1e-3)]
        fmr: f64,
    },
    /// Error rates on folder-per-identity sets (each, then across them), or on LFW pairs with --lfw-pairs.
    Eval(evaluate::EvalArgs),
    /// Passive liveness on `live/` and `spoof/` folders: APCER, BPCER, EER (ISO/IEC 30107-3).
    EvalLiveness(liveness::LivenessArgs),
    /// Converts the models to tract's NNEF form beside them (what the browser build loads), checked
    /// against the manifest's pinned sha256; a second run only verifies.
    ConvertModels,
}

/// The manifest and the folder of its model files, from the options.
fn models(cli: &Cli) -> Result<(Manifest, PathBuf), String> {
    let manifest_path = cli.manifest.clone().unwrap_or_else(|| PathBuf::from("models/manifest.json"));
    let json = std::fs::read_to_string(&manifest_path).map_err(|e| {
        format!("cannot read {}: {e} (run from the repository root or pass --manifest)", manifest_path.display())
    })?;
    let manifest = Manifest::from_json(&json).map_err(|e| e.to_string())?;
    let dir = cli
        .models
        .clone()
        .or_else(|| std::env::var_os("ENTRY_MODELS_DIR").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(".cache/models"));
    Ok((manifest, dir))
}

fn load_engine(cli: &Cli) -> Result<FaceEngine, String> {
    let (manifest, dir) = models(cli)?;
    FaceEngine::load_dir(manifest, &dir).map_err(|e| e.to_string())
}

pub fn read_frame(path: &Path) -> Result<Frame, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Frame::decode(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn run(cli: Cli) -> Result<(), String> {
    if let Command::ConvertModels = cli.command {
        let (manifest, dir) = models(&cli)?;
        return convert::run(&manifest, &dir);
    }
    let engine = load_engine(&cli)?;
    let out = match &cli.command {
        Command::Detect { image } => {
            let frame = read_frame(image)?;
            let faces = engine.analyze(&frame).map_err(|e| e.to_string())?;
            json!({ "image": image, "width": frame.width(), "height": frame.height(), "faces": faces })
        }
        Command::Embed { image } => {
            let (face, embedding) = engine.embed_primary(&read_frame(image)?).map_err(|e| e.to_string())?;
            json!({ "image": image, "model": embedding.model(), "bbox": face.detection.bbox, "embedding": embedding.values() })
        }
        Command::Verify { a, b, fmr } => {
            let threshold =
                Threshold::at_fmr(&engine.manifest().embedder.calibration, *fmr).map_err(|e| e.to_string())?;
            let (_, ea) = engine.embed_primary(&read_frame(a)?).map_err(|e| format!("{}: {e}", a.display()))?;
            let (_, eb) = engine.embed_primary(&read_frame(b)?).map_err(|e| format!("{}: {e}", b.display()))?;
            let c = verify(&ea, &eb, threshold).map_err(|e| e.to_string())?;
            json!({ "score": c.score, "threshold": c.threshold, "fmr": fmr, "match": c.is_match })
        }
        Command::Eval(args) => return evaluate::run(&engine, args),
        Command::EvalLiveness(args) => return liveness::run(&engine, args),
        Command::ConvertModels => unreachable!("handled before the engine loads"),
    };
    println!("{}", serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?);
    Ok(())
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("entry: {e}");
            ExitCode::FAILURE
        }
    }
}
