//! Accuracy guard: the measured error rates of the whole pipeline on the identity sets beside the
//! checkout must stay within the targets the pipeline issue set (the README records the full table).

use std::path::PathBuf;
use std::process::Command;

fn eval(set: &str) -> serde_json::Value {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new(env!("CARGO_BIN_EXE_entry"))
        .current_dir(&root)
        .args(["eval".as_ref(), root.join("../shared/faces/identities").join(set).as_os_str()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().find_map(|l| l.strip_prefix("json ")).expect("a json summary line");
    serde_json::from_str(line).unwrap()
}

#[test]
fn deepface_eer_at_most_one_percent() {
    let r = eval("deepface");
    assert!(r["eer"].as_f64().unwrap() <= 0.01, "{r}");
    assert!(r["detection_failures"].as_u64().unwrap() <= 1, "{r}");
}

#[test]
fn orl_eer_at_most_three_and_a_half_percent() {
    let r = eval("orl");
    assert!(r["eer"].as_f64().unwrap() <= 0.035, "{r}");
    assert_eq!(r["detection_failures"], 0, "{r}");
}

fn eval_liveness(set: &str, attack: &str) -> serde_json::Value {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = root.join("../shared/faces/liveness").join(set);
    let out = Command::new(env!("CARGO_BIN_EXE_entry"))
        .current_dir(&root)
        .args(["eval-liveness".as_ref(), dir.as_os_str(), "--attack".as_ref(), attack.as_ref()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.lines().find_map(|l| l.strip_prefix("json ")).unwrap()).unwrap()
}

/// The shipped rule (5-frame mean against the default threshold) on one set: no live source loses
/// more than 5% of its capture windows, and attacks are accepted in at most `max_apcer` of theirs.
fn assert_shipped_rule(r: &serde_json::Value, attack: &str, max_apcer: f64) {
    let rule = &r["shipped_rule"];
    let live: Vec<_> = rule["per_folder"].as_array().unwrap().iter().filter(|f| f["kind"] == "live").collect();
    assert!(!live.is_empty(), "{r}");
    for source in live {
        let windows = source["windows"].as_u64().unwrap();
        assert!(windows > 0, "a live source with no capture window: {source}");
        let rejected = source["rejected"].as_u64().unwrap();
        assert!(rejected as f64 <= 0.05 * windows as f64, "live source refused: {source}");
    }
    assert!(rule["apcer"][attack]["windows"].as_u64().unwrap() > 0, "{r}");
    assert!(rule["apcer"][attack]["rate"].as_f64().unwrap() <= max_apcer, "{r}");
}

#[test]
fn passive_liveness_on_printed_photo_attacks_meets_the_iso_target() {
    let r = eval_liveness("nuaa-train", "print");
    let at5 = &r["per_frame"]["apcer_at_bpcer"][0];
    assert_eq!(at5["bpcer"], 0.05);
    assert!(at5["apcer"].as_f64().unwrap() <= 0.05, "{r}");
    assert!(at5["measured_bpcer"].as_f64().unwrap() <= 0.05 + 1e-9, "{r}");
    assert_shipped_rule(&r, "print", 0.05);
}

/// Two cameras the model never saw: a phone-class camera filmed in portrait, and tight face crops;
/// their attacks are screen replays. Before the square-crop fix and the recalibrated threshold, 85%
/// and 67% of their live capture windows were refused.
#[test]
fn the_shipped_liveness_rule_lets_people_on_unseen_cameras_in_and_refuses_their_replays() {
    for set in ["webcam-replay-a", "replay-one-person"] {
        assert_shipped_rule(&eval_liveness(set, "replay"), "replay", 0.05);
    }
}
