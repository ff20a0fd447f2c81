//! The edges the card finder works on: the analysis image halved (a large image), lightly
//! blurred, Sobel gradients thinned by non-maximum suppression and kept above an adaptive
//! threshold; plus the analysis image itself, on which the found sides are refined.

use crate::quality::chroma::Chroma;
use crate::quality::gray::Gray;

/// The floor of the edge threshold (gradient magnitude), against sensor noise.
const MIN_EDGE: f32 = 12.0;
/// Bins of whole magnitudes for the percentile of the maxima (the largest is about 1443).
const HIST_BINS: usize = 2048;
/// The search runs on the analysis image halved when its short side is at least this.
const HALVE_FROM: usize = 480;

/// Gradients of the search image, its edge points and the edge threshold.
pub struct Edges {
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
    pub(super) full: Gray,
    /// The chroma planes at the search size, when the photo has colour.
    pub(super) colour: Option<Chroma>,
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
fn halved(img: &Gray) -> Gray {
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
    Gray::new(w, h, out)
}

impl Edges {
    /// Sobel gradients of the blurred search image, non-maximum suppression, adaptive
    /// threshold.
    pub fn new(img: &Gray) -> Edges {
        Edges::with_chroma(img, None)
    }

    /// [`Edges::new`] keeping the photo's colour, when `chroma` is given at the search
    /// size (others are ignored), for the card's sides that are edges of colour alone.
    pub fn with_chroma(img: &Gray, chroma: Option<&Chroma>) -> Edges {
        let half = img.width.min(img.height) >= HALVE_FROM;
        let small = if half { halved(img) } else { img.clone() };
        let (w, h) = (small.width, small.height);
        // Sobel on the fixed-point blur: integer sums, scaled back once.
        let b = small.blur5_fixed();
        let mut gx = vec![0f32; w * h];
        let mut gy = vec![0f32; w * h];
        let mut mag = vec![0f32; w * h];
        for y in 1..h.saturating_sub(1) {
            let (up, mid, down) = (
                &b[(y - 1) * w..y * w],
                &b[y * w..(y + 1) * w],
                &b[(y + 1) * w..(y + 2) * w],
            );
            let rows = up.windows(3).zip(mid.windows(3)).zip(down.windows(3));
            let out = gx[y * w + 1..(y + 1) * w - 1]
                .iter_mut()
                .zip(&mut gy[y * w + 1..(y + 1) * w - 1])
                .zip(&mut mag[y * w + 1..(y + 1) * w - 1]);
            for (((gx, gy), m), ((u, c), d)) in out.zip(rows) {
                let [u0, u1, u2] = [u[0], u[1], u[2]].map(i32::from);
                let [c0, c2] = [c[0], c[2]].map(i32::from);
                let [d0, d1, d2] = [d[0], d[1], d[2]].map(i32::from);
                let sx = ((u2 + 2 * c2 + d2) - (u0 + 2 * c0 + d0)) as f32 * (1.0 / 256.0);
                let sy = ((d0 + 2 * d1 + d2) - (u0 + 2 * u1 + u2)) as f32 * (1.0 / 256.0);
                *gx = sx;
                *gy = sy;
                *m = (sx * sx + sy * sy).sqrt();
            }
        }
        // Non-maximum suppression along the gradient, quantised to 4 directions. Every
        // maximum counts in a histogram of whole magnitudes; only those at or above the
        // threshold's floor are kept.
        let mut hist = vec![0u32; HIST_BINS];
        let mut maxima = Vec::new();
        for y in 2..h.saturating_sub(2) {
            for x in 2..w - 2 {
                let i = y * w + x;
                let m = mag[i];
                if m < 4.0 {
                    continue;
                }
                let (ax, ay) = (gx[i].abs(), gy[i].abs());
                let (j, k) = if ax > 2.414 * ay {
                    (i - 1, i + 1)
                } else if ay > 2.414 * ax {
                    (i - w, i + w)
                } else if (gx[i] > 0.0) == (gy[i] > 0.0) {
                    (i - w - 1, i + w + 1)
                } else {
                    (i - w + 1, i + w - 1)
                };
                if m >= mag[j] && m > mag[k] {
                    hist[(m as usize).min(HIST_BINS - 1)] += 1;
                    if m >= MIN_EDGE {
                        maxima.push((x as u16, y as u16, m));
                    }
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
            full: img.clone(),
            colour: chroma
                .filter(|c| c.width() == w && c.height() == h)
                .cloned(),
        }
    }

    /// The signed gradient component along unit normal `n` at (x, y), nearest pixel; `None`
    /// outside.
    pub(super) fn across(&self, x: f32, y: f32, n: [f32; 2]) -> Option<f32> {
        // Rounded by truncation of x + 0.5, valid for x >= 0.5 (a call to `round` is slow).
        if !(x >= 0.5 && y >= 0.5) {
            return None;
        }
        let (xi, yi) = ((x + 0.5) as usize, (y + 0.5) as usize);
        if xi < 1 || yi < 1 || xi >= self.width - 1 || yi >= self.height - 1 {
            return None;
        }
        let i = yi * self.width + xi;
        Some(self.gx[i] * n[0] + self.gy[i] * n[1])
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
            let (xi, yi) = ((x + 0.5) as usize, (y + 0.5) as usize);
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
