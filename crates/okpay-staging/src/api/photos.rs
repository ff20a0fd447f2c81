//! `PUT /v1/verification/photos/{side}`: upload one side of the ID card as
//! `multipart/form-data` with a file part named `photo`. What the contract does not allow
//! (anything but a baseline JPEG of at most 2560 px) is refused from its headers; the rest is
//! counted against the user's daily quota, judged again by the shared photo quality engine
//! from one decode (at [`SERVER_STRICTNESS`]: the app already judged the original at
//! `normal`), one photo per core at a time and under a deadline, compared with the other
//! side's photo in the transaction that stores it (`PHOTO_DUPLICATE_SIDES`), and kept as
//! `photos/<sha256>` in the data directory; a replaced file is deleted once nothing refers
//! to it; files are readable by their owner only. A refusal carries the same code the app
//! would show.

use crate::data_dir;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiPath, Auth};
use crate::secrets;
use crate::state::Staging;
use crate::store::applications;
use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header::CONTENT_LENGTH;
use axum::http::{HeaderMap, StatusCode};
use http_body_util::BodyExt;
use okpay_photo as photo;
use okpay_photo::quality::Strictness;
use okpay_photo::quality::phash::Fingerprint;
use okpay_rules::ErrorCode;
use okpay_rules::contract::{MAX_PHOTO_BYTES, MAX_UPLOAD_LONG_SIDE, PhotoInfo, PhotoSide};
use std::path::Path;
use std::sync::Arc;

/// Largest request body: one photo plus room for the multipart framing.
pub const PHOTO_BODY_LIMIT: usize = MAX_PHOTO_BYTES + 256 * 1024;
/// An oversize body is read (and dropped) up to this size so the client can read the
/// 413 answer instead of seeing its upload cut off.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;
/// How strictly the server re-judges an upload.
pub const SERVER_STRICTNESS: Strictness = Strictness::Relaxed;
/// The form field carrying the file.
const FIELD: &str = "photo";
const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// Longest wait for a free photo worker before answering `SERVICE_UNAVAILABLE`.
const QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);
/// Longest a photo's check may take (a baseline 2560 px JPEG takes well under a second).
const PHOTO_DEADLINE: std::time::Duration = std::time::Duration::from_secs(20);

fn too_large() -> AppError {
    AppError::with_message(
        ErrorCode::PayloadTooLarge,
        "The upload is larger than 20 MB.",
    )
}

/// The body, up to [`PHOTO_BODY_LIMIT`]; `PAYLOAD_TOO_LARGE` beyond.
async fn read_limited(mut body: Body, headers: &HeaderMap) -> AppResult<Bytes> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > DRAIN_LIMIT) {
        return Err(too_large());
    }
    let mut buf = Vec::with_capacity(declared.unwrap_or(0).min(PHOTO_BODY_LIMIT));
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| {
            AppError::with_message(ErrorCode::BadRequest, "The upload was interrupted.")
        })?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        total = total.saturating_add(data.len());
        if total > PHOTO_BODY_LIMIT {
            buf = Vec::new();
            if total > DRAIN_LIMIT {
                break;
            }
        } else {
            buf.extend_from_slice(&data);
        }
    }
    if total > PHOTO_BODY_LIMIT {
        Err(too_large())
    } else {
        Ok(Bytes::from(buf))
    }
}

fn multipart_error(e: &MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        AppError::with_message(
            ErrorCode::BadRequest,
            "The multipart/form-data body could not be read.",
        )
    }
}

/// The bytes of the `photo` part.
async fn photo_part(request: Request) -> AppResult<Bytes> {
    let mut form = Multipart::from_request(request, &()).await.map_err(|_| {
        AppError::with_message(
            ErrorCode::BadRequest,
            "Expected a multipart/form-data body with a part named photo.",
        )
    })?;
    while let Some(field) = form.next_field().await.map_err(|e| multipart_error(&e))? {
        if field.name() == Some(FIELD) {
            return field.bytes().await.map_err(|e| multipart_error(&e));
        }
    }
    Err(AppError::with_message(
        ErrorCode::BadRequest,
        "The form has no part named photo.",
    ))
}

/// Judge an upload from one decode: the first reason refuses it, the message lists them
/// all. → the displayed size and the fingerprint for the pair rule.
fn judge(data: &[u8]) -> AppResult<(u32, u32, Fingerprint)> {
    let (verdict, fingerprint) =
        photo::assess_upload(data, SERVER_STRICTNESS).map_err(AppError::new)?;
    match verdict.reasons.first() {
        None => Ok((verdict.metrics.width, verdict.metrics.height, fingerprint)),
        Some(first) => {
            let all: Vec<String> = verdict.reasons.iter().map(|c| c.as_str()).collect();
            Err(AppError::with_message(
                *first,
                format!("{} ({})", first.default_message(), all.join(", ")),
            ))
        }
    }
}

/// Write `bytes` as `dir/<sha256>`, owner-only, unless that file exists (same name, same
/// content).
fn store_file(dir: &Path, sha256: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = dir.join(sha256);
    if path.exists() {
        return Ok(());
    }
    let tmp = dir.join(format!("{sha256}.{}.tmp", secrets::new_id()));
    data_dir::write_private(&tmp, bytes)?;
    std::fs::rename(&tmp, &path)
}

/// Delete `dir/<sha256>` when no application refers to it any more (call with
/// `photo_files` held).
async fn delete_if_unreferenced(st: &Staging, sha256: String) {
    let dir = st.inner.photos_dir.clone();
    let sha = sha256.clone();
    let referenced = st
        .inner
        .db
        .call(move |c| Ok(applications::photo_referenced(c, &sha)?))
        .await;
    if let Ok(false) = referenced
        && let Err(e) = std::fs::remove_file(dir.join(&sha256))
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(error = %e, "could not delete a photo file nothing refers to");
    }
}

fn busy() -> AppError {
    AppError::with_message(
        ErrorCode::ServiceUnavailable,
        "The server is checking too many photos at once. Try again in a moment.",
    )
}

/// → `PhotoInfo` of the stored photo; the application becomes a draft.
pub async fn put_photo(
    State(st): State<Staging>,
    auth: Auth,
    ApiPath(side): ApiPath<String>,
    request: Request,
) -> AppResult<Json<PhotoInfo>> {
    let side = PhotoSide::parse(&side).ok_or(AppError::new(ErrorCode::NotFound))?;
    let (parts, body) = request.into_parts();
    let bytes = read_limited(body, &parts.headers).await?;
    let user_id = auth.user_id.clone();
    st.inner
        .db
        .call(move |c| {
            let row = applications::of_user(c, &user_id)?;
            applications::ensure_editable(row.as_ref())?;
            applications::ensure_consent(row.as_ref())
        })
        .await?;
    let data = photo_part(Request::from_parts(parts, Body::from(bytes))).await?;
    // What the contract does not allow is refused from the headers, before any decoding.
    photo::codec::inspect_upload(&data).map_err(|code| match code {
        ErrorCode::PhotoUnsupportedFormat => AppError::with_message(
            code,
            "An upload is a baseline JPEG, as the app prepares it (not PNG, WebP or progressive).",
        ),
        ErrorCode::PhotoTooLarge => AppError::with_message(
            code,
            format!("An upload's long side is at most {MAX_UPLOAD_LONG_SIDE} px."),
        ),
        ErrorCode::PhotoUnreadable => AppError::with_message(
            code,
            format!(
                "The upload is not a JPEG that can be read within the limits (at most {} scans).",
                photo::codec::MAX_SCANS
            ),
        ),
        _ => AppError::new(code),
    })?;
    let (user_id, quota) = (auth.user_id.clone(), st.inner.config.photo_uploads_per_day);
    st.inner
        .db
        .call(move |c| applications::reserve_upload(c, &user_id, quota, DAY_MS))
        .await?;
    let permit = tokio::time::timeout(QUEUE_WAIT, Arc::clone(&st.inner.photo_work).acquire_owned())
        .await
        .map_err(|_| busy())?
        .map_err(|_| busy())?;
    let judged = tokio::task::spawn_blocking({
        let data = data.clone();
        // The permit goes with the work: a check past its deadline still counts until it ends.
        move || {
            let judged = judge(&data);
            drop(permit);
            judged
        }
    });
    let (width, height, fingerprint) = tokio::time::timeout(PHOTO_DEADLINE, judged)
        .await
        .map_err(|_| busy())???;
    let info = PhotoInfo {
        side,
        sha256: secrets::sha256_hex(&data),
        bytes: u64::try_from(data.len()).unwrap_or(u64::MAX),
        width,
        height,
    };
    // The file and the rows that refer to it change together.
    let _files = st.inner.photo_files.lock().await;
    let dir = st.inner.photos_dir.clone();
    let sha = info.sha256.clone();
    tokio::task::spawn_blocking(move || store_file(&dir, &sha, &data))
        .await?
        .map_err(|e| AppError::internal("storing a photo failed", e))?;
    let user_id = auth.user_id.clone();
    let stored = info.clone();
    let written = st
        .inner
        .db
        .transaction(move |tx| applications::set_photo(tx, &user_id, &stored, &fingerprint))
        .await;
    let (app, replaced) = match written {
        Ok(done) => done,
        Err(e) => {
            delete_if_unreferenced(&st, info.sha256.clone()).await;
            return Err(e);
        }
    };
    if let Some(old) = replaced {
        delete_if_unreferenced(&st, old).await;
    }
    tracing::info!(user = %auth.user_id, side = side.as_str(), bytes = info.bytes, revision = app.revision, "photo stored");
    st.inner.notifier.publish(&auth.user_id, app.revision);
    Ok(Json(info))
}
