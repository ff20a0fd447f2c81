//! The measurements on the card region of the analysis image: exposure, blur (normalised for
//! contrast), glare blobs and the evenness of the light across the card.

use super::gray::Gray;
use super::quad;

/// The pixels the checks look at: inside the card quad shrunk a little (so the card's own
/// edge and the background stay out), or the central part of the frame without a quad.
pub struct Region {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
    /// One flag per pixel of the box `[x0, x1) x [y0, y1)`.
    mask: Vec<bool>,
    pub count: usize,
}

impl Region {
    /// The region for `quad` (analysis coordinates), or the central 80% without one.
    pub fn new(img: &Gray, card: Option<&[[f32; 2]; 4]>) -> Region {
        let (w, h) = (img.width as f32, img.height as f32);
        let q = match card {
            Some(q) => shrink(q, 0.04),
            None => [
                [0.1 * w, 0.1 * h],
                [0.9 * w, 0.1 * h],
                [0.9 * w, 0.9 * h],
                [0.1 * w, 0.9 * h],
            ],
        };
        let fx = |v: f32, hi: usize| (v.max(0.0) as usize).min(hi);
        let x0 = fx(
            q.iter().map(|p| p[0]).fold(f32::MAX, f32::min).floor(),
            img.width,
        );
        let x1 = fx(
            q.iter().map(|p| p[0]).fold(f32::MIN, f32::max).ceil() + 1.0,
            img.width,
        );
        let y0 = fx(
            q.iter().map(|p| p[1]).fold(f32::MAX, f32::min).floor(),
            img.height,
        );
        let y1 = fx(
            q.iter().map(|p| p[1]).fold(f32::MIN, f32::max).ceil() + 1.0,
            img.height,
        );
        let mut mask = Vec::with_capacity((x1 - x0) * (y1 - y0));
        for y in y0..y1 {
            for x in x0..x1 {
                mask.push(quad::inside(&q, [x as f32, y as f32]));
            }
        }
        let count = mask.iter().filter(|m| **m).count();
        Region {
            x0,
            y0,
            x1,
            y1,
            mask,
            count,
        }
    }

    #[inline]
    fn has(&self, x: usize, y: usize) -> bool {
        x >= self.x0
            && y >= self.y0
            && x < self.x1
            && y < self.y1
            && self.mask[(y - self.y0) * (self.x1 - self.x0) + (x - self.x0)]
    }

    fn pixels<'a>(&'a self, img: &'a Gray) -> impl Iterator<Item = u8> + 'a {
        (self.y0..self.y1).flat_map(move |y| {
            (self.x0..self.x1)
                .filter(move |&x| self.has(x, y))
                .map(move |x| img.data[y * img.width + x])
        })
    }
}

/// Each corner moved towards the centroid by `f` of its distance.
fn shrink(q: &[[f32; 2]; 4], f: f32) -> [[f32; 2]; 4] {
    let cx = q.iter().map(|p| p[0]).sum::<f32>() / 4.0;
    let cy = q.iter().map(|p| p[1]).sum::<f32>() / 4.0;
    q.map(|p| [p[0] + (cx - p[0]) * f, p[1] + (cy - p[1]) * f])
}

/// Mean luma and the share of pixels at or above 250 (clipped).
pub fn exposure(img: &Gray, r: &Region) -> (f32, f32) {
    if r.count == 0 {
        return (0.0, 0.0);
    }
    let (mut sum, mut clipped) = (0u64, 0usize);
    for v in r.pixels(img) {
        sum += u64::from(v);
        clipped += usize::from(v >= 250);
    }
    (sum as f32 / r.count as f32, clipped as f32 / r.count as f32)
}

/// No-reference blur (Crete et al. 2007): the share of the image's variation that survives
/// a 9-tap re-blur. 0 = sharp, 1 = no detail left. A ratio, so it does not change with
/// contrast or exposure: a dark sharp photo stays sharp.
pub fn blur(img: &Gray, r: &Region) -> f32 {
    let px = |x: isize, y: isize| f32::from(img.at(x, y));
    let mut worst = 0.0f32;
    for (dx, dy) in [(1usize, 0usize), (0, 1)] {
        let (mut df_sum, mut v_sum) = (0f64, 0f64);
        for y in r.y0.max(dy)..r.y1 {
            for x in r.x0.max(dx)..r.x1 {
                if !r.has(x, y) || !r.has(x - dx, y - dy) {
                    continue;
                }
                let (xi, yi, dx, dy) = (x as isize, y as isize, dx as isize, dy as isize);
                let df = (px(xi, yi) - px(xi - dx, yi - dy)).abs();
                // Step of the 9-tap box mean between neighbours: (F(p + 4d) - F(p - 5d)) / 9.
                let db = (px(xi + 4 * dx, yi + 4 * dy) - px(xi - 5 * dx, yi - 5 * dy)).abs() / 9.0;
                df_sum += f64::from(df);
                v_sum += f64::from((df - db).max(0.0));
            }
        }
        let b = if df_sum <= 0.0 {
            1.0
        } else {
            ((df_sum - v_sum) / df_sum) as f32
        };
        worst = worst.max(b);
    }
    worst
}

/// A connected blob of pixels at or above `level` inside the region: its bounding box
/// `[x0, y0, x1, y1)` in analysis pixels and its pixel count.
pub fn bright_blobs(img: &Gray, r: &Region, level: u8) -> Vec<([usize; 4], usize)> {
    let bw = r.x1 - r.x0;
    let mut seen = vec![false; bw * (r.y1 - r.y0)];
    let mut blobs = Vec::new();
    let mut stack = Vec::new();
    for y in r.y0..r.y1 {
        for x in r.x0..r.x1 {
            let i = (y - r.y0) * bw + (x - r.x0);
            if seen[i] || !r.has(x, y) || img.data[y * img.width + x] < level {
                continue;
            }
            seen[i] = true;
            stack.push((x, y));
            let mut bb = [x, y, x + 1, y + 1];
            let mut n = 0;
            while let Some((cx, cy)) = stack.pop() {
                n += 1;
                bb = [
                    bb[0].min(cx),
                    bb[1].min(cy),
                    bb[2].max(cx + 1),
                    bb[3].max(cy + 1),
                ];
                let nbrs = [
                    (cx.wrapping_sub(1), cy),
                    (cx + 1, cy),
                    (cx, cy.wrapping_sub(1)),
                    (cx, cy + 1),
                ];
                for (nx, ny) in nbrs {
                    if !r.has(nx, ny) {
                        continue;
                    }
                    let j = (ny - r.y0) * bw + (nx - r.x0);
                    if !seen[j] && img.data[ny * img.width + nx] >= level {
                        seen[j] = true;
                        stack.push((nx, ny));
                    }
                }
            }
            blobs.push((bb, n));
        }
    }
    blobs
}

/// Evenness of the light across the card: the card is sampled on a 4 x 3 grid of cells in
/// its own coordinates (bilinear between the corners, so perspective is roughly followed);
/// each cell's 90th percentile stands for its paper brightness (text and print are darker);
/// the result is darkest / brightest cell, 1 = even.
pub fn light_ratio(img: &Gray, q: &[[f32; 2]; 4]) -> f32 {
    let q = shrink(q, 0.04);
    const CX: usize = 4;
    const CY: usize = 3;
    const N: usize = 12;
    let mut levels = Vec::with_capacity(CX * CY);
    for cy in 0..CY {
        for cx in 0..CX {
            let mut vals = Vec::with_capacity(N * N);
            for j in 0..N {
                for i in 0..N {
                    let u = (cx as f32 + (i as f32 + 0.5) / N as f32) / CX as f32;
                    let v = (cy as f32 + (j as f32 + 0.5) / N as f32) / CY as f32;
                    let top = lerp(q[0], q[1], u);
                    let bottom = lerp(q[3], q[2], u);
                    let p = lerp(top, bottom, v);
                    let (x, y) = (p[0].round(), p[1].round());
                    if x >= 0.0 && y >= 0.0 && (x as usize) < img.width && (y as usize) < img.height
                    {
                        vals.push(img.data[y as usize * img.width + x as usize]);
                    }
                }
            }
            if vals.len() >= N * N / 4 {
                let k = (vals.len() * 9 / 10).min(vals.len() - 1);
                let (_, v, _) = vals.select_nth_unstable(k);
                levels.push(f32::from(*v));
            }
        }
    }
    let lo = levels.iter().copied().fold(f32::MAX, f32::min);
    let hi = levels.iter().copied().fold(0.0f32, f32::max);
    if levels.is_empty() || hi <= 0.0 {
        1.0
    } else {
        lo / hi
    }
}

fn lerp(a: [f32; 2], b: [f32; 2], t: f32) -> [f32; 2] {
    [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]
}
