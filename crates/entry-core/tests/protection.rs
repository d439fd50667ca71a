//! Template protection with real embeddings: the transform keeps same-app scores, makes one person
//! in two apps look like strangers, and revocation makes old templates useless.

mod common;

use entry_core::face::Embedding;
use entry_core::protect::{Keyring, MasterSecret, TemplateProtector, TemplateTransform, UtcDay};

fn keyring(app: &str) -> Keyring {
    Keyring::new(MasterSecret::new(b"a master secret of at least 32 bytes!").unwrap(), app, 30)
}

fn embeddings() -> Vec<Embedding> {
    let engine = common::engine();
    ["img1.jpg", "img2.jpg", "img4.jpg", "img5.jpg"]
        .iter()
        .map(|f| engine.embed_primary(&common::photo(&format!("identities/deepface/person01/{f}"))).unwrap().1)
        .collect()
}

#[test]
fn transform_is_cancellable_and_unlinkable_on_real_faces() {
    let faces = embeddings();
    let bank = TemplateTransform::new(&keyring("bank.example"), 1, 512).unwrap();
    let shop = TemplateTransform::new(&keyring("shop.example"), 1, 512).unwrap();
    let bank_v2 = TemplateTransform::new(&keyring("bank.example"), 2, 512).unwrap();
    let dot = |a: &Embedding, b: &Embedding| entry_core::face::dot(a.values(), b.values());
    for a in &faces {
        for b in &faces {
            let plain = dot(a, b);
            let same_app = dot(&bank.apply(a).unwrap(), &bank.apply(b).unwrap());
            assert!((plain - same_app).abs() < 1e-5, "same-app score moved: {plain} -> {same_app}");
        }
    }
    // Genuine pairs of this person score well above 0.3 in the clear; across apps, or against a
    // revoked transform, the same pairs must fall to impostor level (|cosine| < 0.2 for 512-d).
    let genuine: Vec<f32> = faces.iter().skip(1).map(|b| dot(&faces[0], b)).collect();
    assert!(genuine.iter().all(|s| *s > 0.3), "genuine scores {genuine:?}");
    for b in &faces {
        let cross = dot(&bank.apply(&faces[0]).unwrap(), &shop.apply(b).unwrap());
        let revoked = dot(&bank.apply(&faces[0]).unwrap(), &bank_v2.apply(b).unwrap());
        assert!(cross.abs() < 0.2, "same person across two apps scored {cross}");
        assert!(revoked.abs() < 0.2, "revoked template still scored {revoked}");
    }
}

#[test]
fn sealed_real_template_opens_only_for_its_user() {
    let faces = embeddings();
    let p = TemplateProtector::new(keyring("bank.example"), 1, 512).unwrap();
    let sealed = p.protect("alice", &faces[0], UtcDay(20_600)).unwrap();
    let opened = p.open("alice", &sealed, faces[0].model(), UtcDay(20_601)).unwrap();
    let probe = p.probe(&faces[1]).unwrap();
    let plain = faces[0].cosine(&faces[1]).unwrap();
    assert!((opened.cosine(&probe).unwrap() - plain).abs() < 1e-5);
    assert!(p.open("mallory", &sealed, faces[0].model(), UtcDay(20_601)).is_err());
}
