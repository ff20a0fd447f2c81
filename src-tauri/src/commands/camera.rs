//! The live camera: the capture screen opens and closes the camera's gate, sends frames as
//! raw RGBA (size in the `x-okpay-frame` header, `WIDTHxHEIGHT`) and gets back the card's
//! outline, one line of guidance and whether to take the picture. The picture itself goes
//! through `photo_capture` like any photo.

use super::CmdResult;
use crate::camera::Judged;
use crate::state::AppState;
use okpay_core::contract::PhotoSide;
use okpay_core::photo::live::Guidance;
use okpay_core::{ApiError, ErrorCode};
use serde::Serialize;
use tauri::State;

/// Header of `camera_frame` with the frame's size.
pub(crate) const FRAME_HEADER: &str = "x-okpay-frame";

/// What one frame showed.
#[derive(Serialize, ts_rs::TS)]
pub struct FrameView {
    /// Another frame was being judged: this one was dropped (nothing else is set).
    dropped: bool,
    /// The card's corners (TL, TR, BR, BL) in frame pixels, when found.
    quad: Option<[[f32; 2]; 4]>,
    guidance: Guidance,
    /// How long the card has been good and still, in ms.
    steady_ms: u32,
    /// Take the picture now.
    ready: bool,
}

/// The capture screen opened for `side`: the camera may be used until `camera_close`.
#[tauri::command]
pub fn camera_open(state: State<'_, AppState>, side: PhotoSide) {
    state.camera.open(side);
}

/// The capture screen closed (or the app was hidden): the camera is refused again.
#[tauri::command]
pub fn camera_close(state: State<'_, AppState>) {
    state.camera.close();
}

/// Judge one frame.
#[tauri::command]
pub async fn camera_frame(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> CmdResult<FrameView> {
    let (width, height) = request
        .headers()
        .get(FRAME_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(frame_size)
        .ok_or(ApiError::new(ErrorCode::BadRequest))?;
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(ApiError::new(ErrorCode::BadRequest));
    };
    Ok(
        match state.camera.judge(bytes.clone(), width, height).await? {
            Judged::Dropped => FrameView {
                dropped: true,
                quad: None,
                guidance: Guidance::NoCard,
                steady_ms: 0,
                ready: false,
            },
            Judged::Seen { quad, progress } => FrameView {
                dropped: false,
                quad,
                guidance: progress.guidance,
                steady_ms: progress.steady_ms.min(u64::from(u32::MAX)) as u32,
                ready: progress.ready,
            },
        },
    )
}

/// `640x480` → (640, 480).
fn frame_size(v: &str) -> Option<(usize, usize)> {
    let (w, h) = v.split_once('x')?;
    Some((w.parse().ok()?, h.parse().ok()?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn frame_size_is_two_numbers() {
        assert_eq!(super::frame_size("640x480"), Some((640, 480)));
        assert_eq!(super::frame_size("640*480"), None);
        assert_eq!(super::frame_size("x480"), None);
        assert_eq!(super::frame_size("-1x2"), None);
    }
}
