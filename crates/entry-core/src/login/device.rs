//! Device mode's login: everything one browser profile needs between the page and the core, so the
//! worker makes one call per step and holds no logic. The page keeps the camera, the overlay and
//! the store I/O; this keeps the keys, the running attempt and the state (see [`LoginState`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::capture::{CapturePolicy, CaptureSession, CaptureUpdate};
use crate::documents::match_document_embedding;
use crate::documents::AgeRule;
use crate::model::Calibration;
use crate::policy::LockoutPolicy;
use crate::protect::{device_id, DeviceSignals};
use crate::protect::{issue_session, Keyring, MasterSecret, TemplateProtector};
use crate::{CodedError, ErrorCode, FaceEngine, Frame};

use super::attempt::{identify_account, Attempt, AttemptRequest, Purpose};
use super::error::LoginError;
use super::flow::{Captured, LoginFlow, LoginPolicy, StoreChange};
use super::state::{LoginState, StateChanges};
use super::user::{EntryUser, Timestamp, UserRecord};

/// How an app runs device mode; every field but `app_id` has a default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
pub struct DeviceLoginConfig {
    /// The app's id: keys, templates and device ids are bound to it.
    pub app_id: String,
    /// Raise to revoke every template of the app at once. Default 1.
    pub transform_version: u32,
    /// Days after which a template is stale: re-sealed under today's key when a login next opens
    /// it (templates never expire by age). Default 30.
    pub grace_days: u32,
    /// Lifetime of a session token, seconds. Default 300.
    pub session_lifetime_seconds: u64,
    #[serde(flatten)]
    /// Match policy and guardian flow.
    pub policy: LoginPolicy,
    /// Default: 5 failures in 3 minutes lock a user for 30 minutes.
    pub lockout: LockoutPolicy,
}

impl Default for DeviceLoginConfig {
    fn default() -> Self {
        DeviceLoginConfig {
            app_id: String::new(),
            transform_version: 1,
            grace_days: 30,
            session_lifetime_seconds: 300,
            policy: LoginPolicy::default(),
            lockout: LockoutPolicy::default(),
        }
    }
}

/// The state a previous page load saved (either may be missing or damaged).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
pub struct SavedState {
    /// The audit log as JSON Lines.
    pub audit_log: Option<String>,
    /// The lockout counters as JSON.
    pub lockout_state: Option<String>,
}

/// A decided attempt: the user or why not, the store writes, and the state to persist.
#[derive(Debug)]
pub struct Finished {
    /// The user, or why not.
    pub result: Result<EntryUser, LoginError>,
    /// Writes to make to the store.
    pub changes: Vec<StoreChange>,
    /// What to persist of the lockout counters and audit log.
    pub state: StateChanges,
}

/// A decided attempt as it crosses into JavaScript: the user or the error, the store writes, and
/// the state to persist (`StateChanges`' fields, flattened).
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FinishReport {
    /// The user, when the attempt succeeded.
    pub user: Option<EntryUser>,
    /// Why not, when it failed.
    pub error: Option<CodedMessage>,
    /// Writes to make to the store.
    pub changes: Vec<StoreChange>,
    #[serde(flatten)]
    /// What to persist.
    pub state: StateChanges,
}

/// An error as data: its stable code and its message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct CodedMessage {
    #[ts(type = "ErrorCode")]
    /// The stable code.
    pub code: ErrorCode,
    /// What happened, without secrets or scores.
    pub message: String,
}

impl From<Finished> for FinishReport {
    fn from(f: Finished) -> FinishReport {
        let (user, error) = match f.result {
            Ok(user) => (Some(user), None),
            Err(e) => (None, Some(CodedMessage { code: e.code(), message: e.to_string() })),
        };
        FinishReport { user, error, changes: f.changes, state: f.state }
    }
}

/// The login state from `saved`, and the restarted audit log when the saved one failed verification.
fn restore(config: &DeviceLoginConfig, saved: SavedState, now: Timestamp) -> (LoginState, Option<String>) {
    let (state, damaged) =
        LoginState::restore(config.lockout.clone(), saved.lockout_state.as_deref(), saved.audit_log.as_deref(), now);
    let restarted = damaged.map(|_| state.audit_log());
    (state, restarted)
}

struct Running {
    attempt: Attempt,
    capture: CaptureSession,
}

/// One app's logins on one device.
pub struct DeviceLogin {
    protector: TemplateProtector,
    calibration: Calibration,
    config: DeviceLoginConfig,
    state: LoginState,
    running: Option<Running>,
}

impl DeviceLogin {
    /// Keys from `master` for `config.app_id`, templates sized for `engine`'s embedder, state from
    /// `saved`. The second value is the restarted audit log when the saved one failed verification
    /// (save it in place of the old one, and keep the old one aside).
    pub fn new(
        engine: &FaceEngine,
        master: MasterSecret,
        config: DeviceLoginConfig,
        saved: SavedState,
        now: Timestamp,
    ) -> Result<(DeviceLogin, Option<String>), LoginError> {
        if config.app_id.trim().is_empty() {
            return Err(LoginError::Invalid("appId must be a non-empty string".into()));
        }
        let embedder = &engine.manifest().embedder;
        let keyring = Keyring::new(master, config.app_id.clone(), config.grace_days);
        let protector = TemplateProtector::new(keyring, config.transform_version, embedder.dimension)?;
        let (state, restarted) = restore(&config, saved, now);
        let login = DeviceLogin { protector, calibration: embedder.calibration.clone(), config, state, running: None };
        Ok((login, restarted))
    }

    /// Replaces the lockout counters and audit log with the saved copies as they are now: another
    /// tab (another `DeviceLogin` over the same storage) may have written them since. Call it with
    /// the storage locked, then decide and write back under the same lock, so two tabs' failures
    /// add up and their audit entries form one chain. Returns the restarted audit log when the
    /// saved one failed verification, as [`DeviceLogin::new`] does.
    pub fn reload(&mut self, saved: SavedState, now: Timestamp) -> Option<String> {
        let (state, restarted) = restore(&self.config, saved, now);
        self.state = state;
        restarted
    }

    /// Starts an attempt before the camera opens, refusing early what cannot succeed: a verified
    /// user who is unknown (`user` is the store's record of them) or locked, a document that does
    /// not read or has expired, an unknown age rule. Returns the device id. Nothing is audited.
    pub fn begin(
        &mut self,
        request: AttemptRequest,
        user: Option<&UserRecord>,
        signals: &DeviceSignals,
        capture: CapturePolicy,
        nonce: &[u8],
        now: Timestamp,
    ) -> Result<String, LoginError> {
        self.running = None;
        if let Purpose::Verify { entry_user_id } = &request.purpose {
            if user.is_none_or(|u| &u.entry_user_id != entry_user_id || u.sealed_template.is_none()) {
                return Err(LoginError::UnknownUser(entry_user_id.clone()));
            }
        }
        let device_id = device_id(self.protector.keyring(), signals);
        let account = match &request.purpose {
            Purpose::Verify { entry_user_id } => entry_user_id.clone(),
            Purpose::Identify { .. } => identify_account(&device_id),
        };
        if let Some(until) = self.state.locked_until(&account, now) {
            return Err(LoginError::AccountLocked { until });
        }
        let document = request.document.map(|d| d.read(self.protector.keyring(), now.date())).transpose()?;
        let age_rule = match &request.age_rule {
            None => None,
            Some(_) if document.is_none() => return Err(LoginError::Invalid("an age rule needs a document".into())),
            Some(r) => Some(
                AgeRule::named(&r.name, r.country.as_deref())
                    .ok_or_else(|| LoginError::Invalid(format!("unknown age rule {:?} (or no country)", r.name)))?,
            ),
        };
        let attempt = Attempt {
            purpose: request.purpose,
            use_case: request.use_case,
            device_id: device_id.clone(),
            client: device_id.clone(),
            started: now,
            document,
            age_rule,
        };
        self.running = Some(Running { attempt, capture: CaptureSession::new(capture, nonce) });
        Ok(device_id)
    }

    /// One camera frame of the running attempt, taken at `now_ms` (the camera's clock).
    pub fn push(&mut self, engine: &FaceEngine, frame: &Frame, now_ms: f64) -> Result<CaptureUpdate, LoginError> {
        let running = self.running.as_mut().ok_or_else(not_running)?;
        Ok(running.capture.push(engine, frame, now_ms)?)
    }

    /// Decides the running attempt after its capture succeeded. `users`: every record of the app
    /// for identify, the user's record for verify. The attempt ends either way.
    pub fn finish(
        &mut self,
        engine: &FaceEngine,
        users: &[UserRecord],
        now: Timestamp,
    ) -> Result<Finished, LoginError> {
        let Running { attempt, capture } = self.running.take().ok_or_else(not_running)?;
        let flow = LoginFlow::new(&self.protector, &self.calibration, &self.config.policy);
        let Some(embedding) = capture.embedding() else {
            return Err(LoginError::Invalid("the capture has not succeeded".into()));
        };
        let document_match = match attempt.document.as_ref().and_then(|d| d.photo.as_deref()) {
            None => Ok(None),
            Some(photo) => Frame::decode(photo)
                .and_then(|photo| match_document_embedding(engine, &self.config.policy.matching, embedding, &photo))
                .map(Some),
        };
        let mut outcome = match document_match {
            Ok(document_match) => {
                let captured = Captured { embedding, liveness_score: capture.liveness_score(), document_match };
                flow.finish(&attempt, &captured, users, now)
            }
            Err(e) => flow.abandon(&attempt, e.code(), e.to_string()),
        };
        if let Ok(user) = &mut outcome.result {
            if user.is_registration_complete {
                let lifetime = self.config.session_lifetime_seconds;
                match issue_session(
                    self.protector.keyring(),
                    &user.entry_user_id,
                    &user.device_id,
                    now.seconds(),
                    lifetime,
                ) {
                    Ok((token, _)) => user.session_token = Some(token),
                    Err(e) => outcome.result = Err(e.into()),
                }
            }
        }
        let state = self.state.record(&outcome, now);
        Ok(Finished { result: outcome.result, changes: outcome.changes, state })
    }

    /// Ends the running attempt without a decision (the capture failed, the person cancelled, the
    /// camera stopped): audited with `code`, and counted when a verification failed liveness.
    /// Without a running attempt (the failure came before `begin`) nothing is recorded.
    pub fn abandon(&mut self, code: ErrorCode, message: &str, now: Timestamp) -> StateChanges {
        let Some(Running { attempt, .. }) = self.running.take() else { return StateChanges::default() };
        let flow = LoginFlow::new(&self.protector, &self.calibration, &self.config.policy);
        self.state.record(&flow.abandon(&attempt, code, message), now)
    }

    /// Audits the deletion of a user's records (the caller deleted them from its store).
    pub fn record_deletion(&mut self, entry_user_id: &str, now: Timestamp) -> StateChanges {
        self.state.record_event(crate::audit::AuditEvent::Delete { user_id: entry_user_id.into() }, now)
    }

    /// The protector of this app's templates (to seal or open records outside a login).
    pub fn protector(&self) -> &TemplateProtector {
        &self.protector
    }
}

fn not_running() -> LoginError {
    LoginError::Invalid("no login attempt is running".into())
}
