//! The face pipeline, frame in, embedding out: [`Detector`] finds faces ([`Detection`]: a
//! [`BoundingBox`] and a score), [`Landmarker`] puts 68 [`Landmarks`] on each, [`align`] warps the
//! face to the embedder's template, and [`Embedder`] turns it into an L2-normalised [`Embedding`].
//! [`QualityReport`] says whether a face is good enough to use, and why not ([`QualityIssue`]).
//! [`FaceEngine`] holds the models of one manifest and runs the pipeline ([`Face`]).

mod align;
mod detect;
mod embed;
mod engine;
mod geometry;
mod landmarks;
mod quality;

pub use align::{align, similarity_transform};
pub use detect::{non_max_suppression, Detection, Detector};
pub use embed::{dot, Embedder, Embedding};
pub use engine::{Face, FaceEngine};
pub use geometry::{BoundingBox, Point};
pub use landmarks::{Landmarker, Landmarks};
pub use quality::{brightness, laplacian_variance, HeadPose, QualityIssue, QualityPolicy, QualityReport};
