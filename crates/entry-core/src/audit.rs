//! Audit log: append-only and hash-chained. Each entry holds the SHA-256 of the previous entry, so
//! editing, removing, inserting or reordering any entry breaks verification from that point on.
//! Entries hold pseudonymous ids, outcomes and reason codes only: never biometric data or secrets.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// What happened. Fields are deliberately few: ids, outcomes, codes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AuditEvent {
    /// A user was enrolled on a device.
    Enroll {
        /// The new user.
        user_id: String,
        /// The device they enrolled on.
        device_id: String,
    },
    /// An identification finished: whom it matched, if anyone.
    Identify {
        /// The matched user, `None` when nobody matched.
        user_id: Option<String>,
        /// The device it ran on.
        device_id: String,
        /// Whether someone matched.
        matched: bool,
    },
    /// A verification of one user finished.
    Verify {
        /// The user checked.
        user_id: String,
        /// The device it ran on.
        device_id: String,
        /// Whether the face matched at the use case's threshold.
        matched: bool,
        /// The use case (its target false-match rate), e.g. `login`.
        use_case: String,
    },
    /// An attempt failed.
    Failure {
        /// The user concerned, when known (a verification, an unreadable record).
        user_id: Option<String>,
        /// The device it ran on (empty when not known).
        device_id: String,
        /// The stable error code.
        code: String,
    },
    /// Repeated failures locked an account.
    Lockout {
        /// The locked account (a user id).
        account: String,
        /// Unix seconds when the lock ends.
        until: u64,
    },
    /// A user and their template were deleted.
    Delete {
        /// The deleted user.
        user_id: String,
    },
    /// Templates were re-sealed under a new day's key.
    KeyRotation {
        /// How many templates were re-sealed.
        resealed: usize,
        /// The new key day.
        key_day: u32,
    },
    /// A document showed the person is under an age rule's minimum.
    UnderAge {
        /// The user, only when a template may be kept for them.
        user_id: Option<String>,
        /// The rule's name, e.g. `coppa-13`.
        rule: String,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
/// One link of the chain: an event, when it happened, and the hashes that tie it to the previous entry.
pub struct AuditEntry {
    /// Position in the log, from 0.
    pub seq: u64,
    /// Unix seconds.
    pub time: u64,
    /// What happened.
    pub event: AuditEvent,
    /// Hex SHA-256 of the previous entry (64 zeros for the first).
    pub prev: String,
    /// Hex SHA-256 of this entry's seq, time, event and prev.
    pub hash: String,
}

impl AuditEntry {
    /// The entry that follows `previous` (the first one when `None`): what a store that keeps the
    /// chain elsewhere (a database shared by several processes) appends.
    pub fn after(previous: Option<&AuditEntry>, time: u64, event: AuditEvent) -> AuditEntry {
        let seq = previous.map_or(0, |p| p.seq + 1);
        let prev = previous.map_or(GENESIS.to_string(), |p| p.hash.clone());
        let hash = entry_hash(seq, time, &event, &prev);
        AuditEntry { seq, time, event, prev, hash }
    }
}

/// Where verification first failed, and why.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum AuditError {
    /// A line is not a JSON audit entry.
    #[error("line {line}: not an audit entry: {reason}")]
    Malformed {
        /// 1-based line number.
        line: usize,
        /// What the JSON parser said.
        reason: String,
    },
    /// An entry's sequence number is not its position.
    #[error("entry {index}: sequence number {found}, expected {expected} (removed, inserted or reordered)")]
    Sequence {
        /// Index of the entry.
        index: usize,
        /// The sequence number it should have.
        expected: u64,
        /// The one it has.
        found: u64,
    },
    /// An entry does not point at the hash of the one before it.
    #[error("entry {index}: previous hash does not match entry {previous} (removed, inserted or reordered)")]
    Chain {
        /// Index of the entry.
        index: usize,
        /// Index of the entry it should follow.
        previous: usize,
    },
    /// An entry's content does not hash to its recorded hash.
    #[error("entry {index}: content does not match its hash (edited)")]
    Edited {
        /// Index of the entry.
        index: usize,
    },
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn entry_hash(seq: u64, time: u64, event: &AuditEvent, prev: &str) -> String {
    let body = serde_json::to_vec(&(seq, time, event, prev)).expect("events serialise");
    hex::encode(Sha256::digest(body))
}

#[derive(Clone, Debug, Default, PartialEq)]
/// An append-only, hash-chained log of [`AuditEvent`]s.
pub struct AuditLog {
    entries: Vec<AuditEntry>,
}

impl AuditLog {
    /// An empty log.
    pub fn new() -> Self {
        AuditLog::default()
    }

    /// Appends `event` at `time` (Unix seconds), chained to the last entry; returns the new entry.
    pub fn append(&mut self, time: u64, event: AuditEvent) -> &AuditEntry {
        let entry = AuditEntry::after(self.entries.last(), time, event);
        self.entries.push(entry);
        self.entries.last().expect("just pushed")
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> &[AuditEntry] {
        &self.entries
    }

    /// The hash of the last entry: publish it elsewhere to make truncation detectable too.
    pub fn head(&self) -> &str {
        self.entries.last().map_or(GENESIS, |e| &e.hash)
    }

    /// The whole log as JSON Lines, one entry per line (what a device or an admin exports).
    pub fn to_json_lines(&self) -> String {
        self.json_lines_from(0)
    }

    /// The entries from sequence number `seq` on, as JSON Lines (what to append to a saved copy).
    pub fn json_lines_from(&self, seq: u64) -> String {
        self.entries.iter().skip(seq as usize).map(|e| serde_json::to_string(e).expect("serialise") + "\n").collect()
    }

    /// Parses and verifies a JSON Lines export.
    pub fn from_json_lines(text: &str) -> Result<Self, AuditError> {
        let entries = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                serde_json::from_str(l).map_err(|e| AuditError::Malformed { line: i + 1, reason: e.to_string() })
            })
            .collect::<Result<Vec<AuditEntry>, _>>()?;
        let log = AuditLog { entries };
        log.verify()?;
        Ok(log)
    }

    /// Checks every link of the chain.
    pub fn verify(&self) -> Result<(), AuditError> {
        let mut prev = GENESIS;
        for (index, e) in self.entries.iter().enumerate() {
            if e.seq != index as u64 {
                return Err(AuditError::Sequence { index, expected: index as u64, found: e.seq });
            }
            if e.prev != prev {
                return Err(AuditError::Chain { index, previous: index.saturating_sub(1) });
            }
            if entry_hash(e.seq, e.time, &e.event, &e.prev) != e.hash {
                return Err(AuditError::Edited { index });
            }
            prev = &e.hash;
        }
        Ok(())
    }
}

impl crate::CodedError for AuditError {
    fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::AuditTampered
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log() -> AuditLog {
        let mut log = AuditLog::new();
        log.append(1, AuditEvent::Enroll { user_id: "u1".into(), device_id: "dev_a".into() });
        log.append(2, AuditEvent::Identify { user_id: Some("u1".into()), device_id: "dev_a".into(), matched: true });
        log.append(
            3,
            AuditEvent::Failure { user_id: None, device_id: "dev_b".into(), code: "LIVENESS_CHECK_FAILED".into() },
        );
        log.append(4, AuditEvent::Lockout { account: "dev_b".into(), until: 1804 });
        log.append(5, AuditEvent::Delete { user_id: "u1".into() });
        log
    }

    #[test]
    fn export_round_trips_and_verifies() {
        let l = log();
        let parsed = AuditLog::from_json_lines(&l.to_json_lines()).unwrap();
        assert_eq!(parsed, l);
        assert_eq!(parsed.head(), l.entries()[4].hash);
    }

    fn tampered(edit: impl FnOnce(&mut Vec<AuditEntry>)) -> Result<(), AuditError> {
        let mut entries = log().entries;
        edit(&mut entries);
        AuditLog { entries }.verify()
    }

    #[test]
    fn any_edit_removal_insertion_or_reorder_is_detected() {
        assert!(matches!(
            tampered(|e| e[1].event =
                AuditEvent::Identify { user_id: Some("u2".into()), device_id: "dev_a".into(), matched: true }),
            Err(AuditError::Edited { index: 1 })
        ));
        assert!(matches!(tampered(|e| e[2].time = 99), Err(AuditError::Edited { index: 2 })));
        assert!(matches!(
            tampered(|e| {
                e.remove(2);
            }),
            Err(AuditError::Sequence { index: 2, .. })
        ));
        assert!(matches!(tampered(|e| e.swap(1, 2)), Err(AuditError::Sequence { index: 1, .. })));
        // A removal that renumbers the rest is still caught by the chain.
        assert!(matches!(
            tampered(|e| {
                e.remove(1);
                for (i, x) in e.iter_mut().enumerate() {
                    x.seq = i as u64;
                }
            }),
            Err(AuditError::Chain { index: 1, .. })
        ));
        let mut inserted = log();
        let fake = inserted.entries[1].clone();
        inserted.entries.insert(2, fake);
        assert!(inserted.verify().is_err());
        assert!(matches!(AuditLog::from_json_lines("{not json}\n"), Err(AuditError::Malformed { line: 1, .. })));
    }

    #[test]
    fn no_biometric_fields_exist() {
        let text = log().to_json_lines();
        assert!(!text.contains("embedding") && !text.contains("template"));
    }
}
