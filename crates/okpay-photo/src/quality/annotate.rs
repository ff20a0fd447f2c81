//! The verdict drawn on the photo, as a PNG: the photo downscaled, the card quad (green when
//! the photo is fine, red otherwise), glare boxes (amber) and missing corners (red rings
//! where the corner lies, or at the frame's edge with an arrow pointing out to it). Plain
//! Rust drawing on an RGB buffer.

use super::verdict::Verdict;
use crate::codec::format;
use crate::codec::jpeg_scaled::{self, Samples};
use crate::raster::orient_samples;
use image::{DynamicImage, ImageFormat, RgbImage};
use okpay_rules::ErrorCode;
use std::io::Cursor;

/// Colour of the quad of an accepted photo.
pub const OK_GREEN: [u8; 3] = [32, 200, 80];
/// Colour of the quad of a rejected photo, and of missing-corner marks.
pub const BAD_RED: [u8; 3] = [235, 40, 40];
/// Colour of glare boxes.
pub const GLARE_AMBER: [u8; 3] = [255, 176, 0];

/// The photo in `bytes`, its long side at most `long_side` (at least 64), with `verdict`
/// drawn on it, as PNG bytes. `verdict` must be the one of these bytes (its coordinates are
/// displayed full-resolution pixels).
pub fn render(bytes: &[u8], verdict: &Verdict, long_side: u32) -> Result<Vec<u8>, ErrorCode> {
    let long_side = long_side.max(64);
    let (img, full_width) = display_image(bytes, long_side)?;
    let img = if img.width().max(img.height()) > long_side {
        img.thumbnail(long_side, long_side)
    } else {
        img
    };
    let mut c = Canvas(img.to_rgb8());
    let s = c.0.width() as f32 / full_width.max(1) as f32;
    let (w, h) = (c.0.width() as f32, c.0.height() as f32);
    let stroke = (w.max(h) / 250.0).max(2.0);
    for g in &verdict.glare {
        let (x0, y0) = (g.x * s, g.y * s);
        let (x1, y1) = ((g.x + g.width) * s, (g.y + g.height) * s);
        let corners = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
        c.polygon(&corners, stroke, GLARE_AMBER);
    }
    match &verdict.quad {
        Some(q) => {
            let colour = if verdict.ok { OK_GREEN } else { BAD_RED };
            c.polygon(&q.map(|p| [p[0] * s, p[1] * s]), stroke, colour);
            let r = (w.max(h) / 40.0).max(6.0);
            for corner in &verdict.missing_corners {
                let i = super::Corner::ALL
                    .iter()
                    .position(|k| k == corner)
                    .unwrap_or(0);
                let p = [q[i][0] * s, q[i][1] * s];
                c.corner_mark(p, r, stroke, BAD_RED);
            }
        }
        None => {
            // No card: a red frame around the whole photo.
            c.fill([0.0, 0.0, w, h], BAD_RED, |x, y| {
                x < stroke || y < stroke || x >= w - stroke || y >= h - stroke
            });
        }
    }
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(c.0)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .map_err(|_| ErrorCode::Internal)?;
    Ok(out)
}

/// The photo in displayed orientation, at least `long_side` on its long side when the file
/// has that many pixels, and its displayed full-resolution width. A JPEG is decoded
/// DCT-scaled (never a full-resolution buffer for a large one), anything else in full.
fn display_image(bytes: &[u8], long_side: u32) -> Result<(DynamicImage, u32), ErrorCode> {
    format::inspect(bytes)?;
    if format::sniff_format(bytes)? == ImageFormat::Jpeg
        && let Some(j) = jpeg_scaled::jpeg_scaled(bytes, long_side as usize, Samples::Rgb, false)?
    {
        let full_width = u32::try_from(j.displayed().0).map_err(|_| ErrorCode::PhotoTooLarge)?;
        let (data, w, h) = orient_samples(&j.data, j.width, j.height, 3, j.orientation)
            .unwrap_or((j.data, j.width, j.height));
        let (w, h) = (
            u32::try_from(w).map_err(|_| ErrorCode::PhotoTooLarge)?,
            u32::try_from(h).map_err(|_| ErrorCode::PhotoTooLarge)?,
        );
        let img = DynamicImage::ImageRgb8(
            RgbImage::from_raw(w, h, data).ok_or(ErrorCode::PhotoUnreadable)?,
        );
        return Ok((img, full_width));
    }
    let (facts, img) = format::decode(bytes)?;
    Ok((img, facts.width))
}

/// An RGB buffer with a few solid-colour primitives (pixel centres at integer coordinates;
/// anything outside the buffer is clipped).
struct Canvas(RgbImage);

impl Canvas {
    /// Paint every pixel whose centre satisfies `hit`, within the box `[x0, x1] x [y0, y1]`.
    fn fill(&mut self, bb: [f32; 4], colour: [u8; 3], hit: impl Fn(f32, f32) -> bool) {
        let (w, h) = (self.0.width() as f32, self.0.height() as f32);
        if !bb.iter().all(|v| v.is_finite()) {
            return;
        }
        let x0 = bb[0].floor().max(0.0) as u32;
        let y0 = bb[1].floor().max(0.0) as u32;
        let x1 = bb[2].ceil().min(w - 1.0);
        let y1 = bb[3].ceil().min(h - 1.0);
        if x1 < 0.0 || y1 < 0.0 {
            return;
        }
        for y in y0..=y1 as u32 {
            for x in x0..=x1 as u32 {
                if hit(x as f32, y as f32) {
                    self.0.put_pixel(x, y, image::Rgb(colour));
                }
            }
        }
    }

    /// A segment `width` pixels thick with round ends.
    fn line(&mut self, a: [f32; 2], b: [f32; 2], width: f32, colour: [u8; 3]) {
        let r = width / 2.0;
        let bb = [
            a[0].min(b[0]) - r,
            a[1].min(b[1]) - r,
            a[0].max(b[0]) + r,
            a[1].max(b[1]) + r,
        ];
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len2 = (dx * dx + dy * dy).max(1e-6);
        self.fill(bb, colour, |x, y| {
            let t = (((x - a[0]) * dx + (y - a[1]) * dy) / len2).clamp(0.0, 1.0);
            let (px, py) = (a[0] + t * dx - x, a[1] + t * dy - y);
            px * px + py * py <= r * r
        });
    }

    /// A closed outline through `points`.
    fn polygon(&mut self, points: &[[f32; 2]], width: f32, colour: [u8; 3]) {
        for (i, p) in points.iter().enumerate() {
            self.line(*p, points[(i + 1) % points.len()], width, colour);
        }
    }

    /// A ring of radius `r` around `c`.
    fn ring(&mut self, c: [f32; 2], r: f32, width: f32, colour: [u8; 3]) {
        let o = r + width / 2.0;
        self.fill([c[0] - o, c[1] - o, c[0] + o, c[1] + o], colour, |x, y| {
            let d = ((x - c[0]).powi(2) + (y - c[1]).powi(2)).sqrt();
            (d - r).abs() <= width / 2.0
        });
    }

    /// A ring where a missing corner lies; when it lies outside the view, the ring sits at
    /// the nearest point inside the frame and an arrow points out towards the corner.
    fn corner_mark(&mut self, p: [f32; 2], r: f32, width: f32, colour: [u8; 3]) {
        let (w, h) = (self.0.width() as f32, self.0.height() as f32);
        let pad = r + width;
        let q = [
            p[0].clamp(pad, (w - 1.0 - pad).max(pad)),
            p[1].clamp(pad, (h - 1.0 - pad).max(pad)),
        ];
        self.ring(q, r, width, colour);
        let (dx, dy) = (p[0] - q[0], p[1] - q[1]);
        let d = (dx * dx + dy * dy).sqrt();
        if d < 1.0 {
            return;
        }
        // Arrow from the ring's centre to its rim on the side of the corner, head at the rim.
        let u = [dx / d, dy / d];
        let tip = [q[0] + u[0] * (r + width), q[1] + u[1] * (r + width)];
        self.line(q, tip, width, colour);
        let back = r * 0.6;
        let n = [-u[1], u[0]];
        for side in [-1.0f32, 1.0] {
            let wing = [
                tip[0] - u[0] * back + n[0] * back * 0.6 * side,
                tip[1] - u[1] * back + n[1] * back * 0.6 * side,
            ];
            self.line(tip, wing, width, colour);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_drawn_and_clipped() {
        let mut c = Canvas(RgbImage::new(20, 10));
        c.line([-5.0, 5.0], [30.0, 5.0], 3.0, BAD_RED);
        assert_eq!(c.0.get_pixel(0, 5).0, BAD_RED);
        assert_eq!(c.0.get_pixel(19, 5).0, BAD_RED);
        assert_eq!(c.0.get_pixel(10, 0).0, [0, 0, 0]);
        // Wholly outside: nothing, no panic.
        c.line([-50.0, -50.0], [-40.0, -45.0], 3.0, OK_GREEN);
        c.ring([100.0, 100.0], 5.0, 2.0, OK_GREEN);
        c.corner_mark([-30.0, 5.0], 3.0, 1.0, OK_GREEN);
        assert!(c.0.pixels().any(|p| p.0 == OK_GREEN));
    }
}
