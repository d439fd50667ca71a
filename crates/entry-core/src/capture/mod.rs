//! One capture, frame by frame: guides the person into a usable position, collects good frames,
//! checks liveness (passive, then optionally an active challenge) and yields the embedding. The
//! browser only pumps frames in and shows what comes out; every decision is made here.

mod guidance;
mod session;

pub use guidance::Guidance;
pub use session::{people_in_view, CaptureFailure, CapturePolicy, CaptureSession, CaptureUpdate, LivenessMode};
