//! `okpay submit`: the whole application from the shell, with the app's own local checks —
//! personal information validated, photos checked and re-encoded on this machine — then
//! uploaded with progress and submitted under an idempotency key. The submission waits in
//! the encrypted outbox under the data directory (`OKPAY_DATA_DIR`, else the platform's
//! data directory) until the server has it; `okpay submit --resume` (or `okpay status`)
//! finishes one that was cut off or interrupted. Ctrl-C cancels, keeping it queued.

use crate::output::{emit, masked};
use crate::session::{Conn, flow_with_outbox};
use okpay_core::contract::{Application, CONSENT_VERSION, PhotoSide, Validity};
use okpay_core::flow::{
    APP_STRICTNESS, CancellationToken, Flow, SubmitProgress, prepare_photo, read_photo_file,
};
use okpay_core::session::Session;
use okpay_core::validate::Date;
use okpay_core::{ApiError, ErrorCode};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct SubmitArgs {
    #[command(flatten)]
    conn: Conn,
    /// Name as printed on the card.
    #[arg(long, required_unless_present = "resume")]
    name: Option<String>,
    /// Resident ID number.
    #[arg(long = "id", required_unless_present = "resume")]
    id_number: Option<String>,
    /// Validity period as printed on the emblem side: START:END or START:长期
    /// (YYYY-MM-DD dates; `long-term` also accepted for 长期).
    #[arg(long)]
    validity: Option<String>,
    /// Photo of the portrait side (人像面).
    #[arg(long, required_unless_present = "resume")]
    portrait: Option<PathBuf>,
    /// Photo of the emblem side (国徽面).
    #[arg(long, required_unless_present = "resume")]
    emblem: Option<PathBuf>,
    /// Agree to the processing of the ID number and ID card images for real-name
    /// verification (the consent text the app shows, version 2026-11). Needed once per
    /// account; without it the server answers CONSENT_REQUIRED.
    #[arg(long)]
    consent: bool,
    /// Only finish the submission waiting in the outbox (cut off or interrupted earlier).
    #[arg(
        long,
        conflicts_with_all = ["name", "id_number", "validity", "portrait", "emblem", "consent"]
    )]
    resume: bool,
}

/// A token cancelled by Ctrl-C.
fn ctrl_c_token() -> CancellationToken {
    let cancel = CancellationToken::new();
    let on_signal = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_signal.cancel();
        }
    });
    cancel
}

/// A transient failure leaves the submission queued: say how it goes out.
async fn explain(e: okpay_core::Error, flow: &Flow, session: &Session) -> ApiError {
    let code = e.code();
    let queued = (e.is_transient() || code == ErrorCode::Cancelled)
        && flow.has_queued(session).await.unwrap_or(false);
    if queued {
        ApiError::with_message(
            code,
            format!(
                "{} The submission is kept, encrypted, and goes out with `okpay submit --resume` or `okpay status`.",
                code.default_message()
            ),
        )
    } else {
        e.to_api()
    }
}

fn progress(json: bool) -> SubmitProgress {
    Arc::new(move |side: PhotoSide, sent: u64, total: u64| {
        if !json {
            eprint!("\r{:<8} {:>3}%", side.as_str(), sent * 100 / total.max(1));
            if sent == total {
                eprintln!();
            }
            let _ = std::io::stderr().flush();
        }
    })
}

/// Print a submitted application (ID number masked).
fn emit_submitted(app: &Application, json: bool) {
    emit(&masked(app.clone()), json, || {
        format!(
            "submitted: {:?} (application {})",
            app.status,
            app.id.as_deref().unwrap_or("-")
        )
    });
}

/// `okpay submit --resume`: finish what waits in the outbox.
async fn resume(session: &Session, json: bool) -> Result<(), ApiError> {
    let flow = flow_with_outbox()?;
    match flow.resume(session, progress(json), &ctrl_c_token()).await {
        Ok(Some(app)) => {
            emit_submitted(&app, json);
            Ok(())
        }
        Ok(None) => {
            emit(&serde_json::json!({"resumed": false}), json, || {
                "nothing waits in the outbox".into()
            });
            Ok(())
        }
        Err(e) => Err(explain(e, &flow, session).await),
    }
}

/// `START:END` or `START:长期` (dates `YYYY-MM-DD`) → a validity period.
pub(crate) fn parse_validity(s: &str) -> Result<Validity, ApiError> {
    let bad = || {
        ApiError::with_message(
            ErrorCode::ValidityBadDate,
            "--validity is START:END or START:长期 (YYYY-MM-DD)",
        )
    };
    let (start, end) = s.split_once(':').ok_or_else(bad)?;
    let long_term = matches!(end.trim(), "长期" | "long-term" | "long_term");
    Date::parse(start.trim()).ok_or_else(bad)?;
    if !long_term {
        Date::parse(end.trim()).ok_or_else(bad)?;
    }
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
    if args.resume {
        return resume(&session, json).await;
    }
    let missing = || ApiError::with_message(ErrorCode::BadRequest, "missing argument");
    let (name, id_number) = (
        args.name.ok_or_else(missing)?,
        args.id_number.ok_or_else(missing)?,
    );
    let (portrait, emblem) = (
        args.portrait.ok_or_else(missing)?,
        args.emblem.ok_or_else(missing)?,
    );
    let flow = flow_with_outbox()?;
    if args.consent {
        flow.consent(&session, CONSENT_VERSION).await?;
    }
    if let Err(e) = flow
        .save_personal(&session, &name, &id_number, validity)
        .await
        && !e.is_transient()
    {
        return Err(e.into());
    }
    for (side, path) in [(PhotoSide::Portrait, portrait), (PhotoSide::Emblem, emblem)] {
        let photo = tokio::task::spawn_blocking(move || {
            read_photo_file(&path).and_then(|bytes| prepare_photo(side, &bytes, APP_STRICTNESS))
        })
        .await
        .map_err(|_| ApiError::new(ErrorCode::Internal))??;
        let view = flow.put_photo(photo);
        if let Some(code) = view.check.reasons.first() {
            let all: Vec<String> = view.check.reasons.iter().map(|c| c.as_str()).collect();
            return Err(ApiError::with_message(
                *code,
                format!(
                    "the {} photo was refused on this machine ({}): {}",
                    side.as_str(),
                    all.join(", "),
                    code.default_message()
                ),
            ));
        }
    }
    let app = match flow
        .submit_cancellable(&session, progress(json), &ctrl_c_token())
        .await
    {
        Ok(app) => app,
        Err(e) => return Err(explain(e, &flow, &session).await),
    };
    emit_submitted(&app, json);
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
            parse_validity("2016-02-30:长期").err().map(|e| e.code),
            Some(ErrorCode::ValidityBadDate),
            "not a real date"
        );
        assert_eq!(
            parse_validity("2016-05-01").err().map(|e| e.code),
            Some(ErrorCode::ValidityBadDate)
        );
    }
}
