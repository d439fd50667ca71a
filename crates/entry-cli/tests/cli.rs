//! The `entry` binary on real photos: JSON output, decisions at the calibrated threshold, and clear
//! failures on bad input.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn photo(rel: &str) -> PathBuf {
    root().join("../shared/faces/identities").join(rel)
}

fn entry(args: &[&std::ffi::OsStr]) -> (bool, serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_entry")).current_dir(root()).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let json = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
    (out.status.success(), json, String::from_utf8_lossy(&out.stderr).to_string())
}

#[test]
fn verify_accepts_the_same_person_and_rejects_another() {
    let a = photo("deepface/person01/img1.jpg");
    let same = photo("deepface/person01/img2.jpg");
    let other = photo("deepface/person02/img12.jpg");
    let (ok, v, err) = entry(&["verify".as_ref(), a.as_os_str(), same.as_os_str()]);
    assert!(ok, "{err}");
    assert_eq!(v["match"], true, "{v}");
    assert_eq!(v["fmr"], 0.001);
    let (ok, v, _) = entry(&["verify".as_ref(), a.as_os_str(), other.as_os_str()]);
    assert!(ok);
    assert_eq!(v["match"], false, "{v}");
    assert!(v["score"].as_f64().unwrap() < v["threshold"].as_f64().unwrap());
}

#[test]
fn detect_reports_every_face_of_a_group_photo() {
    let group = root().join("../shared/faces/scenes/deepface-couple.jpg");
    let (ok, v, err) = entry(&["detect".as_ref(), group.as_os_str()]);
    assert!(ok, "{err}");
    let faces = v["faces"].as_array().unwrap();
    assert_eq!(faces.len(), 2, "{v}");
    assert_eq!(faces[0]["landmarks"].as_array().unwrap().len(), 68);
    let area = |f: &serde_json::Value| {
        let b = &f["detection"]["bbox"];
        (b["x2"].as_f64().unwrap() - b["x1"].as_f64().unwrap())
            * (b["y2"].as_f64().unwrap() - b["y1"].as_f64().unwrap())
    };
    assert!(area(&faces[0]) >= area(&faces[1]), "largest first");
}

#[test]
fn bad_input_fails_with_a_message() {
    let manifest = root().join("models/manifest.json");
    let (ok, _, err) = entry(&["embed".as_ref(), manifest.as_os_str()]);
    assert!(!ok);
    assert!(err.contains("image could not be decoded"), "{err}");
    let (ok, _, err) = entry(&["embed".as_ref(), "no/such/file.jpg".as_ref()]);
    assert!(!ok);
    assert!(err.contains("no/such/file.jpg"), "{err}");
}

/// The LFW protocol end to end: deepface photos laid out with LFW's names, a pairs.txt over them.
#[test]
fn lfw_pairs_protocol_runs_on_real_photos() {
    let src = photo("deepface");
    let lfw = std::env::temp_dir().join(format!("entry-lfw-{}", std::process::id()));
    let mut people: Vec<(String, usize)> = Vec::new();
    for dir in std::fs::read_dir(&src).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()) {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        std::fs::create_dir_all(lfw.join(&name)).unwrap();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for (i, f) in files.iter().enumerate() {
            std::os::unix::fs::symlink(f, lfw.join(&name).join(format!("{name}_{:04}.jpg", i + 1))).unwrap();
        }
        people.push((name, files.len()));
    }
    people.sort();
    // 2 folds x (5 matched + 5 mismatched): matched pairs image 1 with 2 of one person,
    // mismatched pairs image 1 of one person with image 1 of the next.
    let multi: Vec<&(String, usize)> = people.iter().filter(|(_, n)| *n >= 2).collect();
    let mut lines = vec!["2 5".to_string()];
    for fold in 0..2 {
        for k in 0..5 {
            let (name, _) = multi[(fold * 5 + k) % multi.len()];
            lines.push(format!("{name} 1 2"));
        }
        for k in 0..5 {
            let i = fold * 5 + k;
            lines.push(format!("{} 1 {} 1", people[i % people.len()].0, people[(i + 1) % people.len()].0));
        }
    }
    let pairs = lfw.join("pairs.txt");
    std::fs::write(&pairs, lines.join("\n")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_entry"))
        .current_dir(root())
        .args(["eval".as_ref(), "--lfw-pairs".as_ref(), pairs.as_os_str(), "--root".as_ref(), lfw.as_os_str()])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&lfw).unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("2 folds"), "{stdout}");
    let summary: serde_json::Value =
        serde_json::from_str(stdout.lines().find_map(|l| l.strip_prefix("json ")).unwrap()).unwrap();
    assert_eq!(summary["genuine_pairs"], 10);
    assert_eq!(summary["impostor_pairs"], 10);
    assert!(summary["extra"]["accuracy_mean"].as_f64().unwrap() >= 0.9, "{summary}");
    // Accuracy both ways: every pair, and only the pairs where both faces were found.
    let failed = summary["detection_failures"].as_u64().unwrap();
    assert_eq!(summary["extra"]["detected_pairs"].as_u64().unwrap(), 20 - failed, "{summary}");
    assert!(summary["extra"]["accuracy_detected_pairs_mean"].as_f64().is_some(), "{summary}");
    assert!(stdout.contains("over the") && stdout.contains("pairs with both faces found"), "{stdout}");
    // What the shipped thresholds give, per use case.
    let uses: Vec<&str> = summary["manifest_operating_points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["use_case"].as_str().unwrap())
        .collect();
    assert_eq!(uses, ["login", "account_recovery", "high_value_payment", "document_match"]);
}
