//! Cancellable templates (ISO/IEC 24745: irreversibility aside, renewability and unlinkability):
//! a secret orthogonal transform per app and version applied to embeddings before storage.
//! Orthogonal maps preserve dot products, so matching accuracy is unchanged within one app, while
//! the same face under two apps' transforms looks like two strangers. Revoking = a new version.
//!
//! The transform is three rounds of (keyed sign flips, keyed permutation, normalised fast
//! Walsh-Hadamard transform): exactly orthogonal, O(n log n), and fully mixing every coordinate.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::keys::{Keyring, Purpose, UtcDay};
use super::ProtectError;
use crate::face::Embedding;

const ROUNDS: usize = 3;

/// Deterministic keyed byte stream: HMAC-SHA256(key, counter).
struct KeyedStream {
    mac: Hmac<Sha256>,
    counter: u64,
    buffer: Vec<u8>,
}

impl KeyedStream {
    fn next_u32(&mut self) -> u32 {
        if self.buffer.len() < 4 {
            let mut mac = self.mac.clone();
            mac.update(&self.counter.to_be_bytes());
            self.counter += 1;
            self.buffer.extend_from_slice(&mac.finalize().into_bytes());
        }
        let v = u32::from_le_bytes(self.buffer[..4].try_into().expect("4 bytes"));
        self.buffer.drain(..4);
        v
    }

    /// Uniform in 0..n without modulo bias.
    fn below(&mut self, n: u32) -> u32 {
        let zone = u32::MAX - u32::MAX % n;
        loop {
            let v = self.next_u32();
            if v < zone {
                return v % n;
            }
        }
    }
}

/// One app's transform for one embedding dimension.
pub struct TemplateTransform {
    version: u32,
    signs: Vec<Vec<f32>>,
    permutations: Vec<Vec<usize>>,
}

impl std::fmt::Debug for TemplateTransform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TemplateTransform(version {}, ..)", self.version)
    }
}

fn hadamard(v: &mut [f32]) {
    let mut h = 1;
    while h < v.len() {
        for i in (0..v.len()).step_by(h * 2) {
            for j in i..i + h {
                let (a, b) = (v[j], v[j + h]);
                v[j] = a + b;
                v[j + h] = a - b;
            }
        }
        h *= 2;
    }
    let scale = 1.0 / (v.len() as f32).sqrt();
    v.iter_mut().for_each(|x| *x *= scale);
}

impl TemplateTransform {
    /// The transform of `version` for the keyring's app. Bumping the version revokes old templates.
    pub fn new(keyring: &Keyring, version: u32, dimension: usize) -> Result<Self, ProtectError> {
        if dimension < 2 || !dimension.is_power_of_two() {
            return Err(ProtectError::UnsupportedDimension(dimension));
        }
        let key = keyring.derive(Purpose::TemplateTransform, UtcDay(version));
        let mut stream = KeyedStream {
            mac: Hmac::<Sha256>::new_from_slice(key.bytes()).expect("any key length"),
            counter: 0,
            buffer: Vec::new(),
        };
        let mut signs = Vec::with_capacity(ROUNDS);
        let mut permutations = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            signs.push((0..dimension).map(|_| if stream.next_u32() & 1 == 0 { 1.0 } else { -1.0 }).collect());
            let mut p: Vec<usize> = (0..dimension).collect();
            for i in (1..dimension).rev() {
                p.swap(i, stream.below(i as u32 + 1) as usize);
            }
            permutations.push(p);
        }
        Ok(TemplateTransform { version, signs, permutations })
    }

    /// The transform version (raising it revokes every template).
    pub fn version(&self) -> u32 {
        self.version
    }

    /// The embedding dimension it applies to.
    pub fn dimension(&self) -> usize {
        self.signs[0].len()
    }

    /// The protected embedding: still unit length, still comparable by cosine within this app.
    pub fn apply(&self, embedding: &Embedding) -> Result<Embedding, ProtectError> {
        let v = embedding.values();
        if v.len() != self.signs[0].len() {
            return Err(ProtectError::UnsupportedDimension(v.len()));
        }
        let mut x = v.to_vec();
        for (signs, perm) in self.signs.iter().zip(&self.permutations) {
            let flipped: Vec<f32> = x.iter().zip(signs).map(|(a, s)| a * s).collect();
            x = perm.iter().map(|&i| flipped[i]).collect();
            hadamard(&mut x);
        }
        let model = format!("{}+t{}", embedding.model(), self.version);
        Embedding::new(model, x).map_err(|e| ProtectError::Malformed(e.to_string()))
    }

    /// The inverse of [`TemplateTransform::apply`]: the embedding back in the embedder's space
    /// (for moving a template to another master or transform; never kept).
    pub fn undo(&self, protected: &Embedding) -> Result<Embedding, ProtectError> {
        let suffix = format!("+t{}", self.version);
        let model = protected.model().strip_suffix(&suffix).ok_or_else(|| ProtectError::ModelMismatch {
            expected: format!("*{suffix}"),
            found: protected.model().to_string(),
        })?;
        let v = protected.values();
        if v.len() != self.dimension() {
            return Err(ProtectError::UnsupportedDimension(v.len()));
        }
        let mut x = v.to_vec();
        // Each round is orthogonal: undo them last first, each by its transpose.
        for (signs, perm) in self.signs.iter().zip(&self.permutations).rev() {
            hadamard(&mut x);
            let mut unpermuted = vec![0.0; x.len()];
            for (to, &from) in perm.iter().enumerate() {
                unpermuted[from] = x[to];
            }
            x = unpermuted.iter().zip(signs).map(|(a, s)| a * s).collect();
        }
        Embedding::new(model, x).map_err(|e| ProtectError::Malformed(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protect::keys::known_answer_keyring;
    use crate::protect::MasterSecret;

    fn ring(app: &str) -> Keyring {
        Keyring::new(MasterSecret::new(&[9u8; 32]).unwrap(), app, 7)
    }

    fn vector(seed: f32) -> Embedding {
        Embedding::new("m", (0..512).map(|i| ((i as f32 + seed) * 0.7 + seed).sin()).collect()).unwrap()
    }

    /// Computed outside this code from the description above (Python: HKDF by hand, the HMAC
    /// stream, Fisher-Yates draws without modulo bias, the normalised Walsh-Hadamard transform, in
    /// float64): master 00 01 .. 1f, app "app.example", version 3, the unit vector along
    /// (1, 2, .., 8). Its permutations were [0 4 3 1 6 2 5 7], [4 7 5 3 2 6 1 0], [7 3 6 2 4 1 5 0].
    #[test]
    fn known_answer_transform() {
        let r = known_answer_keyring("app.example");
        let t = TemplateTransform::new(&r, 3, 8).unwrap();
        assert_eq!(t.permutations, [[0, 4, 3, 1, 6, 2, 5, 7], [4, 7, 5, 3, 2, 6, 1, 0], [7, 3, 6, 2, 4, 1, 5, 0]]);
        let input = Embedding::new("m", (1..=8).map(|i| i as f32).collect()).unwrap();
        let out = t.apply(&input).unwrap();
        assert_eq!(out.model(), "m+t3");
        let expected: [f64; 8] =
            [0.3217980, -0.5693348, 0.0247537, -0.0742611, -0.6188422, -0.0247537, -0.4208127, 0.0742611];
        for (got, want) in out.values().iter().zip(expected) {
            assert!((f64::from(*got) - want).abs() < 1e-6, "{:?}", out.values());
        }
    }

    #[test]
    fn preserves_cosine_within_an_app() {
        let t = TemplateTransform::new(&ring("bank"), 1, 512).unwrap();
        let (a, b) = (vector(1.0), vector(1.3));
        let before = a.cosine(&b).unwrap();
        let after = t.apply(&a).unwrap().cosine(&t.apply(&b).unwrap()).unwrap();
        assert!((before - after).abs() < 1e-5, "{before} vs {after}");
        assert!((t.apply(&a).unwrap().cosine(&t.apply(&a).unwrap()).unwrap() - 1.0).abs() < 1e-5);
    }

    #[test]
    fn undo_inverts_apply_and_checks_the_version() {
        let t = TemplateTransform::new(&ring("a"), 3, 512).unwrap();
        let e = vector(2.0);
        let back = t.undo(&t.apply(&e).unwrap()).unwrap();
        assert_eq!(back.model(), "m");
        assert!(back.values().iter().zip(e.values()).all(|(a, b)| (a - b).abs() < 1e-5));
        let other = TemplateTransform::new(&ring("a"), 4, 512).unwrap();
        assert!(matches!(other.undo(&t.apply(&e).unwrap()), Err(ProtectError::ModelMismatch { .. })));
    }

    #[test]
    fn unsupported_dimension_is_an_error() {
        assert_eq!(TemplateTransform::new(&ring("a"), 1, 500).unwrap_err(), ProtectError::UnsupportedDimension(500));
        let t = TemplateTransform::new(&ring("a"), 1, 256).unwrap();
        assert!(t.apply(&vector(1.0)).is_err());
    }

    #[test]
    fn hadamard_is_orthonormal() {
        let mut v = vec![1.0, 0.0, 0.0, 0.0];
        hadamard(&mut v);
        assert_eq!(v, vec![0.5; 4]);
        hadamard(&mut v);
        assert!((v[0] - 1.0).abs() < 1e-6 && v[1..].iter().all(|x| x.abs() < 1e-6));
    }
}
