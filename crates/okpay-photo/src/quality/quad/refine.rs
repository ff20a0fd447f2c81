//! The found card's sides refined on the analysis image: along each side, the strongest
//! step across it within a few pixels of the line found at search scale, sub-pixel, then a
//! robust straight-line fit; the corners are where the refined sides cross.

use super::edges::Edges;
use super::lines::Line;
use crate::raster::Plane;

/// A search-scale line in analysis coordinates.
pub(super) fn to_analysis(e: &Edges, l: &Line) -> Line {
    let s = e.scale;
    let rho = s * l.rho + (s - 1.0) / 2.0 * (l.n[0] + l.n[1]);
    Line::new(l.theta, rho, l.votes)
}

/// The corners where the sides (lines of the search image; `true` for a frame border)
/// cross, side `i` running from corner `i` to corner `i + 1`, in analysis coordinates;
/// `None` if two neighbouring sides do not cross.
pub(super) fn corners(e: &Edges, sides: &[(Line, bool); 4]) -> Option<[[f32; 2]; 4]> {
    let (w, h) = (e.full.width as f32, e.full.height as f32);
    let coarse = sides.map(|(l, border)| {
        if !border {
            return to_analysis(e, &l);
        }
        // The analysis frame's own border.
        let vertical = l.n[0].abs() > 0.5;
        let rho = match (vertical, l.rho > 0.0) {
            (true, false) | (false, false) => 0.0,
            (true, true) => w - 1.0,
            (false, true) => h - 1.0,
        };
        Line::new(l.theta, rho, 0)
    });
    let cross = |ls: &[Line; 4]| -> Option<[[f32; 2]; 4]> {
        let mut q = [[0f32; 2]; 4];
        for (i, c) in q.iter_mut().enumerate() {
            *c = ls[(i + 3) % 4].intersect(&ls[i])?;
        }
        Some(q)
    };
    let q0 = cross(&coarse)?;
    let mut fine = coarse;
    for i in 0..4 {
        if !sides[i].1 {
            let (p, q) = (q0[i], q0[(i + 1) % 4]);
            if let Some(l) = refine_side(e.full, p, q, e.scale + 1.0) {
                fine[i] = l;
            }
        }
    }
    Some(cross(&fine).unwrap_or(q0))
}

/// The share of points just inside side `i` of `quad` (search coordinates; ends excluded)
/// whose value on the analysis image is within a small step of their median, or (light
/// changing along the side) the share of alike neighbours among every third point.
pub(super) fn inner_evenness(e: &Edges, quad: &[[f32; 2]; 4], i: usize) -> f32 {
    let (p, q) = (quad[i], quad[(i + 1) % 4]);
    let c = [
        quad.iter().map(|p| p[0]).sum::<f32>() / 4.0,
        quad.iter().map(|p| p[1]).sum::<f32>() / 4.0,
    ];
    let len = ((q[0] - p[0]).powi(2) + (q[1] - p[1]).powi(2))
        .sqrt()
        .max(1.0);
    let mut n = [(p[1] - q[1]) / len, (q[0] - p[0]) / len];
    let m = [(p[0] + q[0]) / 2.0, (p[1] + q[1]) / 2.0];
    if n[0] * (c[0] - m[0]) + n[1] * (c[1] - m[1]) < 0.0 {
        n = [-n[0], -n[1]];
    }
    let (w, h) = (e.full.width as f32, e.full.height as f32);
    let s = e.scale;
    let inset = 2.0 + 1.5 * s;
    let mut vals: Vec<f32> = (0..24)
        .filter_map(|k| {
            let t = 0.1 + 0.8 * (k as f32 + 0.5) / 24.0;
            let x = (p[0] + (q[0] - p[0]) * t) * s + (s - 1.0) / 2.0 + n[0] * inset;
            let y = (p[1] + (q[1] - p[1]) * t) * s + (s - 1.0) / 2.0 + n[1] * inset;
            (x >= 0.0 && y >= 0.0 && x <= w - 1.0 && y <= h - 1.0).then(|| sample(e.full, x, y))
        })
        .collect();
    if vals.len() < 6 {
        return 1.0;
    }
    // Light changing along the side (a shadow) keeps neighbours alike: every third point.
    let steps: Vec<f32> = vals.iter().step_by(3).copied().collect();
    let smooth = steps
        .windows(2)
        .filter(|w| (w[0] - w[1]).abs() <= 16.0)
        .count() as f32
        / (steps.len() - 1) as f32;
    let mid = vals.len() / 2;
    let (_, &mut median, _) = vals.select_nth_unstable_by(mid, f32::total_cmp);
    let alike = vals.iter().filter(|v| (*v - median).abs() <= 24.0).count() as f32;
    (alike / vals.len() as f32).max(smooth)
}

/// Bilinear sample, clamped to the image.
fn sample(img: &Plane, x: f32, y: f32) -> f32 {
    let x = x.clamp(0.0, (img.width - 1) as f32);
    let y = y.clamp(0.0, (img.height - 1) as f32);
    let (x0, y0) = (x as i32 as usize, y as i32 as usize);
    let (x1, y1) = ((x0 + 1).min(img.width - 1), (y0 + 1).min(img.height - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let at = |x: usize, y: usize| f32::from(img.data[y * img.width + x]);
    let top = at(x0, y0) * (1.0 - fx) + at(x1, y0) * fx;
    let bottom = at(x0, y1) * (1.0 - fx) + at(x1, y1) * fx;
    top * (1.0 - fy) + bottom * fy
}

/// The side from `p` to `q` refined: at points along it (ends excluded), the strongest
/// step across within `reach` pixels, of the polarity most of the points agree on; a
/// total-least-squares line through them, refitted without outliers. `None` when too few
/// points are found or the refined line strays from the side.
fn refine_side(img: &Plane, p: [f32; 2], q: [f32; 2], reach: f32) -> Option<Line> {
    let len = ((q[0] - p[0]).powi(2) + (q[1] - p[1]).powi(2)).sqrt();
    if len < 8.0 {
        return None;
    }
    let t = [(q[0] - p[0]) / len, (q[1] - p[1]) / len];
    let n = [-t[1], t[0]];
    let (w, h) = (img.width as f32, img.height as f32);
    let samples = ((len / 4.0) as usize).clamp(12, 100);
    let steps = (2.0 * reach) as i32;
    let mut found: Vec<([f32; 2], f32)> = Vec::with_capacity(samples);
    for k in 0..samples {
        let s = 0.1 + 0.8 * (k as f32 + 0.5) / samples as f32;
        let c = [p[0] + (q[0] - p[0]) * s, p[1] + (q[1] - p[1]) * s];
        if c[0] < reach + 2.0
            || c[1] < reach + 2.0
            || c[0] > w - reach - 3.0
            || c[1] > h - reach - 3.0
        {
            continue;
        }
        // The profile across the side, 0.5 px apart, averaged over 3 px along it.
        let profile: Vec<f32> = (-steps - 2..=steps + 2)
            .map(|j| {
                let o = j as f32 * 0.5;
                let (x, y) = (c[0] + n[0] * o, c[1] + n[1] * o);
                (-1..=1)
                    .map(|d| sample(img, x + t[0] * d as f32, y + t[1] * d as f32))
                    .sum::<f32>()
            })
            .collect();
        // Steps over 1 px, at offsets -reach..=reach.
        let step = |j: usize| profile[j + 2] - profile[j - 2];
        let Some((jm, g)) = (2..profile.len() - 2)
            .map(|j| (j, step(j)))
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
        else {
            continue;
        };
        // Sub-pixel: the vertex of the parabola through the neighbouring steps.
        let mut off = 0.0;
        if jm > 2 && jm + 3 < profile.len() {
            let (a, b, cc) = (step(jm - 1).abs(), g.abs(), step(jm + 1).abs());
            let den = a - 2.0 * b + cc;
            if den < 0.0 {
                off = (0.5 * (a - cc) / den).clamp(-0.5, 0.5);
            }
        }
        let o = ((jm as i32 - steps - 2) as f32 + off) * 0.5;
        found.push(([c[0] + n[0] * o, c[1] + n[1] * o], g));
    }
    // The side's polarity: the sign most of the steps have.
    let pos = found.iter().filter(|f| f.1 > 0.0).count();
    let want_pos = 2 * pos >= found.len();
    let pts: Vec<[f32; 2]> = found
        .iter()
        .filter(|f| (f.1 > 0.0) == want_pos)
        .map(|f| f.0)
        .collect();
    if pts.len() < 8 {
        return None;
    }
    let first = fit(&pts)?;
    let inliers: Vec<[f32; 2]> = pts
        .iter()
        .copied()
        .filter(|p| (p[0] * first.n[0] + p[1] * first.n[1] - first.rho).abs() <= 1.0)
        .collect();
    if inliers.len() < 8 {
        return None;
    }
    let l = fit(&inliers)?;
    // It must stay close to the side: nearly parallel, within reach at both ends.
    let off = |p: [f32; 2]| (p[0] * l.n[0] + p[1] * l.n[1] - l.rho).abs();
    let parallel = (l.n[0] * n[0] + l.n[1] * n[1]).abs();
    (parallel > 0.999 && off(p) <= reach + 1.0 && off(q) <= reach + 1.0).then_some(l)
}

/// Total-least-squares line through the points.
fn fit(pts: &[[f32; 2]]) -> Option<Line> {
    if pts.len() < 2 {
        return None;
    }
    let k = pts.len() as f64;
    let mx = pts.iter().map(|p| f64::from(p[0])).sum::<f64>() / k;
    let my = pts.iter().map(|p| f64::from(p[1])).sum::<f64>() / k;
    let (mut cxx, mut cxy, mut cyy) = (0f64, 0f64, 0f64);
    for p in pts {
        let (dx, dy) = (f64::from(p[0]) - mx, f64::from(p[1]) - my);
        cxx += dx * dx;
        cxy += dx * dy;
        cyy += dy * dy;
    }
    let dir = 0.5 * (2.0 * cxy).atan2(cxx - cyy);
    let theta = dir + std::f64::consts::FRAC_PI_2;
    let (c, s) = (theta.cos(), theta.sin());
    Some(Line::new(theta as f32, (mx * c + my * s) as f32, 0))
}
