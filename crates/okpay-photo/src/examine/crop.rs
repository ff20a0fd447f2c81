//! The part of a photo that is uploaded: the card found, with a margin of [`UPLOAD_CARD_MARGIN`] of
//! its long side on every side (its edges and a strip of what lies around them stay for the
//! reviewer), aligned outward to whole 16 px JPEG blocks and clamped to the frame; the whole
//! frame when no card was found. Less of the user's surroundings leaves the device, the upload
//! is smaller on a slow network, and its encode is shorter.

use crate::codec::format::MIN_LONG_SIDE;
use crate::quality::Rect;
use crate::raster::Orientation;
use crate::raster::orient::{self, Window};

/// Margin kept around the card's bounding box, as a share of its long side.
pub const UPLOAD_CARD_MARGIN: f32 = 0.25;
/// The region grows to at least this many pixels across and down (the frame permitting), so
/// that an upload always meets [`MIN_LONG_SIDE`] and [`super::MIN_SHORT_SIDE`].
const MIN_SIDE: usize = MIN_LONG_SIDE as usize;
/// Edges are moved outward to multiples of this (a 4:2:0 JPEG's block of 16 x 16 pixels).
const ALIGN: usize = 16;

/// A pixel rectangle: columns `x0..x1`, rows `y0..y1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
}

impl Span {
    pub fn whole(w: usize, h: usize) -> Span {
        Span {
            x0: 0,
            y0: 0,
            x1: w,
            y1: h,
        }
    }

    pub fn width(&self) -> usize {
        self.x1 - self.x0
    }

    pub fn height(&self) -> usize {
        self.y1 - self.y0
    }

    /// This span of the displayed image, in the stored image of `w` x `h` (before
    /// `orientation` is applied).
    pub fn stored(&self, w: usize, h: usize, orientation: Orientation) -> Span {
        self.mapped(|x, y| orient::stored_at(x, y, w, h, orientation))
    }

    /// This span of the stored image of `w` x `h`, in the displayed image (the inverse of
    /// [`Span::stored`]).
    pub fn displayed(&self, w: usize, h: usize, orientation: Orientation) -> Span {
        self.mapped(|x, y| orient::shown_at(x, y, w, h, orientation))
    }

    /// The span whose corners are this one's mapped by `at` (an axis-aligned bijection).
    fn mapped(&self, at: impl Fn(usize, usize) -> (usize, usize)) -> Span {
        let (a, b) = (at(self.x0, self.y0), at(self.x1 - 1, self.y1 - 1));
        Span {
            x0: a.0.min(b.0),
            y0: a.1.min(b.1),
            x1: a.0.max(b.0) + 1,
            y1: a.1.max(b.1) + 1,
        }
    }

    /// This span of a decode `shown` (displayed width, height) of a photo `full` (displayed
    /// full-resolution width, height), in full-resolution pixels.
    pub fn full_rect(&self, full: (u32, u32), shown: (usize, usize)) -> Rect {
        let (kx, ky) = scales(full, shown);
        Rect {
            x: self.x0 as f32 / kx,
            y: self.y0 as f32 / ky,
            width: self.width() as f32 / kx,
            height: self.height() as f32 / ky,
        }
    }

    /// This span of an image whose rows are `stride` pixels long.
    pub fn window(&self, stride: usize) -> Window {
        Window {
            x: self.x0,
            y: self.y0,
            w: self.width(),
            h: self.height(),
            stride,
        }
    }
}

/// Decoded pixels per full-resolution pixel, across and down.
fn scales(full: (u32, u32), shown: (usize, usize)) -> (f32, f32) {
    (
        shown.0 as f32 / full.0 as f32,
        shown.1 as f32 / full.1 as f32,
    )
}

/// [`card_span`] in a decode `shown` (displayed width, height) of a photo `full` (displayed
/// full-resolution width, height) whose card is `quad` (full-resolution pixels, as the
/// verdict has it).
pub(super) fn upload_span(
    quad: Option<&[[f32; 2]; 4]>,
    full: (u32, u32),
    shown: (usize, usize),
) -> Span {
    let (kx, ky) = scales(full, shown);
    let quad = quad.map(|q| q.map(|[x, y]| [x * kx, y * ky]));
    card_span(quad.as_ref(), shown.0, shown.1)
}

/// The region to upload of a `w` x `h` image (displayed pixels) whose card is `quad` (same
/// pixels): the card's bounding box and margin, grown to [`MIN_SIDE`], aligned, clamped.
pub(super) fn card_span(quad: Option<&[[f32; 2]; 4]>, w: usize, h: usize) -> Span {
    let whole = Span::whole(w, h);
    let Some(quad) = quad.filter(|q| q.iter().flatten().all(|v| v.is_finite())) else {
        return whole;
    };
    let (mut x0, mut y0) = (f32::MAX, f32::MAX);
    let (mut x1, mut y1) = (f32::MIN, f32::MIN);
    for &[x, y] in quad {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    let margin = (x1 - x0).max(y1 - y0) * UPLOAD_CARD_MARGIN;
    let axis = |lo: f32, hi: f32, len: usize| -> Option<(usize, usize)> {
        // Clamped first: a corner may lie outside the frame.
        let lo = (lo - margin).clamp(0.0, len as f32).floor() as usize;
        let hi = (hi + margin).clamp(0.0, len as f32).ceil() as usize;
        if hi <= lo {
            return None;
        }
        let (mut lo, mut hi) = ((lo / ALIGN) * ALIGN, hi.div_ceil(ALIGN) * ALIGN);
        // Too narrow: widened on both sides, then moved back inside the frame.
        let want = MIN_SIDE.min(len);
        if hi - lo < want {
            let grow = want - (hi - lo);
            lo = lo.saturating_sub(grow.div_ceil(2));
            hi = lo + want.max(hi - lo);
        }
        if hi > len {
            lo = lo.saturating_sub(hi - len);
            hi = len;
        }
        Some((lo, hi))
    };
    match (axis(x0, x1, w), axis(y0, y1, h)) {
        (Some((x0, x1)), Some((y0, y1))) => Span { x0, y0, x1, y1 },
        _ => whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_window_turned_upright_is_the_displayed_span() {
        let (w, h) = (37, 22);
        let img: Vec<u8> = (0..w * h * 3).map(|i| (i * 31 % 251) as u8).collect();
        // Span `s` of a `w` x `h` image, turned by `o`.
        let rows = |src: &[u8], w: usize, s: Span, o: Orientation| {
            let (dw, dh) = orient::displayed_size(s.width(), s.height(), o);
            let mut out = vec![0u8; dw * dh * 3];
            assert!(orient::oriented_rows::<3>(
                src,
                s.window(w),
                o,
                0..dh,
                &mut out
            ));
            out
        };
        for o in Orientation::ALL {
            let (upright, dw, dh) =
                crate::raster::orient_samples(&img, w, h, 3, o).unwrap_or((img.clone(), w, h));
            for span in [
                Span::whole(dw, dh),
                Span {
                    x0: 3,
                    y0: 5,
                    x1: 17,
                    y1: 9,
                },
                Span {
                    x0: 0,
                    y0: 1,
                    x1: 1,
                    y1: dh,
                },
            ] {
                let turned = rows(&img, w, span.stored(w, h, o), o);
                assert_eq!(
                    turned,
                    rows(&upright, dw, span, Orientation::Upright),
                    "{o:?} {span:?}"
                );
            }
        }
    }

    #[test]
    fn displayed_undoes_stored() {
        let s = Span {
            x0: 3,
            y0: 5,
            x1: 17,
            y1: 9,
        };
        for o in Orientation::ALL {
            assert_eq!(s.stored(37, 22, o).displayed(37, 22, o), s, "{o:?}");
        }
    }

    #[test]
    fn the_card_keeps_its_margin_on_block_edges_inside_the_frame() {
        let quad = [
            [700.0, 500.0],
            [1500.0, 520.0],
            [1490.0, 1010.0],
            [690.0, 990.0],
        ];
        let s = card_span(Some(&quad), 2016, 1512);
        // Long side 810: a margin of 202.5 px.
        assert_eq!(
            s,
            Span {
                x0: 480,
                y0: 288,
                x1: 1712,
                y1: 1216
            }
        );
        // A corner past the frame: clamped to it.
        let cut = quad.map(|p| [p[0] + 500.0, p[1]]);
        assert_eq!(card_span(Some(&cut), 2016, 1512).x1, 2016);
    }

    #[test]
    fn a_small_card_still_gives_an_upload_of_the_least_size() {
        let quad = [
            [100.0, 100.0],
            [300.0, 100.0],
            [300.0, 226.0],
            [100.0, 226.0],
        ];
        let s = card_span(Some(&quad), 1200, 800);
        assert_eq!((s.width(), s.height()), (640, 640));
        assert_eq!((s.x0, s.y0), (0, 0));
        // A frame smaller than that: the whole of it.
        assert_eq!(card_span(Some(&quad), 500, 400), Span::whole(500, 400));
    }

    #[test]
    fn no_card_or_a_broken_quad_gives_the_whole_frame() {
        assert_eq!(card_span(None, 640, 480), Span::whole(640, 480));
        let nan = [[f32::NAN, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];
        assert_eq!(card_span(Some(&nan), 640, 480), Span::whole(640, 480));
        let outside = [
            [-90.0, -90.0],
            [-50.0, -90.0],
            [-50.0, -60.0],
            [-90.0, -60.0],
        ];
        assert_eq!(card_span(Some(&outside), 640, 480), Span::whole(640, 480));
    }
}
