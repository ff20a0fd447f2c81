//! What the card lies on, as colour at a frame pixel: a plain table, wood, a cluttered desk,
//! notebook paper, a striped tablecloth. The last two draw many straight, evenly spaced lines
//! of their own next to the card's edges (the finder must not take them for the card's).

use super::face::hash;
use super::scene::Background;

/// Background colour at a frame pixel.
pub(super) fn background(bg: Background, x: u32, y: u32) -> [f32; 3] {
    match bg {
        Background::Plain => [96.0, 104.0, 112.0],
        Background::Wood => {
            let (xf, yf) = (x as f32, y as f32);
            let grain = (yf * 0.21 + 6.0 * (xf * 0.013).sin() + 3.0 * (xf * 0.051).sin()).sin();
            let ring = (yf * 0.035 + 2.0 * (xf * 0.007).sin()).sin();
            let k = 0.78 + 0.12 * grain + 0.08 * ring + 0.08 * (hash(x / 3, y) - 0.5);
            [175.0 * k, 122.0 * k, 76.0 * k]
        }
        Background::Busy => {
            // Sheets in staggered rows, each its own colour, some with lines of print.
            let ty = y / 70;
            let tx = (x + 41 * (ty % 3)) / 90;
            let base = [
                60.0 + 170.0 * hash(tx, ty),
                60.0 + 170.0 * hash(tx + 7, ty + 3),
                60.0 + 170.0 * hash(tx + 13, ty + 11),
            ];
            let printed = hash(tx ^ 0x33, ty) > 0.45;
            if printed && y % 9 < 3 && hash(x / 6, ty ^ tx) > 0.3 {
                base.map(|c| c * 0.35)
            } else {
                base
            }
        }
        Background::Ruled {
            pitch,
            angle,
            squared,
        } => ruled(x, y, f32::from(pitch.max(4)), f32::from(angle), squared),
        Background::Striped { width, angle, tone } => {
            striped(x, y, f32::from(width.max(4)), f32::from(angle), tone)
        }
    }
}

/// `(u, v)`: the pixel's coordinates in a frame turned by `angle` degrees.
fn turned(x: u32, y: u32, angle: f32) -> (f32, f32) {
    let (s, c) = angle.to_radians().sin_cos();
    let (xf, yf) = (x as f32, y as f32);
    (xf * c + yf * s, -xf * s + yf * c)
}

/// How much of a line `half` px either side of a multiple of `pitch` covers coordinate `v`
/// (1 on it, easing to 0 over a pixel: anti-aliased).
fn on_lines(v: f32, pitch: f32, half: f32) -> f32 {
    let d = (v.rem_euclid(pitch) - pitch / 2.0).abs();
    (half + 0.5 - (pitch / 2.0 - d)).clamp(0.0, 1.0)
}

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [0, 1, 2].map(|i| a[i] + (b[i] - a[i]) * t)
}

/// Off-white notebook paper (brighter than the card, by little) with thin blue-grey ruled
/// lines every `pitch` px (and across them when `squared`), a red margin line, the sheet
/// turned by `angle` degrees.
fn ruled(x: u32, y: u32, pitch: f32, angle: f32, squared: bool) -> [f32; 3] {
    let (u, v) = turned(x, y, angle);
    let fibre = 4.0 * (hash(x / 2, (y / 2) ^ 0x0F0F) - 0.5);
    let paper = [245.0 + fibre, 244.0 + fibre, 236.0 + fibre];
    let mut c = mix(paper, [150.0, 176.0, 212.0], on_lines(v, pitch, 0.7));
    if squared {
        c = mix(c, [150.0, 176.0, 212.0], on_lines(u, pitch, 0.6));
    }
    // The margin line, once per sheet.
    let margin = (1.5 - (u - 96.0).abs()).clamp(0.0, 1.0);
    mix(c, [214.0, 96.0, 104.0], margin)
}

/// A striped tablecloth: bands `width` px wide at `angle` degrees, alternating two colours of
/// palette `tone` (one light, some near the card's paper), the weave a fine texture, a thin
/// dark thread along every other boundary.
fn striped(x: u32, y: u32, width: f32, angle: f32, tone: u8) -> [f32; 3] {
    const PALETTES: [([f32; 3], [f32; 3]); 4] = [
        ([236.0, 228.0, 208.0], [184.0, 46.0, 52.0]),
        ([240.0, 240.0, 234.0], [38.0, 62.0, 112.0]),
        ([222.0, 226.0, 214.0], [86.0, 136.0, 92.0]),
        ([230.0, 224.0, 212.0], [212.0, 172.0, 72.0]),
    ];
    let (light, dark) = PALETTES[usize::from(tone) % PALETTES.len()];
    let (_, v) = turned(x, y, angle);
    // Light bands where `f` is in 0..1, dark in 1..2; soft edges (about 2 px).
    let f = (v / width).rem_euclid(2.0);
    let signed = if f < 1.0 {
        f.min(1.0 - f)
    } else {
        -(f - 1.0).min(2.0 - f)
    };
    let t = (0.5 + signed * width / 2.0).clamp(0.0, 1.0);
    let mut c = mix(dark, light, t);
    let thread = on_lines(v + width, 2.0 * width, 0.8);
    c = mix(c, [60.0, 56.0, 52.0], 0.5 * thread);
    let weave = 10.0 * (hash(x / 2, (y / 2) ^ 0x3A3A) - 0.5) + 4.0 * ((x + y) % 2) as f32;
    c.map(|ch| ch + weave)
}
