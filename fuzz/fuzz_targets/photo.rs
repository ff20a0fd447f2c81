//! Photo decoders and the quality engine on arbitrary bytes: `photo::inspect`,
//! `quality::assess`, `photo::examine` (with its upload and preview, EXIF orientation
//! applied), the perceptual hash and the annotated preview never panic or hang; an assessed
//! photo has a consistent verdict. (The engine's own 1/4-scale JPEG decoder, which `assess`
//! takes for large baseline JPEGs, has its own target: `jpeg_quarter`.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use okpay_photo as photo;
use okpay_photo::quality::{Strictness, annotate, assess, phash};

fuzz_target!(|data: &[u8]| {
    let facts = photo::inspect(data);
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
