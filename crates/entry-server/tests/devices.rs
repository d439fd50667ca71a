//! Device keys in server mode: a browser profile's P-256 key signs each attempt; the server
//! records it per user, reports whether it is known, binds the assertion to it (`cnf.jkt`) and
//! lists a user's devices to the app's backend. A proof for another attempt is refused.

mod common;

use common::evidence::{verify_assertion, Client, TestDevice};
use common::recordings::recording;
use entry_server::{thumbprint, AppPolicy};
use serde_json::Value;

#[tokio::test]
async fn a_device_key_makes_a_device_known_and_binds_the_assertion() {
    for db in common::databases() {
        let (state, app, key) = common::state_with_app(&db, "devices", AppPolicy::default()).await;
        let client = Client::new(&state, &app);
        let (laptop, phone) = (TestDevice::new(), TestDevice::new());
        let submit = |attempt: Value, take: &'static str, device: Option<&TestDevice>| {
            let sealed = client.seal_with(&attempt, &recording("live/0001", take, 12), device);
            let client = &client;
            async move { client.submit(&attempt, sealed).await }
        };

        let attempt = client.attempt("register", None).await;
        let (status, registered) = submit(attempt, "0001_00_00_01", Some(&laptop)).await;
        assert_eq!(status, 200, "{registered}");
        assert_eq!(registered["user"]["isKnownDevice"], false, "a first login is from a new device");
        let id = registered["user"]["entryUserId"].as_str().unwrap().to_string();
        let claims = verify_assertion(&state, registered["assertion"].as_str().unwrap()).await.unwrap();
        assert_eq!(claims["cnf"]["jkt"], thumbprint(&laptop.jwk()).as_str());

        let attempt = client.attempt("verify", Some(&id)).await;
        let (status, again) = submit(attempt, "0001_00_00_02", Some(&laptop)).await;
        assert_eq!(status, 200, "{again}");
        assert_eq!(again["user"]["isKnownDevice"], true);
        let claims = verify_assertion(&state, again["assertion"].as_str().unwrap()).await.unwrap();
        assert_eq!(
            (claims["device_known"].as_bool(), claims["cnf"]["jkt"].as_str()),
            (Some(true), Some(thumbprint(&laptop.jwk()).as_str()))
        );

        let attempt = client.attempt("verify", Some(&id)).await;
        let (status, elsewhere) = submit(attempt, "0001_00_00_02", Some(&phone)).await;
        assert_eq!(status, 200, "{elsewhere}");
        assert_eq!(elsewhere["user"]["isKnownDevice"], false, "another key is another device");

        // Without a key, a login is bound to no device: never known, no cnf.
        let attempt = client.attempt("verify", Some(&id)).await;
        let (status, unbound) = submit(attempt, "0001_00_00_02", None).await;
        assert_eq!((status, unbound["user"]["isKnownDevice"].as_bool()), (200, Some(false)), "{unbound}");
        let claims = verify_assertion(&state, unbound["assertion"].as_str().unwrap()).await.unwrap();
        assert!(claims.get("cnf").is_none());

        // A proof signed for another attempt does not verify: refused before any capture.
        let earlier = client.attempt("verify", Some(&id)).await;
        let attempt = client.attempt("verify", Some(&id)).await;
        let frame = base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            &recording("live/0001", "0001_00_00_02", 1)[0],
        );
        let plaintext = serde_json::json!({
            "frames": [{ "t": 0.0, "image": frame }],
            "device": laptop.proof(&client.row(&earlier)),
        });
        let forged = client.seal_plaintext(&attempt, &plaintext);
        let (status, refused) = client.submit(&attempt, forged).await;
        assert_eq!((status, refused["code"].as_str()), (401, Some("SESSION_INVALID")), "{refused}");
        assert!(refused["message"].as_str().unwrap().contains("device proof"), "{refused}");

        let path = format!("/v1/apps/{}/users/{id}/devices", app.app_id);
        let bearer = format!("Bearer {key}");
        let (status, listed) =
            common::call(&state, "203.0.113.9", "GET", &path, &[("authorization", &bearer)], None).await;
        assert_eq!(status, 200, "{listed}");
        let prints: Vec<&str> =
            listed["devices"].as_array().unwrap().iter().map(|d| d["thumbprint"].as_str().unwrap()).collect();
        let mut expected = vec![thumbprint(&laptop.jwk()), thumbprint(&phone.jwk())];
        let mut got: Vec<String> = prints.iter().map(|s| s.to_string()).collect();
        expected.sort();
        got.sort();
        assert_eq!(got, expected);
        assert_eq!(common::call(&state, "203.0.113.9", "GET", &path, &[], None).await.0, 401, "the API key is needed");
        let missing = format!("/v1/apps/{}/users/nobody/devices", app.app_id);
        let (status, _) =
            common::call(&state, "203.0.113.9", "GET", &missing, &[("authorization", &bearer)], None).await;
        assert_eq!(status, 404);
        state.store.close().await;
    }
}
