//! A video frame as the analysis image: RGBA from a canvas, its luma at most
//! [`FRAME_LONG_SIDE`] on the long side and its colour at the card search's scale. The size
//! is checked against the bytes before anything is read, and bounded.

use crate::codec::analysis::Analysis;
use crate::raster::chroma::{self, Chroma};
use crate::raster::resample::luma_fit;
use okpay_rules::ErrorCode;

/// The long side frames are judged at (the web side sends about this).
pub const FRAME_LONG_SIDE: usize = 640;
/// The largest frame taken: anything longer is refused, not scaled.
pub const MAX_FRAME_LONG_SIDE: usize = 1280;
/// The smallest side a frame may have.
const MIN_FRAME_SIDE: usize = 64;

/// The analysis image of an RGBA frame `width` x `height` (`rgba.len()` must be exactly
/// `4 * width * height`). Coordinates of what is found are in frame pixels.
pub fn frame_analysis(rgba: &[u8], width: usize, height: usize) -> Result<Analysis, ErrorCode> {
    if width.max(height) > MAX_FRAME_LONG_SIDE {
        return Err(ErrorCode::PhotoTooLarge);
    }
    if width.min(height) < MIN_FRAME_SIDE {
        return Err(ErrorCode::PhotoLowResolution);
    }
    if width.checked_mul(height).and_then(|n| n.checked_mul(4)) != Some(rgba.len()) {
        return Err(ErrorCode::PhotoUnreadable);
    }
    let rgb: Vec<u8> = rgba
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let (gray, scale) = luma_fit(&rgb, width, height, FRAME_LONG_SIDE);
    let (cw, ch) = chroma::search_size(gray.width, gray.height);
    let chroma = Chroma::from_rgb_resized(&rgb, width, height, cw, ch);
    Ok(Analysis {
        gray,
        width: width as u32,
        height: height as u32,
        scale,
        path: "frame",
        chroma: Some(chroma),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_must_match_the_bytes_and_stay_bounded() {
        let ok = vec![128u8; 4 * 640 * 480];
        let a = frame_analysis(&ok, 640, 480);
        assert!(matches!(&a, Ok(a) if a.gray.width == 640 && a.gray.height == 480));
        assert_eq!(
            frame_analysis(&ok, 640, 479).err(),
            Some(ErrorCode::PhotoUnreadable)
        );
        assert_eq!(
            frame_analysis(&ok, usize::MAX / 2, 3).err(),
            Some(ErrorCode::PhotoTooLarge)
        );
        assert_eq!(
            frame_analysis(&[], 32, 32).err(),
            Some(ErrorCode::PhotoLowResolution)
        );
        let big = vec![0u8; 4 * 1280 * 720];
        assert!(matches!(frame_analysis(&big, 1280, 720), Ok(a) if a.gray.width == 640));
    }
}
