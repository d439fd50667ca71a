//! Liveness: is a real person in front of the camera, rather than a photo or a screen?

mod challenge;
mod motion;
mod passive;
mod session;

pub use challenge::{
    eye_aspect_ratio, ChallengeAction, ChallengePlan, ChallengePolicy, ChallengeStatus, ChallengeTracker, FaceSignals,
};
pub use passive::{softmax, PassiveLiveness};
pub use session::{LivenessPolicy, LivenessSample, LivenessSession, LivenessVerdict};
