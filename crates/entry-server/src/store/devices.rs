//! Device keys per user: the thumbprint and public key of each browser profile that logged in.

use serde::Serialize;
use sqlx::Row;

use super::{db, Store};
use crate::error::ApiError;
use entry_core::evidence::DeviceJwk;

/// One device of a user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceRow {
    /// The RFC 7638 thumbprint of its key.
    pub thumbprint: String,
    /// Its public key.
    pub public_key: DeviceJwk,
    /// When it first logged in (Unix ms).
    pub first_seen: i64,
    /// When it last logged in (Unix ms).
    pub last_seen: i64,
}

impl Store {
    /// Records that `user` logged in from the device `thumbprint` at `now`.
    pub async fn put_device(
        &self,
        app_id: &str,
        entry_user_id: &str,
        thumbprint: &str,
        key: &DeviceJwk,
        now: i64,
    ) -> Result<(), ApiError> {
        sqlx::query(
            "INSERT INTO devices (app_id, entry_user_id, thumbprint, public_key, first_seen, last_seen) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (app_id, entry_user_id, thumbprint) \
             DO UPDATE SET last_seen = excluded.last_seen",
        )
        .bind(app_id)
        .bind(entry_user_id)
        .bind(thumbprint)
        .bind(serde_json::to_string(key).expect("keys serialise"))
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(db)
    }

    /// The devices `user` logged in from, first seen first.
    pub async fn devices(&self, app_id: &str, entry_user_id: &str) -> Result<Vec<DeviceRow>, ApiError> {
        let rows = sqlx::query(
            "SELECT thumbprint, public_key, first_seen, last_seen FROM devices \
             WHERE app_id = $1 AND entry_user_id = $2 ORDER BY first_seen, thumbprint",
        )
        .bind(app_id)
        .bind(entry_user_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                let key: String = r.try_get("public_key").map_err(db)?;
                Ok(DeviceRow {
                    thumbprint: r.try_get("thumbprint").map_err(db)?,
                    public_key: serde_json::from_str(&key).map_err(|e| ApiError::storage(format!("devices: {e}")))?,
                    first_seen: r.try_get("first_seen").map_err(db)?,
                    last_seen: r.try_get("last_seen").map_err(db)?,
                })
            })
            .collect()
    }
}
