//! Rows of an image in displayed orientation, made a strip at a time from the stored
//! image: a photo's EXIF orientation applied on the way into the JPEG encoder, without a
//! second whole-size copy of the image (for a 12 MP photo's 1/2 decode, 9 MB less to
//! allocate and write).

/// Size of `w` x `h` once `orientation` (EXIF, 1..=8) is applied.
pub fn displayed_size(w: usize, h: usize, orientation: u16) -> (usize, usize) {
    if (5..=8).contains(&orientation) {
        (h, w)
    } else {
        (w, h)
    }
}

/// Fill `out` with displayed rows `rows` of the `w` x `h` image `src` (`C` samples per
/// pixel) under `orientation`: exactly the rows [`super::gray::orient`] gives. `out` holds
/// `rows.len()` rows of the displayed width; a short `src` or `out` leaves the rest as is.
pub fn oriented_rows<const C: usize>(
    src: &[u8],
    w: usize,
    h: usize,
    orientation: u16,
    rows: std::ops::Range<usize>,
    out: &mut [u8],
) {
    let (ow, oh) = displayed_size(w, h, orientation);
    if src.len() < w * h * C || rows.end > oh || out.len() < rows.len() * ow * C {
        return;
    }
    let r0 = rows.start;
    match orientation {
        // Displayed rows are stored rows, maybe reversed (any other value: as stored).
        0..=4 | 9.. => {
            for yd in rows {
                let y = if orientation == 3 || orientation == 4 {
                    h - 1 - yd
                } else {
                    yd
                };
                let s = &src[y * w * C..(y + 1) * w * C];
                let d = &mut out[(yd - r0) * ow * C..(yd - r0 + 1) * ow * C];
                if orientation == 2 || orientation == 3 {
                    for (d, s) in d.chunks_exact_mut(C).zip(s.chunks_exact(C).rev()) {
                        d.copy_from_slice(s);
                    }
                } else {
                    d.copy_from_slice(s);
                }
            }
        }
        // Displayed rows are stored columns: each stored row gives one pixel to every
        // displayed row of the strip, read from consecutive columns.
        _ => {
            for y in 0..h {
                // Displayed column of stored row y, and the stored column of displayed row
                // yd: x = yd (5, 6) or w - 1 - yd (7, 8).
                let xd = if orientation == 5 || orientation == 8 {
                    y
                } else {
                    h - 1 - y
                };
                let s = &src[y * w * C..(y + 1) * w * C];
                for yd in rows.clone() {
                    let x = if orientation <= 6 { yd } else { w - 1 - yd };
                    let o = ((yd - r0) * ow + xd) * C;
                    out[o..o + C].copy_from_slice(&s[x * C..(x + 1) * C]);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::gray;

    #[test]
    fn strips_equal_the_whole_oriented_image() {
        let (w, h) = (23, 14);
        let src: Vec<u8> = (0..w * h * 3).map(|i| (i * 31 % 251) as u8).collect();
        for o in 1..=8u16 {
            let (ow, oh) = displayed_size(w, h, o);
            let whole = gray::orient(&src, w, h, 3, o).map_or(src.clone(), |r| r.0);
            let mut strips = vec![0u8; ow * oh * 3];
            for r0 in (0..oh).step_by(5) {
                let r1 = (r0 + 5).min(oh);
                oriented_rows::<3>(&src, w, h, o, r0..r1, &mut strips[r0 * ow * 3..]);
            }
            assert_eq!(strips, whole, "orientation {o}");
        }
    }
}
