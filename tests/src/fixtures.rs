//! Test photos: two distinct, card-like JPEGs (portrait side and emblem side of an ID card
//! lying on a table), a retaken portrait side that differs from the first, and a `.jpg` that
//! is really text. Drawn in code, so nothing binary lives in the repository. Also the SHA-256
//! the server must record for a photo the app uploads.

use crate::error::{E2eError, E2eResult};
use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};
use std::path::{Path, PathBuf};

/// Photo size: larger than the 1200×760 the app must accept.
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

/// The files one test uses.
pub struct Photos {
    pub portrait: PathBuf,
    pub emblem: PathBuf,
    /// `not-a-photo.jpg`: plain text with an image extension.
    pub not_an_image: PathBuf,
}

/// Write all fixtures into `dir`.
pub fn write_all(dir: &Path) -> E2eResult<Photos> {
    let photos = Photos {
        portrait: dir.join("id-portrait.jpg"),
        emblem: dir.join("id-emblem.jpg"),
        not_an_image: dir.join("not-a-photo.jpg"),
    };
    save_jpeg(&card(Side::Portrait), &photos.portrait)?;
    save_jpeg(&card(Side::Emblem), &photos.emblem)?;
    std::fs::write(
        &photos.not_an_image,
        "This file is plain text with a .jpg name; it is not an image.\n",
    )?;
    Ok(photos)
}

/// Write `id-portrait-retake.jpg` into `dir`: the portrait side photographed again (one more
/// printed line), a valid photo whose upload differs from the first portrait's.
pub fn write_portrait_retake(dir: &Path) -> E2eResult<PathBuf> {
    let path = dir.join("id-portrait-retake.jpg");
    let mut img = card(Side::Portrait);
    text_lines(&mut img, CARD_X + 60, CARD_Y + 500, &[240], 0, 26);
    save_jpeg(&img, &path)?;
    Ok(path)
}

/// Hex SHA-256 of what the app uploads for the photo file at `path`: the app decodes it and
/// re-encodes it with `okpay_rules::photo::prepare_upload`, and the server records the hash
/// of the bytes it stores.
pub fn upload_sha256(path: &Path) -> E2eResult<String> {
    use sha2::Digest;
    let bytes = std::fs::read(path)?;
    let refused = |code: okpay_rules::ErrorCode| {
        E2eError::Environment(format!(
            "fixture {} refused by the photo rules: {code:?}",
            path.display()
        ))
    };
    let (_, img) = okpay_rules::photo::decode(&bytes).map_err(refused)?;
    let upload = okpay_rules::photo::prepare_upload(&img).map_err(refused)?;
    Ok(hex::encode(sha2::Sha256::digest(&upload)))
}

fn save_jpeg(img: &RgbImage, path: &Path) -> E2eResult<()> {
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    JpegEncoder::new_with_quality(file, 92).encode_image(img)?;
    Ok(())
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

fn inside_card(x: u32, y: u32) -> bool {
    if x < CARD_X || y < CARD_Y || x >= CARD_X + CARD_W || y >= CARD_Y + CARD_H {
        return false;
    }
    let (lx, ly) = (x - CARD_X, y - CARD_Y);
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

/// Draw one side of the card on a table.
pub fn card(side: Side) -> RgbImage {
    let seed = match side {
        Side::Portrait => 11,
        Side::Emblem => 29,
    };
    let mut img = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        if inside_card(x, y) {
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
    let (x0, y0) = (CARD_X, CARD_Y);
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
    img
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_are_distinct_card_photos_and_a_text_file() -> E2eResult<()> {
        let dir = tempfile::tempdir()?;
        let photos = write_all(dir.path())?;
        let a = std::fs::read(&photos.portrait)?;
        let b = std::fs::read(&photos.emblem)?;
        assert_ne!(a, b);
        for bytes in [&a, &b] {
            let img = image::load_from_memory(bytes)?;
            assert!(img.width() >= 1200 && img.height() >= 760);
            assert_eq!(image::guess_format(bytes)?, image::ImageFormat::Jpeg);
        }
        let retake = std::fs::read(write_portrait_retake(dir.path())?)?;
        assert_ne!(retake, a);
        assert_ne!(
            upload_sha256(&photos.portrait)?,
            upload_sha256(&dir.path().join("id-portrait-retake.jpg"))?
        );
        let text = std::fs::read(&photos.not_an_image)?;
        assert!(image::guess_format(&text).is_err());
        Ok(())
    }
}
