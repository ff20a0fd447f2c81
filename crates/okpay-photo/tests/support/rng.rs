//! A small seeded generator (SplitMix64) and random card placements, so the accuracy run
//! gives the same fixtures on every machine.

pub use okpay_photo::specimen::Rng;

/// Aspect of an ID card, 85.6 / 54.
pub const CARD_ASPECT: f32 = 85.6 / 54.0;

/// A card quad (TL, TR, BR, BL) with long side `long` px, centred on `c`, turned by `angle`
/// radians, each corner moved by up to `persp` of the long side (perspective).
pub fn card_quad(rng: &mut Rng, c: [f32; 2], long: f32, angle: f32, persp: f32) -> [[f32; 2]; 4] {
    let (hw, hh) = (long / 2.0, long / CARD_ASPECT / 2.0);
    let (s, co) = angle.sin_cos();
    [[-hw, -hh], [hw, -hh], [hw, hh], [-hw, hh]].map(|[x, y]| {
        let j = [
            rng.range(-persp, persp) * long,
            rng.range(-persp, persp) * long,
        ];
        [c[0] + x * co - y * s + j[0], c[1] + x * s + y * co + j[1]]
    })
}

/// A random card quad wholly inside a `w` x `h` frame with `margin` px to spare: long side a
/// fraction `long` (lo, hi) of the frame width, turned by up to `max_angle` radians, mild
/// perspective.
pub fn placed_quad(
    rng: &mut Rng,
    (w, h): (u32, u32),
    long: (f32, f32),
    max_angle: f32,
    margin: f32,
) -> [[f32; 2]; 4] {
    let (w, h) = (w as f32, h as f32);
    let mut l = rng.range(long.0, long.1) * w;
    loop {
        let angle = rng.range(-max_angle, max_angle);
        let q = card_quad(rng, [0.0, 0.0], l, angle, 0.025);
        let x0 = q.iter().map(|p| p[0]).fold(f32::MAX, f32::min);
        let x1 = q.iter().map(|p| p[0]).fold(f32::MIN, f32::max);
        let y0 = q.iter().map(|p| p[1]).fold(f32::MAX, f32::min);
        let y1 = q.iter().map(|p| p[1]).fold(f32::MIN, f32::max);
        let (free_x, free_y) = (w - 2.0 * margin - (x1 - x0), h - 2.0 * margin - (y1 - y0));
        if free_x > 0.0 && free_y > 0.0 {
            let cx = margin - x0 + rng.range(0.0, free_x);
            let cy = margin - y0 + rng.range(0.0, free_y);
            return q.map(|p| [p[0] + cx, p[1] + cy]);
        }
        l *= 0.97;
    }
}

/// A point inside the quad at card coordinates (u, v) in 0..1 (bilinear).
pub fn on_card(q: &[[f32; 2]; 4], u: f32, v: f32) -> [f32; 2] {
    let lerp =
        |a: [f32; 2], b: [f32; 2], t: f32| [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
    lerp(lerp(q[0], q[1], u), lerp(q[3], q[2], u), v)
}
