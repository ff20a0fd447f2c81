//! Accuracy report of the photo quality engine on synthetic fixtures: per class (clean on
//! plain / textured / busy / ruled / striped backgrounds, blurred, dark, overexposed, glare, shadow, corner cut,
//! too small, low resolution, duplicate pairs) the count, false accepts, false rejects
//! (missing expected code, extra codes), cards not found and quad IoU against the truth.
//!
//! `cargo run -p okpay-photo --release --example photo_accuracy -- [N per class] [seed]
//! [relaxed|normal|strict]` (defaults: 40, 20261128, normal); `scripts/photo-accuracy.sh`
//! wraps it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use okpay_photo::quality::Strictness;
use std::time::Instant;
use support::accuracy;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n = args.first().and_then(|a| a.parse().ok()).unwrap_or(40);
    let seed = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_261_128);
    let strictness = match args.get(2).map(String::as_str) {
        Some("relaxed") => Strictness::Relaxed,
        Some("strict") => Strictness::Strict,
        _ => Strictness::Normal,
    };
    let t0 = Instant::now();
    let stats = accuracy::run(n, seed, strictness);
    println!("photo accuracy: {n} fixtures per class, seed {seed}, strictness {strictness:?}");
    print!("{}", accuracy::table(&stats));
    println!(
        "f.acc: degraded photo accepted (pairs: same shot not flagged); f.rej: clean photo \
         rejected, degraded one rejected with the expected code missing or extra codes \
         (pairs: different shots flagged); n.f.: card not found; IoU within the frame.\n\
         total {:.1} s",
        t0.elapsed().as_secs_f64()
    );
}
