//! Photos: pick a file with the native dialog (desktop), check and prepare it on a blocking
//! thread, keep it Rust-side; the webview only gets a downscaled preview.

use super::CmdResult;
use crate::state::AppState;
use okpay_core::contract::PhotoSide;
use okpay_core::flow::{LocalPhotoView, prepare_photo, read_photo_file};
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
    let photo = tauri::async_runtime::spawn_blocking(move || {
        let bytes = read_photo_file(&path)?;
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
