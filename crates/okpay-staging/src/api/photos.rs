//! `PUT /v1/verification/photos/{side}`: upload one side of the ID card as
//! `multipart/form-data` with a file part named `photo`. The bytes are judged again by the
//! shared photo quality engine (at [`SERVER_STRICTNESS`]: the app already judged the
//! original at `normal`; the server re-checks what it actually receives), compared with the
//! other side's photo (`PHOTO_DUPLICATE_SIDES`), and stored as `photos/<sha256>` in the data
//! directory, readable by its owner only. A refusal carries the same code the app would show.

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
use okpay_photo::quality::{self, Strictness};
use okpay_rules::ErrorCode;
use okpay_rules::contract::{MAX_PHOTO_BYTES, PhotoInfo, PhotoSide};
use std::path::Path;

/// Largest request body: one photo plus room for the multipart framing.
pub const PHOTO_BODY_LIMIT: usize = MAX_PHOTO_BYTES + 256 * 1024;
/// An oversize body is read (and dropped) up to this size so the client can read the
/// 413 answer instead of seeing its upload cut off.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;
/// How strictly the server re-judges an upload.
pub const SERVER_STRICTNESS: Strictness = Strictness::Relaxed;
/// The form field carrying the file.
const FIELD: &str = "photo";

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

/// Judge an upload: the first reason refuses it, the message lists them all. `other` is the
/// stored photo of the other side, if any. → the displayed size.
fn judge(data: &[u8], other: Option<&Path>) -> AppResult<(u32, u32)> {
    let verdict = photo::assess_upload(data, SERVER_STRICTNESS).map_err(AppError::new)?;
    let mut reasons = verdict.reasons;
    if let Some(other) = other
        && let Ok(stored) = std::fs::read(other)
        && quality::phash::check_pair(data, &stored).is_ok_and(|pair| pair.duplicate)
    {
        reasons.push(ErrorCode::PhotoDuplicateSides);
    }
    match reasons.first() {
        None => Ok((verdict.metrics.width, verdict.metrics.height)),
        Some(first) => {
            let all: Vec<String> = reasons.iter().map(|c| c.as_str()).collect();
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
    let user_id = auth.user_id.clone();
    let other_side = st
        .inner
        .db
        .call(move |c| {
            let app = applications::current(c, &user_id)?;
            Ok(match side.other() {
                PhotoSide::Portrait => app.photos.portrait,
                PhotoSide::Emblem => app.photos.emblem,
            }
            .map(|p| p.sha256))
        })
        .await?;
    let data = photo_part(Request::from_parts(parts, Body::from(bytes))).await?;
    let dir = st.inner.photos_dir.clone();
    let info = tokio::task::spawn_blocking(move || -> AppResult<PhotoInfo> {
        photo::inspect(&data).map_err(AppError::new)?;
        let (width, height) = judge(&data, other_side.map(|sha| dir.join(sha)).as_deref())?;
        let sha256 = secrets::sha256_hex(&data);
        store_file(&dir, &sha256, &data)
            .map_err(|e| AppError::internal("storing a photo failed", e))?;
        Ok(PhotoInfo {
            side,
            sha256,
            bytes: u64::try_from(data.len()).unwrap_or(u64::MAX),
            width,
            height,
        })
    })
    .await??;
    let user_id = auth.user_id.clone();
    let stored = info.clone();
    let app = st
        .inner
        .db
        .transaction(move |tx| applications::set_photo(tx, &user_id, &stored))
        .await?;
    tracing::info!(user = %auth.user_id, side = side.as_str(), bytes = info.bytes, revision = app.revision, "photo stored");
    st.inner.notifier.publish(&auth.user_id, app.revision);
    Ok(Json(info))
}
