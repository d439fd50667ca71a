//! Active challenges on signals recorded from real images: head turns and nods seen in photos of one
//! person pass the matching action (and only it), while a printed photo waved at a webcam (the NUAA
//! attack recordings) passes none of the actions.

mod common;

use entry_core::liveness::{
    ChallengeAction, ChallengePlan, ChallengePolicy, ChallengeStatus, ChallengeTracker, FaceSignals,
};
use entry_core::{FaceEngine, Frame};

const ALL: [ChallengeAction; 5] = [
    ChallengeAction::Blink,
    ChallengeAction::TurnLeft,
    ChallengeAction::TurnRight,
    ChallengeAction::LookUp,
    ChallengeAction::LookDown,
];

fn signals(engine: &FaceEngine, frame: &Frame) -> FaceSignals {
    let faces = engine.analyze(frame).unwrap();
    let face = faces.first().expect("a face");
    FaceSignals::new(&face.quality.pose, &face.landmarks)
}

/// Signals of a neutral photo, then of a posed photo held for two frames.
fn recorded(engine: &FaceEngine, neutral: &str, posed: &str) -> Vec<FaceSignals> {
    let at = |p: &str| signals(engine, &common::photo(&format!("identities/deepface/{p}")));
    let posed = at(posed);
    vec![at(neutral), posed, posed]
}

/// Which single actions a sequence performs, judged against the median of its first five samples
/// (its first one when shorter) as the neutral pose, as a capture does.
fn performed(sequence: &[FaceSignals]) -> Vec<ChallengeAction> {
    ALL.into_iter()
        .filter(|&action| {
            let plan = ChallengePlan { actions: vec![action] };
            let mut tracker = ChallengeTracker::new(plan, ChallengePolicy::default(), neutral(sequence));
            sequence
                .iter()
                .enumerate()
                .any(|(i, s)| tracker.observe(Some(*s), i as f64 * 200.0) == ChallengeStatus::Passed)
        })
        .collect()
}

fn neutral(sequence: &[FaceSignals]) -> FaceSignals {
    if sequence.len() < 5 {
        return sequence[0];
    }
    FaceSignals::neutral(&sequence[..5])
}

#[test]
fn real_turns_and_nods_pass_their_action_only() {
    let engine = common::engine();
    // Measured with the pipeline (yaw, pitch in degrees): person04 img59 (-10, -10) then img16 (13, -1);
    // person12 img40 (-5, 2) then img41 (-37, 9); person05 img18 (-6, -5) then img67 (-1, -27);
    // person02 img56 (3, -3) then img12 (-5, 18).
    assert_eq!(performed(&recorded(&engine, "person04/img59.jpg", "person04/img16.jpg")), [ChallengeAction::TurnLeft]);
    assert_eq!(performed(&recorded(&engine, "person12/img40.jpg", "person12/img41.jpg")), [ChallengeAction::TurnRight]);
    assert_eq!(performed(&recorded(&engine, "person05/img18.jpg", "person05/img67.jpg")), [ChallengeAction::LookUp]);
    assert_eq!(performed(&recorded(&engine, "person02/img56.jpg", "person02/img12.jpg")), [ChallengeAction::LookDown]);
}

#[test]
fn a_printed_photo_moved_in_front_of_the_camera_performs_no_action() {
    let engine = common::engine();
    for (dir, session) in [("spoof/0001", "0001_00_00_01"), ("spoof/0002", "0002_01_00_01")] {
        let frames = common::nuaa_session(dir, session, 40);
        let sequence: Vec<FaceSignals> = frames.iter().map(|f| signals(&engine, f)).collect();
        assert!(sequence.len() >= 30);
        assert_eq!(performed(&sequence), [], "{dir} {session}");
    }
}
