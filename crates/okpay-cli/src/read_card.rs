//! `okpay read-card`: the app's card reader from the shell. Each file's side and fields, with
//! their confidence and box on the photo; with `--against`, the cross-checks the app makes
//! against what the user typed.

use crate::output::emit;
use okpay_core::ocr::{CardSide, Check, Fields, Models, Outcome, Reading, Typed, cross_check};
use okpay_core::validate::Date;
use okpay_core::{ApiError, ErrorCode};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args)]
pub struct ReadArgs {
    /// The models' directory (default: $OKPAY_OCR_MODELS).
    #[arg(long, value_name = "DIR", env = "OKPAY_OCR_MODELS")]
    models: Option<PathBuf>,
    /// Cross-check the first portrait and emblem photos against this name and ID number.
    #[arg(long, num_args = 2, value_names = ["NAME", "ID_NUMBER"])]
    against: Option<Vec<String>>,
    /// The typed validity period for `--against`: `START:END` or `START:长期` (YYYY-MM-DD).
    #[arg(long, value_name = "START:END", requires = "against")]
    validity: Option<String>,
    /// Photo files (JPEG, PNG, WebP).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// One line of `okpay read-card --json`.
#[derive(Serialize)]
struct ReadReport {
    file: String,
    side: Option<CardSide>,
    upside_down: bool,
    fields: Fields,
    /// Wall-clock milliseconds from the bytes in memory to the reading.
    ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ApiError>,
}

/// The last line with `--against`.
#[derive(Serialize)]
struct ChecksReport<'a> {
    checks: &'a [Check],
}

pub fn read_card(args: ReadArgs, json: bool) -> Result<(), ApiError> {
    let validity = args
        .validity
        .as_deref()
        .map(crate::submit::parse_validity)
        .transpose()?;
    let dir = args.models.ok_or_else(|| {
        ApiError::with_message(
            ErrorCode::OcrUnavailable,
            "Set --models or OKPAY_OCR_MODELS.",
        )
    })?;
    let models = Models::load(&dir).map_err(|e| ApiError::with_message(e.code(), e.to_string()))?;
    let mut readings: Vec<Reading> = Vec::new();
    for file in &args.files {
        let start = Instant::now();
        let result = okpay_core::flow::read_photo_file(file)
            .map_err(|e| ApiError::with_message(e.code(), e.to_string()))
            .and_then(|bytes| {
                models
                    .read_photo(&bytes)
                    .map_err(|e| ApiError::with_message(e.code(), e.to_string()))
            });
        let ms = (start.elapsed().as_secs_f64() * 1e5).round() / 100.0;
        let report = match &result {
            Ok(r) => ReadReport {
                file: file.display().to_string(),
                side: Some(r.side),
                upside_down: r.upside_down,
                fields: r.fields.clone(),
                ms,
                error: None,
            },
            Err(e) => ReadReport {
                file: file.display().to_string(),
                side: None,
                upside_down: false,
                fields: Fields::default(),
                ms,
                error: Some(e.clone()),
            },
        };
        emit(&report, json, || text(&report));
        if let Ok(r) = result {
            readings.push(r);
        }
    }
    if let Some(against) = &args.against {
        let (name, number) = (&against[0], &against[1]);
        let find = |side| readings.iter().find(|r| r.side == side);
        let typed = Typed {
            name,
            id_number: number,
            validity: validity.as_ref(),
        };
        let checks = cross_check(
            &typed,
            find(CardSide::Portrait),
            find(CardSide::Emblem),
            Date::today_china(),
            &|c| models.knows(c),
        );
        emit(&ChecksReport { checks: &checks }, json, || {
            checks.iter().map(check_line).collect::<Vec<_>>().join("\n")
        });
    }
    Ok(())
}

fn text(r: &ReadReport) -> String {
    if let Some(e) = &r.error {
        return format!("{}: {}: {}", r.file, e.code, e.message);
    }
    let side = match r.side {
        Some(CardSide::Portrait) => "portrait side",
        Some(CardSide::Emblem) => "emblem side",
        _ => "not read as an ID card",
    };
    let turned = if r.upside_down { ", upside down" } else { "" };
    let mut out = format!("{}: {side}{turned} ({:.0} ms)", r.file, r.ms);
    let f = &r.fields;
    for (label, field) in [
        ("name", &f.name),
        ("sex", &f.sex),
        ("ethnicity", &f.ethnicity),
        ("birth", &f.birth),
        ("address", &f.address),
        ("id_number", &f.id_number),
        ("authority", &f.authority),
        ("valid_from", &f.valid_from),
        ("valid_to", &f.valid_to),
    ] {
        if let Some(v) = field {
            out.push_str(&format!("\n  {label:<10} {} ({:.2})", v.text, v.confidence));
        }
    }
    out
}

fn check_line(c: &Check) -> String {
    let what = serde_json::to_value(c.checked)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    match &c.outcome {
        Outcome::Match => format!("{what}: matches"),
        Outcome::Mismatch { code, read } => {
            format!("{what}: MISMATCH {code} (the card says {read})")
        }
        Outcome::NotChecked { why } => format!("{what}: not checked ({why:?})"),
    }
}
