//! Failure counts and locks, per account (a user, or a client address for identify).

use sqlx::Row;

use super::{db, Store};
use crate::error::ApiError;

impl Store {
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
