//! [`super::examine`] for a 4:2:0 JPEG at the scales of a 12 to 20 MP phone photo, in one
//! pass of the engine's own decoder ([`quality::jpeg_reduced::decode_with_half`]): the 1/2-scale Y,
//! Cb and Cr planes, and the analysis image made of their 2 x 2 means. The upload is the card's region of those planes, oriented and encoded as they are
//! (a 4:2:0 JPEG holds exactly them: no colour conversion, upsampling or downsampling), and
//! the preview comes from the analysis luma and the chroma planes. No RGB image is made.

use super::crop::{self, Span};
use super::output::{Examined, PREVIEW_LONG_SIDE, PREVIEW_QUALITY, UPLOAD_LONG_SIDE};
use crate::codec::analysis::{self, Analysis};
use crate::codec::encode::encode_ycc;
use crate::codec::format::PhotoFacts;
use crate::codec::jpeg_reduced::Half;
use crate::quality::Verdict;
use crate::raster::Orientation;
use crate::raster::Plane;
use crate::raster::orient;
use crate::raster::resample::fit_size;
use okpay_rules::ErrorCode;

/// One decode of a photo on this path.
pub(super) struct Planar {
    pub analysis: Analysis,
    /// Stored orientation.
    half: Half,
    /// The EXIF orientation the planes still need.
    orientation: Orientation,
}

impl Planar {
    /// The decode, when this path takes the photo (see the module docs); `min_half_long` is
    /// the long side the 1/2 scale must reach.
    pub fn decode(bytes: &[u8], min_half_long: usize) -> Result<Option<Planar>, ErrorCode> {
        let Some((analysis, half, orientation)) =
            analysis::jpeg_analysis_and_half(bytes, min_half_long)?
        else {
            return Ok(None);
        };
        Ok(Some(Planar {
            analysis,
            half,
            orientation,
        }))
    }

    /// Displayed width and height of the 1/2-scale luma.
    pub fn shown(&self) -> (usize, usize) {
        orient::displayed_size(self.half.y.width, self.half.y.height, self.orientation)
    }

    /// The upload and the preview, given the verdict.
    pub fn finish(self, facts: PhotoFacts, verdict: Verdict) -> Result<Examined, ErrorCode> {
        let (width, height) = (self.analysis.width, self.analysis.height);
        let span = crop::upload_span(verdict.quad.as_ref(), (width, height), self.shown());
        let (yw, yh) = (self.half.y.width, self.half.y.height);
        // Cut on even stored rows and columns, so that the chroma's 2 x 2 samples stay whole.
        let stored = even(span.stored(yw, yh, self.orientation), yw, yh);
        let shown = stored.displayed(yw, yh, self.orientation);
        let chroma = Span {
            x0: stored.x0 / 2,
            y0: stored.y0 / 2,
            x1: stored.x1.div_ceil(2),
            y1: stored.y1.div_ceil(2),
        };
        let o = self.orientation;
        let mut y = cut(&self.half.y, stored, o)?;
        let mut cb = cut(&self.half.cb, chroma, o)?;
        let mut cr = cut(&self.half.cr, chroma, o)?;
        if let Some((w, h, _)) = fit_size(y.width, y.height, UPLOAD_LONG_SIDE as usize) {
            y = y.resize_area(w, h);
            cb = cb.resize_area(w.div_ceil(2), h.div_ceil(2));
            cr = cr.resize_area(w.div_ceil(2), h.div_ceil(2));
        }
        let upload = encode_ycc(&y, &cb, &cr, super::UPLOAD_QUALITY)?;
        let upload_region = shown.full_rect((width, height), self.shown());
        let preview = self.preview()?;
        Ok(Examined {
            facts: PhotoFacts {
                width,
                height,
                ..facts
            },
            verdict,
            upload,
            upload_region,
            preview,
        })
    }

    /// The preview: the analysis luma and the chroma planes brought to its size.
    fn preview(&self) -> Result<Vec<u8>, ErrorCode> {
        let g = &self.analysis.gray;
        let (pw, ph) = fit_size(g.width, g.height, PREVIEW_LONG_SIDE as usize)
            .map_or((g.width, g.height), |(w, h, _)| (w, h));
        let y = g.resize_area(pw, ph);
        // The chroma is resized as stored, then turned.
        let (cw, ch) = orient::displayed_size(pw.div_ceil(2), ph.div_ceil(2), self.orientation);
        let turn = |p: &Plane| p.resize_area(cw, ch).orient(self.orientation);
        let (cb, cr) = (turn(&self.half.cb), turn(&self.half.cr));
        encode_ycc(&y, &cb, &cr, PREVIEW_QUALITY)
    }
}

/// `s` widened to even edges (or the edge of the `w` x `h` plane).
fn even(s: Span, w: usize, h: usize) -> Span {
    let up = |v: usize, len: usize| (v + (v & 1)).min(len);
    Span {
        x0: s.x0 & !1,
        y0: s.y0 & !1,
        x1: up(s.x1, w),
        y1: up(s.y1, h),
    }
}

/// Span `s` of plane `p` (stored), turned by `orientation`.
fn cut(p: &Plane, s: Span, orientation: Orientation) -> Result<Plane, ErrorCode> {
    if s.x1 > p.width || s.y1 > p.height || s.width() == 0 || s.height() == 0 {
        return Err(ErrorCode::Internal);
    }
    let mut data = Vec::with_capacity(s.width() * s.height());
    for row in p.data.chunks_exact(p.width).skip(s.y0).take(s.height()) {
        data.extend_from_slice(&row[s.x0..s.x1]);
    }
    Ok(Plane::new(s.width(), s.height(), data).orient(orientation))
}
