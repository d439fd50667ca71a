//! entry-server: server mode. The browser captures and guides; this server holds every key (a
//! master secret that never leaves it) and makes every decision natively with entry-core, and the
//! app's backend trusts its signed assertions.
//!
//! The pieces: [`Config`] (flags and `ENTRY_*` variables), [`Store`] (SQLite in one file by
//! default, PostgreSQL to scale out: attempts, users, templates, devices, lockout and a
//! hash-chained audit log, with no state in process memory), [`ServerKeys`] (template keyrings and
//! the Ed25519 assertion keys, derived from the master secret), [`App`] (origins, networks,
//! policy, API key hash) and the HTTP API ([`router`]).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod api;
mod apps;
mod claims;
mod client_ip;
mod config;
mod decide;
mod device;
mod error;
mod evidence;
mod index;
mod keys;
mod store;
mod templates;

use std::sync::Arc;

pub use api::{now_ms, router, AppState, AttemptCreated, AttemptPurpose, AttemptRequest};
pub use apps::{App, AppPolicy};
pub use claims::{AssertionClaims, Confirmation, LivenessClaim};
pub use client_ip::TrustedProxies;
pub use config::{config_file_settings, load_config_file, Config};
pub use decide::{Decided, ASSERTION_LIFETIME_S};
pub use device::{thumbprint, verify_device};
pub use error::ApiError;
pub use evidence::{evidence_key, MAX_EVIDENCE_BYTES};
pub use keys::{Jwk, ServerKeys};
pub use store::{AttemptRow, DeviceRow, Store, StoredUser};
pub use templates::{rotate_templates, Rotation};

/// The face models named by the manifest, sha256-checked as they load.
fn load_engine(config: &Config) -> Result<entry_core::FaceEngine, ApiError> {
    let manifest = std::fs::read_to_string(&config.manifest).map_err(|e| {
        ApiError::new(
            entry_core::ErrorCode::InvalidConfiguration,
            format!("cannot read {}: {e}", config.manifest.display()),
        )
    })?;
    let manifest = entry_core::model::Manifest::from_json(&manifest)?;
    Ok(entry_core::FaceEngine::load_dir(manifest, &config.models_dir)?)
}

impl AppState {
    /// The template protector of `app_id` under the current key version, for the embedder's
    /// dimension.
    pub(crate) fn protector(&self, app_id: &str) -> Result<entry_core::protect::TemplateProtector, ApiError> {
        Ok(self.keys.current_protector(app_id, self.engine.manifest().embedder.dimension)?)
    }

    /// Everything a server process needs from `config`: the keys, the face models (checked) and
    /// the database (migrated).
    pub async fn start(config: &Config) -> Result<AppState, ApiError> {
        let master = config.master_secret()?;
        let previous = config.previous_master_secret()?;
        let keys = ServerKeys::new(&master, previous.as_deref(), config.key_version, config.template_grace_days)?;
        let proxies = TrustedProxies::new(&config.trusted_proxies)?;
        let engine = load_engine(config)?;
        let store = Store::connect(&config.database_url).await?;
        Ok(AppState {
            store,
            keys: Arc::new(keys),
            engine: Arc::new(engine),
            proxies,
            galleries: Arc::default(),
            attempt_ttl_ms: i64::from(config.attempt_ttl_seconds) * 1000,
        })
    }
}
