//! The capture state machine. Frames carry the caller's clock (milliseconds), so time limits are
//! deterministic under test and follow the camera, not the CPU.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Guidance;
use crate::error::Result;
use crate::face::BoundingBox;
use crate::face::Embedding;
use crate::face::QualityIssue;
use crate::face::{Face, FaceEngine};
use crate::frame::Frame;
use crate::liveness::{
    ChallengeAction, ChallengePlan, ChallengePolicy, ChallengeStatus, ChallengeTracker, FaceSignals, LivenessPolicy,
    LivenessSession, LivenessVerdict,
};
use crate::ErrorCode;

/// How much liveness evidence a capture demands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LivenessMode {
    /// No liveness check: for tests and trusted kiosks only.
    Off,
    /// The anti-spoof model over the collected frames, plus the static-input check.
    Passive,
    /// Passive, then a randomised challenge of head turns and blinks.
    PassiveAndActive,
    /// Passive; a live verdict that is not sure (mean score under `LivenessPolicy::sure_threshold`)
    /// is followed by the challenge instead of being accepted on its own, so an attack the model
    /// half-believes must also act. Most people on familiar cameras never see a challenge.
    Adaptive,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
/// How one capture runs; every field has a default (`CapturePolicy::default()`).
pub struct CapturePolicy {
    /// Good frames averaged into the template (at least the liveness policy's `min_frames` when
    /// liveness is on).
    pub frames: usize,
    /// Time to reach enough good frames, milliseconds; the challenge has its own per-step limits.
    pub timeout_ms: f64,
    /// Consecutive frames with more than one face before the capture is refused.
    pub multiple_faces_frames: usize,
    /// A second face counts when its box is at least this fraction of the main face's height:
    /// someone beside the person, not a colleague across the room.
    pub other_face_ratio: f32,
    /// Which liveness evidence the capture demands. Default passive.
    pub liveness: LivenessMode,
    /// The passive rule (frames, thresholds, static-input motion).
    pub liveness_policy: LivenessPolicy,
    /// The active challenge (steps, time per step, thresholds).
    pub challenge: ChallengePolicy,
    /// During a challenge, the acting face must match the collected one at this false-match rate,
    /// so a photo cannot be swapped for another live person halfway.
    pub continuity_fmr: f64,
}

impl Default for CapturePolicy {
    fn default() -> Self {
        CapturePolicy {
            frames: 5,
            timeout_ms: 30_000.0,
            // About a second of video: a passer-by may cross the picture, a second person who stays
            // is someone watching or a group photo.
            multiple_faces_frames: 8,
            other_face_ratio: 0.5,
            liveness: LivenessMode::Passive,
            liveness_policy: LivenessPolicy::default(),
            challenge: ChallengePolicy::default(),
            continuity_fmr: 1e-2,
        }
    }
}

/// Why a capture ended without an embedding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "reason", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum CaptureFailure {
    /// Another face stayed in view.
    MultipleFaces {
        /// Faces in view.
        count: usize,
    },
    /// Not enough good frames in time; `guidance` is what was still wrong.
    Timeout {
        /// The last instruction given.
        guidance: Guidance,
    },
    /// The passive check found a spoof or a static input.
    Liveness {
        /// The passive verdict.
        verdict: LivenessVerdict,
    },
    /// An action of the challenge was not performed in time.
    Challenge {
        /// Index of the failed step, from 0.
        step: usize,
        /// The action that was not performed.
        action: ChallengeAction,
    },
    /// The face acting out the challenge is not the one that was captured.
    FaceChanged {
        /// Cosine score between the collected face and the acting one.
        score: f32,
    },
}

impl CaptureFailure {
    /// "capture failed (reason): {details as JSON}", e.g. the verdict of a failed liveness check.
    pub fn describe(&self) -> String {
        let mut detail = serde_json::to_value(self).unwrap_or_default();
        let reason = detail.as_object_mut().and_then(|o| o.remove("reason")).unwrap_or_default();
        format!("capture failed ({}): {detail}", reason.as_str().unwrap_or_default())
    }

    /// The stable error code the SDK reports.
    pub fn code(&self) -> ErrorCode {
        match self {
            CaptureFailure::MultipleFaces { .. } => ErrorCode::MultipleFacesDetected,
            CaptureFailure::Timeout { .. } => ErrorCode::TimeoutError,
            CaptureFailure::Liveness { .. } | CaptureFailure::Challenge { .. } | CaptureFailure::FaceChanged { .. } => {
                ErrorCode::LivenessCheckFailed
            }
        }
    }
}

/// What a UI shows after each frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum CaptureUpdate {
    /// Getting good frames: `progress` is 0..1 of the frames needed.
    Collecting {
        /// The instruction for this frame.
        guidance: Guidance,
        /// Share of the needed good frames collected, 0..1.
        progress: f32,
        /// The main face's box in frame pixels, if any.
        face: Option<BoundingBox>,
    },
    /// Waiting for the person to perform `action`.
    Challenge {
        /// The action asked for.
        action: ChallengeAction,
        /// Index of this step, from 0.
        step: usize,
        /// Steps in the challenge.
        steps: usize,
        /// Time left for this step, milliseconds.
        remaining_ms: f64,
        /// The main face's box in frame pixels, if any.
        face: Option<BoundingBox>,
    },
    /// Done: the embedding is ready (`CaptureSession::embedding`).
    Captured {
        /// Good frames averaged into the embedding.
        frames: usize,
        /// Mean passive live probability (`None` with liveness off).
        liveness_score: Option<f32>,
    },
    /// The capture ended without an embedding.
    Failed {
        #[ts(type = "ErrorCode")]
        /// The stable code the SDK reports.
        code: ErrorCode,
        /// Why, with details.
        failure: CaptureFailure,
        /// The failure for a log or an error message: its reason and details.
        message: String,
    },
}

enum Phase {
    Collecting,
    /// The passive check passed with `liveness_score`; the challenge follows.
    Challenge {
        tracker: ChallengeTracker,
        liveness_score: f32,
    },
    Captured {
        liveness_score: Option<f32>,
    },
    Failed(CaptureFailure),
}

/// One capture from first frame to embedding or failure.
pub struct CaptureSession {
    policy: CapturePolicy,
    nonce: Vec<u8>,
    phase: Phase,
    started_ms: Option<f64>,
    multiple_faces_run: usize,
    /// The instruction for the latest frame.
    guidance: Guidance,
    embeddings: Vec<Embedding>,
    signals: Vec<FaceSignals>,
    liveness: LivenessSession,
    template: Option<Embedding>,
    /// The main face of the latest frame the running capture looked at.
    used_face: Option<BoundingBox>,
}

impl CaptureSession {
    /// `nonce` seeds the active challenge (ignored unless the policy asks for one).
    pub fn new(policy: CapturePolicy, nonce: &[u8]) -> CaptureSession {
        let liveness = LivenessSession::new(policy.liveness_policy.clone());
        CaptureSession {
            policy,
            nonce: nonce.to_vec(),
            phase: Phase::Collecting,
            started_ms: None,
            multiple_faces_run: 0,
            guidance: Guidance::NoFace,
            embeddings: Vec::new(),
            signals: Vec::new(),
            liveness,
            template: None,
            used_face: None,
        }
    }

    /// Frames the capture collects before its liveness verdict.
    fn frames_needed(&self) -> usize {
        match self.policy.liveness {
            LivenessMode::Off => self.policy.frames.max(1),
            _ => self.policy.frames.max(self.policy.liveness_policy.min_frames).max(2),
        }
    }

    /// The mean embedding of the collected frames, once the capture succeeded.
    pub fn embedding(&self) -> Option<&Embedding> {
        matches!(self.phase, Phase::Captured { .. }).then_some(self.template.as_ref()).flatten()
    }

    /// The mean passive live probability of a successful capture (`None` with liveness off, or
    /// before the capture succeeded).
    pub fn liveness_score(&self) -> Option<f32> {
        match self.phase {
            Phase::Captured { liveness_score } => liveness_score,
            _ => None,
        }
    }

    /// The main face's box in the latest frame the running capture looked at (none once it had
    /// finished, or with no face or several people). What server-mode evidence keeps a crop of.
    pub fn used_face(&self) -> Option<&BoundingBox> {
        self.used_face.as_ref()
    }

    /// True once the capture succeeded or failed: further frames change nothing.
    pub fn is_finished(&self) -> bool {
        matches!(self.phase, Phase::Captured { .. } | Phase::Failed(_))
    }

    /// Processes one frame taken at `now_ms`. Errors are pipeline failures (bad frame, model
    /// error); a person-related outcome is an update.
    pub fn push(&mut self, engine: &FaceEngine, frame: &Frame, now_ms: f64) -> Result<CaptureUpdate> {
        if self.is_finished() {
            // A frame after the end is not looked at: nothing of it is kept as evidence.
            self.used_face = None;
            return Ok(self.update(None, now_ms));
        }
        let started = *self.started_ms.get_or_insert(now_ms);
        let faces = engine.analyze(frame)?;
        let present = people_in_view(&faces, self.policy.other_face_ratio);
        if present > 1 {
            self.multiple_faces_run += 1;
            if self.multiple_faces_run >= self.policy.multiple_faces_frames {
                self.phase = Phase::Failed(CaptureFailure::MultipleFaces { count: present });
            }
        } else {
            self.multiple_faces_run = 0;
        }
        let face = (present <= 1).then(|| faces.into_iter().next()).flatten();
        self.used_face = face.as_ref().map(|f| f.detection.bbox);
        if matches!(self.phase, Phase::Collecting) {
            self.collect(engine, frame, face.as_ref(), now_ms - started)?;
        } else if matches!(self.phase, Phase::Challenge { .. }) {
            self.challenge_frame(engine, frame, face.as_ref(), now_ms)?;
        }
        Ok(self.update(face.as_ref().map(|f| f.detection.bbox), now_ms))
    }

    fn collect(&mut self, engine: &FaceEngine, frame: &Frame, face: Option<&Face>, elapsed_ms: f64) -> Result<()> {
        let guidance = self.guidance_for(face);
        self.guidance = guidance;
        if let (Guidance::Good, Some(face)) = (guidance, face) {
            if self.policy.liveness != LivenessMode::Off {
                let score = engine.liveness().score(frame, &face.detection.bbox)?;
                self.liveness.add(frame, &face.detection.bbox, score);
            }
            self.embeddings.push(engine.embed(frame, face)?);
            self.signals.push(FaceSignals::new(&face.quality.pose, &face.landmarks));
        }
        if self.embeddings.len() >= self.frames_needed() {
            self.template = Some(Embedding::mean(&self.embeddings)?);
            self.phase = self.after_collecting();
        } else if elapsed_ms > self.policy.timeout_ms {
            self.phase = Phase::Failed(CaptureFailure::Timeout { guidance });
        }
        Ok(())
    }

    fn challenge_frame(&mut self, engine: &FaceEngine, frame: &Frame, face: Option<&Face>, now_ms: f64) -> Result<()> {
        let Phase::Challenge { tracker, liveness_score } = &mut self.phase else { return Ok(()) };
        let liveness_score = *liveness_score;
        let step_before = tracker_step(&tracker.status(now_ms));
        let status = tracker.observe(face.map(|f| FaceSignals::new(&f.quality.pose, &f.landmarks)), now_ms);
        if let (Some(face), true) = (face, tracker_step(&status) != step_before) {
            self.check_continuity(engine, frame, face)?;
        }
        if matches!(self.phase, Phase::Challenge { .. }) {
            match status {
                ChallengeStatus::Passed => self.phase = Phase::Captured { liveness_score: Some(liveness_score) },
                ChallengeStatus::TimedOut { step, action } => {
                    self.phase = Phase::Failed(CaptureFailure::Challenge { step, action })
                }
                ChallengeStatus::InProgress { .. } => {}
            }
        }
        Ok(())
    }

    fn guidance_for(&self, face: Option<&Face>) -> Guidance {
        match face {
            _ if self.multiple_faces_run > 0 => Guidance::OneFaceOnly,
            None => Guidance::NoFace,
            Some(f) => Guidance::for_quality(&f.quality),
        }
    }

    fn after_collecting(&self) -> Phase {
        let verdict = self.liveness.verdict();
        match (self.policy.liveness, verdict) {
            (LivenessMode::Off, _) => Phase::Captured { liveness_score: None },
            (LivenessMode::Passive, LivenessVerdict::Live { score }) => Phase::Captured { liveness_score: Some(score) },
            (LivenessMode::Adaptive, LivenessVerdict::Live { score })
                if score >= self.policy.liveness_policy.sure_threshold =>
            {
                Phase::Captured { liveness_score: Some(score) }
            }
            (_, LivenessVerdict::Live { score }) => {
                let plan = ChallengePlan::from_nonce(&self.nonce, self.policy.challenge.steps);
                let neutral = FaceSignals::neutral(&self.signals);
                let tracker = ChallengeTracker::new(plan, self.policy.challenge.clone(), neutral);
                Phase::Challenge { tracker, liveness_score: score }
            }
            (_, verdict) => Phase::Failed(CaptureFailure::Liveness { verdict }),
        }
    }

    /// The face that just performed a step must be the face that was collected.
    fn check_continuity(&mut self, engine: &FaceEngine, frame: &Frame, face: &Face) -> Result<()> {
        let Some(template) = &self.template else { return Ok(()) };
        let threshold = engine.manifest().embedder.calibration.threshold_for(self.policy.continuity_fmr)?;
        let score = template.cosine(&engine.embed(frame, face)?)?;
        if score < threshold {
            self.phase = Phase::Failed(CaptureFailure::FaceChanged { score });
        }
        Ok(())
    }

    fn update(&self, face: Option<BoundingBox>, now_ms: f64) -> CaptureUpdate {
        match &self.phase {
            Phase::Collecting => CaptureUpdate::Collecting {
                guidance: self.guidance,
                progress: self.embeddings.len() as f32 / self.frames_needed() as f32,
                face,
            },
            Phase::Challenge { tracker, .. } => match tracker.status(now_ms) {
                ChallengeStatus::InProgress { step, steps, action, remaining_ms } => {
                    CaptureUpdate::Challenge { action, step, steps, remaining_ms, face }
                }
                // Not reached: `push` turns a passed or timed-out tracker into a phase at this same
                // `now_ms` before reporting.
                _ => CaptureUpdate::Collecting { guidance: Guidance::HoldStill, progress: 1.0, face },
            },
            Phase::Captured { liveness_score } => {
                CaptureUpdate::Captured { frames: self.embeddings.len(), liveness_score: *liveness_score }
            }
            Phase::Failed(failure) => {
                CaptureUpdate::Failed { code: failure.code(), failure: failure.clone(), message: failure.describe() }
            }
        }
    }
}

/// How many people a frame shows, from its faces (largest first): faces too small to be captured, or
/// under `other_face_ratio` of the main face's height (a poster, someone across the room), do not count.
pub fn people_in_view(faces: &[Face], other_face_ratio: f32) -> usize {
    let main_height = faces.first().map_or(0.0, |f| f.detection.bbox.height());
    faces
        .iter()
        .filter(|f| !f.quality.issues.contains(&QualityIssue::TooSmall))
        .filter(|f| f.detection.bbox.height() >= other_face_ratio * main_height)
        .count()
}

fn tracker_step(status: &ChallengeStatus) -> Option<usize> {
    match status {
        ChallengeStatus::InProgress { step, .. } => Some(*step),
        _ => None,
    }
}
