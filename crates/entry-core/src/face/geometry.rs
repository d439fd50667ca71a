//! Boxes and points in frame pixels.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, TS)]
/// A point in frame pixels.
pub struct Point {
    /// Horizontal, from the left edge.
    pub x: f32,
    /// Vertical, from the top edge.
    pub y: f32,
}

/// An axis-aligned box by its corners, in pixels.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct BoundingBox {
    /// Left edge.
    pub x1: f32,
    /// Top edge.
    pub y1: f32,
    /// Right edge.
    pub x2: f32,
    /// Bottom edge.
    pub y2: f32,
}

impl BoundingBox {
    /// Width (0 for an inverted box).
    pub fn width(&self) -> f32 {
        (self.x2 - self.x1).max(0.0)
    }

    /// Height (0 for an inverted box).
    pub fn height(&self) -> f32 {
        (self.y2 - self.y1).max(0.0)
    }

    /// Area in square pixels.
    pub fn area(&self) -> f32 {
        self.width() * self.height()
    }

    /// The centre point.
    pub fn centre(&self) -> Point {
        Point { x: (self.x1 + self.x2) / 2.0, y: (self.y1 + self.y2) / 2.0 }
    }

    /// Intersection over union with `other`, 0..1.
    pub fn iou(&self, other: &BoundingBox) -> f32 {
        let inter = BoundingBox {
            x1: self.x1.max(other.x1),
            y1: self.y1.max(other.y1),
            x2: self.x2.min(other.x2),
            y2: self.y2.min(other.y2),
        }
        .area();
        let union = self.area() + other.area() - inter;
        if union <= 0.0 {
            0.0
        } else {
            inter / union
        }
    }

    /// A square of side `height * scale` about the same centre.
    pub fn square(&self, scale: f32) -> BoundingBox {
        let c = self.centre();
        let half = self.height() * scale / 2.0;
        BoundingBox { x1: c.x - half, y1: c.y - half, x2: c.x + half, y2: c.y + half }
    }

    /// A square about the same centre, `height * scale` on a side or the frame's shorter side if that
    /// is less, moved to lie inside the frame. Unlike `square(scale).shifted_inside(..)`, a face too
    /// close for the full context keeps a square crop (less context) instead of a clipped rectangle
    /// that a fixed-size network input would squash.
    pub fn square_inside(&self, scale: f32, width: u32, height: u32) -> BoundingBox {
        let side = (self.height() * scale).min(width as f32).min(height as f32);
        let c = self.centre();
        let half = side / 2.0;
        BoundingBox { x1: c.x - half, y1: c.y - half, x2: c.x + half, y2: c.y + half }.shifted_inside(width, height)
    }

    /// The part of this box inside a `width` x `height` frame.
    pub fn clipped(&self, width: u32, height: u32) -> BoundingBox {
        let (w, h) = (width as f32, height as f32);
        BoundingBox {
            x1: self.x1.clamp(0.0, w),
            y1: self.y1.clamp(0.0, h),
            x2: self.x2.clamp(0.0, w),
            y2: self.y2.clamp(0.0, h),
        }
    }

    /// The same box moved (not shrunk) to lie inside the frame where it fits; clipped where not.
    pub fn shifted_inside(&self, width: u32, height: u32) -> BoundingBox {
        let (w, h) = (width as f32, height as f32);
        let shift = |lo: f32, hi: f32, max: f32| {
            if hi - lo >= max {
                (0.0, max)
            } else if lo < 0.0 {
                (0.0, hi - lo)
            } else if hi > max {
                (max - (hi - lo), max)
            } else {
                (lo, hi)
            }
        };
        let (x1, x2) = shift(self.x1, self.x2, w);
        let (y1, y2) = shift(self.y1, self.y2, h);
        BoundingBox { x1, y1, x2, y2 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iou_of_half_overlap() {
        let a = BoundingBox { x1: 0.0, y1: 0.0, x2: 2.0, y2: 2.0 };
        let b = BoundingBox { x1: 1.0, y1: 0.0, x2: 3.0, y2: 2.0 };
        assert!((a.iou(&b) - 1.0 / 3.0).abs() < 1e-6);
        assert_eq!(a.iou(&BoundingBox { x1: 5.0, y1: 5.0, x2: 6.0, y2: 6.0 }), 0.0);
    }

    #[test]
    fn square_keeps_centre_and_uses_height() {
        let s = BoundingBox { x1: 10.0, y1: 0.0, x2: 20.0, y2: 40.0 }.square(1.0);
        assert_eq!(s, BoundingBox { x1: -5.0, y1: 0.0, x2: 35.0, y2: 40.0 });
    }

    #[test]
    fn square_inside_shrinks_to_the_frame_instead_of_squashing() {
        // A face 400 px high in a 544x960 portrait frame: 2.7x would be 1080 px, wider and taller
        // than the frame; the crop becomes the largest square that fits, centred where it can be.
        let face = BoundingBox { x1: 100.0, y1: 300.0, x2: 440.0, y2: 700.0 };
        let crop = face.square_inside(2.7, 544, 960);
        assert_eq!(crop, BoundingBox { x1: 0.0, y1: 228.0, x2: 544.0, y2: 772.0 });
        // When the full context fits, it is the scaled square, shifted inside like before.
        let small = BoundingBox { x1: 10.0, y1: 10.0, x2: 50.0, y2: 50.0 };
        assert_eq!(small.square_inside(2.0, 200, 200), small.square(2.0).shifted_inside(200, 200));
    }

    #[test]
    fn shifted_inside_keeps_size_when_it_fits() {
        let b = BoundingBox { x1: -10.0, y1: 90.0, x2: 30.0, y2: 130.0 }.shifted_inside(100, 100);
        assert_eq!(b, BoundingBox { x1: 0.0, y1: 60.0, x2: 40.0, y2: 100.0 });
        let big = BoundingBox { x1: -10.0, y1: -10.0, x2: 300.0, y2: 50.0 }.shifted_inside(100, 100);
        assert_eq!(big, BoundingBox { x1: 0.0, y1: 0.0, x2: 100.0, y2: 60.0 });
    }
}
