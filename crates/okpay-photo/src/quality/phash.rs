//! A perceptual hash of a photo, for `PHOTO_DUPLICATE_SIDES`: the same shot used for both
//! sides of the card, even re-encoded, resized or converted to another format. The DCT pHash
//! (32 x 32 squeeze, 8 x 8 lowest frequencies, a bit per coefficient above the median) sees
//! the layout of the frame and little else, so [`check_pair`] also compares 16 x 16
//! thumbnails and calls a pair a duplicate only when both agree. The thresholds' margins on
//! the fixtures are in `docs/photo-engine.md`.

use crate::codec::analysis::Analysis;
use crate::codec::format;
use crate::codec::jpeg_scaled::{self, Samples};
use crate::raster::Plane;
use image::ImageFormat;
use okpay_rules::ErrorCode;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Largest Hamming distance between the hashes of two photos of the same shot.
pub const SAME_SHOT_MAX_DISTANCE: u32 = 4;

/// Side of the square the photo is squeezed to before the DCT.
const N: usize = 32;
/// Side of the low-frequency block that makes the hash.
const LOW: usize = 8;
/// Side of the thumbnails [`check_pair`] compares.
const THUMB: usize = 16;

/// A 64-bit perceptual hash; serialised as 16 lowercase hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Phash(pub u64);

impl Phash {
    /// Number of differing bits, 0..=64.
    pub fn distance(self, other: Phash) -> u32 {
        (self.0 ^ other.0).count_ones()
    }
}

impl fmt::Display for Phash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl Serialize for Phash {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Phash {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.len() != 16 {
            return Err(serde::de::Error::custom("a phash is 16 hex digits"));
        }
        u64::from_str_radix(&s, 16)
            .map(Phash)
            .map_err(serde::de::Error::custom)
    }
}

/// Whether two hashes come from the same shot (see [`SAME_SHOT_MAX_DISTANCE`]).
pub fn same_shot(a: Phash, b: Phash) -> bool {
    a.distance(b) <= SAME_SHOT_MAX_DISTANCE
}

/// Largest difference between the 16 x 16 gray thumbnails of two photos of the same shot
/// (90th percentile of the cell-wise absolute differences, in gray levels; the second test
/// of [`check_pair`]).
pub const SAME_SHOT_MAX_THUMB_DIFFERENCE: f32 = 4.0;

/// The duplicate check of a front/back pair.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PairVerdict {
    /// The two photos are the same shot (`PHOTO_DUPLICATE_SIDES`).
    pub duplicate: bool,
    /// Hamming distance of their hashes.
    pub distance: u32,
    /// 90th percentile of the cell-wise absolute differences of their 16 x 16 gray
    /// thumbnails, in levels (0..255).
    pub thumb_difference: f32,
}

/// Whether the photos given for the two sides are the same shot: hashes within
/// [`SAME_SHOT_MAX_DISTANCE`] and thumbnails within [`SAME_SHOT_MAX_THUMB_DIFFERENCE`]
/// (the hash sees the layout; the thumbnails also see the background, which the hash's low
/// frequencies miss when only the background changed).
pub fn check_pair(front: &[u8], back: &[u8]) -> Result<PairVerdict, ErrorCode> {
    let (a, b) = (gray_of_bytes(front)?, gray_of_bytes(back)?);
    Ok(Fingerprint::of_gray(&a).pair(&Fingerprint::of_gray(&b)))
}

/// What the duplicate check compares of a photo: its hash and its 16 x 16 gray thumbnail.
/// Kept with a stored photo (as [`Fingerprint::to_hex`]), so that a new upload is compared
/// with the other side without decoding that one again.
#[derive(Debug, Clone, PartialEq)]
pub struct Fingerprint {
    pub hash: Phash,
    /// Cell means, rounded to gray levels.
    pub thumb: [u8; THUMB * THUMB],
}

impl Fingerprint {
    /// The fingerprint of a grayscale image.
    pub fn of_gray(img: &Plane) -> Fingerprint {
        let mut thumb = [0u8; THUMB * THUMB];
        for (t, v) in thumb.iter_mut().zip(squeeze(img, THUMB)) {
            *t = v.round().clamp(0.0, 255.0) as u8;
        }
        Fingerprint {
            hash: of_gray(img),
            thumb,
        }
    }

    /// The fingerprint of an already decoded analysis image.
    pub fn of_analysis(a: &Analysis) -> Fingerprint {
        Fingerprint::of_gray(&a.gray)
    }

    /// The duplicate check of this photo and `other`.
    pub fn pair(&self, other: &Fingerprint) -> PairVerdict {
        let distance = self.hash.distance(other.hash);
        let mut diff: Vec<u8> = self
            .thumb
            .iter()
            .zip(&other.thumb)
            .map(|(x, y)| x.abs_diff(*y))
            .collect();
        diff.sort_unstable();
        let thumb_difference = f32::from(diff[diff.len() * 9 / 10]);
        PairVerdict {
            duplicate: distance <= SAME_SHOT_MAX_DISTANCE
                && thumb_difference <= SAME_SHOT_MAX_THUMB_DIFFERENCE,
            distance,
            thumb_difference,
        }
    }

    /// 16 hex digits of the hash, then 512 of the thumbnail.
    pub fn to_hex(&self) -> String {
        let mut s = format!("{:016x}", self.hash.0);
        for b in self.thumb {
            s.push_str(&format!("{b:02x}"));
        }
        s
    }

    /// The inverse of [`Fingerprint::to_hex`]; `None` for anything else.
    pub fn from_hex(s: &str) -> Option<Fingerprint> {
        if s.len() != 16 + 2 * THUMB * THUMB || !s.is_ascii() {
            return None;
        }
        let hash = Phash(u64::from_str_radix(&s[..16], 16).ok()?);
        let mut thumb = [0u8; THUMB * THUMB];
        for (i, t) in thumb.iter_mut().enumerate() {
            *t = u8::from_str_radix(&s[16 + 2 * i..18 + 2 * i], 16).ok()?;
        }
        Some(Fingerprint { hash, thumb })
    }
}

/// The hash of an already decoded analysis image.
pub fn of_analysis(a: &Analysis) -> Phash {
    of_gray(&a.gray)
}

/// The hash of the photo in `bytes`, by the cheapest decode that works: a DCT-scaled decode
/// (usually 1/8) for a JPEG, the general decoder otherwise. Refuses what [`inspect`](crate::codec::format::inspect)
/// refuses, except a low resolution (a small copy of a photo is still the same shot).
pub fn of_bytes(bytes: &[u8]) -> Result<Phash, ErrorCode> {
    Ok(of_gray(&gray_of_bytes(bytes)?))
}

/// The photo in `bytes` as a small gray image (see [`of_bytes`]).
fn gray_of_bytes(bytes: &[u8]) -> Result<Plane, ErrorCode> {
    match format::inspect(bytes) {
        Ok(_) | Err(ErrorCode::PhotoLowResolution) => {}
        Err(e) => return Err(e),
    }
    let gray = match format::sniff_format(bytes)? {
        ImageFormat::Jpeg => match jpeg_small(bytes)? {
            Some(g) => g,
            None => general(bytes)?,
        },
        _ => general(bytes)?,
    };
    if gray.width == 0 || gray.height == 0 {
        return Err(ErrorCode::PhotoUnreadable);
    }
    Ok(gray)
}

/// The hash of a grayscale image (any size of at least one pixel).
pub fn of_gray(img: &Plane) -> Phash {
    from_squeezed(&squeeze(img, N))
}

/// The hash of an N x N thumbnail.
fn from_squeezed(small: &[f64]) -> Phash {
    // Separable DCT-II, only the LOW lowest frequencies in each direction.
    let basis: Vec<[f64; N]> = (0..LOW)
        .map(|u| {
            let mut row = [0f64; N];
            for (x, c) in row.iter_mut().enumerate() {
                *c = (std::f64::consts::PI * (2 * x + 1) as f64 * u as f64 / (2 * N) as f64).cos();
            }
            row
        })
        .collect();
    // Along x: rows[y][u].
    let rows: Vec<[f64; LOW]> = small
        .chunks_exact(N)
        .map(|r| {
            let mut out = [0f64; LOW];
            for (o, b) in out.iter_mut().zip(&basis) {
                *o = r.iter().zip(b).map(|(p, c)| p * c).sum();
            }
            out
        })
        .collect();
    // Along y: coef[v][u].
    let mut coef = [0f64; LOW * LOW];
    for (v, b) in basis.iter().enumerate() {
        for u in 0..LOW {
            coef[v * LOW + u] = rows.iter().zip(b).map(|(r, c)| r[u] * c).sum();
        }
    }
    let mut sorted = coef;
    sorted.sort_by(f64::total_cmp);
    let median = (sorted[LOW * LOW / 2 - 1] + sorted[LOW * LOW / 2]) / 2.0;
    let bits = coef
        .iter()
        .enumerate()
        .fold(0u64, |h, (i, c)| if *c > median { h | (1 << i) } else { h });
    Phash(bits)
}

/// Area-average the image into n x n cells (aspect ignored), as f64 luma; each source pixel
/// counts in a cell by the share of it that the cell covers.
fn squeeze(img: &Plane, n: usize) -> Vec<f64> {
    let (w, h) = (img.width, img.height);
    let xw = cell_weights(w, n);
    let yw = cell_weights(h, n);
    let mut rows = vec![0f64; n * h];
    for y in 0..h {
        let row = &img.data[y * w..(y + 1) * w];
        for (o, taps) in rows[y * n..(y + 1) * n].iter_mut().zip(&xw) {
            *o = taps.iter().map(|&(i, k)| f64::from(row[i]) * k).sum();
        }
    }
    let mut out = vec![0f64; n * n];
    for (oy, taps) in yw.iter().enumerate() {
        for ox in 0..n {
            out[oy * n + ox] = taps.iter().map(|&(i, k)| rows[i * n + ox] * k).sum();
        }
    }
    out
}

/// For each of the n cells along a side of `len` pixels, the pixels covering it and their
/// weights (summing to 1). A side shorter than n repeats pixels.
fn cell_weights(len: usize, n: usize) -> Vec<Vec<(usize, f64)>> {
    let s = len as f64 / n as f64;
    (0..n)
        .map(|o| {
            let (a, b) = (o as f64 * s, (o + 1) as f64 * s);
            let mut taps = Vec::new();
            let mut i = a.floor() as usize;
            while (i as f64) < b && i < len {
                let cover = b.min((i + 1) as f64) - a.max(i as f64);
                if cover > 0.0 {
                    taps.push((i, cover / (b - a)));
                }
                i += 1;
            }
            taps
        })
        .collect()
}

/// Long side the small JPEG decode aims for (at least).
const SMALL_LONG_SIDE: usize = 128;

/// A luma decode of a JPEG by the crate's DCT-scaled decoder at the smallest scale whose
/// long side still reaches [`SMALL_LONG_SIDE`], orientation applied; `Ok(None)` when that
/// decoder cannot read the file (the general decoder then tries).
fn jpeg_small(bytes: &[u8]) -> Result<Option<Plane>, ErrorCode> {
    let Some(j) = jpeg_scaled::jpeg_scaled(bytes, SMALL_LONG_SIDE, Samples::Gray, true)? else {
        return Ok(None);
    };
    if j.data.len() != j.width * j.height {
        return Ok(None);
    }
    Ok(Some(
        Plane::new(j.width, j.height, j.data).orient(j.orientation),
    ))
}

/// The general decoder under memory limits, orientation applied, as luma.
fn general(bytes: &[u8]) -> Result<Plane, ErrorCode> {
    let img = format::decode_oriented(bytes)?;
    // Luma with the JPEG (BT.601) weights, as the JPEG path gets it from the decoder: a PNG
    // copy of a JPEG shot must hash like the JPEG.
    let rgb = img.to_rgb8();
    let (w, h) = (rgb.width() as usize, rgb.height() as usize);
    let luma = rgb
        .as_raw()
        .chunks_exact(3)
        .map(|p| {
            let y = 299 * u32::from(p[0]) + 587 * u32::from(p[1]) + 114 * u32::from(p[2]);
            ((y + 500) / 1000) as u8
        })
        .collect();
    Ok(Plane::new(w, h, luma))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_distance() {
        let h = Phash(0x0123_4567_89ab_cdef);
        let json = serde_json::to_string(&h).unwrap_or_default();
        assert_eq!(json, "\"0123456789abcdef\"");
        assert_eq!(serde_json::from_str::<Phash>(&json).ok(), Some(h));
        assert!(serde_json::from_str::<Phash>("\"12\"").is_err());
        assert_eq!(h.distance(Phash(h.0 ^ 0b1011)), 3);
        assert!(same_shot(h, h));
    }

    #[test]
    fn fingerprint_hex_round_trip_and_pair() {
        let img = Plane {
            data: (0..64 * 48).map(|i| (i * 13 % 256) as u8).collect(),
            width: 64,
            height: 48,
        };
        let f = Fingerprint::of_gray(&img);
        assert_eq!(Fingerprint::from_hex(&f.to_hex()), Some(f.clone()));
        assert_eq!(Fingerprint::from_hex("00"), None);
        assert_eq!(
            Fingerprint::from_hex(&format!("g{}", &f.to_hex()[1..])),
            None
        );
        assert!(f.pair(&f).duplicate);
        let mut other = f.clone();
        other.thumb.iter_mut().for_each(|t| *t = 255 - *t);
        assert!(!f.pair(&other).duplicate);
    }

    #[test]
    fn a_gradient_differs_from_its_mirror() {
        let data: Vec<u8> = (0..64 * 48).map(|i| ((i % 64) * 4) as u8).collect();
        let a = of_gray(&Plane::new(64, 48, data.clone()));
        let b = of_gray(&Plane::new(64, 48, data).orient(crate::raster::Orientation::FlipH));
        assert!(a.distance(b) > SAME_SHOT_MAX_DISTANCE, "{a} {b}");
        // Smaller than the grid still hashes.
        let tiny = of_gray(&Plane::new(3, 2, vec![0, 128, 255, 0, 128, 255]));
        assert_eq!(
            tiny,
            of_gray(&Plane::new(3, 2, vec![0, 128, 255, 0, 128, 255]))
        );
    }
}
