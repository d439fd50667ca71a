//! Rotating the master secret without losing anyone: templates sealed under the previous master
//! move to the new one on first use or with `rotate_templates`, after which the old master can go.

mod common;

use common::evidence::{verify_assertion, Client};
use common::recordings::recording;
use entry_server::{rotate_templates, AppPolicy, AppState};

#[tokio::test]
async fn a_new_master_keeps_every_user_and_the_old_one_can_then_go() {
    for db in common::databases() {
        let (old, app, _) = common::state_with_app(&db, "rotating", AppPolicy::default()).await;
        let client = Client::new(&old, &app);
        let mut ids = Vec::new();
        for (dir, take) in [("live/0001", "0001_00_00_01"), ("live/0004", "0004_01_00_01")] {
            let (status, registered) = client.login("register", None, &recording(dir, take, 12)).await;
            assert_eq!(status, 200, "{registered}");
            ids.push(registered["user"]["entryUserId"].as_str().unwrap().to_string());
        }
        let old_kid = old.keys.jwks()[0].kid.clone();
        old.store.close().await;

        // Version 2: a new master, the old one given as the previous master.
        let config = common::config(&db);
        let new_secret = config.master_secret_file.as_ref().unwrap().with_file_name("master-2.key");
        std::fs::write(&new_secret, "22".repeat(32)).unwrap();
        let rotated = entry_server::Config {
            master_secret_file: Some(new_secret),
            previous_master_secret_file: config.master_secret_file.clone(),
            key_version: 2,
            ..config
        };
        let during = AppState::start(&rotated).await.unwrap();
        let client = Client::new(&during, &app);
        let (status, verified) =
            client.login("verify", Some(&ids[0]), &recording("live/0001", "0001_00_00_02", 12)).await;
        assert_eq!(status, 200, "moved on first use: {verified}");
        let claims = verify_assertion(&during, verified["assertion"].as_str().unwrap()).await.unwrap();
        assert_eq!(claims["sub"], ids[0].as_str());
        assert!(during.keys.jwks()[0].kid.starts_with("v2-"));
        assert_eq!(during.keys.jwks()[1].kid, old_kid, "the old signing key stays published");
        let versions = |state: &AppState| {
            let (store, app_id, ids) = (state.store.clone(), app.app_id.clone(), ids.clone());
            async move {
                let mut v = Vec::new();
                for id in &ids {
                    v.push(store.user(&app_id, id).await.unwrap().unwrap().key_version);
                }
                v
            }
        };
        assert_eq!(versions(&during).await, [2, 1]);
        // The whole database moves (a PostgreSQL shared by the test suite holds other apps too).
        let first = rotate_templates(&during).await.unwrap();
        assert!(first.moved >= 1, "{first:?}");
        assert_eq!(versions(&during).await, [2, 2]);
        let again = rotate_templates(&during).await.unwrap();
        assert_eq!(again.moved, 0, "nothing left to move: {again:?}");
        during.store.close().await;

        // The old master is gone: everyone still logs in.
        let after =
            AppState::start(&entry_server::Config { previous_master_secret_file: None, ..rotated }).await.unwrap();
        let client = Client::new(&after, &app);
        let (status, verified) =
            client.login("verify", Some(&ids[1]), &recording("live/0004", "0004_01_00_02", 12)).await;
        assert_eq!(status, 200, "{verified}");
        after.store.close().await;
    }
}
