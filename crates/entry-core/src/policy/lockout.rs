//! Lockout after repeated failures: N failures inside a sliding window lock the account for a while.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
/// When failures lock an account; the defaults are 5 failures in 3 minutes locking for 30 minutes.
pub struct LockoutPolicy {
    // The aliases read lockout state saved before the names became camelCase.
    #[serde(alias = "max_failures")]
    /// Failures that lock.
    pub max_failures: usize,
    #[serde(alias = "window_seconds")]
    /// The window they must fall in, seconds.
    pub window_seconds: u64,
    #[serde(alias = "lockout_seconds")]
    /// How long the lock lasts, seconds.
    pub lockout_seconds: u64,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        LockoutPolicy { max_failures: 5, window_seconds: 180, lockout_seconds: 1800 }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Account {
    failures: Vec<u64>,
    locked_until: Option<u64>,
}

/// Failure history per account (user id or, before identification, device id). Serialisable so a
/// browser can keep it across page loads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LockoutTracker {
    policy: LockoutPolicy,
    accounts: HashMap<String, Account>,
}

impl LockoutTracker {
    /// No failures yet, under `policy`.
    pub fn new(policy: LockoutPolicy) -> Self {
        LockoutTracker { policy, accounts: HashMap::new() }
    }

    /// `Some(until)` while the account is locked at `now`.
    pub fn locked_until(&self, account: &str, now: u64) -> Option<u64> {
        self.accounts.get(account)?.locked_until.filter(|until| now < *until)
    }

    /// Records a failure; returns `Some(until)` when this failure locks the account.
    pub fn record_failure(&mut self, account: &str, now: u64) -> Option<u64> {
        let p = &self.policy;
        let a = self.accounts.entry(account.to_string()).or_default();
        a.failures.retain(|t| now.saturating_sub(*t) < p.window_seconds);
        a.failures.push(now);
        if a.failures.len() >= p.max_failures {
            a.failures.clear();
            let until = now + p.lockout_seconds;
            a.locked_until = Some(until);
            return Some(until);
        }
        None
    }

    /// A success clears the account's failures.
    pub fn record_success(&mut self, account: &str) {
        self.accounts.remove(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_saved_with_the_old_snake_case_names_still_reads() {
        let saved = r#"{"policy":{"max_failures":3,"window_seconds":60,"lockout_seconds":600},"accounts":{"alice":{"failures":[],"locked_until":2000}}}"#;
        let t: LockoutTracker = serde_json::from_str(saved).unwrap();
        assert_eq!(t.locked_until("alice", 1500), Some(2000));
        assert_eq!(t.policy.max_failures, 3);
    }

    #[test]
    fn state_survives_a_round_trip_through_json() {
        let mut t = LockoutTracker::new(LockoutPolicy::default());
        for i in 0..5 {
            t.record_failure("alice", 1000 + i);
        }
        let restored: LockoutTracker = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(restored.locked_until("alice", 1100), Some(1004 + 1800));
    }

    #[test]
    fn five_failures_in_three_minutes_lock_for_thirty() {
        let mut t = LockoutTracker::new(LockoutPolicy::default());
        for i in 0..4 {
            assert_eq!(t.record_failure("alice", 1000 + i * 30), None);
        }
        assert_eq!(t.record_failure("alice", 1150), Some(1150 + 1800));
        assert_eq!(t.locked_until("alice", 1200), Some(2950));
        assert_eq!(t.locked_until("alice", 2950), None);
        assert_eq!(t.locked_until("bob", 1200), None);
    }

    #[test]
    fn failures_outside_the_window_do_not_count_and_success_resets() {
        let mut t = LockoutTracker::new(LockoutPolicy::default());
        for i in 0..10 {
            assert_eq!(t.record_failure("alice", i * 60), None, "one failure a minute never reaches five in 180 s");
        }
        for i in 0..4 {
            t.record_failure("bob", 5000 + i);
        }
        t.record_success("bob");
        assert_eq!(t.record_failure("bob", 5010), None);
    }
}
