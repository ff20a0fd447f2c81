//! What every upload made by `examine` must be: a bare JPEG (only a plain JFIF APP0
//! among the APPn/COM segments) of the card and its margin, upright, that the server's
//! re-check finds the card in; and photos carrying metadata to strip.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{Background, Scene, render, resized};
use image::{ImageFormat, RgbImage};
use okpay_photo::examine::UPLOAD_CARD_MARGIN;
use okpay_photo::quality::Strictness;
use okpay_photo::{Examined, assess_upload};
use std::io::Cursor;

/// `jpeg` with segments inserted right after SOI: an EXIF block holding orientation `o`
/// and a GPS IFD pointer, an XMP block and a comment.
pub fn with_metadata(jpeg: &[u8], o: u8) -> Vec<u8> {
    let tiff: Vec<u8> = [
        b"II*\0".as_slice(),
        &[8, 0, 0, 0, 2, 0],
        &[0x12, 0x01, 3, 0, 1, 0, 0, 0, o, 0, 0, 0],
        &[0x25, 0x88, 4, 0, 1, 0, 0, 0, 0, 0, 0, 0],
        &[0, 0, 0, 0],
    ]
    .concat();
    let segment = |marker: u8, body: &[u8]| -> Vec<u8> {
        let len = u16::try_from(body.len() + 2).unwrap().to_be_bytes();
        [&[0xFF, marker, len[0], len[1]], body].concat()
    };
    let exif = segment(0xE1, &[b"Exif\0\0".as_slice(), &tiff].concat());
    let xmp = segment(
        0xE1,
        b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta GPS=\"31.2,121.5\"/>",
    );
    let com = segment(0xFE, b"secret comment");
    [&jpeg[..2], &exif, &xmp, &com, &jpeg[2..]].concat()
}

/// The markers of the segments before the first scan, with their bodies.
fn segments(jpeg: &[u8]) -> Vec<(u8, Vec<u8>)> {
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
    let mut out = Vec::new();
    let mut i = 2;
    while i + 4 <= jpeg.len() && jpeg[i] == 0xFF && jpeg[i + 1] != 0xDA {
        let len = usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
        out.push((jpeg[i + 1], jpeg[i + 4..i + 2 + len].to_vec()));
        i += 2 + len;
    }
    assert_eq!(jpeg.get(i + 1), Some(&0xDA), "no scan after the header");
    out
}

/// Only a plain JFIF APP0 among the APPn and COM segments, and the image's size.
pub fn assert_bare_jpeg(jpeg: &[u8]) -> (u32, u32) {
    for (m, body) in segments(jpeg) {
        if m == 0xE0 {
            assert!(body.starts_with(b"JFIF\0"), "APP0 {body:x?}");
            assert_eq!(body.len(), 14, "a JFIF APP0 with a thumbnail");
        } else {
            assert!(!(0xE1..=0xEF).contains(&m) && m != 0xFE, "marker {m:x}");
        }
    }
    image::ImageReader::with_format(Cursor::new(jpeg), ImageFormat::Jpeg)
        .into_dimensions()
        .unwrap()
}

/// The upload is the card (`truth`, displayed photo pixels) with its margin: its region lies
/// in the frame and holds the card's bounding box widened by nearly the margin (as far as the
/// frame goes), the upload has the region's size at `scale` (upload pixels per photo pixel),
/// and the server's re-check finds the card there. Returns the upload's size.
pub fn assert_upload_frames_card(e: &Examined, truth: &[[f32; 2]; 4], scale: f32) -> (u32, u32) {
    let r = e.upload_region;
    let (fw, fh) = (e.facts.width as f32, e.facts.height as f32);
    assert!(r.x >= 0.0 && r.y >= 0.0, "{r:?}");
    assert!(
        r.x + r.width <= fw + 0.5 && r.y + r.height <= fh + 0.5,
        "{r:?}"
    );
    let xs = truth.map(|p| p[0]);
    let ys = truth.map(|p| p[1]);
    let lo = |v: [f32; 4]| v.iter().copied().fold(f32::MAX, f32::min);
    let hi = |v: [f32; 4]| v.iter().copied().fold(f32::MIN, f32::max);
    let margin = 0.9 * UPLOAD_CARD_MARGIN * (hi(xs) - lo(xs)).max(hi(ys) - lo(ys));
    assert!(r.x <= (lo(xs) - margin).max(0.0), "{r:?}");
    assert!(r.y <= (lo(ys) - margin).max(0.0), "{r:?}");
    assert!(r.x + r.width >= (hi(xs) + margin).min(fw), "{r:?}");
    assert!(r.y + r.height >= (hi(ys) + margin).min(fh), "{r:?}");
    let (w, h) = assert_bare_jpeg(&e.upload);
    assert!((r.width * scale - w as f32).abs() <= 1.0, "{r:?} {w}");
    assert!((r.height * scale - h as f32).abs() <= 1.0, "{r:?} {h}");
    let server = assess_upload(&e.upload, Strictness::Relaxed).unwrap().0;
    assert!(server.ok, "{:?}", server.reasons);
    let there = truth.map(|p| [(p[0] - r.x) * scale, (p[1] - r.y) * scale]);
    let found = server.quad.unwrap();
    assert!(super::iou(&found, &there) >= 0.95, "{found:?} {there:?}");
    (w, h)
}

/// A 4200 x 2800 photo of a small card (about 1050 px long), and its quad there: too few
/// pixels on the card at a 1/2-scale decode.
pub fn small_card_photo() -> (RgbImage, [[f32; 2]; 4]) {
    let quad = [
        [500.0, 300.0],
        [800.0, 290.0],
        [806.0, 480.0],
        [498.0, 488.0],
    ];
    let scene = Scene {
        quad,
        ..Scene::new(Background::Plain)
    };
    (
        resized(&render(&scene), 3.5),
        quad.map(|p| [p[0] * 3.5, p[1] * 3.5]),
    )
}
