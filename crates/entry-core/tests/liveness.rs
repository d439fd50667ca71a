//! Liveness over several real frames: live webcam frames pass, printed-photo attacks are spoofs,
//! and a still image repeated (what a fake camera fed a photo, or an injected image, delivers) is
//! static input whatever the passive score says.

mod common;

use entry_core::liveness::{LivenessPolicy, LivenessSession, LivenessVerdict};
use entry_core::{FaceEngine, Frame};

fn frames(dir: &str, n: usize) -> Vec<Frame> {
    let root = common::faces_dir().join("liveness/nuaa-train").join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files.iter().take(n).map(|p| Frame::decode(&std::fs::read(p).unwrap()).unwrap()).collect()
}

fn verdict(engine: &FaceEngine, frames: &[Frame]) -> LivenessVerdict {
    let mut session = LivenessSession::new(LivenessPolicy::default());
    for f in frames {
        let face = engine.primary_detection(f).unwrap();
        session.add(f, &face.bbox, engine.liveness().score(f, &face.bbox).unwrap());
    }
    session.verdict()
}

#[test]
fn live_frames_pass_and_printed_photos_are_spoofs() {
    let engine = common::engine();
    assert!(matches!(verdict(&engine, &frames("live/0001", 6)), LivenessVerdict::Live { .. }));
    assert!(matches!(verdict(&engine, &frames("spoof/0001", 6)), LivenessVerdict::Spoof { .. }));
}

#[test]
fn a_repeated_still_is_static_input_even_when_it_looks_live() {
    let engine = common::engine();
    let still = frames("live/0001", 1).remove(0);
    let repeated = vec![still; 6];
    assert!(matches!(verdict(&engine, &repeated), LivenessVerdict::StaticInput { .. }));
    assert!(matches!(
        verdict(&engine, &frames("live/0001", 3)),
        LivenessVerdict::NotEnoughFrames { frames: 3, needed: 5 }
    ));
}
