//! Templates under the current key version. A template sealed under the previous master is
//! moved on first use (opened under the old keys, re-sealed under the new, written back), and
//! `entry-server rotate-templates` moves the rest, so a master can be rotated without anyone
//! enrolling again.

use entry_core::login::UserRecord;
use entry_core::protect::{SealedTemplate, UtcDay};
use entry_core::{CodedError, ErrorCode};

use crate::api::AppState;
use crate::error::ApiError;
use crate::store::StoredUser;

/// A user whose template is under the current key version, or why it cannot be.
pub(crate) enum Current {
    /// The record, its template sealed under the current version.
    Ready(UserRecord),
    /// The template does not open (tampered, or sealed under a version this server no longer
    /// holds): never matched, never deleted.
    Unreadable(UserRecord, ErrorCode),
}

/// `user` under the current key version: as stored, or moved there (and written back).
pub(crate) async fn current(state: &AppState, user: StoredUser, now: i64) -> Result<Current, ApiError> {
    let StoredUser { mut record, key_version } = user;
    let keys = &state.keys;
    if key_version == keys.version() || record.sealed_template.is_none() {
        return Ok(Current::Ready(record));
    }
    let manifest = state.engine.manifest();
    let Some(previous) = keys.protector(&record.app_id, key_version, manifest.embedder.dimension) else {
        return Ok(Current::Unreadable(record, ErrorCode::TemplateKeyExpired));
    };
    let (previous, current) = (previous?, state.protector(&record.app_id)?);
    let today = UtcDay::from_unix_seconds((now / 1000) as u64);
    let moved = SealedTemplate::from_bytes(record.sealed_template.clone().unwrap_or_default()).and_then(|sealed| {
        current.reseal_from(&previous, &record.entry_user_id, &sealed, &manifest.embedder.model.id, today)
    });
    match moved {
        Ok(sealed) => {
            record.sealed_template = Some(sealed.into_bytes());
            state.store.put_user(&record, keys.version(), now).await?;
            Ok(Current::Ready(record))
        }
        Err(e) => Ok(Current::Unreadable(record, e.code())),
    }
}

/// What `rotate-templates` did.
#[derive(Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Rotation {
    /// Templates moved to the current key version.
    pub moved: u64,
    /// Templates that could not be moved (their ids are logged), left as they were.
    pub unreadable: u64,
}

/// Moves every template not under the current key version to it, in batches.
pub async fn rotate_templates(state: &AppState) -> Result<Rotation, ApiError> {
    let mut done = Rotation::default();
    loop {
        let batch = state.store.users_not_at(state.keys.version(), done.unreadable as i64, 500).await?;
        if batch.is_empty() {
            return Ok(done);
        }
        for user in batch {
            match current(state, user, crate::api::now_ms()).await? {
                Current::Ready(_) => done.moved += 1,
                Current::Unreadable(record, code) => {
                    tracing::warn!(app = %record.app_id, user = %record.entry_user_id, %code, "template not moved");
                    done.unreadable += 1;
                }
            }
        }
    }
}
