//! Liveness over several real frames: live webcam frames pass, printed-photo attacks are spoofs,
//! and a still image repeated (what a fake camera fed a photo, or an injected image, delivers) is
//! static input whatever the passive score says: also with noise added to every frame, a looped
//! clip of a real recording, and a still panned, zoomed or turned. Every live NUAA session still
//! passes.

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

/// `frame` moved by `(tx, ty)` pixels, scaled by `zoom` and turned by `degrees` about its centre
/// (bilinear), as a still panned or zoomed in front of a camera.
fn moved(frame: &Frame, tx: f32, ty: f32, zoom: f32, degrees: f32) -> Frame {
    let (w, h) = (frame.width() as usize, frame.height() as usize);
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let (sin, cos) = degrees.to_radians().sin_cos();
    let rgb = frame.rgb();
    let mut out = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        for x in 0..w {
            // Inverse map: where in the still this output pixel comes from.
            let (dx, dy) = (x as f32 - cx - tx, y as f32 - cy - ty);
            let u = (cos * dx + sin * dy) / zoom + cx;
            let v = (-sin * dx + cos * dy) / zoom + cy;
            let (u, v) = (u.clamp(0.0, (w - 2) as f32), v.clamp(0.0, (h - 2) as f32));
            let (xi, yi) = (u as usize, v as usize);
            let (fx, fy) = (u - xi as f32, v - yi as f32);
            for c in 0..3 {
                let at = |xx: usize, yy: usize| rgb[(yy * w + xx) * 3 + c] as f32;
                let value = (1.0 - fx) * (1.0 - fy) * at(xi, yi)
                    + fx * (1.0 - fy) * at(xi + 1, yi)
                    + (1.0 - fx) * fy * at(xi, yi + 1)
                    + fx * fy * at(xi + 1, yi + 1);
                out.push(value.round() as u8);
            }
        }
    }
    Frame::from_rgb(frame.width(), frame.height(), out).unwrap()
}

#[test]
fn a_slowly_panned_zoomed_or_turned_still_is_static_input() {
    let engine = common::engine();
    let mut seed = 0x2545_f491_4f6c_dd1d;
    let stills = [
        frames("live/0001", 1).remove(0),
        common::photo("identities/deepface/person04/img59.jpg"),
        common::photo("identities/deepface/person01/img1.jpg"),
    ];
    // Per frame: pixels right (half that down), zoom, degrees turned.
    let motions = [
        (0.25, 0.0, 0.0),
        (2.0, 0.0, 0.0),
        (8.0, 0.0, 0.0),
        (0.0, 0.02, 0.0),
        (0.0, 0.05, 0.0),
        (0.0, 0.0, 2.0),
        (2.0, 0.01, 0.5),
        (1.0, 0.005, 0.0),
    ];
    for (s, still) in stills.iter().enumerate() {
        for (m, &(pan, zoom, turn)) in motions.iter().enumerate() {
            // Alternately clean, and with noise +-6 and JPEG (a virtual camera's encoder).
            let noisy = (s + m) % 2 == 1;
            let clip: Vec<Frame> = (0..5)
                .map(|k| {
                    let k = k as f32;
                    let f = moved(still, pan * k, pan * 0.5 * k, 1.0 + zoom * k, turn * k);
                    if noisy {
                        jpeg(&with_noise(&f, 6.0, &mut seed))
                    } else {
                        f
                    }
                })
                .collect();
            let v = verdict(&engine, &clip);
            println!("still {s}, pan {pan} px, zoom {zoom}, turn {turn} deg, noise and JPEG {noisy}: {v:?}");
            assert!(is_static(&v), "still {s}, pan {pan}, zoom {zoom}, turn {turn}, noisy {noisy}: {v:?}");
        }
    }
}
