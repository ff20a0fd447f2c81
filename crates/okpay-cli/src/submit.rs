//! `okpay submit`: the whole application from the shell, with the app's own local checks —
//! personal information validated, photos checked and re-encoded on this machine — then
//! uploaded with progress and submitted under an idempotency key.

use crate::account::Conn;
use crate::emit;
use okpay_core::contract::{PhotoSide, Validity};
use okpay_core::flow::{Flow, prepare_photo, read_photo_file};
use okpay_core::{ApiError, ErrorCode};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct SubmitArgs {
    #[command(flatten)]
    conn: Conn,
    /// Name as printed on the card.
    #[arg(long)]
    name: String,
    /// Resident ID number.
    #[arg(long = "id")]
    id_number: String,
    /// Validity period as printed on the emblem side: START:END or START:长期
    /// (YYYY-MM-DD dates; `long-term` also accepted for 长期).
    #[arg(long)]
    validity: Option<String>,
    /// Photo of the portrait side (人像面).
    #[arg(long)]
    portrait: PathBuf,
    /// Photo of the emblem side (国徽面).
    #[arg(long)]
    emblem: PathBuf,
}

/// `START:END` or `START:长期` → a validity period.
fn parse_validity(s: &str) -> Result<Validity, ApiError> {
    let bad = || ApiError::new(ErrorCode::ValidityBadDate);
    let (start, end) = s.split_once(':').ok_or_else(bad)?;
    let long_term = matches!(end.trim(), "长期" | "long-term" | "long_term");
    Ok(Validity {
        start: Some(start.trim().to_owned()),
        end: (!long_term).then(|| end.trim().to_owned()),
        long_term,
    })
}

pub async fn submit(args: SubmitArgs, json: bool) -> Result<(), ApiError> {
    let validity = args.validity.as_deref().map(parse_validity).transpose()?;
    let session = args.conn.session()?;
    if session.restore().await?.is_none() {
        return Err(ApiError::new(ErrorCode::AuthRequired));
    }
    let flow = Flow::default();
    flow.save_personal(&session, &args.name, &args.id_number, validity)
        .await?;
    for (side, path) in [
        (PhotoSide::Portrait, args.portrait),
        (PhotoSide::Emblem, args.emblem),
    ] {
        let photo = tokio::task::spawn_blocking(move || {
            read_photo_file(&path).and_then(|bytes| prepare_photo(side, &bytes))
        })
        .await
        .map_err(|_| ApiError::new(ErrorCode::Internal))??;
        flow.put_photo(photo);
    }
    let progress = Arc::new(move |side: PhotoSide, sent: u64, total: u64| {
        if !json {
            eprint!("\r{:<8} {:>3}%", side.as_str(), sent * 100 / total.max(1));
            if sent == total {
                eprintln!();
            }
            let _ = std::io::stderr().flush();
        }
    });
    let app = flow.submit(&session, progress).await?;
    emit(&app, json, || {
        format!(
            "submitted: {:?} (application {})",
            app.status,
            app.id.as_deref().unwrap_or("-")
        )
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_forms() {
        let v = parse_validity("2020-01-01:长期").unwrap_or_default();
        assert!(v.long_term && v.end.is_none());
        let v = parse_validity("2016-05-01:2026-05-01").unwrap_or_default();
        assert_eq!(v.end.as_deref(), Some("2026-05-01"));
        assert_eq!(
            parse_validity("2016-05-01").err().map(|e| e.code),
            Some(ErrorCode::ValidityBadDate)
        );
    }
}
