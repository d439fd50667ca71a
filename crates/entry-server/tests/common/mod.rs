//! Shared by the server's tests: a server state on a real database (a temporary SQLite file, or
//! the PostgreSQL at ENTRY_TEST_POSTGRES_URL that scripts/test starts), and requests through the
//! real router.
#![allow(dead_code)]

pub mod evidence;
pub mod http;
pub mod recordings;

pub use recordings::workspace;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode};
use entry_server::{App, AppPolicy, AppState, Config};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A database for one test: its URL, and the directory that keeps a SQLite file alive.
pub struct TestDb {
    pub url: String,
    /// Holds the SQLite file and the master secret file.
    dir: tempfile::TempDir,
}

/// The databases every server test runs against: SQLite always, PostgreSQL when scripts/test
/// started one (each test gets its own schema-free database name suffix via a fresh database).
pub fn databases() -> Vec<TestDb> {
    let dir = tempfile::tempdir().unwrap();
    let mut dbs = vec![TestDb { url: format!("sqlite://{}", dir.path().join("entry.db").display()), dir }];
    if let Ok(url) = std::env::var("ENTRY_TEST_POSTGRES_URL") {
        dbs.push(TestDb { url, dir: tempfile::tempdir().unwrap() });
    }
    dbs
}

/// The server's configuration for `db`, with a master secret in a file (never the environment:
/// tests run in parallel in one process).
pub fn config(db: &TestDb) -> Config {
    let secret = db.dir.path().join("master.key");
    if !secret.exists() {
        std::fs::write(&secret, "11".repeat(32)).unwrap();
    }
    Config {
        config: None,
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: db.url.clone(),
        master_secret_file: Some(secret),
        trusted_proxies: vec!["10.0.0.0/8".into()],
        attempt_ttl_seconds: 120,
        key_version: 1,
        previous_master_secret_file: None,
        template_grace_days: 30,
        manifest: workspace().join("models/manifest.json"),
        models_dir: workspace().join(".cache/models"),
    }
}

/// A fresh app id (tests sharing a PostgreSQL database never see each other's apps).
pub fn app_id(name: &str) -> String {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).unwrap();
    format!("{name}-{}.example", hex::encode(bytes))
}

/// A started state with one app allowed from `https://<app id>` and 198.51.100.0/24.
pub async fn state_with_app(db: &TestDb, name: &str, policy: AppPolicy) -> (AppState, App, String) {
    let state = AppState::start(&config(db)).await.unwrap();
    let id = app_id(name);
    let (app, key) = App::create(&id, vec![id.clone()], vec!["198.51.100.0/24".into()], policy).unwrap();
    state.store.insert_app(&app, entry_server::now_ms()).await.unwrap();
    (state, app, key)
}

/// One request through the router from `peer`; returns the status and the JSON body.
pub async fn call(
    state: &AppState,
    peer: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    let peer: SocketAddr = format!("{peer}:40000").parse().unwrap();
    let router = entry_server::router(state.clone()).layer(MockConnectInfo(peer));
    let mut request = Request::builder().method(method).uri(path);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let request = match body {
        Some(json) => request.header("content-type", "application/json").body(Body::from(json.to_string())),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
}
