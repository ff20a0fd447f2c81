//! A plain 8-bit grayscale raster and the few pixel operations the quality checks share:
//! area (box) downscaling (of gray or interleaved RGB), luma, EXIF orientation transforms
//! and a small separable blur.

/// An 8-bit grayscale image, row-major, `width * height` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gray {
    pub width: usize,
    pub height: usize,
    pub data: Vec<u8>,
}

impl Gray {
    /// A new image; `data` must hold `width * height` bytes (checked by the callers).
    pub fn new(width: usize, height: usize, data: Vec<u8>) -> Self {
        debug_assert_eq!(data.len(), width * height);
        Gray {
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

    /// Downscale by area averaging so that the long side is at most `long_side`; never
    /// upscales. Returns the image and the factor (source pixels per output pixel).
    pub fn fit_area(self, long_side: usize) -> (Gray, f32) {
        let long = self.width.max(self.height);
        if long <= long_side || long == 0 {
            return (self, 1.0);
        }
        let s = long as f64 / long_side as f64;
        let ow = ((self.width as f64 / s).round() as usize).max(1);
        let oh = ((self.height as f64 / s).round() as usize).max(1);
        let img = self.resize_area(ow, oh);
        (img, s as f32)
    }

    /// Area-average resample to exactly `ow` x `oh` (downscaling only).
    fn resize_area(&self, ow: usize, oh: usize) -> Gray {
        Gray::new(
            ow,
            oh,
            area_resize(&self.data, self.width, self.height, 1, ow, oh),
        )
    }

    /// Apply an EXIF orientation (1..=8); other values leave the image as it is.
    pub fn orient(self, orientation: u16) -> Gray {
        let (w, h) = (self.width, self.height);
        let map: fn(usize, usize, usize, usize) -> (usize, usize) = match orientation {
            2 => |x, y, w, _| (w - 1 - x, y),
            3 => |x, y, w, h| (w - 1 - x, h - 1 - y),
            4 => |x, y, _, h| (x, h - 1 - y),
            5 => |x, y, _, _| (y, x),
            6 => |x, y, _, h| (h - 1 - y, x),
            7 => |x, y, w, h| (h - 1 - y, w - 1 - x),
            8 => |x, y, w, _| (y, w - 1 - x),
            _ => return self,
        };
        let (ow, oh) = if orientation >= 5 { (h, w) } else { (w, h) };
        let mut data = vec![0u8; w * h];
        for y in 0..h {
            for x in 0..w {
                let (nx, ny) = map(x, y, w, h);
                data[ny * ow + nx] = self.data[y * w + x];
            }
        }
        Gray::new(ow, oh, data)
    }

    /// A separable [1 4 6 4 1]/16 blur, as f32 (edges clamped).
    pub fn blur5(&self) -> Vec<f32> {
        self.blur5_fixed()
            .into_iter()
            .map(|v| f32::from(v) / 256.0)
            .collect()
    }

    /// [`Gray::blur5`] in fixed point: 256 times the blurred value, exact (the largest
    /// sum, 16 * 16 * 255, fits a u16).
    pub fn blur5_fixed(&self) -> Vec<u16> {
        let (w, h) = (self.width, self.height);
        let mut tmp = vec![0u16; w * h];
        let mut padded = vec![0u16; w + 4];
        for (src, dst) in self.data.chunks_exact(w).zip(tmp.chunks_exact_mut(w)) {
            for (i, p) in padded.iter_mut().enumerate() {
                *p = u16::from(src[i.saturating_sub(2).min(w - 1)]);
            }
            for (d, p) in dst.iter_mut().zip(padded.windows(5)) {
                *d = p[0] + 4 * p[1] + 6 * p[2] + 4 * p[3] + p[4];
            }
        }
        let mut out = vec![0u16; w * h];
        for (y, dst) in out.chunks_exact_mut(w).enumerate() {
            let row = |k: isize| {
                let yy = (y as isize + k).clamp(0, h as isize - 1) as usize;
                &tmp[yy * w..(yy + 1) * w]
            };
            let (r0, r1, r2, r3, r4) = (row(-2), row(-1), row(0), row(1), row(2));
            for (x, d) in dst.iter_mut().enumerate() {
                *d = r0[x] + 4 * r1[x] + 6 * r2[x] + 4 * r3[x] + r4[x];
            }
        }
        out
    }
}

/// Area-average resample of `channels`-interleaved 8-bit samples from `w` x `h` to exactly
/// `ow` x `oh` (downscaling only). An exact halving takes an integer 2 x 2 path.
pub fn area_resize(
    data: &[u8],
    w: usize,
    h: usize,
    channels: usize,
    ow: usize,
    oh: usize,
) -> Vec<u8> {
    if ow * 2 == w && oh * 2 == h {
        return halve(data, w, channels);
    }
    let xw = area_weights(w, ow);
    let yw = area_weights(h, oh);
    let (stride, ostride) = (w * channels, ow * channels);
    // Horizontal pass into f32 rows, then vertical pass.
    let mut tmp = vec![0f32; ostride * h];
    for (row, out) in data.chunks_exact(stride).zip(tmp.chunks_exact_mut(ostride)) {
        for (o, taps) in out.chunks_exact_mut(channels).zip(&xw) {
            for (c, o) in o.iter_mut().enumerate() {
                *o = taps
                    .iter()
                    .map(|&(i, wt)| f32::from(row[i * channels + c]) * wt)
                    .sum();
            }
        }
    }
    let mut out = vec![0u8; ostride * oh];
    let mut acc = vec![0f32; ostride];
    for (dst, taps) in out.chunks_exact_mut(ostride).zip(&yw) {
        acc.fill(0.0);
        for &(i, wt) in taps {
            for (a, t) in acc.iter_mut().zip(&tmp[i * ostride..(i + 1) * ostride]) {
                *a += t * wt;
            }
        }
        for (d, a) in dst.iter_mut().zip(&acc) {
            *d = (a + 0.5).clamp(0.0, 255.0) as u8;
        }
    }
    out
}

/// Exact 2 x 2 box average (rounded), integer arithmetic.
fn halve(data: &[u8], w: usize, channels: usize) -> Vec<u8> {
    match channels {
        1 => halve_n::<1>(data, w),
        3 => halve_n::<3>(data, w),
        4 => halve_n::<4>(data, w),
        _ => halve_n::<2>(data, w),
    }
}

fn halve_n<const C: usize>(data: &[u8], w: usize) -> Vec<u8> {
    let stride = w * C;
    let ostride = (w / 2) * C;
    let mut out = vec![0u8; ostride * (data.len() / stride / 2)];
    for (pair, dst) in data
        .chunks_exact(2 * stride)
        .zip(out.chunks_exact_mut(ostride))
    {
        let (a, b) = pair.split_at(stride);
        let quads = a.chunks_exact(2 * C).zip(b.chunks_exact(2 * C));
        for (d, (a, b)) in dst.chunks_exact_mut(C).zip(quads) {
            for c in 0..C {
                let sum =
                    u16::from(a[c]) + u16::from(a[c + C]) + u16::from(b[c]) + u16::from(b[c + C]);
                d[c] = ((sum + 2) >> 2) as u8;
            }
        }
    }
    out
}

/// BT.601 luma of interleaved RGB averaged over 2 x 2 blocks: [`luma`] then an exact halving
/// in one pass (`w` and the row count even).
pub fn luma_halved(rgb: &[u8], w: usize) -> Vec<u8> {
    let stride = w * 3;
    let ow = w / 2;
    let mut out = vec![0u8; ow * (rgb.len() / stride / 2)];
    let y = |p: &[u8]| 77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]);
    for (pair, dst) in rgb.chunks_exact(2 * stride).zip(out.chunks_exact_mut(ow)) {
        let (a, b) = pair.split_at(stride);
        let quads = a.chunks_exact(6).zip(b.chunks_exact(6));
        for (d, (a, b)) in dst.iter_mut().zip(quads) {
            let sum = y(&a[..3]) + y(&a[3..]) + y(&b[..3]) + y(&b[3..]);
            *d = ((sum + 512) >> 10) as u8;
        }
    }
    out
}

/// BT.601 luma (the Y of a JPEG's YCbCr) of interleaved RGB, integer weights.
pub fn luma(rgb: &[u8]) -> Vec<u8> {
    rgb.chunks_exact(3)
        .map(|p| {
            let y = 77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]);
            ((y + 128) >> 8) as u8
        })
        .collect()
}

/// For each output index, the source indices and weights covering it (weights sum to 1).
fn area_weights(src: usize, dst: usize) -> Vec<Vec<(usize, f32)>> {
    let s = src as f64 / dst as f64;
    (0..dst)
        .map(|o| {
            let a = o as f64 * s;
            let b = ((o + 1) as f64 * s).min(src as f64);
            let mut taps = Vec::new();
            let mut i = a.floor() as usize;
            while (i as f64) < b && i < src {
                let lo = a.max(i as f64);
                let hi = b.min((i + 1) as f64);
                if hi > lo {
                    taps.push((i, ((hi - lo) / (b - a)) as f32));
                }
                i += 1;
            }
            taps
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_downscale_averages_blocks() {
        let img = Gray::new(4, 2, vec![0, 100, 200, 200, 0, 100, 200, 200]);
        let (out, s) = img.fit_area(2);
        assert_eq!((out.width, out.height, s), (2, 1, 2.0));
        assert_eq!(out.data, vec![50, 200]);
        // The integer halving and the general path agree.
        let rgb: Vec<u8> = (0..6 * 4 * 3).map(|i| (i * 37 % 256) as u8).collect();
        let fast = area_resize(&rgb, 6, 4, 3, 3, 2);
        let xw = area_weights(6, 3);
        assert_eq!(xw[1], vec![(2, 0.5), (3, 0.5)]);
        let slow = area_resize(&rgb, 6, 4, 3, 3, 1);
        assert_eq!((fast.len(), slow.len()), (18, 9));
        for c in 0..9 {
            let v = (u16::from(fast[c]) + u16::from(fast[9 + c])) / 2;
            assert!(v.abs_diff(u16::from(slow[c])) <= 1, "{c}");
        }
    }

    #[test]
    fn orientation_six_rotates_clockwise() {
        // 2x1: [a b] rotated 90° clockwise becomes a 1x2 column [a; b].
        let img = Gray::new(2, 1, vec![1, 2]);
        let out = img.orient(6);
        assert_eq!((out.width, out.height), (1, 2));
        assert_eq!(out.data, vec![1, 2]);
        let img = Gray::new(2, 1, vec![1, 2]).orient(8);
        assert_eq!(img.data, vec![2, 1]);
    }
}
