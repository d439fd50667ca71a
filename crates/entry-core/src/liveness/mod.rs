//! Liveness: is a real person in front of the camera, rather than a photo or a screen?

mod passive;
mod session;

pub use passive::{softmax, PassiveLiveness};
pub use session::{LivenessPolicy, LivenessSession, LivenessVerdict};
