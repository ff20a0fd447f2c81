//! Speed of the live camera's judgement: one 640 x 480 RGBA frame (as the capture screen
//! sends it) to its guidance, on the calling thread (one core). Goal: 15 ms per frame.
//! Before criterion runs, the median and worst per-thread CPU ms per kind of frame are
//! printed. The frames are specimen scenes in a 4:3 frame downscaled as a canvas does.

use criterion::{Criterion, criterion_group, criterion_main};
use okpay_photo::live::{Steady, frame_analysis, look};
use okpay_photo::specimen::{self, Background, Fault, Scene, Side};
use std::hint::black_box;
use support::median_cpu_ms;

mod support;

/// `scene` in a 1200 x 900 frame downscaled to 640 x 480 RGBA.
fn frame(mut scene: Scene) -> Vec<u8> {
    scene.height = 900;
    scene.quad = scene.quad.map(|[x, y]| [x, y + 50.0]);
    scene.glare = scene.glare.map(|([x, y], r)| ([x, y + 50.0], r));
    let rgb = specimen::render(&scene);
    let small = image::imageops::resize(&rgb, 640, 480, image::imageops::FilterType::Triangle);
    small
        .as_raw()
        .chunks_exact(3)
        .flat_map(|p| [p[0], p[1], p[2], 255])
        .collect()
}

fn frames() -> Vec<(&'static str, Vec<u8>)> {
    let mut empty = Scene::new(Background::Wood);
    empty.no_card = true;
    let mut busy = specimen::shot(Side::Emblem, Fault::None, 2);
    busy.background = Background::Busy;
    vec![
        (
            "card, wood",
            frame(specimen::shot(Side::Portrait, Fault::None, 1)),
        ),
        ("card, busy desk", frame(busy)),
        (
            "glare",
            frame(specimen::shot(Side::Emblem, Fault::Glare, 0)),
        ),
        (
            "corner cut",
            frame(specimen::shot(Side::Emblem, Fault::CornerCut, 0)),
        ),
        ("no card", frame(empty)),
    ]
}

fn judge(rgba: &[u8], steady: &mut Steady, t: u64) -> bool {
    let a = frame_analysis(rgba, 640, 480).map(|a| look(&a));
    a.is_ok_and(|l| steady.push(&l, t).ready)
}

fn report() {
    eprintln!("live frame, 640 x 480 RGBA → guidance: per-thread CPU ms (goal ≤ 15)");
    for (name, rgba) in frames() {
        let mut steady = Steady::default();
        let mut t = 0;
        let median = median_cpu_ms(31, || {
            t += 66;
            black_box(judge(&rgba, &mut steady, t));
        });
        let worst = (0..11)
            .map(|_| {
                let t0 = cpu_time::ThreadTime::now();
                black_box(judge(&rgba, &mut steady, t));
                t0.elapsed().as_secs_f64() * 1e3
            })
            .fold(0.0, f64::max);
        eprintln!("  {name:<16} median {median:5.1} ms   worst {worst:5.1} ms");
    }
}

fn bench(c: &mut Criterion) {
    report();
    let mut g = c.benchmark_group("live_frame");
    g.sample_size(30);
    for (name, rgba) in frames() {
        let mut steady = Steady::default();
        let mut t = 0;
        g.bench_function(name, |b| {
            b.iter(|| {
                t += 66;
                judge(black_box(&rgba), &mut steady, t)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
