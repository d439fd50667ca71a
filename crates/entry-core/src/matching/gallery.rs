//! The 1:N gallery: many templates of one model, kept for search. A search reads the coarse 8-bit
//! copy of every template first and re-scores in f32 only the rows whose score range reaches the
//! best lower bound (see `coarse`), so its answer is the full f32 scan's.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::coarse::{CoarseProbe, CoarseRows};
use super::Threshold;
use crate::error::{Error, Result};
use crate::face::{dot, Embedding};

/// Many templates of one model stored contiguously for fast 1:N search; one template per id.
#[derive(Clone, Debug, Default)]
pub struct Gallery {
    model: String,
    dimension: usize,
    ids: Vec<String>,
    values: Vec<f32>,
    /// Where each id's template sits, so a change to one user costs O(dimension), not a scan.
    positions: HashMap<String, usize>,
    /// The same templates as 8-bit codes, read by the first pass of a search.
    coarse: CoarseRows,
}

/// The best candidate of a 1:N search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The template's id.
    pub id: String,
    /// Cosine similarity.
    pub score: f32,
}

/// Result of 1:N identification.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Identification {
    /// The best match above the threshold, if any.
    pub matched: Option<Candidate>,
    /// The best candidate whatever its score (for fallback policies), if the gallery is not empty.
    pub best: Option<Candidate>,
}

impl Gallery {
    /// An empty gallery.
    pub fn new() -> Self {
        Gallery::default()
    }

    /// Templates held.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when no template is held.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Adds the template of `id`, or replaces it (all templates must come from one model).
    pub fn insert(&mut self, id: impl Into<String>, template: &Embedding) -> Result<()> {
        let id = id.into();
        if self.ids.is_empty() {
            self.model = template.model().to_string();
            self.dimension = template.values().len();
            self.coarse = CoarseRows::new(self.dimension);
        } else if template.model() != self.model {
            return Err(Error::ModelMismatch { left: self.model.clone(), right: template.model().to_string() });
        } else if template.values().len() != self.dimension {
            return Err(Error::EmbeddingSize { expected: self.dimension, actual: template.values().len() });
        }
        if let Some(&at) = self.positions.get(&id) {
            self.values[at * self.dimension..(at + 1) * self.dimension].copy_from_slice(template.values());
            self.coarse.set(at, template.values());
            return Ok(());
        }
        self.positions.insert(id.clone(), self.ids.len());
        self.ids.push(id);
        self.values.extend_from_slice(template.values());
        self.coarse.push(template.values());
        Ok(())
    }

    /// Removes the template of `id`; false when there was none.
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(at) = self.positions.remove(id) else { return false };
        let last = self.ids.len() - 1;
        if at != last {
            let (d, moved) = (self.dimension, self.ids[last].clone());
            self.values.copy_within(last * d..(last + 1) * d, at * d);
            self.positions.insert(moved, at);
        }
        self.ids.swap_remove(at);
        self.values.truncate(last * self.dimension);
        self.coarse.swap_remove(at);
        true
    }

    /// True when `id` has a template here.
    pub fn contains(&self, id: &str) -> bool {
        self.positions.contains_key(id)
    }

    /// 1:N: the template closest to `probe`, whatever its score (`None` for an empty gallery).
    pub fn best(&self, probe: &Embedding) -> Result<Option<Candidate>> {
        if self.ids.is_empty() {
            return Ok(None);
        }
        if probe.model() != self.model {
            return Err(Error::ModelMismatch { left: self.model.clone(), right: probe.model().to_string() });
        }
        if probe.values().len() != self.dimension {
            return Err(Error::EmbeddingSize { expected: self.dimension, actual: probe.values().len() });
        }
        // First pass: every row's score range from the coarse codes; keep the rows whose highest
        // possible score reaches the best lowest score seen so far (`floor` only rises, so a row
        // dropped early could never have been the best).
        let coarse = CoarseProbe::new(probe.values());
        let mut floor = f32::NEG_INFINITY;
        let mut kept: Vec<(usize, f32)> = Vec::new();
        for (i, (low, high)) in self.coarse.ranges(&coarse).enumerate() {
            floor = floor.max(low);
            if high >= floor {
                kept.push((i, high));
            }
        }
        // Second pass: exact f32 scores for the rows still in reach of the final floor, in the
        // gallery's order, so ties resolve exactly as a full scan's `max_by` does.
        let d = self.dimension;
        let (index, score) = kept
            .into_iter()
            .filter(|&(_, high)| high >= floor)
            .map(|(i, _)| (i, dot(&self.values[i * d..(i + 1) * d], probe.values())))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .expect("the row with the best lowest score stays in reach");
        Ok(Some(Candidate { id: self.ids[index].clone(), score }))
    }

    /// 1:N: the best template for `probe`, and whether it reaches `threshold`.
    pub fn identify(&self, probe: &Embedding, threshold: Threshold) -> Result<Identification> {
        let best = self.best(probe)?;
        let matched = best.clone().filter(|b| b.score >= threshold.cosine);
        Ok(Identification { matched, best })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(v: &[f32]) -> Embedding {
        Embedding::new("m", v.to_vec()).unwrap()
    }

    const T: Threshold = Threshold { fmr: 1e-3, cosine: 0.5 };

    #[test]
    fn identify_finds_best_above_threshold_only() {
        let mut g = Gallery::new();
        g.insert("alice", &e(&[1.0, 0.0, 0.0])).unwrap();
        g.insert("bob", &e(&[0.0, 1.0, 0.0])).unwrap();
        let hit = g.identify(&e(&[0.1, 1.0, 0.0]), T).unwrap();
        assert_eq!(hit.matched.unwrap().id, "bob");
        let miss = g.identify(&e(&[0.0, 0.0, 1.0]), T).unwrap();
        assert!(miss.matched.is_none());
        assert!(miss.best.is_some());
        assert!(g.insert("x", &e(&[1.0, 0.0])).is_err());
        assert!(Gallery::new().identify(&e(&[1.0]), T).unwrap().best.is_none());
    }

    #[test]
    fn a_gallery_replaces_and_removes_one_id_without_disturbing_the_others() {
        let mut g = Gallery::new();
        for (id, v) in [("a", [1.0, 0.0, 0.0]), ("b", [0.0, 1.0, 0.0]), ("c", [0.0, 0.0, 1.0])] {
            g.insert(id, &e(&v)).unwrap();
        }
        g.insert("a", &e(&[0.0, 0.6, 0.8])).unwrap();
        assert_eq!(g.len(), 3, "a second insert replaces");
        assert!(g.remove("b") && !g.remove("b"));
        assert_eq!((g.len(), g.contains("b"), g.contains("c")), (2, false, true));
        assert_eq!(g.best(&e(&[0.0, 0.0, 1.0])).unwrap().unwrap().id, "c", "c moved into b's place");
        assert_eq!(g.best(&e(&[0.0, 0.7, 0.7])).unwrap().unwrap().id, "a");
        assert!(g.remove("a") && g.remove("c") && g.is_empty());
        assert!(g.best(&e(&[1.0, 0.0, 0.0])).unwrap().is_none());
    }

    #[test]
    fn the_two_pass_search_returns_exactly_what_a_full_f32_scan_returns() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 40) as f32 / (1u64 << 24) as f32 - 0.5
        };
        let d = 128;
        let mut g = Gallery::new();
        let mut rows: Vec<Embedding> = Vec::new();
        for i in 0..3000 {
            // Clusters of near-duplicates (many rows in each other's range) among random rows.
            let v: Vec<f32> = if i % 3 == 0 && i > 0 {
                rows[i - 1].values().iter().map(|x| x + 0.01 * next()).collect()
            } else {
                (0..d).map(|_| next()).collect()
            };
            rows.push(Embedding::new("m", v).unwrap());
            g.insert(format!("u{i}"), &rows[i]).unwrap();
        }
        // A tie: the same template under two ids; a full scan's max_by keeps the later one.
        g.insert("twin", &rows[10]).unwrap();
        rows.push(rows[10].clone());
        for k in 0..200 {
            let probe: Vec<f32> = match k % 4 {
                0 => (0..d).map(|_| next()).collect(),
                1 => rows[k * 7].values().iter().map(|x| x + 0.05 * next()).collect(),
                2 => rows[k * 11 + 1].values().iter().map(|x| x + 0.002 * next()).collect(),
                _ => rows[10].values().to_vec(),
            };
            let probe = Embedding::new("m", probe).unwrap();
            let (index, score) = rows
                .iter()
                .map(|r| dot(r.values(), probe.values()))
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap();
            let id = if index == 3000 { "twin".to_string() } else { format!("u{index}") };
            assert_eq!(g.best(&probe).unwrap(), Some(Candidate { id, score }), "probe {k}");
        }
    }
}
