//! The photo's colour at the card search's scale, for the card finder: two opponent chroma
//! planes, `u = (Cb - Cr) / 2 + 128` (blue against red, brown, skin) and
//! `v = (Cb + Cr) / 2` (green against magenta). A card's edge can be all colour and no
//! luma (a dark blue band on brown wood); these planes let the finder see it.

use super::orient::Orientation;
use super::plane::Plane;
use super::resample::area_resize;

/// The chroma planes, both `width` x `height`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chroma {
    pub u: Plane,
    pub v: Plane,
}

/// The size the card search runs at for an analysis image of `w` x `h` (see
/// [`super::quad::Edges`]): halved when the short side is at least 480.
pub fn search_size(w: usize, h: usize) -> (usize, usize) {
    if w.min(h) >= 480 {
        (w / 2, h / 2)
    } else {
        (w, h)
    }
}

impl Chroma {
    pub fn width(&self) -> usize {
        self.u.width
    }

    pub fn height(&self) -> usize {
        self.u.height
    }

    /// Chroma of interleaved RGB (`w` x `h`), BT.601 weights as a JPEG's.
    pub fn from_rgb(rgb: &[u8], w: usize, h: usize) -> Chroma {
        let (u, v): (Vec<u8>, Vec<u8>) = rgb
            .chunks_exact(3)
            .map(|p| {
                let [r, g, b] = [p[0], p[1], p[2]].map(i32::from);
                // 256 (Cb - Cr) / 2 and 256 (Cb + Cr - 256) / 2.
                let u = -86 * r + 11 * g + 74 * b;
                let v = 42 * r - 96 * g + 54 * b;
                (
                    ((u + 128 * 256 + 128) >> 8).clamp(0, 255) as u8,
                    ((v + 128 * 256 + 128) >> 8).clamp(0, 255) as u8,
                )
            })
            .unzip();
        Chroma {
            u: Plane::new(w, h, u),
            v: Plane::new(w, h, v),
        }
    }

    /// Chroma of interleaved RGB (`w` x `h`) area-downscaled to exactly `ow` x `oh` first.
    pub fn from_rgb_resized(rgb: &[u8], w: usize, h: usize, ow: usize, oh: usize) -> Chroma {
        if ow == w && oh == h {
            return Chroma::from_rgb(rgb, w, h);
        }
        let small = area_resize(rgb, w, h, 3, ow, oh);
        Chroma::from_rgb(&small, ow, oh)
    }

    /// Area-resampled to exactly `ow` x `oh` (downscaling only).
    pub fn resized(self, ow: usize, oh: usize) -> Chroma {
        if ow == self.width() && oh == self.height() {
            return self;
        }
        Chroma {
            u: self.u.resize_area(ow, oh),
            v: self.v.resize_area(ow, oh),
        }
    }

    /// An EXIF orientation applied (see [`Plane::orient`]).
    pub fn orient(self, orientation: Orientation) -> Chroma {
        Chroma {
            u: self.u.orient(orientation),
            v: self.v.orient(orientation),
        }
    }
}

/// Interleaved YCbCr rows, as they are decoded, split into the Y plane and the chroma
/// planes: when the Y plane needs no downscale to the analysis size and the search halves
/// it, the chroma comes 2 x 2 averaged at the search size; otherwise at full size. The
/// rows come a strip at a time ([`YccSplit::strip_rows`]), so the interleaved image is
/// never held whole.
pub struct YccSplit {
    width: usize,
    height: usize,
    halve: bool,
    y: Vec<u8>,
    u: Vec<u8>,
    v: Vec<u8>,
}

impl YccSplit {
    /// For a `w` x `h` decode and an analysis long side of `long_side`.
    pub fn new(w: usize, h: usize, long_side: usize) -> YccSplit {
        let halve = w.max(h) <= long_side && search_size(w, h) == (w / 2, h / 2);
        let (cw, ch) = if halve { (w / 2, h / 2) } else { (w, h) };
        YccSplit {
            width: w,
            height: h,
            halve,
            y: vec![0; w * h],
            u: vec![0; cw * ch],
            v: vec![0; cw * ch],
        }
    }

    /// Rows per strip: 2 when halving (the last strip of an odd height has 1), else 1.
    pub fn strip_rows(&self) -> usize {
        if self.halve { 2 } else { 1 }
    }

    /// The strip of interleaved rows starting at row `row` (a multiple of
    /// [`YccSplit::strip_rows`]).
    pub fn push(&mut self, strip: &[u8], row: usize) {
        let (w, stride) = (self.width, 3 * self.width);
        for (k, r) in strip.chunks_exact(stride).enumerate() {
            if let Some(dst) = self.y.get_mut((row + k) * w..(row + k + 1) * w) {
                for (d, p) in dst.iter_mut().zip(r.chunks_exact(3)) {
                    *d = p[0];
                }
            }
        }
        if !self.halve {
            let at = row * w..(row + strip.len() / stride) * w;
            let (Some(u), Some(v)) = (self.u.get_mut(at.clone()), self.v.get_mut(at)) else {
                return;
            };
            for ((du, dv), p) in u.iter_mut().zip(v.iter_mut()).zip(strip.chunks_exact(3)) {
                let (cb, cr) = (i32::from(p[1]), i32::from(p[2]));
                *du = ((cb - cr + 256) >> 1) as u8;
                *dv = ((cb + cr) >> 1) as u8;
            }
            return;
        }
        // A pair of rows gives one row of 2 x 2 means (an odd last row gives none).
        if strip.len() < 2 * stride {
            return;
        }
        let ow = w / 2;
        let yy = row / 2;
        let (Some(ur), Some(vr)) = (
            self.u.get_mut(yy * ow..(yy + 1) * ow),
            self.v.get_mut(yy * ow..(yy + 1) * ow),
        ) else {
            return;
        };
        let (a, b) = strip.split_at(stride);
        let pairs = a.chunks_exact(6).zip(b.chunks_exact(6));
        for ((du, dv), (pa, pb)) in ur.iter_mut().zip(vr.iter_mut()).zip(pairs) {
            let cb = i32::from(pa[1]) + i32::from(pa[4]) + i32::from(pb[1]) + i32::from(pb[4]);
            let cr = i32::from(pa[2]) + i32::from(pa[5]) + i32::from(pb[2]) + i32::from(pb[5]);
            *du = ((cb - cr + 1024 + 4) >> 3) as u8;
            *dv = ((cb + cr + 4) >> 3) as u8;
        }
    }

    /// The Y plane and the chroma.
    pub fn finish(self) -> (Plane, Chroma) {
        let (cw, ch) = if self.halve {
            (self.width / 2, self.height / 2)
        } else {
            (self.width, self.height)
        };
        (
            Plane::new(self.width, self.height, self.y),
            Chroma {
                u: Plane::new(cw, ch, self.u),
                v: Plane::new(cw, ch, self.v),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic interleaved samples.
    fn samples(n: usize) -> Vec<u8> {
        (0..n)
            .map(|i| ((i * 7919 + i / 3 * 104_729) % 256) as u8)
            .collect()
    }

    #[test]
    fn split_as_decoded_matches_the_whole_image() {
        // Halved chroma (even and odd sizes), and full-size chroma (too small to halve).
        for (w, h) in [(1008, 756), (961, 721), (101, 77)] {
            let ycc = samples(w * h * 3);
            let mut split = YccSplit::new(w, h, 1008);
            let k = split.strip_rows();
            for row in (0..h).step_by(k) {
                let n = k.min(h - row);
                split.push(&ycc[row * w * 3..(row + n) * w * 3], row);
            }
            let (y, c) = split.finish();
            assert_eq!((y.width, y.height), (w, h));
            for (i, &v) in y.data.iter().enumerate() {
                assert_eq!(v, ycc[3 * i], "{w}x{h} Y {i}");
            }
            let at = |x: usize, y: usize, ch: usize| i32::from(ycc[(y * w + x) * 3 + ch]);
            if k == 2 {
                assert_eq!((c.width(), c.height()), (w / 2, h / 2));
                for yy in 0..h / 2 {
                    for xx in 0..w / 2 {
                        let sum = |ch: usize| {
                            at(2 * xx, 2 * yy, ch)
                                + at(2 * xx + 1, 2 * yy, ch)
                                + at(2 * xx, 2 * yy + 1, ch)
                                + at(2 * xx + 1, 2 * yy + 1, ch)
                        };
                        let (cb, cr) = (sum(1), sum(2));
                        let i = yy * (w / 2) + xx;
                        assert_eq!(i32::from(c.u.data[i]), (cb - cr + 1028) >> 3);
                        assert_eq!(i32::from(c.v.data[i]), (cb + cr + 4) >> 3);
                    }
                }
            } else {
                assert_eq!((c.width(), c.height()), (w, h));
                for yy in 0..h {
                    for xx in 0..w {
                        let (cb, cr) = (at(xx, yy, 1), at(xx, yy, 2));
                        let i = yy * w + xx;
                        assert_eq!(i32::from(c.u.data[i]), (cb - cr + 256) >> 1);
                        assert_eq!(i32::from(c.v.data[i]), (cb + cr) >> 1);
                    }
                }
            }
        }
    }
}
