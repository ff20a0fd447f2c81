//! Rows of an image (or of a window of it) in displayed orientation, made a strip at a time
//! from the stored image: a photo's EXIF orientation applied on the way into the JPEG
//! encoder, without a second copy of the image (for a 12 MP photo's 1/2 decode, up to 9 MB
//! less to allocate and write).

/// Size of `w` x `h` once `orientation` (EXIF, 1..=8) is applied.
pub fn displayed_size(w: usize, h: usize, orientation: u16) -> (usize, usize) {
    if (5..=8).contains(&orientation) {
        (h, w)
    } else {
        (w, h)
    }
}

/// Where stored pixel (`x`, `y`) of a `w` x `h` image is shown under `orientation`.
pub fn shown_at(x: usize, y: usize, w: usize, h: usize, orientation: u16) -> (usize, usize) {
    match orientation {
        2 => (w - 1 - x, y),
        3 => (w - 1 - x, h - 1 - y),
        4 => (x, h - 1 - y),
        5 => (y, x),
        6 => (h - 1 - y, x),
        7 => (h - 1 - y, w - 1 - x),
        8 => (y, w - 1 - x),
        _ => (x, y),
    }
}

/// The stored pixel of a `w` x `h` image shown at (`xd`, `yd`) under `orientation` (the
/// inverse of [`shown_at`]).
pub fn stored_at(xd: usize, yd: usize, w: usize, h: usize, orientation: u16) -> (usize, usize) {
    match orientation {
        2 => (w - 1 - xd, yd),
        3 => (w - 1 - xd, h - 1 - yd),
        4 => (xd, h - 1 - yd),
        5 => (yd, xd),
        6 => (yd, h - 1 - xd),
        7 => (w - 1 - yd, h - 1 - xd),
        8 => (w - 1 - yd, xd),
        _ => (xd, yd),
    }
}

/// `w` x `h` stored pixels from column `x`, row `y` of an image whose rows are `stride`
/// pixels long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub x: usize,
    pub y: usize,
    pub w: usize,
    pub h: usize,
    pub stride: usize,
}

impl Window {
    /// The whole of a `w` x `h` image.
    pub fn whole(w: usize, h: usize) -> Window {
        Window {
            x: 0,
            y: 0,
            w,
            h,
            stride: w,
        }
    }
}

/// Fill `out` with displayed rows `rows` of window `win` of the image `src` (`C` samples
/// per pixel) under `orientation`: exactly the rows [`super::gray::orient`] gives of the
/// window cut out. `out` holds `rows.len()` rows of the displayed width. False, with `out`
/// left as is, for a window outside `src`, rows past its end or a short `out`.
pub fn oriented_rows<const C: usize>(
    src: &[u8],
    win: Window,
    orientation: u16,
    rows: std::ops::Range<usize>,
    out: &mut [u8],
) -> bool {
    let (w, h) = (win.w, win.h);
    let (ow, oh) = displayed_size(w, h, orientation);
    let end = (win.y + h).saturating_sub(1) * win.stride + win.x + w;
    if w == 0
        || h == 0
        || win.x + w > win.stride
        || src.len() < end * C
        || rows.end > oh
        || out.len() < rows.len() * ow * C
    {
        return false;
    }
    // Stored row `y` of the window.
    let row = |y: usize| {
        let start = ((win.y + y) * win.stride + win.x) * C;
        &src[start..start + w * C]
    };
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
                let s = row(y);
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
                let s = row(y);
                for yd in rows.clone() {
                    let x = if orientation <= 6 { yd } else { w - 1 - yd };
                    let o = ((yd - r0) * ow + xd) * C;
                    out[o..o + C].copy_from_slice(&s[x * C..(x + 1) * C]);
                }
            }
        }
    }
    true
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
                let win = Window::whole(w, h);
                assert!(oriented_rows::<3>(
                    &src,
                    win,
                    o,
                    r0..r1,
                    &mut strips[r0 * ow * 3..]
                ));
            }
            assert_eq!(strips, whole, "orientation {o}");
        }
    }

    #[test]
    fn a_window_gives_the_rows_of_its_own_image() {
        let (w, h) = (23, 14);
        let src: Vec<u8> = (0..w * h * 3).map(|i| (i * 31 % 251) as u8).collect();
        let win = Window {
            x: 4,
            y: 3,
            w: 9,
            h: 11,
            stride: w,
        };
        let cut: Vec<u8> = (3..14)
            .flat_map(|y| src[(y * w + 4) * 3..(y * w + 13) * 3].to_vec())
            .collect();
        for o in 1..=8u16 {
            let (ow, oh) = displayed_size(9, 11, o);
            let whole = gray::orient(&cut, 9, 11, 3, o).map_or(cut.clone(), |r| r.0);
            let mut rows = vec![0u8; ow * oh * 3];
            assert!(oriented_rows::<3>(&src, win, o, 0..oh, &mut rows));
            assert_eq!(rows, whole, "orientation {o}");
        }
        // Past the image's end: nothing written.
        let mut out = vec![7u8; 9 * 3];
        assert!(!oriented_rows::<3>(
            &src,
            Window { y: 4, ..win },
            1,
            0..1,
            &mut out
        ));
        assert!(out.iter().all(|&v| v == 7));
    }
}
