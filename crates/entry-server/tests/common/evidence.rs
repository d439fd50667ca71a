//! The browser's side of server mode, as tests play it: real recordings sealed to the server with
//! HPKE, attempts and evidence through the real router, assertions checked against the JWKS.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use entry_core::evidence::{device_message, seal_bytes, AttemptBinding, DeviceJwk};
use entry_server::{App, AppState, AttemptCreated};
use serde_json::{json, Value};

/// The evidence plaintext of `frames`, 100 ms apart.
pub fn frames_plaintext(frames: &[Vec<u8>]) -> Value {
    let frames: Vec<Value> = frames
        .iter()
        .enumerate()
        .map(|(i, bytes)| json!({ "t": i as f64 * 100.0, "image": URL_SAFE_NO_PAD.encode(bytes) }))
        .collect();
    json!({ "frames": frames })
}

/// `plaintext` sealed to the server for `attempt` (the JSON `POST /v1/attempts` answered) of
/// `app_id`, created from `origin`.
pub fn seal_for(app_id: &str, origin: &str, attempt: &Value, plaintext: &Value) -> Value {
    let key = attempt["evidenceKey"].as_str().unwrap();
    let row = row_for(app_id, origin, attempt);
    serde_json::to_value(seal_bytes(key, &row, plaintext.to_string().as_bytes()).unwrap()).unwrap()
}

/// The fields of `attempt` its evidence and device proof are bound to.
pub fn row_for(app_id: &str, origin: &str, attempt: &Value) -> AttemptBinding {
    serde_json::from_value::<AttemptCreated>(attempt.clone()).unwrap().binding(app_id, origin)
}

pub struct Client<'a> {
    pub state: &'a AppState,
    pub app_id: String,
    pub origin: String,
    /// The address requests come from.
    pub peer: &'static str,
}

impl Client<'_> {
    pub async fn attempt(&self, purpose: &str, user: Option<&str>) -> Value {
        self.attempt_for(purpose, user, "login").await
    }

    /// An attempt decided at `use_case`.
    pub async fn attempt_for(&self, purpose: &str, user: Option<&str>, use_case: &str) -> Value {
        let body = json!({ "app": self.app_id, "purpose": purpose, "userId": user, "useCase": use_case });
        let (status, created) =
            super::call(self.state, self.peer, "POST", "/v1/attempts", &[("origin", &self.origin)], Some(body)).await;
        assert_eq!(status, 200, "{created}");
        created
    }

    /// Evidence for `attempt`, sealed as the browser does: frames 100 ms apart.
    pub fn seal(&self, attempt: &Value, frames: &[Vec<u8>]) -> Value {
        self.seal_with(attempt, frames, None)
    }

    /// Evidence for `attempt` carrying `device`'s proof, when given.
    pub fn seal_with(&self, attempt: &Value, frames: &[Vec<u8>], device: Option<&TestDevice>) -> Value {
        let mut plaintext = frames_plaintext(frames);
        if let Some(device) = device {
            plaintext["device"] = device.proof(&self.row(attempt));
        }
        self.seal_plaintext(attempt, &plaintext)
    }

    /// Any `plaintext`, sealed to the server for `attempt` as a browser would.
    pub fn seal_plaintext(&self, attempt: &Value, plaintext: &Value) -> Value {
        seal_for(&self.app_id, &self.origin, attempt, plaintext)
    }

    /// The fields of `attempt` its evidence and device proof are bound to.
    pub fn row(&self, attempt: &Value) -> AttemptBinding {
        row_for(&self.app_id, &self.origin, attempt)
    }

    pub async fn submit(&self, attempt: &Value, sealed: Value) -> (u16, Value) {
        let path = format!("/v1/attempts/{}/evidence", attempt["attemptId"].as_str().unwrap());
        let (status, body) = super::call(self.state, self.peer, "POST", &path, &[], Some(sealed)).await;
        (status.as_u16(), body)
    }

    pub async fn login(&self, purpose: &str, user: Option<&str>, frames: &[Vec<u8>]) -> (u16, Value) {
        let attempt = self.attempt(purpose, user).await;
        self.submit(&attempt, self.seal(&attempt, frames)).await
    }
}

/// Verifies a compact JWS against the server's JWKS; returns its claims.
pub async fn verify_assertion(state: &AppState, jws: &str) -> Result<Value, String> {
    let (_, jwks) = super::call(state, "127.0.0.1", "GET", "/.well-known/jwks.json", &[], None).await;
    let mut parts = jws.split('.');
    let (header, claims, signature) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    let jwk = jwks["keys"].as_array().unwrap().iter().find(|k| k["kid"] == header["kid"]).ok_or("unknown kid")?;
    let public: [u8; 32] = URL_SAFE_NO_PAD.decode(jwk["x"].as_str().unwrap()).unwrap().try_into().unwrap();
    let signature = Signature::from_slice(&URL_SAFE_NO_PAD.decode(signature).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    VerifyingKey::from_bytes(&public)
        .unwrap()
        .verify(format!("{}.{claims}", jws.split('.').next().unwrap()).as_bytes(), &signature)
        .map_err(|e| e.to_string())?;
    Ok(serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap())
}

impl<'a> Client<'a> {
    /// A browser of `app` on `state`, from the app's origin, at 198.51.100.7.
    pub fn new(state: &'a AppState, app: &App) -> Client<'a> {
        Client { state, app_id: app.app_id.clone(), origin: format!("https://{}", app.app_id), peer: "198.51.100.7" }
    }
}

/// A browser profile's device key (ECDSA P-256), as WebCrypto would keep it.
pub struct TestDevice {
    key: p256::ecdsa::SigningKey,
}

impl TestDevice {
    /// A new random key.
    pub fn new() -> TestDevice {
        loop {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).unwrap();
            if let Ok(key) = p256::ecdsa::SigningKey::from_slice(&bytes) {
                return TestDevice { key };
            }
        }
    }

    /// The public key as a JWK.
    pub fn jwk(&self) -> DeviceJwk {
        let point = self.key.verifying_key().to_encoded_point(false);
        DeviceJwk {
            kty: "EC".into(),
            crv: "P-256".into(),
            x: URL_SAFE_NO_PAD.encode(point.x().unwrap()),
            y: URL_SAFE_NO_PAD.encode(point.y().unwrap()),
        }
    }

    /// The proof for the attempt `row`: the key and its signature over the device message.
    pub fn proof(&self, row: &AttemptBinding) -> Value {
        use p256::ecdsa::signature::Signer;
        let signature: p256::ecdsa::Signature = self.key.sign(&device_message(row));
        json!({ "publicKey": self.jwk(), "signature": URL_SAFE_NO_PAD.encode(signature.to_bytes()) })
    }
}
