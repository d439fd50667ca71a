//! `entry convert-models`: every ONNX file of the manifest in tract's NNEF form, beside it, checked
//! against the sha256 the manifest pins for it: what builds without the ONNX reader (the browser's)
//! load. A second run only verifies. A model whose converted form the manifest does not name yet is
//! written as `<stem>.nnef.tar` and its sha256 printed, to pin in the manifest.

use std::path::Path;

use entry_core::model::{convert, sha256_hex, Manifest};

pub fn run(manifest: &Manifest, dir: &Path) -> Result<(), String> {
    for spec in manifest.files() {
        let name = match &spec.converted {
            Some(c) => c.file.clone(),
            None => format!("{}.nnef.tar", spec.file.trim_end_matches(".onnx")),
        };
        let out = dir.join(&name);
        if let (Some(c), Ok(bytes)) = (&spec.converted, std::fs::read(&out)) {
            if sha256_hex(&bytes) == c.sha256 {
                println!("{}: {name} verified", spec.id);
                continue;
            }
        }
        let onnx_path = dir.join(&spec.file);
        let onnx = std::fs::read(&onnx_path).map_err(|e| format!("{}: {e}", onnx_path.display()))?;
        let bytes = convert(spec, &onnx).map_err(|e| e.to_string())?;
        let sha256 = sha256_hex(&bytes);
        if let Some(c) = spec.converted.as_ref().filter(|c| c.sha256 != sha256) {
            return Err(format!(
                "{}: converted to sha256 {sha256}, the manifest pins {} (another tract version?)",
                spec.id, c.sha256
            ));
        }
        let partial = dir.join(format!("{name}.partial"));
        std::fs::write(&partial, &bytes)
            .and_then(|()| std::fs::rename(&partial, &out))
            .map_err(|e| format!("{}: {e}", out.display()))?;
        let pinned = if spec.converted.is_some() { "" } else { " (not in the manifest yet: pin it)" };
        println!("{}: {name} written, {} bytes, sha256 {sha256}{pinned}", spec.id, bytes.len());
    }
    Ok(())
}
