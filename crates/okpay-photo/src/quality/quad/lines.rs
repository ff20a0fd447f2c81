//! Straight lines of the search image: an orientation-guided Hough transform whose peaks are
//! read over a few rho bins (a long line's votes spread across neighbouring bins), at most a
//! few lines per direction (a busy background's many parallel edges must leave room for the
//! card's), each refined by a total-least-squares fit on its own edge points.

use super::edges::Edges;

/// A line `x cos t + y sin t = rho` in search coordinates.
#[derive(Debug, Clone, Copy)]
pub(super) struct Line {
    pub theta: f32,
    pub rho: f32,
    pub votes: u32,
    /// `(cos theta, sin theta)`, computed once.
    pub n: [f32; 2],
}

impl Line {
    pub fn new(theta: f32, rho: f32, votes: u32) -> Line {
        Line {
            theta,
            rho,
            votes,
            n: [theta.cos(), theta.sin()],
        }
    }

    pub fn intersect(&self, o: &Line) -> Option<[f32; 2]> {
        let [a, b] = self.n;
        let [c, d] = o.n;
        let det = a * d - b * c;
        if det.abs() < 1e-3 {
            return None;
        }
        Some([
            (self.rho * d - b * o.rho) / det,
            (a * o.rho - self.rho * c) / det,
        ])
    }

    /// |cos| of the angle between the two lines' normals.
    pub fn parallel(&self, o: &Line) -> f32 {
        (self.n[0] * o.n[0] + self.n[1] * o.n[1]).abs()
    }
}

const THETA_BINS: usize = 180;
/// Each edge point votes for its own direction +- this many degrees.
const VOTE_SPREAD: isize = 4;
/// A peak's strength is the sum of the votes over rho +- this many bins.
const RHO_WINDOW: usize = 2;
/// At most this many lines within [`SAME_DIRECTION_DEG`] of one another.
const PER_DIRECTION: usize = 9;
const SAME_DIRECTION_DEG: f32 = 4.0;

/// The strongest straight lines (at most `max_lines`), refined.
pub(super) fn lines(e: &Edges, max_lines: usize) -> Vec<Line> {
    let diag = ((e.width * e.width + e.height * e.height) as f32)
        .sqrt()
        .ceil() as usize;
    let rho_bins = 2 * diag + 1;
    // Votes fit in 16 bits: a bin counts the points of a 1 px strip across the image.
    let mut acc = vec![0u16; THETA_BINS * rho_bins];
    // Per vote slot `t0 + dt + VOTE_SPREAD` (t0 in 0..=180): the cosine, sine and
    // accumulator row of direction `t0 + dt` wrapped into 0..180, so the loop needs no wrap.
    let spread = VOTE_SPREAD as usize;
    let slots: Vec<(f32, f32, usize)> = (0..=THETA_BINS + 2 * spread)
        .map(|k| {
            let t = (k as isize - VOTE_SPREAD).rem_euclid(THETA_BINS as isize) as usize;
            let a = (t as f32).to_radians();
            (a.cos(), a.sin(), t * rho_bins)
        })
        .collect();
    let offset = diag as f32 + 0.5;
    let dirs: Vec<u8> = e
        .points
        .iter()
        .map(|&(x, y)| {
            let i = usize::from(y) * e.width + usize::from(x);
            // In 0..=180, and 180 is 0 (no division).
            let t0 = (orientation_deg(e.gx[i], e.gy[i]) + 0.5) as i32 as usize;
            if t0 >= THETA_BINS { 0 } else { t0 as u8 }
        })
        .collect();
    let by_dir = ByDirection::new(e, &dirs);
    // The points of one direction vote together, one accumulator row at a time: the row
    // stays in the nearest cache.
    let mut bins: Vec<i32> = Vec::new();
    for d in 0..THETA_BINS {
        let range = by_dir.start[d]..by_dir.start[d + 1];
        let (xs, ys) = (&by_dir.xs[range.clone()], &by_dir.ys[range]);
        for &(c, s, row) in &slots[d..=d + 2 * spread] {
            let acc_row = &mut acc[row..row + rho_bins];
            // Rounded rho plus the offset, never negative: truncation rounds. All of them
            // first (vector code), then the votes.
            bins.clear();
            bins.extend(
                xs.iter()
                    .zip(ys)
                    .map(|(&x, &y)| (x * c + y * s + offset) as i32),
            );
            for &r in &bins {
                if let Some(v) = usize::try_from(r).ok().and_then(|r| acc_row.get_mut(r)) {
                    *v = v.saturating_add(1);
                }
            }
        }
    }
    // Votes summed over a window of rho bins: a long line a fraction of a degree off its
    // bin's angle spreads its votes over a few bins.
    let mut sum = vec![0u16; THETA_BINS * rho_bins];
    for (a, s) in acc
        .chunks_exact(rho_bins)
        .zip(sum.chunks_exact_mut(rho_bins))
    {
        let mut run: u32 = a[..RHO_WINDOW].iter().map(|&v| u32::from(v)).sum();
        for r in 0..rho_bins {
            if r + RHO_WINDOW < rho_bins {
                run += u32::from(a[r + RHO_WINDOW]);
            }
            if r > RHO_WINDOW {
                run -= u32::from(a[r - RHO_WINDOW - 1]);
            }
            s[r] = u16::try_from(run).unwrap_or(u16::MAX);
        }
    }
    drop(acc);
    // Peaks: local maxima over theta +-2 (wrapping) and rho +-3.
    let min_votes = (e.width.min(e.height) / 10) as u32;
    let mut peaks = Vec::new();
    for t in 0..THETA_BINS {
        for r in 3..rho_bins - 3 {
            let v = u32::from(sum[t * rho_bins + r]);
            if v < min_votes {
                continue;
            }
            // Most candidates fall to a neighbour in their own row: test those first.
            let row = &sum[t * rho_bins..(t + 1) * rho_bins];
            if row[r - 3..r].iter().any(|&o| u32::from(o) >= v)
                || row[r + 1..=r + 3].iter().any(|&o| u32::from(o) > v)
            {
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
                    let o = u32::from(sum[tt * rho_bins + rr as usize]);
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
    // The strongest first, ties in the order found (theta, then rho); only the first
    // `4 * max_lines` are wanted.
    let order = |a: &Line, b: &Line| {
        b.votes
            .cmp(&a.votes)
            .then(a.theta.total_cmp(&b.theta))
            .then(a.rho.total_cmp(&b.rho))
    };
    let wanted = 4 * max_lines;
    if peaks.len() > wanted && wanted > 0 {
        peaks.select_nth_unstable_by(wanted - 1, order);
        peaks.truncate(wanted);
    }
    peaks.sort_unstable_by(order);
    // Refine the strongest, dropping near-duplicates of stronger lines (within 3 degrees and
    // 3 px across the frame) and keeping only the strongest few of any one direction.
    let same_dir = SAME_DIRECTION_DEG.to_radians().cos();
    let same_line = 3f32.to_radians().cos();
    let centre = [e.width as f32 / 2.0, e.height as f32 / 2.0];
    let reach = e.width.max(e.height) as f32 / 2.0;
    let mut kept: Vec<Line> = Vec::new();
    for p in peaks {
        let p = refine(e, &by_dir, p);
        let mut crowd = 0;
        let mut dup = false;
        for k in &kept {
            let dot = k.parallel(&p);
            if dot > same_line && apart(k, &p, centre, reach) < 3.0 {
                dup = true;
                break;
            }
            crowd += usize::from(dot > same_dir);
        }
        if !dup && crowd < PER_DIRECTION {
            kept.push(p);
            if kept.len() == max_lines {
                break;
            }
        }
    }
    kept
}

/// How far line `b` strays from line `a` over `a`'s stretch within `reach` of the point of
/// `a` nearest to `centre`.
fn apart(a: &Line, b: &Line, centre: [f32; 2], reach: f32) -> f32 {
    let d = a.n[0] * centre[0] + a.n[1] * centre[1] - a.rho;
    let foot = [centre[0] - d * a.n[0], centre[1] - d * a.n[1]];
    let dir = [-a.n[1], a.n[0]];
    [-reach, 0.0, reach]
        .iter()
        .map(|t| {
            let (x, y) = (foot[0] + t * dir[0], foot[1] + t * dir[1]);
            (b.n[0] * x + b.n[1] * y - b.rho).abs()
        })
        .fold(0.0, f32::max)
}

/// The direction of a gradient modulo 180 degrees, in [0, 180]: a polynomial arctangent
/// (error below 0.25 degree, well inside the bins each point votes for).
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

/// The edge points grouped by the direction of their gradient (whole degrees), so that a
/// line's refinement reads only the points whose direction is near its own.
struct ByDirection {
    /// Points of direction `d` are at `start[d]..start[d + 1]`.
    start: Vec<usize>,
    xs: Vec<f32>,
    ys: Vec<f32>,
    points: Vec<(u16, u16)>,
}

impl ByDirection {
    fn new(e: &Edges, dirs: &[u8]) -> ByDirection {
        let mut start = vec![0usize; THETA_BINS + 1];
        for &d in dirs {
            start[usize::from(d) + 1] += 1;
        }
        for d in 0..THETA_BINS {
            start[d + 1] += start[d];
        }
        let mut next = start.clone();
        let mut points = vec![(0u16, 0u16); dirs.len()];
        for (&p, &d) in e.points.iter().zip(dirs) {
            points[next[usize::from(d)]] = p;
            next[usize::from(d)] += 1;
        }
        ByDirection {
            start,
            xs: points.iter().map(|p| f32::from(p.0)).collect(),
            ys: points.iter().map(|p| f32::from(p.1)).collect(),
            points,
        }
    }

    /// Index ranges of the points within `spread` degrees of direction `deg` (wrapping).
    fn near(&self, deg: f32, spread: usize) -> [std::ops::Range<usize>; 2] {
        let n = THETA_BINS;
        let d = (deg.round() as isize).rem_euclid(n as isize) as usize;
        let (lo, hi) = (d + n - spread, d + spread + 1);
        let r = |a: usize, b: usize| self.start[a]..self.start[b];
        if lo >= n && hi <= n {
            [r(lo - n, hi), 0..0]
        } else if lo < n {
            [r(lo, n), r(0, hi)]
        } else {
            [r(lo - n, n), r(0, hi - n)]
        }
    }
}

/// Total-least-squares fit of the edge points within 2 px of `l` whose gradient agrees, then
/// refitted on those within 1 px of the fit.
fn refine(e: &Edges, by: &ByDirection, l: Line) -> Line {
    let n = l.n;
    let mut pts = Vec::new();
    for range in by.near(l.theta.to_degrees(), 14) {
        let (xs, ys) = (&by.xs[range.clone()], &by.ys[range.clone()]);
        // The distance test runs branch-free over blocks of 32 points; the few hits follow.
        for (block, (bx, by_)) in xs.chunks(32).zip(ys.chunks(32)).enumerate() {
            let mut mask = 0u32;
            for (j, (x, y)) in bx.iter().zip(by_).enumerate() {
                mask |= u32::from((x * n[0] + y * n[1] - l.rho).abs() <= 2.0) << j;
            }
            while mask != 0 {
                let k = range.start + block * 32 + mask.trailing_zeros() as usize;
                mask &= mask - 1;
                let (x, y) = by.points[k];
                let (xf, yf) = (f32::from(x), f32::from(y));
                let i = usize::from(y) * e.width + usize::from(x);
                let (gx, gy) = (e.gx[i], e.gy[i]);
                let g = (gx * gx + gy * gy).sqrt();
                if g <= 0.0 || (gx * n[0] + gy * n[1]).abs() / g < 0.97 {
                    continue;
                }
                pts.push((f64::from(xf), f64::from(yf)));
            }
        }
    }
    let Some(mut refined) = fit(&pts, l.votes) else {
        return l;
    };
    // Points of another edge within 2 px (a background line running on from the card's
    // edge) tilt the first fit: fit again on the points within 1 px of it, twice.
    for _ in 0..2 {
        let near: Vec<(f64, f64)> = pts
            .iter()
            .copied()
            .filter(|&(x, y)| {
                (x * f64::from(refined.n[0]) + y * f64::from(refined.n[1]) - f64::from(refined.rho))
                    .abs()
                    <= 1.0
            })
            .collect();
        match fit(&near, l.votes) {
            Some(again) => refined = again,
            None => break,
        }
    }
    // Keep the orientation close to the original one (the fit must not swing the line).
    if refined.parallel(&l) < 0.995 {
        l
    } else {
        refined
    }
}

/// Total-least-squares line through `pts` (at least 10 of them).
fn fit(pts: &[(f64, f64)], votes: u32) -> Option<Line> {
    if pts.len() < 10 {
        return None;
    }
    let n = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut cxx, mut cxy, mut cyy) = (0f64, 0f64, 0f64);
    for (x, y) in pts {
        let (dx, dy) = (x - mx, y - my);
        cxx += dx * dx;
        cxy += dx * dy;
        cyy += dy * dy;
    }
    // The normal is the eigenvector of the smaller eigenvalue of the scatter matrix.
    let dir = 0.5 * (2.0 * cxy).atan2(cxx - cyy); // direction of the line
    let theta = dir + std::f64::consts::FRAC_PI_2;
    let (c, s) = (theta.cos(), theta.sin());
    Some(Line::new(theta as f32, (mx * c + my * s) as f32, votes))
}
