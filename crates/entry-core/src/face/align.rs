//! Alignment: the least-squares similarity transform (Umeyama, 1991) taking five facial points onto
//! the embedder's template, and the warp that produces the aligned crop.

use crate::face::Point;
use crate::frame::{Affine, Border, Frame, Interpolation};

/// Rotation, uniform scale and translation mapping `src` onto `dst` in the least-squares sense.
/// Returns `None` for degenerate input (all points equal).
pub fn similarity_transform(src: &[Point], dst: &[[f32; 2]]) -> Option<Affine> {
    let n = src.len().min(dst.len());
    if n < 2 {
        return None;
    }
    let nf = n as f64;
    let (mut sx, mut sy, mut dx, mut dy) = (0.0, 0.0, 0.0, 0.0);
    for i in 0..n {
        sx += src[i].x as f64;
        sy += src[i].y as f64;
        dx += dst[i][0] as f64;
        dy += dst[i][1] as f64;
    }
    let (sx, sy, dx, dy) = (sx / nf, sy / nf, dx / nf, dy / nf);
    // For 2-D similarity the Umeyama solution reduces to a, b of [a -b; b a] from
    // cross-covariance terms, with a reflection impossible by construction.
    let (mut a_num, mut b_num, mut var) = (0.0f64, 0.0f64, 0.0f64);
    for i in 0..n {
        let (px, py) = (src[i].x as f64 - sx, src[i].y as f64 - sy);
        let (qx, qy) = (dst[i][0] as f64 - dx, dst[i][1] as f64 - dy);
        a_num += px * qx + py * qy;
        b_num += px * qy - py * qx;
        var += px * px + py * py;
    }
    if var < 1e-9 {
        return None;
    }
    let (a, b) = (a_num / var, b_num / var);
    let tx = dx - (a * sx - b * sy);
    let ty = dy - (b * sx + a * sy);
    Some(Affine([a as f32, -b as f32, tx as f32, b as f32, a as f32, ty as f32]))
}

/// Warps `frame` so that `points` land on `template`, giving a `size` crop (black outside the frame).
pub fn align(frame: &Frame, points: &[Point; 5], template: &[[f32; 2]; 5], size: (u32, u32)) -> Option<Frame> {
    let to_template = similarity_transform(points, template)?;
    let from_template = to_template.invert()?;
    // A face smaller than the template is enlarged: bilinear would blur it, bicubic keeps its detail.
    let [a, _, _, d, _, _] = to_template.0;
    let enlarging = (a * a + d * d).sqrt() > 1.0;
    let interpolation = if enlarging { Interpolation::Bicubic } else { Interpolation::Bilinear };
    Some(frame.sample(from_template, size.0, size.1, Border::Zero, interpolation))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: [[f32; 2]; 5] =
        [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655], [70.7299, 92.2041]];

    #[test]
    fn recovers_a_known_similarity() {
        // Rotate by 30 degrees, scale 2, shift: the fit must give back the exact inverse.
        let (c, s) = (30f32.to_radians().cos() * 2.0, 30f32.to_radians().sin() * 2.0);
        let src: Vec<Point> =
            TEMPLATE.iter().map(|p| Point { x: c * p[0] - s * p[1] + 100.0, y: s * p[0] + c * p[1] - 20.0 }).collect();
        let m = similarity_transform(&src, &TEMPLATE).unwrap();
        for (p, q) in src.iter().zip(TEMPLATE) {
            let (x, y) = m.apply(p.x, p.y);
            assert!((x - q[0]).abs() < 1e-3 && (y - q[1]).abs() < 1e-3, "{x},{y} vs {q:?}");
        }
    }

    #[test]
    fn degenerate_points_give_none() {
        assert!(similarity_transform(&[Point { x: 1.0, y: 1.0 }; 5], &TEMPLATE).is_none());
    }
}
