//! Identify in server mode: each process keeps an app's templates opened in memory and follows
//! the registrations and erasures other processes make; searches that find nobody are throttled
//! per client address.

mod common;

use common::evidence::Client;
use common::recordings::recording;
use entry_server::{AppPolicy, AppState};

#[tokio::test]
async fn identify_follows_registrations_and_erasures_made_by_another_process() {
    for db in common::databases() {
        let (first, app, key) = common::state_with_app(&db, "gallery", AppPolicy::default()).await;
        let second = AppState::start(&common::config(&db)).await.unwrap();
        let (registrar, searcher) = (Client::new(&first, &app), Client::new(&second, &app));
        let person = recording("live/0001", "0001_00_00_02", 12);

        // The second process opens the app's (empty) gallery before anyone registers.
        let (status, nobody) = searcher.login("identify", None, &person).await;
        assert_eq!((status, nobody["code"].as_str()), (404, Some("USER_NOT_FOUND")), "{nobody}");

        let (status, registered) =
            registrar.login("register", None, &recording("live/0001", "0001_00_00_01", 12)).await;
        assert_eq!(status, 200, "{registered}");
        let id = registered["user"]["entryUserId"].as_str().unwrap().to_string();

        let (status, found) = searcher.login("identify", None, &person).await;
        assert_eq!(status, 200, "the other process's registration is searched: {found}");
        assert_eq!(found["user"]["entryUserId"], id.as_str());

        let path = format!("/v1/apps/{}/users/{id}", app.app_id);
        let bearer = format!("Bearer {key}");
        let (status, _) =
            common::call(&first, "203.0.113.9", "DELETE", &path, &[("authorization", &bearer)], None).await;
        assert_eq!(status, 200);
        let (status, gone) = searcher.login("identify", None, &person).await;
        assert_eq!((status, gone["code"].as_str()), (404, Some("USER_NOT_FOUND")), "erased everywhere: {gone}");
        first.store.close().await;
        second.store.close().await;
    }
}

#[tokio::test]
async fn searches_that_find_nobody_are_throttled_per_client_address() {
    for db in common::databases() {
        let (state, app, _) = common::state_with_app(&db, "throttled", AppPolicy::default()).await;
        let prober = Client::new(&state, &app);
        let stranger = recording("live/0002", "0002_01_00_01", 12);
        for i in 0..5 {
            let (status, missed) = prober.login("identify", None, &stranger).await;
            assert_eq!((status, missed["code"].as_str()), (404, Some("USER_NOT_FOUND")), "search {i}: {missed}");
        }
        // Refused before the camera opens, whatever the purpose that searches.
        for purpose in ["identify", "register"] {
            let body = serde_json::json!({ "app": app.app_id, "purpose": purpose });
            let origin = [("origin", prober.origin.as_str())];
            let (status, refused) =
                common::call(&state, prober.peer, "POST", "/v1/attempts", &origin, Some(body)).await;
            assert_eq!((status.as_u16(), refused["code"].as_str()), (423, Some("ACCOUNT_LOCKED")), "{refused}");
        }
        let elsewhere = Client { peer: "198.51.100.8", ..Client::new(&state, &app) };
        let (status, registered) = elsewhere.login("register", None, &stranger).await;
        assert_eq!(status, 200, "another address is not throttled: {registered}");
        let log = state.store.audit_log(&app.app_id).await.unwrap();
        let locks: Vec<_> = log
            .iter()
            .filter_map(|e| match &e.event {
                entry_core::audit::AuditEvent::Lockout { account, .. } => Some(account.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(locks, ["identify:198.51.100.7"]);
        state.store.close().await;
    }
}
