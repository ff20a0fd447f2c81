//! What reading a card costs, on drawn cards: model load, one side read end to end (from the
//! photo's bytes), the detector and the recognizer on their own inputs, and the heap the read
//! adds. With `OKPAY_OCR_TENSORS=DIR` it also writes those inputs (raw little-endian f32 and
//! their shapes) for `scripts/bench-ocr.py`, which runs the same models on them in
//! onnxruntime. `scripts/bench-ocr.sh` runs both and prints the ratio.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use okpay_ocr::{Models, detect, recognize};
use okpay_photo::specimen::Side;
use peak_alloc::PeakAlloc;
use rten_tensor::NdTensor;
use rten_tensor::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ms(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1e3
}

fn write_tensor(dir: &Path, name: &str, t: &NdTensor<f32, 4>) {
    let bytes: Vec<u8> = t.iter().flat_map(|v| v.to_le_bytes()).collect();
    std::fs::write(dir.join(format!("{name}.f32")), bytes).unwrap();
    std::fs::write(
        dir.join(format!("{name}.shape")),
        format!("{:?}", t.shape()),
    )
    .unwrap();
}

fn main() {
    let dir = PathBuf::from(std::env::var_os("OKPAY_OCR_MODELS").expect("OKPAY_OCR_MODELS"));
    let tensors = std::env::var_os("OKPAY_OCR_TENSORS").map(PathBuf::from);
    if let Some(t) = &tensors {
        std::fs::create_dir_all(t).unwrap();
    }
    let load = median(
        (0..5)
            .map(|_| ms(|| drop(Models::load(&dir).unwrap())))
            .collect(),
    );
    let models = Models::load(&dir).unwrap();
    let mut rng = support::cards::Rng::new(3);
    let (mut read, mut det, mut rec, mut lines, mut peak) = (vec![], vec![], vec![], 0usize, 0f32);
    for i in 0..4 {
        let text = support::cards::card(&mut rng, support::fonts());
        for side in [Side::Portrait, Side::Emblem] {
            let bytes = support::photo(&text, side, &support::wood(), i);
            // One warm-up, then the measured reads.
            models.read_photo(&bytes).unwrap();
            let base = HEAP.current_usage_as_mb();
            HEAP.reset_peak_usage();
            for _ in 0..3 {
                read.push(ms(|| drop(models.read_photo(&bytes).unwrap())));
            }
            peak = peak.max(HEAP.peak_usage_as_mb() - base);
            let card = okpay_ocr::cut(&bytes).unwrap().unwrap().card;
            let input = detect::input(&card.image);
            det.push(median(
                (0..3)
                    .map(|_| {
                        ms(|| {
                            drop(
                                models
                                    .detector()
                                    .run_one(input.view().into(), None)
                                    .unwrap(),
                            )
                        })
                    })
                    .collect(),
            ));
            let boxes = detect::detect(&models, &card.image).unwrap();
            let mut side_rec = 0.0;
            for (k, b) in boxes.iter().enumerate() {
                let Some(line) = recognize::input(&card.image, *b) else {
                    continue;
                };
                side_rec += median(
                    (0..3)
                        .map(|_| {
                            ms(|| {
                                drop(
                                    models
                                        .recognizer()
                                        .run_one(line.view().into(), None)
                                        .unwrap(),
                                )
                            })
                        })
                        .collect(),
                );
                if let Some(t) = &tensors {
                    write_tensor(t, &format!("rec-{i}-{side:?}-{k}"), &line);
                }
            }
            rec.push(side_rec);
            lines += boxes.len();
            if let Some(t) = &tensors {
                write_tensor(t, &format!("det-{i}-{side:?}"), &input);
            }
        }
    }
    let threads = std::env::var("RTEN_NUM_THREADS").unwrap_or_else(|_| "all cores".into());
    println!("okpay-ocr read bench ({threads} threads), 8 sides of 4 drawn cards");
    println!("model load (det + rec)        {load:>7.1} ms (median of 5)");
    println!(
        "one side read, photo → fields {:>7.1} ms (median of 24; max {:.1})",
        median(read.clone()),
        read.iter().cloned().fold(0.0, f64::max)
    );
    println!(
        "  detector 1x3x416x672        {:>7.1} ms (median of 3, median of 8 sides)",
        median(det.clone())
    );
    println!(
        "  recognizer, all lines       {:>7.1} ms per side ({:.1} lines per side)",
        median(rec.clone()),
        lines as f64 / 8.0
    );
    println!("heap added by a read          {peak:>7.1} MB (peak above the loaded models)");
    // Totals over every input written, for the onnxruntime comparison.
    println!(
        "det_ms {:.2} rec_ms {:.2}",
        det.iter().sum::<f64>(),
        rec.iter().sum::<f64>()
    );
}
