//! Capture quality on real photos: each degradation a camera produces is named, and enrollment
//! refuses what quality refuses.

mod common;

use entry_core::face::QualityIssue;
use entry_core::matching::{verify, Enrollment, Threshold};
use entry_core::{Face, FaceEngine, Frame};

const FRONTAL: &str = "identities/deepface/person02/img12.jpg";

fn face(engine: &FaceEngine, frame: &Frame) -> Face {
    engine.single_face(frame).unwrap()
}

fn map(frame: &Frame, f: impl Fn(u8) -> u8) -> Frame {
    Frame::from_rgb(frame.width(), frame.height(), frame.rgb().iter().map(|v| f(*v)).collect()).unwrap()
}

fn resized(frame: &Frame, w: u32, h: u32) -> Frame {
    frame.crop_resize(0.0, 0.0, frame.width() as f32, frame.height() as f32, w, h)
}

#[test]
fn a_good_frontal_capture_has_no_issues() {
    let engine = common::engine();
    let q = face(&engine, &common::photo(FRONTAL)).quality;
    assert!(q.acceptable(), "{q:?}");
    assert!(q.pose.yaw.abs() < 15.0 && q.pose.roll.abs() < 10.0, "{:?}", q.pose);
}

#[test]
fn each_degradation_is_named() {
    let engine = common::engine();
    let photo = common::photo(FRONTAL);
    let issues = |f: &Frame| {
        engine
            .single_face(f)
            .map(|f| f.quality.issues)
            .map_err(|e| e.to_string())
            .unwrap_or_else(|e| panic!("{e} ({}x{})", f.width(), f.height()))
    };

    assert!(issues(&map(&photo, |v| v / 4)).contains(&QualityIssue::TooDark));
    assert!(issues(&map(&photo, |v| 255 - (255 - v) / 5)).contains(&QualityIssue::TooBright));
    // Blur: shrink to a quarter and back.
    let (w, h) = (photo.width(), photo.height());
    let blurred = resized(&resized(&photo, w / 5, h / 5), w, h);
    let q = engine.single_face(&blurred).unwrap().quality;
    assert!(q.issues.contains(&QualityIssue::Blurred), "{q:?}");
    // Far away: the whole photo as a small part of a big frame.
    let far = resized(&photo, w / 4, h / 4).padded(1.5, 90);
    assert!(issues(&far).contains(&QualityIssue::TooSmall));
    // Face cut by the left edge: keep only the right part of the photo.
    let b = face(&engine, &photo).detection.bbox;
    let cut_x = b.x1 + b.width() * 0.3;
    let cut = photo.crop_resize(cut_x, 0.0, w as f32 - cut_x, h as f32, (w as f32 - cut_x) as u32, h);
    assert!(issues(&cut).contains(&QualityIssue::PartlyOutside), "{:?}", issues(&cut));
}

#[test]
fn the_quality_policy_is_the_apps_to_set() {
    let strict = entry_core::face::QualityPolicy { min_face_px: 400.0, ..Default::default() };
    let engine = common::engine().with_quality_policy(strict);
    assert_eq!(face(&engine, &common::photo(FRONTAL)).quality.issues, vec![QualityIssue::TooSmall]);
}

#[test]
fn group_photo_is_not_a_single_face_capture() {
    let engine = common::engine();
    let group = common::photo("scenes/deepface-couple.jpg");
    assert!(matches!(engine.single_face(&group), Err(entry_core::Error::MultipleFaces { count: 2 })));
}

#[test]
fn enrollment_refuses_poor_captures_and_the_template_verifies_the_person() {
    let engine = common::engine();
    let t = Threshold::at_fmr(&engine.manifest().embedder.calibration, 1e-3).unwrap();
    let mut enrollment = Enrollment::new(2);
    let dark = map(&common::photo(FRONTAL), |v| v / 4);
    let f = face(&engine, &dark);
    assert!(matches!(
        enrollment.add(engine.embed(&dark, &f).unwrap(), &f.quality),
        Err(entry_core::Error::PoorQuality(_))
    ));
    for name in ["img1.jpg", "img2.jpg"] {
        let photo = common::photo(&format!("identities/deepface/person01/{name}"));
        let (f, e) = engine.embed_primary(&photo).unwrap();
        let mut q = f.quality.clone();
        q.issues.retain(|i| *i != QualityIssue::TooClose); // studio portraits fill the frame
        enrollment.add(e, &q).unwrap();
    }
    let template = enrollment.finish().unwrap();
    let (_, same) = engine.embed_primary(&common::photo("identities/deepface/person01/img4.jpg")).unwrap();
    let (_, other) = engine.embed_primary(&common::photo(FRONTAL)).unwrap();
    assert!(verify(&template, &same, t).unwrap().is_match);
    assert!(!verify(&template, &other, t).unwrap().is_match);
}
