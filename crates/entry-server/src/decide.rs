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
use entry_core::capture::{CaptureSession, CaptureUpdate};
use entry_core::login::{
    Attempt, Captured, EntryUser, LockoutChange, LoginFlow, LoginOutcome, Purpose, StoreChange, Timestamp,
};
use entry_core::policy::UseCase;
use entry_core::protect::TemplateProtector;
use entry_core::{CodedError, ErrorCode, FaceEngine, Frame};
use serde::Serialize;

use crate::api::{body, known_app, now_ms, AppState};
use crate::apps::App;
use crate::error::ApiError;
use crate::evidence::{Evidence, SealedEvidence};
use crate::store::AttemptRow;

/// Lifetime of an assertion, seconds: long enough to reach the app's backend, short enough that a
/// leaked one is soon useless.
pub const ASSERTION_LIFETIME_S: i64 = 300;

/// The answer to a decided attempt.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decided {
    /// A compact JWS (EdDSA) the app's backend verifies with the server's JWKS.
    pub assertion: String,
    /// The user as the SDK shows them.
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
            StoreChange::Put { user } => state.store.put_user(user, now).await?,
            StoreChange::Delete { entry_user_id } => {
                state.store.delete_user(&app.app_id, entry_user_id).await?;
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
                let event = entry_core::audit::AuditEvent::Lockout { account: account.clone(), until: until as u64 };
                state.store.append_audit(&app.app_id, now, event).await?;
            }
        }
        Some(LockoutChange::Success { account }) => state.store.clear_failures(&app.app_id, account).await?,
        None => {}
    }
    Ok(())
}

/// The claims of an assertion for `user`.
fn claims(app: &App, attempt: &AttemptRow, user: &EntryUser, now_s: i64) -> serde_json::Value {
    let mode = serde_json::to_value(app.policy.capture.liveness).unwrap_or_default();
    serde_json::json!({
        "iss": "entry-server",
        "aud": app.app_id,
        "sub": user.entry_user_id,
        "nonce": attempt.nonce,
        "jti": attempt.attempt_id,
        "iat": now_s,
        "exp": now_s + ASSERTION_LIFETIME_S,
        "amr": ["face"],
        "fmr": app.policy.login.matching.fmr(UseCase::Login),
        "liveness": { "mode": mode, "score": user.liveness_score },
        "new_user": user.is_new_user,
        "device_known": user.is_known_device,
    })
}

pub(crate) async fn submit_evidence(
    State(state): State<AppState>,
    Path(attempt_id): Path<String>,
    request: Result<Json<SealedEvidence>, JsonRejection>,
) -> Result<Json<Decided>, ApiError> {
    let sealed = body(request)?;
    let app = known_app(&state.store, &sealed.app).await?;
    let now = now_ms();
    let attempt = state.store.consume_attempt(&attempt_id, &app.app_id, now).await?;
    let evidence = state.keys.evidence.open(&sealed, &attempt)?;
    let purpose = purpose(&attempt)?;
    if let Purpose::Verify { entry_user_id } = &purpose {
        if let Some(until) = state.store.locked_until(&app.app_id, entry_user_id, now / 1000).await? {
            let e = entry_core::login::LoginError::AccountLocked { until: until as u64 };
            return Err(ApiError::new(e.code(), e.to_string()));
        }
    }
    // Inference is CPU work: off the async workers.
    let engine = Arc::clone(&state.engine);
    let (app_for_capture, attempt_for_capture) = (app.clone(), attempt.clone());
    let result =
        tokio::task::spawn_blocking(move || capture(&engine, &app_for_capture, &attempt_for_capture, &evidence))
            .await
            .map_err(|e| ApiError::new(ErrorCode::UnknownError, format!("capture task: {e}")))??;
    let users = match &purpose {
        Purpose::Verify { entry_user_id } => state.store.user(&app.app_id, entry_user_id).await?.into_iter().collect(),
        Purpose::Identify { .. } => state.store.users(&app.app_id).await?,
    };
    let core_attempt = Attempt {
        purpose,
        use_case: UseCase::Login,
        // Until device keys (SDK server mode), a server attempt is bound to no device.
        device_id: "unbound".into(),
        client: attempt.client_ip.clone(),
        started: Timestamp(attempt.created_at as u64),
        document: None,
        age_rule: None,
    };
    let keyring = state.keys.keyring(&app.app_id);
    let protector = TemplateProtector::new(keyring, 1, state.engine.manifest().embedder.dimension)?;
    let flow = LoginFlow::new(&protector, &state.engine.manifest().embedder.calibration, &app.policy.login);
    let at = Timestamp(now as u64);
    let outcome = match &result {
        CaptureResult::Captured { embedding, liveness_score } => {
            let captured = Captured { embedding, liveness_score: *liveness_score, document_match: None };
            flow.finish(&core_attempt, &captured, &users, at)
        }
        CaptureResult::Failed { code, message } => flow.abandon(&core_attempt, *code, message.clone()),
    };
    apply(&state, &app, &outcome, now).await?;
    let user = outcome.result.map_err(|e| ApiError::new(e.code(), e.to_string()))?;
    let assertion = state.keys.sign(&claims(&app, &attempt, &user, now / 1000));
    tracing::info!(app = %app.app_id, attempt = %attempt.attempt_id, user = %user.entry_user_id, "decided");
    Ok(Json(Decided { assertion, user }))
}
