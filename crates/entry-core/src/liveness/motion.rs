//! Did the face change between two frames, or is it one picture shown again (a still, a still with
//! noise added, a looped clip)?
//!
//! Frames are compared where the face is in the first of the two, in frame coordinates (not
//! face-box coordinates: the detector's box jitters by a pixel or two even on an identical image,
//! and that jitter alone looked like motion). The face is averaged into 8x8 cells, brightness
//! removed, and the mean absolute change of the cells is the *change*. Noise added to a picture
//! changes every pixel independently, so averaging over a cell of `n` pixels shrinks it by
//! `sqrt(n)`; a real face moving changes whole regions, which averaging keeps. The *noise ratio* is
//! the cells' change divided by what the pixels' own change predicts for pure noise: about 1 for one
//! picture with noise added (whatever the noise's strength), several times that for a face that
//! moved. Measured on every live recording in ../shared against stills and loops made from them
//! (README, Liveness).

use crate::face::BoundingBox;
use crate::frame::{luma, Frame};

/// Frame pixels averaged into one stored pixel (each side): noise shrinks 4x before any comparison.
const SCALE: usize = 4;
/// Cells per side of the face grid.
const CELLS: usize = 8;
/// Stored margin around the face box, as a fraction of its size: a face that moved less than this
/// can be compared in the next frame's coordinates.
const MARGIN: f32 = 0.25;
/// Gauss-Newton steps at most when fitting one face onto another (it settles in 3-6 from the boxes).
const MAX_ITERATIONS: usize = 20;

/// The grey area around one frame's face at 1/`SCALE` size, in frame coordinates.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FaceArea {
    /// Left and top of the stored area, in stored pixels (frame pixels / `SCALE`).
    x0: usize,
    y0: usize,
    width: usize,
    height: usize,
    /// Mean grey of each stored pixel.
    grey: Vec<f32>,
    /// The face box in stored pixels: `[x1, y1, x2, y2]`.
    face: [f32; 4],
}

/// How two frames' faces differ (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Change {
    /// Mean absolute change of the face's 8x8 cells, brightness removed, grey levels.
    pub(crate) cells: f32,
    /// `cells` over what pixel noise alone would give: about 1 for noise, more for motion.
    pub(crate) noise_ratio: f32,
}

impl FaceArea {
    /// The area around `face` in `frame`.
    pub(crate) fn new(frame: &Frame, face: &BoundingBox) -> FaceArea {
        let b = face.clipped(frame.width(), frame.height());
        let (mx, my) = (b.width() * MARGIN, b.height() * MARGIN);
        let (fw, fh) = (frame.width() as usize / SCALE, frame.height() as usize / SCALE);
        let cell = |v: f32, limit: usize| ((v.max(0.0) as usize) / SCALE).min(limit);
        let (x0, y0) = (cell(b.x1 - mx, fw), cell(b.y1 - my, fh));
        let (x1, y1) = (cell(b.x2 + mx + SCALE as f32, fw), cell(b.y2 + my + SCALE as f32, fh));
        let (width, height) = (x1.saturating_sub(x0), y1.saturating_sub(y0));
        let rgb = frame.rgb();
        let stride = frame.width() as usize;
        let mut grey = vec![0f32; width * height];
        for (i, g) in grey.iter_mut().enumerate() {
            let (sx, sy) = ((x0 + i % width) * SCALE, (y0 + i / width) * SCALE);
            let mut sum = 0f32;
            for y in sy..sy + SCALE {
                for x in sx..sx + SCALE {
                    sum += luma(&rgb[(y * stride + x) * 3..][..3]);
                }
            }
            *g = sum / (SCALE * SCALE) as f32;
        }
        let s = SCALE as f32;
        FaceArea { x0, y0, width, height, grey, face: [b.x1 / s, b.y1 / s, b.x2 / s, b.y2 / s] }
    }

    /// Stored pixel `(x, y)` in stored frame coordinates, if this area holds it.
    fn at(&self, x: usize, y: usize) -> Option<f32> {
        let (x, y) = (x.checked_sub(self.x0)?, y.checked_sub(self.y0)?);
        (x < self.width && y < self.height).then(|| self.grey[y * self.width + x])
    }

    /// The stored pixels of `face` (stored coordinates) in this area, row by row, with their cell;
    /// `None` when the area does not hold all of them.
    fn pixels(&self, face: [f32; 4]) -> Option<Vec<(usize, f32)>> {
        Some(self.pixels_at(face)?.into_iter().map(|(cell, _, _, v)| (cell, v)).collect())
    }

    /// [`pixels`](Self::pixels) with each pixel's stored frame coordinates: `(cell, x, y, grey)`.
    fn pixels_at(&self, face: [f32; 4]) -> Option<Vec<(usize, usize, usize, f32)>> {
        let [x1, y1, x2, y2] = face;
        let (xa, ya, xb, yb) =
            (x1 as usize, y1 as usize, (x2 as usize).max(x1 as usize + CELLS), (y2 as usize).max(y1 as usize + CELLS));
        let (w, h) = ((xb - xa) as f32, (yb - ya) as f32);
        let mut out = Vec::with_capacity((xb - xa) * (yb - ya));
        for y in ya..yb {
            let cy = (((y - ya) as f32 / h) * CELLS as f32) as usize;
            for x in xa..xb {
                let cx = (((x - xa) as f32 / w) * CELLS as f32) as usize;
                out.push((cy.min(CELLS - 1) * CELLS + cx.min(CELLS - 1), x, y, self.at(x, y)?));
            }
        }
        Some(out)
    }

    /// How the face of `self` changed in `later`, compared where it is in `self`; `None` when
    /// `later` does not hold that place (the face moved by more than the margin: not one picture).
    pub(crate) fn change(&self, later: &FaceArea) -> Option<Change> {
        let a = self.pixels(self.face)?;
        let b = later.pixels(self.face)?;
        Some(compare(&a, &b, 1.0))
    }
}

impl FaceArea {
    /// Bilinear sample at stored frame coordinates `(u, v)`, with the sum of the squared weights
    /// (1 on a pixel, 0.25 midway between four); `None` outside the area.
    fn sample(&self, u: f32, v: f32) -> Option<(f32, f32)> {
        let (x, y) = (u - self.x0 as f32, v - self.y0 as f32);
        if x < 0.0 || y < 0.0 || x > (self.width - 1) as f32 || y > (self.height - 1) as f32 {
            return None;
        }
        let (xi, yi) =
            ((x as usize).min(self.width.saturating_sub(2)), (y as usize).min(self.height.saturating_sub(2)));
        let (fx, fy) = (x - xi as f32, y - yi as f32);
        let at = |dx: usize, dy: usize| self.grey[(yi + dy) * self.width + xi + dx];
        let w = [(1.0 - fx) * (1.0 - fy), fx * (1.0 - fy), (1.0 - fx) * fy, fx * fy];
        let value = w[0] * at(0, 0) + w[1] * at(1, 0) + w[2] * at(0, 1) + w[3] * at(1, 1);
        Some((value, w.iter().map(|w| w * w).sum()))
    }

    fn centre_and_size(&self) -> (f32, f32, f32) {
        let [x1, y1, x2, y2] = self.face;
        ((x1 + x2) / 2.0, (y1 + y2) / 2.0, ((x2 - x1) * (y2 - y1)).sqrt().max(1.0))
    }

    /// The face's pixels as `(cell, x, y, grey)` with `x` and `y` relative to the face's centre.
    fn template(&self) -> Option<Vec<(usize, f32, f32, f32)>> {
        let (cx, cy, _) = self.centre_and_size();
        let pixels = self.pixels_at(self.face)?;
        Some(pixels.into_iter().map(|(cell, x, y, v)| (cell, x as f32 - cx, y as f32 - cy, v)).collect())
    }

    /// The similarity transform and brightness offset that fit `later` best onto this face, by
    /// Gauss-Newton from the detected boxes; `None` when the fit leaves `later`'s stored area.
    fn fit(&self, later: &FaceArea, template: &[(usize, f32, f32, f32)]) -> Option<Fit> {
        let (ca_x, ca_y, size_a) = self.centre_and_size();
        let (cb_x, cb_y, size_b) = later.centre_and_size();
        let mut fit = Fit { centre: (ca_x, ca_y), p: [cb_x - ca_x, cb_y - ca_y, size_b / size_a - 1.0, 0.0, 0.0] };
        for _ in 0..MAX_ITERATIONS {
            let mut h = [[0f64; 5]; 5];
            let mut g = [0f64; 5];
            for &(_, x, y, value) in template {
                let (u, v) = fit.warp(x, y);
                let (b, _) = later.sample(u, v)?;
                let gx = (later.sample(u + 1.0, v)?.0 - later.sample(u - 1.0, v)?.0) / 2.0;
                let gy = (later.sample(u, v + 1.0)?.0 - later.sample(u, v - 1.0)?.0) / 2.0;
                let j = [gx, gy, gx * x + gy * y, gy * x - gx * y, -1.0].map(f64::from);
                let r = f64::from(b - fit.p[4] - value);
                for row in 0..5 {
                    g[row] += j[row] * r;
                    for col in 0..5 {
                        h[row][col] += j[row] * j[col];
                    }
                }
            }
            let step = solve(h, g)?;
            for (p, d) in fit.p.iter_mut().zip(step) {
                *p -= d as f32;
            }
            if step[0].abs() < 0.01 && step[1].abs() < 0.01 && step[2].abs() < 1e-4 && step[3].abs() < 1e-4 {
                break;
            }
        }
        Some(fit)
    }

    /// How the face of `self` changed in `later` once `later` is moved, scaled and turned in the
    /// image plane to fit it best ([`fit`](Self::fit)): what is left after a still picture is
    /// panned, zoomed or turned is noise, a real face changes in depth and expression. `None` when
    /// no fit stays inside `later`'s stored area.
    pub(crate) fn aligned_change(&self, later: &FaceArea) -> Option<Change> {
        let template = self.template()?;
        let fit = self.fit(later, &template)?;
        let mut a = Vec::with_capacity(template.len());
        let mut b = Vec::with_capacity(template.len());
        let mut weights = 0f32;
        for &(cell, x, y, value) in &template {
            let (u, v) = fit.warp(x, y);
            let (sampled, w2) = later.sample(u, v)?;
            a.push((cell, value));
            b.push((cell, sampled));
            weights += w2;
        }
        // Interpolating `later` averages its noise over neighbouring pixels: each pixel's noise
        // shrinks to sqrt(w2) of itself while a cell's mean keeps it, so pure noise predicts a
        // per-pixel change sqrt((1 + w2) / 2) of the unmoved case's.
        let w2 = weights / template.len().max(1) as f32;
        Some(compare(&a, &b, ((1.0 + w2) / 2.0).sqrt()))
    }
}

/// A fitted similarity transform: `p = [tx, ty, a, b, c]` maps a point `(x, y)` relative to the
/// earlier face's centre to `centre + t + [[1 + a, -b], [b, 1 + a]] (x, y)`, with brightness `+ c`.
struct Fit {
    centre: (f32, f32),
    p: [f32; 5],
}

impl Fit {
    /// Where `(x, y)`, relative to the earlier face's centre, lands in the later frame.
    fn warp(&self, x: f32, y: f32) -> (f32, f32) {
        let ((cx, cy), p) = (self.centre, &self.p);
        (cx + p[0] + (1.0 + p[2]) * x - p[3] * y, cy + p[1] + p[3] * x + (1.0 + p[2]) * y)
    }
}

/// Gauss-Newton's step: `h x = g` for the 5 parameters, `None` when `h` is singular (a flat area).
fn solve(mut h: [[f64; 5]; 5], mut g: [f64; 5]) -> Option<[f64; 5]> {
    for col in 0..5 {
        let pivot = (col..5).max_by(|&a, &b| h[a][col].abs().total_cmp(&h[b][col].abs()))?;
        if h[pivot][col].abs() < 1e-9 {
            return None;
        }
        h.swap(col, pivot);
        g.swap(col, pivot);
        for row in col + 1..5 {
            let f = h[row][col] / h[col][col];
            let pivot_row = h[col];
            for (x, p) in h[row].iter_mut().zip(pivot_row).skip(col) {
                *x -= f * p;
            }
            g[row] -= f * g[col];
        }
    }
    let mut x = [0f64; 5];
    for row in (0..5).rev() {
        let rest: f64 = (row + 1..5).map(|k| h[row][k] * x[k]).sum();
        x[row] = (g[row] - rest) / h[row][row];
    }
    Some(x)
}

/// The change between the same pixels `a` and `b` (each with its cell); `noise_scale` is what pure
/// noise's per-pixel change is relative to two unmoved frames (1 without interpolation).
fn compare(a: &[(usize, f32)], b: &[(usize, f32)], noise_scale: f32) -> Change {
    let (cells_a, cells_b) = (cell_means(a), cell_means(b));
    let cells = mean_abs_diff(&cells_a, &cells_b);
    let pixels = mean_abs_diff(&centred(a.iter().map(|p| p.1)), &centred(b.iter().map(|p| p.1)));
    // Pure noise: a cell's mean of n independent changes varies sqrt(n) times less than one.
    let per_cell = (a.len() as f32 / (CELLS * CELLS) as f32).sqrt();
    let noise_ratio = if pixels > 0.0 { cells * per_cell * noise_scale / pixels } else { 0.0 };
    Change { cells, noise_ratio }
}

/// The mean of each cell, the mean over all cells removed (a change of brightness is not motion).
fn cell_means(pixels: &[(usize, f32)]) -> Vec<f32> {
    let mut sum = [0f32; CELLS * CELLS];
    let mut count = [0f32; CELLS * CELLS];
    for &(cell, v) in pixels {
        sum[cell] += v;
        count[cell] += 1.0;
    }
    centred(sum.iter().zip(count).map(|(s, c)| s / c.max(1.0)))
}

fn centred(values: impl Iterator<Item = f32>) -> Vec<f32> {
    let v: Vec<f32> = values.collect();
    let mean = v.iter().sum::<f32>() / v.len().max(1) as f32;
    v.into_iter().map(|x| x - mean).collect()
}

fn mean_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(a, b)| (a - b).abs()).sum::<f32>() / a.len().max(1) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 320x240 frame of smooth structure (a "face") at `(dx, dy)`, plus `noise(x, y)` per pixel.
    fn frame(dx: f32, dy: f32, noise: impl Fn(usize, usize) -> f32) -> Frame {
        let mut rgb = Vec::with_capacity(320 * 240 * 3);
        for y in 0..240 {
            for x in 0..320 {
                let (u, v) = ((x as f32 - dx) / 9.0, (y as f32 - dy) / 7.0);
                let g = 128.0 + 60.0 * u.sin() * v.cos() + noise(x, y);
                rgb.extend([g.clamp(0.0, 255.0) as u8; 3]);
            }
        }
        Frame::from_rgb(320, 240, rgb).unwrap()
    }

    fn face() -> BoundingBox {
        BoundingBox { x1: 100.0, y1: 60.0, x2: 220.0, y2: 180.0 }
    }

    /// Deterministic noise in [-amp, amp] that differs per `seed`.
    fn noise(seed: u64, amp: f32) -> impl Fn(usize, usize) -> f32 {
        move |x, y| {
            let mut h = (x as u64 * 73_856_093) ^ (y as u64 * 19_349_663) ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            h ^= h >> 33;
            h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
            h ^= h >> 33;
            ((h % 2001) as f32 / 1000.0 - 1.0) * amp
        }
    }

    #[test]
    fn one_picture_is_no_change_and_noise_on_it_is_noise_whatever_its_strength() {
        let still = FaceArea::new(&frame(0.0, 0.0, |_, _| 0.0), &face());
        assert_eq!(still.change(&still.clone()), Some(Change { cells: 0.0, noise_ratio: 0.0 }));
        for amp in [3.0, 12.0, 40.0] {
            let a = FaceArea::new(&frame(0.0, 0.0, noise(1, amp)), &face());
            let b = FaceArea::new(&frame(0.0, 0.0, noise(2, amp)), &face());
            let change = a.change(&b).unwrap();
            assert!(change.noise_ratio < 1.3, "noise {amp}: {change:?}");
        }
    }

    #[test]
    fn a_face_that_moves_changes_more_than_noise_explains() {
        let a = FaceArea::new(&frame(0.0, 0.0, noise(1, 3.0)), &face());
        let b = FaceArea::new(&frame(3.0, 1.0, noise(2, 3.0)), &face());
        let change = a.change(&b).unwrap();
        assert!(change.noise_ratio > 2.0 && change.cells > 1.0, "{change:?}");
        // Moved beyond the stored margin: not comparable here (the fitted comparison below is).
        let far = FaceArea::new(&frame(0.0, 0.0, |_, _| 0.0), &BoundingBox { x1: 0.0, y1: 0.0, x2: 60.0, y2: 60.0 });
        assert_eq!(a.change(&far), None);
    }

    #[test]
    fn a_moved_picture_fits_back_onto_itself_and_a_face_that_changed_does_not() {
        let a = FaceArea::new(&frame(0.0, 0.0, noise(1, 3.0)), &face());
        // The same picture 8 px right and 4 px down (whole stored pixels: this synthetic pattern is
        // far sharper than a face at 1/4 scale, and interpolating it would leave a residue real
        // faces do not: those are tested on photos in tests/liveness.rs), the box a little off.
        let shifted = BoundingBox { x1: 107.0, y1: 65.0, x2: 228.0, y2: 183.0 };
        let b = FaceArea::new(&frame(8.0, 4.0, noise(2, 3.0)), &shifted);
        let change = a.aligned_change(&b).unwrap();
        assert!(change.noise_ratio < 1.5 && change.cells < 1.0, "{change:?}");
        // The fit found the move: 2 stored px right, 1 down, no zoom or turn.
        let fit = a.fit(&b, &a.template().unwrap()).unwrap();
        let [tx, ty, zoom, turn, _] = fit.p;
        assert!((tx - 2.0).abs() < 0.1 && (ty - 1.0).abs() < 0.1, "moved {tx} {ty} stored px");
        assert!(zoom.abs() < 0.01 && turn.abs() < 0.01, "zoom {zoom} turn {turn}");
        // Unfitted, the same pair is plain motion.
        assert!(a.change(&b).unwrap().cells > 1.0);
        // Moved, and one region changed on its own (an eye closing): the fit cannot explain it.
        let blink = |x: usize, y: usize| {
            noise(3, 3.0)(x, y) + if (136..166).contains(&x) && (95..110).contains(&y) { 30.0 } else { 0.0 }
        };
        let c = FaceArea::new(&frame(8.0, 4.0, blink), &shifted);
        let change = a.aligned_change(&c).unwrap();
        assert!(change.noise_ratio > 1.5 && change.cells > 0.5, "{change:?}");
    }
}
