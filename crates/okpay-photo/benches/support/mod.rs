//! What the photo benches share: where the 12 MP test photos are, the per-thread CPU-time
//! median they are measured with, and the true card quad beside them.

// Each bench uses its own subset.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `OKPAY_PHOTO_DIR`, else `target/photo-bench` (where `scripts/bench-photo.sh` puts them).
pub fn photo_dir() -> PathBuf {
    std::env::var_os("OKPAY_PHOTO_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/photo-bench"),
        PathBuf::from,
    )
}

/// Median CPU ms of the calling thread over `runs` calls, after one warm-up call.
pub fn median_cpu_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut v: Vec<f64> = (0..runs)
        .map(|_| {
            let t0 = cpu_time::ThreadTime::now();
            f();
            t0.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The true card corners from `quad_truth.json` in `dir`, if present.
pub fn truth(dir: &Path) -> Option<[[f32; 2]; 4]> {
    let text = std::fs::read_to_string(dir.join("quad_truth.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let c = v.get("corners_px")?.as_array()?;
    let p = |i: usize| -> Option<[f32; 2]> {
        let xy = c.get(i)?.as_array()?;
        Some([xy.first()?.as_f64()? as f32, xy.get(1)?.as_f64()? as f32])
    };
    Some([p(0)?, p(1)?, p(2)?, p(3)?])
}
