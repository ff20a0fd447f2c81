//! Speed of the photo quality engine on the 12 MP test photo of the OpenCV peer kit.
//!
//! Generate the photos first (never committed):
//! `python3 ../shared/bench/photo/make_photo.py target/photo-bench` from the workspace root,
//! or point `OKPAY_PHOTO_DIR` at the folder. Before criterion runs, the medians of per-thread
//! CPU ms (as the peer measures them, from bytes in memory) are printed per file and stage.

use criterion::{Criterion, criterion_group, criterion_main};
use okpay_photo::codec::{JpegPath, analysis_image_with};
use okpay_photo::quality::{Strictness, assess, assess_analysis, quad};
use std::hint::black_box;
use support::{median_cpu_ms, photo_dir};

mod support;

fn files() -> Vec<(String, Vec<u8>)> {
    let dir = photo_dir();
    [
        "card_12mp.jpg",
        "card_12mp_o6.jpg",
        "card_12mp_progressive.jpg",
        "card_12mp.png",
        "card_12mp.webp",
    ]
    .iter()
    .filter_map(|n| Some((n.to_string(), std::fs::read(dir.join(n)).ok()?)))
    .collect()
}

fn report() {
    let files = files();
    if files.is_empty() {
        eprintln!(
            "no photos in {}: run make_photo.py into it first",
            photo_dir().display()
        );
        return;
    }
    let truth = support::truth(&photo_dir());
    eprintln!(
        "CPU ms of the calling thread, medians: file | verdict | analysis image (scaled) | checks | analysis image (full decode) | quad IoU | reasons"
    );
    for (name, bytes) in &files {
        let verdict = median_cpu_ms(9, || {
            black_box(assess(bytes, Strictness::Normal).ok());
        });
        let decode = median_cpu_ms(9, || {
            black_box(analysis_image_with(bytes, JpegPath::Scaled).ok());
        });
        let full = median_cpu_ms(5, || {
            black_box(analysis_image_with(bytes, JpegPath::Full).ok());
        });
        let (checks, iou_v, reasons) = match analysis_image_with(bytes, JpegPath::Scaled) {
            Ok(a) => {
                let v = assess_analysis(&a, Strictness::Normal);
                let i = match (v.quad, truth) {
                    (Some(q), Some(t)) => quad::iou(&q, &t),
                    _ => f32::NAN,
                };
                let ms = median_cpu_ms(9, || {
                    black_box(assess_analysis(&a, Strictness::Normal));
                });
                (ms, i, format!("{:?} {:?}", v.reasons, v.metrics))
            }
            Err(e) => (f64::NAN, f32::NAN, format!("{e:?}")),
        };
        eprintln!(
            "{name} | {verdict:.1} | {decode:.1} | {checks:.1} | {full:.1} | {iou_v:.3} | {reasons}"
        );
    }
}

/// Where the checks' time goes, on the first photo.
fn stages(bytes: &[u8]) {
    use okpay_photo::quality::{checks, quad};
    let Ok(a) = analysis_image_with(bytes, JpegPath::Scaled) else {
        return;
    };
    let img = &a.gray;
    let edges = median_cpu_ms(9, || {
        black_box(quad::Edges::new(img));
    });
    let e = quad::Edges::new(img);
    let find = median_cpu_ms(9, || {
        black_box(quad::find_card_in(&e));
    });
    let q = quad::find_card_in(&e).map(|f| f.corners);
    let region = median_cpu_ms(9, || {
        black_box(checks::Region::new(img, q.as_ref()));
    });
    let r = checks::Region::new(img, q.as_ref());
    let measure = median_cpu_ms(9, || {
        black_box(checks::measure(img, &r, 250));
    });
    let glare = median_cpu_ms(9, || {
        black_box(checks::bright_blobs(img, &r, 250));
    });
    eprintln!(
        "stages (CPU ms): edges {edges:.1}, lines + quad search {find:.1}, region {region:.1}, blur + exposure {measure:.1}, glare {glare:.1}"
    );
}

fn bench(c: &mut Criterion) {
    report();
    if let Some((_, bytes)) = files().first() {
        stages(bytes);
    }
    let Some((_, bytes)) = files().into_iter().next() else {
        return;
    };
    let mut g = c.benchmark_group("card_12mp.jpg");
    g.sample_size(10);
    g.bench_function("verdict", |b| {
        b.iter(|| assess(black_box(&bytes), Strictness::Normal))
    });
    g.bench_function("examine", |b| {
        b.iter(|| okpay_photo::examine(black_box(&bytes), Strictness::Normal))
    });
    g.bench_function("analysis_image_scaled", |b| {
        b.iter(|| analysis_image_with(black_box(&bytes), JpegPath::Scaled))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
