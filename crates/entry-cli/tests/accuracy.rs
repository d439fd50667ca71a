//! Accuracy guard: the measured error rates of the whole pipeline on the identity sets beside the
//! checkout must stay within the targets the pipeline issue set, and the shipped thresholds must
//! keep their false-match rates on every set (the README records the full tables).

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// Every identity set beside the checkout, in the order `entry eval` is given them.
const SETS: [&str; 4] = ["celeba-dev", "orl", "deepface", "faceapi"];

/// One `entry eval` over every set (embedding is the slow part, done once for all tests): each
/// set's json summary by name.
fn eval(set: &str) -> &'static serde_json::Value {
    static SUMMARIES: OnceLock<Vec<serde_json::Value>> = OnceLock::new();
    let summaries = SUMMARIES.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let dirs = SETS.map(|s| root.join("../shared/faces/identities").join(s));
        let out =
            Command::new(env!("CARGO_BIN_EXE_entry")).current_dir(&root).arg("eval").args(&dirs).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8_lossy(&out.stdout);
        stdout.lines().filter_map(|l| l.strip_prefix("json ")).map(|l| serde_json::from_str(l).unwrap()).collect()
    });
    assert_eq!(summaries.len(), SETS.len(), "one summary per set");
    &summaries[SETS.iter().position(|s| *s == set).expect("a known set")]
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

/// The calibration guard: on every set with enough impostor pairs to estimate a use case's rate
/// (3 / FMR), the shipped threshold gives at most twice that rate. The celeba-dev-only calibration
/// failed this on orl (login: 2.5e-2 measured at a 1e-3 target).
#[test]
fn shipped_thresholds_hold_on_every_identity_set() {
    let mut checked = 0;
    for set in SETS {
        let r = eval(set);
        for point in r["manifest_operating_points"].as_array().unwrap() {
            if point["enough_pairs"] != true {
                continue;
            }
            checked += 1;
            let target = point["target_fmr"].as_f64().unwrap();
            assert!(point["measured_fmr"].as_f64().unwrap() <= 2.0 * target, "{set}: {point}");
        }
    }
    // celeba-dev and orl can estimate every use case's rate (4 each); the small sets none.
    assert_eq!(checked, 8);
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
