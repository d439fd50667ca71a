//! The HTTP API. Every answer is JSON; every failure is `{ code, message, retryable }` with the
//! status its code implies (see [`ApiError::status`]). docs/protocol.md describes each request.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::DefaultBodyLimit;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use entry_core::capture::LivenessMode;
use entry_core::liveness::ChallengePlan;
use entry_core::policy::UseCase;
use entry_core::ErrorCode;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::apps::App;
use crate::client_ip::TrustedProxies;
use crate::error::ApiError;
use crate::keys::ServerKeys;
use crate::store::{AttemptRow, Store};

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Keys derived from the master secret.
    pub keys: Arc<ServerKeys>,
    /// The face models.
    pub engine: Arc<entry_core::FaceEngine>,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub proxies: TrustedProxies,
    /// Each app's templates, opened once for identify.
    pub(crate) galleries: Arc<crate::index::Galleries>,
    /// How long an attempt's evidence is accepted, milliseconds.
    pub attempt_ttl_ms: i64,
}

/// Unix milliseconds now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

fn random_b64<const N: usize>() -> Result<String, ApiError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::new(ErrorCode::UnknownError, format!("no randomness: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The routes. Those a page calls (attempts, evidence, the public keys) answer cross-origin
/// requests: the SDK runs on the app's origin, entry-server usually on another. Which page may
/// start an attempt is the app's origin list's decision (checked on every attempt), not CORS's;
/// no cookies or credentials are involved. The app's backend routes allow no cross-origin calls.
pub fn router(state: AppState) -> Router {
    let browser = Router::new()
        .route("/.well-known/jwks.json", get(jwks))
        .route("/v1/attempts", post(create_attempt))
        .route(
            "/v1/attempts/{id}/evidence",
            post(crate::decide::submit_evidence).layer(DefaultBodyLimit::max(crate::evidence::MAX_EVIDENCE_BYTES)),
        )
        .layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(tower_http::cors::AllowOrigin::mirror_request())
                .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
                .allow_headers([header::CONTENT_TYPE])
                .max_age(std::time::Duration::from_secs(600)),
        );
    Router::new()
        .merge(browser)
        .route("/healthz", get(healthz))
        .route("/v1/apps/{app}/audit", get(audit_log))
        .route("/v1/apps/{app}/users/{user}", axum::routing::delete(delete_user))
        .route("/v1/apps/{app}/users/{user}/devices", get(user_devices))
        .with_state(state)
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
}

async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.store.ping().await?;
    Ok(Json(Health { status: "ok" }))
}

#[derive(Serialize)]
struct Jwks {
    keys: Vec<crate::keys::Jwk>,
}

async fn jwks(State(state): State<AppState>) -> Json<Jwks> {
    Json(Jwks { keys: state.keys.jwks() })
}

/// What an attempt is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AttemptPurpose {
    /// Enroll a new user.
    Register,
    /// Check one user (`userId`).
    Verify,
    /// Recognise someone among the app's users.
    Identify,
}

/// `POST /v1/attempts`
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AttemptRequest {
    /// The app's id.
    pub app: String,
    /// What the attempt is for.
    pub purpose: AttemptPurpose,
    /// The user, for `verify`.
    #[serde(default)]
    #[ts(optional)]
    pub user_id: Option<String>,
    /// The use case the match is decided at (its target false-match rate is the app's). Default
    /// `login`; `document_match` is not an attempt's.
    #[serde(default)]
    #[ts(optional)]
    pub use_case: Option<entry_core::policy::UseCase>,
}

/// The answer to `POST /v1/attempts`.
#[derive(Debug, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttemptCreated {
    /// The attempt's id.
    pub attempt_id: String,
    /// 32 random bytes, base64url: the evidence must carry them, once.
    pub nonce: String,
    /// The challenge actions the person must perform, in order (empty without a challenge).
    pub actions: Vec<entry_core::liveness::ChallengeAction>,
    /// Unix milliseconds after which the evidence is refused.
    pub expires_at: i64,
    /// The server's HPKE public key (X25519, base64url) to encrypt the evidence to.
    pub evidence_key: String,
    /// The app's capture policy: the browser runs the same capture the server will re-run.
    pub capture: entry_core::capture::CapturePolicy,
}

impl AttemptCreated {
    /// What this attempt's evidence and device proof are bound to, for the page of `app_id` at
    /// `origin` (the sender's side: the SDK's worker, a Rust client).
    pub fn binding(&self, app_id: &str, origin: &str) -> entry_core::evidence::AttemptBinding {
        entry_core::evidence::AttemptBinding {
            attempt_id: self.attempt_id.clone(),
            nonce: self.nonce.clone(),
            app_id: app_id.into(),
            origin: origin.into(),
        }
    }
}

pub(crate) fn body<T>(json: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    json.map(|Json(v)| v).map_err(|e| ApiError::new(ErrorCode::InvalidConfiguration, e.body_text()))
}

pub(crate) async fn known_app(store: &Store, app_id: &str) -> Result<App, ApiError> {
    store.app(app_id).await?.ok_or_else(|| ApiError::new(ErrorCode::InvalidConfiguration, format!("no app {app_id}")))
}

async fn create_attempt(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    request: Result<Json<AttemptRequest>, JsonRejection>,
) -> Result<Json<AttemptCreated>, ApiError> {
    let request = body(request)?;
    let app = known_app(&state.store, &request.app).await?;
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    app.check_origin(origin)?;
    let client_ip = state.proxies.client_ip(peer.ip(), &headers);
    app.check_client(&client_ip)?;
    let user_id = match (request.purpose, request.user_id) {
        (AttemptPurpose::Verify, Some(id)) if !id.is_empty() => Some(id),
        (AttemptPurpose::Verify, _) => {
            return Err(ApiError::new(ErrorCode::InvalidConfiguration, "verify needs a userId"));
        }
        (_, _) => None,
    };
    // A locked user, or a client whose searches are throttled, is refused before the camera
    // opens (and again when the evidence arrives: the lock may start in between).
    let account = match &user_id {
        Some(id) => id.clone(),
        None => entry_core::login::identify_account(&client_ip),
    };
    if let Some(until) = state.store.locked_until(&app.app_id, &account, now_ms() / 1000).await? {
        let e = entry_core::login::LoginError::AccountLocked { until: until as u64 };
        return Err(ApiError::new(entry_core::CodedError::code(&e), e.to_string()));
    }
    let use_case = request.use_case.unwrap_or(UseCase::Login);
    if use_case == UseCase::DocumentMatch {
        return Err(ApiError::new(ErrorCode::InvalidConfiguration, "document_match is not a login use case"));
    }
    let nonce = random_b64::<32>()?;
    let capture = &app.policy.capture;
    let actions = match capture.liveness {
        LivenessMode::PassiveAndActive | LivenessMode::Adaptive => {
            let raw = URL_SAFE_NO_PAD.decode(&nonce).expect("just encoded");
            ChallengePlan::from_nonce(&raw, capture.challenge.steps).actions
        }
        LivenessMode::Off | LivenessMode::Passive => Vec::new(),
    };
    let now = now_ms();
    let row = AttemptRow {
        attempt_id: random_b64::<16>()?,
        app_id: app.app_id.clone(),
        purpose: serde_json::to_value(request.purpose).expect("serialises").as_str().unwrap_or_default().into(),
        entry_user_id: user_id,
        use_case: serde_json::to_value(use_case).expect("serialises").as_str().unwrap_or("login").into(),
        nonce,
        actions: serde_json::to_string(&actions).expect("actions serialise"),
        origin: origin.unwrap_or_default().into(),
        client_ip,
        created_at: now,
        expires_at: now + state.attempt_ttl_ms,
    };
    state.store.insert_attempt(&row).await?;
    Ok(Json(AttemptCreated {
        attempt_id: row.attempt_id,
        nonce: row.nonce,
        actions,
        expires_at: row.expires_at,
        evidence_key: state.keys.evidence.public_b64(),
        capture: app.policy.capture.clone(),
    }))
}

/// The audit log of an app and its head, for its API key holder.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AuditExport {
    head: String,
    entries: Vec<entry_core::audit::AuditEntry>,
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ")
}

/// The app of a request from its backend: known, and the bearer of its API key.
async fn authorised_app(store: &Store, app_id: &str, headers: &HeaderMap) -> Result<App, ApiError> {
    let app = known_app(store, app_id).await?;
    if bearer(headers).is_some_and(|key| app.has_api_key(key)) {
        Ok(app)
    } else {
        Err(ApiError::new(ErrorCode::SessionInvalid, "a valid API key is needed"))
    }
}

async fn audit_log(
    State(state): State<AppState>,
    Path(app_id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<AuditExport>, ApiError> {
    authorised_app(&state.store, &app_id, &headers).await?;
    let entries = state.store.audit_log(&app_id).await?;
    let head = entries.last().map_or_else(|| "0".repeat(64), |e| e.hash.clone());
    Ok(Json(AuditExport { head, entries }))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Deleted {
    deleted: String,
}

/// Erasure (GDPR art. 17): the user's record, template, devices, failure counts and lock go; the
/// deletion is audited.
async fn delete_user(
    State(state): State<AppState>,
    Path((app_id, user_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<Deleted>, ApiError> {
    authorised_app(&state.store, &app_id, &headers).await?;
    if !state.store.delete_user(&app_id, &user_id, now_ms()).await? {
        return Err(ApiError::new(ErrorCode::UserNotFound, format!("no user {user_id}")));
    }
    let event = entry_core::audit::AuditEvent::Delete { user_id: user_id.clone() };
    state.store.append_audit(&app_id, now_ms(), event).await?;
    Ok(Json(Deleted { deleted: user_id }))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Devices {
    devices: Vec<crate::store::DeviceRow>,
}

/// The device keys a user logged in from.
async fn user_devices(
    State(state): State<AppState>,
    Path((app_id, user_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<Devices>, ApiError> {
    authorised_app(&state.store, &app_id, &headers).await?;
    if state.store.user(&app_id, &user_id).await?.is_none() {
        return Err(ApiError::new(ErrorCode::UserNotFound, format!("no user {user_id}")));
    }
    Ok(Json(Devices { devices: state.store.devices(&app_id, &user_id).await? }))
}
