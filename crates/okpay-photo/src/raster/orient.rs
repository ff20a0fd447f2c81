//! A photo's EXIF orientation and what it does to coordinates and rows: the displayed size,
//! where a stored pixel is shown, and rows of an image (or of a window of it) in displayed
//! orientation made a strip at a time from the stored image, so the orientation is applied on
//! the way into the JPEG encoder without a second copy of the image.

/// How a photo's stored pixels become the displayed image (EXIF tag 0x0112, values 1 to 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Orientation {
    /// 1: as stored.
    #[default]
    Upright,
    /// 2: mirrored left to right.
    FlipH,
    /// 3: turned half round.
    Rotate180,
    /// 4: mirrored top to bottom.
    FlipV,
    /// 5: mirrored along the main diagonal (rows become columns).
    Transpose,
    /// 6: turned a quarter clockwise (a phone held upright, its camera's long side across).
    Rotate90,
    /// 7: mirrored along the other diagonal.
    Transverse,
    /// 8: turned a quarter anticlockwise.
    Rotate270,
}

impl Orientation {
    /// All eight, in EXIF order.
    pub const ALL: [Orientation; 8] = [
        Orientation::Upright,
        Orientation::FlipH,
        Orientation::Rotate180,
        Orientation::FlipV,
        Orientation::Transpose,
        Orientation::Rotate90,
        Orientation::Transverse,
        Orientation::Rotate270,
    ];

    /// The orientation an EXIF value names; `None` outside 1..=8.
    pub fn from_exif(value: u16) -> Option<Orientation> {
        let i = usize::from(value).checked_sub(1)?;
        Orientation::ALL.get(i).copied()
    }

    /// The EXIF value, 1..=8.
    pub fn exif(self) -> u16 {
        self as u16 + 1
    }

    /// Whether displayed rows are stored columns (5 to 8): width and height trade places.
    pub fn swaps_axes(self) -> bool {
        matches!(
            self,
            Orientation::Transpose
                | Orientation::Rotate90
                | Orientation::Transverse
                | Orientation::Rotate270
        )
    }
}

/// Size of `w` x `h` once `orientation` is applied.
pub fn displayed_size(w: usize, h: usize, orientation: Orientation) -> (usize, usize) {
    if orientation.swaps_axes() {
        (h, w)
    } else {
        (w, h)
    }
}

/// Where stored pixel (`x`, `y`) of a `w` x `h` image is shown under `orientation`.
pub fn shown_at(
    x: usize,
    y: usize,
    w: usize,
    h: usize,
    orientation: Orientation,
) -> (usize, usize) {
    match orientation {
        Orientation::FlipH => (w - 1 - x, y),
        Orientation::Rotate180 => (w - 1 - x, h - 1 - y),
        Orientation::FlipV => (x, h - 1 - y),
        Orientation::Transpose => (y, x),
        Orientation::Rotate90 => (h - 1 - y, x),
        Orientation::Transverse => (h - 1 - y, w - 1 - x),
        Orientation::Rotate270 => (y, w - 1 - x),
        Orientation::Upright => (x, y),
    }
}

/// The stored pixel of a `w` x `h` image shown at (`xd`, `yd`) under `orientation` (the
/// inverse of [`shown_at`]).
pub fn stored_at(
    xd: usize,
    yd: usize,
    w: usize,
    h: usize,
    orientation: Orientation,
) -> (usize, usize) {
    match orientation {
        Orientation::FlipH => (w - 1 - xd, yd),
        Orientation::Rotate180 => (w - 1 - xd, h - 1 - yd),
        Orientation::FlipV => (xd, h - 1 - yd),
        Orientation::Transpose => (yd, xd),
        Orientation::Rotate90 => (yd, h - 1 - xd),
        Orientation::Transverse => (w - 1 - yd, h - 1 - xd),
        Orientation::Rotate270 => (w - 1 - yd, xd),
        Orientation::Upright => (xd, yd),
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
/// per pixel) under `orientation`: exactly the rows [`orient_samples`](super::turn::orient_samples) gives of the
/// window cut out. `out` holds `rows.len()` rows of the displayed width. False, with `out`
/// left as is, for a window outside `src`, rows past its end or a short `out`.
pub fn oriented_rows<const C: usize>(
    src: &[u8],
    win: Window,
    orientation: Orientation,
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
    use Orientation::*;
    match orientation {
        // Displayed rows are stored rows, maybe reversed.
        Upright | FlipH | Rotate180 | FlipV => {
            for yd in rows {
                let y = if matches!(orientation, Rotate180 | FlipV) {
                    h - 1 - yd
                } else {
                    yd
                };
                let s = row(y);
                let d = &mut out[(yd - r0) * ow * C..(yd - r0 + 1) * ow * C];
                if matches!(orientation, FlipH | Rotate180) {
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
        Transpose | Rotate90 | Transverse | Rotate270 => {
            for y in 0..h {
                // Displayed column of stored row y, and the stored column of displayed row
                // yd: x = yd (5, 6) or w - 1 - yd (7, 8).
                let xd = if matches!(orientation, Transpose | Rotate270) {
                    y
                } else {
                    h - 1 - y
                };
                let s = row(y);
                for yd in rows.clone() {
                    let x = if matches!(orientation, Transpose | Rotate90) {
                        yd
                    } else {
                        w - 1 - yd
                    };
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

    #[test]
    fn strips_equal_the_whole_oriented_image() {
        let (w, h) = (23, 14);
        let src: Vec<u8> = (0..w * h * 3).map(|i| (i * 31 % 251) as u8).collect();
        for o in Orientation::ALL {
            let (ow, oh) = displayed_size(w, h, o);
            let whole =
                crate::raster::orient_samples(&src, w, h, 3, o).map_or(src.clone(), |r| r.0);
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
            assert_eq!(strips, whole, "orientation {o:?}");
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
        for o in Orientation::ALL {
            let (ow, oh) = displayed_size(9, 11, o);
            let whole =
                crate::raster::orient_samples(&cut, 9, 11, 3, o).map_or(cut.clone(), |r| r.0);
            let mut rows = vec![0u8; ow * oh * 3];
            assert!(oriented_rows::<3>(&src, win, o, 0..oh, &mut rows));
            assert_eq!(rows, whole, "orientation {o:?}");
        }
        // Past the image's end: nothing written.
        let mut out = vec![7u8; 9 * 3];
        assert!(!oriented_rows::<3>(
            &src,
            Window { y: 4, ..win },
            Orientation::Upright,
            0..1,
            &mut out
        ));
        assert!(out.iter().all(|&v| v == 7));
    }
}
