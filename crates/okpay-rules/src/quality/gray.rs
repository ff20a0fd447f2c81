//! A plain 8-bit grayscale raster and the few pixel operations the quality checks share:
//! area (box) downscaling, EXIF orientation transforms and a small separable blur.

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
        let xw = area_weights(self.width, ow);
        let yw = area_weights(self.height, oh);
        // Horizontal pass into f32 rows, then vertical pass.
        let mut tmp = vec![0f32; ow * self.height];
        for y in 0..self.height {
            let row = &self.data[y * self.width..(y + 1) * self.width];
            let out = &mut tmp[y * ow..(y + 1) * ow];
            for (o, taps) in out.iter_mut().zip(&xw) {
                *o = taps.iter().map(|&(i, w)| f32::from(row[i]) * w).sum();
            }
        }
        let mut data = vec![0u8; ow * oh];
        for (oy, taps) in yw.iter().enumerate() {
            let out = &mut data[oy * ow..(oy + 1) * ow];
            for (x, o) in out.iter_mut().enumerate() {
                let v: f32 = taps.iter().map(|&(i, w)| tmp[i * ow + x] * w).sum();
                *o = v.round().clamp(0.0, 255.0) as u8;
            }
        }
        Gray::new(ow, oh, data)
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
        let (w, h) = (self.width, self.height);
        const K: [f32; 5] = [1.0 / 16.0, 4.0 / 16.0, 6.0 / 16.0, 4.0 / 16.0, 1.0 / 16.0];
        let mut tmp = vec![0f32; w * h];
        let mut padded = vec![0f32; w + 4];
        for (src, dst) in self.data.chunks_exact(w).zip(tmp.chunks_exact_mut(w)) {
            for (i, p) in padded.iter_mut().enumerate() {
                *p = f32::from(src[i.saturating_sub(2).min(w - 1)]);
            }
            for (x, d) in dst.iter_mut().enumerate() {
                let p = &padded[x..x + 5];
                *d = K[0] * p[0] + K[1] * p[1] + K[2] * p[2] + K[3] * p[3] + K[4] * p[4];
            }
        }
        let mut out = vec![0f32; w * h];
        for y in 0..h {
            let row = |k: isize| {
                let yy = (y as isize + k).clamp(0, h as isize - 1) as usize;
                &tmp[yy * w..(yy + 1) * w]
            };
            let (r0, r1, r2, r3, r4) = (row(-2), row(-1), row(0), row(1), row(2));
            let dst = &mut out[y * w..(y + 1) * w];
            for (x, d) in dst.iter_mut().enumerate() {
                *d = K[0] * r0[x] + K[1] * r1[x] + K[2] * r2[x] + K[3] * r3[x] + K[4] * r4[x];
            }
        }
        out
    }
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
