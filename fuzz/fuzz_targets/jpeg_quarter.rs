//! The engine's own 1/4-scale baseline JPEG decoder (`quality::quarter`) alone, on arbitrary
//! bytes, with and without its 1/2-scale planes: no panic, no hang, and a decode it gives has
//! planes of the sizes its header declares.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okpay_photo::codec::jpeg_reduced::{self, Quarter};

fn check(q: &Quarter) {
    assert_eq!(q.y.data.len(), q.y.width * q.y.height);
    assert_eq!(q.y.width, q.full_width.div_ceil(4));
    assert_eq!(q.y.height, q.full_height.div_ceil(4));
    if let Some(c) = &q.chroma {
        assert_eq!(c.u.data.len(), c.width() * c.height());
        assert_eq!(c.v.data.len(), c.u.data.len());
        assert!(c.width() >= q.y.width.div_ceil(2) && c.width() <= q.y.width);
        assert!(c.height() >= q.y.height.div_ceil(2) && c.height() <= q.y.height);
    }
}

fuzz_target!(|data: &[u8]| {
    if let Some(q) = jpeg_reduced::decode_any(data) {
        check(&q);
    }
    if let Some((q, half)) = jpeg_reduced::decode_any_with_half(data) {
        check(&q);
        let (w, h) = (q.full_width.div_ceil(2), q.full_height.div_ceil(2));
        assert_eq!((half.y.width, half.y.height), (w, h));
        assert_eq!(half.y.data.len(), w * h);
        for c in [&half.cb, &half.cr] {
            assert_eq!((c.width, c.height), (w.div_ceil(2), h.div_ceil(2)));
            assert_eq!(c.data.len(), c.width * c.height);
        }
    }
});
