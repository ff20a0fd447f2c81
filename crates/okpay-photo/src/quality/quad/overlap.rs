//! How much two card quads overlap (intersection over union), exactly, by clipping one convex
//! polygon with the other. The tests score the card finder with it against the drawn truth,
//! and consecutive camera frames can be compared with it to tell a card held still.

/// A convex polygon, corners in order.
type Polygon = Vec<[f64; 2]>;

/// Intersection over union of two convex quads (either winding); 0 when both are empty.
pub fn iou(a: &[[f32; 2]; 4], b: &[[f32; 2]; 4]) -> f32 {
    ratio(&polygon(a), &polygon(b))
}

/// [`iou`] of the parts of the quads inside a `w` x `h` frame (for a card cut by the frame).
pub fn iou_in_frame(a: &[[f32; 2]; 4], b: &[[f32; 2]; 4], (w, h): (u32, u32)) -> f32 {
    let (w, h) = (f64::from(w), f64::from(h));
    let frame = vec![[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]];
    ratio(&clip(&polygon(a), &frame), &clip(&polygon(b), &frame))
}

fn polygon(q: &[[f32; 2]; 4]) -> Polygon {
    q.iter()
        .map(|p| [f64::from(p[0]), f64::from(p[1])])
        .collect()
}

fn ratio(a: &Polygon, b: &Polygon) -> f32 {
    let both = area(&clip(a, b));
    let either = area(a) + area(b) - both;
    if either <= 0.0 {
        0.0
    } else {
        (both / either).clamp(0.0, 1.0) as f32
    }
}

/// Signed shoelace area (positive when clockwise on screen, y down).
fn signed_area(p: &Polygon) -> f64 {
    (0..p.len())
        .map(|i| {
            let (a, b) = (p[i], p[(i + 1) % p.len()]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum::<f64>()
        / 2.0
}

fn area(p: &Polygon) -> f64 {
    signed_area(p).abs()
}

/// `subject` clipped by the convex polygon `by` (Sutherland–Hodgman).
fn clip(subject: &Polygon, by: &Polygon) -> Polygon {
    let winding = signed_area(by).signum();
    if winding == 0.0 {
        return Vec::new();
    }
    let side = |s: [f64; 2], e: [f64; 2], p: [f64; 2]| {
        winding * ((e[0] - s[0]) * (p[1] - s[1]) - (e[1] - s[1]) * (p[0] - s[0]))
    };
    let mut out = subject.clone();
    for i in 0..by.len() {
        let (s, e) = (by[i], by[(i + 1) % by.len()]);
        let input = std::mem::take(&mut out);
        for j in 0..input.len() {
            let (p, q) = (input[j], input[(j + 1) % input.len()]);
            let (dp, dq) = (side(s, e, p), side(s, e, q));
            if dp >= 0.0 {
                out.push(p);
            }
            if (dp >= 0.0) != (dq >= 0.0) {
                let t = dp / (dp - dq);
                out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: [[f32; 2]; 4] = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];

    fn moved(q: [[f32; 2]; 4], dx: f32, dy: f32) -> [[f32; 2]; 4] {
        q.map(|[x, y]| [x + dx, y + dy])
    }

    #[test]
    fn same_quad_is_one_disjoint_is_zero() {
        assert!((iou(&SQUARE, &SQUARE) - 1.0).abs() < 1e-6);
        assert_eq!(iou(&SQUARE, &moved(SQUARE, 20.0, 0.0)), 0.0);
    }

    #[test]
    fn half_shifted_square_is_a_third_in_either_winding() {
        let b = moved(SQUARE, 5.0, 0.0);
        let mut reversed = b;
        reversed.reverse();
        assert!((iou(&SQUARE, &b) - 1.0 / 3.0).abs() < 1e-6);
        assert!((iou(&SQUARE, &reversed) - 1.0 / 3.0).abs() < 1e-6);
    }

    #[test]
    fn a_rotated_square_inside_another() {
        // A diamond with corners on the square's edge midpoints: half its area.
        let diamond = [[5.0, 0.0], [10.0, 5.0], [5.0, 10.0], [0.0, 5.0]];
        assert!((iou(&SQUARE, &diamond) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn frame_cuts_off_what_lies_outside() {
        // Both quads agree inside the 10 x 10 frame; outside it they differ.
        let a = [[0.0, 0.0], [30.0, 0.0], [30.0, 10.0], [0.0, 10.0]];
        assert!(iou(&a, &SQUARE) < 0.5);
        assert!((iou_in_frame(&a, &SQUARE, (10, 10)) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn degenerate_quads_give_zero() {
        let line = [[0.0, 0.0], [10.0, 0.0], [10.0, 0.0], [0.0, 0.0]];
        assert_eq!(iou(&line, &line), 0.0);
    }
}
