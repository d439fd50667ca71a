//! Attempts: created only from an app's origins and networks, with a fresh nonce and the challenge
//! the app's policy asks for; each consumed once, whichever process asks first.

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use entry_core::capture::{CapturePolicy, LivenessMode};
use entry_core::liveness::ChallengePlan;
use entry_server::{AppPolicy, AppState};
use serde_json::json;

fn origin(app: &entry_server::App) -> String {
    format!("https://{}", app.app_id)
}

#[tokio::test]
async fn an_attempt_comes_only_from_the_apps_origins_and_networks() {
    for db in common::databases() {
        let (state, app, _) = common::state_with_app(&db, "bank", AppPolicy::default()).await;
        let o = origin(&app);
        let create = |peer: &'static str, headers: Vec<(&'static str, String)>, body: serde_json::Value| {
            let state = state.clone();
            async move {
                let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
                common::call(&state, peer, "POST", "/v1/attempts", &headers, Some(body)).await
            }
        };
        let identify = json!({ "app": app.app_id, "purpose": "identify" });

        let (status, created) = create("198.51.100.7", vec![("origin", o.clone())], identify.clone()).await;
        assert_eq!(status, 200, "{created}");
        let nonce = URL_SAFE_NO_PAD.decode(created["nonce"].as_str().unwrap()).unwrap();
        assert_eq!(nonce.len(), 32);
        assert_eq!(created["actions"], json!([]), "passive liveness: no challenge");
        let ttl = created["expiresAt"].as_i64().unwrap() - entry_server::now_ms();
        assert!((110_000..=120_000).contains(&ttl), "{ttl}");
        let (_, again) = create("198.51.100.7", vec![("origin", o.clone())], identify.clone()).await;
        assert_ne!(again["nonce"], created["nonce"]);
        assert_ne!(again["attemptId"], created["attemptId"]);

        let refused = |expected_status: u16,
                       expected: &'static str,
                       (status, body): (axum::http::StatusCode, serde_json::Value)| {
            assert_eq!(
                (status.as_u16(), body["code"].as_str().unwrap_or_default()),
                (expected_status, expected),
                "{body}"
            );
        };
        refused(
            403,
            "ORIGIN_NOT_ALLOWED",
            create("198.51.100.7", vec![("origin", "https://evil.example".into())], identify.clone()).await,
        );
        refused(403, "ORIGIN_NOT_ALLOWED", create("198.51.100.7", vec![], identify.clone()).await);
        refused(403, "IP_NOT_ALLOWED", create("203.0.113.5", vec![("origin", o.clone())], identify.clone()).await);
        // A forwarded header counts only from a trusted proxy (10.0.0.0/8 in the test config).
        let forwarded = |ip: &str| vec![("origin", o.clone()), ("x-forwarded-for", ip.to_string())];
        assert_eq!(create("10.1.2.3", forwarded("198.51.100.9"), identify.clone()).await.0, 200);
        refused(403, "IP_NOT_ALLOWED", create("10.1.2.3", forwarded("203.0.113.5"), identify.clone()).await);
        refused(403, "IP_NOT_ALLOWED", create("203.0.113.5", forwarded("198.51.100.9"), identify.clone()).await);

        refused(
            400,
            "INVALID_CONFIGURATION",
            create("198.51.100.7", vec![("origin", o.clone())], json!({ "app": app.app_id, "purpose": "verify" }))
                .await,
        );
        refused(
            400,
            "INVALID_CONFIGURATION",
            create(
                "198.51.100.7",
                vec![("origin", o.clone())],
                json!({ "app": "nobody.example", "purpose": "identify" }),
            )
            .await,
        );
        refused(
            400,
            "INVALID_CONFIGURATION",
            create("198.51.100.7", vec![("origin", o.clone())], json!({ "app": app.app_id, "purpose": "steal" })).await,
        );
        refused(
            400,
            "INVALID_CONFIGURATION",
            create("198.51.100.7", vec![("origin", o.clone())], json!("not an object")).await,
        );
        state.store.close().await;
    }
}

#[tokio::test]
async fn the_challenge_comes_from_the_servers_nonce_and_the_apps_policy() {
    for db in common::databases() {
        let policy = AppPolicy {
            capture: CapturePolicy { liveness: LivenessMode::PassiveAndActive, ..CapturePolicy::default() },
            ..AppPolicy::default()
        };
        let (state, app, _) = common::state_with_app(&db, "clinic", policy).await;
        let body = json!({ "app": app.app_id, "purpose": "register" });
        let (status, created) =
            common::call(&state, "198.51.100.7", "POST", "/v1/attempts", &[("origin", &origin(&app))], Some(body))
                .await;
        assert_eq!(status, 200, "{created}");
        let nonce = URL_SAFE_NO_PAD.decode(created["nonce"].as_str().unwrap()).unwrap();
        let expected = ChallengePlan::from_nonce(&nonce, CapturePolicy::default().challenge.steps).actions;
        assert_eq!(created["actions"], serde_json::to_value(&expected).unwrap());
        assert_eq!(created["capture"]["liveness"], "passive_and_active", "the browser runs the app's capture policy");
        assert_eq!(expected.len(), 2);
        state.store.close().await;
    }
}

async fn attempt(state: &AppState, app: &entry_server::App) -> String {
    let body = json!({ "app": app.app_id, "purpose": "identify" });
    let (_, created) =
        common::call(state, "198.51.100.7", "POST", "/v1/attempts", &[("origin", &origin(app))], Some(body)).await;
    created["attemptId"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn an_attempt_is_consumed_once_across_processes_and_never_late_or_by_another_app() {
    for db in common::databases() {
        let (first, app, _) = common::state_with_app(&db, "shop", AppPolicy::default()).await;
        let (_, other_app, _) = common::state_with_app(&db, "other", AppPolicy::default()).await;
        // A second process: its own pool on the same database, nothing shared in memory.
        let second = AppState::start(&common::config(&db)).await.unwrap();
        let id = attempt(&first, &app).await;
        let now = entry_server::now_ms();

        let code = |r: Result<entry_server::AttemptRow, entry_server::ApiError>| r.err().map(|e| e.code.to_string());
        assert_eq!(
            code(second.store.consume_attempt(&id, &other_app.app_id, now).await).as_deref(),
            Some("SESSION_INVALID")
        );
        let mut racers = Vec::new();
        for i in 0..16 {
            let store = if i % 2 == 0 { first.store.clone() } else { second.store.clone() };
            let (id, app_id) = (id.clone(), app.app_id.clone());
            racers.push(tokio::spawn(async move { store.consume_attempt(&id, &app_id, now).await }));
        }
        let mut won = 0;
        for r in racers {
            match r.await.unwrap() {
                Ok(row) => {
                    won += 1;
                    assert_eq!(row.attempt_id, id);
                }
                Err(e) => assert_eq!(e.code.to_string(), "SESSION_REPLAYED"),
            }
        }
        assert_eq!(won, 1, "exactly one consumer across both processes");
        assert_eq!(
            code(first.store.consume_attempt("no-such-attempt", &app.app_id, now).await).as_deref(),
            Some("SESSION_INVALID")
        );

        let late = attempt(&first, &app).await;
        let after_expiry = entry_server::now_ms() + 121_000;
        assert_eq!(
            code(second.store.consume_attempt(&late, &app.app_id, after_expiry).await).as_deref(),
            Some("SESSION_EXPIRED")
        );
        first.store.close().await;
        second.store.close().await;
    }
}

#[tokio::test]
async fn pages_on_other_origins_may_call_the_browser_routes_and_only_those() {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;
    let db = &common::databases()[0];
    let (state, app, _) = common::state_with_app(db, "cors", AppPolicy::default()).await;
    let preflight = |path: String| {
        Request::builder()
            .method("OPTIONS")
            .uri(path)
            .header("origin", "https://shop.example")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .body(Body::empty())
            .unwrap()
    };
    let allowed = |response: &axum::response::Response| {
        response.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()).map(str::to_string)
    };
    let router = entry_server::router(state.clone());
    let page = router.clone().oneshot(preflight("/v1/attempts".into())).await.unwrap();
    assert_eq!(allowed(&page).as_deref(), Some("https://shop.example"));
    let evidence = router.clone().oneshot(preflight("/v1/attempts/x/evidence".into())).await.unwrap();
    assert_eq!(allowed(&evidence).as_deref(), Some("https://shop.example"));
    let backend = router.oneshot(preflight(format!("/v1/apps/{}/audit", app.app_id))).await.unwrap();
    assert_eq!(allowed(&backend), None, "the backend routes are not for pages");
    state.store.close().await;
}
