//! Photo decoders and the quality engine on arbitrary bytes: `photo::inspect`,
//! `quality::assess`, `photo::examine` (with its upload and preview, EXIF orientation
//! applied), the perceptual hash, the annotated preview and the engine's own 1/4-scale
//! JPEG decoder never panic or hang; an assessed photo has a consistent verdict, a decoded
//! quarter consistent planes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okpay_rules::photo;
use okpay_rules::quality::{Strictness, annotate, assess, phash, quarter};

fuzz_target!(|data: &[u8]| {
    let facts = photo::inspect(data);
    if let Some(q) = quarter::decode_any(data) {
        assert_eq!(q.y.data.len(), q.y.width * q.y.height);
        assert_eq!(q.y.width, q.full_width.div_ceil(4));
        assert_eq!(q.y.height, q.full_height.div_ceil(4));
        if let Some(c) = q.chroma {
            assert_eq!(c.u.data.len(), c.width() * c.height());
            assert_eq!(c.v.data.len(), c.u.data.len());
            assert!(c.width() >= q.y.width.div_ceil(2) && c.width() <= q.y.width);
        }
    }
    let _ = phash::of_bytes(data);
    match assess(data, Strictness::Normal) {
        Ok(v) => {
            assert!(facts.is_ok(), "assessed what inspect refused: {facts:?}");
            assert_eq!(v.ok, v.reasons.is_empty());
            assert!(v.metrics.analysis_width > 0 && v.metrics.analysis_height > 0);
            let _ = annotate::render(data, &v, 96);
            if let Ok(e) = photo::examine(data, Strictness::Normal) {
                assert_eq!(e.verdict.ok, e.verdict.reasons.is_empty());
                assert!(e.upload.starts_with(&[0xFF, 0xD8]));
                assert!(e.preview.starts_with(&[0xFF, 0xD8]));
            }
        }
        Err(code) => {
            if let Err(inspected) = facts {
                assert_eq!(code, inspected);
            }
        }
    }
});
