//! Plane projective maps: the unit square onto a card's quad (Heckbert's closed form), their
//! inverse, and the changes of frame a flat card needs (a pixel grid instead of the unit
//! square, half a turn). Used to draw a card in perspective and to cut one out flat.

/// A 3 x 3 row-major matrix acting on (x, y, 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Homography(pub [f64; 9]);

impl Homography {
    /// The unit square's corners (0,0) (1,0) (1,1) (0,1) onto `q` (TL, TR, BR, BL).
    pub fn square_to_quad(q: &[[f32; 2]; 4]) -> Homography {
        let p = q.map(|p| [f64::from(p[0]), f64::from(p[1])]);
        let (x0, y0, x1, y1, x2, y2, x3, y3) = (
            p[0][0], p[0][1], p[1][0], p[1][1], p[2][0], p[2][1], p[3][0], p[3][1],
        );
        let (dx1, dx2, dx3) = (x1 - x2, x3 - x2, x0 - x1 + x2 - x3);
        let (dy1, dy2, dy3) = (y1 - y2, y3 - y2, y0 - y1 + y2 - y3);
        let den = dx1 * dy2 - dx2 * dy1;
        let (g, h) = if den == 0.0 {
            (0.0, 0.0)
        } else {
            ((dx3 * dy2 - dx2 * dy3) / den, (dx1 * dy3 - dx3 * dy1) / den)
        };
        Homography([
            x1 - x0 + g * x1,
            x3 - x0 + h * x3,
            x0,
            y1 - y0 + g * y1,
            y3 - y0 + h * y3,
            y0,
            g,
            h,
            1.0,
        ])
    }

    /// The inverse map (the adjugate over the determinant).
    pub fn inverse(&self) -> Homography {
        let [a, b, c, d, e, f, g, h, i] = self.0;
        let co = [
            e * i - f * h,
            -(d * i - f * g),
            d * h - e * g,
            -(b * i - c * h),
            a * i - c * g,
            -(a * h - b * g),
            b * f - c * e,
            -(a * f - c * d),
            a * e - b * d,
        ];
        let det = a * co[0] + b * co[1] + c * co[2];
        // adjugate = transpose of cofactors
        Homography([
            co[0] / det,
            co[3] / det,
            co[6] / det,
            co[1] / det,
            co[4] / det,
            co[7] / det,
            co[2] / det,
            co[5] / det,
            co[8] / det,
        ])
    }

    /// This map applied to (x / w, y / h): from a w x h pixel grid instead of the unit square.
    pub fn after_scale(self, w: u32, h: u32) -> Homography {
        let m = self.0;
        let (sx, sy) = (1.0 / f64::from(w), 1.0 / f64::from(h));
        Homography([
            m[0] * sx,
            m[1] * sy,
            m[2],
            m[3] * sx,
            m[4] * sy,
            m[5],
            m[6] * sx,
            m[7] * sy,
            m[8],
        ])
    }

    /// This map applied to (w - x, h - y): a w x h grid turned half a turn.
    pub fn after_half_turn(self, w: u32, h: u32) -> Homography {
        let m = self.0;
        let (w, h) = (f64::from(w), f64::from(h));
        Homography([
            -m[0],
            -m[1],
            m[0] * w + m[1] * h + m[2],
            -m[3],
            -m[4],
            m[3] * w + m[4] * h + m[5],
            -m[6],
            -m[7],
            m[6] * w + m[7] * h + m[8],
        ])
    }

    /// The image of (x, y).
    pub fn apply(&self, x: f64, y: f64) -> [f64; 2] {
        let m = &self.0;
        let d = m[6] * x + m[7] * y + m[8];
        let d = if d.abs() < 1e-12 { 1e-12 } else { d };
        [
            (m[0] * x + m[1] * y + m[2]) / d,
            (m[3] * x + m[4] * y + m[5]) / d,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_square_lands_on_the_quad_and_back() {
        let q = [[100.0, 50.0], [900.0, 80.0], [880.0, 600.0], [120.0, 560.0]];
        let m = Homography::square_to_quad(&q);
        let inv = m.inverse();
        for (k, [u, v]) in [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
            .into_iter()
            .enumerate()
        {
            let [x, y] = m.apply(u, v);
            assert!((x - f64::from(q[k][0])).abs() < 1e-9 && (y - f64::from(q[k][1])).abs() < 1e-9);
            let [u2, v2] = inv.apply(x, y);
            assert!((u2 - u).abs() < 1e-9 && (v2 - v).abs() < 1e-9);
        }
    }
}
