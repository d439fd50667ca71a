//! A burst of attempts: 100 at once, each answered twice at the same moment (a replay racing the
//! original). Every attempt is decided exactly once and audited exactly once, and the audit chain
//! stays whole.

mod common;

use common::evidence::Client;
use common::recordings::recording;
use entry_core::audit::{AuditEvent, AuditLog};
use entry_server::AppPolicy;

const ATTEMPTS: usize = 100;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_attempts_are_each_decided_once_and_audited_once() {
    for db in common::databases() {
        let (state, app, _) = common::state_with_app(&db, "burst", AppPolicy::default()).await;
        // One real face frame each: the server runs the whole pipeline on it, and one frame is
        // too few to capture, so each attempt ends decided as NOT_ENOUGH_CAPTURES quickly.
        let frame = recording("live/0003", "0003_01_00_01", 1);
        let client = Client::new(&state, &app);
        let mut sealed = Vec::new();
        for _ in 0..ATTEMPTS {
            let attempt = client.attempt("identify", None).await;
            let evidence = client.seal(&attempt, &frame);
            sealed.push((attempt, evidence));
        }
        let mut tasks = Vec::new();
        for (attempt, evidence) in sealed {
            for _ in 0..2 {
                let (state, app, attempt, evidence) = (state.clone(), app.clone(), attempt.clone(), evidence.clone());
                tasks.push(tokio::spawn(async move {
                    let client = Client::new(&state, &app);
                    client.submit(&attempt, evidence).await
                }));
            }
        }
        let mut answers = Vec::new();
        for task in tasks {
            let (status, body) = task.await.unwrap();
            answers.push((status, body["code"].as_str().unwrap_or_default().to_string()));
        }
        for pair in answers.chunks(2) {
            let mut codes: Vec<&str> = pair.iter().map(|(_, c)| c.as_str()).collect();
            codes.sort();
            assert_eq!(codes, ["NOT_ENOUGH_CAPTURES", "SESSION_REPLAYED"], "{pair:?}");
        }
        let entries = state.store.audit_log(&app.app_id).await.unwrap();
        let decided = entries
            .iter()
            .filter(|e| matches!(&e.event, AuditEvent::Failure { code, .. } if code == "NOT_ENOUGH_CAPTURES"))
            .count();
        assert_eq!((decided, entries.len()), (ATTEMPTS, ATTEMPTS), "one entry per attempt, nothing else");
        let text: String = entries.iter().map(|e| serde_json::to_string(e).unwrap() + "\n").collect();
        AuditLog::from_json_lines(&text).expect("the chain verifies");
        state.store.close().await;
    }
}
