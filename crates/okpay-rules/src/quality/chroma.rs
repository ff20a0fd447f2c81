//! The photo's colour at the card search's scale, for the card finder: two opponent chroma
//! planes, `u = (Cb - Cr) / 2 + 128` (blue against red, brown, skin) and
//! `v = (Cb + Cr) / 2` (green against magenta). A card's edge can be all colour and no
//! luma (a dark blue band on brown wood); these planes let the finder see it.

use super::gray::{Gray, area_resize};

/// The chroma planes, both `width` x `height`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chroma {
    pub u: Gray,
    pub v: Gray,
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

    /// The Y plane and the chroma of interleaved YCbCr samples (`w` x `h`); when the Y
    /// plane needs no downscale to a long side of `long_side` and the search halves it,
    /// the chroma comes 2 x 2 averaged in the same pass.
    pub fn from_ycbcr(ycc: &[u8], w: usize, h: usize, long_side: usize) -> (Gray, Chroma) {
        let mut y = vec![0u8; w * h];
        if w.max(h) <= long_side && search_size(w, h) == (w / 2, h / 2) {
            let (ow, oh) = (w / 2, h / 2);
            let mut u = vec![0u8; ow * oh];
            let mut v = vec![0u8; ow * oh];
            let stride = 3 * w;
            for (yy, (ur, vr)) in u
                .chunks_exact_mut(ow)
                .zip(v.chunks_exact_mut(ow))
                .enumerate()
            {
                let a = &ycc[2 * yy * stride..][..stride];
                let b = &ycc[(2 * yy + 1) * stride..][..stride];
                let (ya, yb) = y[2 * yy * w..(2 * yy + 2) * w].split_at_mut(w);
                for (d, p) in ya.iter_mut().zip(a.chunks_exact(3)) {
                    *d = p[0];
                }
                for (d, p) in yb.iter_mut().zip(b.chunks_exact(3)) {
                    *d = p[0];
                }
                let pairs = a.chunks_exact(6).zip(b.chunks_exact(6));
                for ((du, dv), (pa, pb)) in ur.iter_mut().zip(vr.iter_mut()).zip(pairs) {
                    let cb =
                        i32::from(pa[1]) + i32::from(pa[4]) + i32::from(pb[1]) + i32::from(pb[4]);
                    let cr =
                        i32::from(pa[2]) + i32::from(pa[5]) + i32::from(pb[2]) + i32::from(pb[5]);
                    *du = ((cb - cr + 1024 + 4) >> 3) as u8;
                    *dv = ((cb + cr + 4) >> 3) as u8;
                }
            }
            // An odd last row.
            if h % 2 == 1 {
                let last = &ycc[(h - 1) * stride..][..stride];
                for (d, p) in y[(h - 1) * w..].iter_mut().zip(last.chunks_exact(3)) {
                    *d = p[0];
                }
            }
            let c = Chroma {
                u: Gray::new(ow, oh, u),
                v: Gray::new(ow, oh, v),
            };
            return (Gray::new(w, h, y), c);
        }
        let (u, v): (Vec<u8>, Vec<u8>) = ycc
            .chunks_exact(3)
            .zip(y.iter_mut())
            .map(|(p, y)| {
                *y = p[0];
                let (cb, cr) = (i32::from(p[1]), i32::from(p[2]));
                (((cb - cr + 256) >> 1) as u8, ((cb + cr) >> 1) as u8)
            })
            .unzip();
        let c = Chroma {
            u: Gray::new(w, h, u),
            v: Gray::new(w, h, v),
        };
        (Gray::new(w, h, y), c)
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
            u: Gray::new(w, h, u),
            v: Gray::new(w, h, v),
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
        let (w, h) = (self.width(), self.height());
        let r = |g: &Gray| Gray::new(ow, oh, area_resize(&g.data, w, h, 1, ow, oh));
        Chroma {
            u: r(&self.u),
            v: r(&self.v),
        }
    }

    /// An EXIF orientation applied (see [`Gray::orient`]).
    pub fn orient(self, orientation: u16) -> Chroma {
        Chroma {
            u: self.u.orient(orientation),
            v: self.v.orient(orientation),
        }
    }
}
