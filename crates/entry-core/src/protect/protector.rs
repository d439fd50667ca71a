//! The one object an app needs to store templates safely: the cancellable transform, then sealing.
//! Stored templates and probes both live in the app's transformed space, so matching works on them
//! directly while a stolen store is useless elsewhere.

use super::keys::{Keyring, UtcDay};
use super::sealed::SealedTemplate;
use super::transform::TemplateTransform;
use super::ProtectError;
use crate::embed::Embedding;

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

    pub fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    /// A live embedding brought into the app's protected space, for matching against opened templates.
    pub fn probe(&self, embedding: &Embedding) -> Result<Embedding, ProtectError> {
        self.transform.apply(embedding)
    }

    /// Transforms and seals an enrolment for `user_id` under today's key.
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
}
