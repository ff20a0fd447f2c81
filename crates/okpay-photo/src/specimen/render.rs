//! Rendering a [`Scene`]: each frame pixel is mapped back onto the card through the inverse of
//! the square-to-quad homography, so the card can be placed under any perspective.

use super::background::background;
use super::face;
use super::scene::{Scene, Side};
use crate::raster::Homography;
use image::RgbImage;

/// Render the scene as RGB.
pub fn render(s: &Scene) -> RgbImage {
    render_face(s, &|mx, my| match s.side {
        Side::Portrait => face::portrait(mx, my, s.variant),
        Side::Emblem => face::emblem(mx, my, s.variant),
    })
}

/// Render the scene with the card's face painted by `paint` (colour at a point in mm).
pub(super) fn render_face(s: &Scene, paint: &dyn Fn(f32, f32) -> [f32; 3]) -> RgbImage {
    let inv = Homography::square_to_quad(&s.quad).inverse().0;
    let (fw, fh) = (s.width, s.height);
    let mut img = RgbImage::new(fw, fh);
    for y in 0..fh {
        for x in 0..fw {
            let (xf, yf) = (f64::from(x), f64::from(y));
            let d = inv[6] * xf + inv[7] * yf + inv[8];
            let u = ((inv[0] * xf + inv[1] * yf + inv[2]) / d) as f32;
            let v = ((inv[3] * xf + inv[4] * yf + inv[5]) / d) as f32;
            let (mx, my) = (u * 85.6, v * 54.0);
            let mut c = if !s.no_card && face::in_card(mx, my) {
                paint(mx, my)
            } else {
                background(s.background, x, y)
            };
            let mut light = s.gain;
            if let Some(lo) = s.shadow {
                light *= lo + (1.0 - lo) * (x as f32 / fw as f32);
            }
            if let Some(sh) = s.shade {
                let (dx, dy) = (sh.b[0] - sh.a[0], sh.b[1] - sh.a[1]);
                let len = (dx * dx + dy * dy).sqrt().max(1e-3);
                // Signed distance, positive on the shaded side.
                let d = ((x as f32 - sh.a[0]) * dy - (y as f32 - sh.a[1]) * dx) / len;
                let t = (0.5 + d / sh.soft.max(1.0)).clamp(0.0, 1.0);
                light *= 1.0 - (1.0 - sh.level) * t;
            }
            for ch in &mut c {
                *ch = *ch * light + s.offset + 6.0 * (face::hash(x, y ^ 0x5555) - 0.5);
            }
            if let Some((g, r)) = s.glare {
                let d2 = (x as f32 - g[0]).powi(2) + (y as f32 - g[1]).powi(2);
                let a = 420.0 * (-d2 / (2.0 * r * r)).exp();
                for ch in &mut c {
                    *ch += a;
                }
            }
            img.put_pixel(
                x,
                y,
                image::Rgb(c.map(|v| v.round().clamp(0.0, 255.0) as u8)),
            );
        }
    }
    if s.blur > 0.0 {
        img = image::imageops::blur(&img, s.blur);
    }
    if let Some((length, angle)) = s.motion {
        img = smear(&img, length, angle);
    }
    img
}

/// The mean of `img` along a line of `length` pixels at `angle` degrees through each pixel
/// (a linear motion blur; the frame's edge pixels repeat beyond it).
fn smear(img: &RgbImage, length: f32, angle: f32) -> RgbImage {
    let n = length.round().max(1.0) as usize;
    let (dx, dy) = (angle.to_radians().cos(), angle.to_radians().sin());
    let taps: Vec<(i64, i64)> = (0..n)
        .map(|i| {
            let t = i as f32 - (n as f32 - 1.0) / 2.0;
            ((t * dx).round() as i64, (t * dy).round() as i64)
        })
        .collect();
    let (w, h) = (i64::from(img.width()), i64::from(img.height()));
    RgbImage::from_fn(img.width(), img.height(), |x, y| {
        let mut sum = [0u32; 3];
        for (ox, oy) in &taps {
            let sx = (i64::from(x) + ox).clamp(0, w - 1) as u32;
            let sy = (i64::from(y) + oy).clamp(0, h - 1) as u32;
            for (acc, v) in sum.iter_mut().zip(img.get_pixel(sx, sy).0) {
                *acc += u32::from(v);
            }
        }
        image::Rgb(sum.map(|v| ((v as f32) / n as f32).round() as u8))
    })
}
