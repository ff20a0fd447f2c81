//! Helpers for the crate's unit tests.

/// Deterministic pseudo-random bytes.
pub fn noise(n: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761).max(1);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

/// A `w` x `h` RGB JPEG of a fixed pattern, baseline or progressive, through libjpeg.
pub fn mozjpeg(w: usize, h: usize, progressive: bool) -> Vec<u8> {
    let mut c = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_RGB);
    c.set_fastest_defaults();
    if progressive {
        c.set_progressive_mode();
    }
    c.set_size(w, h);
    let pixels: Vec<u8> = (0..w * h * 3).map(|i| (i * 7 % 251) as u8).collect();
    let Ok(mut started) = c.start_compress(Vec::new()) else {
        panic!("start_compress")
    };
    assert!(started.write_scanlines(&pixels).is_ok());
    started.finish().unwrap_or_default()
}
