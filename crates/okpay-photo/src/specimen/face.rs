//! The two faces of a specimen card, as colour at a point given in millimetres on the card
//! (85.6 x 54, the size of a resident ID card).

/// Deterministic noise in [0, 1] at a pixel.
pub(super) fn hash(x: u32, y: u32) -> f32 {
    let mut h = x.wrapping_mul(0x9E37_79B1) ^ y.wrapping_mul(0x85EB_CA77);
    h ^= h >> 15;
    h = h.wrapping_mul(0x2C1B_3C6D);
    h ^= h >> 12;
    (h & 0xFFFF) as f32 / 65535.0
}

/// Emblem-side colour at card coordinates in millimetres (85.6 x 54): the national emblem
/// top left, two large title lines beside it, the issuing authority and validity lines below.
pub(super) fn emblem(mx: f32, my: f32, variant: u32) -> [f32; 3] {
    let paper = [232.0, 230.0, 218.0];
    let ink = [52.0, 52.0, 58.0];
    let (dx, dy) = (mx - 14.0, my - 14.0);
    let r2 = dx * dx + dy * dy;
    if r2 < 9.0 * 9.0 {
        // Red disc with a gold ring and star.
        if (6.0 * 6.0..7.2 * 7.2).contains(&r2) || r2 < 2.2 * 2.2 {
            return [222.0, 176.0, 40.0];
        }
        return [196.0, 36.0, 40.0];
    }
    let titles = [(9.0, 14.0, 30.0, 80.0), (19.0, 26.0, 34.0, 76.0)];
    for (y0, y1, x0, x1) in titles {
        if (y0..y1).contains(&my) && (x0..x1).contains(&mx) && ((mx * 0.9) as i32) % 4 != 3 {
            return ink;
        }
    }
    if variant_line(mx, my, variant, 49.5, 12.0) {
        return ink;
    }
    for y0 in [37.0, 44.0] {
        if (y0..y0 + 2.4).contains(&my) && (12.0..72.0).contains(&mx) {
            let gap = ((mx * 1.1) as i32 % 6 == 0) || ((18.0..22.0).contains(&mx));
            if !gap {
                return ink;
            }
        }
    }
    paper
}

/// Portrait-side colour at card coordinates in millimetres (85.6 x 54): the blue header band,
/// five field lines, the portrait box, the number line.
pub(super) fn portrait(mx: f32, my: f32, variant: u32) -> [f32; 3] {
    let paper = [236.0, 233.0, 226.0];
    let ink = [52.0, 52.0, 58.0];
    if my < 11.0 {
        // Header band, with a lighter title inside.
        if (30.0..56.0).contains(&mx) && (4.0..7.5).contains(&my) && ((mx * 2.0) as i32) % 3 != 0 {
            return [220.0, 228.0, 240.0];
        }
        return [28.0, 78.0, 168.0];
    }
    if (58.0..80.0).contains(&mx) && (15.0..45.0).contains(&my) {
        let (dx, dy) = ((mx - 69.0) / 7.0, (my - 27.0) / 9.0);
        if dx * dx + dy * dy < 1.0
            || ((my > 36.0) && ((mx - 69.0) / 10.0).powi(2) + ((my - 46.0) / 10.0).powi(2) < 1.0)
        {
            return [90.0, 86.0, 84.0];
        }
        return [196.0, 198.0, 204.0];
    }
    for row in 0..5 {
        let y0 = 15.0 + row as f32 * 5.5;
        if (y0..y0 + 2.2).contains(&my) && (7.0..(50.0 - row as f32 * 4.0)).contains(&mx) {
            let gap = ((mx * 1.3) as i32 % 5 == 0) || ((mx * 4.0) as i32 % 7 == 0);
            if !gap {
                return ink;
            }
        }
    }
    if variant_line(mx, my, variant, 41.8, 7.0) {
        return ink;
    }
    if (47.5..50.5).contains(&my) && (6.0..80.0).contains(&mx) && ((mx * 1.6) as i32) % 2 == 0 {
        return ink;
    }
    paper
}

/// A printed line whose length tells retakes apart: none for variant 0, then 9 mm longer per
/// step (up to three steps), starting at `x0` mm, 1.8 mm high from `y0`.
fn variant_line(mx: f32, my: f32, variant: u32, y0: f32, x0: f32) -> bool {
    variant > 0
        && (y0..y0 + 1.8).contains(&my)
        && (x0..x0 + 9.0 * variant.min(3) as f32).contains(&mx)
        && (mx * 1.3) as i32 % 5 != 0
}

/// Inside the rounded-corner card outline (corner radius 3 mm)?
pub(super) fn in_card(mx: f32, my: f32) -> bool {
    if !(0.0..85.6).contains(&mx) || !(0.0..54.0).contains(&my) {
        return false;
    }
    let r = 3.0;
    let cx = mx.clamp(r, 85.6 - r);
    let cy = my.clamp(r, 54.0 - r);
    (mx - cx).powi(2) + (my - cy).powi(2) <= r * r
}
