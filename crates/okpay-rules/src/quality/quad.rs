//! Finding the card: the quadrilateral of an 85.6 x 54 mm card (aspect ~1.586) under mild
//! perspective, on any background.
//!
//! Edges (Sobel on a lightly blurred image, thinned by non-maximum suppression) vote in an
//! orientation-guided Hough transform; the strongest lines are refined by a least-squares
//! fit on their own edge points. Every pair of near-parallel line pairs crossing at a
//! plausible angle is a candidate; a candidate is scored by how well its side lengths match
//! the card's aspect and by the edge support along *all four* sides, weighted towards the
//! larger quad. A coloured band inside the card makes a strong inner line, but the quad it
//! closes has the wrong aspect (and less area), so the outer card edge wins. Corners may lie
//! outside the frame, and one side may be the frame's border (weakly credited): that is how
//! a cut-off card is reported.

use super::gray::Gray;

/// The card's aspect ratio, 85.6 / 54.
pub const CARD_ASPECT: f32 = 85.6 / 54.0;

/// A line `x cos t + y sin t = rho` in analysis coordinates.
#[derive(Debug, Clone, Copy)]
struct Line {
    theta: f32,
    rho: f32,
    votes: u32,
    /// `(cos theta, sin theta)`, computed once.
    n: [f32; 2],
}

impl Line {
    fn new(theta: f32, rho: f32, votes: u32) -> Line {
        Line {
            theta,
            rho,
            votes,
            n: [theta.cos(), theta.sin()],
        }
    }

    fn normal(&self) -> [f32; 2] {
        self.n
    }

    fn intersect(&self, o: &Line) -> Option<[f32; 2]> {
        let [a, b] = self.normal();
        let [c, d] = o.normal();
        let det = a * d - b * c;
        if det.abs() < 1e-3 {
            return None;
        }
        Some([
            (self.rho * d - b * o.rho) / det,
            (a * o.rho - self.rho * c) / det,
        ])
    }
}

/// The floor of the edge threshold (gradient magnitude), against sensor noise.
const MIN_EDGE: f32 = 12.0;
/// Bins of whole magnitudes for the percentile of the maxima (the largest is about 1443).
const HIST_BINS: usize = 2048;

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

/// Gradients of the analysis image and the edge threshold.
pub struct Edges {
    width: usize,
    height: usize,
    gx: Vec<f32>,
    gy: Vec<f32>,
    /// Thinned edge points above the threshold, and their coordinates as f32.
    points: Vec<(u16, u16)>,
    xs: Vec<f32>,
    ys: Vec<f32>,
    threshold: f32,
}

impl Edges {
    /// Sobel gradients of the blurred image, non-maximum suppression, adaptive threshold.
    pub fn new(img: &Gray) -> Edges {
        let (w, h) = (img.width, img.height);
        // Sobel on the fixed-point blur: integer sums, scaled back once.
        let b = img.blur5_fixed();
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
            gx,
            gy,
            xs: points.iter().map(|p| f32::from(p.0)).collect(),
            ys: points.iter().map(|p| f32::from(p.1)).collect(),
            points,
            threshold,
        }
    }

    /// Gradient component along unit normal `n` at (x, y), nearest pixel; 0 outside.
    fn across(&self, x: f32, y: f32, n: [f32; 2]) -> Option<f32> {
        // Rounded by truncation of x + 0.5, valid for x >= 0.5 (a call to `round` is slow).
        if !(x >= 0.5 && y >= 0.5) {
            return None;
        }
        let (xi, yi) = ((x + 0.5) as usize, (y + 0.5) as usize);
        if xi < 1 || yi < 1 || xi >= self.width - 1 || yi >= self.height - 1 {
            return None;
        }
        let i = yi * self.width + xi;
        Some((self.gx[i] * n[0] + self.gy[i] * n[1]).abs())
    }
}

const THETA_BINS: usize = 180;

/// The strongest straight lines, refined.
fn lines(e: &Edges, max_lines: usize) -> Vec<Line> {
    let diag = ((e.width * e.width + e.height * e.height) as f32)
        .sqrt()
        .ceil() as usize;
    let rho_bins = 2 * diag + 1;
    let mut acc = vec![0u32; THETA_BINS * rho_bins];
    let trig: Vec<(f32, f32)> = (0..THETA_BINS)
        .map(|t| {
            let a = (t as f32).to_radians();
            (a.cos(), a.sin())
        })
        .collect();
    let offset = diag as f32 + 0.5;
    for &(x, y) in &e.points {
        let i = usize::from(y) * e.width + usize::from(x);
        let t0 = (orientation_deg(e.gx[i], e.gy[i]) + 0.5) as isize;
        let (xf, yf) = (f32::from(x), f32::from(y));
        for dt in -3..=3 {
            let t = t0 + dt;
            let t = if t < 0 {
                t + THETA_BINS as isize
            } else if t >= THETA_BINS as isize {
                t - THETA_BINS as isize
            } else {
                t
            } as usize;
            let (c, s) = trig[t];
            // Rounded rho plus the offset, never negative: truncation rounds.
            let r = (xf * c + yf * s + offset) as usize;
            acc[t * rho_bins + r] += 1;
        }
    }
    // Peaks: local maxima over theta +-2 (wrapping) and rho +-3.
    let min_votes = (e.width.min(e.height) / 12) as u32;
    let mut peaks = Vec::new();
    for t in 0..THETA_BINS {
        for r in 3..rho_bins - 3 {
            let v = acc[t * rho_bins + r];
            if v < min_votes {
                continue;
            }
            let mut is_max = true;
            'n: for dt in -2isize..=2 {
                let tt = t as isize + dt;
                // Wrapping theta flips the sign of rho.
                let (tt, rr0) = if tt < 0 {
                    ((tt + THETA_BINS as isize) as usize, rho_bins - 1 - r)
                } else if tt >= THETA_BINS as isize {
                    ((tt - THETA_BINS as isize) as usize, rho_bins - 1 - r)
                } else {
                    (tt as usize, r)
                };
                for dr in -3isize..=3 {
                    if dt == 0 && dr == 0 {
                        continue;
                    }
                    let rr = rr0 as isize + dr;
                    if rr < 0 || rr >= rho_bins as isize {
                        continue;
                    }
                    let o = acc[tt * rho_bins + rr as usize];
                    if o > v || (o == v && (dt, dr) < (0, 0)) {
                        is_max = false;
                        break 'n;
                    }
                }
            }
            if is_max {
                peaks.push(Line::new(
                    (t as f32).to_radians(),
                    r as f32 - diag as f32,
                    v,
                ));
            }
        }
    }
    peaks.sort_by_key(|l| std::cmp::Reverse(l.votes));
    // Drop near-duplicates of stronger lines (within 3 degrees and 6 px).
    let mut kept: Vec<Line> = Vec::new();
    for p in peaks {
        let dup = kept.iter().any(|k| {
            let dot = k.normal()[0] * p.normal()[0] + k.normal()[1] * p.normal()[1];
            let rho = if dot < 0.0 { -p.rho } else { p.rho };
            dot.abs() > 3f32.to_radians().cos() && (k.rho - rho).abs() < 6.0
        });
        if !dup {
            kept.push(p);
            if kept.len() == max_lines {
                break;
            }
        }
    }
    let peaks = kept;
    peaks.into_iter().map(|l| refine(e, l)).collect()
}

/// The direction of a gradient modulo 180 degrees, in [0, 180]: a polynomial arctangent
/// (error below 0.25 degree, well inside the +-3 bins each point votes for).
fn orientation_deg(gx: f32, gy: f32) -> f32 {
    let (ax, ay) = (gx.abs(), gy.abs());
    let (lo, hi) = if ax < ay { (ax, ay) } else { (ay, ax) };
    if hi <= 0.0 {
        return 0.0;
    }
    let z = lo / hi;
    // atan(z) on [0, 1], in degrees.
    let mut a = z * (45.0 + 15.64 * (1.0 - z));
    if ay > ax {
        a = 90.0 - a;
    }
    if (gx < 0.0) != (gy < 0.0) && a > 0.0 {
        a = 180.0 - a;
    }
    a
}

/// Total-least-squares fit of the edge points within 2 px of `l` whose gradient agrees.
fn refine(e: &Edges, l: Line) -> Line {
    let n = l.normal();
    let (mut sw, mut sx, mut sy) = (0f64, 0f64, 0f64);
    let mut pts = Vec::new();
    // The distance test runs branch-free over blocks of 32 points; the few hits follow.
    for (block, (bx, by)) in e.xs.chunks(32).zip(e.ys.chunks(32)).enumerate() {
        let mut mask = 0u32;
        for (j, (x, y)) in bx.iter().zip(by).enumerate() {
            mask |= u32::from((x * n[0] + y * n[1] - l.rho).abs() <= 2.0) << j;
        }
        while mask != 0 {
            let k = block * 32 + mask.trailing_zeros() as usize;
            mask &= mask - 1;
            let (x, y) = e.points[k];
            let (xf, yf) = (f32::from(x), f32::from(y));
            let i = usize::from(y) * e.width + usize::from(x);
            let (gx, gy) = (e.gx[i], e.gy[i]);
            let g = (gx * gx + gy * gy).sqrt();
            if g <= 0.0 || (gx * n[0] + gy * n[1]).abs() / g < 0.97 {
                continue;
            }
            pts.push((f64::from(xf), f64::from(yf)));
            sw += 1.0;
            sx += f64::from(xf);
            sy += f64::from(yf);
        }
    }
    if pts.len() < 10 {
        return l;
    }
    let (mx, my) = (sx / sw, sy / sw);
    let (mut cxx, mut cxy, mut cyy) = (0f64, 0f64, 0f64);
    for (x, y) in &pts {
        let (dx, dy) = (x - mx, y - my);
        cxx += dx * dx;
        cxy += dx * dy;
        cyy += dy * dy;
    }
    // The normal is the eigenvector of the smaller eigenvalue of the scatter matrix.
    let dir = 0.5 * (2.0 * cxy).atan2(cxx - cyy); // direction of the line
    let theta = dir + std::f64::consts::FRAC_PI_2;
    let (c, s) = (theta.cos(), theta.sin());
    let refined = Line::new(theta as f32, (mx * c + my * s) as f32, l.votes);
    // Keep the orientation close to the original one (the fit must not swing the line).
    let dot = refined.normal()[0] * n[0] + refined.normal()[1] * n[1];
    if dot.abs() < 0.995 { l } else { refined }
}

/// A found card: corners TL, TR, BR, BL in analysis coordinates, and its score.
#[derive(Debug, Clone, Copy)]
pub struct Found {
    pub corners: [[f32; 2]; 4],
    pub score: f32,
    /// The smallest fraction of edge support over the four sides.
    pub min_support: f32,
    /// Long sides over short sides (mean lengths).
    pub aspect: f32,
}

/// A quad before its edge support is measured: corners, aspect, score bound, side lines.
type Candidate = ([[f32; 2]; 4], f32, f32, [usize; 4]);

/// Least fraction of each side that must lie on an edge.
const MIN_SUPPORT: f32 = 0.35;
/// The support credited to a side that is the frame's border (the card runs out of the
/// frame there): enough to be found, less than a real edge.
const BORDER_SUPPORT: f32 = 0.5;

/// Find the card in the analysis image, if any.
pub fn find_card(img: &Gray) -> Option<Found> {
    let e = Edges::new(img);
    find_card_in(&e)
}

/// The strongest refined lines as `(theta radians, rho, votes)`, for diagnostics.
pub fn candidate_lines(img: &Gray) -> Vec<(f32, f32, u32)> {
    let e = Edges::new(img);
    lines(&e, MAX_LINES)
        .into_iter()
        .map(|l| (l.theta, l.rho, l.votes))
        .collect()
}

/// Number of Hough lines the quad search combines.
const MAX_LINES: usize = 36;

/// Find the card given the edges.
pub fn find_card_in(e: &Edges) -> Option<Found> {
    let mut ls = lines(e, MAX_LINES);
    let (w, h) = (e.width as f32, e.height as f32);
    // The frame's own borders stand in for a side of a card cut off by the frame.
    let first_border = ls.len();
    for (theta, rho) in [(0.0, 0.0), (0.0, w - 1.0), (90.0, 0.0), (90.0, h - 1.0)] {
        ls.push(Line::new(f32::to_radians(theta), rho, 0));
    }
    let is_border = |i: usize| i >= first_border;
    let min_side = 0.08 * w.min(h);
    // Near-parallel pairs, far enough apart.
    let mut pairs = Vec::new();
    for i in 0..ls.len() {
        for j in i + 1..ls.len() {
            let (a, b) = (&ls[i], &ls[j]);
            let dot = a.normal()[0] * b.normal()[0] + a.normal()[1] * b.normal()[1];
            if dot.abs() < 20f32.to_radians().cos() {
                continue;
            }
            let rb = if dot < 0.0 { -b.rho } else { b.rho };
            if (a.rho - rb).abs() < min_side {
                continue;
            }
            pairs.push((i, j));
        }
    }
    let frame_area = w * h;
    // Geometry first (cheap), with an upper bound on the score; edge support (costly) only
    // for the candidates that could still win, best bound first.
    let mut cands: Vec<Candidate> = Vec::new();
    for p in 0..pairs.len() {
        for q in p + 1..pairs.len() {
            // Lines of the sides p0-p1, p1-p2, p2-p3, p3-p0.
            let sides = [pairs[q].0, pairs[p].1, pairs[q].1, pairs[p].0];
            if sides.iter().filter(|&&i| is_border(i)).count() > 1 {
                continue;
            }
            let (a, b) = (&ls[pairs[p].0], &ls[pairs[p].1]);
            let (c, d) = (&ls[pairs[q].0], &ls[pairs[q].1]);
            let dot = a.normal()[0] * c.normal()[0] + a.normal()[1] * c.normal()[1];
            if dot.abs() > 50f32.to_radians().cos() {
                continue;
            }
            let (Some(p0), Some(p1), Some(p2), Some(p3)) = (
                a.intersect(c),
                c.intersect(b),
                b.intersect(d),
                d.intersect(a),
            ) else {
                continue;
            };
            let quad = [p0, p1, p2, p3];
            if !convex(&quad) {
                continue;
            }
            let area = polygon_area(&quad);
            if area < 0.03 * frame_area || area > 1.2 * frame_area {
                continue;
            }
            // Corners may lie outside the frame, but not far.
            if quad
                .iter()
                .any(|p| p[0] < -0.25 * w || p[0] > 1.25 * w || p[1] < -0.25 * h || p[1] > 1.25 * h)
            {
                continue;
            }
            let side = |i: usize| dist(quad[i], quad[(i + 1) % 4]);
            let (s02, s13) = ((side(0) + side(2)) / 2.0, (side(1) + side(3)) / 2.0);
            let aspect = s02.max(s13) / s02.min(s13).max(1.0);
            let la = (aspect / CARD_ASPECT).ln();
            if la.abs() > 0.3 {
                continue;
            }
            let aspect_fit = (-(la * la) / (2.0 * 0.1 * 0.1)).exp();
            let bound = aspect_fit.sqrt() * (area / frame_area).powf(0.25);
            cands.push((quad, aspect, bound, sides));
        }
    }
    cands.sort_by(|x, y| y.2.total_cmp(&x.2));
    let mut best: Option<Found> = None;
    for (quad, aspect, bound, sides) in cands {
        if best.is_some_and(|b| bound <= b.score) {
            break;
        }
        let mut supports = [0f32; 4];
        let mut weak = false;
        for i in 0..4 {
            supports[i] = if is_border(sides[i]) {
                BORDER_SUPPORT
            } else {
                support(e, quad[i], quad[(i + 1) % 4])
            };
            if supports[i] < MIN_SUPPORT {
                weak = true;
                break;
            }
            // The best score still possible (the unmeasured sides at full support) must beat
            // the best so far.
            let known = &supports[..=i];
            let min = known.iter().copied().fold(1.0f32, f32::min);
            let mean = (known.iter().sum::<f32>() + (3 - i) as f32) / 4.0;
            if best.is_some_and(|b| mean * min.sqrt() * bound <= b.score) {
                weak = true;
                break;
            }
        }
        if weak {
            continue;
        }
        let min_support = supports.iter().copied().fold(f32::MAX, f32::min);
        let mean_support = supports.iter().sum::<f32>() / 4.0;
        let score = mean_support * min_support.sqrt() * bound;
        if best.is_none_or(|b| score > b.score) {
            best = Some(Found {
                corners: order(quad),
                score,
                min_support,
                aspect,
            });
        }
    }
    best
}

/// Fraction of sample points along the side (ends excluded, for rounded corners) that lie
/// on an edge across the side, among those inside the frame; 0 when too little is inside.
fn support(e: &Edges, p: [f32; 2], q: [f32; 2]) -> f32 {
    let len = dist(p, q);
    if len < 2.0 {
        return 0.0;
    }
    let t = [(q[0] - p[0]) / len, (q[1] - p[1]) / len];
    let n = [-t[1], t[0]];
    let samples = ((len / 3.0) as usize).clamp(16, 120);
    let (mut inside, mut hits) = (0usize, 0usize);
    for k in 0..samples {
        let s = 0.08 + 0.84 * (k as f32 + 0.5) / samples as f32;
        let (x, y) = (p[0] + (q[0] - p[0]) * s, p[1] + (q[1] - p[1]) * s);
        let mut best: Option<f32> = None;
        for o in [-2.0f32, -1.0, 0.0, 1.0, 2.0] {
            if let Some(g) = e.across(x + n[0] * o, y + n[1] * o, n) {
                best = Some(best.map_or(g, |b| b.max(g)));
            }
        }
        if let Some(g) = best {
            inside += 1;
            if g >= 0.6 * e.threshold {
                hits += 1;
            } else if (inside - hits) as f32 > (1.0 - MIN_SUPPORT) * samples as f32 {
                // hits / inside can no longer reach MIN_SUPPORT: the side is weak anyway.
                return 0.0;
            }
        }
    }
    if inside * 4 < samples {
        return 0.0;
    }
    hits as f32 / inside as f32
}

fn dist(a: [f32; 2], b: [f32; 2]) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

/// Shoelace area (absolute).
pub fn polygon_area(q: &[[f32; 2]; 4]) -> f32 {
    let mut s = 0.0;
    for i in 0..4 {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        s += a[0] * b[1] - b[0] * a[1];
    }
    s.abs() / 2.0
}

fn convex(q: &[[f32; 2]; 4]) -> bool {
    let mut sign = 0.0f32;
    for i in 0..4 {
        let (a, b, c) = (q[i], q[(i + 1) % 4], q[(i + 2) % 4]);
        let cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
        if cross.abs() < 1e-3 || (sign != 0.0 && cross.signum() != sign) {
            return false;
        }
        sign = cross.signum();
    }
    true
}

/// Corners in the order top-left, top-right, bottom-right, bottom-left (clockwise on
/// screen, starting at the corner nearest the image's top-left).
pub fn order(q: [[f32; 2]; 4]) -> [[f32; 2]; 4] {
    let cx = q.iter().map(|p| p[0]).sum::<f32>() / 4.0;
    let cy = q.iter().map(|p| p[1]).sum::<f32>() / 4.0;
    let mut v = q;
    // Clockwise on screen (y down) = increasing atan2(dy, dx).
    v.sort_by(|a, b| {
        (a[1] - cy)
            .atan2(a[0] - cx)
            .total_cmp(&(b[1] - cy).atan2(b[0] - cx))
    });
    let start = (0..4)
        .min_by(|&i, &j| (v[i][0] + v[i][1]).total_cmp(&(v[j][0] + v[j][1])))
        .unwrap_or(0);
    [
        v[start],
        v[(start + 1) % 4],
        v[(start + 2) % 4],
        v[(start + 3) % 4],
    ]
}

/// Is `p` inside the convex quad `q` (either winding)?
pub fn inside(q: &[[f32; 2]; 4], p: [f32; 2]) -> bool {
    let mut sign = 0.0f32;
    for i in 0..4 {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        let cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
        if cross != 0.0 {
            if sign != 0.0 && cross.signum() != sign {
                return false;
            }
            sign = cross.signum();
        }
    }
    true
}
