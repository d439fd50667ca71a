//! Running the server: health, published keys, and configuration that fails clearly.

mod common;

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
