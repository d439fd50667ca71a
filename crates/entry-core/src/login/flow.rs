//! The decisions after a capture, once for every place a login runs: who the face is, what to
//! store, what to audit, what counts towards a lockout. The caller does the I/O: it hands in the
//! stored records and applies the [`LoginOutcome`] to its store, audit log and lockout counters.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::AuditEvent;
use crate::documents::DocumentMatch;
use crate::face::Embedding;
use crate::model::Calibration;
use crate::policy::{Decision, MatchPolicy};
use crate::protect::{check_device, DeviceCheck};
use crate::protect::{SealedTemplate, TemplateProtector, TemplateSearch, UtcDay};
use crate::{CodedError, ErrorCode};

use super::attempt::{Attempt, Purpose};
use super::error::LoginError;
use super::user::{EntryUser, Timestamp, UserProfile, UserRecord};

/// What an app decides about logins beyond the capture.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
pub struct LoginPolicy {
    /// Target false-match rates per use case.
    pub matching: MatchPolicy,
    /// The app runs a verified guardian-consent flow: under-age users may keep a template.
    /// Default false: an under-age user leaves nothing biometric behind.
    pub guardian_flow: bool,
}

/// What a successful capture hands to the decision.
#[derive(Clone, Copy, Debug)]
pub struct Captured<'a> {
    /// The mean embedding of the capture's good frames.
    pub embedding: &'a Embedding,
    /// Mean passive live probability (`None` with liveness off).
    pub liveness_score: Option<f32>,
    /// The capture against the document's portrait, when the attempt has one.
    pub document_match: Option<DocumentMatch>,
}

/// A write the caller makes to its user store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "op", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum StoreChange {
    /// Insert or replace a record.
    Put {
        /// The record.
        user: Box<UserRecord>,
    },
    /// Remove a record (a recognised minor whose template may not be kept).
    Delete {
        /// The user.
        entry_user_id: String,
    },
}

/// How an attempt changes an account's failure count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LockoutChange {
    /// A failure that counts: a wrong face or a failed liveness check while verifying a user, or
    /// an identify that found nobody, needs another factor or failed liveness.
    Failure {
        /// The user id, or the client's [`identify_account`](super::identify_account).
        account: String,
    },
    /// A verified match resets the account's count.
    Success {
        /// The user id.
        account: String,
    },
}

/// Everything one attempt decided. Apply `changes`, `audit` and `lockout` whatever `result` is:
/// a failed attempt is audited and counted too.
#[derive(Debug)]
pub struct LoginOutcome {
    /// The user recognised or registered, or why not.
    pub result: Result<EntryUser, LoginError>,
    /// Writes to make to the store.
    pub changes: Vec<StoreChange>,
    /// Events for the audit log, in order: ids, outcomes and codes, never face data.
    pub audit: Vec<AuditEvent>,
    /// What to count against an account.
    pub lockout: Option<LockoutChange>,
}

impl LoginOutcome {
    fn empty() -> LoginOutcome {
        LoginOutcome {
            result: Err(LoginError::Invalid("undecided".into())),
            changes: Vec::new(),
            audit: Vec::new(),
            lockout: None,
        }
    }
}

/// What the document added to a recognised or registered user.
struct DocumentOutcome {
    profile: UserProfile,
    is_under_age: bool,
    may_store: bool,
}

/// The decisions of one app: its template keys, the embedder's calibration and its policy.
pub struct LoginFlow<'a> {
    protector: &'a TemplateProtector,
    calibration: &'a Calibration,
    policy: &'a LoginPolicy,
}

impl<'a> LoginFlow<'a> {
    /// The flow of one app.
    pub fn new(protector: &'a TemplateProtector, calibration: &'a Calibration, policy: &'a LoginPolicy) -> Self {
        LoginFlow { protector, calibration, policy }
    }

    /// Decides a captured attempt. `users`: the app's records for identify, the verified user's
    /// for verify (others are ignored). `now`: when the capture ended.
    pub fn finish(&self, attempt: &Attempt, captured: &Captured, users: &[UserRecord], now: Timestamp) -> LoginOutcome {
        let mut out = LoginOutcome::empty();
        let result = match &attempt.purpose {
            Purpose::Identify { register_if_not_found } => {
                let sealed =
                    users.iter().filter_map(|u| Some((u.entry_user_id.as_str(), u.sealed_template.as_deref()?)));
                match self.protector.search(sealed, captured.embedding, day(now)) {
                    Ok(found) => self.identify(attempt, captured, found, users, *register_if_not_found, now, &mut out),
                    Err(e) => Err(e.into()),
                }
            }
            Purpose::Verify { entry_user_id } => {
                let user = users.iter().find(|u| &u.entry_user_id == entry_user_id);
                self.verify(attempt, captured, entry_user_id, user, now, &mut out)
            }
        };
        let considered = users.iter().filter(|u| match &attempt.purpose {
            Purpose::Identify { .. } => true,
            Purpose::Verify { entry_user_id } => &u.entry_user_id == entry_user_id,
        });
        self.reseal_stale(considered, now, &mut out);
        self.conclude(attempt, result, out)
    }

    /// Re-seals under today's key every record this attempt looked at that was sealed before the
    /// keyring's grace window and that the decision did not already write: a person who has not
    /// logged in for months is kept under a fresh key, never lost, so never enrolled a second time.
    /// A record that does not open stays as it is (the search audits it).
    fn reseal_stale<'u>(&self, users: impl Iterator<Item = &'u UserRecord>, now: Timestamp, out: &mut LoginOutcome) {
        let keyring = self.protector.keyring();
        for user in users {
            let written = out.changes.iter().any(|c| match c {
                StoreChange::Put { user: u } => u.entry_user_id == user.entry_user_id,
                StoreChange::Delete { entry_user_id } => *entry_user_id == user.entry_user_id,
            });
            let Some(sealed) = user.sealed_template.as_deref().filter(|_| !written) else { continue };
            let Ok(sealed) = SealedTemplate::from_bytes(sealed.to_vec()) else { continue };
            if !keyring.is_stale(sealed.key_day(), day(now)) {
                continue;
            }
            if let Ok(fresh) = sealed.reseal(keyring, &user.entry_user_id, day(now)) {
                let mut updated = user.clone();
                updated.sealed_template = Some(fresh.into_bytes());
                out.changes.push(StoreChange::Put { user: Box::new(updated) });
            }
        }
    }

    /// Decides an identify whose search the caller ran over a [`Gallery`] it keeps opened (built
    /// with [`TemplateProtector::open_gallery`], searched with a [`TemplateProtector::probe`]d
    /// embedding), as a server does for a large app. `found.gallery_size` sets the threshold;
    /// `users` holds at least the record of `found.best` (a best candidate whose record is gone,
    /// deleted since the search, is no match).
    ///
    /// [`Gallery`]: crate::matching::Gallery
    pub fn finish_search(
        &self,
        attempt: &Attempt,
        captured: &Captured,
        found: TemplateSearch,
        users: &[UserRecord],
        now: Timestamp,
    ) -> LoginOutcome {
        let mut out = LoginOutcome::empty();
        let result = match &attempt.purpose {
            Purpose::Identify { register_if_not_found } => {
                self.identify(attempt, captured, found, users, *register_if_not_found, now, &mut out)
            }
            Purpose::Verify { .. } => Err(LoginError::Invalid("a verification is decided by finish".into())),
        };
        self.conclude(attempt, result, out)
    }

    fn conclude(
        &self,
        attempt: &Attempt,
        result: Result<EntryUser, LoginError>,
        mut out: LoginOutcome,
    ) -> LoginOutcome {
        if let Err(e) = &result {
            self.count_failure(attempt, e.code(), &mut out);
        }
        out.result = result;
        out
    }

    /// An attempt that ended before a decision (capture failed, cancelled, camera lost): audited
    /// with its code, and counted when it was a verification that failed liveness.
    pub fn abandon(&self, attempt: &Attempt, code: ErrorCode, message: impl Into<String>) -> LoginOutcome {
        let mut out = LoginOutcome::empty();
        self.count_failure(attempt, code, &mut out);
        out.result = Err(LoginError::Capture { code, message: message.into() });
        out
    }

    fn count_failure(&self, attempt: &Attempt, code: ErrorCode, out: &mut LoginOutcome) {
        let counts = match attempt.purpose {
            // A near match needing another factor counts too: uncounted, it would be a free retry
            // for someone hill-climbing towards the threshold with altered pictures.
            Purpose::Verify { .. } => matches!(
                code,
                ErrorCode::FaceMatchFailed | ErrorCode::FallbackRequired | ErrorCode::LivenessCheckFailed
            ),
            // A search that finds nobody or nearly someone is what an attacker hill-climbing or
            // enumerating the app's users gets: counted against the client.
            Purpose::Identify { .. } => {
                matches!(code, ErrorCode::UserNotFound | ErrorCode::FallbackRequired | ErrorCode::LivenessCheckFailed)
            }
        };
        if counts {
            out.lockout = Some(LockoutChange::Failure { account: attempt.lockout_account() });
        }
        // Not finding anyone is the answer to an identify (audited as such), not a failure of it.
        if code != ErrorCode::UserNotFound {
            out.audit.push(AuditEvent::Failure {
                user_id: attempt.verified_user().map(str::to_string),
                device_id: attempt.device_id.clone(),
                code: code.to_string(),
            });
        }
    }

    fn decide(&self, attempt: &Attempt, score: f32) -> Result<Decision, LoginError> {
        Ok(self.policy.matching.decide(self.calibration, attempt.use_case, score)?)
    }

    #[allow(clippy::too_many_arguments)]
    fn identify(
        &self,
        attempt: &Attempt,
        captured: &Captured,
        found: TemplateSearch,
        users: &[UserRecord],
        register_if_not_found: bool,
        now: Timestamp,
        out: &mut LoginOutcome,
    ) -> Result<EntryUser, LoginError> {
        // A tampered or revoked record is never matched, never deleted, and always audited.
        for bad in &found.unreadable {
            out.audit.push(AuditEvent::Failure {
                user_id: Some(bad.user_id.clone()),
                device_id: attempt.device_id.clone(),
                code: bad.code.to_string(),
            });
        }
        // The rate promised is per search: a larger gallery needs a higher score.
        let best = found.best.and_then(|b| Some((users.iter().find(|u| u.entry_user_id == b.id)?, b.score)));
        if let Some((user, score)) = best {
            let decision =
                self.policy.matching.decide_search(self.calibration, attempt.use_case, found.gallery_size, score)?;
            match decision {
                Decision::Accept => {
                    let recognised = self.recognised(attempt, captured, user, score, now, out)?;
                    out.audit.push(AuditEvent::Identify {
                        user_id: Some(user.entry_user_id.clone()),
                        device_id: attempt.device_id.clone(),
                        matched: true,
                    });
                    return Ok(recognised);
                }
                Decision::FallbackRequired => return Err(LoginError::FallbackRequired),
                Decision::Reject => {}
            }
        }
        if !register_if_not_found {
            out.audit.push(AuditEvent::Identify {
                user_id: None,
                device_id: attempt.device_id.clone(),
                matched: false,
            });
            return Err(LoginError::NoMatch);
        }
        self.register(attempt, captured, now, out)
    }

    fn verify(
        &self,
        attempt: &Attempt,
        captured: &Captured,
        entry_user_id: &str,
        user: Option<&UserRecord>,
        now: Timestamp,
        out: &mut LoginOutcome,
    ) -> Result<EntryUser, LoginError> {
        let Some((user, sealed)) = user.and_then(|u| Some((u, u.sealed_template.as_deref()?))) else {
            return Err(LoginError::UnknownUser(entry_user_id.into()));
        };
        let found = self.protector.search([(entry_user_id, sealed)], captured.embedding, day(now))?;
        let Some(best) = found.best else {
            let code = found.unreadable.first().map_or(ErrorCode::TemplateTampered, |u| u.code);
            return Err(LoginError::TemplateUnreadable { user: entry_user_id.into(), code });
        };
        let decision = self.decide(attempt, best.score)?;
        out.audit.push(AuditEvent::Verify {
            user_id: entry_user_id.into(),
            device_id: attempt.device_id.clone(),
            matched: decision == Decision::Accept,
            use_case: use_case_name(attempt),
        });
        match decision {
            Decision::Accept => {
                let recognised = self.recognised(attempt, captured, user, best.score, now, out)?;
                out.lockout = Some(LockoutChange::Success { account: entry_user_id.into() });
                Ok(recognised)
            }
            Decision::FallbackRequired => Err(LoginError::FallbackRequired),
            Decision::Reject => Err(LoginError::FaceMismatch(entry_user_id.into())),
        }
    }

    fn register(
        &self,
        attempt: &Attempt,
        captured: &Captured,
        now: Timestamp,
        out: &mut LoginOutcome,
    ) -> Result<EntryUser, LoginError> {
        let entry_user_id = new_user_id()?;
        let document = self.read_document(attempt, captured, &entry_user_id, now, out)?;
        let may_store = document.as_ref().is_none_or(|d| d.may_store);
        let sealed_template = if may_store {
            Some(self.protector.protect(&entry_user_id, captured.embedding, day(now))?.into_bytes())
        } else {
            None
        };
        let record = UserRecord {
            app_id: self.protector.keyring().app_id().to_string(),
            entry_user_id: entry_user_id.clone(),
            sealed_template,
            profile: document.as_ref().map(|d| d.profile.clone()).unwrap_or_default(),
            known_devices: [attempt.device_id.clone()].into_iter().filter(|d| !d.is_empty()).collect(),
            is_under_age: document.as_ref().is_some_and(|d| d.is_under_age),
            created_at: now.iso(),
            updated_at: now.iso(),
        };
        // Data minimisation: an under-age user without a guardian flow leaves nothing behind.
        if may_store {
            out.audit.push(AuditEvent::Enroll { user_id: entry_user_id, device_id: attempt.device_id.clone() });
        }
        let user = EntryUser {
            is_new_user: true,
            ..EntryUser::from_record(&record, &attempt.device_id, captured.liveness_score)
        };
        if may_store {
            out.changes.push(StoreChange::Put { user: Box::new(record) });
        }
        Ok(user)
    }

    /// A matched user: the template follows the key rotation, the device and a given document are
    /// recorded.
    fn recognised(
        &self,
        attempt: &Attempt,
        captured: &Captured,
        user: &UserRecord,
        score: f32,
        now: Timestamp,
        out: &mut LoginOutcome,
    ) -> Result<EntryUser, LoginError> {
        let is_known_device = check_device(&user.known_devices, &attempt.device_id) == DeviceCheck::Known;
        let document = self.read_document(attempt, captured, &user.entry_user_id, now, out)?;
        let sealed =
            user.sealed_template.as_deref().ok_or_else(|| LoginError::UnknownUser(user.entry_user_id.clone()))?;
        let sealed = SealedTemplate::from_bytes(sealed.to_vec())?;
        let current = if sealed.key_day() == day(now) {
            sealed.into_bytes()
        } else {
            sealed.reseal(self.protector.keyring(), &user.entry_user_id, day(now))?.into_bytes()
        };
        let mut updated = user.clone();
        if let Some(d) = &document {
            updated.profile = d.profile.clone();
            updated.is_under_age = d.is_under_age;
        }
        updated.sealed_template = document.as_ref().is_none_or(|d| d.may_store).then_some(current);
        if !is_known_device && !attempt.device_id.is_empty() {
            updated.known_devices.push(attempt.device_id.clone());
        }
        updated.updated_at = now.iso();
        let entry_user = EntryUser {
            is_known_device,
            match_score: Some(score),
            ..EntryUser::from_record(&updated, &attempt.device_id, captured.liveness_score)
        };
        out.changes.push(if updated.sealed_template.is_some() {
            StoreChange::Put { user: Box::new(updated) }
        } else {
            StoreChange::Delete { entry_user_id: updated.entry_user_id }
        });
        Ok(entry_user)
    }

    /// The profile from the attempt's document (after matching its portrait with the capture) and
    /// the age rule's verdict; an under-age verdict is audited, with the user id only when a
    /// template may be kept.
    fn read_document(
        &self,
        attempt: &Attempt,
        captured: &Captured,
        entry_user_id: &str,
        now: Timestamp,
        out: &mut LoginOutcome,
    ) -> Result<Option<DocumentOutcome>, LoginError> {
        let Some(document) = &attempt.document else { return Ok(None) };
        match (&document.photo, &captured.document_match) {
            (None, _) => {}
            (Some(_), Some(m)) if m.decision == Decision::Accept => {}
            (Some(_), Some(_)) => return Err(LoginError::DocumentMismatch),
            (Some(_), None) => return Err(LoginError::Invalid("the document photo was not matched".into())),
        }
        let profile = UserProfile::from(&document.profile);
        let Some(rule) = &attempt.age_rule else {
            return Ok(Some(DocumentOutcome { profile, is_under_age: false, may_store: true }));
        };
        let age = rule.check(document.profile.date_of_birth, now.date(), self.policy.guardian_flow);
        if !age.meets {
            let user_id = age.may_store_template.then(|| entry_user_id.to_string());
            out.audit.push(AuditEvent::UnderAge { user_id, rule: age.rule.clone() });
        }
        Ok(Some(DocumentOutcome { profile, is_under_age: !age.meets, may_store: age.may_store_template }))
    }
}

fn day(now: Timestamp) -> UtcDay {
    UtcDay::from_unix_seconds(now.seconds())
}

fn use_case_name(attempt: &Attempt) -> String {
    serde_json::to_value(attempt.use_case).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// A random (version 4) UUID: user ids reveal nothing, not even the order of registration.
fn new_user_id() -> Result<String, LoginError> {
    let mut b: [u8; 16] = crate::protect::random()?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    Ok(format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..]))
}
