//! Draw a specimen card photo with real print, both sides: `cargo run -p okpay-ocr --example
//! draw_card -- DIR [seed]` writes `portrait.jpg` and `emblem.jpg` to DIR (to try `okpay
//! read-card` on) and the same as PNG (for a look).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use okpay_photo::specimen::Side;
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(args.first().map_or("/tmp/okpay-card", String::as_str));
    let seed = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1);
    std::fs::create_dir_all(&dir).unwrap();
    let mut rng = support::cards::Rng::new(seed);
    let text = support::cards::card(&mut rng, support::fonts());
    for (side, name) in [
        (Side::Portrait, "portrait.jpg"),
        (Side::Emblem, "emblem.jpg"),
    ] {
        let bytes = support::photo(&text, side, &support::wood(), seed as usize);
        image::load_from_memory(&bytes)
            .unwrap()
            .save(dir.join(name).with_extension("png"))
            .unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    println!("{text:?}");
}
