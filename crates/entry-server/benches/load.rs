//! Load, measured on loopback (a benchmark that prints numbers; never a timed test):
//! - verify: one registered person verifies again and again through real HTTP on 127.0.0.1,
//!   attempt then HPKE-sealed evidence (12 frames of a real NUAA recording, the full capture
//!   natively), `CONCURRENCY` at a time: throughput, p50/p99 latency, errors, and whether the
//!   audit log holds exactly one entry per attempt. SQLite always; PostgreSQL when
//!   ENTRY_TEST_POSTGRES_URL is set (`scripts/with-postgres` sets it).
//! - 1:N: the in-memory gallery a server keeps per app, over 10k, 100k and 1M synthetic templates
//!   sealed and opened as the server does: opening time, search time, and the per-search threshold
//!   the gallery size implies.
//!
//! `scripts/with-postgres cargo bench -p entry-server --bench load`. Bounded: ENTRY_BENCH_VERIFIES
//! (default 48) verifications at ENTRY_BENCH_CONCURRENCY (default 4); ENTRY_BENCH_GALLERIES
//! (default `10000,100000,1000000`).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use entry_core::audit::AuditEvent;
use entry_core::evidence::seal_bytes;
use entry_core::face::Embedding;
use entry_core::protect::{Keyring, MasterSecret, TemplateProtector, UtcDay};
use entry_server::{App, AppPolicy, AppState, AttemptCreated, Config};
use serde_json::{json, Value};
#[path = "../tests/common/http.rs"]
mod http;
#[path = "../tests/common/recordings.rs"]
mod recordings;
use http::request;
use recordings::{recording, workspace};

/// The first `n` frames of a NUAA recording, base64url.
fn frames(dir: &str, prefix: &str, n: usize) -> Vec<String> {
    recording(dir, prefix, n).iter().map(|f| URL_SAFE_NO_PAD.encode(f)).collect()
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

/// Attempt then evidence; the answer and how long both took.
async fn login(
    addr: SocketAddr,
    app: &App,
    purpose: &str,
    user: Option<&str>,
    frames: &[String],
) -> (u16, Value, Duration) {
    let started = Instant::now();
    let origin = format!("https://{}", app.app_id);
    let (status, attempt) = request(
        addr,
        "POST",
        "/v1/attempts",
        &origin,
        Some(&json!({ "app": app.app_id, "purpose": purpose, "userId": user })),
    )
    .await;
    if status != 200 {
        return (status, attempt, started.elapsed());
    }
    let created: AttemptCreated = serde_json::from_value(attempt).expect("the server's attempt");
    let row = created.binding(&app.app_id, &origin);
    let plaintext = json!({
        "frames": frames.iter().enumerate().map(|(i, f)| json!({ "t": i as f64 * 100.0, "image": f })).collect::<Vec<_>>()
    });
    let sealed = seal_bytes(&created.evidence_key, &row, plaintext.to_string().as_bytes()).unwrap();
    let path = format!("/v1/attempts/{}/evidence", row.attempt_id);
    let (status, answer) = request(addr, "POST", &path, &origin, Some(&serde_json::to_value(sealed).unwrap())).await;
    (status, answer, started.elapsed())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[(((sorted.len() - 1) as f64) * p).round() as usize]
}

async fn verify_load(name: &str, url: &str, verifies: usize, concurrency: usize) {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("master.key");
    std::fs::write(&secret, "5a".repeat(32)).unwrap();
    let config = Config {
        config: None,
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: if url.is_empty() {
            format!("sqlite://{}", dir.path().join("bench.db").display())
        } else {
            url.into()
        },
        master_secret_file: Some(secret),
        previous_master_secret_file: None,
        trusted_proxies: vec![],
        attempt_ttl_seconds: 120,
        key_version: 1,
        manifest: workspace().join("models/manifest.json"),
        models_dir: workspace().join(".cache/models"),
        template_grace_days: 30,
    };
    let state = AppState::start(&config).await.expect("the server starts");
    let mut suffix = [0u8; 4];
    getrandom::fill(&mut suffix).unwrap();
    let id = format!("bench-{}.example", hex::encode(suffix));
    let (app, _) = App::create(&id, vec![id.clone()], vec![], AppPolicy::default()).unwrap();
    state.store.insert_app(&app, entry_server::now_ms()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let service = entry_server::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });

    let (status, registered, _) = login(addr, &app, "register", None, &frames("live/0001", "0001_00_00_01", 12)).await;
    assert_eq!(status, 200, "{registered}");
    let user = registered["user"]["entryUserId"].as_str().unwrap().to_string();
    let probe = frames("live/0001", "0001_00_00_02", 12);

    let started = Instant::now();
    let semaphore = std::sync::Arc::new(tokio::sync::Semaphore::new(concurrency));
    let mut tasks = Vec::new();
    for _ in 0..verifies {
        let (app, user, probe, semaphore) = (app.clone(), user.clone(), probe.clone(), semaphore.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = semaphore.acquire().await.unwrap();
            let (status, _, took) = login(addr, &app, "verify", Some(&user), &probe).await;
            (status, took)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (status, took) = task.await.unwrap();
        if status != 200 {
            errors += 1;
        }
        latencies.push(took);
    }
    let wall = started.elapsed();
    latencies.sort();
    let audit = state.store.audit_log(&app.app_id).await.unwrap();
    let audited = audit.iter().filter(|e| matches!(e.event, AuditEvent::Verify { .. })).count();
    println!(
        "verify | {name} | {verifies} at {concurrency} | {:.2}/s | p50 {:.0} ms | p99 {:.0} ms | errors {errors} | audited {audited}/{verifies}",
        verifies as f64 / wall.as_secs_f64(),
        percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
    );
    state.store.close().await;
}

/// xorshift64*: deterministic synthetic embeddings.
struct Xorshift(u64);
impl Xorshift {
    fn next(&mut self) -> f32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        ((self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 40) as f32 / (1u64 << 24) as f32) - 0.5
    }
    fn embedding(&mut self, dimension: usize) -> Embedding {
        Embedding::new("fr_feature", (0..dimension).map(|_| self.next()).collect()).unwrap()
    }
}

fn one_to_n(sizes: &[usize]) {
    let manifest = entry_core::model::Manifest::from_json(
        &std::fs::read_to_string(workspace().join("models/manifest.json")).unwrap(),
    )
    .unwrap();
    let dimension = manifest.embedder.dimension;
    let keyring = Keyring::new(MasterSecret::new(&[0x5a; 32]).unwrap(), "bench.example", 30);
    let protector = TemplateProtector::new(keyring, 1, dimension).unwrap();
    let today = UtcDay(20_000);
    let mut rng = Xorshift(0x9E37_79B9_7F4A_7C15);
    for &n in sizes {
        // Kept in the clear only to make genuine probes (a stored person seen again).
        let mut people = Vec::new();
        let sealed: Vec<(String, Vec<u8>)> = (0..n)
            .map(|i| {
                let embedding = rng.embedding(dimension);
                let sealed = protector.protect(&format!("user-{i}"), &embedding, today).unwrap().into_bytes();
                if i % (n / 21).max(1) == 0 && people.len() < 21 {
                    people.push(embedding);
                }
                (format!("user-{i}"), sealed)
            })
            .collect();
        // The SDK's device-mode path: every record opened (key derived, AES-GCM, transform) for the
        // one search, as `TemplateProtector::search` does inside the browser's login flow.
        let mut opening: Vec<Duration> = (0..3)
            .map(|_| {
                let probe = rng.embedding(dimension);
                let t = Instant::now();
                let found = protector.search(sealed.iter().map(|(id, b)| (id.as_str(), b.as_slice())), &probe, today);
                std::hint::black_box(found.unwrap());
                t.elapsed()
            })
            .collect();
        opening.sort();
        let started = Instant::now();
        let (gallery, unreadable) =
            protector.open_gallery(sealed.iter().map(|(id, b)| (id.as_str(), b.as_slice())), "fr_feature", today);
        let opened = started.elapsed();
        assert!(unreadable.is_empty() && gallery.len() == n);
        drop(sealed);
        let search = |probe: &Embedding| {
            let probe = protector.probe(probe).unwrap();
            let t = Instant::now();
            std::hint::black_box(gallery.best(&probe).unwrap());
            t.elapsed()
        };
        // A stranger (nobody close: the most rows left for the exact pass) and a person enrolled
        // (their template plus noise, cosine about 0.7 with it).
        let mut strangers: Vec<Duration> = (0..21).map(|_| search(&rng.embedding(dimension))).collect();
        let mut genuine: Vec<Duration> = people
            .iter()
            .map(|p| {
                let noise = rng.embedding(dimension);
                let seen: Vec<f32> = p.values().iter().zip(noise.values()).map(|(a, b)| a + b).collect();
                search(&Embedding::new("fr_feature", seen).unwrap())
            })
            .collect();
        strangers.sort();
        genuine.sort();
        let threshold = manifest.embedder.calibration.threshold_for_search(1e-3, n).unwrap();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "1:N | {n} templates | open all {:.2} s | search median {:.2} ms stranger (min {:.2}), {:.2} ms enrolled | opening every record per search (SDK path) {:.0} ms | threshold at 1e-3 per search {threshold:.3}",
            opened.as_secs_f64(),
            ms(strangers[strangers.len() / 2]),
            ms(strangers[0]),
            ms(genuine[genuine.len() / 2]),
            ms(opening[1]),
        );
    }
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is expected.
    let verifies: usize = env_or("ENTRY_BENCH_VERIFIES", "48").parse().expect("a count");
    let concurrency: usize = env_or("ENTRY_BENCH_CONCURRENCY", "4").parse().expect("a count");
    let sizes: Vec<usize> = env_or("ENTRY_BENCH_GALLERIES", "10000,100000,1000000")
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("sizes"))
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        verify_load("SQLite", "", verifies, concurrency).await;
        if let Ok(url) = std::env::var("ENTRY_TEST_POSTGRES_URL") {
            verify_load("PostgreSQL", &url, verifies, concurrency).await;
        }
    });
    one_to_n(&sizes);
}
