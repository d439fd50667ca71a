//! The database: SQLite in one file by default, PostgreSQL by URL to scale out, the same
//! migrations and queries on both (sqlx's `Any` driver). Nothing here keeps state in memory:
//! several processes sharing one database see one set of attempts, locks and audit entries.

use entry_core::ErrorCode;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Row};

use crate::apps::App;
use crate::error::ApiError;

mod attempts;
mod audit;
mod devices;
mod lockout;
mod users;

pub use attempts::AttemptRow;
pub use devices::DeviceRow;
pub use users::StoredUser;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A pool on one database.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    /// Appends to the audit chain from this process go one at a time: without it, a burst of
    /// requests would all race for the same sequence number and retry against each other.
    audit_writer: std::sync::Arc<tokio::sync::Mutex<()>>,
}

pub(super) fn db(e: sqlx::Error) -> ApiError {
    ApiError::storage(e)
}

impl Store {
    /// Connects to `url` (`sqlite://path` creates the file; `postgres://...`) and brings the
    /// schema up to date. A database that cannot be reached or migrated is a STORAGE_ERROR naming
    /// the URL's scheme, never its password.
    pub async fn connect(url: &str) -> Result<Store, ApiError> {
        sqlx::any::install_default_drivers();
        let url = if url.starts_with("sqlite:") && !url.contains("mode=") {
            format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
        } else {
            url.to_string()
        };
        let scheme = url.split(':').next().unwrap_or_default().to_string();
        let pool = AnyPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(std::time::Duration::from_secs(10))
            .connect(&url)
            .await
            .map_err(|e| ApiError::new(ErrorCode::StorageError, format!("cannot open the {scheme} database: {e}")))?;
        MIGRATOR.run(&pool).await.map_err(|e| {
            ApiError::new(ErrorCode::StorageError, format!("cannot migrate the {scheme} database: {e}"))
        })?;
        Ok(Store { pool, audit_writer: Default::default() })
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), ApiError> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ()).map_err(db)
    }

    /// Closes every connection (on shutdown, after the last request).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Adds an app (INVALID_CONFIGURATION when the id exists).
    pub async fn insert_app(&self, app: &App, now: i64) -> Result<(), ApiError> {
        let json = |v: &Vec<String>| serde_json::to_string(v).expect("strings serialise");
        let result = sqlx::query(
            "INSERT INTO apps (app_id, origins, ip_allow_list, policy, api_key_sha256, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&app.app_id)
        .bind(json(&app.origins))
        .bind(json(&app.ip_allow_list))
        .bind(serde_json::to_string(&app.policy).expect("policies serialise"))
        .bind(&app.api_key_sha256)
        .bind(now)
        .execute(&self.pool)
        .await;
        match result {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(ApiError::new(ErrorCode::InvalidConfiguration, format!("app {} exists", app.app_id)))
            }
            other => other.map(|_| ()).map_err(db),
        }
    }

    /// The app `app_id`, if it exists.
    pub async fn app(&self, app_id: &str) -> Result<Option<App>, ApiError> {
        let row =
            sqlx::query("SELECT app_id, origins, ip_allow_list, policy, api_key_sha256 FROM apps WHERE app_id = $1")
                .bind(app_id)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        row.map(|r| {
            let field = |name: &str| r.try_get::<String, _>(name).map_err(db);
            Ok(App {
                app_id: field("app_id")?,
                origins: parse("origins", field("origins")?)?,
                ip_allow_list: parse("ip_allow_list", field("ip_allow_list")?)?,
                policy: parse("policy", field("policy")?)?,
                api_key_sha256: field("api_key_sha256")?,
            })
        })
        .transpose()
    }
}

pub(super) fn parse<T: serde::de::DeserializeOwned>(name: &str, text: String) -> Result<T, ApiError> {
    serde_json::from_str(&text).map_err(|e| ApiError::storage(format!("apps.{name}: {e}")))
}
