//! tract must compute what onnxruntime computes for the same models (reference numbers from
//! scripts/reference/make_reference.py), and the whole pipeline must land on the reference result.

mod common;

use entry_core::model::{ModelFile, Network};
use serde_json::Value;
use tract_onnx::prelude::Tensor;

fn reference() -> Value {
    serde_json::from_str(include_str!("fixtures/reference.json")).unwrap()
}

fn synthetic(spec: &ModelFile, offset: f64, amplitude: f64) -> Tensor {
    let i = &spec.input;
    let shape = [1, i.channels.count(), i.height as usize, i.width as usize];
    let n: usize = shape.iter().product();
    let data: Vec<f32> = (0..n).map(|k| (offset + amplitude * (0.37 * k as f64).sin()) as f32).collect();
    Tensor::from_shape(&shape, &data).unwrap()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + b.abs())
}

#[test]
fn every_model_matches_onnxruntime_on_identical_input() {
    let manifest = common::manifest();
    let reference = reference();
    let specs = [
        ("detector", &manifest.detector.model),
        ("landmarks", &manifest.landmarks.model),
        ("embedder", &manifest.embedder.model),
        ("liveness", &manifest.liveness.model),
    ];
    for (role, spec) in specs {
        let r = &reference["models"][role];
        let bytes = std::fs::read(common::models_dir().join(&spec.file)).expect("run scripts/setup");
        let net = Network::load(spec, &bytes).unwrap();
        let input = synthetic(spec, r["offset"].as_f64().unwrap(), r["amplitude"].as_f64().unwrap());
        let outputs = net.run(input).unwrap();
        let expected = r["outputs"].as_array().unwrap();
        assert_eq!(outputs.len(), expected.len(), "{role}: output count");
        for (k, (got, want)) in outputs.iter().zip(expected).enumerate() {
            assert_eq!(got.len() as u64, want["len"].as_u64().unwrap(), "{role}[{k}] length");
            for (j, w) in want["head"].as_array().unwrap().iter().enumerate() {
                let w = w.as_f64().unwrap();
                assert!(close(got[j] as f64, w, 1e-4), "{role}[{k}][{j}]: tract {} vs onnxruntime {w}", got[j]);
            }
            let sum: f64 = got.iter().map(|v| *v as f64).sum();
            let l2 = got.iter().map(|v| (*v as f64).powi(2)).sum::<f64>().sqrt();
            assert!(close(l2, want["l2"].as_f64().unwrap(), 1e-4), "{role}[{k}] l2 {l2} vs {}", want["l2"]);
            assert!((sum - want["sum"].as_f64().unwrap()).abs() <= 1e-3 * (1.0 + l2), "{role}[{k}] sum {sum}");
        }
    }
}

#[test]
fn pipeline_on_a_real_photo_matches_the_reference_pipeline() {
    let r = &reference()["pipeline"];
    let engine = common::engine();
    let frame = common::photo(r["photo"].as_str().unwrap());
    let (face, embedding) = engine.embed_primary(&frame).unwrap();
    let b = face.detection.bbox;
    let want: Vec<f32> = r["box"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap() as f32).collect();
    for (got, want) in [b.x1, b.y1, b.x2, b.y2].iter().zip(&want) {
        // The only difference is the bilinear resize rounding; a pixel or two at most.
        assert!((got - want).abs() < 2.0, "box {b:?} vs reference {want:?}");
    }
    let points = face.landmarks.five_points();
    for (p, w) in points.iter().zip(r["five_points"].as_array().unwrap()) {
        let (wx, wy) = (w[0].as_f64().unwrap() as f32, w[1].as_f64().unwrap() as f32);
        assert!((p.x - wx).abs() < 2.0 && (p.y - wy).abs() < 2.0, "point {p:?} vs ({wx}, {wy})");
    }
    let reference_embedding: Vec<f32> =
        r["embedding"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap() as f32).collect();
    let cosine = entry_core::face::dot(embedding.values(), &reference_embedding);
    assert!(cosine > 0.99, "embedding cosine to the reference pipeline: {cosine}");
    let live = engine.liveness().score(&frame, &b).unwrap();
    assert!((live - r["live_probability"].as_f64().unwrap() as f32).abs() < 0.02, "liveness {live}");
}
