//! A capture in server mode: the browser runs the capture as in device mode (guidance, quality,
//! the passive check, the server's challenge), keeps a crop of every frame it looked at with a
//! face, and seals them for the server instead of deciding.
//!
//! The server re-judges every crop, and a frame at the edge of a quality rule (light, pose) can
//! fall on the other side after re-detection and JPEG: so the browser collects
//! [`EVIDENCE_MARGIN`] good frames more than the policy needs before it stops, and sends the
//! frames it judged not good too. Measured on NUAA live/0004 with a 5-frame policy: the browser's
//! 5th good frame came at frame 7, the server found only 3 good frames among those crops.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::crop::evidence_crop;
use super::error::EvidenceError;
use super::format::{AttemptBinding, DeviceProof, Evidence, EvidenceFrame, SealedEvidence, MAX_FRAMES};
use super::hpke_box::seal;
use crate::capture::{CapturePolicy, CaptureSession, CaptureUpdate};
use crate::error::Result;
use crate::face::FaceEngine;
use crate::frame::Frame;

/// Good frames the browser collects beyond the policy's, so the server still finds enough.
pub const EVIDENCE_MARGIN: usize = 3;

/// One server-mode capture: [`EvidenceCapture::push`] each camera frame, then
/// [`EvidenceCapture::seal`] what the server needs once the capture succeeded.
pub struct EvidenceCapture {
    session: CaptureSession,
    binding: AttemptBinding,
    evidence_key: String,
    frames: Vec<EvidenceFrame>,
}

impl EvidenceCapture {
    /// A capture for the server's attempt `binding`, under the app's `policy` (the server's, as
    /// the attempt gave it), whose challenge is seeded by the attempt's `nonce` bytes, sealed to
    /// `evidence_key` at the end.
    pub fn new(policy: CapturePolicy, nonce: &[u8], binding: AttemptBinding, evidence_key: String) -> EvidenceCapture {
        let frames = policy.frames.max(policy.liveness_policy.min_frames) + EVIDENCE_MARGIN;
        let local = CapturePolicy { frames, ..policy };
        EvidenceCapture { session: CaptureSession::new(local, nonce), binding, evidence_key, frames: Vec::new() }
    }

    /// One camera frame taken at `now_ms` (the camera's clock). A frame with one face is kept as a
    /// face-centred JPEG crop, up to [`MAX_FRAMES`] (a capture that needs more has timed out by then).
    pub fn push(&mut self, engine: &FaceEngine, frame: &Frame, now_ms: f64) -> Result<CaptureUpdate> {
        let update = self.session.push(engine, frame, now_ms)?;
        if let Some(face) = self.session.used_face() {
            if self.frames.len() < MAX_FRAMES {
                let image = URL_SAFE_NO_PAD.encode(evidence_crop(frame, face)?);
                self.frames.push(EvidenceFrame { t: now_ms, image });
            }
        }
        Ok(update)
    }

    /// Frames kept so far.
    pub fn frames(&self) -> usize {
        self.frames.len()
    }

    /// The kept frames and the `device` proof, sealed to the server for the attempt. Refused
    /// before the capture succeeded: there is nothing the server would accept.
    pub fn seal(self, device: Option<DeviceProof>) -> std::result::Result<SealedEvidence, EvidenceError> {
        if self.session.embedding().is_none() {
            return Err(EvidenceError::Malformed("the capture has not succeeded".into()));
        }
        seal(&self.evidence_key, &self.binding, &Evidence { frames: self.frames, device })
    }
}
