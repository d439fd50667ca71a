//! Each app's templates opened once and kept in memory (entry-core's [`Gallery`], in the app's
//! protected space), so an identify searches them without opening every sealed template per
//! request. Processes sharing one database follow each other's registrations, re-seals and
//! deletions through the `user_changes` log: before each search, the changes since the last one
//! (with an overlap that covers transactions still committing and clock skew between hosts) are
//! read and the users they name re-read.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use entry_core::matching::Gallery;
use entry_core::protect::{SealedTemplate, Unreadable, UtcDay};
use entry_core::CodedError;
use tokio::sync::RwLock;

use crate::api::AppState;
use crate::error::ApiError;
use crate::templates::{current, Current};

/// Changes are re-read this far back: longer than any write transaction takes to commit and
/// than the clock skew between hosts sharing the database.
const OVERLAP_MS: i64 = 30_000;

/// Changes older than this are pruned; a gallery not synced for this long is rebuilt.
const RETENTION_MS: i64 = 3_600_000;

/// One app's opened templates.
pub struct AppGallery {
    /// The templates, in the current key version's protected space.
    pub gallery: Gallery,
    /// Changes at or after this time (Unix ms) are still to be read; `None` until built.
    synced: Option<i64>,
    /// Changes inside the overlap window already applied.
    applied: HashSet<(String, i64)>,
}

/// The galleries of every app this process has searched.
#[derive(Default)]
pub struct Galleries {
    apps: Mutex<HashMap<String, Arc<RwLock<AppGallery>>>>,
}

impl Galleries {
    /// `app_id`'s gallery, brought up to date with the database at `now`. Templates that do not
    /// open are returned so the caller can audit them (on a full build only).
    pub async fn synced(
        &self,
        state: &AppState,
        app_id: &str,
        now: i64,
    ) -> Result<(Arc<RwLock<AppGallery>>, Vec<Unreadable>), ApiError> {
        let entry = {
            let mut apps = self.apps.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(apps.entry(app_id.to_string()).or_insert_with(|| {
                Arc::new(RwLock::new(AppGallery { gallery: Gallery::new(), synced: None, applied: HashSet::new() }))
            }))
        };
        let since = entry.read().await.synced;
        let unreadable = match since {
            Some(since) if now - since < RETENTION_MS => {
                let changes = state.store.changed_users(app_id, since - OVERLAP_MS).await?;
                let fresh: Vec<(String, i64)> = {
                    let g = entry.read().await;
                    changes.into_iter().filter(|c| !g.applied.contains(c)).collect()
                };
                if !fresh.is_empty() || now - since > OVERLAP_MS {
                    let mut g = entry.write().await;
                    for (user_id, at) in fresh {
                        refresh(state, &mut g.gallery, app_id, &user_id, now).await?;
                        g.applied.insert((user_id, at));
                    }
                    g.applied.retain(|(_, at)| *at >= now - OVERLAP_MS);
                    g.synced = Some(now);
                }
                Vec::new()
            }
            _ => {
                let mut g = entry.write().await;
                let (gallery, unreadable) = build(state, app_id, now).await?;
                *g = AppGallery { gallery, synced: Some(now), applied: HashSet::new() };
                state.store.prune_changes(now - RETENTION_MS).await?;
                unreadable
            }
        };
        Ok((entry, unreadable))
    }
}

/// Every template of `app_id`, opened (templates under the previous key version are moved first).
async fn build(state: &AppState, app_id: &str, now: i64) -> Result<(Gallery, Vec<Unreadable>), ApiError> {
    let mut records = Vec::new();
    let mut unreadable = Vec::new();
    for user in state.store.users(app_id).await? {
        match current(state, user, now).await? {
            Current::Ready(record) => records.push(record),
            Current::Unreadable(record, code) => unreadable.push(Unreadable { user_id: record.entry_user_id, code }),
        }
    }
    let protector = state.protector(app_id)?;
    let model = state.engine.manifest().embedder.model.id.clone();
    let today = UtcDay::from_unix_seconds((now / 1000) as u64);
    let sealed = records.iter().filter_map(|u| Some((u.entry_user_id.as_str(), u.sealed_template.as_deref()?)));
    let (gallery, mut more) = protector.open_gallery(sealed, &model, today);
    unreadable.append(&mut more);
    Ok((gallery, unreadable))
}

/// Re-reads one user into the gallery: present with a template that opens, or removed.
async fn refresh(
    state: &AppState,
    gallery: &mut Gallery,
    app_id: &str,
    user_id: &str,
    now: i64,
) -> Result<(), ApiError> {
    let Some(user) = state.store.user(app_id, user_id).await? else {
        gallery.remove(user_id);
        return Ok(());
    };
    let template = match current(state, user, now).await? {
        Current::Ready(record) => record.sealed_template,
        Current::Unreadable(..) => None,
    };
    let protector = state.protector(app_id)?;
    let model = &state.engine.manifest().embedder.model.id;
    let today = UtcDay::from_unix_seconds((now / 1000) as u64);
    let opened = template
        .map(SealedTemplate::from_bytes)
        .transpose()
        .and_then(|s| s.map(|s| protector.open(user_id, &s, model, today)).transpose());
    match opened {
        Ok(Some(template)) => {
            if let Err(e) = gallery.insert(user_id, &template) {
                tracing::warn!(app = %app_id, user = %user_id, code = %e.code(), "template left out of the gallery");
                gallery.remove(user_id);
            }
        }
        Ok(None) => {
            gallery.remove(user_id);
        }
        Err(e) => {
            tracing::warn!(app = %app_id, user = %user_id, code = %e.code(), "template left out of the gallery");
            gallery.remove(user_id);
        }
    }
    Ok(())
}
