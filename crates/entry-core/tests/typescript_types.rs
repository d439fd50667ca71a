//! The TypeScript declarations of every type that crosses into JavaScript are generated from the
//! Rust definitions (ts-rs, which follows their serde attributes): this test renders them and fails
//! when `npm/src/core-types.ts` differs. `ENTRY_BLESS=1 cargo test -p entry-core --test
//! typescript_types` writes the file.

mod common;

use entry_core::audit::{AuditEntry, AuditEvent};
use entry_core::capture::{CaptureFailure, CapturePolicy, CaptureUpdate, Guidance, LivenessMode};
use entry_core::documents::AamvaLicence;
use entry_core::documents::CalendarDate;
use entry_core::documents::DocumentMatch;
use entry_core::documents::{AgeDecision, AgeRule};
use entry_core::documents::{DocumentProfile, DocumentType};
use entry_core::documents::{Mrz, MrzFormat, Sex};
use entry_core::evidence::{AttemptBinding, DeviceJwk, DeviceProof, Evidence, EvidenceFrame, SealedEvidence};
use entry_core::face::Landmarks;
use entry_core::face::{BoundingBox, Point};
use entry_core::face::{Detection, Face};
use entry_core::face::{HeadPose, QualityIssue, QualityReport};
use entry_core::liveness::{ChallengeAction, ChallengePolicy, LivenessPolicy, LivenessVerdict};
use entry_core::login::{
    AgeRuleName, AttemptRequest, CodedMessage, DeviceLoginConfig, DocumentInput, DocumentKind, EntryUser, FinishReport,
    LockoutChange, LoginPolicy, Purpose, SavedState, StateChanges, StoreChange, UserProfile, UserRecord,
};
use entry_core::policy::{Decision, LockoutPolicy, MatchPolicy, UseCase};
use entry_core::protect::DeviceSignals;
use entry_core::protect::SessionClaims;
use entry_core::protect::{WrapParams, WrappedParts};
use ts_rs::{Config, TS};

/// One exported declaration, with its doc comment.
fn declare<T: TS>(cfg: &Config) -> String {
    let docs = T::docs().map(|d| format!("{d}\n")).unwrap_or_default();
    format!("{docs}export {}\n", T::decl(cfg))
}

macro_rules! declarations {
    ($cfg:expr; $($t:ty),+ $(,)?) => { vec![$(declare::<$t>($cfg)),+] };
}

fn render() -> String {
    // Every integer that crosses is far below 2^53 (times, counts, sizes): plain numbers, as
    // serde-wasm-bindgen's json-compatible serializer sends them.
    let cfg = Config::new().with_large_int("number");
    let declarations = declarations![&cfg;
        // The login flow (entry-core `login`).
        AttemptRequest, Purpose, DocumentInput, DocumentKind, AgeRuleName, DeviceLoginConfig, LoginPolicy, SavedState,
        FinishReport, CodedMessage, StateChanges, StoreChange, LockoutChange, UserRecord, UserProfile, EntryUser,
        // Capture and liveness.
        CapturePolicy, LivenessMode, LivenessPolicy, ChallengePolicy, CaptureUpdate, CaptureFailure, Guidance,
        ChallengeAction, LivenessVerdict, BoundingBox, Point,
        // Faces and decisions.
        Face, Detection, Landmarks, QualityReport, QualityIssue, HeadPose, UseCase, Decision, MatchPolicy, DocumentMatch,
        // Keys, devices, policy and audit.
        DeviceSignals, SessionClaims, WrapParams, WrappedParts, LockoutPolicy, AuditEvent, AuditEntry,
        // Server-mode evidence.
        AttemptBinding, Evidence, EvidenceFrame, DeviceProof, DeviceJwk, SealedEvidence,
        // Documents.
        DocumentProfile, DocumentType, CalendarDate, AgeRule, AgeDecision, Mrz, MrzFormat, Sex, AamvaLicence,
    ];
    let mut ts = String::from(
        "// Generated from entry-core's Rust types by `ENTRY_BLESS=1 cargo test -p entry-core --test\n\
         // typescript_types`. Do not edit: change the Rust definition (its serde attributes decide the shape).\n\
         import type { ErrorCode } from './error-codes.js';\n\n",
    );
    ts.push_str(&declarations.join("\n"));
    ts
}

#[test]
fn the_typescript_types_are_generated_from_the_core() {
    common::check_generated("npm/src/core-types.ts", &render(), "typescript_types");
}
