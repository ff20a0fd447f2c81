//! Photos: pick a file with the native dialog (desktop), drop one on the window, or — on
//! mobile, where there is no native file dialog — take one with the camera or the photo
//! library through the webview's file input, whose bytes arrive as the raw body of
//! `photo_capture`. Each is checked and prepared on a blocking thread and kept Rust-side —
//! one that passes also sealed on this device, so it survives quitting the app; the webview
//! only gets a downscaled preview and what the check found.

use super::CmdResult;
use crate::state::AppState;
use okpay_core::contract::PhotoSide;
use okpay_core::flow::{
    APP_STRICTNESS, LocalPhotoView, prepare_photo_off_runtime, read_photo_file,
};
use okpay_core::{ApiError, ErrorCode};
use serde::Serialize;
use tauri::State;

#[tauri::command]
pub async fn photo_pick(
    state: State<'_, AppState>,
    side: PhotoSide,
) -> CmdResult<Option<LocalPhotoView>> {
    let Some(path) = pick_file().await? else {
        return Ok(None);
    };
    Ok(Some(
        check(&state, side, move || read_photo_file(&path)).await?,
    ))
}

/// A file dropped on the window: only a path of the last drop is accepted, so the webview
/// cannot make the app read any other file.
#[tauri::command]
pub async fn photo_drop(
    state: State<'_, AppState>,
    side: PhotoSide,
    path: std::path::PathBuf,
) -> CmdResult<LocalPhotoView> {
    if !state.was_dropped(&path) {
        return Err(ApiError::new(ErrorCode::Forbidden));
    }
    check(&state, side, move || read_photo_file(&path)).await
}

/// Header of `photo_capture` naming the side.
pub(crate) const SIDE_HEADER: &str = "x-okpay-side";

/// A photo taken or chosen on the phone: the raw request body is the file, the side is in
/// the `x-okpay-side` header. The same checks as a picked file.
#[tauri::command]
pub async fn photo_capture(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> CmdResult<LocalPhotoView> {
    let side = request
        .headers()
        .get(SIDE_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(PhotoSide::parse)
        .ok_or(ApiError::new(ErrorCode::BadRequest))?;
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(ApiError::new(ErrorCode::BadRequest));
    };
    if bytes.len() > okpay_core::photo::MAX_FILE_BYTES {
        return Err(ApiError::new(ErrorCode::PhotoTooLarge));
    }
    let bytes = bytes.clone();
    check(&state, side, move || Ok(bytes)).await
}

/// Read (`file`) and check a photo on a blocking thread, then keep it.
async fn check(
    state: &AppState,
    side: PhotoSide,
    file: impl FnOnce() -> Result<Vec<u8>, okpay_core::Error> + Send + 'static,
) -> CmdResult<LocalPhotoView> {
    let photo = prepare_photo_off_runtime(side, file, APP_STRICTNESS).await?;
    Ok(state.flow.keep_photo(&state.session, photo).await)
}

#[derive(Serialize, ts_rs::TS)]
pub struct LocalPhotos {
    portrait: Option<LocalPhotoView>,
    emblem: Option<LocalPhotoView>,
}

/// The photos picked on this device and not yet submitted, those kept from an earlier run
/// included.
#[tauri::command]
pub async fn photos_local(state: State<'_, AppState>) -> CmdResult<LocalPhotos> {
    crate::tasks::photos::restore_now(&state.flow, &state.session).await;
    Ok(LocalPhotos {
        portrait: state.flow.local_view(PhotoSide::Portrait),
        emblem: state.flow.local_view(PhotoSide::Emblem),
    })
}

#[cfg(desktop)]
async fn pick_file() -> CmdResult<Option<std::path::PathBuf>> {
    let handle = rfd::AsyncFileDialog::new()
        .add_filter(
            "ID card photo (JPEG, PNG, WebP)",
            &["jpg", "jpeg", "png", "webp", "JPG", "JPEG", "PNG", "WEBP"],
        )
        .pick_file()
        .await;
    Ok(handle.map(|h| h.path().to_path_buf()))
}

#[cfg(mobile)]
async fn pick_file() -> CmdResult<Option<std::path::PathBuf>> {
    Err(ApiError::new(ErrorCode::PhotoUnsupportedFormat))
}
