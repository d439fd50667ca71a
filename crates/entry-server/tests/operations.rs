//! Running the server: health, published keys, and configuration that fails clearly.

mod common;

use common::recordings::recording;
use entry_server::{AppPolicy, AppState, Config};

#[tokio::test]
async fn health_and_published_keys() {
    for db in common::databases() {
        let (state, _, _) = common::state_with_app(&db, "ops", AppPolicy::default()).await;
        let (status, health) = common::call(&state, "127.0.0.1", "GET", "/healthz", &[], None).await;
        assert_eq!((status.as_u16(), health["status"].as_str()), (200, Some("ok")));
        let (status, jwks) = common::call(&state, "127.0.0.1", "GET", "/.well-known/jwks.json", &[], None).await;
        assert_eq!(status, 200);
        let key = &jwks["keys"][0];
        assert_eq!(
            (key["kty"].as_str(), key["crv"].as_str(), key["alg"].as_str()),
            (Some("OKP"), Some("Ed25519"), Some("EdDSA"))
        );
        assert!(key["kid"].as_str().unwrap().starts_with("v1-"));
        state.store.close().await;
    }
}

#[tokio::test]
async fn bad_configuration_fails_at_start_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let base = Config {
        config: None,
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: format!("sqlite://{}", dir.path().join("demo.db").display()),
        master_secret_file: Some(dir.path().join("missing.key")),
        trusted_proxies: vec![],
        attempt_ttl_seconds: 120,
        key_version: 1,
        previous_master_secret_file: None,
        template_grace_days: 30,
        manifest: common::workspace().join("models/manifest.json"),
        models_dir: common::workspace().join(".cache/models"),
    };
    assert_eq!(futures_code(&base).await, "INVALID_CONFIGURATION: cannot read the master secret file");
    std::fs::write(dir.path().join("short.key"), "too short").unwrap();
    let short = Config { master_secret_file: Some(dir.path().join("short.key")), ..base.clone() };
    assert!(futures_code(&short).await.starts_with("INVALID_CONFIGURATION"), "a secret under 32 bytes is refused");
    let unreachable =
        Config { database_url: "postgres://entry@127.0.0.1:1/entry".into(), master_secret_file: None, ..base.clone() };
    assert_eq!(futures_code(&unreachable).await, "INVALID_CONFIGURATION: a shared database needs");
    std::fs::write(dir.path().join("good.key"), "ab".repeat(32)).unwrap();
    let unreachable = Config { master_secret_file: Some(dir.path().join("good.key")), ..unreachable };
    let message = futures_code(&unreachable).await;
    assert!(message.starts_with("STORAGE_ERROR: cannot open the postgres database"), "{message}");
    assert!(!message.contains("ab".repeat(32).as_str()), "no secret in messages");

    // Zero configuration: a demo secret is created once, beside the SQLite file, owner-only.
    let demo = Config { master_secret_file: None, ..base };
    let state = AppState::start(&demo).await.unwrap();
    let secret = dir.path().join("demo.master-secret");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&secret).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let first = std::fs::read(&secret).unwrap();
    state.store.close().await;
    let again = AppState::start(&demo).await.unwrap();
    assert_eq!(std::fs::read(&secret).unwrap(), first, "created once, then reused");
    again.store.close().await;
}

/// The error of starting with `config`: its code and the start of its message.
async fn futures_code(config: &Config) -> String {
    match AppState::start(config).await {
        Ok(_) => "started".into(),
        Err(e) => {
            let full = format!("{}: {}", e.code, e.message);
            let prefixes = [
                "INVALID_CONFIGURATION: cannot read the master secret file",
                "INVALID_CONFIGURATION: a shared database needs",
            ];
            prefixes.iter().find(|p| full.starts_with(*p)).map_or(full, |p| p.to_string())
        }
    }
}

#[test]
fn the_binary_reads_a_config_file_that_flags_and_the_environment_override() {
    let dir = tempfile::tempdir().unwrap();
    let file_db = dir.path().join("from-file.db");
    let flag_db = dir.path().join("from-flag.db");
    std::fs::write(dir.path().join("master.key"), "cd".repeat(32)).unwrap();
    let config = dir.path().join("entry.toml");
    let settings = format!(
        "database_url = \"sqlite://{}\"\nmaster_secret_file = \"{}\"\nmanifest = \"{}\"\nmodels_dir = \"{}\"\n\
         trusted_proxies = [\"10.0.0.0/8\", \"192.168.0.1\"]\nkey_version = 1\n",
        file_db.display(),
        dir.path().join("master.key").display(),
        common::workspace().join("models/manifest.json").display(),
        common::workspace().join(".cache/models").display(),
    );
    std::fs::write(&config, &settings).unwrap();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_entry-server"));
        command
            .args(args)
            .env_remove("ENTRY_DATABASE_URL")
            .env_remove("ENTRY_CONFIG")
            .env_remove("ENTRY_MASTER_SECRET");
        for (k, v) in env {
            command.env(k, v);
        }
        let out = command.output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let path = config.to_str().unwrap();
    let (ok, stdout, stderr) = run(&["rotate-templates", "--config", path], &[]);
    assert!(ok, "{stderr}");
    assert_eq!(stdout.trim(), r#"{"moved":0,"unreadable":0}"#);
    assert!(file_db.exists(), "the file's database was created and migrated");

    let flag = format!("sqlite://{}", flag_db.display());
    let (ok, _, stderr) = run(&["rotate-templates", "--database-url", &flag], &[("ENTRY_CONFIG", path)]);
    assert!(ok && flag_db.exists(), "a flag wins over the file: {stderr}");

    std::fs::write(&config, format!("{settings}master_secret = \"{}\"\n", "ef".repeat(32))).unwrap();
    let (ok, _, stderr) = run(&["rotate-templates", "--config", path], &[]);
    assert!(!ok && stderr.contains("master_secret may not be written into the config file"), "{stderr}");
    assert!(!stderr.contains(&"ef".repeat(32)), "the secret is not echoed");
    std::fs::write(&config, format!("{settings}listen_adress = \"0.0.0.0:1\"\n")).unwrap();
    let (ok, _, stderr) = run(&["rotate-templates", "--config", path], &[]);
    assert!(!ok && stderr.contains("unknown setting \"listen_adress\""), "{stderr}");
    // Structured logs: the startup error as one JSON object, naming the code, not the secret.
    let (ok, _, stderr) = run(&["rotate-templates", "--config", path], &[("ENTRY_LOG_FORMAT", "json")]);
    let line = stderr.lines().find(|l| l.starts_with('{')).expect("a JSON log line");
    let event: serde_json::Value = serde_json::from_str(line).unwrap();
    assert!(!ok && event["fields"]["code"] == "INVALID_CONFIGURATION", "{line}");
    let (ok, stdout, _) = run(&["serve", "--help"], &[]);
    assert!(ok && stdout.contains("--config") && stdout.contains("ENTRY_KEY_VERSION"), "{stdout}");
}

/// `entry-server` with `args` plus a SQLite database, master secret and models in `dir`.
fn binary(dir: &std::path::Path, args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_entry-server"));
    command
        .args(args)
        .arg("--database-url")
        .arg(format!("sqlite://{}", dir.join("entry.db").display()))
        .arg("--master-secret-file")
        .arg(dir.join("master.key"))
        .arg("--manifest")
        .arg(common::workspace().join("models/manifest.json"))
        .arg("--models-dir")
        .arg(common::workspace().join(".cache/models"))
        .env_remove("ENTRY_CONFIG")
        .env_remove("ENTRY_MASTER_SECRET");
    command
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_the_request_in_flight_and_loses_no_audit_entry() {
    use common::http::request;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("master.key"), "ab".repeat(32)).unwrap();
    let added = binary(dir.path(), &["add-app", "--id", "shop.example", "--origins", "shop.example"]).output().unwrap();
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut server = binary(dir.path(), &["serve", "--listen", &addr.to_string()])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut ready = false;
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(ready, "the server listens");
    assert_eq!(request(addr, "GET", "/healthz", "", None).await.0, 200);

    let origin = "https://shop.example";
    let body = serde_json::json!({ "app": "shop.example", "purpose": "register" });
    let (status, attempt) = request(addr, "POST", "/v1/attempts", origin, Some(&body)).await;
    assert_eq!(status, 200, "{attempt}");
    let plaintext = common::evidence::frames_plaintext(&recording("live/0001", "0001_00_00_01", 12));
    let sealed = common::evidence::seal_for("shop.example", origin, &attempt, &plaintext);
    let path = format!("/v1/attempts/{}/evidence", attempt["attemptId"].as_str().unwrap());
    let in_flight = tokio::spawn(async move { request(addr, "POST", &path, origin, Some(&sealed)).await });
    // The capture of 12 frames takes most of a second here: stop the server while it runs.
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    let killed = std::process::Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let (status, decided) = in_flight.await.unwrap();
    assert_eq!(status, 200, "the request in flight is answered: {decided}");
    let exit = server.wait().unwrap();
    assert!(exit.success(), "a clean exit on SIGTERM: {exit:?}");
    let mut logs = String::new();
    std::io::Read::read_to_string(server.stderr.as_mut().unwrap(), &mut logs).unwrap();
    let (stop, decision) = (logs.find("shutting down"), logs.find("decided"));
    assert!(stop.is_some() && decision.is_some() && stop < decision, "the signal came while the request ran: {logs}");

    let store =
        entry_server::Store::connect(&format!("sqlite://{}", dir.path().join("entry.db").display())).await.unwrap();
    let entries = store.audit_log("shop.example").await.unwrap();
    let user = decided["user"]["entryUserId"].as_str().unwrap();
    assert!(
        entries
            .iter()
            .any(|e| matches!(&e.event, entry_core::audit::AuditEvent::Enroll { user_id, .. } if user_id == user)),
        "the decision of the request in flight is audited: {entries:?}"
    );
    store.close().await;
}
