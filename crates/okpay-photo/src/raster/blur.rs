//! A small separable blur of a plane, for the edge search.

use super::plane::Plane;

impl Plane {
    /// A separable [1 4 6 4 1]/16 blur, as f32 (edges clamped).
    pub fn blur5(&self) -> Vec<f32> {
        self.blur5_fixed()
            .into_iter()
            .map(|v| f32::from(v) / 256.0)
            .collect()
    }

    /// [`Plane::blur5`] in fixed point: 256 times the blurred value, exact (the largest
    /// sum, 16 * 16 * 255, fits a u16).
    pub fn blur5_fixed(&self) -> Vec<u16> {
        let (w, h) = (self.width, self.height);
        if w == 0 || h == 0 {
            return Vec::new();
        }
        let mut tmp = vec![0u16; w * h];
        let mut padded = vec![0u16; w + 4];
        for (src, dst) in self.data.chunks_exact(w).zip(tmp.chunks_exact_mut(w)) {
            for (p, &s) in padded[2..].iter_mut().zip(src) {
                *p = u16::from(s);
            }
            let (first, last) = (u16::from(src[0]), u16::from(src[w - 1]));
            padded[0] = first;
            padded[1] = first;
            padded[w + 2] = last;
            padded[w + 3] = last;
            let taps = padded
                .iter()
                .zip(&padded[1..])
                .zip(&padded[2..])
                .zip(&padded[3..])
                .zip(&padded[4..]);
            for (d, ((((&p0, &p1), &p2), &p3), &p4)) in dst.iter_mut().zip(taps) {
                *d = p0 + p4 + 4 * (p1 + p3) + 6 * p2;
            }
        }
        let mut out = vec![0u16; w * h];
        for (y, dst) in out.chunks_exact_mut(w).enumerate() {
            let row = |k: isize| {
                let yy = (y as isize + k).clamp(0, h as isize - 1) as usize;
                &tmp[yy * w..(yy + 1) * w]
            };
            let rows = row(-2)
                .iter()
                .zip(row(-1))
                .zip(row(0))
                .zip(row(1))
                .zip(row(2));
            for (d, ((((&p0, &p1), &p2), &p3), &p4)) in dst.iter_mut().zip(rows) {
                *d = p0 + p4 + 4 * (p1 + p3) + 6 * p2;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::noise;

    #[test]
    fn fixed_blur_is_the_binomial_kernel() {
        let (w, h) = (23, 9);
        let img = Plane::new(w, h, noise(w * h, 3));
        let k = [1u32, 4, 6, 4, 1];
        let b = img.blur5_fixed();
        for y in 0..h as isize {
            for x in 0..w as isize {
                let mut v = 0;
                for (j, kj) in k.iter().enumerate() {
                    for (i, ki) in k.iter().enumerate() {
                        v += kj * ki * u32::from(img.at(x + i as isize - 2, y + j as isize - 2));
                    }
                }
                assert_eq!(u32::from(b[y as usize * w + x as usize]), v);
            }
        }
    }
}
