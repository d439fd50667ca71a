//! Labelled face data: folder-per-identity trees and the LFW pairs.txt protocol.

use std::path::{Path, PathBuf};

/// One image and the identity it shows.
#[derive(Clone, Debug)]
pub struct Sample {
    pub identity: usize,
    pub path: PathBuf,
}

const IMAGE_EXTENSIONS: [&str; 6] = ["jpg", "jpeg", "png", "pgm", "ppm", "pnm"];

fn is_image(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    Ok(entries)
}

/// Every image file below `dir`, at any depth, in path order.
pub fn image_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for p in sorted_entries(&d)? {
            if p.is_dir() {
                stack.push(p);
            } else if is_image(&p) {
                files.push(p);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Every image below `root/<identity>/` (nested folders included), identities in name order.
pub fn identities(root: &Path) -> Result<(Vec<String>, Vec<Sample>), String> {
    let mut names = Vec::new();
    let mut samples = Vec::new();
    for dir in sorted_entries(root)?.into_iter().filter(|p| p.is_dir()) {
        let files = image_files(&dir)?;
        if files.is_empty() {
            continue;
        }
        let identity = names.len();
        names.push(dir.file_name().unwrap_or_default().to_string_lossy().into_owned());
        samples.extend(files.into_iter().map(|path| Sample { identity, path }));
    }
    if samples.is_empty() {
        return Err(format!("{}: no identity folders with images", root.display()));
    }
    Ok((names, samples))
}

/// The frames of one source in a liveness set: one recording, or one folder of photos.
#[derive(Clone, Debug)]
pub struct Source {
    /// The folder below `live/` or `spoof/`, and the recording's file-name prefix if it has one.
    pub name: String,
    /// In frame-number order.
    pub frames: Vec<PathBuf>,
}

/// Splits a file stem into a recording prefix and a trailing frame number: `0001_00_00_01_123`
/// -> (`0001_00_00_01`, 123), `eff178_0042` -> (`eff178`, 42), `17` -> (``, 17).
fn recording_and_frame(stem: &str) -> (&str, Option<u64>) {
    let (prefix, number) = match stem.rfind(['_', '-']) {
        Some(i) => (&stem[..i], &stem[i + 1..]),
        None => ("", stem),
    };
    match number.parse() {
        Ok(n) => (prefix, Some(n)),
        Err(_) => (stem, None),
    }
}

/// Groups the images below `dir` by source: frames of one recording are consecutive video frames, so
/// error rates are counted per source and per capture window, never per pooled frame.
pub fn sources(dir: &Path) -> Result<Vec<Source>, String> {
    let mut groups: std::collections::BTreeMap<String, Vec<(Option<u64>, PathBuf)>> = Default::default();
    for path in image_files(dir)? {
        let folder = path.parent().and_then(|p| p.strip_prefix(dir).ok()).unwrap_or(Path::new(""));
        let stem = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let (recording, frame) = recording_and_frame(&stem);
        let name = [folder.to_string_lossy().as_ref(), recording]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("/");
        groups.entry(name).or_default().push((frame, path));
    }
    if groups.is_empty() {
        return Err(format!("{}: no images", dir.display()));
    }
    Ok(groups
        .into_iter()
        .map(|(name, mut frames)| {
            frames.sort();
            Source {
                name: if name.is_empty() { ".".into() } else { name },
                frames: frames.into_iter().map(|f| f.1).collect(),
            }
        })
        .collect())
}

/// One LFW pair: two image paths, whether they show the same person, and its fold.
#[derive(Clone, Debug)]
pub struct Pair {
    pub a: PathBuf,
    pub b: PathBuf,
    pub same: bool,
    pub fold: usize,
}

fn lfw_path(root: &Path, name: &str, number: &str) -> Result<PathBuf, String> {
    let n: u32 = number.parse().map_err(|_| format!("image number {number:?} is not a number"))?;
    Ok(root.join(name).join(format!("{name}_{n:04}.jpg")))
}

/// Parses pairs.txt: a header "folds pairs-per-fold", then per fold that many matched lines
/// ("name n1 n2") followed by as many mismatched ones ("name1 n1 name2 n2").
pub fn lfw_pairs(text: &str, root: &Path) -> Result<Vec<Pair>, String> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<usize> = lines
        .next()
        .ok_or("pairs file is empty")?
        .split_whitespace()
        .map(|v| v.parse().map_err(|_| format!("header value {v:?} is not a number")))
        .collect::<Result<_, _>>()?;
    let (folds, per_fold) = match header[..] {
        [f, p] => (f, p),
        [p] => (10, p / 10),
        _ => return Err("header must be \"folds pairs-per-fold\"".into()),
    };
    let mut pairs = Vec::with_capacity(folds * per_fold * 2);
    for (i, line) in lines.enumerate() {
        let fold = i / (2 * per_fold.max(1));
        let f: Vec<&str> = line.split_whitespace().collect();
        let pair = match f[..] {
            [name, n1, n2] => Pair { a: lfw_path(root, name, n1)?, b: lfw_path(root, name, n2)?, same: true, fold },
            [a, n1, b, n2] => Pair { a: lfw_path(root, a, n1)?, b: lfw_path(root, b, n2)?, same: false, fold },
            _ => return Err(format!("line {}: expected 3 or 4 fields: {line:?}", i + 2)),
        };
        pairs.push(pair);
    }
    if pairs.len() != folds * per_fold * 2 {
        return Err(format!("{} pairs, header promises {}", pairs.len(), folds * per_fold * 2));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lfw_pairs() {
        let text = "2 1\nAbel_Pacheco 1 4\nAbel_Pacheco 1 Jim_Tressel 1\nZ 2 3\nA 1 B 12\n";
        let pairs = lfw_pairs(text, Path::new("/lfw")).unwrap();
        assert_eq!(pairs.len(), 4);
        assert!(pairs[0].same && !pairs[1].same);
        assert_eq!(pairs[0].b, PathBuf::from("/lfw/Abel_Pacheco/Abel_Pacheco_0004.jpg"));
        assert_eq!(pairs[3].b, PathBuf::from("/lfw/B/B_0012.jpg"));
        assert_eq!((pairs[1].fold, pairs[2].fold), (0, 1));
        assert!(lfw_pairs("1 1\nA 1\n", Path::new("/")).is_err());
        assert!(lfw_pairs("1 2\nA 1 2\n", Path::new("/")).is_err());
    }

    #[test]
    fn splits_recordings_from_frame_numbers() {
        assert_eq!(recording_and_frame("0001_00_00_01_123"), ("0001_00_00_01", Some(123)));
        assert_eq!(recording_and_frame("eff178_0042"), ("eff178", Some(42)));
        assert_eq!(recording_and_frame("17"), ("", Some(17)));
        assert_eq!(recording_and_frame("portrait"), ("portrait", None));
        assert_eq!(recording_and_frame("clip_a"), ("clip_a", None));
    }
}
