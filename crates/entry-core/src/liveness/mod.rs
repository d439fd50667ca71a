//! Liveness: is a real person in front of the camera, rather than a photo or a screen?

mod passive;

pub use passive::{softmax, PassiveLiveness};
