//! Speed of the photo quality engine on the 12 MP test photo of the OpenCV peer kit.
//!
//! Generate the photos first (never committed):
//! `python3 ../shared/bench/photo/make_photo.py target/photo-bench` from the workspace root,
//! or point `OKPAY_PHOTO_DIR` at the folder. Before criterion runs, the medians of per-thread
//! CPU ms (as the peer measures them, from bytes in memory) are printed per file and stage.

use criterion::{Criterion, criterion_group, criterion_main};
use okpay_rules::quality::{JpegPath, Strictness, analysis_image_with, assess, assess_analysis};
use std::hint::black_box;
use std::path::PathBuf;

fn photo_dir() -> PathBuf {
    std::env::var_os("OKPAY_PHOTO_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/photo-bench"),
        PathBuf::from,
    )
}

/// Median CPU ms of the calling thread over `runs` calls, after one warm-up call.
fn median_cpu_ms(runs: usize, mut f: impl FnMut()) -> f64 {
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

/// The true card corners from `quad_truth.json`, if present.
fn truth() -> Option<[[f32; 2]; 4]> {
    let text = std::fs::read_to_string(photo_dir().join("quad_truth.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let c = v.get("corners_px")?.as_array()?;
    let p = |i: usize| -> Option<[f32; 2]> {
        let xy = c.get(i)?.as_array()?;
        Some([xy.first()?.as_f64()? as f32, xy.get(1)?.as_f64()? as f32])
    };
    Some([p(0)?, p(1)?, p(2)?, p(3)?])
}

/// Intersection over union of two convex quads, by sampling a grid.
fn iou(a: &[[f32; 2]; 4], b: &[[f32; 2]; 4]) -> f32 {
    let inside = |q: &[[f32; 2]; 4], p: [f32; 2]| {
        (0..4)
            .map(|i| {
                let (s, e) = (q[i], q[(i + 1) % 4]);
                (e[0] - s[0]) * (p[1] - s[1]) - (e[1] - s[1]) * (p[0] - s[0])
            })
            .fold((true, true), |(pos, neg), c| {
                (pos && c >= 0.0, neg && c <= 0.0)
            })
    };
    let (mut both, mut either) = (0u32, 0u32);
    for y in (0..4000).step_by(8) {
        for x in (0..5000).step_by(8) {
            let p = [x as f32, y as f32];
            let (ia, ib) = (inside(a, p), inside(b, p));
            let (ia, ib) = (ia.0 || ia.1, ib.0 || ib.1);
            both += u32::from(ia && ib);
            either += u32::from(ia || ib);
        }
    }
    if either == 0 {
        0.0
    } else {
        both as f32 / either as f32
    }
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
    let truth = truth();
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
                    (Some(q), Some(t)) => iou(&q, &t),
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
    use okpay_rules::quality::{checks, quad};
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
        b.iter(|| okpay_rules::photo::examine(black_box(&bytes), Strictness::Normal))
    });
    g.bench_function("analysis_image_scaled", |b| {
        b.iter(|| analysis_image_with(black_box(&bytes), JpegPath::Scaled))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
