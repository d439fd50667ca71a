//! The hash-chained audit log, one chain per app.

use entry_core::audit::{AuditEntry, AuditEvent};
use entry_core::ErrorCode;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{db, Store};
use crate::error::ApiError;

impl Store {
    /// Appends `event` to `app_id`'s audit chain. Processes appending at once race for the next
    /// sequence number; the loser reads the new head and tries again, so the chain never forks.
    pub async fn append_audit(&self, app_id: &str, time_ms: i64, event: AuditEvent) -> Result<AuditEntry, ApiError> {
        let _one_at_a_time = self.audit_writer.lock().await;
        for attempt in 0..64u64 {
            if attempt > 0 {
                // Another process took the place: back off a little, differently each time.
                let mut jitter = [0u8; 1];
                getrandom::fill(&mut jitter).ok();
                tokio::time::sleep(std::time::Duration::from_millis(attempt.min(20) + u64::from(jitter[0] % 8))).await;
            }
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
