//! Entry's core: on-device face biometrics with no web dependency. Builds natively and for wasm32.
#![forbid(unsafe_code)]

pub mod align;
pub mod audit;
pub mod capture;
mod codes;
pub mod detect;
pub mod documents;
pub mod embed;
pub mod engine;
pub mod error;
pub mod frame;
pub mod geometry;
pub mod landmarks;
pub mod liveness;
pub mod matching;
pub mod model;
pub mod policy;
pub mod protect;
pub mod quality;

pub use codes::{CodedError, ErrorCode};
pub use engine::{Face, FaceEngine};
pub use error::{Error, Result};
pub use frame::Frame;
