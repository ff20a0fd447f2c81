//! The inverse DCTs of the decoder: libjpeg's reduced 2 x 2 IDCT in its own integer
//! arithmetic (the analysis planes, equal to libjpeg's 1/4 decode), and a 4 x 4 one in
//! floating point for the 1/2-scale planes of the upload, which need to look right, not to
//! match any decoder.

use super::block::Layout;

/// libjpeg's sample range limit after an IDCT: `x + 128` clamped, wrapping as its table does
/// for far-out values.
#[inline(always)]
fn range_limit(x: i64) -> u8 {
    let i = (x & 1023) as i32;
    match i {
        0..128 => (i + 128) as u8,
        128..512 => 255,
        512..896 => 0,
        _ => (i - 896) as u8,
    }
}

#[inline(always)]
fn descale(x: i64, n: u32) -> i64 {
    (x + (1 << (n - 1))) >> n
}

const FIX_0_720959822: i64 = 5906;
const FIX_0_850430095: i64 = 6967;
const FIX_1_272758580: i64 = 10426;
const FIX_3_624509785: i64 = 29692;

/// libjpeg's `jpeg_idct_2x2` over compact coefficients in `layout`: the 2 x 2 samples in
/// row-major order. libjpeg skips the products of a column or row whose AC terms are all
/// zero; with them it computes the same values (the DC's descale is exact), so here every
/// column and row is computed alike, without a branch to mispredict.
#[inline(always)]
pub(super) fn idct_2x2<const W: usize, const N: usize>(
    c: &[i32; N],
    layout: &Layout<W, N>,
) -> [u8; 4] {
    let used = layout.reduced;
    // Pass 1: columns 0, 1, 3, 5 and 7 into two rows.
    let mut ws = [[0i64; 5]; 2];
    for (col, &cat) in used.iter().enumerate() {
        let at = |r: usize| i64::from(c[used[r] * W + cat]);
        let tmp10 = at(0) << 15;
        let tmp0 = at(4) * -FIX_0_720959822
            + at(3) * FIX_0_850430095
            + at(2) * -FIX_1_272758580
            + at(1) * FIX_3_624509785;
        // libjpeg keeps the work array as int.
        ws[0][col] = i64::from(descale(tmp10 + tmp0, 13) as i32);
        ws[1][col] = i64::from(descale(tmp10 - tmp0, 13) as i32);
    }
    // Pass 2: the two rows.
    let mut out = [0u8; 4];
    for (row, w) in ws.iter().enumerate() {
        let tmp10 = w[0] << 15;
        let tmp0 = w[4] * -FIX_0_720959822
            + w[3] * FIX_0_850430095
            + w[2] * -FIX_1_272758580
            + w[1] * FIX_3_624509785;
        out[2 * row] = range_limit(descale(tmp10 + tmp0, 20));
        out[2 * row + 1] = range_limit(descale(tmp10 - tmp0, 20));
    }
    out
}

/// `cos(j pi / 16)` for `j` in `0..16`.
const COS16: [f64; 16] = [
    1.0,
    0.980_785_280_403_230_4,
    0.923_879_532_511_286_7,
    0.831_469_612_302_545_2,
    0.707_106_781_186_547_5,
    0.555_570_233_019_602_2,
    0.382_683_432_365_089_8,
    0.195_090_322_016_128_3,
    0.0,
    -0.195_090_322_016_128_3,
    -0.382_683_432_365_089_8,
    -0.555_570_233_019_602_2,
    -0.707_106_781_186_547_5,
    -0.831_469_612_302_545_2,
    -0.923_879_532_511_286_7,
    -0.980_785_280_403_230_4,
];

/// `cos(j pi / 16)` for any `j`.
const fn cos16(j: usize) -> f64 {
    let j = j % 32;
    if j < 16 { COS16[j] } else { -COS16[j - 16] }
}

/// `A[k] = C(k) cos(k pi / 16)` (`C(0)` = 1/sqrt 2, else 1): the 1-D weight of frequency `k`
/// in the mean of a pair of samples. An 8-point IDCT averaged over the pairs (2m, 2m+1) is
/// `sum_k A[k] F(k) cos((2m+1) k pi / 8) / 2`; frequency 8 - k has the same cosines as k with
/// the sign flipped, and 4 has none. So a block's 2 x 2 means are a 4 x 4 IDCT of its
/// coefficients folded onto the four lowest frequencies: `G(k) = A[k] F(k) - A[8-k] F(8-k)`.
const A: [f32; 8] = {
    let mut a = [0f32; 8];
    let mut k = 0;
    while k < 8 {
        let c = if k == 0 { COS16[4] } else { 1.0 };
        a[k] = (c * COS16[k]) as f32;
        k += 1;
    }
    a
};

/// `P[m][k] = cos((2m+1) k pi / 8) / 2`: the 4-point IDCT.
const P: [[f32; 4]; 4] = {
    let mut p = [[0f32; 4]; 4];
    let mut m = 0;
    while m < 4 {
        let mut k = 0;
        while k < 4 {
            p[m][k] = (0.5 * cos16(2 * (2 * m + 1) * k)) as f32;
            k += 1;
        }
        m += 1;
    }
    p
};

/// The frequencies of the [`super::block::HALF`] layout's rows and columns.
const HALF_FREQ: [usize; 7] = [0, 1, 2, 3, 7, 6, 5];

/// The weight of each slot of the [`super::block::HALF`] layout: `A[u] A[v]`, negative for
/// each of `u`, `v` above 4 (the sign of its fold).
const HALF_WEIGHT: [f32; 49] = {
    let mut w = [0f32; 49];
    let mut i = 0;
    while i < 49 {
        let (u, v) = (HALF_FREQ[i / 7], HALF_FREQ[i % 7]);
        let su = if u > 4 { -1.0 } else { 1.0 };
        let sv = if v > 4 { -1.0 } else { 1.0 };
        w[i] = su * sv * A[u] * A[v];
        i += 1;
    }
    w
};

/// The 4 x 4 samples (row-major) of a block at 1/2 scale, each the mean of the 2 x 2 samples
/// of the full-size block (in floating point), from coefficients in the
/// [`super::block::HALF`] layout; `end` is the zigzag position after the last one coded.
#[inline(always)]
pub(super) fn idct_half<const N: usize>(c: &[i32; N], end: usize) -> [u8; 16] {
    if end <= 1 {
        // A[0]^2 P[m][0]^2 = 1/8 for every sample.
        return [(c[0] as f32 / 8.0 + 128.5).clamp(0.0, 255.0) as u8; 16];
    }
    let mut h = [0f32; 49];
    for ((h, &c), &w) in h.iter_mut().zip(c).zip(&HALF_WEIGHT) {
        *h = c as f32 * w;
    }
    // Folded: row (and column) k + 3 onto k, for k in 1..4.
    let mut g = [[0f32; 4]; 4];
    for (u, g) in g.iter_mut().enumerate() {
        let mut r = [0f32; 7];
        r.copy_from_slice(&h[7 * u..7 * u + 7]);
        if u > 0 {
            for (r, &o) in r.iter_mut().zip(&h[7 * (u + 3)..7 * (u + 3) + 7]) {
                *r += o;
            }
        }
        g[0] = r[0];
        for v in 1..4 {
            g[v] = r[v] + r[v + 3];
        }
    }
    // Rows: t[u][n] = sum_v G[u][v] P[n][v]; then columns, level-shifted, clamped and
    // rounded: 1.5 * 2^23 added puts the nearest integer in the low bits of the float.
    const ROUND: f32 = 12_582_912.0;
    let mut t = [[0f32; 4]; 4];
    for (t, g) in t.iter_mut().zip(&g) {
        for (v, &g) in g.iter().enumerate() {
            for (n, t) in t.iter_mut().enumerate() {
                *t += g * P[n][v];
            }
        }
    }
    let mut out = [0u8; 16];
    for m in 0..4 {
        let mut row = [128f32; 4];
        for (u, t) in t.iter().enumerate() {
            for (r, &t) in row.iter_mut().zip(t) {
                *r += P[m][u] * t;
            }
        }
        for (o, r) in out[4 * m..4 * m + 4].iter_mut().zip(row) {
            *o = (r.clamp(0.0, 255.0) + ROUND).to_bits() as u8;
        }
    }
    out
}
