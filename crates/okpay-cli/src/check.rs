//! `okpay validate id|name` and `okpay check-photo`: the app's local checks from the shell.

use crate::emit;
use clap::Subcommand;
use okpay_core::contract::PhotoSide;
use okpay_core::validate;
use okpay_core::ApiError;
use serde::Serialize;
use std::io::BufRead;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct ValidateArgs {
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand)]
enum What {
    /// Resident ID numbers (`-` reads one per line from stdin).
    Id { inputs: Vec<String> },
    /// Names as printed on the card (`-` reads one per line from stdin).
    Name { inputs: Vec<String> },
}

#[derive(Serialize)]
struct Verdict {
    input: String,
    ok: bool,
    codes: Vec<String>,
    normalized: Option<String>,
}

fn inputs(args: Vec<String>) -> Vec<String> {
    args.into_iter()
        .flat_map(|a| {
            if a == "-" {
                std::io::stdin().lock().lines().map_while(Result::ok).collect()
            } else {
                vec![a]
            }
        })
        .collect()
}

pub fn validate(args: ValidateArgs, json: bool) -> Result<(), ApiError> {
    let (list, check): (Vec<String>, fn(&str) -> Result<String, okpay_core::ErrorCode>) = match args.what {
        What::Id { inputs: i } => (inputs(i), validate::id_number),
        What::Name { inputs: i } => (inputs(i), validate::name),
    };
    let mut all_ok = true;
    for input in list {
        let r = check(&input);
        all_ok &= r.is_ok();
        let v = Verdict {
            ok: r.is_ok(),
            codes: r.as_ref().err().map(|c| vec![c.as_str()]).unwrap_or_default(),
            normalized: r.ok(),
            input,
        };
        emit(&v, json, || match &v.normalized {
            Some(n) => format!("ok       {n}"),
            None => format!("invalid  {}  {}", v.codes.join(","), v.input),
        });
    }
    if !all_ok {
        std::process::exit(1);
    }
    Ok(())
}

#[derive(clap::Args)]
pub struct PhotoArgs {
    /// Photo files (JPEG, PNG, WebP), identified by content.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(Serialize)]
struct PhotoVerdict {
    file: String,
    ok: bool,
    reasons: Vec<String>,
    width: Option<u32>,
    height: Option<u32>,
    upload_bytes: Option<u64>,
}

pub fn photos(args: PhotoArgs, json: bool) -> Result<(), ApiError> {
    let mut all_ok = true;
    for file in args.files {
        let r = std::fs::read(&file)
            .map_err(|_| okpay_core::Error::File(file.display().to_string()))
            .and_then(|b| okpay_core::flow::prepare_photo(PhotoSide::Portrait, &b));
        all_ok &= r.is_ok();
        let v = PhotoVerdict {
            file: file.display().to_string(),
            ok: r.is_ok(),
            reasons: r.as_ref().err().map(|e| vec![e.code().as_str()]).unwrap_or_default(),
            width: r.as_ref().ok().map(|p| p.view.width),
            height: r.as_ref().ok().map(|p| p.view.height),
            upload_bytes: r.as_ref().ok().map(|p| p.view.bytes),
        };
        emit(&v, json, || match (&v.width, &v.height) {
            (Some(w), Some(h)) => format!("ok       {}  {w}x{h}", v.file),
            _ => format!("refused  {}  {}", v.reasons.join(","), v.file),
        });
    }
    if !all_ok {
        std::process::exit(1);
    }
    Ok(())
}
