//! The edges the card finder works on: the analysis image halved (a large image), lightly
//! blurred, Sobel gradients thinned by non-maximum suppression and kept above an adaptive
//! threshold; plus the analysis image itself, on which the found sides are refined.

use crate::raster::Plane;
use crate::raster::chroma::Chroma;

/// The floor of the edge threshold (gradient magnitude), against sensor noise.
const MIN_EDGE: f32 = 12.0;
/// Bins of whole magnitudes for the percentile of the maxima (the largest is about 1443).
const HIST_BINS: usize = 2048;
/// The search runs on the analysis image halved when its short side is at least this.
const HALVE_FROM: usize = 480;

/// Gradients of the search image, its edge points and the edge threshold.
pub struct Edges<'a> {
    /// Size of the search image.
    pub(super) width: usize,
    pub(super) height: usize,
    /// Analysis pixels per search pixel (1 or 2).
    pub(super) scale: f32,
    pub(super) gx: Vec<f32>,
    pub(super) gy: Vec<f32>,
    /// Thinned edge points above the threshold.
    pub(super) points: Vec<(u16, u16)>,
    pub(super) threshold: f32,
    /// The analysis image, for the refinement of the found sides.
    pub(super) full: &'a Plane,
    /// The chroma planes at the search size, when the photo has colour.
    pub(super) colour: Option<&'a Chroma>,
}

/// The 95th percentile (rank `n * 19 / 20` from below) of all maxima counted in `hist`,
/// exact: below [`MIN_EDGE`] any value will do (the threshold is the floor then); at or
/// above it the bin's values are among `kept`.
fn percentile_95(hist: &[u32], kept: &[(u16, u16, f32)]) -> Option<f32> {
    let n: u64 = hist.iter().map(|&c| u64::from(c)).sum();
    if n == 0 {
        return None;
    }
    let k = n * 19 / 20;
    let mut below = 0u64;
    for (bin, &c) in hist.iter().enumerate() {
        if below + u64::from(c) > k {
            if (bin as f32) < MIN_EDGE {
                return Some(bin as f32);
            }
            let mut vals: Vec<f32> = kept
                .iter()
                .map(|m| m.2)
                .filter(|&m| (m as usize).min(HIST_BINS - 1) == bin)
                .collect();
            let r = usize::try_from(k - below)
                .ok()?
                .min(vals.len().checked_sub(1)?);
            let (_, v, _) = vals.select_nth_unstable_by(r, f32::total_cmp);
            return Some(*v);
        }
        below += u64::from(c);
    }
    None
}

/// The image at half size, each pixel the rounded mean of a 2 x 2 block.
fn halved(img: &Plane) -> Plane {
    let (w, h) = (img.width / 2, img.height / 2);
    let mut out = vec![0u8; w * h];
    for (y, dst) in out.chunks_exact_mut(w).enumerate() {
        let a = &img.data[2 * y * img.width..][..2 * w];
        let b = &img.data[(2 * y + 1) * img.width..][..2 * w];
        for ((d, a), b) in dst.iter_mut().zip(a.chunks_exact(2)).zip(b.chunks_exact(2)) {
            let s = u16::from(a[0]) + u16::from(a[1]) + u16::from(b[0]) + u16::from(b[1]);
            *d = ((s + 2) >> 2) as u8;
        }
    }
    Plane::new(w, h, out)
}

impl<'a> Edges<'a> {
    /// Sobel gradients of the blurred search image, non-maximum suppression, adaptive
    /// threshold.
    pub fn new(img: &'a Plane) -> Edges<'a> {
        Edges::with_chroma(img, None)
    }

    /// [`Edges::new`] keeping the photo's colour, when `chroma` is given at the search
    /// size (others are ignored), for the card's sides that are edges of colour alone.
    pub fn with_chroma(img: &'a Plane, chroma: Option<&'a Chroma>) -> Edges<'a> {
        let half = img.width.min(img.height) >= HALVE_FROM;
        let small = if half { halved(img) } else { img.clone() };
        let (w, h) = (small.width, small.height);
        // Sobel on the fixed-point blur: integer sums, scaled back once.
        let b = small.blur5_fixed();
        let mut gx = vec![0f32; w * h];
        let mut gy = vec![0f32; w * h];
        let mut mag = vec![0f32; w * h];
        let rows = if w < 3 { 0 } else { h.saturating_sub(1) };
        for y in 1..rows {
            let n = w - 2;
            // Equal-length slices: the loop below compiles to vector code.
            let (up, mid, down) = (
                &b[(y - 1) * w..y * w],
                &b[y * w..(y + 1) * w],
                &b[(y + 1) * w..(y + 2) * w],
            );
            let (u0, u1, u2) = (&up[..n], &up[1..n + 1], &up[2..n + 2]);
            let (c0, c2) = (&mid[..n], &mid[2..n + 2]);
            let (d0, d1, d2) = (&down[..n], &down[1..n + 1], &down[2..n + 2]);
            let row = y * w + 1..y * w + 1 + n;
            let (gxr, gyr, mr) = (&mut gx[row.clone()], &mut gy[row.clone()], &mut mag[row]);
            for x in 0..n {
                let [a0, a1, a2] = [u0[x], u1[x], u2[x]].map(i32::from);
                let [m0, m2] = [c0[x], c2[x]].map(i32::from);
                let [z0, z1, z2] = [d0[x], d1[x], d2[x]].map(i32::from);
                let sx = ((a2 + 2 * m2 + z2) - (a0 + 2 * m0 + z0)) as f32 * (1.0 / 256.0);
                let sy = ((z0 + 2 * z1 + z2) - (a0 + 2 * a1 + a2)) as f32 * (1.0 / 256.0);
                gxr[x] = sx;
                gyr[x] = sy;
                mr[x] = (sx * sx + sy * sy).sqrt();
            }
        }
        // Non-maximum suppression along the gradient, quantised to 4 directions. Every
        // maximum counts in a histogram of whole magnitudes; only those at or above the
        // threshold's floor are kept.
        let mut hist = vec![0u32; HIST_BINS];
        let mut maxima = Vec::new();
        let n = w.saturating_sub(4);
        let mut flags = vec![0u8; n];
        let rows = if w < 5 { 0 } else { h.saturating_sub(2) };
        for y in 2..rows {
            // Every pixel compared with its neighbours in all four directions, the one of
            // its gradient kept: elementwise over equal-length rows, so vector code (the
            // directions of a textured background are random: branches would stall).
            let (up, mid, down) = (
                &mag[(y - 1) * w..y * w],
                &mag[y * w..(y + 1) * w],
                &mag[(y + 1) * w..(y + 2) * w],
            );
            let row = y * w + 2..y * w + 2 + n;
            let (sx, sy) = (&gx[row.clone()], &gy[row]);
            let (m, left, right) = (&mid[2..n + 2], &mid[1..n + 1], &mid[3..n + 3]);
            let (u_l, u, u_r) = (&up[1..n + 1], &up[2..n + 2], &up[3..n + 3]);
            let (d_l, d, d_r) = (&down[1..n + 1], &down[2..n + 2], &down[3..n + 3]);
            for x in 0..n {
                let v = m[x];
                let (ax, ay) = (sx[x].abs(), sy[x].abs());
                let across = ax > 2.414 * ay;
                let along = ay > 2.414 * ax;
                let same = (sx[x] > 0.0) == (sy[x] > 0.0);
                let h_max = (v >= left[x]) & (v > right[x]);
                let v_max = (v >= u[x]) & (v > d[x]);
                let d1_max = (v >= u_l[x]) & (v > d_r[x]);
                let d2_max = (v >= u_r[x]) & (v > d_l[x]);
                let diag = !across & !along;
                let is_max = (across & h_max)
                    | (along & v_max)
                    | (diag & same & d1_max)
                    | (diag & !same & d2_max);
                flags[x] = u8::from(is_max & (v >= 4.0));
            }
            for (x, _) in flags.iter().enumerate().filter(|f| *f.1 != 0) {
                let v = m[x];
                hist[(v as i32 as usize).min(HIST_BINS - 1)] += 1;
                if v >= MIN_EDGE {
                    maxima.push(((x + 2) as u16, y as u16, v));
                }
            }
        }
        // Keep edges above a small share of the strong ones (the 95th percentile of the
        // maxima), with a floor against sensor noise: low-contrast card edges (a blue band
        // on a dark table) must still vote.
        let threshold = match percentile_95(&hist, &maxima) {
            None => f32::MAX,
            Some(v) => (0.08 * v).max(MIN_EDGE),
        };
        let points: Vec<(u16, u16)> = maxima
            .into_iter()
            .filter(|m| m.2 >= threshold)
            .map(|m| (m.0, m.1))
            .collect();
        Edges {
            width: w,
            height: h,
            scale: if half { 2.0 } else { 1.0 },
            gx,
            gy,
            points,
            threshold,
            full: img,
            colour: chroma.filter(|c| c.width() == w && c.height() == h),
        }
    }

    /// The signed gradient component along unit normal `n` at (x, y), nearest pixel; `None`
    /// outside.
    pub(super) fn across(&self, x: f32, y: f32, n: [f32; 2]) -> Option<f32> {
        // Rounded by truncation of x + 0.5, valid for x >= 0.5 (a call to `round` is slow).
        if !(x >= 0.5 && y >= 0.5) {
            return None;
        }
        let (xi, yi) = ((x + 0.5) as i32 as usize, (y + 0.5) as i32 as usize);
        if xi < 1 || yi < 1 || xi >= self.width - 1 || yi >= self.height - 1 {
            return None;
        }
        let i = yi * self.width + xi;
        Some(self.gx[i] * n[0] + self.gy[i] * n[1])
    }
    /// [`Edges::across`] for a point known to be at least 1.5 px inside the frame on every
    /// side.
    pub(super) fn across_inside(&self, x: f32, y: f32, n: [f32; 2]) -> f32 {
        let i = (y + 0.5) as i32 as usize * self.width + (x + 0.5) as i32 as usize;
        match (self.gx.get(i), self.gy.get(i)) {
            (Some(gx), Some(gy)) => gx * n[0] + gy * n[1],
            _ => 0.0,
        }
    }

    /// The steps of the chroma planes (u, v) across unit normal `n` at (x, y): the value
    /// `reach` pixels ahead minus the one `reach` behind, nearest pixels; `None` outside or
    /// without colour.
    pub(super) fn colour_step(&self, x: f32, y: f32, n: [f32; 2], reach: f32) -> Option<[f32; 2]> {
        let c = self.colour.as_ref()?;
        let at = |x: f32, y: f32| -> Option<usize> {
            if !(x >= 0.0 && y >= 0.0) {
                return None;
            }
            let (xi, yi) = ((x + 0.5) as i32 as usize, (y + 0.5) as i32 as usize);
            (xi < self.width && yi < self.height).then_some(yi * self.width + xi)
        };
        let i = at(x + n[0] * reach, y + n[1] * reach)?;
        let j = at(x - n[0] * reach, y - n[1] * reach)?;
        Some([
            f32::from(c.u.data[i]) - f32::from(c.u.data[j]),
            f32::from(c.v.data[i]) - f32::from(c.v.data[j]),
        ])
    }
}
