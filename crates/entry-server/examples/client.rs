//! A minimal server-mode client, playing the browser's part from the command line: creates an
//! attempt, seals the given frames to the server (HPKE, as the SDK's worker does), sends them, and
//! prints the server's answer as JSON. For trying a server, and for the backend-helper tests.
//!
//! ```sh
//! cargo run -p entry-server --example client -- --server http://127.0.0.1:8787 --app bank.example \
//!     --origin https://bank.example --purpose register FRAME.jpg...
//! ```

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use entry_core::evidence::seal_bytes;
use entry_server::AttemptCreated;
use serde_json::{json, Value};

#[path = "../tests/common/http.rs"]
mod http;

fn usage() -> ! {
    eprintln!("client --server URL --app ID --origin ORIGIN --purpose register|verify|identify [--user ID] FRAME...");
    std::process::exit(2)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (mut server, mut app, mut origin, mut purpose, mut user, mut frames) =
        (None, None, None, None, None, Vec::new());
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--server" => server = Some(value()),
            "--app" => app = Some(value()),
            "--origin" => origin = Some(value()),
            "--purpose" => purpose = Some(value()),
            "--user" => user = Some(value()),
            flag if flag.starts_with("--") => usage(),
            path => frames.push(std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))),
        }
    }
    let (Some(server), Some(app), Some(origin), Some(purpose)) = (server, app, origin, purpose) else { usage() };
    let addr = server
        .strip_prefix("http://")
        .and_then(|a| a.trim_end_matches('/').parse().ok())
        .unwrap_or_else(|| panic!("--server must be http://HOST:PORT on loopback, got {server}"));
    let body = json!({ "app": app, "purpose": purpose, "userId": user });
    let (status, attempt) = http::request(addr, "POST", "/v1/attempts", &origin, Some(&body)).await;
    if status != 200 {
        println!("{}", json!({ "status": status, "answer": attempt }));
        return;
    }
    let created: AttemptCreated = serde_json::from_value(attempt).expect("the server's attempt");
    let row = created.binding(&app, &origin);
    let images: Vec<Value> = frames
        .iter()
        .enumerate()
        .map(|(i, f)| json!({ "t": i as f64 * 100.0, "image": URL_SAFE_NO_PAD.encode(f) }))
        .collect();
    let plaintext = json!({ "frames": images }).to_string();
    let sealed = seal_bytes(&created.evidence_key, &row, plaintext.as_bytes()).expect("the evidence key is X25519");
    let path = format!("/v1/attempts/{}/evidence", row.attempt_id);
    let (status, answer) =
        http::request(addr, "POST", &path, &origin, Some(&serde_json::to_value(sealed).unwrap())).await;
    println!("{}", json!({ "status": status, "nonce": row.nonce, "answer": answer }));
}
