//! Active liveness: a randomised sequence of head and eye actions the person must perform, each
//! within a time limit. The sequence comes from a nonce, so a server that issued the nonce can
//! recompute which actions were asked for; a printed or replayed photo cannot turn or blink on cue.
//!
//! Actions are judged against the person's own neutral pose (measured while the capture collected
//! frontal frames), so a face that is slightly turned to begin with is not penalised.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::face::HeadPose;
use crate::face::Landmarks;

/// One thing the person is asked to do. Left and right are the person's own (a turn to their left
/// moves their nose to the camera image's right).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChallengeAction {
    /// Close both eyes and open them again.
    Blink,
    /// Turn the head to the person's left.
    TurnLeft,
    /// Turn the head to the person's right.
    TurnRight,
    /// Tilt the head up.
    LookUp,
    /// Tilt the head down.
    LookDown,
}

const ACTIONS: [ChallengeAction; 5] = [
    ChallengeAction::Blink,
    ChallengeAction::TurnLeft,
    ChallengeAction::TurnRight,
    ChallengeAction::LookUp,
    ChallengeAction::LookDown,
];

/// Domain separation: the same nonce used elsewhere never yields the same bytes.
const PLAN_CONTEXT: &[u8] = b"entry/liveness-challenge/v1";

/// The actions asked for, derived from a nonce.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengePlan {
    /// The actions, in the order asked.
    pub actions: Vec<ChallengeAction>,
}

impl ChallengePlan {
    /// `steps` actions drawn from SHA-256(context || nonce), never the same action twice in a row.
    pub fn from_nonce(nonce: &[u8], steps: usize) -> ChallengePlan {
        let digest = Sha256::new().chain_update(PLAN_CONTEXT).chain_update(nonce).finalize();
        let mut actions: Vec<ChallengeAction> = Vec::with_capacity(steps);
        // 32 bytes give up to 32 steps; nobody asks a person for more than a handful.
        for &byte in digest.iter().cycle().take(steps) {
            let mut action = ACTIONS[byte as usize % ACTIONS.len()];
            if actions.last() == Some(&action) {
                action = ACTIONS[(byte as usize + 1) % ACTIONS.len()];
            }
            actions.push(action);
        }
        ChallengePlan { actions }
    }
}

/// What one frame shows of the face, as the challenge needs it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaceSignals {
    /// Head yaw, degrees.
    pub yaw: f32,
    /// Head pitch, degrees.
    pub pitch: f32,
    /// Eye aspect ratio (lid gap over eye width, both eyes averaged): about 0.25-0.35 open, under
    /// 0.15 closed.
    pub eye_openness: f32,
}

impl FaceSignals {
    /// The signals of one analysed face.
    pub fn new(pose: &HeadPose, landmarks: &Landmarks) -> FaceSignals {
        FaceSignals { yaw: pose.yaw, pitch: pose.pitch, eye_openness: eye_aspect_ratio(landmarks) }
    }

    /// The person's neutral pose from frontal samples: the per-signal median, robust to one odd frame.
    pub fn neutral(samples: &[FaceSignals]) -> FaceSignals {
        let median = |f: fn(&FaceSignals) -> f32| {
            let mut v: Vec<f32> = samples.iter().map(f).collect();
            v.sort_by(f32::total_cmp);
            v.get(v.len() / 2).copied().unwrap_or(0.0)
        };
        FaceSignals { yaw: median(|s| s.yaw), pitch: median(|s| s.pitch), eye_openness: median(|s| s.eye_openness) }
    }
}

/// Soukupová and Čech's eye aspect ratio over the iBUG-68 eye contours (points 36-41 and 42-47).
pub fn eye_aspect_ratio(landmarks: &Landmarks) -> f32 {
    let p = &landmarks.0;
    if p.len() < 48 {
        return 0.0;
    }
    let d = |a: usize, b: usize| ((p[a].x - p[b].x).powi(2) + (p[a].y - p[b].y).powi(2)).sqrt();
    let eye = |o: usize| (d(o + 1, o + 5) + d(o + 2, o + 4)) / (2.0 * d(o, o + 3)).max(1e-6);
    (eye(36) + eye(42)) / 2.0
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
/// How the active challenge runs; every field has a default.
pub struct ChallengePolicy {
    /// Actions per challenge.
    pub steps: usize,
    /// Time allowed for each action, milliseconds.
    pub step_timeout_ms: f64,
    /// Head turn needed beyond the neutral yaw, degrees.
    pub turn_deg: f32,
    /// Head tilt needed beyond the neutral pitch, degrees.
    pub nod_deg: f32,
    /// Eyes count as closed below this fraction of their neutral openness, and open again above
    /// `blink_reopen` of it.
    pub blink_closed: f32,
    /// See `blink_closed`.
    pub blink_reopen: f32,
    /// Consecutive frames a turn or nod must be held: one glitched landmark frame is not an action.
    pub hold_frames: usize,
}

impl Default for ChallengePolicy {
    fn default() -> Self {
        // Angles: a deliberate turn is 20-45 degrees; the landmark pose estimate wobbles by about
        // 3 degrees on a still face, but a single blurred frame can throw it by 30 (seen on NUAA attack
        // recordings), hence the hold. Blink: the eye aspect ratio falls by more than half when the lid
        // closes and landmark noise moves it by about 10%.
        ChallengePolicy {
            steps: 2,
            step_timeout_ms: 7000.0,
            turn_deg: 15.0,
            nod_deg: 10.0,
            blink_closed: 0.6,
            blink_reopen: 0.85,
            hold_frames: 2,
        }
    }
}

/// Where a challenge stands after a frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ChallengeStatus {
    /// Waiting for `action`, step `step` (0-based) of `steps`.
    InProgress {
        /// Index of the step, from 0.
        step: usize,
        /// Steps in the challenge.
        steps: usize,
        /// The action asked for.
        action: ChallengeAction,
        /// Time left for this step, milliseconds.
        remaining_ms: f64,
    },
    /// Every action was performed in order.
    Passed,
    /// `action` (step `step`) was not seen in time.
    TimedOut {
        /// Index of the step, from 0.
        step: usize,
        /// The action not seen.
        action: ChallengeAction,
    },
}

/// Follows one person through a challenge plan, frame by frame.
#[derive(Clone, Debug)]
pub struct ChallengeTracker {
    plan: ChallengePlan,
    policy: ChallengePolicy,
    neutral: FaceSignals,
    step: usize,
    step_started_ms: Option<f64>,
    eyes_closed_seen: bool,
    held_frames: usize,
}

impl ChallengeTracker {
    /// `neutral`: the person's frontal pose and open eyes, measured before the challenge.
    pub fn new(plan: ChallengePlan, policy: ChallengePolicy, neutral: FaceSignals) -> ChallengeTracker {
        ChallengeTracker {
            plan,
            policy,
            neutral,
            step: 0,
            step_started_ms: None,
            eyes_closed_seen: false,
            held_frames: 0,
        }
    }

    /// The actions this tracker checks.
    pub fn plan(&self) -> &ChallengePlan {
        &self.plan
    }

    /// The status before any frame of the current step arrives.
    pub fn status(&self, now_ms: f64) -> ChallengeStatus {
        let Some(&action) = self.plan.actions.get(self.step) else {
            return ChallengeStatus::Passed;
        };
        let started = self.step_started_ms.unwrap_or(now_ms);
        let remaining_ms = self.policy.step_timeout_ms - (now_ms - started);
        if remaining_ms < 0.0 {
            return ChallengeStatus::TimedOut { step: self.step, action };
        }
        ChallengeStatus::InProgress { step: self.step, steps: self.plan.actions.len(), action, remaining_ms }
    }

    /// A frame with a face (`None` when no usable face was seen: time still runs).
    pub fn observe(&mut self, face: Option<FaceSignals>, now_ms: f64) -> ChallengeStatus {
        self.step_started_ms.get_or_insert(now_ms);
        if let ChallengeStatus::InProgress { action, .. } = self.status(now_ms) {
            if face.is_some_and(|f| self.performed(action, f)) {
                self.step += 1;
                self.step_started_ms = Some(now_ms);
                self.eyes_closed_seen = false;
                self.held_frames = 0;
            }
        }
        self.status(now_ms)
    }

    fn performed(&mut self, action: ChallengeAction, f: FaceSignals) -> bool {
        let (n, p) = (&self.neutral, &self.policy);
        let (turn, nod) = (f.yaw - n.yaw, f.pitch - n.pitch);
        let posed = match action {
            ChallengeAction::TurnLeft => turn >= p.turn_deg,
            ChallengeAction::TurnRight => -turn >= p.turn_deg,
            ChallengeAction::LookDown => nod >= p.nod_deg,
            ChallengeAction::LookUp => -nod >= p.nod_deg,
            ChallengeAction::Blink => {
                // Eyes close and reopen while the head stays put: a frame whose pose jumps is a
                // landmark glitch, not a blink, and eyes that stay shut (or a photo with shut eyes)
                // never reopen.
                if turn.abs() >= p.turn_deg / 2.0 || nod.abs() >= p.nod_deg / 2.0 {
                    return false;
                }
                if f.eye_openness < n.eye_openness * p.blink_closed {
                    self.eyes_closed_seen = true;
                    return false;
                }
                return self.eyes_closed_seen && f.eye_openness > n.eye_openness * p.blink_reopen;
            }
        };
        self.held_frames = if posed { self.held_frames + 1 } else { 0 };
        self.held_frames >= p.hold_frames.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_reproducible_from_the_nonce_and_vary_between_nonces() {
        let a = ChallengePlan::from_nonce(b"nonce-1", 3);
        assert_eq!(a, ChallengePlan::from_nonce(b"nonce-1", 3), "a server recomputes the same plan");
        assert_eq!(a.actions.len(), 3);
        assert!(a.actions.windows(2).all(|w| w[0] != w[1]));
        let distinct: std::collections::HashSet<_> =
            (0..50u32).map(|i| ChallengePlan::from_nonce(&i.to_le_bytes(), 3).actions).collect();
        assert!(distinct.len() > 20, "only {} distinct plans out of 50 nonces", distinct.len());
        for action in ACTIONS {
            assert!(
                (0..200u32).any(|i| ChallengePlan::from_nonce(&i.to_le_bytes(), 1).actions[0] == action),
                "{action:?} is never asked"
            );
        }
    }

    fn signals(yaw: f32, pitch: f32, eye: f32) -> Option<FaceSignals> {
        Some(FaceSignals { yaw, pitch, eye_openness: eye })
    }

    #[test]
    fn a_blink_needs_closing_then_reopening_in_time() {
        let plan = ChallengePlan { actions: vec![ChallengeAction::Blink] };
        let neutral = FaceSignals { yaw: 0.0, pitch: 0.0, eye_openness: 0.3 };
        let mut t = ChallengeTracker::new(plan.clone(), ChallengePolicy::default(), neutral);
        assert!(matches!(t.observe(signals(0.0, 0.0, 0.1), 0.0), ChallengeStatus::InProgress { .. }));
        assert!(matches!(t.observe(signals(0.0, 0.0, 0.1), 100.0), ChallengeStatus::InProgress { .. }));
        assert_eq!(t.observe(signals(0.0, 0.0, 0.29), 200.0), ChallengeStatus::Passed);
        let mut glitch = ChallengeTracker::new(plan.clone(), ChallengePolicy::default(), neutral);
        glitch.observe(signals(0.0, 30.0, 0.1), 0.0);
        assert!(matches!(glitch.observe(signals(0.0, 0.0, 0.3), 100.0), ChallengeStatus::InProgress { .. }));
        let mut shut = ChallengeTracker::new(plan, ChallengePolicy::default(), neutral);
        for i in 0..10 {
            shut.observe(signals(0.0, 0.0, 0.1), i as f64 * 1000.0);
        }
        assert_eq!(shut.status(10_000.0), ChallengeStatus::TimedOut { step: 0, action: ChallengeAction::Blink });
    }

    #[test]
    fn turns_are_measured_from_the_neutral_pose_and_time_runs_without_a_face() {
        let plan = ChallengePlan { actions: vec![ChallengeAction::TurnLeft, ChallengeAction::LookUp] };
        let neutral = FaceSignals { yaw: 8.0, pitch: 3.0, eye_openness: 0.3 };
        let mut t = ChallengeTracker::new(plan, ChallengePolicy::default(), neutral);
        assert!(matches!(t.observe(signals(20.0, 3.0, 0.3), 0.0), ChallengeStatus::InProgress { step: 0, .. }));
        assert!(matches!(t.observe(signals(24.0, 3.0, 0.3), 400.0), ChallengeStatus::InProgress { step: 0, .. }));
        assert!(matches!(t.observe(signals(8.0, 3.0, 0.3), 450.0), ChallengeStatus::InProgress { step: 0, .. }));
        assert!(matches!(t.observe(signals(24.0, 3.0, 0.3), 500.0), ChallengeStatus::InProgress { step: 0, .. }));
        assert!(matches!(t.observe(signals(25.0, 3.0, 0.3), 550.0), ChallengeStatus::InProgress { step: 1, .. }));
        assert!(matches!(t.observe(None, 6000.0), ChallengeStatus::InProgress { step: 1, .. }));
        assert_eq!(t.observe(None, 7600.0), ChallengeStatus::TimedOut { step: 1, action: ChallengeAction::LookUp });
        assert_eq!(
            t.observe(signals(8.0, -20.0, 0.3), 7700.0),
            ChallengeStatus::TimedOut { step: 1, action: ChallengeAction::LookUp }
        );
    }
}
