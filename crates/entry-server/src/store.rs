//! The database: SQLite in one file by default, PostgreSQL by URL to scale out, the same
//! migrations and queries on both (sqlx's `Any` driver). Nothing here keeps state in memory:
//! several processes sharing one database see one set of attempts, locks and audit entries.

use entry_core::audit::{AuditEntry, AuditEvent};
use entry_core::ErrorCode;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

use crate::apps::App;
use crate::error::ApiError;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// One attempt as stored: what it is for and the nonce its evidence must carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptRow {
    /// Random id, base64url.
    pub attempt_id: String,
    /// The app it belongs to.
    pub app_id: String,
    /// `register`, `verify` or `identify`.
    pub purpose: String,
    /// The user a verification is for.
    pub entry_user_id: Option<String>,
    /// 32 random bytes, base64url.
    pub nonce: String,
    /// The challenge actions the server chose, JSON.
    pub actions: String,
    /// The origin the attempt was created from.
    pub origin: String,
    /// The client address it was created from.
    pub client_ip: String,
    /// Unix milliseconds.
    pub created_at: i64,
    /// Unix milliseconds after which its evidence is refused.
    pub expires_at: i64,
}

/// A pool on one database.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
}

fn db(e: sqlx::Error) -> ApiError {
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
        Ok(Store { pool })
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

    /// Records a new attempt.
    pub async fn insert_attempt(&self, a: &AttemptRow) -> Result<(), ApiError> {
        sqlx::query(
            "INSERT INTO attempts (attempt_id, app_id, purpose, entry_user_id, nonce, actions, origin, client_ip, \
             created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&a.attempt_id)
        .bind(&a.app_id)
        .bind(&a.purpose)
        .bind(&a.entry_user_id)
        .bind(&a.nonce)
        .bind(&a.actions)
        .bind(&a.origin)
        .bind(&a.client_ip)
        .bind(a.created_at)
        .bind(a.expires_at)
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(db)
    }

    /// Consumes attempt `attempt_id` of `app_id` at `now`, once: whichever process asks first gets
    /// it, every later ask is SESSION_REPLAYED; an unknown or other app's attempt is
    /// SESSION_INVALID, a late one SESSION_EXPIRED.
    pub async fn consume_attempt(&self, attempt_id: &str, app_id: &str, now: i64) -> Result<AttemptRow, ApiError> {
        let taken = sqlx::query(
            "UPDATE attempts SET consumed_at = $1 WHERE attempt_id = $2 AND app_id = $3 AND consumed_at IS NULL \
             AND expires_at > $4",
        )
        .bind(now)
        .bind(attempt_id)
        .bind(app_id)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(db)?
        .rows_affected();
        let row = sqlx::query(
            "SELECT attempt_id, app_id, purpose, entry_user_id, nonce, actions, origin, client_ip, created_at, \
             expires_at, consumed_at FROM attempts WHERE attempt_id = $1 AND app_id = $2",
        )
        .bind(attempt_id)
        .bind(app_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        let Some(row) = row else {
            return Err(ApiError::new(ErrorCode::SessionInvalid, "no such attempt for this app"));
        };
        if taken == 1 {
            return attempt_row(&row);
        }
        let consumed: Option<i64> = row.try_get("consumed_at").map_err(db)?;
        if consumed.is_some() {
            Err(ApiError::new(ErrorCode::SessionReplayed, "the attempt was already answered"))
        } else {
            Err(ApiError::new(ErrorCode::SessionExpired, "the attempt expired"))
        }
    }

    /// Appends `event` to `app_id`'s audit chain. Processes appending at once race for the next
    /// sequence number; the loser reads the new head and tries again, so the chain never forks.
    pub async fn append_audit(&self, app_id: &str, time_ms: i64, event: AuditEvent) -> Result<AuditEntry, ApiError> {
        for _ in 0..64 {
            let head = self.audit_head(app_id).await?;
            let entry = AuditEntry::after(head.as_ref(), (time_ms / 1000) as u64, event.clone());
            let inserted =
                sqlx::query("INSERT INTO audit (app_id, seq, time, event, prev, hash) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(app_id)
                    .bind(entry.seq as i64)
                    .bind(entry.time as i64)
                    .bind(serde_json::to_string(&entry.event).expect("events serialise"))
                    .bind(&entry.prev)
                    .bind(&entry.hash)
                    .execute(&self.pool)
                    .await;
            match inserted {
                Ok(_) => return Ok(entry),
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => continue,
                Err(e) => return Err(db(e)),
            }
        }
        Err(ApiError::new(ErrorCode::StorageError, "the audit log is too contended"))
    }

    /// The last entry of `app_id`'s audit chain.
    pub async fn audit_head(&self, app_id: &str) -> Result<Option<AuditEntry>, ApiError> {
        let row =
            sqlx::query("SELECT seq, time, event, prev, hash FROM audit WHERE app_id = $1 ORDER BY seq DESC LIMIT 1")
                .bind(app_id)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        row.as_ref().map(audit_entry).transpose()
    }

    /// `app_id`'s whole audit chain, oldest first.
    pub async fn audit_log(&self, app_id: &str) -> Result<Vec<AuditEntry>, ApiError> {
        let rows = sqlx::query("SELECT seq, time, event, prev, hash FROM audit WHERE app_id = $1 ORDER BY seq")
            .bind(app_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(audit_entry).collect()
    }
}

fn parse<T: serde::de::DeserializeOwned>(name: &str, text: String) -> Result<T, ApiError> {
    serde_json::from_str(&text).map_err(|e| ApiError::storage(format!("apps.{name}: {e}")))
}

fn attempt_row(r: &AnyRow) -> Result<AttemptRow, ApiError> {
    Ok(AttemptRow {
        attempt_id: r.try_get("attempt_id").map_err(db)?,
        app_id: r.try_get("app_id").map_err(db)?,
        purpose: r.try_get("purpose").map_err(db)?,
        entry_user_id: r.try_get("entry_user_id").map_err(db)?,
        nonce: r.try_get("nonce").map_err(db)?,
        actions: r.try_get("actions").map_err(db)?,
        origin: r.try_get("origin").map_err(db)?,
        client_ip: r.try_get("client_ip").map_err(db)?,
        created_at: r.try_get("created_at").map_err(db)?,
        expires_at: r.try_get("expires_at").map_err(db)?,
    })
}

fn audit_entry(r: &AnyRow) -> Result<AuditEntry, ApiError> {
    let event: String = r.try_get("event").map_err(db)?;
    Ok(AuditEntry {
        seq: r.try_get::<i64, _>("seq").map_err(db)? as u64,
        time: r.try_get::<i64, _>("time").map_err(db)? as u64,
        event: serde_json::from_str(&event).map_err(|e| ApiError::storage(format!("audit.event: {e}")))?,
        prev: r.try_get("prev").map_err(db)?,
        hash: r.try_get("hash").map_err(db)?,
    })
}

fn user_record(r: &AnyRow) -> Result<entry_core::login::UserRecord, ApiError> {
    let mut record: entry_core::login::UserRecord = parse("users.profile", r.try_get("profile").map_err(db)?)?;
    record.sealed_template = r.try_get("sealed_template").map_err(db)?;
    Ok(record)
}

impl Store {
    /// Every user of `app_id` (with or without a template).
    pub async fn users(&self, app_id: &str) -> Result<Vec<entry_core::login::UserRecord>, ApiError> {
        let rows = sqlx::query("SELECT profile, sealed_template FROM users WHERE app_id = $1 ORDER BY entry_user_id")
            .bind(app_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(user_record).collect()
    }

    /// One user of `app_id`.
    pub async fn user(
        &self,
        app_id: &str,
        entry_user_id: &str,
    ) -> Result<Option<entry_core::login::UserRecord>, ApiError> {
        let row = sqlx::query("SELECT profile, sealed_template FROM users WHERE app_id = $1 AND entry_user_id = $2")
            .bind(app_id)
            .bind(entry_user_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(user_record).transpose()
    }

    /// Inserts or replaces a user record (its sealed template in its own column).
    pub async fn put_user(&self, record: &entry_core::login::UserRecord, now: i64) -> Result<(), ApiError> {
        let profile = entry_core::login::UserRecord { sealed_template: None, ..record.clone() };
        let profile = serde_json::to_string(&profile).expect("records serialise");
        // One statement: a reader never sees the user missing, and created_at is kept.
        sqlx::query(
            "INSERT INTO users (app_id, entry_user_id, profile, sealed_template, key_version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (app_id, entry_user_id) DO UPDATE SET \
             profile = excluded.profile, sealed_template = excluded.sealed_template, \
             key_version = excluded.key_version, updated_at = excluded.updated_at",
        )
        .bind(&record.app_id)
        .bind(&record.entry_user_id)
        .bind(profile)
        .bind(record.sealed_template.clone())
        .bind(1i64)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(db)
    }

    /// Removes a user and their devices; true when there was one.
    pub async fn delete_user(&self, app_id: &str, entry_user_id: &str) -> Result<bool, ApiError> {
        sqlx::query("DELETE FROM devices WHERE app_id = $1 AND entry_user_id = $2")
            .bind(app_id)
            .bind(entry_user_id)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        let removed = sqlx::query("DELETE FROM users WHERE app_id = $1 AND entry_user_id = $2")
            .bind(app_id)
            .bind(entry_user_id)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(removed.rows_affected() > 0)
    }

    /// Unix seconds until which `account` of `app_id` is locked, if it is at `now_s`.
    pub async fn locked_until(&self, app_id: &str, account: &str, now_s: i64) -> Result<Option<i64>, ApiError> {
        let row =
            sqlx::query("SELECT locked_until FROM locks WHERE app_id = $1 AND account = $2 AND locked_until > $3")
                .bind(app_id)
                .bind(account)
                .bind(now_s)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        row.map(|r| r.try_get::<i64, _>("locked_until").map_err(db)).transpose()
    }

    /// Records a failure of `account` at `now_s`; when the failures inside the policy's window
    /// reach its maximum, locks the account and returns until when. Every process counts the
    /// same rows, so failures spread over several processes lock too.
    pub async fn record_failure(
        &self,
        app_id: &str,
        account: &str,
        now_s: i64,
        policy: &entry_core::policy::LockoutPolicy,
    ) -> Result<Option<i64>, ApiError> {
        sqlx::query("INSERT INTO failures (app_id, account, at) VALUES ($1, $2, $3)")
            .bind(app_id)
            .bind(account)
            .bind(now_s)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        let since = now_s - policy.window_seconds as i64;
        let row = sqlx::query("SELECT COUNT(*) AS n FROM failures WHERE app_id = $1 AND account = $2 AND at > $3")
            .bind(app_id)
            .bind(account)
            .bind(since)
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        let failures: i64 = row.try_get("n").map_err(db)?;
        if failures < policy.max_failures as i64 {
            return Ok(None);
        }
        let until = now_s + policy.lockout_seconds as i64;
        self.clear_failures(app_id, account).await?;
        sqlx::query(
            "INSERT INTO locks (app_id, account, locked_until) VALUES ($1, $2, $3) \
             ON CONFLICT (app_id, account) DO UPDATE SET locked_until = excluded.locked_until",
        )
        .bind(app_id)
        .bind(account)
        .bind(until)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(Some(until))
    }

    /// Forgets `account`'s failures (a verified match).
    pub async fn clear_failures(&self, app_id: &str, account: &str) -> Result<(), ApiError> {
        sqlx::query("DELETE FROM failures WHERE app_id = $1 AND account = $2")
            .bind(app_id)
            .bind(account)
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(db)
    }
}
