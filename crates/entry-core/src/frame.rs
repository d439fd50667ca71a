//! Frames: validated pixel buffers and the one bilinear sampler every model input is cut with.

use crate::error::{Error, Result};

/// Largest side accepted, so a hostile size cannot make us allocate gigabytes.
pub const MAX_SIDE: u32 = 8192;

/// An RGB image with validated dimensions. Pixels are row-major, 3 bytes each.
#[derive(Clone, Debug)]
pub struct Frame {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

/// A 2x3 affine map `[a, b, c, d, e, f]`: `x' = a*x + b*y + c`, `y' = d*x + e*y + f`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Affine(pub [f32; 6]);

impl Affine {
    /// Maps a point.
    pub fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + b * y + c, d * x + e * y + f)
    }

    /// The inverse map, or `None` when the map is singular.
    pub fn invert(&self) -> Option<Affine> {
        let [a, b, c, d, e, f] = self.0;
        let det = a * e - b * d;
        if det.abs() < 1e-12 || !det.is_finite() {
            return None;
        }
        let (ia, ib, id, ie) = (e / det, -b / det, -d / det, a / det);
        Some(Affine([ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)]))
    }

    /// Maps output pixel centres of an `out_w` x `out_h` image onto the rectangle
    /// `(x, y, w, h)` of the source, the way a bilinear resize does.
    pub fn resize_from(x: f32, y: f32, w: f32, h: f32, out_w: u32, out_h: u32) -> Affine {
        let sx = w / out_w as f32;
        let sy = h / out_h as f32;
        Affine([sx, 0.0, x + 0.5 * sx - 0.5, 0.0, sy, y + 0.5 * sy - 0.5])
    }
}

/// What a sample outside the source reads as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Border {
    /// The nearest edge pixel (resizing).
    Replicate,
    /// Black (warping onto a template).
    Zero,
}

/// How samples between pixels are interpolated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interpolation {
    /// 2x2 taps: right for shrinking and near 1:1 maps.
    Bilinear,
    /// 4x4 taps (Keys, a = -0.75 as OpenCV): keeps small faces sharp when enlarging them.
    Bicubic,
}

/// Taps of a separable kernel: the first tap's offset from the floor pixel, and the weights (2
/// used for bilinear, 4 for bicubic).
struct Kernel {
    first: i64,
    weights: [f32; 4],
}

impl Interpolation {
    fn kernel(self, t: f32) -> Kernel {
        match self {
            Interpolation::Bilinear => Kernel { first: 0, weights: [1.0 - t, t, 0.0, 0.0] },
            Interpolation::Bicubic => {
                const A: f32 = -0.75;
                let w = |x: f32| {
                    let x = x.abs();
                    if x <= 1.0 {
                        ((A + 2.0) * x - (A + 3.0)) * x * x + 1.0
                    } else {
                        ((A * x - 5.0 * A) * x + 8.0 * A) * x - 4.0 * A
                    }
                };
                Kernel { first: -1, weights: [w(1.0 + t), w(t), w(1.0 - t), w(2.0 - t)] }
            }
        }
    }
}

/// `v.round().clamp(0.0, 255.0) as u8`, to the bit, without `round`: Rust's rounds half away from
/// zero, which neither wasm nor baseline x86-64 has an instruction for, so it is a library call per
/// channel. `v - trunc(v)` is exact, so comparing it with 0.5 decides as `round` does.
fn to_byte(v: f32) -> u8 {
    if v.is_nan() || v <= 0.0 {
        0
    } else if v >= 255.0 {
        255
    } else {
        let whole = v.trunc();
        (whole as u8) + u8::from(v - whole >= 0.5)
    }
}

fn check_dimensions(width: u32, height: u32) -> Result<()> {
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        return Err(Error::FrameDimensions { width, height, max: MAX_SIDE });
    }
    Ok(())
}

fn check_len(width: u32, height: u32, format: &'static str, bpp: usize, len: usize) -> Result<()> {
    check_dimensions(width, height)?;
    let expected = width as usize * height as usize * bpp;
    if len != expected {
        return Err(Error::FrameSize { width, height, format, expected, actual: len });
    }
    Ok(())
}

impl Frame {
    /// A frame from RGBA bytes, as a canvas `ImageData` holds them. Alpha is ignored.
    pub fn from_rgba(width: u32, height: u32, rgba: &[u8]) -> Result<Self> {
        check_len(width, height, "RGBA", 4, rgba.len())?;
        let rgb = rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
        Ok(Frame { width, height, rgb })
    }

    /// A frame from packed RGB bytes (INVALID_FRAME when the length does not match).
    pub fn from_rgb(width: u32, height: u32, rgb: Vec<u8>) -> Result<Self> {
        check_len(width, height, "RGB", 3, rgb.len())?;
        Ok(Frame { width, height, rgb })
    }

    /// Decodes a JPEG, PNG or PNM file, upright per its EXIF orientation. Grey images become RGB.
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        use image::ImageDecoder;
        let decode_err = |e: image::ImageError| Error::ImageDecode(e.to_string());
        let mut decoder = image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| Error::ImageDecode(e.to_string()))?
            .into_decoder()
            .map_err(decode_err)?;
        // Checked before decoding, so a hostile header cannot make us allocate gigabytes.
        let (w, h) = decoder.dimensions();
        check_dimensions(w, h)?;
        // Cameras store portrait photos sideways with an EXIF orientation tag: honour it.
        let orientation = decoder.orientation().map_err(decode_err)?;
        let mut img = image::DynamicImage::from_decoder(decoder).map_err(decode_err)?;
        img.apply_orientation(orientation);
        let rgb = img.to_rgb8();
        Frame::from_rgb(rgb.width(), rgb.height(), rgb.into_raw())
    }

    /// The frame as a baseline JPEG at `quality` (1-100).
    pub fn encode_jpeg(&self, quality: u8) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100))
            .encode(&self.rgb, self.width, self.height, image::ExtendedColorType::Rgb8)
            .map_err(|e| Error::ImageEncode(e.to_string()))?;
        Ok(out)
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Packed RGB bytes, row by row.
    pub fn rgb(&self) -> &[u8] {
        &self.rgb
    }

    /// Samples an `out_w` x `out_h` RGB image: output pixel `(x, y)` reads the source at
    /// `map(x, y)`, interpolated, rounded to bytes like OpenCV does.
    pub fn sample(&self, map: Affine, out_w: u32, out_h: u32, border: Border, interpolation: Interpolation) -> Frame {
        match interpolation {
            Interpolation::Bilinear => self.sample_with::<2>(map, out_w, out_h, border, interpolation),
            Interpolation::Bicubic => self.sample_with::<4>(map, out_w, out_h, border, interpolation),
        }
    }

    /// [`Frame::sample`] with `TAPS` x `TAPS` taps known at compile time. Every pixel whose taps
    /// all lie inside the frame (nearly all of them) reads the source directly; the rest go through
    /// the border rule. Both add the same products in the same order, so the bytes do not depend on
    /// the path (`sampling_matches_the_tap_by_tap_definition`). Sampling was 9% of a capture
    /// frame in Chromium's profiler (2026-11-29), most of it the detector's 640x480 -> 320x240
    /// resize; with taps per column and row and `to_byte`, detection in wasm went from 15.9 to
    /// 13.6 ms (`benches/wasm-bench.mjs`, 100 rounds, alternating builds).
    fn sample_with<const TAPS: usize>(
        &self,
        map: Affine,
        out_w: u32,
        out_h: u32,
        border: Border,
        interpolation: Interpolation,
    ) -> Frame {
        let mut rgb = Vec::with_capacity(out_w as usize * out_h as usize * 3);
        let (w, h) = (self.width as i64, self.height as i64);
        let stride = self.width as usize * 3;
        let px = |x: i64, y: i64| -> Option<&[u8]> {
            let (x, y) = match border {
                Border::Replicate => (x.clamp(0, w - 1), y.clamp(0, h - 1)),
                Border::Zero if x < 0 || y < 0 || x >= w || y >= h => return None,
                Border::Zero => (x, y),
            };
            let i = y as usize * stride + x as usize * 3;
            Some(&self.rgb[i..i + 3])
        };
        // The taps of one source coordinate: the first tap and its weights.
        let taps = |s: f32| {
            let floor = s.floor();
            let k = interpolation.kernel(s - floor);
            (floor as i64 + k.first, k.weights)
        };
        // An axis-aligned map (every resize) gives each column and each row the same taps on every
        // line: worked out once. `a * x + 0 * y + c` is `a * x + c` to the bit, so nothing changes.
        let [a, b, c, d, e, f] = map.0;
        let separable = b == 0.0 && d == 0.0;
        let columns: Vec<(i64, [f32; 4])> =
            if separable { (0..out_w).map(|ox| taps(a * ox as f32 + c)).collect() } else { Vec::new() };
        for oy in 0..out_h {
            let row_taps = separable.then(|| taps(e * oy as f32 + f));
            for ox in 0..out_w {
                let ((x0, wxs), (y0, wys)) = match row_taps {
                    Some(row) => (columns[ox as usize], row),
                    None => {
                        let (sx, sy) = map.apply(ox as f32, oy as f32);
                        (taps(sx), taps(sy))
                    }
                };
                let mut acc = [0f32; 3];
                if x0 >= 0 && y0 >= 0 && x0 + TAPS as i64 <= w && y0 + TAPS as i64 <= h {
                    let at = y0 as usize * stride + x0 as usize * 3;
                    for (dy, wy) in wys[..TAPS].iter().enumerate() {
                        let row = &self.rgb[at + dy * stride..at + dy * stride + TAPS * 3];
                        for (p, wx) in row.chunks_exact(3).zip(&wxs[..TAPS]) {
                            let wgt = wx * wy;
                            acc[0] += p[0] as f32 * wgt;
                            acc[1] += p[1] as f32 * wgt;
                            acc[2] += p[2] as f32 * wgt;
                        }
                    }
                } else {
                    for (dy, wy) in wys[..TAPS].iter().enumerate() {
                        for (dx, wx) in wxs[..TAPS].iter().enumerate() {
                            if let Some(p) = px(x0 + dx as i64, y0 + dy as i64) {
                                let wgt = wx * wy;
                                acc.iter_mut().zip(p).for_each(|(a, v)| *a += *v as f32 * wgt);
                            }
                        }
                    }
                }
                rgb.extend(acc.map(to_byte));
            }
        }
        Frame { width: out_w, height: out_h, rgb }
    }

    /// Resizes the rectangle `(x, y, w, h)` of this frame to `out_w` x `out_h`.
    pub fn crop_resize(&self, x: f32, y: f32, w: f32, h: f32, out_w: u32, out_h: u32) -> Frame {
        let map = Affine::resize_from(x, y, w, h, out_w, out_h);
        self.sample(map, out_w, out_h, Border::Replicate, Interpolation::Bilinear)
    }

    /// This frame centred on a larger canvas of `value`, `margin` times its size on every side.
    pub fn padded(&self, margin: f32, value: u8) -> Frame {
        let (mx, my) = ((self.width as f32 * margin).round() as u32, (self.height as f32 * margin).round() as u32);
        let (w, h) = ((self.width + 2 * mx).min(MAX_SIDE), (self.height + 2 * my).min(MAX_SIDE));
        let (mx, my) = ((w - self.width) / 2, (h - self.height) / 2);
        let mut rgb = vec![value; w as usize * h as usize * 3];
        let row = self.width as usize * 3;
        for (y, src) in self.rgb.chunks_exact(row).enumerate() {
            let start = ((y + my as usize) * w as usize + mx as usize) * 3;
            rgb[start..start + row].copy_from_slice(src);
        }
        Frame { width: w, height: h, rgb }
    }

    /// Luma per pixel with the BT.601 weights OpenCV's grey conversion uses, rounded.
    pub fn grey(&self) -> Vec<u8> {
        self.rgb.chunks_exact(3).map(|p| luma(p).round() as u8).collect()
    }
}

/// Luma of one RGB pixel with the BT.601 weights OpenCV's grey conversion uses, unrounded.
pub(crate) fn luma(p: &[u8]) -> f32 {
    0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition `sample` must keep to: every tap through the border rule, in order.
    fn sample_tap_by_tap(
        f: &Frame,
        map: Affine,
        out: (u32, u32),
        border: Border,
        interpolation: Interpolation,
    ) -> Vec<u8> {
        let taps = if interpolation == Interpolation::Bilinear { 2 } else { 4 };
        let (w, h) = (f.width as i64, f.height as i64);
        let mut rgb = Vec::new();
        for oy in 0..out.1 {
            for ox in 0..out.0 {
                let (sx, sy) = map.apply(ox as f32, oy as f32);
                let (fx, fy) = (sx.floor(), sy.floor());
                let (kx, ky) = (interpolation.kernel(sx - fx), interpolation.kernel(sy - fy));
                let mut acc = [0f32; 3];
                for dy in 0..taps {
                    for dx in 0..taps {
                        let (x, y) = (fx as i64 + kx.first + dx as i64, fy as i64 + ky.first + dy as i64);
                        let (x, y) = match border {
                            Border::Replicate => (x.clamp(0, w - 1), y.clamp(0, h - 1)),
                            Border::Zero if x < 0 || y < 0 || x >= w || y >= h => continue,
                            Border::Zero => (x, y),
                        };
                        let i = (y as usize * f.width as usize + x as usize) * 3;
                        let wgt = kx.weights[dx] * ky.weights[dy];
                        acc.iter_mut().zip(&f.rgb[i..i + 3]).for_each(|(a, v)| *a += *v as f32 * wgt);
                    }
                }
                rgb.extend(acc.map(|v| v.round().clamp(0.0, 255.0) as u8));
            }
        }
        rgb
    }

    #[test]
    fn to_byte_rounds_and_clamps_as_round_does() {
        let mut values = vec![f32::NAN, f32::INFINITY, f32::NEG_INFINITY, -0.0, 0.0, -0.5, -0.49, 254.5, 255.0, 1e9];
        for k in -2..258 {
            let half = k as f32 + 0.5;
            values.extend([half, f32::from_bits(half.to_bits() - 1), f32::from_bits(half.to_bits() + 1), k as f32]);
        }
        let mut seed = 12345u32;
        values.extend((0..100_000).map(|_| {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (seed >> 8) as f32 / (1 << 24) as f32 * 270.0 - 7.0
        }));
        for v in values {
            assert_eq!(to_byte(v), v.round().clamp(0.0, 255.0) as u8, "{v:?}");
        }
    }

    #[test]
    fn sampling_matches_the_tap_by_tap_definition() {
        let (w, h) = (61u32, 47u32);
        let rgb: Vec<u8> = (0..w * h * 3).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        let f = Frame::from_rgb(w, h, rgb).unwrap();
        let maps = [
            Affine::resize_from(0.0, 0.0, w as f32, h as f32, 30, 23),
            Affine::resize_from(-5.5, 3.25, 40.0, 50.0, 64, 64),
            Affine::resize_from(10.0, 10.0, 12.0, 9.0, 48, 36),
            Affine([0.9, -0.3, 12.0, 0.35, 0.85, -4.0]),
            Affine([1.7, 0.2, -20.0, -0.1, 1.6, 30.0]),
        ];
        for map in maps {
            for border in [Border::Replicate, Border::Zero] {
                for interpolation in [Interpolation::Bilinear, Interpolation::Bicubic] {
                    let fast = f.sample(map, 37, 29, border, interpolation);
                    let slow = sample_tap_by_tap(&f, map, (37, 29), border, interpolation);
                    assert!(fast.rgb == slow, "{map:?} {border:?} {interpolation:?}");
                }
            }
        }
    }

    #[test]
    fn wrong_buffer_length_is_an_error() {
        let err = Frame::from_rgba(4, 4, &[0; 63]).unwrap_err();
        assert_eq!(err, Error::FrameSize { width: 4, height: 4, format: "RGBA", expected: 64, actual: 63 });
        assert!(matches!(Frame::from_rgba(0, 4, &[]), Err(Error::FrameDimensions { .. })));
        assert!(matches!(Frame::from_rgb(MAX_SIDE + 1, 1, vec![]), Err(Error::FrameDimensions { .. })));
    }

    #[test]
    fn corrupt_image_is_an_error() {
        assert!(matches!(Frame::decode(b"\xff\xd8\xff\xe0 not a jpeg"), Err(Error::ImageDecode(_))));
        assert!(matches!(Frame::decode(&[]), Err(Error::ImageDecode(_))));
    }

    #[test]
    fn rgba_drops_alpha() {
        let f = Frame::from_rgba(1, 2, &[1, 2, 3, 255, 4, 5, 6, 0]).unwrap();
        assert_eq!(f.rgb(), &[1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn identity_resize_keeps_pixels() {
        let rgb: Vec<u8> = (0..4 * 3 * 3).map(|i| (i * 7) as u8).collect();
        let f = Frame::from_rgb(4, 3, rgb.clone()).unwrap();
        assert_eq!(f.crop_resize(0.0, 0.0, 4.0, 3.0, 4, 3).rgb(), &rgb[..]);
    }

    #[test]
    fn downscale_by_two_averages_pixel_pairs() {
        // Halving maps output centres to x = 0.5, 2.5: the mean of each pair.
        let f = Frame::from_rgb(4, 1, vec![0, 0, 0, 100, 100, 100, 10, 10, 10, 30, 30, 30]).unwrap();
        assert_eq!(f.crop_resize(0.0, 0.0, 4.0, 1.0, 2, 1).rgb(), &[50, 50, 50, 20, 20, 20]);
    }

    #[test]
    fn zero_border_is_black_outside() {
        let f = Frame::from_rgb(1, 1, vec![200, 200, 200]).unwrap();
        let shifted = Affine([1.0, 0.0, 5.0, 0.0, 1.0, 5.0]);
        assert_eq!(f.sample(shifted, 1, 1, Border::Zero, Interpolation::Bilinear).rgb(), &[0, 0, 0]);
        assert_eq!(f.sample(shifted, 1, 1, Border::Replicate, Interpolation::Bicubic).rgb(), &[200, 200, 200]);
    }

    #[test]
    fn bicubic_keeps_pixels_on_grid_and_weights_sum_to_one() {
        let rgb: Vec<u8> = (0..5 * 5 * 3).map(|i| (i * 11 % 256) as u8).collect();
        let f = Frame::from_rgb(5, 5, rgb.clone()).unwrap();
        let identity = Affine([1.0, 0.0, 0.0, 0.0, 1.0, 0.0]);
        assert_eq!(f.sample(identity, 5, 5, Border::Replicate, Interpolation::Bicubic).rgb(), &rgb[..]);
        for t in [0.0, 0.25, 0.5, 0.9] {
            let sum: f32 = Interpolation::Bicubic.kernel(t).weights.iter().sum();
            assert!((sum - 1.0).abs() < 1e-6);
        }
    }

    #[test]
    fn affine_inverse_round_trips() {
        let m = Affine([0.8, -0.3, 12.0, 0.3, 0.8, -4.0]);
        let inv = m.invert().unwrap();
        let (x, y) = m.apply(10.0, 20.0);
        let (bx, by) = inv.apply(x, y);
        assert!((bx - 10.0).abs() < 1e-4 && (by - 20.0).abs() < 1e-4);
        assert!(Affine([0.0; 6]).invert().is_none());
    }

    #[test]
    fn padding_centres_the_frame() {
        let f = Frame::from_rgb(2, 2, vec![1; 12]).unwrap();
        let p = f.padded(0.5, 9);
        assert_eq!((p.width(), p.height()), (4, 4));
        let ones: Vec<usize> =
            p.rgb().chunks_exact(3).enumerate().filter(|(_, px)| px[0] == 1).map(|(i, _)| i).collect();
        assert_eq!(ones, vec![5, 6, 9, 10], "the original pixels sit in the centre");
        assert_eq!(p.rgb().iter().filter(|v| **v == 9).count(), 12 * 3);
    }
}
