//! Face-to-document check: is the person in front of the camera the person on the document?

use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::face::Embedding;
use crate::frame::Frame;
use crate::policy::{Decision, MatchPolicy, UseCase};
use crate::FaceEngine;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, TS)]
/// A live face against a document's portrait.
pub struct DocumentMatch {
    /// Cosine similarity of the two embeddings.
    pub score: f32,
    /// The decision at the document-match false-match rate.
    pub decision: Decision,
}

/// Compares the one face of a live capture with the primary face of a document photo, deciding at
/// the policy's own document-match false-match rate.
pub fn match_document(
    engine: &FaceEngine,
    policy: &MatchPolicy,
    live: &Frame,
    document_photo: &Frame,
) -> Result<DocumentMatch> {
    let face = engine.single_face(live)?;
    match_document_embedding(engine, policy, &engine.embed(live, &face)?, document_photo)
}

/// The same check for a live embedding already captured (the mean of a capture's good frames).
pub fn match_document_embedding(
    engine: &FaceEngine,
    policy: &MatchPolicy,
    live: &Embedding,
    document_photo: &Frame,
) -> Result<DocumentMatch> {
    let (_, document_embedding) = engine.embed_primary(document_photo)?;
    let score = live.cosine(&document_embedding)?;
    let decision = policy.decide(&engine.manifest().embedder.calibration, UseCase::DocumentMatch, score)?;
    Ok(DocumentMatch { score, decision })
}
