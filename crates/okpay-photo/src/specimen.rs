//! Specimen ID-card photos drawn in code, for tests and demos across the workspace (feature
//! `specimen`): either side of a card lying on a wooden table, and the faults a phone photo
//! of it can have (blur, glare, darkness, a cut-off corner). No real person's data and nothing
//! binary in the repository.

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};

/// Photo width: larger than the smallest photo the app accepts.
pub const WIDTH: u32 = 1400;
/// Photo height.
pub const HEIGHT: u32 = 900;

const CARD_W: u32 = 1110;
const CARD_H: u32 = 700;
const CARD_X: u32 = (WIDTH - CARD_W) / 2;
const CARD_Y: u32 = (HEIGHT - CARD_H) / 2;
const CORNER: u32 = 36;

/// Which face of the card to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Portrait,
    Emblem,
}

/// What is wrong with the photo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    /// A good photo.
    None,
    /// Out of focus: a Gaussian blur of this sigma in pixels.
    Blur(f32),
    /// A saturated flash reflection on the card's upper right.
    Glare,
    /// Taken in poor light: every value scaled down to a fifth.
    Dark,
    /// The card shifted so its right side leaves the frame (two corners cut off).
    CornerCut,
}

/// The card corners TL, TR, BR, BL of a good photo, in pixels.
pub const QUAD: [[f32; 2]; 4] = [
    [CARD_X as f32, CARD_Y as f32],
    [(CARD_X + CARD_W) as f32, CARD_Y as f32],
    [(CARD_X + CARD_W) as f32, (CARD_Y + CARD_H) as f32],
    [CARD_X as f32, (CARD_Y + CARD_H) as f32],
];

/// A photo of `side` with `fault`, `variant` changing small details (one more printed line
/// per step) so that retakes differ.
pub fn photo(side: Side, fault: Fault, variant: u32) -> RgbImage {
    let shift = if fault == Fault::CornerCut { 260 } else { 0 };
    let mut img = card(side, shift, variant);
    match fault {
        Fault::None | Fault::CornerCut => {}
        Fault::Blur(sigma) => img = image::imageops::blur(&img, sigma),
        Fault::Glare => glare(&mut img, (CARD_X + 850, CARD_Y + 170), 120),
        Fault::Dark => {
            for p in img.pixels_mut() {
                p.0 = p.0.map(|v| v / 5);
            }
        }
    }
    img
}

/// Encode as a baseline JPEG of `quality`.
pub fn jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    // Encoding into a Vec cannot fail for an RgbImage; an empty Vec would fail any test.
    let _ = JpegEncoder::new_with_quality(&mut out, quality).encode_image(img);
    out
}

/// [`photo`] as a JPEG at quality 92.
pub fn photo_jpeg(side: Side, fault: Fault, variant: u32) -> Vec<u8> {
    jpeg(&photo(side, fault, variant), 92)
}

/// Small deterministic noise so the photo has texture like a real one.
fn noise(x: u32, y: u32, seed: u32) -> i32 {
    let mut h = x.wrapping_mul(374_761_393) ^ y.wrapping_mul(668_265_263) ^ seed;
    h = (h ^ (h >> 13)).wrapping_mul(1_274_126_177);
    ((h >> 24) % 17) as i32 - 8
}

fn shade(c: [i32; 3], d: i32) -> Rgb<u8> {
    Rgb(c.map(|v| (v + d).clamp(0, 255) as u8))
}

fn inside_card(x: u32, y: u32, x0: u32) -> bool {
    if x < x0 || y < CARD_Y || x >= x0 + CARD_W || y >= CARD_Y + CARD_H {
        return false;
    }
    let (lx, ly) = (x - x0, y - CARD_Y);
    let cx = lx.clamp(CORNER, CARD_W - CORNER);
    let cy = ly.clamp(CORNER, CARD_H - CORNER);
    let (dx, dy) = (i64::from(lx) - i64::from(cx), i64::from(ly) - i64::from(cy));
    dx * dx + dy * dy <= i64::from(CORNER * CORNER)
}

fn fill_rect(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, color: [i32; 3]) {
    for py in y..(y + h).min(HEIGHT) {
        for px in x..(x + w).min(WIDTH) {
            img.put_pixel(px, py, shade(color, noise(px, py, 7) / 2));
        }
    }
}

/// A filled disc, cut off below `max_y`.
fn fill_circle(img: &mut RgbImage, (cx, cy, r): (u32, u32, u32), max_y: u32, color: [i32; 3]) {
    let r2 = i64::from(r * r);
    for py in cy.saturating_sub(r)..(cy + r).min(HEIGHT).min(max_y) {
        for px in cx.saturating_sub(r)..(cx + r).min(WIDTH) {
            let (dx, dy) = (i64::from(px) - i64::from(cx), i64::from(py) - i64::from(cy));
            if dx * dx + dy * dy <= r2 {
                img.put_pixel(px, py, shade(color, noise(px, py, 3) / 2));
            }
        }
    }
}

/// A saturated, soft-edged reflection.
fn glare(img: &mut RgbImage, (cx, cy): (u32, u32), r: u32) {
    let r = f64::from(r);
    for py in (cy as f64 - r).max(0.0) as u32..((cy as f64 + r) as u32).min(HEIGHT) {
        for px in (cx as f64 - r).max(0.0) as u32..((cx as f64 + r) as u32).min(WIDTH) {
            let d = (f64::from(px) - f64::from(cx)).hypot(f64::from(py) - f64::from(cy)) / r;
            if d < 1.0 {
                let a = if d < 0.6 { 1.0 } else { (1.0 - d) / 0.4 };
                let p = img.get_pixel_mut(px, py);
                p.0 = p.0.map(|v| (f64::from(v) * (1.0 - a) + 255.0 * a) as u8);
            }
        }
    }
}

/// Lines of "text": dark bars of varying length, like printed fields.
fn text_lines(img: &mut RgbImage, x: u32, y: u32, lengths: &[u32], pitch: u32, thick: u32) {
    for (i, len) in lengths.iter().enumerate() {
        let top = y + pitch * i as u32;
        let mut px = x;
        // Break each bar into "characters" so edges are sharp and frequent.
        while px < x + len {
            fill_rect(img, px, top, 22.min(x + len - px), thick, [40, 40, 48]);
            px += 30;
        }
    }
}

/// One side of the card on a table, the card `shift` pixels to the right.
fn card(side: Side, shift: u32, variant: u32) -> RgbImage {
    let seed = match side {
        Side::Portrait => 11,
        Side::Emblem => 29,
    };
    let x0 = CARD_X + shift;
    let mut img = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        if inside_card(x, y, x0) {
            // Pale guilloche background of a resident ID card.
            let wave = ((f64::from(x) / 9.0).sin() * (f64::from(y) / 13.0).cos() * 10.0) as i32;
            let base = match side {
                Side::Portrait => [222, 232, 238],
                Side::Emblem => [230, 236, 226],
            };
            shade(base, wave + noise(x, y, seed) / 2)
        } else {
            // Wooden table: brown with grain.
            let grain = ((f64::from(y) / 5.0 + f64::from(x) / 140.0).sin() * 12.0) as i32;
            shade([120, 84, 52], grain + noise(x, y, seed))
        }
    });
    let y0 = CARD_Y;
    match side {
        Side::Portrait => {
            // Name, sex/ethnicity, birth date, address lines on the left.
            text_lines(
                &mut img,
                x0 + 60,
                y0 + 80,
                &[260, 420, 380, 560, 520, 300],
                70,
                26,
            );
            // Photo box with a head-and-shoulders silhouette on the right.
            fill_rect(&mut img, x0 + 760, y0 + 70, 290, 360, [200, 206, 214]);
            let bottom = y0 + 430;
            fill_circle(&mut img, (x0 + 905, y0 + 200, 78), bottom, [92, 78, 70]);
            fill_circle(&mut img, (x0 + 905, y0 + 440, 140), bottom, [52, 60, 92]);
            // ID number line at the bottom.
            text_lines(&mut img, x0 + 330, y0 + 590, &[700], 0, 34);
        }
        Side::Emblem => {
            // National emblem: red disc with a gold star.
            fill_circle(&mut img, (x0 + 170, y0 + 170, 115), HEIGHT, [190, 30, 36]);
            fill_circle(&mut img, (x0 + 170, y0 + 150, 42), HEIGHT, [238, 190, 40]);
            fill_rect(&mut img, x0 + 95, y0 + 230, 150, 22, [238, 190, 40]);
            // Title in two big lines.
            text_lines(&mut img, x0 + 360, y0 + 90, &[620, 520], 110, 58);
            // Issuing authority and validity period.
            text_lines(&mut img, x0 + 200, y0 + 480, &[640, 700], 90, 28);
        }
    }
    for i in 0..variant.min(3) {
        text_lines(&mut img, x0 + 60, y0 + 500 + 30 * i, &[240], 0, 20);
    }
    img
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::quality::{Strictness, assess};
    use okpay_rules::ErrorCode;

    fn reasons(side: Side, fault: Fault) -> Vec<ErrorCode> {
        let v = assess(&photo_jpeg(side, fault, 0), Strictness::Normal).unwrap();
        v.reasons
    }

    #[test]
    fn good_photos_of_both_sides_pass() {
        for side in [Side::Portrait, Side::Emblem] {
            for variant in 0..2 {
                let v =
                    assess(&photo_jpeg(side, Fault::None, variant), Strictness::Normal).unwrap();
                assert!(v.ok, "{side:?} {variant}: {:?} {:?}", v.reasons, v.metrics);
            }
        }
    }

    #[test]
    fn each_fault_is_named() {
        assert!(reasons(Side::Portrait, Fault::Blur(6.0)).contains(&ErrorCode::PhotoBlurry));
        assert!(reasons(Side::Emblem, Fault::Glare).contains(&ErrorCode::PhotoGlare));
        assert!(reasons(Side::Portrait, Fault::Dark).contains(&ErrorCode::PhotoTooDark));
        assert!(reasons(Side::Emblem, Fault::CornerCut).contains(&ErrorCode::PhotoCornerMissing));
    }
}
