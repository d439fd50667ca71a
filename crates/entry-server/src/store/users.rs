//! Users and their sealed templates, each with the key version it was sealed under, and the log
//! of which users changed (for the in-memory galleries of other processes).

use entry_core::login::UserRecord;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{db, parse, Store};
use crate::error::ApiError;

/// A user as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredUser {
    /// The record (profile, devices, sealed template).
    pub record: UserRecord,
    /// The key version its template was sealed under.
    pub key_version: u32,
}

fn stored_user(r: &AnyRow) -> Result<StoredUser, ApiError> {
    let mut record: UserRecord = parse("users.profile", r.try_get("profile").map_err(db)?)?;
    record.sealed_template = r.try_get("sealed_template").map_err(db)?;
    let key_version: i64 = r.try_get("key_version").map_err(db)?;
    Ok(StoredUser { record, key_version: key_version as u32 })
}

impl Store {
    /// Every user of `app_id` (with or without a template).
    pub async fn users(&self, app_id: &str) -> Result<Vec<StoredUser>, ApiError> {
        let rows = sqlx::query(
            "SELECT profile, sealed_template, key_version FROM users WHERE app_id = $1 ORDER BY entry_user_id",
        )
        .bind(app_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(stored_user).collect()
    }

    /// Users of any app whose templates were sealed under a key version other than `version`:
    /// `limit` of them after skipping `offset`.
    pub async fn users_not_at(&self, version: u32, offset: i64, limit: i64) -> Result<Vec<StoredUser>, ApiError> {
        let rows = sqlx::query(
            "SELECT profile, sealed_template, key_version FROM users WHERE key_version <> $1 \
             AND sealed_template IS NOT NULL ORDER BY app_id, entry_user_id LIMIT $2 OFFSET $3",
        )
        .bind(i64::from(version))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(stored_user).collect()
    }

    /// One user of `app_id`.
    pub async fn user(&self, app_id: &str, entry_user_id: &str) -> Result<Option<StoredUser>, ApiError> {
        let row = sqlx::query(
            "SELECT profile, sealed_template, key_version FROM users WHERE app_id = $1 AND entry_user_id = $2",
        )
        .bind(app_id)
        .bind(entry_user_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        row.as_ref().map(stored_user).transpose()
    }

    /// Inserts or replaces a user record (its sealed template, sealed under `key_version`, in its
    /// own column), and notes the change.
    pub async fn put_user(&self, record: &UserRecord, key_version: u32, now: i64) -> Result<(), ApiError> {
        let profile = UserRecord { sealed_template: None, ..record.clone() };
        let profile = serde_json::to_string(&profile).expect("records serialise");
        let mut tx = self.pool.begin().await.map_err(db)?;
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
        .bind(i64::from(key_version))
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        note_change(&mut tx, &record.app_id, &record.entry_user_id, now).await?;
        tx.commit().await.map_err(db)
    }

    /// Removes a user with their devices, failure counts and lock, and notes the change; true when
    /// there was one.
    pub async fn delete_user(&self, app_id: &str, entry_user_id: &str, now: i64) -> Result<bool, ApiError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        for statement in [
            "DELETE FROM devices WHERE app_id = $1 AND entry_user_id = $2",
            "DELETE FROM failures WHERE app_id = $1 AND account = $2",
            "DELETE FROM locks WHERE app_id = $1 AND account = $2",
        ] {
            sqlx::query(statement).bind(app_id).bind(entry_user_id).execute(&mut *tx).await.map_err(db)?;
        }
        let removed = sqlx::query("DELETE FROM users WHERE app_id = $1 AND entry_user_id = $2")
            .bind(app_id)
            .bind(entry_user_id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        note_change(&mut tx, app_id, entry_user_id, now).await?;
        tx.commit().await.map_err(db)?;
        Ok(removed.rows_affected() > 0)
    }

    /// The users of `app_id` changed at or after `since` (Unix ms), with when.
    pub async fn changed_users(&self, app_id: &str, since: i64) -> Result<Vec<(String, i64)>, ApiError> {
        let rows = sqlx::query("SELECT entry_user_id, at FROM user_changes WHERE app_id = $1 AND at >= $2 ORDER BY at")
            .bind(app_id)
            .bind(since)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(|r| Ok((r.try_get("entry_user_id").map_err(db)?, r.try_get("at").map_err(db)?))).collect()
    }

    /// Forgets changes made before `before` (Unix ms).
    pub async fn prune_changes(&self, before: i64) -> Result<(), ApiError> {
        sqlx::query("DELETE FROM user_changes WHERE at < $1").bind(before).execute(&self.pool).await.map_err(db)?;
        Ok(())
    }
}

async fn note_change(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    app_id: &str,
    entry_user_id: &str,
    now: i64,
) -> Result<(), ApiError> {
    sqlx::query("INSERT INTO user_changes (app_id, entry_user_id, at) VALUES ($1, $2, $3)")
        .bind(app_id)
        .bind(entry_user_id)
        .bind(now)
        .execute(&mut **tx)
        .await
        .map(|_| ())
        .map_err(db)
}
