//! What a JPEG says about itself before anything is decoded: its frame (baseline, extended,
//! progressive), size and components, and how many scans follow. A walk over the markers,
//! linear in the file's length with no allocation beyond the components, so the refusals
//! that bound decoding work (too many scans, too much coefficient memory, not what an
//! upload may be) cost nothing like a decode.

use okpay_rules::ErrorCode;

/// How the frame is coded (the SOF marker).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JpegFrame {
    /// SOF0.
    Baseline,
    /// SOF1: sequential, extended (12-bit or more tables); libjpeg decodes it like baseline.
    Extended,
    /// SOF2: progressive, decoded by buffering every coefficient of the image.
    Progressive,
    /// Lossless, hierarchical or arithmetic-coded: not decoded here.
    Other,
}

/// One component's sampling factors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sampling {
    pub h: u8,
    pub v: u8,
}

/// The header facts of a JPEG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JpegHeader {
    pub frame: JpegFrame,
    /// Stored (not EXIF-oriented) size.
    pub width: u32,
    pub height: u32,
    pub components: Vec<Sampling>,
    /// Start-of-scan markers seen, counted up to the limit given to [`read`] plus one.
    pub scans: u32,
}

impl JpegHeader {
    /// Bytes a progressive decode holds for the whole image's DCT coefficients (64 of 2
    /// bytes per 8 x 8 block of each component); 0 for a sequential frame, which decodes
    /// row by row.
    pub fn coefficient_bytes(&self) -> u64 {
        if self.frame != JpegFrame::Progressive {
            return 0;
        }
        let hmax = u64::from(
            self.components
                .iter()
                .map(|c| c.h)
                .max()
                .unwrap_or(1)
                .max(1),
        );
        let vmax = u64::from(
            self.components
                .iter()
                .map(|c| c.v)
                .max()
                .unwrap_or(1)
                .max(1),
        );
        let (w, h) = (u64::from(self.width), u64::from(self.height));
        self.components
            .iter()
            .map(|c| {
                let cw = (w * u64::from(c.h)).div_ceil(hmax);
                let ch = (h * u64::from(c.v)).div_ceil(vmax);
                cw.div_ceil(8) * ch.div_ceil(8) * 128
            })
            .sum()
    }
}

/// Walk the markers of `bytes`, counting scans up to `max_scans + 1` (the walk stops there).
/// `PHOTO_UNREADABLE` when it is not a well-formed JPEG up to its first scan.
pub fn read(bytes: &[u8], max_scans: u32) -> Result<JpegHeader, ErrorCode> {
    let bad = || ErrorCode::PhotoUnreadable;
    if bytes.get(..2) != Some(&[0xFF, 0xD8]) {
        return Err(bad());
    }
    let mut frame: Option<(JpegFrame, u32, u32, Vec<Sampling>)> = None;
    let mut scans = 0u32;
    let mut pos = 2;
    loop {
        // A marker: 0xFF, any fill bytes 0xFF, then its code. Stray bytes before it are
        // skipped, as libjpeg does.
        if bytes.get(pos) != Some(&0xFF) {
            match bytes[pos.min(bytes.len())..]
                .iter()
                .position(|&b| b == 0xFF)
            {
                Some(i) => pos += i,
                None => break,
            }
        }
        while bytes.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let Some(&code) = bytes.get(pos) else {
            break; // the file ends without EOI: the decoder will say whether that matters
        };
        pos += 1;
        match code {
            0xD9 => break,
            0x01 | 0xD0..=0xD7 => continue, // no length
            _ => {}
        }
        let len = bytes
            .get(pos..pos + 2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
            .ok_or_else(bad)?;
        if len < 2 {
            return Err(bad());
        }
        let segment = bytes.get(pos + 2..pos + len).ok_or_else(bad)?;
        pos += len;
        match code {
            0xC0..=0xCF if !matches!(code, 0xC4 | 0xC8 | 0xCC) => {
                if frame.is_some() {
                    return Err(bad()); // one frame per image
                }
                let kind = match code {
                    0xC0 => JpegFrame::Baseline,
                    0xC1 => JpegFrame::Extended,
                    0xC2 => JpegFrame::Progressive,
                    _ => JpegFrame::Other,
                };
                frame = Some(parse_frame(kind, segment).ok_or_else(bad)?);
            }
            0xDA => {
                if frame.is_none() {
                    return Err(bad());
                }
                scans += 1;
                if scans > max_scans {
                    break;
                }
                pos = skip_entropy(bytes, pos);
            }
            _ => {}
        }
    }
    let (frame, width, height, components) = frame.ok_or_else(bad)?;
    if scans == 0 {
        return Err(bad());
    }
    Ok(JpegHeader {
        frame,
        width,
        height,
        components,
        scans,
    })
}

fn parse_frame(kind: JpegFrame, s: &[u8]) -> Option<(JpegFrame, u32, u32, Vec<Sampling>)> {
    let height = u32::from(u16::from_be_bytes([*s.get(1)?, *s.get(2)?]));
    let width = u32::from(u16::from_be_bytes([*s.get(3)?, *s.get(4)?]));
    let n = usize::from(*s.get(5)?);
    if n == 0 || n > 4 || width == 0 {
        return None;
    }
    let components = (0..n)
        .map(|i| {
            let hv = *s.get(6 + i * 3 + 1)?;
            let (h, v) = (hv >> 4, hv & 0x0F);
            (1..=4).contains(&h).then_some(())?;
            (1..=4).contains(&v).then_some(())?;
            Some(Sampling { h, v })
        })
        .collect::<Option<Vec<_>>>()?;
    Some((kind, width, height, components))
}

/// The position of the marker that ends the entropy-coded data starting at `pos`: the first
/// 0xFF not followed by a stuffed 0x00 or a restart marker.
fn skip_entropy(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(i) = bytes[pos.min(bytes.len())..]
        .iter()
        .position(|&b| b == 0xFF)
    {
        let at = pos + i;
        match bytes.get(at + 1) {
            Some(0x00 | 0xD0..=0xD7 | 0xFF) => pos = at + 1,
            _ => return at,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::mozjpeg as jpeg;

    #[test]
    fn reads_frame_size_sampling_and_scans() {
        let base = read(&jpeg(64, 48, false), 100).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            (base.frame, base.width, base.height),
            (JpegFrame::Baseline, 64, 48)
        );
        assert_eq!(base.scans, 1);
        assert_eq!(base.coefficient_bytes(), 0);
        assert_eq!(base.components.len(), 3);
        let prog = read(&jpeg(64, 48, true), 100).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(prog.frame, JpegFrame::Progressive);
        assert!(prog.scans > 1, "{} scans", prog.scans);
        // 4:2:0: a 64 x 48 luma plane of 48 blocks and two 32 x 24 chroma planes of 12.
        assert_eq!(prog.coefficient_bytes(), (48 + 12 + 12) * 128);
    }

    #[test]
    fn stops_counting_past_the_limit_and_refuses_what_is_not_a_jpeg() {
        let prog = jpeg(64, 48, true);
        let all = read(&prog, 100).unwrap_or_else(|e| panic!("{e:?}")).scans;
        assert_eq!(read(&prog, 2).map(|h| h.scans), Ok(3));
        assert!(all > 3);
        assert_eq!(read(b"not a jpeg", 10), Err(ErrorCode::PhotoUnreadable));
        assert_eq!(read(&prog[..20], 10), Err(ErrorCode::PhotoUnreadable));
        assert_eq!(
            read(&[0xFF, 0xD8, 0xFF, 0xD9], 10),
            Err(ErrorCode::PhotoUnreadable)
        );
    }
}
