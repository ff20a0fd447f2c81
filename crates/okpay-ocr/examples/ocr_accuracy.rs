//! Accuracy report of the card reader on drawn cards: per field the exact-match rate, the side
//! rate, the false alarms of the cross-checks on correctly typed cards, read time per photo,
//! and every miss. `cargo run -p okpay-ocr --release --example ocr_accuracy -- [N cards]
//! [seed]` (defaults 100, 20261207); `scripts/ocr-accuracy.sh` wraps it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/mod.rs"]
mod support;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n = args.first().and_then(|a| a.parse().ok()).unwrap_or(100);
    let seed = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_261_207);
    let report = support::accuracy::run(n, seed);
    println!("card reader accuracy: {n} cards, seed {seed}");
    print!("{}", support::accuracy::table(&report));
    for (field, want, got) in &report.misses {
        println!("miss {field}: printed {want:?}, read {got:?}");
    }
}
