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
