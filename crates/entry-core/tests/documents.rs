//! Face-to-document matching on real photos: one photo of a person stands for the document, another
//! for the live capture.

mod common;

use entry_core::documents::match_document;
use entry_core::policy::{Decision, MatchPolicy};

#[test]
fn same_person_matches_the_document_and_another_does_not() {
    let engine = common::engine();
    let policy = MatchPolicy::default();
    let document = common::photo("identities/deepface/person02/img53.jpg");
    let live = common::photo("identities/deepface/person02/img12.jpg");
    let stranger = common::photo("identities/deepface/person01/img5.jpg");
    let same = match_document(&engine, &policy, &live, &document).unwrap();
    assert_eq!(same.decision, Decision::Accept, "{same:?}");
    let other = match_document(&engine, &policy, &stranger, &document).unwrap();
    assert_eq!(other.decision, Decision::Reject, "{other:?}");
    let group = common::photo("scenes/deepface-couple.jpg");
    assert!(matches!(
        match_document(&engine, &policy, &group, &document),
        Err(entry_core::Error::MultipleFaces { .. })
    ));
}
