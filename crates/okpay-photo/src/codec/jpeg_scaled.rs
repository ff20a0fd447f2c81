//! A JPEG decoded at a DCT scale of n/8 (the smallest that covers the size asked for), not yet
//! oriented: through the engine's own reduced-scale decoder where it applies, else libjpeg
//! (the `mozjpeg` build of libjpeg-turbo), to gray, RGB, or Y with the chroma split off.

use super::exif;
use super::jpeg_reduced::{self, dct_scale};
use crate::raster::Orientation;
use crate::raster::chroma::{Chroma, YccSplit};
use okpay_rules::ErrorCode;

/// A JPEG decoded at a DCT scale of `num / 8`, not yet oriented.
pub(crate) struct ScaledJpeg {
    /// Plane or Y (1 byte per pixel) or RGB (3) samples, row-major.
    pub data: Vec<u8>,
    pub width: usize,
    pub height: usize,
    /// Stored (not oriented) full-resolution size.
    pub full_width: usize,
    pub full_height: usize,
    /// EXIF orientation, 1 when absent.
    pub orientation: Orientation,
    /// The scale numerator over 8.
    pub num: u8,
    /// The chroma of a YCbCr decode of a colour photo (see [`YccSplit`]).
    pub chroma: Option<Chroma>,
}

impl ScaledJpeg {
    /// The own decoder's 1/4-scale planes of a photo with EXIF `orientation`.
    pub(super) fn quarter(q: jpeg_reduced::Quarter, orientation: Orientation) -> ScaledJpeg {
        ScaledJpeg {
            data: q.y.data,
            width: q.y.width,
            height: q.y.height,
            full_width: q.full_width,
            full_height: q.full_height,
            orientation,
            num: 2,
            chroma: q.chroma,
        }
    }

    /// The decode path, as reported in the metrics.
    pub fn path(&self) -> &'static str {
        const PATHS: [&str; 8] = [
            "jpeg-scaled-1/8",
            "jpeg-scaled-1/4",
            "jpeg-scaled-3/8",
            "jpeg-scaled-1/2",
            "jpeg-scaled-5/8",
            "jpeg-scaled-3/4",
            "jpeg-scaled-7/8",
            "jpeg-scaled-1/1",
        ];
        PATHS[usize::from(self.num.clamp(1, 8)) - 1]
    }

    /// Displayed (oriented) full-resolution width and height.
    pub fn displayed(&self) -> (usize, usize) {
        crate::raster::orient::displayed_size(self.full_width, self.full_height, self.orientation)
    }
}

/// The samples a DCT-scaled JPEG decode delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Samples {
    Gray,
    Rgb,
    /// The Y plane, with the chroma split off as it is decoded (see [`YccSplit`]).
    YCbCr,
}

/// Decode a JPEG with DCT scaling at [`dct_scale`], to gray, RGB or YCbCr (a gray JPEG
/// gives gray): gray and YCbCr through the engine's own decoder when `own` and it applies
/// ([`jpeg_reduced`]: the same Y plane, the chroma at its blocks' 2 x 2 scale), else libjpeg.
/// `Ok(None)` when libjpeg cannot read the file (CMYK, 12-bit, ...): the caller then tries
/// the general decoder, which reports the error. A file cut short before its end-of-image
/// marker is unreadable.
pub(crate) fn jpeg_scaled(
    bytes: &[u8],
    min_long: usize,
    samples: Samples,
    own: bool,
) -> Result<Option<ScaledJpeg>, ErrorCode> {
    let Some(layout) = exif::jpeg_layout(bytes) else {
        return Ok(None);
    };
    if !layout.complete {
        return Err(ErrorCode::PhotoUnreadable);
    }
    let orientation = layout.orientation.unwrap_or_default();
    if own && samples != Samples::Rgb {
        let chroma = samples == Samples::YCbCr;
        if let Some(q) = jpeg_reduced::decode(bytes, min_long, chroma) {
            return Ok(Some(ScaledJpeg::quarter(q, orientation)));
        }
    }
    let run = || -> std::io::Result<Option<ScaledJpeg>> {
        let mut dec = mozjpeg::Decompress::new_mem(bytes)?;
        let (fw, fh) = dec.size();
        let num = dct_scale(fw.max(fh), min_long);
        dec.scale(num);
        if samples == Samples::Rgb && num < 8 {
            // Below full size the luma takes a reduced IDCT; the 8 x 8 one left is the
            // chroma's (scaled up instead of upsampled), where the fast integer IDCT's small
            // error is invisible: ~1 ms less for a 12 MP photo at 1/2.
            dec.dct_method(mozjpeg::DctMethod::IntegerFast);
        }
        let colour = dec.color_space() != mozjpeg::ColorSpace::JCS_GRAYSCALE;
        if samples == Samples::YCbCr {
            // The chroma is wanted at half the decoded size at most: plain replication
            // instead of the smoothing upsampler, and the 2 x 2 means give the samples back.
            dec.do_fancy_upsampling(false);
        }
        let mut started = match samples {
            Samples::Gray => dec.grayscale()?,
            Samples::Rgb => dec.rgb()?,
            Samples::YCbCr if colour => dec.to_colorspace(mozjpeg::ColorSpace::JCS_YCbCr)?,
            Samples::YCbCr => dec.grayscale()?,
        };
        let (width, height) = (started.width(), started.height());
        let (data, chroma) = if samples == Samples::YCbCr && colour {
            // Split as decoded, a strip at a time.
            let mut split = YccSplit::new(width, height, min_long);
            let k = split.strip_rows();
            let mut strip = vec![0u8; k * width * 3];
            let mut row = 0;
            while row < height {
                let n = k.min(height - row);
                let rows = started.read_scanlines_into(&mut strip[..n * width * 3])?;
                split.push(rows, row);
                row += n;
            }
            let (y, c) = split.finish();
            (y.data, Some(c))
        } else {
            (started.read_scanlines::<u8>()?, None)
        };
        started.finish()?;
        let channels = match samples {
            Samples::Rgb => 3,
            Samples::Gray | Samples::YCbCr => 1,
        };
        if data.len() != width * height * channels {
            return Ok(None);
        }
        Ok(Some(ScaledJpeg {
            data,
            chroma,
            width,
            height,
            full_width: fw,
            full_height: fh,
            orientation,
            num,
        }))
    };
    // libjpeg reports fatal errors by unwinding; a hostile file must not take the process
    // down.
    Ok(std::panic::catch_unwind(run)
        .ok()
        .and_then(Result::ok)
        .flatten())
}
