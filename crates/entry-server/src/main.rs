//! `entry-server`: serve the API, or manage apps.

use std::net::SocketAddr;

use clap::{Parser, Subcommand};
use entry_server::{App, AppPolicy, AppState, Config};

#[derive(Parser)]
#[command(name = "entry-server", version, about = "Entry's server mode: face login decided on your server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API until SIGINT or SIGTERM (requests in flight finish first).
    Serve(Config),
    /// Add an app; prints its API key once (the server keeps only a hash).
    AddApp {
        #[command(flatten)]
        config: Config,
        /// The app's id.
        #[arg(long)]
        id: String,
        /// Allowed page origins (host names, `*.` wildcards), comma separated.
        #[arg(long, value_delimiter = ',', required = true)]
        origins: Vec<String>,
        /// Allowed client networks (CIDR), comma separated; none allows every address.
        #[arg(long, value_delimiter = ',')]
        ip_allow_list: Vec<String>,
        /// The app's policy as JSON (see AppPolicy); default: passive liveness, login at FMR 1e-3.
        #[arg(long)]
        policy: Option<String>,
    },
    /// Move every template sealed under the previous master secret to the current one (after
    /// raising ENTRY_KEY_VERSION with a new master and the old one as the previous master); prints
    /// how many moved. When none are left unmoved, the previous master can be removed.
    RotateTemplates(Config),
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = interrupt => {}, _ = terminate => {} }
    tracing::info!("shutting down: finishing requests in flight");
}

async fn run(cli: Cli) -> Result<(), entry_server::ApiError> {
    match cli.command {
        Command::Serve(config) => {
            let state = AppState::start(&config).await?;
            let store = state.store.clone();
            let listener = tokio::net::TcpListener::bind(config.listen).await.map_err(|e| {
                entry_server::ApiError::new(
                    entry_core::ErrorCode::InvalidConfiguration,
                    format!("cannot listen on {}: {e}", config.listen),
                )
            })?;
            tracing::info!(listen = %config.listen, "entry-server ready");
            let app = entry_server::router(state).into_make_service_with_connect_info::<SocketAddr>();
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown_signal())
                .await
                .map_err(entry_server::ApiError::storage)?;
            store.close().await;
            Ok(())
        }
        Command::RotateTemplates(config) => {
            let state = AppState::start(&config).await?;
            let done = entry_server::rotate_templates(&state).await?;
            println!("{}", serde_json::to_string(&done).expect("counts serialise"));
            state.store.close().await;
            Ok(())
        }
        Command::AddApp { config, id, origins, ip_allow_list, policy } => {
            let policy: AppPolicy = match policy {
                Some(json) => serde_json::from_str(&json).map_err(|e| {
                    entry_server::ApiError::new(entry_core::ErrorCode::InvalidConfiguration, format!("policy: {e}"))
                })?,
                None => AppPolicy::default(),
            };
            let (app, api_key) = App::create(&id, origins, ip_allow_list, policy)?;
            let state = AppState::start(&config).await?;
            state.store.insert_app(&app, entry_server::now_ms()).await?;
            println!("{api_key}");
            state.store.close().await;
            Ok(())
        }
    }
}

fn main() -> std::process::ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ENTRY_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // Structured logs for a collector: one JSON object per line.
    if std::env::var("ENTRY_LOG_FORMAT").is_ok_and(|f| f == "json") {
        logs.json().init();
    } else {
        logs.init();
    }
    let fail = |e: entry_server::ApiError| {
        tracing::error!(code = %e.code, "{}", e.message);
        eprintln!("entry-server: {e}");
        std::process::ExitCode::FAILURE
    };
    // Before the runtime's threads exist: the file's settings become environment variables.
    let args: Vec<String> = std::env::args().collect();
    if let Err(e) = entry_server::load_config_file(&args) {
        return fail(e);
    }
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return fail(entry_server::ApiError::new(entry_core::ErrorCode::UnknownError, e.to_string())),
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}
