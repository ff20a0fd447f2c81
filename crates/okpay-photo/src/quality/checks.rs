//! The measurements on the card region of the analysis image: exposure, blur (normalised for
//! contrast), glare blobs and the evenness of the light across the card.

use crate::raster::Plane;

/// The pixels the checks look at: inside the card quad shrunk a little (so the card's own
/// edge and the background stay out), or the central part of the frame without a quad.
/// A convex region: one run of pixels per row.
pub struct Region {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
    /// For each row `y0..y1`, the run `[start, end)` of pixels inside (empty: start == end).
    spans: Vec<(usize, usize)>,
    pub count: usize,
}

impl Region {
    /// The region for `quad` (analysis coordinates), or the central 80% without one.
    pub fn new(img: &Plane, card: Option<&[[f32; 2]; 4]>) -> Region {
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
        let y0 = fx(
            q.iter().map(|p| p[1]).fold(f32::MAX, f32::min).floor(),
            img.height,
        );
        let y1 = fx(
            q.iter().map(|p| p[1]).fold(f32::MIN, f32::max).ceil() + 1.0,
            img.height,
        );
        // The winding, so that inside means a non-negative cross product for every side.
        let sign = if signed_area(&q) < 0.0 { -1.0 } else { 1.0 };
        let mut spans = Vec::with_capacity(y1 - y0);
        let (mut x0, mut x1, mut count) = (img.width, 0, 0);
        for y in y0..y1 {
            let yf = y as f32;
            // Each side's cross product is linear in x: a + b x >= 0 bounds x on one side.
            let (mut lo, mut hi) = (0f32, img.width as f32 - 1.0);
            for i in 0..4 {
                let (p, r) = (q[i], q[(i + 1) % 4]);
                let b = -(r[1] - p[1]) * sign;
                let a = ((r[0] - p[0]) * (yf - p[1]) + (r[1] - p[1]) * p[0]) * sign;
                if b > 0.0 {
                    lo = lo.max(-a / b);
                } else if b < 0.0 {
                    hi = hi.min(-a / b);
                } else if a < 0.0 {
                    hi = -1.0;
                }
            }
            let (s, e) = if hi >= lo && hi >= 0.0 {
                let s = lo.max(0.0).ceil() as usize;
                let e = (hi.floor() as usize + 1).min(img.width);
                (s.min(e), e)
            } else {
                (0, 0)
            };
            if e > s {
                x0 = x0.min(s);
                x1 = x1.max(e);
                count += e - s;
            }
            spans.push((s, e));
        }
        Region {
            x0: x0.min(x1),
            y0,
            x1,
            y1,
            spans,
            count,
        }
    }

    /// The run of row `y` inside the region (empty outside).
    #[inline]
    fn span(&self, y: usize) -> (usize, usize) {
        if y < self.y0 || y >= self.y1 {
            return (0, 0);
        }
        self.spans[y - self.y0]
    }

    #[inline]
    fn has(&self, x: usize, y: usize) -> bool {
        let (s, e) = self.span(y);
        x >= s && x < e
    }
}

fn signed_area(q: &[[f32; 2]; 4]) -> f32 {
    let mut s = 0.0;
    for i in 0..4 {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        s += a[0] * b[1] - b[0] * a[1];
    }
    s / 2.0
}

/// Each corner moved towards the centroid by `f` of its distance.
fn shrink(q: &[[f32; 2]; 4], f: f32) -> [[f32; 2]; 4] {
    let cx = q.iter().map(|p| p[0]).sum::<f32>() / 4.0;
    let cy = q.iter().map(|p| p[1]).sum::<f32>() / 4.0;
    q.map(|p| [p[0] + (cx - p[0]) * f, p[1] + (cy - p[1]) * f])
}

/// No-reference blur (Crete et al. 2007) from the sums of one direction: the share of the
/// variation `df` that survives a 9-tap re-blur (`v9`: the part it takes away, times 9).
/// 0 = sharp, 1 = no detail left (also without any variation). A ratio, so a dark sharp
/// photo stays sharp.
fn blur_ratio(df: u64, v9: u64) -> f32 {
    if df == 0 {
        1.0
    } else {
        ((df as f64 - v9 as f64 / 9.0) / df as f64) as f32
    }
}

/// The diagonal blur sums of row `y > 0` (see [`measure`]): each pixel paired with its upper
/// left neighbour (direction `(1, 1)`) and its upper right one (`(-1, 1)`), both inside the
/// region, the re-blur read 4 steps ahead and 5 behind along the diagonal (rows clamped to
/// the frame; a pixel whose re-blur would leave the frame's sides is skipped).
/// Returns `[df, v]` of `(1, 1)`, then of `(-1, 1)`.
fn diagonal_sums(img: &Plane, r: &Region, y: usize) -> [u64; 4] {
    let (w, h) = (img.width, img.height);
    let d = &img.data;
    let ((s, e), (ps, pe)) = (r.span(y), r.span(y - 1));
    let row = &d[y * w..(y + 1) * w];
    let up = &d[(y - 1) * w..y * w];
    let ahead = &d[(y + 4).min(h - 1) * w..][..w];
    let behind = &d[y.saturating_sub(5) * w..][..w];
    // Sums over `row[lo..hi]` against its neighbours `u`, re-blur taps `f` (ahead), `b`.
    let sums = |lo: usize, u: &[u8], f: &[u8], b: &[u8]| {
        let (mut df, mut v) = (0u32, 0u32);
        for (((&c, &u), &f), &b) in row[lo..].iter().zip(u).zip(f).zip(b) {
            let g = c.abs_diff(u);
            df += u32::from(g);
            v += u32::from((9 * u16::from(g)).saturating_sub(u16::from(f.abs_diff(b))));
        }
        [u64::from(df), u64::from(v)]
    };
    let mut out = [0u64; 4];
    // (1, 1): x - 1 above, x + 4 ahead, x - 5 behind.
    let (lo, hi) = (s.max(ps + 1).max(5), e.min(pe + 1).min(w.saturating_sub(4)));
    if lo < hi {
        let [df, v] = sums(
            lo,
            &up[lo - 1..hi - 1],
            &ahead[lo + 4..hi + 4],
            &behind[lo - 5..],
        );
        out[0..2].copy_from_slice(&[df, v]);
    }
    // (-1, 1): x + 1 above, x - 4 ahead, x + 5 behind.
    let lo = s.max(ps.saturating_sub(1)).max(4);
    let hi = e.min(pe.saturating_sub(1)).min(w.saturating_sub(5));
    if lo < hi {
        let [df, v] = sums(
            lo,
            &up[lo + 1..hi + 1],
            &ahead[lo - 4..hi - 4],
            &behind[lo + 5..],
        );
        out[2..4].copy_from_slice(&[df, v]);
    }
    out
}

/// [`blur_ratio`] of a diagonal, or 0 without pairs (a region too thin or at the frame's
/// side has no diagonal pairs; the axes judge it alone).
fn diagonal_blur(df: u64, v9: u64) -> f32 {
    if df == 0 { 0.0 } else { blur_ratio(df, v9) }
}

/// What one pass over the region measures (see [`measure`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measures {
    /// Mean luma, 0..255.
    pub mean_luma: f32,
    /// Share of pixels at or above 250 (clipped).
    pub clipped: f32,
    /// Pixels at or above the glare level asked for (none: no glare blob to look for).
    pub bright: usize,
    /// The blur ratio (`blur_ratio`) of the worst of four directions: along x, y and both
    /// diagonals. A card moved during the exposure keeps the edges that run along the motion
    /// sharp, and on fine print the smear leaves detail that looks sharp to the axes unless
    /// the motion is along one of them; measured along the motion, it is plainly blurred.
    pub blur: f32,
}

/// Exposure, blur and a count of bright pixels in one pass over the region, in integer sums:
/// each row of the region is read once for all of them.
pub fn measure(img: &Plane, r: &Region, glare_level: u8) -> Measures {
    let (w, h) = (img.width, img.height);
    let d = &img.data;
    let (mut sum, mut clipped, mut bright) = (0u64, 0u64, 0u64);
    // Blur sums, the re-blur step times 9: v = max(9 df - |F(p + 4d) - F(p - 5d)|, 0).
    let (mut df_x, mut v_x, mut df_y, mut v_y) = (0u64, 0u64, 0u64, 0u64);
    let mut diag = [0u64; 4];
    for y in r.y0..r.y1 {
        let (s, e) = r.span(y);
        if e <= s {
            continue;
        }
        let row = &d[y * w..(y + 1) * w];
        let (mut rs, mut rc, mut rb) = (0u32, 0u32, 0u32);
        for &v in &row[s..e] {
            rs += u32::from(v);
            rc += u32::from(v >= 250);
            rb += u32::from(v >= glare_level);
        }
        sum += u64::from(rs);
        clipped += u64::from(rc);
        bright += u64::from(rb);
        // Horizontal neighbours: x and x - 1 both inside. The re-blur reads x + 4 and
        // x - 5, clamped to the row: the clamped ends one by one, the middle in bulk.
        let (lo, hi) = ((s + 1).max(5), e.min(w.saturating_sub(4)));
        let edge = |x: usize| {
            let df = row[x].abs_diff(row[x - 1]);
            let ab = row[(x + 4).min(w - 1)].abs_diff(row[x.saturating_sub(5)]);
            (
                u32::from(df),
                u32::from((9 * u16::from(df)).saturating_sub(u16::from(ab))),
            )
        };
        let (mut rdf, mut rv) = (0u32, 0u32);
        if lo < hi {
            for x in (s + 1)..lo {
                let (a, b) = edge(x);
                rdf += a;
                rv += b;
            }
            let taps = row[lo..hi]
                .iter()
                .zip(&row[lo - 1..hi - 1])
                .zip(&row[lo + 4..hi + 4])
                .zip(&row[lo - 5..hi - 5]);
            for (((&c, &p), &f), &b) in taps {
                let df = c.abs_diff(p);
                rdf += u32::from(df);
                rv += u32::from((9 * u16::from(df)).saturating_sub(u16::from(f.abs_diff(b))));
            }
            for x in hi..e {
                let (a, b) = edge(x);
                rdf += a;
                rv += b;
            }
        } else {
            for x in (s + 1)..e {
                let (a, b) = edge(x);
                rdf += a;
                rv += b;
            }
        }
        df_x += u64::from(rdf);
        v_x += u64::from(rv);
        // Vertical neighbours: (x, y) and (x, y - 1) both inside.
        if y == 0 {
            continue;
        }
        for (acc, v) in diag.iter_mut().zip(diagonal_sums(img, r, y)) {
            *acc += v;
        }
        let (ps, pe) = r.span(y - 1);
        let (s, e) = (s.max(ps), e.min(pe));
        if e <= s {
            continue;
        }
        let up = &d[(y - 1) * w + s..(y - 1) * w + e];
        let below = &d[(y + 4).min(h - 1) * w + s..][..e - s];
        let above = &d[y.saturating_sub(5) * w + s..][..e - s];
        let (mut rdf, mut rv) = (0u32, 0u32);
        for (((&c, &u), &f), &b) in row[s..e].iter().zip(up).zip(below).zip(above) {
            let df = c.abs_diff(u);
            rdf += u32::from(df);
            rv += u32::from((9 * u16::from(df)).saturating_sub(u16::from(f.abs_diff(b))));
        }
        df_y += u64::from(rdf);
        v_y += u64::from(rv);
    }
    let n = r.count.max(1) as f32;
    Measures {
        mean_luma: if r.count == 0 { 0.0 } else { sum as f32 / n },
        clipped: if r.count == 0 {
            0.0
        } else {
            clipped as f32 / n
        },
        bright: bright as usize,
        blur: blur_ratio(df_x, v_x)
            .max(blur_ratio(df_y, v_y))
            .max(diagonal_blur(diag[0], diag[1]))
            .max(diagonal_blur(diag[2], diag[3])),
    }
}

/// Mean luma and the share of pixels at or above 250 (clipped).
pub fn exposure(img: &Plane, r: &Region) -> (f32, f32) {
    let m = measure(img, r, 255);
    (m.mean_luma, m.clipped)
}

/// No-reference blur (Crete et al. 2007): the share of the image's variation that survives
/// a 9-tap re-blur. 0 = sharp, 1 = no detail left. A ratio, so it does not change with
/// contrast or exposure: a dark sharp photo stays sharp.
pub fn blur(img: &Plane, r: &Region) -> f32 {
    measure(img, r, 255).blur
}

/// A connected blob of pixels at or above `level` inside the region: its bounding box
/// `[x0, y0, x1, y1)` in analysis pixels and its pixel count.
pub fn bright_blobs(img: &Plane, r: &Region, level: u8) -> Vec<([usize; 4], usize)> {
    let bw = r.x1 - r.x0;
    let mut seen = vec![false; bw * (r.y1 - r.y0)];
    let mut blobs = Vec::new();
    let mut stack = Vec::new();
    for y in r.y0..r.y1 {
        // Only the row's run inside the region, and there only the bright pixels.
        let (s, e) = r.span(y);
        let (s, e) = (s.max(r.x0), e.min(r.x1));
        if e <= s {
            continue;
        }
        let row = &img.data[y * img.width..][s..e];
        let bright = row.iter().enumerate().filter(|p| *p.1 >= level);
        for x in bright.map(|p| p.0 + s) {
            let i = (y - r.y0) * bw + (x - r.x0);
            if seen[i] {
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
pub fn light_ratio(img: &Plane, q: &[[f32; 2]; 4]) -> f32 {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The blur ratio and exposure pixel by pixel, as first written (the reference).
    fn reference(img: &Plane, r: &Region) -> (f32, f32, f32) {
        let (w, h) = (img.width, img.height);
        let d = &img.data;
        let (mut df_x, mut v_x, mut df_y, mut v_y) = (0u64, 0u64, 0u64, 0u64);
        let (mut sum, mut clipped) = (0u64, 0u64);
        let mut diag = [0u64; 4];
        for y in r.y0..r.y1 {
            let (s, e) = r.span(y);
            for x in s..e {
                sum += u64::from(d[y * w + x]);
                clipped += u64::from(d[y * w + x] >= 250);
            }
            for x in s + 1..e {
                let df = d[y * w + x].abs_diff(d[y * w + x - 1]);
                let a = d[y * w + (x + 4).min(w - 1)];
                let b = d[y * w + x.saturating_sub(5)];
                df_x += u64::from(df);
                v_x += u64::from((9 * u16::from(df)).saturating_sub(u16::from(a.abs_diff(b))));
            }
            if y == 0 {
                continue;
            }
            let (ps, pe) = r.span(y - 1);
            // Diagonals: the neighbour above inside, the re-blur taps inside the frame's sides.
            for (k, step) in [1i64, -1].into_iter().enumerate() {
                for x in s..e {
                    let xn = x as i64 - step;
                    let (xf, xb) = (x as i64 + 4 * step, x as i64 - 5 * step);
                    if xn < ps as i64 || xn >= pe as i64 || xf.min(xb) < 0 || xf.max(xb) >= w as i64
                    {
                        continue;
                    }
                    let df = d[y * w + x].abs_diff(d[(y - 1) * w + xn as usize]);
                    let a = d[(y + 4).min(h - 1) * w + xf as usize];
                    let b = d[y.saturating_sub(5) * w + xb as usize];
                    diag[2 * k] += u64::from(df);
                    diag[2 * k + 1] +=
                        u64::from((9 * u16::from(df)).saturating_sub(u16::from(a.abs_diff(b))));
                }
            }
            for x in s.max(ps)..e.min(pe) {
                let df = d[y * w + x].abs_diff(d[(y - 1) * w + x]);
                let a = d[(y + 4).min(h - 1) * w + x];
                let b = d[y.saturating_sub(5) * w + x];
                df_y += u64::from(df);
                v_y += u64::from((9 * u16::from(df)).saturating_sub(u16::from(a.abs_diff(b))));
            }
        }
        let n = r.count.max(1) as f32;
        let diagonal = |df: u64, v: u64| if df == 0 { 0.0 } else { blur_ratio(df, v) };
        (
            blur_ratio(df_x, v_x)
                .max(blur_ratio(df_y, v_y))
                .max(diagonal(diag[0], diag[1]))
                .max(diagonal(diag[2], diag[3])),
            sum as f32 / n,
            clipped as f32 / n,
        )
    }

    #[test]
    fn one_pass_measures_match_the_reference() {
        let (w, h) = (203, 131);
        let mut x = 12_345u32;
        let data: Vec<u8> = (0..w * h)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                // Smooth ramps with noise and some clipped pixels.
                ((i % w) as u32 + (x >> 28) + if (x >> 20).is_multiple_of(17) { 255 } else { 0 })
                    .min(255) as u8
            })
            .collect();
        let img = Plane::new(w, h, data);
        let quads = [
            [[3.0, 2.0], [199.0, 9.0], [190.0, 128.0], [1.0, 120.0]],
            [[-20.0, -5.0], [230.0, 4.0], [215.0, 150.0], [-8.0, 140.0]],
            [[50.0, 50.0], [54.0, 50.0], [54.0, 53.0], [50.0, 53.0]],
        ];
        for q in quads {
            let r = Region::new(&img, Some(&q));
            let m = measure(&img, &r, 250);
            let (blur, mean, clipped) = reference(&img, &r);
            assert_eq!(
                (m.blur, m.mean_luma, m.clipped),
                (blur, mean, clipped),
                "{q:?}"
            );
        }
        let r = Region::new(&img, None);
        assert_eq!(blur(&img, &r), reference(&img, &r).0);
    }
}
