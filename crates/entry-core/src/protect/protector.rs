//! The one object an app needs to store templates safely: the cancellable transform, then sealing.
//! Stored templates and probes both live in the app's transformed space, so matching works on them
//! directly while a stolen store is useless elsewhere.

use serde::{Deserialize, Serialize};

use super::keys::{Keyring, UtcDay};
use super::sealed::SealedTemplate;
use super::transform::TemplateTransform;
use super::ProtectError;
use crate::face::Embedding;
use crate::matching::{Candidate, Gallery};
use crate::{CodedError, ErrorCode};

/// A stored template that could not be opened, and why (its error code).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unreadable {
    /// The record's user.
    pub user_id: String,
    /// Why it does not open.
    pub code: ErrorCode,
}

/// The result of comparing a live probe with stored templates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateSearch {
    /// The closest stored template, whatever its score (the caller's policy decides).
    pub best: Option<Candidate>,
    /// Templates refused as tampered, revoked or sealed under an expired key: reported, never matched.
    pub unreadable: Vec<Unreadable>,
    /// How many templates were searched (the false-match rate of a search grows with it).
    pub gallery_size: usize,
}

/// Seals and searches one app's templates.
pub struct TemplateProtector {
    keyring: Keyring,
    transform: TemplateTransform,
}

impl TemplateProtector {
    /// `transform_version` names the app's current transform; raising it revokes every template.
    pub fn new(keyring: Keyring, transform_version: u32, dimension: usize) -> Result<Self, ProtectError> {
        let transform = TemplateTransform::new(&keyring, transform_version, dimension)?;
        Ok(TemplateProtector { keyring, transform })
    }

    /// The keys it seals with.
    pub fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    /// A live embedding brought into the app's protected space, for matching against opened templates.
    pub fn probe(&self, embedding: &Embedding) -> Result<Embedding, ProtectError> {
        self.transform.apply(embedding)
    }

    /// Transforms and seals an enrollment for `user_id` under today's key.
    pub fn protect(&self, user_id: &str, embedding: &Embedding, today: UtcDay) -> Result<SealedTemplate, ProtectError> {
        SealedTemplate::seal(&self.keyring, user_id, &self.transform.apply(embedding)?, today)
    }

    /// Opens a stored template (in protected space) made by this app's current transform.
    pub fn open(
        &self,
        user_id: &str,
        sealed: &SealedTemplate,
        model_id: &str,
        today: UtcDay,
    ) -> Result<Embedding, ProtectError> {
        let expected = self.protected_model_id(model_id);
        sealed.open(&self.keyring, user_id, &expected, today)
    }

    /// Opens stored templates (bytes, as a store keeps them) into a [`Gallery`] in the app's
    /// protected space, for searches with [`TemplateProtector::probe`]d embeddings. One bad
    /// record, whether it does not parse or does not open, does not lock everybody else out; it
    /// is reported in the second list.
    pub fn open_gallery<'a>(
        &self,
        stored: impl IntoIterator<Item = (&'a str, &'a [u8])>,
        model_id: &str,
        today: UtcDay,
    ) -> (Gallery, Vec<Unreadable>) {
        let mut gallery = Gallery::new();
        let mut unreadable = Vec::new();
        let dimension = self.transform.dimension();
        for (user_id, bytes) in stored {
            let opened = SealedTemplate::from_bytes(bytes.to_vec())
                .and_then(|sealed| self.open(user_id, &sealed, model_id, today));
            let code = match opened {
                Ok(template) if template.values().len() == dimension => match gallery.insert(user_id, &template) {
                    Ok(()) => continue,
                    Err(e) => e.code(),
                },
                Ok(_) => ErrorCode::TemplateMismatch,
                Err(e) => e.code(),
            };
            unreadable.push(Unreadable { user_id: user_id.into(), code });
        }
        (gallery, unreadable)
    }

    /// 1:N (or 1:1 with one entry) over stored templates opened for this search: the one
    /// closest to the live `embedding`, and the records that would not open.
    pub fn search<'a>(
        &self,
        stored: impl IntoIterator<Item = (&'a str, &'a [u8])>,
        embedding: &Embedding,
        today: UtcDay,
    ) -> Result<TemplateSearch, ProtectError> {
        let probe = self.probe(embedding)?;
        let (gallery, unreadable) = self.open_gallery(stored, embedding.model(), today);
        let best = gallery.best(&probe).map_err(|e| ProtectError::Malformed(e.to_string()))?;
        Ok(TemplateSearch { best, unreadable, gallery_size: gallery.len() })
    }

    /// A template sealed by `previous` (another master secret, or an older transform version)
    /// moved under this protector: opened, brought out of the previous protected space into this
    /// one, and sealed under `today`'s key. How a server rotates its master without asking anyone
    /// to enroll again; the unprotected embedding exists only inside this call.
    pub fn reseal_from(
        &self,
        previous: &TemplateProtector,
        user_id: &str,
        sealed: &SealedTemplate,
        model_id: &str,
        today: UtcDay,
    ) -> Result<SealedTemplate, ProtectError> {
        let opened = previous.open(user_id, sealed, model_id, today)?;
        let embedding = previous.transform.undo(&opened)?;
        self.protect(user_id, &embedding, today)
    }

    /// The model id a protected template records: the embedder's id and the transform version.
    pub fn protected_model_id(&self, model_id: &str) -> String {
        format!("{model_id}+t{}", self.transform.version())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protect::MasterSecret;

    fn protector(app: &str, version: u32) -> TemplateProtector {
        TemplateProtector::new(Keyring::new(MasterSecret::new(&[4u8; 32]).unwrap(), app, 7), version, 4).unwrap()
    }

    #[test]
    fn protected_round_trip_matches_probe_and_revocation_breaks_it() {
        let p = protector("bank", 1);
        let e = Embedding::new("m", vec![1.0, 2.0, 3.0, 4.0]).unwrap();
        let sealed = p.protect("alice", &e, UtcDay(10)).unwrap();
        assert_eq!(sealed.model_id(), "m+t1");
        let opened = p.open("alice", &sealed, "m", UtcDay(10)).unwrap();
        assert!((opened.cosine(&p.probe(&e).unwrap()).unwrap() - 1.0).abs() < 1e-5);
        let revoked = protector("bank", 2);
        assert!(matches!(revoked.open("alice", &sealed, "m", UtcDay(10)), Err(ProtectError::ModelMismatch { .. })));
    }

    #[test]
    fn a_template_moves_to_a_new_master_and_only_opens_there() {
        let old = protector("bank", 1);
        let new =
            TemplateProtector::new(Keyring::new(MasterSecret::new(&[5u8; 32]).unwrap(), "bank", 7), 1, 4).unwrap();
        let e = Embedding::new("m", vec![0.5, 0.5, 0.5, 0.5]).unwrap();
        let sealed = old.protect("alice", &e, UtcDay(10)).unwrap();
        assert!(new.open("alice", &sealed, "m", UtcDay(10)).is_err(), "another master opens nothing");
        let moved = new.reseal_from(&old, "alice", &sealed, "m", UtcDay(11)).unwrap();
        assert_eq!(moved.key_day(), UtcDay(11));
        let opened = new.open("alice", &moved, "m", UtcDay(11)).unwrap();
        assert!((opened.cosine(&new.probe(&e).unwrap()).unwrap() - 1.0).abs() < 1e-5);
        assert!(old.open("alice", &moved, "m", UtcDay(11)).is_err());
        assert!(new.reseal_from(&old, "bob", &sealed, "m", UtcDay(11)).is_err(), "bound to its user");
    }

    #[test]
    fn search_finds_the_closest_user_and_reports_bad_records_without_failing() {
        let p = protector("bank", 1);
        let e = |v: [f32; 4]| Embedding::new("m", v.to_vec()).unwrap();
        let alice = p.protect("alice", &e([1.0, 0.0, 0.0, 0.0]), UtcDay(10)).unwrap();
        let bob = p.protect("bob", &e([0.0, 1.0, 0.0, 0.0]), UtcDay(10)).unwrap();
        let mut tampered = alice.as_bytes().to_vec();
        *tampered.last_mut().unwrap() ^= 1;
        let stored: [(&str, &[u8]); 5] = [
            ("alice", alice.as_bytes()),
            ("bob", bob.as_bytes()),
            ("carol", &tampered),
            ("mallory", alice.as_bytes()),
            ("eve", b"junk"),
        ];
        let found = p.search(stored, &e([0.1, 1.0, 0.0, 0.0]), UtcDay(11)).unwrap();
        let best = found.best.unwrap();
        assert_eq!(best.id, "bob");
        assert!(best.score > 0.99);
        let refused: Vec<_> = found.unreadable.iter().map(|u| (u.user_id.as_str(), u.code.as_str())).collect();
        assert_eq!(
            refused,
            [("carol", "TEMPLATE_TAMPERED"), ("mallory", "TEMPLATE_TAMPERED"), ("eve", "TEMPLATE_TAMPERED")]
        );
        assert!(p.search([], &e([1.0, 0.0, 0.0, 0.0]), UtcDay(10)).unwrap().best.is_none());
    }
}
