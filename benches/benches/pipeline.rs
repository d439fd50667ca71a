//! Per-stage and whole-frame timings of the face pipeline on a real 640x480 camera-like frame.
//! `cargo bench -p entry-benches --bench pipeline`

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use entry_core::model::Manifest;
use entry_core::{FaceEngine, Frame};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn setup() -> (FaceEngine, Frame) {
    let manifest = Manifest::from_json(&std::fs::read_to_string(root().join("models/manifest.json")).unwrap()).unwrap();
    let models =
        std::env::var_os("ENTRY_MODELS_DIR").map(PathBuf::from).unwrap_or_else(|| root().join(".cache/models"));
    let engine = FaceEngine::load_dir(manifest, &models).expect("run scripts/setup first");
    let photo = root().join("../shared/faces/identities/deepface/person02/img12.jpg");
    let frame = Frame::decode(&std::fs::read(photo).unwrap()).unwrap();
    // A camera frame: 640x480.
    let frame = frame.crop_resize(0.0, 0.0, frame.width() as f32, frame.height() as f32, 640, 480);
    (engine, frame)
}

fn stages(c: &mut Criterion) {
    let (engine, frame) = setup();
    let face = engine.single_face(&frame).unwrap();
    let aligned = engine.embedder().aligned(&frame, &face.landmarks).unwrap();
    let mut g = c.benchmark_group("pipeline");
    g.sample_size(20);
    g.bench_function("detect 640x480", |b| b.iter(|| engine.detect(&frame).unwrap()));
    g.bench_function("landmarks", |b| b.iter(|| engine.landmarker().locate(&frame, &face.detection.bbox).unwrap()));
    g.bench_function("align", |b| b.iter(|| engine.embedder().aligned(&frame, &face.landmarks).unwrap()));
    g.bench_function("embed aligned", |b| b.iter(|| engine.embedder().embed_aligned(&aligned).unwrap()));
    g.bench_function("liveness", |b| b.iter(|| engine.liveness().score(&frame, &face.detection.bbox).unwrap()));
    g.bench_function("frame to embedding", |b| {
        b.iter(|| {
            let face = engine.single_face(&frame).unwrap();
            engine.embed(&frame, &face).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
