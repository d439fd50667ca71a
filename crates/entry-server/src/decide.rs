//! `POST /v1/attempts/{id}/evidence`: the attempt is consumed (once), its evidence opened, the
//! capture re-run natively over the evidence frames with entry-core (quality, passive liveness,
//! the static-input check, the challenge the server chose from its nonce, face continuity), then
//! the core's login flow decides against the app's stored templates. The outcome is applied to the
//! database (users, audit, lockout) and a match is answered with a signed assertion. Frames live
//! only in this request's memory.

use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use entry_core::audit::AuditEvent;
use entry_core::capture::{CaptureSession, CaptureUpdate};
use entry_core::login::{
    Attempt, Captured, EntryUser, LockoutChange, LoginError, LoginFlow, LoginOutcome, Purpose, StoreChange, Timestamp,
    UserRecord,
};
use entry_core::policy::UseCase;
use entry_core::protect::{TemplateProtector, TemplateSearch};
use entry_core::{CodedError, ErrorCode, FaceEngine, Frame};
use serde::Serialize;
use ts_rs::TS;

use crate::api::{body, known_app, now_ms, AppState};
use crate::apps::App;
use crate::claims::{AssertionClaims, Confirmation, LivenessClaim};
use crate::error::ApiError;
use crate::store::AttemptRow;
use crate::templates::{current, Current};
use entry_core::evidence::{DeviceJwk, Evidence, SealedEvidence};

/// Lifetime of an assertion, seconds: long enough to reach the app's backend, short enough that a
/// leaked one is soon useless.
pub const ASSERTION_LIFETIME_S: i64 = 300;

/// The answer to a decided attempt.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Decided {
    /// A compact JWS (EdDSA) the app's backend verifies with the server's JWKS.
    pub assertion: String,
    /// The user as the SDK shows them, `assertion` included.
    pub user: EntryUser,
}

/// How the capture over the evidence ended.
enum CaptureResult {
    Captured { embedding: entry_core::face::Embedding, liveness_score: Option<f32> },
    Failed { code: ErrorCode, message: String },
}

/// Runs the app's capture over the evidence frames, at their own timestamps.
fn capture(
    engine: &FaceEngine,
    app: &App,
    attempt: &AttemptRow,
    evidence: &Evidence,
) -> Result<CaptureResult, ApiError> {
    let nonce = URL_SAFE_NO_PAD.decode(&attempt.nonce).map_err(ApiError::storage)?;
    let mut session = CaptureSession::new(app.policy.capture.clone(), &nonce);
    for frame in &evidence.frames {
        let bytes = URL_SAFE_NO_PAD
            .decode(&frame.image)
            .map_err(|_| ApiError::new(ErrorCode::InvalidImage, "a frame is not base64url"))?;
        let image = Frame::decode(&bytes)?;
        match session.push(engine, &image, frame.t)? {
            CaptureUpdate::Captured { liveness_score, .. } => {
                let embedding = session.embedding().expect("captured").clone();
                return Ok(CaptureResult::Captured { embedding, liveness_score });
            }
            CaptureUpdate::Failed { code, message, .. } => return Ok(CaptureResult::Failed { code, message }),
            _ => {}
        }
    }
    Ok(CaptureResult::Failed {
        code: ErrorCode::NotEnoughCaptures,
        message: "the evidence ended before the capture could decide".into(),
    })
}

/// The attempt's use case (stored by name; an unknown name is the strictest there is).
fn use_case(attempt: &AttemptRow) -> UseCase {
    serde_json::from_value(serde_json::Value::String(attempt.use_case.clone())).unwrap_or(UseCase::HighValuePayment)
}

fn purpose(attempt: &AttemptRow) -> Result<Purpose, ApiError> {
    match (attempt.purpose.as_str(), &attempt.entry_user_id) {
        ("register", _) => Ok(Purpose::Identify { register_if_not_found: true }),
        ("identify", _) => Ok(Purpose::Identify { register_if_not_found: false }),
        ("verify", Some(id)) => Ok(Purpose::Verify { entry_user_id: id.clone() }),
        _ => Err(ApiError::storage(format!("attempt {} has purpose {}", attempt.attempt_id, attempt.purpose))),
    }
}

/// Writes the outcome: records, audit events, lockout counts (a failure that locks is audited).
async fn apply(state: &AppState, app: &App, outcome: &LoginOutcome, now: i64) -> Result<(), ApiError> {
    for change in &outcome.changes {
        match change {
            StoreChange::Put { user } => state.store.put_user(user, state.keys.version(), now).await?,
            StoreChange::Delete { entry_user_id } => {
                state.store.delete_user(&app.app_id, entry_user_id, now).await?;
            }
        }
    }
    for event in &outcome.audit {
        state.store.append_audit(&app.app_id, now, event.clone()).await?;
    }
    match &outcome.lockout {
        Some(LockoutChange::Failure { account }) => {
            let locked = state.store.record_failure(&app.app_id, account, now / 1000, &app.policy.lockout).await?;
            if let Some(until) = locked {
                let event = AuditEvent::Lockout { account: account.clone(), until: until as u64 };
                state.store.append_audit(&app.app_id, now, event).await?;
            }
        }
        Some(LockoutChange::Success { account }) => state.store.clear_failures(&app.app_id, account).await?,
        None => {}
    }
    Ok(())
}

/// The claims of an assertion for `user`, bound to the device key `device` (its thumbprint) when
/// the browser had one.
fn claims(app: &App, attempt: &AttemptRow, user: &EntryUser, device: Option<&str>, now_s: i64) -> AssertionClaims {
    AssertionClaims {
        iss: "entry-server".into(),
        aud: app.app_id.clone(),
        sub: user.entry_user_id.clone(),
        nonce: attempt.nonce.clone(),
        jti: attempt.attempt_id.clone(),
        iat: now_s,
        exp: now_s + ASSERTION_LIFETIME_S,
        amr: vec!["face".into()],
        fmr: app.policy.login.matching.fmr(use_case(attempt)),
        liveness: LivenessClaim { mode: app.policy.capture.liveness, score: user.liveness_score },
        new_user: user.is_new_user,
        device_known: user.is_known_device,
        cnf: device.map(|jkt| Confirmation { jkt: jkt.into() }),
    }
}

/// One consumed attempt, decided.
struct Deciding<'a> {
    state: &'a AppState,
    app: &'a App,
    row: &'a AttemptRow,
    attempt: Attempt,
    /// The device key that signed the attempt, and its thumbprint.
    device: Option<(String, DeviceJwk)>,
    now: i64,
}

impl Deciding<'_> {
    /// Everything after the attempt was consumed that can fail before a decision: the lock, the
    /// evidence, the capture. Every outcome, refusals included, is audited by the caller.
    async fn decide(&mut self, sealed: &SealedEvidence) -> Result<LoginOutcome, ApiError> {
        let protector = self.state.protector(&self.app.app_id)?;
        let calibration = &self.state.engine.manifest().embedder.calibration;
        let flow = LoginFlow::new(&protector, calibration, &self.app.policy.login);
        let account = self.attempt.lockout_account();
        if let Some(until) = self.state.store.locked_until(&self.app.app_id, &account, self.now / 1000).await? {
            let e = LoginError::AccountLocked { until: until as u64 };
            return Ok(flow.abandon(&self.attempt, e.code(), e.to_string()));
        }
        let evidence = match crate::evidence::open(&self.state.keys.evidence, sealed, self.row) {
            Ok(evidence) => evidence,
            Err(e) => return Ok(flow.abandon(&self.attempt, e.code, e.message)),
        };
        if let Some(proof) = &evidence.device {
            match crate::device::verify_device(proof, self.row) {
                Ok(thumbprint) => {
                    self.attempt.device_id = thumbprint.clone();
                    self.device = Some((thumbprint, proof.public_key.clone()));
                }
                Err(e) => return Ok(flow.abandon(&self.attempt, e.code, e.message)),
            }
        }
        // Inference is CPU work: off the async workers.
        let engine = Arc::clone(&self.state.engine);
        let (app, row) = (self.app.clone(), self.row.clone());
        let captured = tokio::task::spawn_blocking(move || capture(&engine, &app, &row, &evidence))
            .await
            .map_err(|e| ApiError::new(ErrorCode::UnknownError, format!("capture task: {e}")))?;
        let (embedding, liveness_score) = match captured {
            Ok(CaptureResult::Captured { embedding, liveness_score }) => (embedding, liveness_score),
            Ok(CaptureResult::Failed { code, message }) => return Ok(flow.abandon(&self.attempt, code, message)),
            Err(e) if e.code == ErrorCode::StorageError => return Err(e),
            Err(e) => return Ok(flow.abandon(&self.attempt, e.code, e.message)),
        };
        let captured = Captured { embedding: &embedding, liveness_score, document_match: None };
        let at = Timestamp(self.now as u64);
        match &self.attempt.purpose {
            Purpose::Verify { entry_user_id } => {
                let user = match self.state.store.user(&self.app.app_id, entry_user_id).await? {
                    Some(user) => match current(self.state, user, self.now).await? {
                        Current::Ready(record) | Current::Unreadable(record, _) => vec![record],
                    },
                    None => Vec::new(),
                };
                Ok(flow.finish(&self.attempt, &captured, &user, at))
            }
            Purpose::Identify { .. } => {
                let (found, records) = self.search(&protector, &embedding).await?;
                Ok(flow.finish_search(&self.attempt, &captured, found, &records, at))
            }
        }
    }

    /// 1:N over the app's gallery (kept opened in memory): the best candidate and its record.
    async fn search(
        &self,
        protector: &TemplateProtector,
        embedding: &entry_core::face::Embedding,
    ) -> Result<(TemplateSearch, Vec<UserRecord>), ApiError> {
        let (gallery, unreadable) = self.state.galleries.synced(self.state, &self.app.app_id, self.now).await?;
        for bad in unreadable {
            let event = AuditEvent::Failure {
                user_id: Some(bad.user_id),
                device_id: self.attempt.device_id.clone(),
                code: bad.code.to_string(),
            };
            self.state.store.append_audit(&self.app.app_id, self.now, event).await?;
        }
        let probe = protector.probe(embedding)?;
        let gallery = gallery.read_owned().await;
        let (best, gallery_size) = tokio::task::spawn_blocking(move || {
            let best = gallery.gallery.best(&probe);
            (best, gallery.gallery.len())
        })
        .await
        .map_err(|e| ApiError::new(ErrorCode::UnknownError, format!("search task: {e}")))?;
        let best = best?;
        let mut records = Vec::new();
        if let Some(b) = &best {
            if let Some(user) = self.state.store.user(&self.app.app_id, &b.id).await? {
                if let Current::Ready(record) = current(self.state, user, self.now).await? {
                    records.push(record);
                }
            }
        }
        Ok((TemplateSearch { best, unreadable: Vec::new(), gallery_size }, records))
    }
}

pub(crate) async fn submit_evidence(
    State(state): State<AppState>,
    Path(attempt_id): Path<String>,
    request: Result<Json<SealedEvidence>, JsonRejection>,
) -> Result<Json<Decided>, ApiError> {
    let sealed = body(request)?;
    let app = known_app(&state.store, &sealed.app).await?;
    let now = now_ms();
    let row = state.store.consume_attempt(&attempt_id, &app.app_id, now).await?;
    let attempt = Attempt {
        purpose: purpose(&row)?,
        use_case: use_case(&row),
        // Bound to a device once its proof verifies.
        device_id: String::new(),
        client: row.client_ip.clone(),
        started: Timestamp(row.created_at as u64),
        document: None,
        age_rule: None,
    };
    let mut deciding = Deciding { state: &state, app: &app, row: &row, attempt, device: None, now };
    // From here the attempt is spent: whatever happens is decided and audited once.
    let outcome = deciding.decide(&sealed).await?;
    apply(&state, &app, &outcome, now).await?;
    let user = outcome.result.map_err(|e| ApiError::new(e.code(), e.to_string()))?;
    let device = deciding.device;
    if let Some((thumbprint, key)) = &device {
        if user.is_registration_complete {
            state.store.put_device(&app.app_id, &user.entry_user_id, thumbprint, key, now).await?;
        }
    }
    let claims = claims(&app, &row, &user, device.as_ref().map(|d| d.0.as_str()), now / 1000);
    let assertion = state.keys.sign(&serde_json::to_value(claims).expect("claims serialise"));
    let user = EntryUser { assertion: Some(assertion.clone()), ..user };
    tracing::info!(app = %app.app_id, attempt = %row.attempt_id, user = %user.entry_user_id, "decided");
    Ok(Json(Decided { assertion, user }))
}
