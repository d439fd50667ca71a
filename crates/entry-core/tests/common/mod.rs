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

/// The frames of one recorded NUAA session (`live/0001`, prefix `0001_00_00_01`) in capture order.
pub fn nuaa_session(dir: &str, session: &str, n: usize) -> Vec<Frame> {
    recording(&format!("nuaa-train/{dir}"), session, n)
}

/// The first `n` frames of recording `prefix` (files `prefix_N.*`) under `liveness/<dir>`, in frame order.
pub fn recording(dir: &str, prefix: &str, n: usize) -> Vec<Frame> {
    let root = faces_dir().join("liveness").join(dir);
    let mut files: Vec<(u32, PathBuf)> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let stem = p.file_stem()?.to_str()?.to_string();
            let index = stem.strip_prefix(prefix)?.strip_prefix('_')?.parse().ok()?;
            Some((index, p))
        })
        .collect();
    files.sort();
    files.iter().take(n).map(|(_, p)| Frame::decode(&std::fs::read(p).unwrap()).unwrap()).collect()
}

/// Compares a generated file in the repository with what the test renders from the Rust source;
/// `ENTRY_BLESS=1` writes it. A difference fails with the command that regenerates it.
pub fn check_generated(relative: &str, expected: &str, test: &str) {
    let path = workspace().join(relative);
    if std::env::var_os("ENTRY_BLESS").is_some() {
        std::fs::write(&path, expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} is out of date: run ENTRY_BLESS=1 cargo test -p entry-core --test {test}",
        path.display()
    );
}
