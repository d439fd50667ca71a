//! Liveness over several real frames: live webcam frames pass, printed-photo attacks are spoofs,
//! and a still image repeated (what a fake camera fed a photo, or an injected image, delivers) is
//! static input whatever the passive score says: also with noise added to every frame, and a
//! looped clip of a real recording. Every live NUAA session still passes.

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

/// `frame` with independent uniform noise in [-amp, amp] added to every pixel (the same to R, G
/// and B, as luma noise), from a seeded generator: what `ffmpeg -vf noise=alls=N:allf=t` adds.
fn with_noise(frame: &Frame, amp: f32, seed: &mut u64) -> Frame {
    let rgb = frame
        .rgb()
        .chunks_exact(3)
        .flat_map(|p| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            let n = ((*seed % 20_001) as f32 / 10_000.0 - 1.0) * amp;
            p.iter().map(move |&v| (v as f32 + n).round().clamp(0.0, 255.0) as u8).collect::<Vec<_>>()
        })
        .collect();
    Frame::from_rgb(frame.width(), frame.height(), rgb).unwrap()
}

/// JPEG at quality 90 and back, as a video encoder or the server-mode crop would.
fn jpeg(frame: &Frame) -> Frame {
    Frame::decode(&frame.encode_jpeg(90).unwrap()).unwrap()
}

fn is_static(v: &LivenessVerdict) -> bool {
    matches!(v, LivenessVerdict::StaticInput { .. })
}

#[test]
fn a_still_with_noise_added_to_every_frame_is_static_input() {
    let engine = common::engine();
    let mut seed = 0x9e37_79b9_7f4a_7c15;
    let stills = [frames("live/0001", 1).remove(0), common::photo("identities/deepface/person04/img59.jpg")];
    for still in &stills {
        for amp in [3.0, 6.0, 12.0] {
            let noisy: Vec<Frame> = (0..6).map(|_| with_noise(still, amp, &mut seed)).collect();
            let v = verdict(&engine, &noisy);
            assert!(is_static(&v), "noise +-{amp}: {v:?}");
            let encoded: Vec<Frame> = noisy.iter().map(jpeg).collect();
            let v = verdict(&engine, &encoded);
            assert!(is_static(&v), "noise +-{amp}, JPEG: {v:?}");
        }
    }
}

#[test]
fn a_looped_clip_of_a_real_recording_is_static_input() {
    let engine = common::engine();
    let mut seed = 7;
    for (dir, session) in [("live/0001", "0001_00_00_02"), ("live/0004", "0004_01_00_01")] {
        let clip = common::nuaa_session(dir, session, 3);
        // Three real frames played 0 1 2 0 1 2 ..., with fresh noise on every frame and encoded.
        let looped: Vec<Frame> = (0..6).map(|i| jpeg(&with_noise(&clip[i % 3], 6.0, &mut seed))).collect();
        let v = verdict(&engine, &looped);
        assert!(is_static(&v), "{session}: {v:?}");
        // The same frames once through are a live person.
        let once = common::nuaa_session(dir, session, 6);
        assert!(matches!(verdict(&engine, &once), LivenessVerdict::Live { .. }), "{session}");
    }
}

#[test]
fn every_live_nuaa_session_still_passes() {
    let engine = common::engine();
    let root = common::faces_dir().join("liveness/nuaa-train/live");
    let mut sessions: Vec<(String, String)> = Vec::new();
    for person in std::fs::read_dir(&root).unwrap() {
        let person = person.unwrap();
        for file in std::fs::read_dir(person.path()).unwrap() {
            let name = file.unwrap().file_name().into_string().unwrap();
            let session = name[..name.rfind('_').unwrap()].to_string();
            sessions.push((format!("live/{}", person.file_name().to_string_lossy()), session));
        }
    }
    sessions.sort();
    sessions.dedup();
    assert!(sessions.len() >= 16, "{sessions:?}");
    for (dir, session) in &sessions {
        // The first 8 frames: 4 windows of the 5 frames a capture collects.
        let frames = common::nuaa_session(dir, session, 8);
        for window in frames.windows(5) {
            let v = verdict(&engine, window);
            assert!(matches!(v, LivenessVerdict::Live { .. }), "{session}: {v:?}");
        }
    }
}
