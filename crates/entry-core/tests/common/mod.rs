//! Shared by the integration tests: the verified model cache and the face data beside the checkout.
#![allow(dead_code)]

use std::path::PathBuf;

use entry_core::model::Manifest;
use entry_core::{FaceEngine, Frame};

pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn models_dir() -> PathBuf {
    std::env::var_os("ENTRY_MODELS_DIR").map(PathBuf::from).unwrap_or_else(|| workspace().join(".cache/models"))
}

pub fn faces_dir() -> PathBuf {
    std::env::var_os("ENTRY_FACES_DIR").map(PathBuf::from).unwrap_or_else(|| workspace().join("../shared/faces"))
}

pub fn manifest() -> Manifest {
    Manifest::from_json(&std::fs::read_to_string(workspace().join("models/manifest.json")).unwrap()).unwrap()
}

pub fn engine() -> FaceEngine {
    FaceEngine::load_dir(manifest(), &models_dir()).expect("models missing: run scripts/setup")
}

pub fn photo(relative: &str) -> Frame {
    let path = faces_dir().join(relative);
    Frame::decode(&std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}
