//! The camera: the gate the webview's permission handler reads (video capture is allowed
//! only for the app's own page and only while the capture screen has asked for it), and the
//! live loop's state (one frame judged at a time, the card's steadiness). Frames are judged
//! in memory and dropped; nothing of them is kept or written.

use okpay_core::contract::PhotoSide;
use okpay_core::photo::live::{Progress, Steady, frame_analysis, look};
use okpay_core::{ApiError, ErrorCode};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

/// The webview's question: may this page capture video (and audio)? (Asked by WebKitGTK;
/// the mobile webviews ask the user themselves.)
#[cfg(any(target_os = "linux", test))]
pub fn allow_capture(asked: bool, page: &str, own_origin: &str, video: bool, audio: bool) -> bool {
    asked && video && !audio && !own_origin.is_empty() && origin(page) == own_origin
}

/// `scheme://host[:port]` of a URL (the page's origin).
#[cfg(any(target_os = "linux", test))]
pub fn origin(url: &str) -> &str {
    let Some(scheme_end) = url.find("://") else {
        return "";
    };
    let rest = &url[scheme_end + 3..];
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    &url[..scheme_end + 3 + host_end]
}

/// The camera's state in the app.
pub struct Camera {
    /// The capture screen is open and wants the camera (read by the permission handler).
    asked: Arc<AtomicBool>,
    /// A frame is being judged: frames that arrive meanwhile are dropped.
    busy: Arc<AtomicBool>,
    steady: Arc<Mutex<Steady>>,
    clock: Instant,
}

impl Default for Camera {
    fn default() -> Self {
        Camera {
            asked: Arc::new(AtomicBool::new(false)),
            busy: Arc::new(AtomicBool::new(false)),
            steady: Arc::new(Mutex::new(Steady::default())),
            clock: Instant::now(),
        }
    }
}

/// What became of one frame.
pub enum Judged {
    /// Another frame was being judged: this one was dropped.
    Dropped,
    Seen {
        quad: Option<[[f32; 2]; 4]>,
        progress: Progress,
    },
}

impl Camera {
    /// The flag the permission handler reads.
    #[cfg(target_os = "linux")]
    pub fn asked_flag(&self) -> Arc<AtomicBool> {
        self.asked.clone()
    }

    /// The capture screen opened for `side`: allow the camera, count from zero.
    pub fn open(&self, side: PhotoSide) {
        tracing::info!(?side, "camera opened");
        self.steady
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .reset();
        self.asked.store(true, Ordering::SeqCst);
    }

    /// The capture screen closed: no more camera.
    pub fn close(&self) {
        self.asked.store(false, Ordering::SeqCst);
    }

    /// Judge an RGBA frame of `width` x `height` on a blocking thread, unless one is being
    /// judged already (then it is dropped, never queued).
    pub async fn judge(
        &self,
        rgba: Vec<u8>,
        width: usize,
        height: usize,
    ) -> Result<Judged, ApiError> {
        if !self.asked.load(Ordering::SeqCst) {
            return Err(ApiError::new(ErrorCode::Forbidden));
        }
        if self
            .busy
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return Ok(Judged::Dropped);
        }
        let busy = BusyGuard(self.busy.clone());
        let steady = self.steady.clone();
        let clock = self.clock;
        tokio::task::spawn_blocking(move || {
            let _busy = busy;
            let analysis = frame_analysis(&rgba, width, height).map_err(ApiError::new)?;
            drop(rgba);
            let seen = look(&analysis);
            let now_ms = clock.elapsed().as_millis() as u64;
            let progress = steady
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(&seen, now_ms);
            Ok(Judged::Seen {
                quad: seen.quad,
                progress,
            })
        })
        .await
        .map_err(|_| ApiError::new(ErrorCode::Internal))?
    }
}

/// Clears the busy flag when the judging ends, however it ends.
struct BusyGuard(Arc<AtomicBool>);

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_own_page_gets_video_and_only_when_asked() {
        let own = origin("tauri://localhost/index.html");
        assert_eq!(own, "tauri://localhost");
        assert!(allow_capture(
            true,
            "tauri://localhost/#photos",
            own,
            true,
            false
        ));
        assert!(!allow_capture(
            false,
            "tauri://localhost/",
            own,
            true,
            false
        ));
        assert!(!allow_capture(true, "tauri://localhost/", own, true, true));
        assert!(!allow_capture(true, "tauri://localhost/", own, false, true));
        assert!(!allow_capture(
            true,
            "https://evil.example/",
            own,
            true,
            false
        ));
        assert!(!allow_capture(
            true,
            "tauri://localhost.evil/",
            own,
            true,
            false
        ));
        assert!(!allow_capture(true, "", "", true, false));
        assert_eq!(origin("http://127.0.0.1:5173/x?y"), "http://127.0.0.1:5173");
        assert_eq!(origin("nonsense"), "");
    }

    #[tokio::test]
    async fn frames_are_judged_only_while_the_screen_is_open_and_one_at_a_time() {
        let camera = Camera::default();
        let frame = vec![90u8; 4 * 640 * 480];
        assert!(camera.judge(frame.clone(), 640, 480).await.is_err());
        camera.open(PhotoSide::Portrait);
        let (a, b) = tokio::join!(
            camera.judge(frame.clone(), 640, 480),
            camera.judge(frame.clone(), 640, 480)
        );
        let dropped = [a, b]
            .into_iter()
            .filter(|r| matches!(r, Ok(Judged::Dropped)))
            .count();
        assert_eq!(dropped, 1);
        // The flag is cleared afterwards: the next frame is judged.
        assert!(matches!(
            camera.judge(frame.clone(), 640, 480).await,
            Ok(Judged::Seen { quad: None, .. })
        ));
        assert_eq!(
            camera
                .judge(vec![0; 10], 640, 480)
                .await
                .err()
                .map(|e| e.code),
            Some(ErrorCode::PhotoUnreadable)
        );
        camera.close();
        assert!(camera.judge(frame, 640, 480).await.is_err());
    }
}
