//! What device mode keeps between attempts: the lockout counters and the hash-chained audit log,
//! restored from the browser's saved copies and handed back as the text to persist. (A server
//! keeps both in its database instead, and applies the same [`LoginOutcome`]s.)

use crate::audit::{AuditError, AuditEvent, AuditLog};
use crate::policy::{LockoutPolicy, LockoutTracker};
use crate::CodedError;
use ts_rs::TS;

use super::flow::{LockoutChange, LoginOutcome};
use super::user::Timestamp;

/// What to write back after an attempt.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StateChanges {
    /// New audit entries as JSON Lines: append them to the saved log.
    pub audit_lines: String,
    /// The whole lockout state as JSON, when it changed.
    pub lockout_state: Option<String>,
}

/// Lockout counters and audit log of one app on one device.
#[derive(Debug)]
pub struct LoginState {
    lockout: LockoutTracker,
    audit: AuditLog,
}

impl LoginState {
    /// The state from saved copies. Damaged copies must not lock everyone out of logging in:
    /// unreadable lockout counters start again (as clearing site data would), and an audit log
    /// that fails verification starts a new chain whose first entry records why; the error is
    /// returned so the caller can keep the damaged copy aside.
    pub fn restore(
        policy: LockoutPolicy,
        lockout_state: Option<&str>,
        audit_log: Option<&str>,
        now: Timestamp,
    ) -> (LoginState, Option<AuditError>) {
        let lockout = lockout_state
            .and_then(|json| serde_json::from_str::<LockoutTracker>(json).ok())
            .unwrap_or_else(|| LockoutTracker::new(policy));
        let (audit, damaged) = match audit_log.map(AuditLog::from_json_lines) {
            None => (AuditLog::new(), None),
            Some(Ok(log)) => (log, None),
            Some(Err(e)) => {
                let mut log = AuditLog::new();
                log.append(
                    now.seconds(),
                    AuditEvent::Failure { user_id: None, device_id: String::new(), code: e.code().to_string() },
                );
                (log, Some(e))
            }
        };
        (LoginState { lockout, audit }, damaged)
    }

    /// Unix seconds until which `account` is locked, if it is.
    pub fn locked_until(&self, account: &str, now: Timestamp) -> Option<u64> {
        self.lockout.locked_until(account, now.seconds())
    }

    /// Appends an outcome's events and counts its lockout change (a failure that locks is audited).
    pub fn record(&mut self, outcome: &LoginOutcome, now: Timestamp) -> StateChanges {
        self.apply(outcome.audit.iter().cloned(), outcome.lockout.as_ref(), now)
    }

    /// Appends one event (a deletion, say) outside an attempt.
    pub fn record_event(&mut self, event: AuditEvent, now: Timestamp) -> StateChanges {
        self.apply([event], None, now)
    }

    fn apply(
        &mut self,
        events: impl IntoIterator<Item = AuditEvent>,
        lockout: Option<&LockoutChange>,
        now: Timestamp,
    ) -> StateChanges {
        let first_new = self.audit.entries().len() as u64;
        for event in events {
            self.audit.append(now.seconds(), event);
        }
        let lockout_changed = match lockout {
            None => false,
            Some(LockoutChange::Success { account }) => {
                self.lockout.record_success(account);
                true
            }
            Some(LockoutChange::Failure { account }) => {
                if let Some(until) = self.lockout.record_failure(account, now.seconds()) {
                    self.audit.append(now.seconds(), AuditEvent::Lockout { account: account.clone(), until });
                }
                true
            }
        };
        StateChanges {
            audit_lines: self.audit.json_lines_from(first_new),
            lockout_state: lockout_changed
                .then(|| serde_json::to_string(&self.lockout).expect("lockout state serialises")),
        }
    }

    /// The whole audit log as JSON Lines.
    pub fn audit_log(&self) -> String {
        self.audit.to_json_lines()
    }
}
