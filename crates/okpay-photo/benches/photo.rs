//! The photo engine measured the way the OpenCV peer (`shared/bench/photo/opencv_peer.py`)
//! measures itself: from bytes in memory, CPU ms of the calling thread, median of 9 runs
//! after one warm-up call. One JSON object per file on stdout, for `scripts/bench-photo.sh`:
//! `verdict_ms` (decode + all checks, `quality::assess`), `verdict_upload_ms`
//! (`examine`: verdict, upload JPEG and preview from one decode), per-stage figures,
//! `peak_heap_mb` of one `examine` call (exact, counted by the global allocator; libjpeg's
//! own buffers come from C `malloc` and are not in it), `peak_rss_mb` of the process so far,
//! `upload_bytes` and `quad_iou` against `quad_truth.json`.
//!
//! `cargo bench -p okpay-photo --bench photo -- [--runs N] DIR_OR_FILE...` (default: the
//! photos of `OKPAY_PHOTO_DIR`).

use okpay_photo::codec::JpegPath;
use okpay_photo::quality::{self, Strictness, checks, quad};
use peak_alloc::PeakAlloc;
use serde_json::json;
use std::hint::black_box;
use std::path::{Path, PathBuf};

mod support;

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

/// [`support::median_cpu_ms`] to 0.01 ms, as the JSON reports it.
fn median_ms(runs: usize, f: impl FnMut()) -> f64 {
    (support::median_cpu_ms(runs, f) * 100.0).round() / 100.0
}

/// Peak resident set of the process so far, MB (Linux).
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some((kb / 1024.0 * 10.0).round() / 10.0)
}

fn measure(path: &Path, runs: usize) -> serde_json::Value {
    let Ok(bytes) = std::fs::read(path) else {
        return json!({"file": path.display().to_string(), "error": "unreadable"});
    };
    let b = bytes.as_slice();
    // Peak heap first, in a settled process: one examine call.
    let base = HEAP.current_usage();
    HEAP.reset_peak_usage();
    let examined = okpay_photo::examine(b, Strictness::Normal);
    let peak_heap = (HEAP.peak_usage() - base) as f64 / (1024.0 * 1024.0);
    let examined = match examined {
        Ok(e) => e,
        Err(e) => return json!({"file": path.display().to_string(), "error": format!("{e:?}")}),
    };
    let verdict_upload = median_ms(runs, || {
        black_box(okpay_photo::examine(b, Strictness::Normal).ok());
    });
    let verdict = median_ms(runs, || {
        black_box(quality::assess(b, Strictness::Normal).ok());
    });
    let analysis_image = median_ms(runs, || {
        black_box(okpay_photo::codec::analysis_image_with(b, JpegPath::Scaled).ok());
    });
    let mut stages = serde_json::Map::new();
    stages.insert("analysis_image".into(), json!(analysis_image));
    if let Ok(a) = okpay_photo::codec::analysis_image_with(b, JpegPath::Scaled) {
        let img = &a.gray;
        stages.insert(
            "checks".into(),
            json!(median_ms(runs, || {
                black_box(quality::assess_analysis(&a, Strictness::Normal));
            })),
        );
        stages.insert(
            "edges".into(),
            json!(median_ms(runs, || {
                black_box(quad::Edges::with_chroma(img, a.chroma.as_ref()));
            })),
        );
        stages.insert(
            "edges_and_lines".into(),
            json!(median_ms(runs, || {
                black_box(quad::candidate_lines(img));
            })),
        );
        let e = quad::Edges::with_chroma(img, a.chroma.as_ref());
        stages.insert(
            "quad_search".into(),
            json!(median_ms(runs, || {
                black_box(quad::find_card_in(&e));
            })),
        );
        let q = quad::find_card_in(&e).map(|f| f.corners);
        stages.insert(
            "region".into(),
            json!(median_ms(runs, || {
                black_box(checks::Region::new(img, q.as_ref()));
            })),
        );
        let r = checks::Region::new(img, q.as_ref());
        stages.insert(
            "measure".into(),
            json!(median_ms(runs, || {
                black_box(checks::measure(img, &r, 250));
            })),
        );
        stages.insert(
            "glare_blobs".into(),
            json!(median_ms(runs, || {
                black_box(checks::bright_blobs(img, &r, 250));
            })),
        );
        if let Some(q) = q {
            stages.insert(
                "light_ratio".into(),
                json!(median_ms(runs, || {
                    black_box(checks::light_ratio(img, &q));
                })),
            );
        }
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let v = &examined.verdict;
    json!({
        "file": path.display().to_string(),
        "verdict_ms": verdict,
        "verdict_upload_ms": verdict_upload,
        "stages_ms": stages,
        "peak_heap_mb": (peak_heap * 10.0).round() / 10.0,
        "peak_rss_mb": peak_rss_mb(),
        "upload_bytes": examined.upload.len(),
        "preview_bytes": examined.preview.len(),
        "decode_path": v.metrics.decode_path,
        "ok": v.ok,
        "reasons": v.reasons,
        "quad": v.quad,
        "quad_iou": match (v.quad, support::truth(dir)) {
            (Some(q), Some(t)) => Some((quad::iou(&q, &t) * 1000.0).round() / 1000.0),
            _ => None,
        },
    })
}

fn main() {
    let mut runs = 9;
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(9),
            "--bench" => {}
            // For a profiler: only `examine` (or only `assess`) N times on each file.
            "--loop-examine" | "--loop-assess" => {
                let n = args.next().and_then(|n| n.parse().ok()).unwrap_or(50);
                let examine = a == "--loop-examine";
                for p in args.by_ref() {
                    let Ok(bytes) = std::fs::read(&p) else {
                        continue;
                    };
                    for _ in 0..n {
                        if examine {
                            black_box(okpay_photo::examine(&bytes, Strictness::Normal).ok());
                        } else {
                            black_box(quality::assess(&bytes, Strictness::Normal).ok());
                        }
                    }
                }
                return;
            }
            _ => paths.push(PathBuf::from(a)),
        }
    }
    if paths.is_empty() {
        paths.push(support::photo_dir());
    }
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            for n in [
                "card_12mp.jpg",
                "card_12mp_o6.jpg",
                "card_12mp_progressive.jpg",
                "card_12mp.png",
                "card_12mp.webp",
            ] {
                if p.join(n).exists() {
                    files.push(p.join(n));
                }
            }
        } else {
            files.push(p);
        }
    }
    for f in files {
        println!("{}", measure(&f, runs));
    }
}
