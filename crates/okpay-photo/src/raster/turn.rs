//! EXIF orientation applied to whole sample arrays: a tiled loop for any channel count, and
//! quarter turns (orientations 5 to 8) of one-byte planes eight by eight: each 8 x 8 block is
//! read as eight 64-bit rows, transposed in registers, and written as eight 64-bit rows
//! (byte-reversed where the turn mirrors them), several times faster than pixel by pixel.

use super::orient::{Orientation, displayed_size, shown_at};
use super::plane::Plane;

impl Plane {
    /// The plane as displayed under `orientation`.
    pub fn orient(self, orientation: Orientation) -> Plane {
        match orient_samples(&self.data, self.width, self.height, 1, orientation) {
            Some((data, w, h)) => Plane::new(w, h, data),
            None => self,
        }
    }
}

/// `channels`-interleaved samples (`w` x `h`) with `orientation` applied:
/// the new samples, width and height. `None` for [`Orientation::Upright`] (nothing to do) or
/// to do).
pub fn orient_samples(
    data: &[u8],
    w: usize,
    h: usize,
    channels: usize,
    orientation: Orientation,
) -> Option<(Vec<u8>, usize, usize)> {
    match channels {
        1 => orient_n::<1>(data, w, h, orientation),
        3 => orient_n::<3>(data, w, h, orientation),
        4 => orient_n::<4>(data, w, h, orientation),
        _ => None,
    }
}

fn orient_n<const C: usize>(
    data: &[u8],
    w: usize,
    h: usize,
    orientation: Orientation,
) -> Option<(Vec<u8>, usize, usize)> {
    if w == 0 || h == 0 || data.len() < w * h * C {
        return None;
    }
    // Where source pixel (x, y) lands in the output, as pixel `base + x * sx + y * sy`.
    let (wi, hi) = (w as isize, h as isize);
    let (base, sx, sy) = match orientation {
        Orientation::FlipH => (wi - 1, -1, wi),
        Orientation::Rotate180 => (wi * hi - 1, -1, -wi),
        Orientation::FlipV => ((hi - 1) * wi, 1, -wi),
        Orientation::Transpose => (0, hi, 1),
        Orientation::Rotate90 => (hi - 1, hi, -1),
        Orientation::Transverse => (wi * hi - 1, -hi, -1),
        Orientation::Rotate270 => ((wi - 1) * hi, -hi, 1),
        Orientation::Upright => return None,
    };
    let (ow, oh) = displayed_size(w, h, orientation);
    if C == 1
        && let Some(out) = quarter_turn(data, w, h, orientation)
    {
        return Some((out, ow, oh));
    }
    let mut out = vec![0u8; w * h * C];
    // In tiles, so that both the reads and the (strided) writes stay in cache.
    const TILE: usize = 32;
    for ty in (0..h).step_by(TILE) {
        for tx in (0..w).step_by(TILE) {
            let xe = (tx + TILE).min(w);
            for y in ty..(ty + TILE).min(h) {
                let mut i = base + tx as isize * sx + y as isize * sy;
                for p in data[(y * w + tx) * C..(y * w + xe) * C].chunks_exact(C) {
                    let o = i as usize * C;
                    out[o..o + C].copy_from_slice(p);
                    i += sx;
                }
            }
        }
    }
    Some((out, ow, oh))
}

/// `data` (`w` x `h`, one byte per pixel) under `orientation` (5..=8): the `h` x `w`
/// displayed plane. `None` for any other orientation or a short `data`.
pub fn quarter_turn(data: &[u8], w: usize, h: usize, orientation: Orientation) -> Option<Vec<u8>> {
    if !orientation.swaps_axes() || data.len() < w * h {
        return None;
    }
    let ow = h;
    let mut out = vec![0u8; w * h];
    let place = |x: usize, y: usize| shown_at(x, y, w, h, orientation);
    // Columns of the displayed row run with y, forwards or backwards.
    let backwards = matches!(orientation, Orientation::Rotate90 | Orientation::Transverse);
    let (w8, h8) = (w - w % 8, h - h % 8);
    for by in (0..h8).step_by(8) {
        for bx in (0..w8).step_by(8) {
            let mut m = [0u64; 8];
            for (r, m) in m.iter_mut().enumerate() {
                let at = (by + r) * w + bx;
                let mut b = [0u8; 8];
                b.copy_from_slice(&data[at..at + 8]);
                *m = u64::from_le_bytes(b);
            }
            // Row c of `t`: stored column bx + c, rows by..by + 8.
            let t = transpose8(m);
            for (c, &t) in t.iter().enumerate() {
                let (xd, yd) = place(bx + c, by);
                let (x0, bytes) = if backwards {
                    (xd - 7, t.swap_bytes())
                } else {
                    (xd, t)
                };
                let at = yd * ow + x0;
                out[at..at + 8].copy_from_slice(&bytes.to_le_bytes());
            }
        }
    }
    // The right and bottom edges left over, pixel by pixel.
    for y in 0..h {
        let xs = if y < h8 { w8..w } else { 0..w };
        for x in xs {
            let (xd, yd) = place(x, y);
            out[yd * ow + xd] = data[y * w + x];
        }
    }
    Some(out)
}

/// An 8 x 8 byte matrix (row `r` in `m[r]`, column `c` in byte `c`) transposed: three rounds
/// of swapping the off-diagonal halves of 2 x 2, then 4 x 4, then 8 x 8 blocks.
fn transpose8(mut m: [u64; 8]) -> [u64; 8] {
    for (span, mask) in [
        (1, 0x00FF_00FF_00FF_00FFu64),
        (2, 0x0000_FFFF_0000_FFFF),
        (4, 0x0000_0000_FFFF_FFFF),
    ] {
        let shift = 8 * span as u32;
        for i in 0..8 {
            if i & span == 0 {
                let (a, b) = (m[i], m[i + span]);
                let t = ((a >> shift) ^ b) & mask;
                m[i + span] = b ^ t;
                m[i] = a ^ (t << shift);
            }
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The displayed plane pixel by pixel.
    fn slow(data: &[u8], w: usize, h: usize, o: Orientation) -> Vec<u8> {
        let mut out = vec![0u8; w * h];
        for y in 0..h {
            for x in 0..w {
                let (xd, yd) = crate::raster::orient::shown_at(x, y, w, h, o);
                out[yd * h + xd] = data[y * w + x];
            }
        }
        out
    }

    #[test]
    fn blocks_and_edges_land_where_the_turn_puts_them() {
        for (w, h) in [(8, 8), (16, 24), (37, 22), (5, 3), (64, 9), (1, 1)] {
            let data: Vec<u8> = (0..w * h).map(|i| (i * 37 % 251) as u8).collect();
            for o in Orientation::ALL.into_iter().filter(|o| o.swaps_axes()) {
                assert_eq!(
                    quarter_turn(&data, w, h, o),
                    Some(slow(&data, w, h, o)),
                    "{w}x{h} {o:?}"
                );
            }
        }
        assert_eq!(quarter_turn(&[0; 4], 2, 2, Orientation::Rotate180), None);
        assert_eq!(quarter_turn(&[0; 3], 2, 2, Orientation::Rotate90), None);
    }

    #[test]
    fn transposed_twice_is_the_same() {
        let m: [u64; 8] =
            std::array::from_fn(|r| 0x0706_0504_0302_0100 + 0x0808_0808_0808_0808 * r as u64);
        let t = transpose8(m);
        // Row 0 of the transpose: byte r is row r's byte 0.
        assert_eq!(t[0].to_le_bytes(), [0, 8, 16, 24, 32, 40, 48, 56]);
        assert_eq!(transpose8(t), m);
    }
}
