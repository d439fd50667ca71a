//! Entry's core: face biometrics with no web dependency, the same code natively (the CLI, a server)
//! and on wasm32 (the browser SDK's worker). Every decision lives here once.
//!
//! How the pieces fit, in the order a login runs them (frame -> face -> capture -> login -> protect):
//! - [`Frame`]: an RGB image from a camera or a file ([`Frame::from_rgba`], [`Frame::decode`]).
//! - [`face`]: the face pipeline. [`FaceEngine`] holds the models of one [`model::Manifest`]
//!   (detector, 68 landmarks, embedder, passive anti-spoofing), sha256-checked on load;
//!   [`FaceEngine::analyze`] gives every [`Face`] with its landmarks and quality,
//!   [`FaceEngine::embed`] its embedding.
//! - [`capture::CaptureSession`]: one capture frame by frame: guidance for the person, good frames,
//!   liveness ([`liveness`]: the passive rule over several frames, an optional challenge), and the
//!   mean embedding of the person once everything passed.
//! - [`login`]: every decision after the capture, once for the browser and the server:
//!   [`login::LoginFlow`] takes the attempt, the capture and the stored records and returns one
//!   [`login::LoginOutcome`] (the user or why not, the records to store, the audit events, the
//!   lockout change); [`login::DeviceLogin`] runs it in device mode.
//! - [`protect::TemplateProtector`]: seals an embedding for an app and user (AES-256-GCM under daily
//!   keys derived from the app's master secret) and searches stored templates with a live one;
//!   [`policy`] says at which false-match rate a use case accepts, and how lockout counts failures.
//! - [`documents`] reads identity documents (MRZ, AAMVA) and age rules; [`audit`] keeps a hash-chained log.
//! - [`evidence`]: in server mode, the face-centred crops of a capture sealed to the server (HPKE)
//!   for one attempt, and what a device key signs for it.
//! - Every error that crosses a boundary implements [`CodedError`]: one stable [`ErrorCode`]. Every
//!   type that crosses into JavaScript derives its TypeScript declaration (`npm/src/core-types.ts`).
//!
//! ```no_run
//! use entry_core::capture::{CapturePolicy, CaptureSession, CaptureUpdate};
//! use entry_core::model::Manifest;
//! use entry_core::protect::{Keyring, MasterSecret, TemplateProtector, UtcDay};
//! use entry_core::{FaceEngine, Frame};
//!
//! # fn camera_frames() -> Vec<(Frame, f64)> { Vec::new() }
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let manifest = Manifest::from_json(&std::fs::read_to_string("models/manifest.json")?)?;
//! let engine = FaceEngine::load_dir(manifest, std::path::Path::new(".cache/models"))?;
//!
//! // Frames with the camera's clock in milliseconds; the nonce seeds an optional challenge.
//! let mut capture = CaptureSession::new(CapturePolicy::default(), b"server-issued nonce");
//! for (frame, now_ms) in camera_frames() {
//!     match capture.push(&engine, &frame, now_ms)? {
//!         CaptureUpdate::Failed { code, .. } => return Err(code.to_string().into()),
//!         CaptureUpdate::Captured { .. } => break,
//!         _ => {} // show the guidance or the challenge step to the person
//!     }
//! }
//! let embedding = capture.embedding().ok_or("no capture")?;
//!
//! let keyring = Keyring::new(MasterSecret::new(&[7u8; 32])?, "bank.example", 30);
//! let protector = TemplateProtector::new(keyring, 1, embedding.values().len())?;
//! let today = UtcDay::from_unix_seconds(1_790_000_000);
//! let sealed = protector.protect("user-1", embedding, today)?.into_bytes(); // what a store keeps
//! let found = protector.search([("user-1", sealed.as_slice())], embedding, today)?;
//! assert_eq!(found.best.map(|c| c.id).as_deref(), Some("user-1"));
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod audit;
pub mod capture;
mod codes;
pub mod documents;
mod error;
pub mod evidence;
pub mod face;
mod frame;
pub mod liveness;
pub mod login;
pub mod matching;
pub mod model;
pub mod policy;
pub mod protect;

pub use codes::{CodedError, ErrorCode};
pub use error::{Error, Result};
pub use face::{Face, FaceEngine};
pub use frame::{Affine, Border, Frame, Interpolation, MAX_SIDE};
