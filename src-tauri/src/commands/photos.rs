//! Photos: pick a file with the native dialog (desktop), check and prepare it on a blocking
//! thread, keep it Rust-side; the webview only gets a downscaled preview.

use super::CmdResult;
use crate::state::AppState;
use okpay_core::contract::PhotoSide;
use okpay_core::flow::{LocalPhotoView, prepare_photo};
use okpay_core::{ApiError, ErrorCode};
use serde::Serialize;
use std::io::Read;
use tauri::State;

#[tauri::command]
pub async fn photo_pick(
    state: State<'_, AppState>,
    side: PhotoSide,
) -> CmdResult<Option<LocalPhotoView>> {
    let Some(path) = pick_file().await? else {
        return Ok(None);
    };
    let photo = tauri::async_runtime::spawn_blocking(move || {
        let bytes = read_limited(&path)?;
        prepare_photo(side, &bytes).map_err(ApiError::from)
    })
    .await
    .map_err(|_| ApiError::new(ErrorCode::Internal))??;
    Ok(Some(state.flow.put_photo(photo)))
}

#[derive(Serialize)]
pub struct LocalPhotos {
    portrait: Option<LocalPhotoView>,
    emblem: Option<LocalPhotoView>,
}

#[tauri::command]
pub fn photos_local(state: State<'_, AppState>) -> LocalPhotos {
    LocalPhotos {
        portrait: state.flow.local_view(PhotoSide::Portrait),
        emblem: state.flow.local_view(PhotoSide::Emblem),
    }
}

/// Read at most the photo size limit (plus one byte, to detect a larger file).
fn read_limited(path: &std::path::Path) -> Result<Vec<u8>, ApiError> {
    let limit = okpay_core::photo::MAX_FILE_BYTES as u64;
    let file = std::fs::File::open(path).map_err(|_| ApiError::new(ErrorCode::PhotoUnreadable))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| ApiError::new(ErrorCode::PhotoUnreadable))?;
    if bytes.len() as u64 > limit {
        return Err(ApiError::new(ErrorCode::PhotoTooLarge));
    }
    Ok(bytes)
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
