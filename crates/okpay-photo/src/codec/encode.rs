//! The metadata-free JPEG encoder of uploads and previews (libjpeg, baseline, 4:2:0, its
//! standard tables, a JFIF header and nothing else): from RGB, a window of it cut and
//! oriented strip by strip on the way in, or from Y, Cb and Cr planes already at 4:2:0 (no
//! colour conversion or downsampling).

use crate::raster::Orientation;
use crate::raster::Plane;
use crate::raster::orient::{self, Window};
use image::RgbImage;
use okpay_rules::ErrorCode;

/// Baseline JPEG, 4:2:0, libjpeg's standard tables at `quality`, a JFIF header and nothing
/// else: no EXIF, XMP, ICC or comment segment.
pub fn encode_rgb(img: &RgbImage, quality: u8) -> Result<Vec<u8>, ErrorCode> {
    let whole = Window::whole(img.width() as usize, img.height() as usize);
    encode_with(img, whole, Orientation::Upright, quality)
}

/// [`encode_rgb`] of window `win` of `img` under `orientation`, its rows cut and oriented a
/// strip at a time.
pub(crate) fn encode_with(
    img: &RgbImage,
    win: Window,
    orientation: Orientation,
    level: u8,
) -> Result<Vec<u8>, ErrorCode> {
    let whole = Window::whole(img.width() as usize, img.height() as usize);
    let (w, h) = orient::displayed_size(win.w, win.h, orientation);
    let run = || -> std::io::Result<Vec<u8>> {
        let mut c = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_RGB);
        c.set_fastest_defaults();
        c.set_size(w, h);
        c.set_quality(f32::from(level));
        let mut started = c.start_compress(Vec::with_capacity(w * h / 4))?;
        if orientation == Orientation::Upright && win == whole {
            started.write_scanlines(img.as_raw())?;
        } else {
            const STRIP: usize = 16;
            let mut strip = vec![0u8; STRIP * w * 3];
            for r0 in (0..h).step_by(STRIP) {
                let r1 = (r0 + STRIP).min(h);
                let rows = &mut strip[..(r1 - r0) * w * 3];
                if !orient::oriented_rows::<3>(img.as_raw(), win, orientation, r0..r1, rows) {
                    return Err(std::io::Error::other("window outside the image"));
                }
                started.write_scanlines(rows)?;
            }
        }
        started.finish()
    };
    std::panic::catch_unwind(run)
        .ok()
        .and_then(Result::ok)
        .ok_or(ErrorCode::Internal)
}

/// [`encode_rgb`] of an image given as its planes: `y` of the image's size, `cb` and `cr`
/// of half of it rounded up (4:2:0), all in displayed orientation.
pub(crate) fn encode_ycc(
    y: &Plane,
    cb: &Plane,
    cr: &Plane,
    level: u8,
) -> Result<Vec<u8>, ErrorCode> {
    let (w, h) = (y.width, y.height);
    let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
    if w == 0 || h == 0 || (cb.width, cb.height) != (cw, ch) || (cr.width, cr.height) != (cw, ch) {
        return Err(ErrorCode::Internal);
    }
    let run = || -> std::io::Result<Vec<u8>> {
        let mut c = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_YCbCr);
        c.set_fastest_defaults();
        c.set_raw_data_in(true);
        c.set_size(w, h);
        c.set_quality(f32::from(level));
        let mut started = c.start_compress(Vec::with_capacity(w * h / 4))?;
        // Each plane padded to whole blocks as libjpeg reads them, its edge repeated.
        let sizes: Vec<(usize, usize)> = started
            .components()
            .iter()
            .map(|c| {
                (
                    c.width_in_blocks as usize * 8,
                    c.height_in_blocks as usize * 8,
                )
            })
            .collect();
        let planes: Vec<Vec<u8>> = [y, cb, cr]
            .iter()
            .zip(&sizes)
            .map(|(p, &(pw, ph))| padded(p, pw, ph))
            .collect();
        if sizes.len() != 3 || planes.iter().any(Vec::is_empty) {
            return Err(std::io::Error::other("unexpected components"));
        }
        let rows: Vec<&[u8]> = planes.iter().map(Vec::as_slice).collect();
        if !started.write_raw_data(&rows) {
            return Err(std::io::Error::other("raw data not taken"));
        }
        started.finish()
    };
    std::panic::catch_unwind(run)
        .ok()
        .and_then(Result::ok)
        .ok_or(ErrorCode::Internal)
}

/// `p` in a `pw` x `ph` buffer, its last column and row repeated to fill it; empty when `p`
/// does not fit.
fn padded(p: &Plane, pw: usize, ph: usize) -> Vec<u8> {
    if p.width == 0 || p.height == 0 || p.width > pw || p.height > ph {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(pw * ph);
    for row in p.data.chunks_exact(p.width).take(p.height) {
        out.extend_from_slice(row);
        let last = row[p.width - 1];
        out.resize(out.len() + pw - p.width, last);
    }
    let last_row = out[(p.height - 1) * pw..p.height * pw].to_vec();
    for _ in p.height..ph {
        out.extend_from_slice(&last_row);
    }
    out
}
