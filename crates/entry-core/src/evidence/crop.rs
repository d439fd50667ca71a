//! The face-centred crops that leave the device: enough around the face for the server to detect
//! it again, place its landmarks and run passive liveness (which looks at 2.7x the face box), and
//! nothing more of the room.

use crate::error::{Error, Result};
use crate::face::BoundingBox;
use crate::frame::Frame;

/// The crop's side, as a multiple of the face box's larger side: the liveness model's 2.7 plus
/// room for the box the server's detector finds to differ from the browser's.
pub const CROP_SCALE: f32 = 3.2;

/// The crop's largest side in pixels. Faces a webcam at arm's length shows (100-200 px) keep their
/// own resolution, so the server judges size, sharpness and brightness on the browser's pixels;
/// only a face closer than about 200 px is scaled down.
pub const CROP_SIDE: u32 = 640;

/// JPEG quality of the crops: the passive model and the quality checks read texture, so little is
/// thrown away (about 60-90 kB a crop at 640 px).
pub const JPEG_QUALITY: u8 = 95;

/// The JPEG crop of `frame` around `face`: a square of [`CROP_SCALE`] times the face box's larger
/// side, centred on the box, clipped to the frame, at most [`CROP_SIDE`] pixels a side.
pub fn evidence_crop(frame: &Frame, face: &BoundingBox) -> Result<Vec<u8>> {
    let (bw, bh) = (face.x2 - face.x1, face.y2 - face.y1);
    let side = (bw.max(bh) * CROP_SCALE).max(1.0);
    let (cx, cy) = (face.x1 + bw / 2.0, face.y1 + bh / 2.0);
    let (fw, fh) = (frame.width() as f32, frame.height() as f32);
    let x0 = (cx - side / 2.0).max(0.0);
    let y0 = (cy - side / 2.0).max(0.0);
    let w = (cx + side / 2.0).min(fw) - x0;
    let h = (cy + side / 2.0).min(fh) - y0;
    if !(w >= 1.0 && h >= 1.0) {
        // A box outside the frame holds no face to send.
        return Err(Error::NoFace);
    }
    let scale = (CROP_SIDE as f32 / w.max(h)).min(1.0);
    let (out_w, out_h) = (((w * scale).round() as u32).max(1), ((h * scale).round() as u32).max(1));
    frame.crop_resize(x0, y0, w, h, out_w, out_h).encode_jpeg(JPEG_QUALITY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crop_is_centred_on_the_face_clipped_and_bounded() {
        let frame = Frame::from_rgb(640, 480, vec![128; 640 * 480 * 3]).unwrap();
        let face = BoundingBox { x1: 270.0, y1: 190.0, x2: 370.0, y2: 290.0 };
        let crop = Frame::decode(&evidence_crop(&frame, &face).unwrap()).unwrap();
        assert_eq!((crop.width(), crop.height()), (320, 320), "a 100 px face keeps its resolution");
        let near_edge = BoundingBox { x1: 0.0, y1: 0.0, x2: 100.0, y2: 100.0 };
        let crop = Frame::decode(&evidence_crop(&frame, &near_edge).unwrap()).unwrap();
        assert_eq!((crop.width(), crop.height()), (210, 210), "clipped to the frame");
        let frame = Frame::from_rgb(1280, 960, vec![128; 1280 * 960 * 3]).unwrap();
        let close = BoundingBox { x1: 340.0, y1: 180.0, x2: 940.0, y2: 780.0 };
        let crop = Frame::decode(&evidence_crop(&frame, &close).unwrap()).unwrap();
        assert!(crop.width() <= CROP_SIDE && crop.height() <= CROP_SIDE);
        let outside = BoundingBox { x1: 2000.0, y1: 2000.0, x2: 2010.0, y2: 2010.0 };
        assert!(evidence_crop(&frame, &outside).is_err());
    }
}
