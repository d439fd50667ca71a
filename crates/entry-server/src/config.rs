//! How the server is configured: flags, environment variables (`ENTRY_*`) or a TOML config file
//! (`--config` or `ENTRY_CONFIG`), in that order of precedence, every setting with a default
//! that runs a demo on SQLite. The master secret comes from a file or the environment, never
//! from the command line (where `ps` would show it) nor from the config file itself.

use std::net::SocketAddr;
use std::path::PathBuf;

use entry_core::ErrorCode;

use crate::error::ApiError;

/// Everything `entry-server serve` needs.
#[derive(Clone, Debug, clap::Args)]
pub struct Config {
    /// A TOML file of settings named as the long flags with `_` for `-` (e.g.
    /// `database_url = "postgres://..."`); flags and ENTRY_* variables override it.
    #[arg(long, env = "ENTRY_CONFIG")]
    pub config: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, env = "ENTRY_LISTEN", default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,
    /// `sqlite://FILE` (created on first start) or `postgres://USER@HOST/DB`.
    #[arg(long, env = "ENTRY_DATABASE_URL", default_value = "sqlite://entry.db")]
    pub database_url: String,
    /// A file holding the master secret (at least 32 bytes, or 64+ hex digits). Without it and
    /// without ENTRY_MASTER_SECRET, a demo secret is created beside a SQLite database.
    #[arg(long, env = "ENTRY_MASTER_SECRET_FILE")]
    pub master_secret_file: Option<PathBuf>,
    /// Proxies (addresses or CIDR blocks, comma separated) whose X-Forwarded-For is believed.
    #[arg(long, env = "ENTRY_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,
    /// How long an attempt's evidence is accepted, seconds.
    #[arg(long, env = "ENTRY_ATTEMPT_TTL_SECONDS", default_value_t = 120)]
    pub attempt_ttl_seconds: u32,
    /// The key version of the master secret. Raise it to rotate: with a new master, give the old
    /// one as the previous master until `entry-server rotate-templates` has moved every template;
    /// with the same master, only the assertion-signing key changes. The previous version's
    /// signing key stays published either way.
    #[arg(long, env = "ENTRY_KEY_VERSION", default_value_t = 1)]
    pub key_version: u32,
    /// A file holding the master secret of the previous key version (or ENTRY_PREVIOUS_MASTER_SECRET).
    #[arg(long, env = "ENTRY_PREVIOUS_MASTER_SECRET_FILE")]
    pub previous_master_secret_file: Option<PathBuf>,
    /// The model manifest.
    #[arg(long, env = "ENTRY_MANIFEST", default_value = "models/manifest.json")]
    pub manifest: PathBuf,
    /// Where the model files are (scripts/setup fetches and verifies them).
    #[arg(long, env = "ENTRY_MODELS_DIR", default_value = ".cache/models")]
    pub models_dir: PathBuf,
    /// Days after which a template is stale: re-sealed under today's key when a verification next
    /// opens it (templates never expire by age).
    #[arg(long, env = "ENTRY_TEMPLATE_GRACE_DAYS", default_value_t = 30)]
    pub template_grace_days: u32,
}

/// The settings a config file may hold, each with its environment variable.
const FILE_SETTINGS: [(&str, &str); 10] = [
    ("listen", "ENTRY_LISTEN"),
    ("database_url", "ENTRY_DATABASE_URL"),
    ("master_secret_file", "ENTRY_MASTER_SECRET_FILE"),
    ("previous_master_secret_file", "ENTRY_PREVIOUS_MASTER_SECRET_FILE"),
    ("trusted_proxies", "ENTRY_TRUSTED_PROXIES"),
    ("attempt_ttl_seconds", "ENTRY_ATTEMPT_TTL_SECONDS"),
    ("key_version", "ENTRY_KEY_VERSION"),
    ("manifest", "ENTRY_MANIFEST"),
    ("models_dir", "ENTRY_MODELS_DIR"),
    ("template_grace_days", "ENTRY_TEMPLATE_GRACE_DAYS"),
];

/// The environment variables a config file's `text` sets: an unknown key, a value of the wrong
/// kind or a secret written into the file itself is INVALID_CONFIGURATION, naming the key.
pub fn config_file_settings(text: &str) -> Result<Vec<(&'static str, String)>, ApiError> {
    let table: toml::Table = text.parse().map_err(|e| invalid(format!("the config file: {e}")))?;
    let mut settings = Vec::new();
    for (key, value) in &table {
        if key.contains("secret") && !key.ends_with("_file") {
            return Err(invalid(format!("{key} may not be written into the config file: name a file holding it")));
        }
        let Some((_, env)) = FILE_SETTINGS.iter().find(|(name, _)| name == key) else {
            return Err(invalid(format!("the config file has an unknown setting {key:?}")));
        };
        let text = match value {
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().map(str::to_string).ok_or_else(|| invalid(format!("{key}: a list of strings"))))
                .collect::<Result<Vec<_>, _>>()?
                .join(","),
            _ => return Err(invalid(format!("{key}: a string, a number or a list of strings"))),
        };
        settings.push((*env, text));
    }
    Ok(settings)
}

/// Reads the config file named by `--config FILE` in `args` or by ENTRY_CONFIG, and sets the
/// environment variables it names that are not set already (so flags and the environment win).
/// Call it first thing in `main`, before any other thread exists.
pub fn load_config_file(args: &[String]) -> Result<(), ApiError> {
    let from_args = args.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--config=")
            .map(str::to_string)
            .or_else(|| (a == "--config").then(|| args.get(i + 1).cloned())?)
    });
    let Some(path) = from_args.or_else(|| std::env::var("ENTRY_CONFIG").ok()) else { return Ok(()) };
    let text =
        std::fs::read_to_string(&path).map_err(|e| invalid(format!("cannot read the config file {path}: {e}")))?;
    for (env, value) in config_file_settings(&text)? {
        if std::env::var_os(env).is_none() {
            std::env::set_var(env, value);
        }
    }
    Ok(())
}

fn invalid(message: String) -> ApiError {
    ApiError::new(ErrorCode::InvalidConfiguration, message)
}

/// Hex (64+ digits) or raw bytes.
fn secret_bytes(text: &[u8]) -> Vec<u8> {
    let trimmed = String::from_utf8_lossy(text).trim().to_string();
    match hex::decode(&trimmed) {
        Ok(bytes) if bytes.len() >= 32 => bytes,
        _ => text.to_vec(),
    }
}

impl Config {
    /// The previous key version's master secret, when one is given (ENTRY_PREVIOUS_MASTER_SECRET
    /// in hex, or the file).
    pub fn previous_master_secret(&self) -> Result<Option<Vec<u8>>, ApiError> {
        if let Ok(hex_secret) = std::env::var("ENTRY_PREVIOUS_MASTER_SECRET") {
            return Ok(Some(secret_bytes(hex_secret.as_bytes())));
        }
        self.previous_master_secret_file
            .as_ref()
            .map(|path| {
                std::fs::read(path).map(|b| secret_bytes(&b)).map_err(|e| {
                    invalid(format!("cannot read the previous master secret file {}: {e}", path.display()))
                })
            })
            .transpose()
    }

    /// The master secret: `ENTRY_MASTER_SECRET` (hex), else the file, else (SQLite only) a demo
    /// secret created once beside the database with owner-only permissions.
    pub fn master_secret(&self) -> Result<Vec<u8>, ApiError> {
        if let Ok(hex_secret) = std::env::var("ENTRY_MASTER_SECRET") {
            return Ok(secret_bytes(hex_secret.as_bytes()));
        }
        if let Some(path) = &self.master_secret_file {
            let bytes = std::fs::read(path)
                .map_err(|e| invalid(format!("cannot read the master secret file {}: {e}", path.display())))?;
            return Ok(secret_bytes(&bytes));
        }
        let Some(db) = self.database_url.strip_prefix("sqlite://") else {
            return Err(invalid("a shared database needs ENTRY_MASTER_SECRET_FILE or ENTRY_MASTER_SECRET".into()));
        };
        let path = PathBuf::from(db.split('?').next().unwrap_or(db)).with_extension("master-secret");
        if !path.exists() {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).map_err(|e| invalid(format!("no randomness: {e}")))?;
            write_private(&path, hex::encode(bytes).as_bytes())
                .map_err(|e| invalid(format!("cannot create the demo master secret {}: {e}", path.display())))?;
            tracing::warn!(path = %path.display(), "created a demo master secret: back it up, or templates are lost with it");
        }
        let bytes = std::fs::read(&path).map_err(|e| invalid(format!("cannot read {}: {e}", path.display())))?;
        Ok(secret_bytes(&bytes))
    }
}

#[cfg(unix)]
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}
