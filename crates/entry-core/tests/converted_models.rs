//! The models converted ahead of time (`entry convert-models`, tract's NNEF form: what the browser
//! build loads) give the ONNX models' results on real faces: the same detections and landmarks, the
//! same embeddings (cosine >= 0.9999) and liveness scores. Bytes that are neither form are refused.

mod common;

use entry_core::model::sha256_hex;
use entry_core::{ErrorCode, FaceEngine};

/// The engine from the converted files: each ONNX file name the loader asks for gets its converted form.
fn converted_engine() -> FaceEngine {
    let manifest = common::manifest();
    let dir = common::models_dir();
    let converted: Vec<(String, String)> = manifest
        .files()
        .iter()
        .map(|m| (m.file.clone(), m.converted.as_ref().expect("the manifest pins every converted form").file.clone()))
        .collect();
    FaceEngine::load(manifest, |file| {
        let name = &converted.iter().find(|(onnx, _)| onnx == file).expect("a manifest file").1;
        Ok(std::fs::read(dir.join(name)).expect("converted models missing: run scripts/setup"))
    })
    .unwrap()
}

#[test]
fn converted_models_give_the_onnx_results_on_real_faces() {
    let onnx = common::engine();
    let converted = converted_engine();
    let photos =
        ["identities/deepface/person01/img1.jpg", "identities/deepface/person04/img59.jpg", "scenes/faceapi-bbt1.jpg"];
    for photo in photos {
        let frame = common::photo(photo);
        let (a, b) = (onnx.analyze(&frame).unwrap(), converted.analyze(&frame).unwrap());
        assert_eq!(a.len(), b.len(), "{photo}: faces");
        assert!(!a.is_empty(), "{photo}: no face");
        for (fa, fb) in a.iter().zip(&b) {
            assert!((fa.detection.score - fb.detection.score).abs() < 1e-4, "{photo}: detection score");
            let (ba, bb) = (&fa.detection.bbox, &fb.detection.bbox);
            assert!((ba.x1 - bb.x1).abs() < 0.05 && (ba.y2 - bb.y2).abs() < 0.05, "{photo}: box {ba:?} {bb:?}");
            let (ea, eb) = (onnx.embed(&frame, fa).unwrap(), converted.embed(&frame, fb).unwrap());
            let cosine = ea.cosine(&eb).unwrap();
            assert!(cosine >= 0.9999, "{photo}: embeddings at cosine {cosine}");
            let la = onnx.liveness().score(&frame, &fa.detection.bbox).unwrap();
            let lb = converted.liveness().score(&frame, &fb.detection.bbox).unwrap();
            assert!((la - lb).abs() < 1e-4, "{photo}: liveness {la} {lb}");
        }
    }
}

#[test]
fn bytes_of_neither_form_are_refused_with_model_integrity() {
    let manifest = common::manifest();
    let dir = common::models_dir();
    let detector = manifest.detector.model.clone();
    let converted = detector.converted.clone().unwrap();
    let mut bytes = std::fs::read(dir.join(&converted.file)).unwrap();
    assert_eq!(sha256_hex(&bytes), converted.sha256, "the pinned converted form");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    let e = FaceEngine::load(manifest, |file| {
        if file == detector.file {
            Ok(bytes.clone())
        } else {
            Ok(std::fs::read(dir.join(file)).unwrap())
        }
    })
    .err()
    .expect("a changed byte must not load");
    assert_eq!(entry_core::CodedError::code(&e), ErrorCode::ModelIntegrity, "{e}");
}
