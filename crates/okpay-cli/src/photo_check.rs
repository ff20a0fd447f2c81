//! `okpay check-photo` and `okpay check-pair`: the app's photo quality engine from the shell.
//! Each file is judged from its bytes in memory, timed as CPU milliseconds of the checking
//! thread (the same measure as the photo benchmark), optionally drawn as an annotated PNG.

use crate::output::emit;
use okpay_core::contract::PhotoSide;
use okpay_core::quality::{self, Metrics, Strictness};
use okpay_core::{ApiError, ErrorCode};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct PhotoArgs {
    /// Which side of the card the photos show (reported back; both sides are judged alike).
    #[arg(long, value_enum)]
    side: Option<SideArg>,
    /// How strict the checks are (the app uses `normal`).
    #[arg(long, value_enum, default_value = "normal")]
    strictness: StrictnessArg,
    /// Write `<name>.annotated.png` into this directory for each photo: the card outline,
    /// glare and missing corners drawn on it.
    #[arg(long, value_name = "DIR")]
    annotate: Option<PathBuf>,
    /// Photo files (JPEG, PNG, WebP), identified by content.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SideArg {
    Portrait,
    Emblem,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum StrictnessArg {
    Relaxed,
    Normal,
    Strict,
}

impl From<StrictnessArg> for Strictness {
    fn from(s: StrictnessArg) -> Strictness {
        match s {
            StrictnessArg::Relaxed => Strictness::Relaxed,
            StrictnessArg::Normal => Strictness::Normal,
            StrictnessArg::Strict => Strictness::Strict,
        }
    }
}

/// One line of `okpay check-photo --json`.
#[derive(Serialize)]
struct PhotoReport {
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    side: Option<PhotoSide>,
    ok: bool,
    reasons: Vec<ErrorCode>,
    metrics: Option<Metrics>,
    quad: Option<[[f32; 2]; 4]>,
    glare: Vec<quality::Rect>,
    missing_corners: Vec<quality::Corner>,
    /// CPU milliseconds of the checking thread, from the bytes in memory to the verdict.
    ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    annotated: Option<String>,
}

/// CPU time of the calling thread spent in `f`, in milliseconds.
fn thread_cpu_ms<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = cpu_time::ThreadTime::now();
    let value = f();
    (value, start.elapsed().as_secs_f64() * 1000.0)
}

fn read(file: &Path) -> Result<Vec<u8>, ErrorCode> {
    okpay_core::flow::read_photo_file(file).map_err(|e| e.code())
}

fn check_one(file: &Path, args: &PhotoArgs) -> PhotoReport {
    let side = args.side.map(|s| match s {
        SideArg::Portrait => PhotoSide::Portrait,
        SideArg::Emblem => PhotoSide::Emblem,
    });
    let mut report = PhotoReport {
        file: file.display().to_string(),
        side,
        ok: false,
        reasons: Vec::new(),
        metrics: None,
        quad: None,
        glare: Vec::new(),
        missing_corners: Vec::new(),
        ms: 0.0,
        annotated: None,
    };
    let bytes = match read(file) {
        Ok(b) => b,
        Err(code) => {
            report.reasons.push(code);
            return report;
        }
    };
    let (verdict, ms) = thread_cpu_ms(|| quality::assess(&bytes, args.strictness.into()));
    report.ms = (ms * 100.0).round() / 100.0;
    let verdict = match verdict {
        Ok(v) => v,
        Err(code) => {
            report.reasons.push(code);
            return report;
        }
    };
    if let Some(dir) = &args.annotate {
        match annotate(dir, file, &bytes, &verdict) {
            Ok(path) => report.annotated = Some(path.display().to_string()),
            Err(code) => report.reasons.push(code),
        }
    }
    report.ok = verdict.ok && report.reasons.is_empty();
    report.reasons.splice(0..0, verdict.reasons.iter().copied());
    report.metrics = Some(verdict.metrics);
    report.quad = verdict.quad;
    report.glare = verdict.glare;
    report.missing_corners = verdict.missing_corners;
    report
}

/// Long side of an annotated image.
const ANNOTATED_LONG_SIDE: u32 = 1600;

fn annotate(
    dir: &Path,
    file: &Path,
    bytes: &[u8],
    verdict: &quality::Verdict,
) -> Result<PathBuf, ErrorCode> {
    let png = quality::annotate::render(bytes, verdict, ANNOTATED_LONG_SIDE)?;
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "photo".to_owned());
    std::fs::create_dir_all(dir).map_err(|_| ErrorCode::Internal)?;
    let path = dir.join(format!("{stem}.annotated.png"));
    std::fs::write(&path, png).map_err(|_| ErrorCode::Internal)?;
    Ok(path)
}

fn text_line(r: &PhotoReport) -> String {
    let codes: Vec<String> = r.reasons.iter().map(|c| c.as_str()).collect();
    let size = r
        .metrics
        .as_ref()
        .map(|m| format!("{}x{}", m.width, m.height))
        .unwrap_or_default();
    let state = if r.ok { "ok     " } else { "refused" };
    let mut line = format!("{state}  {}  {size}  {:.1} ms", r.file, r.ms);
    if !codes.is_empty() {
        line.push_str("  ");
        line.push_str(&codes.join(","));
    }
    if let Some(a) = &r.annotated {
        line.push_str("  → ");
        line.push_str(a);
    }
    line
}

pub fn photos(args: PhotoArgs, json: bool) -> Result<(), ApiError> {
    let mut all_ok = true;
    for file in &args.files {
        let report = check_one(file, &args);
        all_ok &= report.ok;
        emit(&report, json, || text_line(&report));
    }
    if !all_ok {
        std::process::exit(1);
    }
    Ok(())
}

#[derive(clap::Args)]
pub struct PairArgs {
    /// Photo of the portrait side (人像面).
    front: PathBuf,
    /// Photo of the emblem side (国徽面).
    back: PathBuf,
}

/// The result of `okpay check-pair --json`.
#[derive(Serialize)]
struct PairReport {
    front: String,
    back: String,
    ok: bool,
    reasons: Vec<ErrorCode>,
    /// Perceptual-hash distance of the two photos (0 = the same shot).
    distance: u32,
}

pub fn pair(args: PairArgs, json: bool) -> Result<(), ApiError> {
    let front = read(&args.front).map_err(ApiError::new)?;
    let back = read(&args.back).map_err(ApiError::new)?;
    let verdict = quality::phash::check_pair(&front, &back).map_err(ApiError::new)?;
    let report = PairReport {
        front: args.front.display().to_string(),
        back: args.back.display().to_string(),
        ok: !verdict.duplicate,
        reasons: if verdict.duplicate {
            vec![ErrorCode::PhotoDuplicateSides]
        } else {
            Vec::new()
        },
        distance: verdict.distance,
    };
    emit(&report, json, || {
        if report.ok {
            format!(
                "ok       two different photos (distance {})",
                report.distance
            )
        } else {
            format!(
                "refused  PHOTO_DUPLICATE_SIDES: the same shot for both sides (distance {})",
                report.distance
            )
        }
    });
    if !report.ok {
        std::process::exit(1);
    }
    Ok(())
}
