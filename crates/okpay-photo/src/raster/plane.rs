//! The engine's raster: an 8-bit plane of samples (luma, or one chroma component).

/// An 8-bit grayscale image, row-major, `width * height` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plane {
    pub width: usize,
    pub height: usize,
    pub data: Vec<u8>,
}

impl Plane {
    /// A new image; `data` must hold `width * height` bytes (checked by the callers).
    pub fn new(width: usize, height: usize, data: Vec<u8>) -> Self {
        debug_assert_eq!(data.len(), width * height);
        Plane {
            width,
            height,
            data,
        }
    }

    /// The pixel at (x, y), clamped to the border.
    #[inline]
    pub fn at(&self, x: isize, y: isize) -> u8 {
        let x = x.clamp(0, self.width as isize - 1) as usize;
        let y = y.clamp(0, self.height as isize - 1) as usize;
        self.data[y * self.width + x]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raster::orient::{Orientation, shown_at};
    use crate::testing::noise;

    #[test]
    fn orientation_six_rotates_clockwise() {
        // 2x1: [a b] rotated 90° clockwise becomes a 1x2 column [a; b].
        let img = Plane::new(2, 1, vec![1, 2]);
        let out = img.orient(Orientation::Rotate90);
        assert_eq!((out.width, out.height), (1, 2));
        assert_eq!(out.data, vec![1, 2]);
        let img = Plane::new(2, 1, vec![1, 2]).orient(Orientation::Rotate270);
        assert_eq!(img.data, vec![2, 1]);
        // Every orientation against the per-pixel definition, on a non-square image.
        let (w, h) = (37, 70);
        let src = Plane::new(w, h, noise(w * h, 11));
        for o in Orientation::ALL {
            let out = src.clone().orient(o);
            for y in 0..h {
                for x in 0..w {
                    let (nx, ny) = shown_at(x, y, w, h, o);
                    assert_eq!(out.data[ny * out.width + nx], src.data[y * w + x], "{o:?}");
                }
            }
        }
    }
}
