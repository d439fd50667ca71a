//! The server's audit log: one hash chain per app, appended by several processes at once without
//! forking, exported with its head to the app's API key holder only.

mod common;

use entry_core::audit::{AuditEvent, AuditLog};
use entry_server::{AppPolicy, AppState};

#[tokio::test]
async fn two_processes_append_one_unbroken_chain() {
    for db in common::databases() {
        let (first, app, key) = common::state_with_app(&db, "audited", AppPolicy::default()).await;
        let second = AppState::start(&common::config(&db)).await.unwrap();
        let mut writers = Vec::new();
        for i in 0..40 {
            let store = if i % 2 == 0 { first.store.clone() } else { second.store.clone() };
            let app_id = app.app_id.clone();
            writers.push(tokio::spawn(async move {
                let event = AuditEvent::Delete { user_id: format!("user-{i}") };
                store.append_audit(&app_id, entry_server::now_ms(), event).await.unwrap()
            }));
        }
        for w in writers {
            w.await.unwrap();
        }
        let entries = first.store.audit_log(&app.app_id).await.unwrap();
        assert_eq!(entries.len(), 40);
        let text: String = entries.iter().map(|e| serde_json::to_string(e).unwrap() + "\n").collect();
        let log = AuditLog::from_json_lines(&text).expect("the chain verifies");
        assert_eq!(log.head(), entries.last().unwrap().hash);

        let path = format!("/v1/apps/{}/audit", app.app_id);
        let bearer = format!("Bearer {key}");
        let (status, export) =
            common::call(&second, "198.51.100.7", "GET", &path, &[("authorization", &bearer)], None).await;
        assert_eq!(status, 200);
        assert_eq!(export["head"], log.head());
        assert_eq!(export["entries"].as_array().unwrap().len(), 40);
        let (status, refused) =
            common::call(&second, "198.51.100.7", "GET", &path, &[("authorization", "Bearer entry_wrong")], None).await;
        assert_eq!((status.as_u16(), refused["code"].as_str().unwrap()), (401, "SESSION_INVALID"));
        assert_eq!(common::call(&second, "198.51.100.7", "GET", &path, &[], None).await.0, 401);
        first.store.close().await;
        second.store.close().await;
    }
}
