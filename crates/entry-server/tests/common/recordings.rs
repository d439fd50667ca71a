//! Real recordings from ../shared (beside the checkout), frame by frame: used by the tests and by
//! the load bench (`benches/load.rs` includes this file).

/// The workspace root.
pub fn workspace() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The first `n` frames of a NUAA recording, as the JPEG bytes a browser would send.
pub fn recording(dir: &str, prefix: &str, n: usize) -> Vec<Vec<u8>> {
    camera_recording("nuaa-train", dir, prefix, 0, n)
}

/// Frames `skip..skip + n` of recording `prefix` of `set` (e.g. `webcam-replay-a`, `live`).
pub fn camera_recording(set: &str, dir: &str, prefix: &str, skip: usize, n: usize) -> Vec<Vec<u8>> {
    let root = workspace().join("../shared/faces/liveness").join(set).join(dir);
    let mut files: Vec<(u32, std::path::PathBuf)> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e} (../shared/faces belongs beside the checkout)", root.display()))
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let index = p.file_stem()?.to_str()?.strip_prefix(prefix)?.strip_prefix('_')?.parse().ok()?;
            Some((index, p))
        })
        .collect();
    files.sort();
    files.iter().skip(skip).take(n).map(|(_, p)| std::fs::read(p).unwrap()).collect()
}
