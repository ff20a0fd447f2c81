//! Finding the card: the quadrilateral of an 85.6 x 54 mm card under mild perspective, on
//! any background. Lines from an orientation-guided Hough transform on the halved analysis
//! image (module `edges`, `lines`), candidates scored by the card's own evidence (aspect, edge
//! support of one polarity on all four sides, one colour just inside), a side grown onto a
//! colour step when the aspect is off, the winner refined (module `refine`). A corner outside
//! the frame is how a cut-off card is reported. The reasoning in full: `docs/photo-engine.md`.

mod edges;
mod lines;
mod overlap;
mod refine;

use crate::raster::Plane;
use crate::raster::chroma::Chroma;
use lines::Line;

pub use edges::Edges;
pub use overlap::{iou, iou_in_frame};

/// The card's aspect ratio, 85.6 / 54.
pub const CARD_ASPECT: f32 = 85.6 / 54.0;

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

/// Least fraction of each side that must lie on an edge of one polarity.
const MIN_SUPPORT: f32 = 0.35;
/// The support credited to a side that is the frame's border (the card runs out of the
/// frame there): enough to be found, less than a real edge.
const BORDER_SUPPORT: f32 = 0.75;

/// Spread of the aspect preference (natural log of aspect / card aspect), and the lenient
/// one for the direction in which a card cut off by the frame's border looks shorter.
const ASPECT_SIGMA: f32 = 0.1;
const CUT_ASPECT_SIGMA: f32 = 0.25;

/// Least score of a card: below it, lines of the background closing a quad by chance.
const MIN_SCORE: f32 = 0.3;

/// Least share of the points just inside a side that must have the side's common colour.
const MIN_EVENNESS: f32 = 0.45;

/// Find the card in the analysis image, if any.
pub fn find_card(img: &Plane) -> Option<Found> {
    find_card_with_chroma(img, None)
}

/// [`find_card`] with the photo's colour at the search scale, if any: edges of colour
/// alone (a blue band on brown wood) count as well as edges of light.
pub fn find_card_with_chroma(img: &Plane, chroma: Option<&Chroma>) -> Option<Found> {
    let e = Edges::with_chroma(img, chroma);
    find_card_in(&e)
}

/// The strongest refined lines as `(theta radians, rho, votes)` in analysis coordinates,
/// for diagnostics.
pub fn candidate_lines(img: &Plane) -> Vec<(f32, f32, u32)> {
    let e = Edges::new(img);
    lines::lines(&e, MAX_LINES)
        .into_iter()
        .map(|l| {
            let a = refine::to_analysis(&e, &l);
            (a.theta, a.rho, a.votes)
        })
        .collect()
}

/// Number of Hough lines the quad search combines.
const MAX_LINES: usize = 36;

/// Find the card given the edges.
pub fn find_card_in(e: &Edges) -> Option<Found> {
    let mut ls = lines::lines(e, MAX_LINES);
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
            let dot = a.n[0] * b.n[0] + a.n[1] * b.n[1];
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
    // Every crossing of two lines (`at[i][j]` is `ls[i].intersect(&ls[j])`), and which line
    // pairs cross steeply enough for adjacent sides, computed once.
    let n = ls.len();
    let at: Vec<Option<[f32; 2]>> = (0..n * n)
        .map(|k| ls[k / n].intersect(&ls[k % n]))
        .collect();
    let steep: Vec<bool> = (0..n * n)
        .map(|k| ls[k / n].parallel(&ls[k % n]) <= 50f32.to_radians().cos())
        .collect();
    for p in 0..pairs.len() {
        for q in p + 1..pairs.len() {
            // Lines of the sides p0-p1, p1-p2, p2-p3, p3-p0.
            let sides = [pairs[q].0, pairs[p].1, pairs[q].1, pairs[p].0];
            if sides.iter().filter(|&&i| is_border(i)).count() > 1 {
                continue;
            }
            let (a, b) = (pairs[p].0, pairs[p].1);
            let (c, d) = (pairs[q].0, pairs[q].1);
            if !steep[a * n + c] {
                continue;
            }
            let (Some(p0), Some(p1), Some(p2), Some(p3)) =
                (at[a * n + c], at[c * n + b], at[b * n + d], at[d * n + a])
            else {
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
            let Some((aspect, bound)) = shape_bound(&quad, sides.map(is_border), frame_area) else {
                continue;
            };
            cands.push((quad, aspect, bound, sides));
        }
    }
    cands.sort_by(|x, y| y.2.total_cmp(&x.2));
    // The best few scored, best first: the winner is picked among them once grown.
    let mut top: Vec<(Found, [usize; 4], f32)> = Vec::with_capacity(TOP + 1);
    let mut measured = std::collections::HashMap::new();
    for (quad, aspect, bound, sides) in cands {
        let best_score = top.first().map(|b| b.0.score);
        if best_score.is_some_and(|s| bound <= s) {
            break;
        }
        let mut supports = [0f32; 4];
        let mut weak = false;
        for i in 0..4 {
            supports[i] = if is_border(sides[i]) {
                BORDER_SUPPORT
            } else {
                // Candidates share sides: a side is its line cut by its two neighbours.
                let key = (sides[i], sides[(i + 3) % 4], sides[(i + 1) % 4]);
                *measured
                    .entry(key)
                    .or_insert_with(|| support(e, quad[i], quad[(i + 1) % 4]))
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
            if best_score.is_some_and(|s| mean * min.sqrt() * bound <= s) {
                weak = true;
                break;
            }
        }
        if weak {
            continue;
        }
        let min_support = supports.iter().copied().fold(f32::MAX, f32::min);
        let mean_support = supports.iter().sum::<f32>() / 4.0;
        let mut score = mean_support * min_support.sqrt() * bound;
        if best_score.is_some_and(|s| score <= s) {
            continue;
        }
        // The card's own side of each edge: one colour along the side (paper, or a band),
        // where a rectangle of background patches changes colour from patch to patch.
        let mut even = [0f32; 4];
        for i in 0..4 {
            even[i] = if is_border(sides[i]) {
                1.0
            } else {
                refine::inner_evenness(e, &quad, i)
            };
        }
        if even.iter().any(|&u| u < MIN_EVENNESS) {
            continue;
        }
        score *= even.iter().sum::<f32>() / 4.0;
        let found = Found {
            corners: quad,
            score,
            min_support,
            aspect,
        };
        // After the others of equal score, which were found first.
        let at = top.partition_point(|t| t.0.score >= score);
        if at < TOP {
            top.insert(at, (found, sides, bound));
            top.truncate(TOP);
        }
    }
    // A side on the inner edge of a band of colour moves out to the card's edge; a quad is
    // then judged by its grown shape. A band's inner outline has the wrong aspect and may
    // lose narrowly to some other quad before growing, never after.
    let mut chosen: Option<(f32, Found, SideLines)> = None;
    for (found, sides, bound) in top.into_iter().filter(|t| t.0.score >= MIN_SCORE) {
        // Growing changes the shape's bound only: at best a perfect aspect, and each side
        // moves out by at most 0.3 of its neighbours' length (the area at most 1.6^2 times).
        let most = (polygon_area(&found.corners) * 2.56).min(1.2 * frame_area) / frame_area;
        if chosen
            .as_ref()
            .is_some_and(|c| found.score / bound * most.powf(0.25) <= c.0)
        {
            continue;
        }
        let mut side_lines = sides.map(|i| (ls[i], is_border(i)));
        let mut quad = found.corners;
        for (i, (line, border)) in side_lines.iter_mut().enumerate() {
            if !*border && let Some((l, q)) = grow(e, &quad, line, i) {
                *line = l;
                quad = q;
            }
        }
        let score = if quad == found.corners {
            found.score
        } else {
            shape_bound(&quad, sides.map(is_border), frame_area)
                .map_or(found.score, |(_, grown)| found.score / bound * grown)
        };
        if chosen.as_ref().is_none_or(|c| score > c.0) {
            chosen = Some((score, found, side_lines));
        }
    }
    let (score, found, side_lines) = chosen?;
    let corners = refine::corners(e, &side_lines)?;
    Some(Found {
        corners: order(corners),
        score,
        ..found
    })
}

/// A quad's side lines, each marked when it is the frame's border.
type SideLines = [(Line, bool); 4];

/// How many of the best scored quads are grown before the winner is picked.
const TOP: usize = 4;

/// Long sides over short sides of `quad`, and the bound of its score from its shape: how
/// well that matches the card's aspect, times its area's share of the frame to the 1/4.
/// `None` when the aspect is too far off. `border` marks the sides on the frame's border.
fn shape_bound(quad: &[[f32; 2]; 4], border: [bool; 4], frame_area: f32) -> Option<(f32, f32)> {
    let side = |i: usize| dist(quad[i], quad[(i + 1) % 4]);
    let (s02, s13) = ((side(0) + side(2)) / 2.0, (side(1) + side(3)) / 2.0);
    let aspect = s02.max(s13) / s02.min(s13).max(1.0);
    let la = (aspect / CARD_ASPECT).ln();
    if la.abs() > 0.3 {
        return None;
    }
    // A card cut off by the frame shows less than its whole length across the border:
    // shorter long sides when the border is a short side, shorter short sides when it is a
    // long side. The aspect is judged leniently in that direction.
    let cut_towards = border.iter().position(|&b| b).map(|b| {
        let border_is_long = (b % 2 == 0) == (s02 >= s13);
        if border_is_long { 1.0 } else { -1.0 }
    });
    let sigma = if cut_towards.is_some_and(|d| la * d > 0.0) {
        CUT_ASPECT_SIGMA
    } else {
        ASPECT_SIGMA
    };
    let aspect_fit = (-(la * la) / (2.0 * sigma * sigma)).exp();
    Some((
        aspect,
        aspect_fit.sqrt() * (polygon_area(quad) / frame_area).powf(0.25),
    ))
}

/// Least share of a side that must lie on one colour edge for the side to move there.
const MIN_COLOUR_SUPPORT: f32 = 0.7;

/// Long sides over short sides (mean lengths) of a quad.
fn quad_aspect(quad: &[[f32; 2]; 4]) -> f32 {
    let side = |i: usize| dist(quad[i], quad[(i + 1) % 4]);
    let (s02, s13) = ((side(0) + side(2)) / 2.0, (side(1) + side(3)) / 2.0);
    s02.max(s13) / s02.min(s13).max(1.0)
}

/// Side `i` of `quad` (on line `l`) moved outwards onto a colour edge, when the card's
/// aspect fits better there: a band of colour along the card's side whose outer edge
/// differs from the background in colour only (a blue band on brown wood) leaves its inner
/// edge as the strongest line. The new line and quad, or `None`.
fn grow(e: &Edges, quad: &[[f32; 2]; 4], l: &Line, i: usize) -> Option<(Line, [[f32; 2]; 4])> {
    e.colour.as_ref()?;
    let la = |q: &[[f32; 2]; 4]| (quad_aspect(q) / CARD_ASPECT).ln().abs();
    let now = la(quad);
    if now < 0.05 {
        return None;
    }
    let (p, q) = (quad[i], quad[(i + 1) % 4]);
    let c = [
        quad.iter().map(|p| p[0]).sum::<f32>() / 4.0,
        quad.iter().map(|p| p[1]).sum::<f32>() / 4.0,
    ];
    let m = [(p[0] + q[0]) / 2.0, (p[1] + q[1]) / 2.0];
    // The line's normal, pointing away from the card.
    let out = if l.n[0] * (m[0] - c[0]) + l.n[1] * (m[1] - c[1]) >= 0.0 {
        1.0
    } else {
        -1.0
    };
    let n = [l.n[0] * out, l.n[1] * out];
    let reach = 0.3 * dist(q, quad[(i + 2) % 4]);
    let mut best: Option<(f32, f32, [[f32; 2]; 4])> = None;
    let mut d = 4.0;
    while d <= reach {
        let mut moved = *quad;
        moved[i] = [p[0] + n[0] * d, p[1] + n[1] * d];
        moved[(i + 1) % 4] = [q[0] + n[0] * d, q[1] + n[1] * d];
        if la(&moved) < now {
            let sup = colour_support(e, moved[i], moved[(i + 1) % 4]);
            if sup >= MIN_COLOUR_SUPPORT && best.is_none_or(|b| sup > b.0) {
                best = Some((sup, d, moved));
            }
        }
        d += 1.0;
    }
    let (_, d, moved) = best?;
    Some((Line::new(l.theta, l.rho + out * d, l.votes), moved))
}

/// Least step of a chroma plane across a colour edge (half of a `Cb - Cr` or `Cb + Cr`
/// step).
const MIN_COLOUR_STEP: f32 = 6.0;

/// Like [`support`], for the steps of colour across the side: the larger share of either
/// chroma plane.
fn colour_support(e: &Edges, p: [f32; 2], q: [f32; 2]) -> f32 {
    let Some((n, samples, points)) = along(p, q) else {
        return 0.0;
    };
    let mut inside = 0usize;
    let mut counts = [[0usize; 2]; 2];
    for (x, y) in points {
        if let Some(g) = e.colour_step(x, y, n, 2.0) {
            inside += 1;
            for (c, g) in counts.iter_mut().zip(g) {
                if g >= MIN_COLOUR_STEP {
                    c[0] += 1;
                } else if g <= -MIN_COLOUR_STEP {
                    c[1] += 1;
                }
            }
        }
    }
    if inside * 4 < samples {
        return 0.0;
    }
    let most = counts.iter().flatten().copied().max().unwrap_or(0);
    most as f32 / inside as f32
}

/// Fraction of sample points along the side (ends excluded, for rounded corners) that lie
/// on an edge across the side of the side's polarity (the one most of them have), among
/// those inside the frame; 0 when too little is inside or the side cannot reach
/// [`MIN_SUPPORT`].
fn support(e: &Edges, p: [f32; 2], q: [f32; 2]) -> f32 {
    let Some((n, samples, points)) = along(p, q) else {
        return 0.0;
    };
    let (mut inside, mut pos, mut neg) = (0usize, 0usize, 0usize);
    let level = 0.6 * e.threshold;
    let (w, h) = (e.width as f32, e.height as f32);
    for (x, y) in points {
        // All five points inside the frame: no checks per point.
        let clear = x >= 3.5 && y >= 3.5 && x <= w - 4.5 && y <= h - 4.5;
        // Across the side, the step of largest size within 2 px (the first of equal ones).
        let mut best: Option<f32> = None;
        for o in [-2.0f32, -1.0, 0.0, 1.0, 2.0] {
            let (px, py) = (x + n[0] * o, y + n[1] * o);
            let g = if clear {
                Some(e.across_inside(px, py, n))
            } else {
                e.across(px, py, n)
            };
            if let Some(g) = g {
                best = Some(best.map_or(g, |b: f32| if g.abs() > b.abs() { g } else { b }));
            }
        }
        if let Some(g) = best {
            inside += 1;
            if g >= level {
                pos += 1;
            } else if g <= -level {
                neg += 1;
            } else if (inside - pos - neg) as f32 > (1.0 - MIN_SUPPORT) * samples as f32 {
                // The hits can no longer reach MIN_SUPPORT: the side is weak anyway.
                return 0.0;
            }
        }
    }
    if inside * 4 < samples {
        return 0.0;
    }
    pos.max(neg) as f32 / inside as f32
}

/// The sample points along the side `p`-`q` (its ends left out, for rounded corners), their
/// number and the side's unit normal; `None` for a side too short to sample.
fn along(p: [f32; 2], q: [f32; 2]) -> Option<([f32; 2], usize, impl Iterator<Item = (f32, f32)>)> {
    let len = dist(p, q);
    if len < 2.0 {
        return None;
    }
    let t = [(q[0] - p[0]) / len, (q[1] - p[1]) / len];
    let samples = ((len / 4.0) as usize).clamp(16, 80);
    let points = (0..samples).map(move |k| {
        let s = 0.08 + 0.84 * (k as f32 + 0.5) / samples as f32;
        (p[0] + (q[0] - p[0]) * s, p[1] + (q[1] - p[1]) * s)
    });
    Some(([-t[1], t[0]], samples, points))
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
