//! Reading what the pipeline needs from a photo's metadata without decoding pixels: the
//! EXIF orientation from a raw EXIF (TIFF) block, and from a JPEG's segments the
//! orientation and whether the file runs to its end-of-image marker. Bounds-checked on every
//! read: a hostile block yields `None`, never a panic.

use crate::raster::Orientation;

/// What the segments of a JPEG before its first scan tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JpegLayout {
    /// The orientation, if an APP1 EXIF block holds a valid one.
    pub orientation: Option<Orientation>,
    /// An end-of-image marker follows the first scan (a truncated file has none).
    pub complete: bool,
}

/// Walk the marker segments of a JPEG up to its first scan. `None` when the structure is
/// broken before the scan.
pub fn jpeg_layout(bytes: &[u8]) -> Option<JpegLayout> {
    if bytes.get(0..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut orientation = None;
    let mut i = 2;
    loop {
        // Fill bytes (0xFF) may pad between segments.
        while *bytes.get(i)? == 0xFF && *bytes.get(i + 1)? == 0xFF {
            i += 1;
        }
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(i + 1)?;
        if marker == 0xD8 || (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            i += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([*bytes.get(i + 2)?, *bytes.get(i + 3)?]));
        let body = bytes.get(i + 4..i + 2 + len.max(2))?;
        if marker == 0xE1 && orientation.is_none() && body.starts_with(b"Exif\0\0") {
            orientation = self::orientation(body).and_then(Orientation::from_exif);
        }
        i += 2 + len;
        if marker == 0xDA {
            // Inside entropy-coded data 0xFF is always followed by 0x00 or a restart
            // marker, so 0xFF 0xD9 past the first scan can only be the end of the image.
            let rest = bytes.get(i..)?;
            let complete = rest.windows(2).rev().any(|w| w == [0xFF, 0xD9]);
            return Some(JpegLayout {
                orientation,
                complete,
            });
        }
    }
}

/// The orientation tag (1..=8) of a TIFF-structured EXIF block, with or without the
/// `Exif\0\0` prefix.
pub fn orientation(exif: &[u8]) -> Option<u16> {
    let tiff = exif.strip_prefix(b"Exif\0\0").unwrap_or(exif);
    let big = match tiff.get(0..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |o: usize| -> Option<u16> {
        let b = tiff.get(o..o + 2)?;
        Some(if big {
            u16::from_be_bytes([b[0], b[1]])
        } else {
            u16::from_le_bytes([b[0], b[1]])
        })
    };
    let u32_at = |o: usize| -> Option<u32> {
        let b = tiff.get(o..o + 4)?;
        Some(if big {
            u32::from_be_bytes([b[0], b[1], b[2], b[3]])
        } else {
            u32::from_le_bytes([b[0], b[1], b[2], b[3]])
        })
    };
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let count = usize::from(u16_at(ifd)?);
    for i in 0..count.min(512) {
        let entry = ifd.checked_add(2 + 12 * i)?;
        if u16_at(entry)? == 0x0112 {
            let v = u16_at(entry + 8)?;
            return (1..=8).contains(&v).then_some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::orientation;

    #[test]
    fn reads_both_byte_orders_and_survives_garbage() {
        let le = [
            b'I', b'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0,
        ];
        assert_eq!(orientation(&le), Some(6));
        let be = [
            b'M', b'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 3, 0, 0,
        ];
        assert_eq!(orientation(&be), Some(3));
        assert_eq!(orientation(&le[..15]), None);
        assert_eq!(orientation(b"Exif\0\0MM\0*\xff\xff\xff\xff"), None);
    }
}

#[cfg(test)]
mod layout_tests {
    use super::jpeg_layout;

    #[test]
    fn finds_the_end_of_image_and_the_orientation() {
        let exif = [
            b"Exif\0\0II*\0".as_slice(),
            &[8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0],
        ]
        .concat();
        let len = u16::try_from(exif.len() + 2).unwrap_or(0).to_be_bytes();
        let head = [
            [0xFF, 0xD8, 0xFF, 0xE1, len[0], len[1]].as_slice(),
            &exif,
            &[0xFF, 0xDA, 0, 2, 1, 2, 0xFF, 0x00, 3],
        ]
        .concat();
        let whole = [head.as_slice(), &[0xFF, 0xD9]].concat();
        let l = jpeg_layout(&whole);
        assert_eq!(
            l.map(|l| (l.orientation, l.complete)),
            Some((Some(crate::raster::Orientation::Rotate90), true))
        );
        assert_eq!(jpeg_layout(&head).map(|l| l.complete), Some(false));
        assert_eq!(jpeg_layout(&whole[..7]), None);
        assert_eq!(jpeg_layout(b"\xFF\xD8\xFF\xE1\xFF\xFF"), None);
    }
}
