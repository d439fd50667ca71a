//! The login flow's decisions: what an attempt stores, audits and counts, first with embeddings made
//! up to land on each side of each threshold, then in device mode with real recordings end to end.

mod common;

use entry_core::audit::AuditEvent;
use entry_core::capture::{CapturePolicy, CaptureUpdate};
use entry_core::documents::DocumentMatch;
use entry_core::documents::{AgeRule, CalendarDate};
use entry_core::documents::{DocumentProfile, DocumentType};
use entry_core::face::Embedding;
use entry_core::login::{
    Attempt, AttemptRequest, Captured, CheckedDocument, DeviceLogin, DeviceLoginConfig, LockoutChange, LoginError,
    LoginFlow, LoginOutcome, LoginPolicy, LoginState, Purpose, SavedState, StoreChange, Timestamp, UserRecord,
};
use entry_core::model::{Calibration, FmrThreshold};
use entry_core::policy::{Decision, LockoutPolicy, UseCase};
use entry_core::protect::{verify_session, MemoryReplayGuard};
use entry_core::protect::{DeviceSignals, SealedTemplate, UtcDay};
use entry_core::protect::{Keyring, MasterSecret, TemplateProtector};
use entry_core::{CodedError, ErrorCode, Frame};

const NOW: Timestamp = Timestamp(1_796_022_437_000);

/// FMR 1e-2 / 1e-3 / 1e-4 at cosine 0.2 / 0.3 / 0.4.
fn calibration() -> Calibration {
    let at = |fmr, threshold| FmrThreshold { fmr, threshold };
    Calibration { method: "test".into(), thresholds: vec![at(1e-2, 0.2), at(1e-3, 0.3), at(1e-4, 0.4)] }
}

fn protector() -> TemplateProtector {
    TemplateProtector::new(Keyring::new(MasterSecret::new(&[9u8; 32]).unwrap(), "bank.example", 30), 1, 4).unwrap()
}

/// A unit embedding at cosine `c` from the first axis.
fn at_cosine(c: f32) -> Embedding {
    Embedding::new("m", vec![c, (1.0 - c * c).sqrt(), 0.0, 0.0]).unwrap()
}

fn attempt(purpose: Purpose) -> Attempt {
    Attempt {
        purpose,
        use_case: UseCase::Login,
        device_id: "dev_a".into(),
        client: "dev_a".into(),
        started: NOW,
        document: None,
        age_rule: None,
    }
}

fn identify(register: bool) -> Attempt {
    attempt(Purpose::Identify { register_if_not_found: register })
}

fn verify(user: &str) -> Attempt {
    attempt(Purpose::Verify { entry_user_id: user.into() })
}

fn captured(embedding: &Embedding) -> Captured<'_> {
    Captured { embedding, liveness_score: Some(0.9), document_match: None }
}

fn stored(outcome: &LoginOutcome) -> UserRecord {
    match outcome.changes.as_slice() {
        [StoreChange::Put { user }] => (**user).clone(),
        other => panic!("expected one record to store, got {other:?}"),
    }
}

fn event_types(outcome: &LoginOutcome) -> Vec<String> {
    outcome.audit.iter().map(|e| serde_json::to_value(e).unwrap()["type"].as_str().unwrap().to_string()).collect()
}

fn code(outcome: &LoginOutcome) -> ErrorCode {
    outcome.result.as_ref().expect_err("expected a failure").code()
}

#[test]
fn an_unknown_face_registers_and_is_then_recognised_on_a_second_device() {
    let (p, c, policy) = (protector(), calibration(), LoginPolicy::default());
    let flow = LoginFlow::new(&p, &c, &policy);
    let face = at_cosine(1.0);

    let registered = flow.finish(&identify(true), &captured(&face), &[], NOW);
    let user = registered.result.as_ref().unwrap();
    assert!(user.is_new_user && user.is_registration_complete && !user.is_known_device);
    assert_eq!(user.match_score, None);
    assert_eq!(user.liveness_score, Some(0.9));
    assert_eq!(event_types(&registered), ["enroll"]);
    let record = stored(&registered);
    assert_eq!(
        (record.app_id.as_str(), record.known_devices.as_slice()),
        ("bank.example", ["dev_a".to_string()].as_slice())
    );
    assert_eq!(record.created_at, "2026-11-30T07:07:17.000Z");
    let id = &record.entry_user_id;
    assert_eq!((id.len(), &id[14..15]), (36, "4"), "a v4 UUID: {id}");

    let mut elsewhere = identify(false);
    elsewhere.device_id = "dev_b".into();
    let later = Timestamp(NOW.0 + 60_000);
    let recognised = flow.finish(&elsewhere, &captured(&at_cosine(0.95)), std::slice::from_ref(&record), later);
    let user = recognised.result.as_ref().unwrap();
    assert_eq!(&user.entry_user_id, id);
    assert!(!user.is_new_user && !user.is_known_device);
    assert!((user.match_score.unwrap() - 0.95).abs() < 1e-4);
    assert_eq!(event_types(&recognised), ["identify"]);
    let updated = stored(&recognised);
    assert_eq!(updated.known_devices, ["dev_a", "dev_b"]);
    assert_eq!(updated.sealed_template, record.sealed_template, "same key day: not re-sealed");
    assert_eq!(updated.updated_at, later.iso());

    let again = flow.finish(&elsewhere, &captured(&face), std::slice::from_ref(&updated), later);
    assert!(again.result.unwrap().is_known_device);

    // An attempt bound to no device is never a known device, and leaves no device behind.
    let mut unbound = identify(false);
    unbound.device_id = String::new();
    let anonymous = flow.finish(&unbound, &captured(&face), std::slice::from_ref(&updated), later);
    assert!(!anonymous.result.as_ref().unwrap().is_known_device);
    assert_eq!(stored(&anonymous).known_devices, ["dev_a", "dev_b"]);
    let registered = flow.finish(&identify(true), &captured(&face), &[], later);
    assert!(stored(&registered).known_devices.len() == 1);
    let mut unbound = identify(true);
    unbound.device_id = String::new();
    assert!(stored(&flow.finish(&unbound, &captured(&face), &[], later)).known_devices.is_empty());
}

#[test]
fn a_stranger_is_not_found_and_a_near_match_needs_another_factor() {
    let (p, c, policy) = (protector(), calibration(), LoginPolicy::default());
    let flow = LoginFlow::new(&p, &c, &policy);
    let record = stored(&flow.finish(&identify(true), &captured(&at_cosine(1.0)), &[], NOW));
    let users = [record];

    let stranger = flow.finish(&identify(false), &captured(&at_cosine(0.1)), &users, NOW);
    assert_eq!(code(&stranger), ErrorCode::UserNotFound);
    assert_eq!(stranger.audit, [AuditEvent::Identify { user_id: None, device_id: "dev_a".into(), matched: false }]);
    assert!(stranger.changes.is_empty());
    // Searching and finding nobody counts against the client, so users cannot be enumerated for free.
    assert_eq!(stranger.lockout, Some(LockoutChange::Failure { account: "identify:dev_a".into() }));

    // Between the fallback (1e-2) and login (1e-3) thresholds: neither recognised nor registered.
    let near = flow.finish(&identify(true), &captured(&at_cosine(0.25)), &users, NOW);
    assert_eq!(code(&near), ErrorCode::FallbackRequired);
    assert!(near.changes.is_empty(), "a near-duplicate is not registered");
    assert_eq!(near.lockout, Some(LockoutChange::Failure { account: "identify:dev_a".into() }));
    let message = near.result.unwrap_err().to_string();
    assert!(!message.contains("0.2"), "no score in the message: {message}");

    let newcomer = flow.finish(&identify(true), &captured(&at_cosine(0.1)), &users, NOW);
    assert!(newcomer.lockout.is_none(), "registering is not a failure");
    assert!(newcomer.result.unwrap().is_new_user);
}

/// `n` users, each registered from a unit embedding along its own direction away from the first axis.
fn gallery_of(flow: &LoginFlow, n: usize) -> Vec<UserRecord> {
    let mut users = vec![stored(&flow.finish(&identify(true), &captured(&at_cosine(1.0)), &[], NOW))];
    for i in 1..n {
        let mut v = vec![0.0; 4];
        v[1 + i % 3] = if i % 2 == 0 { 1.0 } else { -1.0 };
        let face = Embedding::new("m", v).unwrap();
        users.push(stored(&flow.finish(&identify(true), &captured(&face), &[], NOW)));
    }
    users
}

#[test]
fn identify_holds_its_false_match_rate_per_search_so_a_larger_gallery_needs_a_higher_score() {
    let (p, c, policy) = (protector(), calibration(), LoginPolicy::default());
    let flow = LoginFlow::new(&p, &c, &policy);
    let alone = gallery_of(&flow, 1);
    let crowd = gallery_of(&flow, 6);
    // 0.35: above the 1e-3 threshold (0.3), below 1e-3/6 per comparison (the 1e-4 point, 0.4).
    let face = at_cosine(0.35);
    let one = flow.finish(&identify(false), &captured(&face), &alone, NOW);
    assert_eq!(one.result.unwrap().entry_user_id, alone[0].entry_user_id);
    let six = flow.finish(&identify(false), &captured(&face), &crowd, NOW);
    assert_eq!(code(&six), ErrorCode::FallbackRequired);
    let six = flow.finish(&identify(false), &captured(&at_cosine(0.45)), &crowd, NOW);
    assert_eq!(six.result.unwrap().entry_user_id, crowd[0].entry_user_id);

    // The same decisions over a gallery the caller keeps opened, with only the best's record.
    let sealed: Vec<(&str, &[u8])> =
        crowd.iter().map(|u| (u.entry_user_id.as_str(), u.sealed_template.as_deref().unwrap())).collect();
    let (gallery, unreadable) =
        p.open_gallery(sealed, "m", entry_core::protect::UtcDay::from_unix_seconds(NOW.seconds()));
    assert!(unreadable.is_empty());
    let search = |face: &Embedding| {
        let best = gallery.best(&p.probe(face).unwrap()).unwrap();
        entry_core::protect::TemplateSearch { best, unreadable: vec![], gallery_size: gallery.len() }
    };
    let found = search(&face);
    assert_eq!(found.best.as_ref().unwrap().id, crowd[0].entry_user_id);
    let near = flow.finish_search(&identify(false), &captured(&face), found, &crowd[..1], NOW);
    assert_eq!(code(&near), ErrorCode::FallbackRequired);
    let strong = at_cosine(0.45);
    let matched = flow.finish_search(&identify(false), &captured(&strong), search(&strong), &crowd[..1], NOW);
    assert_eq!(matched.result.unwrap().entry_user_id, crowd[0].entry_user_id);
    let gone = flow.finish_search(&identify(false), &captured(&strong), search(&strong), &[], NOW);
    assert_eq!(code(&gone), ErrorCode::UserNotFound, "a record deleted since the search is no match");
    let verify_by_search = flow.finish_search(&verify("x"), &captured(&strong), search(&strong), &[], NOW);
    assert!(verify_by_search.result.is_err());
}

#[test]
fn verification_failures_count_towards_a_lockout_and_a_match_resets_it() {
    let (p, c, policy) = (protector(), calibration(), LoginPolicy::default());
    let flow = LoginFlow::new(&p, &c, &policy);
    let record = stored(&flow.finish(&identify(true), &captured(&at_cosine(1.0)), &[], NOW));
    let id = record.entry_user_id.clone();
    let users = [record];
    let (mut state, damaged) = LoginState::restore(LockoutPolicy::default(), None, None, NOW);
    assert!(damaged.is_none());

    let wrong = flow.finish(&verify(&id), &captured(&at_cosine(0.1)), &users, NOW);
    assert_eq!(code(&wrong), ErrorCode::FaceMatchFailed);
    assert_eq!(event_types(&wrong), ["verify", "failure"]);
    assert_eq!(wrong.lockout, Some(LockoutChange::Failure { account: id.clone() }));

    // A stricter use case turns a login-grade score into a fallback: counted like a failure (else
    // it is a free retry for hill-climbing), and its message does not give the score away.
    let mut payment = verify(&id);
    payment.use_case = UseCase::HighValuePayment;
    let fallback = flow.finish(&payment, &captured(&at_cosine(0.35)), &users, NOW);
    assert_eq!(code(&fallback), ErrorCode::FallbackRequired);
    assert_eq!(fallback.lockout, Some(LockoutChange::Failure { account: id.clone() }));
    let message = fallback.result.as_ref().unwrap_err().to_string();
    assert!(!message.contains("0.3"), "{message}");

    let spoof = flow.abandon(&verify(&id), ErrorCode::LivenessCheckFailed, "capture failed (liveness)");
    assert_eq!(spoof.lockout, Some(LockoutChange::Failure { account: id.clone() }));
    assert_eq!(event_types(&spoof), ["failure"]);
    let cancelled = flow.abandon(&verify(&id), ErrorCode::UserCancelled, "cancelled");
    assert_eq!(cancelled.lockout, None, "cancelling is not a failed check");

    let mut last = None;
    for i in 0..5 {
        let t = Timestamp(NOW.0 + i * 10_000);
        last = Some(state.record(&flow.finish(&verify(&id), &captured(&at_cosine(0.1)), &users, t), t));
    }
    let last = last.unwrap();
    assert!(last.audit_lines.contains("\"type\":\"lockout\""), "{}", last.audit_lines);
    assert!(last.lockout_state.is_some());
    let until = state.locked_until(&id, Timestamp(NOW.0 + 60_000)).expect("locked");
    assert_eq!(until, NOW.seconds() + 40 + 1800);

    let right = flow.finish(&verify(&id), &captured(&at_cosine(0.99)), &users, NOW);
    assert_eq!(right.lockout, Some(LockoutChange::Success { account: id.clone() }));
    assert_eq!(event_types(&right), ["verify"]);
}

#[test]
fn a_tampered_record_is_reported_never_matched_nor_deleted() {
    let (p, c, policy) = (protector(), calibration(), LoginPolicy::default());
    let flow = LoginFlow::new(&p, &c, &policy);
    let mut record = stored(&flow.finish(&identify(true), &captured(&at_cosine(1.0)), &[], NOW));
    if let Some(bytes) = record.sealed_template.as_mut() {
        *bytes.last_mut().unwrap() ^= 1;
    }
    let id = record.entry_user_id.clone();
    let users = [record];

    let found = flow.finish(&identify(false), &captured(&at_cosine(1.0)), &users, NOW);
    assert_eq!(code(&found), ErrorCode::UserNotFound);
    assert_eq!(
        found.audit[0],
        AuditEvent::Failure { user_id: Some(id.clone()), device_id: "dev_a".into(), code: "TEMPLATE_TAMPERED".into() }
    );
    assert!(found.changes.is_empty());

    let verified = flow.finish(&verify(&id), &captured(&at_cosine(1.0)), &users, NOW);
    assert_eq!(code(&verified), ErrorCode::TemplateTampered);
    assert_eq!(verified.lockout, None, "a damaged record is not the person's failure");
}

#[test]
fn templates_follow_the_daily_key_and_stale_ones_are_resealed_never_lost() {
    let (p, c, policy) = (protector(), calibration(), LoginPolicy::default());
    let flow = LoginFlow::new(&p, &c, &policy);
    let record = stored(&flow.finish(&identify(true), &captured(&at_cosine(1.0)), &[], NOW));
    let day = 86_400_000;
    let key_day = |r: &UserRecord| SealedTemplate::from_bytes(r.sealed_template.clone().unwrap()).unwrap().key_day();

    let next_week = Timestamp(NOW.0 + 7 * day);
    let resealed =
        stored(&flow.finish(&identify(false), &captured(&at_cosine(1.0)), std::slice::from_ref(&record), next_week));
    assert_ne!(resealed.sealed_template, record.sealed_template, "re-sealed under the new day's key");

    // Two months without a login (past the 30-day grace window): the same person is recognised
    // under the same id, not enrolled a second time, and their record moves to today's key.
    let two_months = Timestamp(NOW.0 + 60 * day);
    let back = flow.finish(&identify(true), &captured(&at_cosine(1.0)), std::slice::from_ref(&record), two_months);
    let user = back.result.as_ref().expect("recognised");
    assert_eq!((user.entry_user_id.as_str(), user.is_new_user), (record.entry_user_id.as_str(), false));
    assert_eq!(key_day(&stored(&back)), UtcDay((two_months.0 / day) as u32));
    let verified = flow.finish(
        &verify(&record.entry_user_id),
        &captured(&at_cosine(1.0)),
        std::slice::from_ref(&record),
        two_months,
    );
    assert!(verified.result.is_ok(), "{:?}", verified.result);

    // A search also re-seals the stale records it opened of other people, so nobody's key ages
    // out of use; records within the window are left alone.
    let other = Embedding::new("m", vec![0.0, 0.0, 1.0, 0.0]).unwrap();
    let someone = stored(&flow.finish(&identify(true), &captured(&other), std::slice::from_ref(&record), next_week));
    let search = flow.finish(&identify(false), &captured(&other), &[record.clone(), someone.clone()], two_months);
    let puts: Vec<(String, UtcDay)> = search
        .changes
        .iter()
        .map(|c| match c {
            StoreChange::Put { user } => (user.entry_user_id.clone(), key_day(user)),
            other => panic!("{other:?}"),
        })
        .collect();
    let today = UtcDay((two_months.0 / day) as u32);
    assert!(puts.contains(&(record.entry_user_id.clone(), today)), "{puts:?}");
    assert!(puts.contains(&(someone.entry_user_id.clone(), today)), "{puts:?}");
    let within =
        flow.finish(&identify(false), &captured(&other), std::slice::from_ref(&resealed), Timestamp(next_week.0 + day));
    assert!(within.changes.is_empty(), "{:?}", within.changes);
}

fn document(born: CalendarDate) -> CheckedDocument {
    let profile = DocumentProfile {
        document_type: DocumentType::Passport,
        document_number_digest: "hmac-sha256:00".into(),
        date_of_birth: born,
        expiry_date: CalendarDate::new(2031, 1, 1).unwrap(),
        issuer: "UTO".into(),
        nationality: Some("UTO".into()),
    };
    CheckedDocument { profile, photo: Some(vec![0xff, 0xd8]) }
}

#[test]
fn documents_fill_the_profile_and_minors_leave_nothing_behind_without_a_guardian_flow() {
    let (p, c) = (protector(), calibration());
    let face = at_cosine(1.0);
    let matched = Some(DocumentMatch { score: 0.6, decision: Decision::Accept });
    let mut adult = identify(true);
    adult.document = Some(document(CalendarDate::new(1974, 8, 12).unwrap()));
    adult.age_rule = Some(AgeRule::alcohol_18());

    let policy = LoginPolicy::default();
    let flow = LoginFlow::new(&p, &c, &policy);
    let grown = flow.finish(&adult, &Captured { document_match: matched, ..captured(&face) }, &[], NOW);
    let user = grown.result.as_ref().unwrap();
    assert_eq!(user.profile.date_of_birth.as_deref(), Some("1974-08-12"));
    assert_eq!(user.profile.photo_identity_document_expiry.as_deref(), Some("2031-01-01"));
    assert!(!user.is_under_age && user.is_registration_complete);

    let other_face = Some(DocumentMatch { score: 0.05, decision: Decision::Reject });
    let mismatch = flow.finish(&adult, &Captured { document_match: other_face, ..captured(&face) }, &[], NOW);
    assert_eq!(code(&mismatch), ErrorCode::FaceMatchFailed);
    assert!(mismatch.result.unwrap_err().to_string().contains("document photo"));
    assert!(mismatch.changes.is_empty());
    let unmatched = flow.finish(&adult, &captured(&face), &[], NOW);
    assert_eq!(code(&unmatched), ErrorCode::InvalidConfiguration, "a photo that was never compared is not a pass");

    let mut child = adult.clone();
    child.document = Some(document(CalendarDate::new(2016, 5, 1).unwrap()));
    child.age_rule = Some(AgeRule::coppa());
    let minor = flow.finish(&child, &Captured { document_match: matched, ..captured(&face) }, &[], NOW);
    let user = minor.result.as_ref().unwrap();
    assert!(user.is_under_age && !user.is_registration_complete);
    assert!(minor.changes.is_empty(), "nothing stored");
    assert_eq!(minor.audit, [AuditEvent::UnderAge { user_id: None, rule: "coppa-13".into() }]);

    let guardian = LoginPolicy { guardian_flow: true, ..LoginPolicy::default() };
    let with_guardian = LoginFlow::new(&p, &c, &guardian).finish(
        &child,
        &Captured { document_match: matched, ..captured(&face) },
        &[],
        NOW,
    );
    let record = stored(&with_guardian);
    assert!(record.is_under_age && record.sealed_template.is_some());
    assert_eq!(event_types(&with_guardian), ["under_age", "enroll"]);
}

#[test]
fn damaged_saved_state_starts_again_and_says_so() {
    let (state, damaged) = LoginState::restore(LockoutPolicy::default(), Some("not json"), Some("{\"seq\":7}\n"), NOW);
    assert_eq!(damaged.unwrap().code(), ErrorCode::AuditTampered);
    let log = state.audit_log();
    assert_eq!(log.lines().count(), 1);
    assert!(log.contains("\"code\":\"AUDIT_TAMPERED\""), "{log}");
    assert_eq!(state.locked_until("anyone", NOW), None);
}

fn signals() -> DeviceSignals {
    serde_json::from_value(serde_json::json!({
        "userAgent": "test", "platform": "Linux", "languages": ["en"], "timeZone": "UTC", "screenWidth": 1280,
        "screenHeight": 720, "colorDepth": 24, "hardwareConcurrency": 2, "maxTouchPoints": 0
    }))
    .unwrap()
}

fn request(json: serde_json::Value) -> AttemptRequest {
    serde_json::from_value(json).unwrap()
}

/// Begins an attempt and feeds frames 100 ms apart until the capture ends.
fn capture(login: &mut DeviceLogin, engine: &entry_core::FaceEngine, frames: &[Frame]) -> CaptureUpdate {
    for (i, frame) in frames.iter().cycle().take(400).enumerate() {
        let update = login.push(engine, frame, i as f64 * 100.0).unwrap();
        if matches!(update, CaptureUpdate::Captured { .. } | CaptureUpdate::Failed { .. }) {
            return update;
        }
    }
    panic!("the capture did not end")
}

#[test]
fn device_mode_registers_recognises_and_locks_with_real_recordings() {
    let engine = common::engine();
    let config = DeviceLoginConfig { app_id: "bank.example".into(), ..DeviceLoginConfig::default() };
    let master = || MasterSecret::new(&[5u8; 32]).unwrap();
    let (mut login, restarted) =
        DeviceLogin::new(&engine, master(), config.clone(), SavedState::default(), NOW).unwrap();
    assert!(restarted.is_none());
    let policy = CapturePolicy::default();
    let person = common::nuaa_session("live/0001", "0001_00_00_01", 10);
    let stranger = common::nuaa_session("live/0002", "0002_01_00_01", 10);

    let register = request(serde_json::json!({ "purpose": { "kind": "identify", "registerIfNotFound": true } }));
    let device = login.begin(register.clone(), None, &signals(), policy.clone(), b"n1", NOW).unwrap();
    assert!(device.starts_with("dev_"));
    assert!(matches!(capture(&mut login, &engine, &person), CaptureUpdate::Captured { .. }));
    let finished = login.finish(&engine, &[], NOW).unwrap();
    let user = finished.result.unwrap();
    assert!(user.is_new_user);
    let token = user.session_token.expect("a complete registration gets a session token");
    let keyring = Keyring::new(master(), "bank.example", 30);
    let claims = verify_session(&keyring, &token, NOW.seconds(), &mut MemoryReplayGuard::default()).unwrap();
    assert_eq!((claims.user_id.as_str(), claims.device_id.as_str()), (user.entry_user_id.as_str(), device.as_str()));
    assert!(finished.state.audit_lines.contains("\"type\":\"enroll\""));
    let record = match finished.changes.as_slice() {
        [StoreChange::Put { user }] => (**user).clone(),
        other => panic!("{other:?}"),
    };

    // The same person from another recording is recognised on the same device.
    let second = common::nuaa_session("live/0001", "0001_00_00_02", 10);
    login.begin(register, None, &signals(), policy.clone(), b"n2", NOW).unwrap();
    capture(&mut login, &engine, &second);
    let again = login.finish(&engine, std::slice::from_ref(&record), NOW).unwrap().result.unwrap();
    assert_eq!(again.entry_user_id, record.entry_user_id);
    assert!(again.is_known_device && !again.is_new_user);

    // Five verifications by someone else lock the user before the next capture starts.
    let id = record.entry_user_id.clone();
    let verify = request(serde_json::json!({ "purpose": { "kind": "verify", "entryUserId": id } }));
    let mut saved = String::new();
    for i in 0..5 {
        login.begin(verify.clone(), Some(&record), &signals(), policy.clone(), b"v", NOW).unwrap();
        capture(&mut login, &engine, &stranger);
        let failed = login.finish(&engine, std::slice::from_ref(&record), NOW).unwrap();
        assert_eq!(failed.result.unwrap_err().code(), ErrorCode::FaceMatchFailed, "attempt {i}");
        saved = failed.state.lockout_state.unwrap();
    }
    let locked = login.begin(verify.clone(), Some(&record), &signals(), policy.clone(), b"v", NOW);
    assert!(matches!(locked, Err(LoginError::AccountLocked { .. })), "{locked:?}");
    let unknown = login.begin(verify.clone(), None, &signals(), policy.clone(), b"v", NOW);
    assert_eq!(unknown.unwrap_err().code(), ErrorCode::UserNotFound);

    // Five searches that find nobody lock identify on this device, and only identify.
    let search = request(serde_json::json!({ "purpose": { "kind": "identify", "registerIfNotFound": false } }));
    for i in 0..5 {
        login.begin(search.clone(), None, &signals(), policy.clone(), b"i", NOW).unwrap();
        capture(&mut login, &engine, &stranger);
        let missed = login.finish(&engine, std::slice::from_ref(&record), NOW).unwrap();
        assert_eq!(missed.result.unwrap_err().code(), ErrorCode::UserNotFound, "search {i}");
    }
    let throttled = login.begin(search, None, &signals(), policy.clone(), b"i", NOW);
    assert_eq!(throttled.unwrap_err().code(), ErrorCode::AccountLocked);

    // The lock survives a reload from the saved state.
    let saved = SavedState { lockout_state: Some(saved), audit_log: None };
    let (mut reloaded, _) = DeviceLogin::new(&engine, master(), config, saved, NOW).unwrap();
    let locked = reloaded.begin(verify, Some(&record), &signals(), policy, b"v", NOW);
    assert_eq!(locked.unwrap_err().code(), ErrorCode::AccountLocked);
    assert!(reloaded.finish(&engine, &[], NOW).is_err(), "no attempt is running after a refusal");
}
