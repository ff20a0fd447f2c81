//! Area (box) resampling of planes and interleaved RGB in integer fixed point, exact
//! halvings, and BT.601 luma (fused with the resample where it saves a full-size copy).

use super::plane::Plane;

impl Plane {
    /// Downscale by area averaging so that the long side is at most `long_side`; never
    /// upscales. Returns the image and the factor (source pixels per output pixel).
    pub fn fit_area(self, long_side: usize) -> (Plane, f32) {
        match fit_size(self.width, self.height, long_side) {
            None => (self, 1.0),
            Some((ow, oh, s)) => (self.resize_area(ow, oh), s),
        }
    }

    /// Area-average resample to exactly `ow` x `oh` (downscaling only).
    pub fn resize_area(&self, ow: usize, oh: usize) -> Plane {
        Plane::new(
            ow,
            oh,
            area_resize(&self.data, self.width, self.height, 1, ow, oh),
        )
    }
}

/// Area-average resample of `channels`-interleaved 8-bit samples from `w` x `h` to exactly
/// `ow` x `oh` (downscaling only), in integer fixed point. An exact halving takes an integer
/// 2 x 2 path.
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
    let mut out = vec![0u8; ow * oh * channels];
    resample(Rows::Samples(data, channels), w, h, ow, oh, &mut out);
    out
}

/// The output size for a long side of at most `long_side` (never upscaled) and the factor
/// (source pixels per output pixel).
pub(crate) fn fit_size(w: usize, h: usize, long_side: usize) -> Option<(usize, usize, f32)> {
    let long = w.max(h);
    if long <= long_side || long == 0 {
        return None;
    }
    let s = long as f64 / long_side as f64;
    let ow = ((w as f64 / s).round() as usize).max(1);
    let oh = ((h as f64 / s).round() as usize).max(1);
    Some((ow, oh, s as f32))
}

/// BT.601 luma of interleaved RGB (`w` x `h`) area-downscaled so that the long side is at
/// most `long_side`, in one pass without a full-size luma image. Returns the image and the
/// factor (source pixels per output pixel), as [`Plane::fit_area`] does.
pub fn luma_fit(rgb: &[u8], w: usize, h: usize, long_side: usize) -> (Plane, f32) {
    match fit_size(w, h, long_side) {
        None => (Plane::new(w, h, luma(rgb)), 1.0),
        Some((ow, oh, s)) => {
            let mut out = vec![0u8; ow * oh];
            resample(Rows::Luma(rgb), w, h, ow, oh, &mut out);
            (Plane::new(ow, oh, out), s)
        }
    }
}

/// Fixed-point scale of the resampling weights: the weights of one output sample sum to
/// exactly `1 << WEIGHT_BITS`.
const WEIGHT_BITS: u32 = 14;
/// Fractional bits kept between the vertical and the horizontal pass (values 0..=255 << 8
/// fit a u16).
const MID_BITS: u32 = 8;

/// The source samples covering each output sample of one axis, in fixed point: output `o`
/// reads `len[o]` samples from `first[o]` with the weights at `offset[o]` in `weights`.
struct Taps {
    first: Vec<usize>,
    offset: Vec<usize>,
    len: Vec<usize>,
    weights: Vec<u32>,
}

impl Taps {
    /// Area weights from `src` samples to `dst` (`dst <= src`), summing to `1 << WEIGHT_BITS`
    /// per output sample.
    fn area(src: usize, dst: usize) -> Taps {
        let mut t = Taps {
            first: Vec::with_capacity(dst),
            offset: Vec::with_capacity(dst),
            len: Vec::with_capacity(dst),
            weights: Vec::with_capacity(dst * (src / dst.max(1) + 2)),
        };
        let one = 1u32 << WEIGHT_BITS;
        for f in area_weights(src, dst) {
            let start = t.weights.len();
            t.first.push(f.first().map_or(0, |p| p.0));
            t.offset.push(start);
            t.len.push(f.len());
            t.weights.extend(
                f.iter()
                    .map(|&(_, w)| (f64::from(w) * f64::from(one)).round() as u32),
            );
            // Rounding may leave the sum a little off: the largest weight takes the rest.
            let ws = &mut t.weights[start..];
            let sum: u32 = ws.iter().sum();
            if let Some(big) = ws.iter_mut().max_by_key(|w| **w) {
                *big = (*big + one).saturating_sub(sum);
            }
        }
        t
    }

    #[inline]
    fn get(&self, o: usize) -> (usize, &[u32]) {
        let s = self.offset[o];
        (self.first[o], &self.weights[s..s + self.len[o]])
    }
}

/// Where the rows of a resample come from.
#[derive(Clone, Copy)]
enum Rows<'a> {
    /// `channels`-interleaved samples, `w * channels` per row.
    Samples(&'a [u8], usize),
    /// Interleaved RGB whose BT.601 luma is resampled (one channel out).
    Luma(&'a [u8]),
}

impl Rows<'_> {
    fn channels(self) -> usize {
        match self {
            Rows::Samples(_, c) => c,
            Rows::Luma(_) => 1,
        }
    }

    /// Row `y` (of width `w`), made in `scratch` where it must be computed.
    fn row<'s>(self, y: usize, w: usize, scratch: &'s mut Vec<u8>) -> &'s [u8]
    where
        Self: 's,
    {
        match self {
            Rows::Samples(d, c) => &d[y * w * c..(y + 1) * w * c],
            Rows::Luma(rgb) => {
                scratch.clear();
                scratch.extend(rgb[y * w * 3..(y + 1) * w * 3].chunks_exact(3).map(luma_of));
                scratch
            }
        }
    }
}

/// Area-average resample of `rows` from `w` x `h` to `ow` x `oh` into `out` (downscaling
/// only), in integer fixed point. Per output row: the source rows it covers are first summed
/// with their weights across the whole row (a pass the compiler vectorises), then that one
/// row is resampled horizontally; no intermediate image is kept.
fn resample(rows: Rows<'_>, w: usize, h: usize, ow: usize, oh: usize, out: &mut [u8]) {
    if ow > 0
        && oh > 0
        && w.is_multiple_of(ow)
        && h.is_multiple_of(oh)
        && w / ow == h / oh
        && w / ow <= 64
    {
        return box_resample(rows, w, w / ow, ow, out);
    }
    let c = rows.channels();
    let (stride, ostride) = (w * c, ow * c);
    let xt = Taps::area(w, ow);
    let yt = Taps::area(h, oh);
    let mut scratch = Vec::new();
    let mut acc = vec![0i32; stride];
    // Two pixels of zeros past the row's end, for the fixed three taps of `horizontal3`.
    let mut mid = vec![0u16; stride + 2 * c];
    let fixed = Taps3::new(&xt);
    let shift = WEIGHT_BITS - MID_BITS;
    for (o, dst) in out.chunks_exact_mut(ostride).enumerate().take(oh) {
        let (y0, wy) = yt.get(o);
        acc.fill(0);
        for (k, &wt) in wy.iter().enumerate() {
            let src = rows.row(y0 + k, w, &mut scratch);
            // A weight fits 15 bits and a sample 8: a signed 16 x 16 -> 32-bit multiply,
            // which even baseline x86-64 vector code has.
            let wt = wt.min(1 << WEIGHT_BITS) as i16;
            for (a, &v) in acc.iter_mut().zip(src) {
                *a += i32::from(i16::from(v)) * i32::from(wt);
            }
        }
        for (m, &a) in mid.iter_mut().zip(&acc) {
            *m = ((a + (1 << (shift - 1))) >> shift) as u16;
        }
        match (c, &fixed) {
            (1, Some(t)) => horizontal3::<1>(&mid, t, dst),
            (3, Some(t)) => horizontal3::<3>(&mid, t, dst),
            (1, None) => horizontal::<1>(&mid, &xt, dst),
            (3, None) => horizontal::<3>(&mid, &xt, dst),
            (4, _) => horizontal::<4>(&mid, &xt, dst),
            _ => horizontal_any(&mid, c, &xt, dst),
        }
    }
}

/// [`resample`] for a whole factor `k` (`w = k * ow`, `h = k * oh`): plain sums of k x k
/// blocks, the k rows first (u16, vectorised), then k columns. Luma is taken from the
/// block's channel sums (one rounding, not one per source pixel).
fn box_resample(rows: Rows<'_>, w: usize, k: usize, ow: usize, out: &mut [u8]) {
    let (data, c) = match rows {
        Rows::Samples(d, c) => (d, c),
        Rows::Luma(d) => (d, 3),
    };
    let stride = w * c;
    let n = (k * k) as u32;
    let mut sum = vec![0u16; stride];
    let out_c = rows.channels();
    for (o, dst) in out.chunks_exact_mut(ow * out_c).enumerate() {
        sum.fill(0);
        for src in data[o * k * stride..(o + 1) * k * stride].chunks_exact(stride) {
            for (s, &v) in sum.iter_mut().zip(src) {
                *s += u16::from(v);
            }
        }
        let block = |ox: usize, ch: usize| -> u32 {
            sum[ox * k * c..(ox + 1) * k * c]
                .iter()
                .skip(ch)
                .step_by(c)
                .map(|&v| u32::from(v))
                .sum()
        };
        match rows {
            Rows::Luma(_) => {
                for (ox, d) in dst.iter_mut().enumerate() {
                    let y = 77 * block(ox, 0) + 150 * block(ox, 1) + 29 * block(ox, 2);
                    *d = ((y + 128 * n) / (256 * n)).min(255) as u8;
                }
            }
            Rows::Samples(..) => {
                for (ox, d) in dst.chunks_exact_mut(c).enumerate() {
                    for (ch, d) in d.iter_mut().enumerate() {
                        *d = ((block(ox, ch) + n / 2) / n).min(255) as u8;
                    }
                }
            }
        }
    }
}

/// One row's horizontal pass, `C` channels, from `MID_BITS` fixed point to 8 bits.
/// Horizontal taps of at most three source pixels each (small reductions, such as the
/// preview's 1008 -> 640), padded with zero weights to exactly three: no inner loop of
/// varying length.
struct Taps3 {
    first: Vec<usize>,
    weights: Vec<[u32; 3]>,
}

impl Taps3 {
    fn new(t: &Taps) -> Option<Taps3> {
        if t.len.iter().any(|&n| n > 3) {
            return None;
        }
        let weights = (0..t.first.len())
            .map(|o| {
                let mut w = [0u32; 3];
                for (d, &s) in w.iter_mut().zip(t.get(o).1) {
                    *d = s;
                }
                w
            })
            .collect();
        Some(Taps3 {
            first: t.first.clone(),
            weights,
        })
    }
}

/// [`horizontal`] with [`Taps3`]; `mid` holds two zero pixels past the row.
fn horizontal3<const C: usize>(mid: &[u16], t: &Taps3, dst: &mut [u8]) {
    const SHIFT: u32 = WEIGHT_BITS + MID_BITS;
    let taps = t.first.iter().zip(&t.weights);
    for (d, (&x0, w)) in dst.chunks_exact_mut(C).zip(taps) {
        let Some(p) = mid.get(x0 * C..x0 * C + 3 * C) else {
            continue;
        };
        for ch in 0..C {
            let sum = (1u32 << (SHIFT - 1))
                + u32::from(p[ch]) * w[0]
                + u32::from(p[C + ch]) * w[1]
                + u32::from(p[2 * C + ch]) * w[2];
            d[ch] = (sum >> SHIFT).min(255) as u8;
        }
    }
}

fn horizontal<const C: usize>(mid: &[u16], xt: &Taps, dst: &mut [u8]) {
    const SHIFT: u32 = WEIGHT_BITS + MID_BITS;
    for (o, d) in dst.chunks_exact_mut(C).enumerate() {
        let (x0, wx) = xt.get(o);
        let mut sum = [1u32 << (SHIFT - 1); C];
        for (p, &wt) in mid[x0 * C..].chunks_exact(C).zip(wx) {
            for ch in 0..C {
                sum[ch] += u32::from(p[ch]) * wt;
            }
        }
        for ch in 0..C {
            d[ch] = (sum[ch] >> SHIFT).min(255) as u8;
        }
    }
}

fn horizontal_any(mid: &[u16], c: usize, xt: &Taps, dst: &mut [u8]) {
    const SHIFT: u32 = WEIGHT_BITS + MID_BITS;
    for (o, d) in dst.chunks_exact_mut(c).enumerate() {
        let (x0, wx) = xt.get(o);
        for (ch, d) in d.iter_mut().enumerate() {
            let sum: u32 = mid[x0 * c..]
                .chunks_exact(c)
                .zip(wx)
                .map(|(p, &wt)| u32::from(p[ch]) * wt)
                .sum();
            *d = ((sum + (1 << (SHIFT - 1))) >> SHIFT).min(255) as u8;
        }
    }
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
/// in one pass (`w` and the row count even). The two rows are first added channel by
/// channel (u16), then each pair of pixels' sums is weighted once.
pub fn luma_halved(rgb: &[u8], w: usize) -> Vec<u8> {
    let stride = w * 3;
    let ow = w / 2;
    let mut out = vec![0u8; ow * (rgb.len() / stride / 2)];
    let mut sum = vec![0u16; stride];
    for (pair, dst) in rgb.chunks_exact(2 * stride).zip(out.chunks_exact_mut(ow)) {
        let (a, b) = pair.split_at(stride);
        for ((s, &a), &b) in sum.iter_mut().zip(a).zip(b) {
            *s = u16::from(a) + u16::from(b);
        }
        for (d, p) in dst.iter_mut().zip(sum.chunks_exact(6)) {
            let r = u32::from(p[0] + p[3]);
            let g = u32::from(p[1] + p[4]);
            let b = u32::from(p[2] + p[5]);
            *d = ((77 * r + 150 * g + 29 * b + 512) >> 10) as u8;
        }
    }
    out
}

/// One pass over interleaved RGB (`w` and the row count even) for both its exact 2 x 2
/// halving (as [`area_resize`] makes it) and the halving of its luma (as [`luma_halved`]
/// makes it): the source is read once.
pub fn halve_rgb_and_luma(rgb: &[u8], w: usize) -> (Vec<u8>, Vec<u8>) {
    let stride = w * 3;
    let ow = w / 2;
    let oh = rgb.len() / stride / 2;
    let mut half = vec![0u8; ow * 3 * oh];
    let mut luma = vec![0u8; ow * oh];
    let mut sum = vec![0u16; stride];
    let rows = half.chunks_exact_mut(ow * 3).zip(luma.chunks_exact_mut(ow));
    for (pair, (dst, ldst)) in rgb.chunks_exact(2 * stride).zip(rows) {
        let (a, b) = pair.split_at(stride);
        for ((s, &a), &b) in sum.iter_mut().zip(a).zip(b) {
            *s = u16::from(a) + u16::from(b);
        }
        for ((d, l), p) in dst.chunks_exact_mut(3).zip(ldst).zip(sum.chunks_exact(6)) {
            let (r, g, b) = (p[0] + p[3], p[1] + p[4], p[2] + p[5]);
            d[0] = ((r + 2) >> 2) as u8;
            d[1] = ((g + 2) >> 2) as u8;
            d[2] = ((b + 2) >> 2) as u8;
            let y = 77 * u32::from(r) + 150 * u32::from(g) + 29 * u32::from(b);
            *l = ((y + 512) >> 10) as u8;
        }
    }
    (half, luma)
}

/// BT.601 luma of one RGB pixel, integer weights (the same everywhere in the engine).
#[inline]
fn luma_of(p: &[u8]) -> u8 {
    let y = 77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]);
    ((y + 128) >> 8) as u8
}

/// BT.601 luma (the Y of a JPEG's YCbCr) of interleaved RGB, integer weights.
pub fn luma(rgb: &[u8]) -> Vec<u8> {
    rgb.chunks_exact(3).map(luma_of).collect()
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
    use crate::testing::noise;

    #[test]
    fn area_downscale_averages_blocks() {
        let img = Plane::new(4, 2, vec![0, 100, 200, 200, 0, 100, 200, 200]);
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
    fn three_tap_rows_equal_the_general_ones() {
        for (w, ow, c) in [
            (1008, 640, 3),
            (97, 61, 1),
            (64, 63, 3),
            (10, 6, 1),
            (9, 5, 3),
        ] {
            let xt = Taps::area(w, ow);
            let Some(t3) = Taps3::new(&xt) else {
                panic!("{w} -> {ow}: more than three taps");
            };
            let mut mid: Vec<u16> = noise(w * c, (w + c) as u32)
                .into_iter()
                .map(|b| u16::from(b) << MID_BITS | u16::from(b))
                .collect();
            mid.extend(std::iter::repeat_n(0, 2 * c));
            let (mut general, mut fixed) = (vec![0u8; ow * c], vec![0u8; ow * c]);
            if c == 1 {
                horizontal::<1>(&mid, &xt, &mut general);
                horizontal3::<1>(&mid, &t3, &mut fixed);
            } else {
                horizontal::<3>(&mid, &xt, &mut general);
                horizontal3::<3>(&mid, &t3, &mut fixed);
            }
            assert_eq!(general, fixed, "{w} -> {ow} x {c}");
        }
        // A reduction by 3 or more needs more taps: the general rows.
        assert!(Taps3::new(&Taps::area(100, 30)).is_none());
    }

    #[test]
    fn fixed_point_resample_matches_exact_area_average() {
        for (w, h, c, ow, oh) in [
            (1008, 756, 3, 640, 480),
            (97, 61, 1, 40, 23),
            (120, 80, 3, 30, 20),
            (96, 48, 1, 16, 8),
            (64, 48, 4, 63, 47),
            (300, 200, 3, 7, 5),
            (250, 10, 2, 33, 3),
        ] {
            let data = noise(w * h * c, (w * 31 + c) as u32);
            let out = area_resize(&data, w, h, c, ow, oh);
            let (xw, yw) = (area_weights(w, ow), area_weights(h, oh));
            for (oy, ty) in yw.iter().enumerate() {
                for (ox, tx) in xw.iter().enumerate() {
                    for ch in 0..c {
                        let mut v = 0f64;
                        for &(y, wy) in ty {
                            for &(x, wx) in tx {
                                let s = f64::from(data[(y * w + x) * c + ch]);
                                v += s * f64::from(wy) * f64::from(wx);
                            }
                        }
                        let got = f64::from(out[(oy * ow + ox) * c + ch]);
                        assert!(
                            (got - v).abs() <= 0.75,
                            "{w}x{h}x{c} {ox},{oy}: {got} vs {v}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn luma_paths_agree() {
        let (w, h) = (130, 84);
        let rgb = noise(w * h * 3, 7);
        let (a, sa) = luma_fit(&rgb, w, h, 50);
        let (b, sb) = Plane::new(w, h, luma(&rgb)).fit_area(50);
        assert_eq!((a.width, a.height), (50, 32));
        assert_eq!((a.width, a.height, sa), (b.width, b.height, sb));
        assert_eq!(a.data, b.data);
        // A whole factor takes the block sums: within one level of luma-then-average.
        let (a, _) = luma_fit(&rgb, w, h, 65);
        let (b, _) = Plane::new(w, h, luma(&rgb)).fit_area(65);
        assert_eq!((a.width, a.height), (65, 42));
        assert!(a.data.iter().zip(&b.data).all(|(x, y)| x.abs_diff(*y) <= 1));
        let halved = luma_halved(&rgb, w);
        let (half_rgb, half_luma) = halve_rgb_and_luma(&rgb, w);
        assert_eq!(half_luma, halved);
        assert_eq!(half_rgb, area_resize(&rgb, w, h, 3, w / 2, h / 2));
        for (i, &v) in halved.iter().enumerate() {
            let (x, y) = (2 * (i % (w / 2)), 2 * (i / (w / 2)));
            let p = |x: usize, y: usize| {
                let q = &rgb[(y * w + x) * 3..];
                77 * u32::from(q[0]) + 150 * u32::from(q[1]) + 29 * u32::from(q[2])
            };
            let sum = p(x, y) + p(x + 1, y) + p(x, y + 1) + p(x + 1, y + 1);
            assert_eq!(u32::from(v), (sum + 512) >> 10);
        }
    }
}
