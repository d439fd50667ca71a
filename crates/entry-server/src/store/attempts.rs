//! Attempts and their single-use nonces.

use entry_core::ErrorCode;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{db, Store};
use crate::error::ApiError;

/// One attempt as stored: what it is for and the nonce its evidence must carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptRow {
    /// Random id, base64url.
    pub attempt_id: String,
    /// The app it belongs to.
    pub app_id: String,
    /// `register`, `verify` or `identify`.
    pub purpose: String,
    /// The use case it is decided at (`login`, `account_recovery`, `high_value_payment`).
    pub use_case: String,
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

impl Store {
    /// Records a new attempt.
    pub async fn insert_attempt(&self, a: &AttemptRow) -> Result<(), ApiError> {
        sqlx::query(
            "INSERT INTO attempts (attempt_id, app_id, purpose, entry_user_id, nonce, actions, origin, client_ip, \
             created_at, expires_at, use_case) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
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
        .bind(&a.use_case)
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
             expires_at, consumed_at, use_case FROM attempts WHERE attempt_id = $1 AND app_id = $2",
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
}

fn attempt_row(r: &AnyRow) -> Result<AttemptRow, ApiError> {
    Ok(AttemptRow {
        attempt_id: r.try_get("attempt_id").map_err(db)?,
        app_id: r.try_get("app_id").map_err(db)?,
        purpose: r.try_get("purpose").map_err(db)?,
        use_case: r.try_get("use_case").map_err(db)?,
        entry_user_id: r.try_get("entry_user_id").map_err(db)?,
        nonce: r.try_get("nonce").map_err(db)?,
        actions: r.try_get("actions").map_err(db)?,
        origin: r.try_get("origin").map_err(db)?,
        client_ip: r.try_get("client_ip").map_err(db)?,
        created_at: r.try_get("created_at").map_err(db)?,
        expires_at: r.try_get("expires_at").map_err(db)?,
    })
}
