//! Users and their sealed templates.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{db, parse, Store};
use crate::error::ApiError;

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
}
