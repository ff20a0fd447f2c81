//! WebKitGTK settings for the main window (Linux): the renderer chosen for the machine, the
//! web features the app never uses turned off (to shorten the start and save memory), and
//! the camera: media capture on, with a permission handler that grants video only to the
//! app's own page and only while the capture screen asks (`crate::camera`); WebKitGTK
//! denies every other request. `OKPAY_MOCK_CAMERA=1` gives WebKit's mock camera (tests).
//!
//! Without a GPU (no DRM render node, e.g. a VM or Xvfb) WebKitGTK's accelerated compositing
//! runs on Mesa's software rasteriser: every process loads LLVM and compiles shaders, which
//! costs about 0.7 s of the first paint and ~90 MB in the web process. There the app paints
//! without compositing. `OKPAY_WEBVIEW_COMPOSITING=on|off` overrides the choice. (WebKit's
//! WebDriver then answers a screenshot only once the page paints again; the E2E support
//! keeps frames coming while it takes one.)

/// The environment variable that overrides the renderer choice (`on`, `off`, else automatic).
pub const COMPOSITING_ENV: &str = "OKPAY_WEBVIEW_COMPOSITING";
/// The environment variable that gives WebKit's mock capture devices instead of the real
/// cameras (`1`): a 640 x 480 test pattern, for tests without a camera.
pub const MOCK_CAMERA_ENV: &str = "OKPAY_MOCK_CAMERA";

/// Whether the webview should composite on the GPU: the override when it is `on` or `off`,
/// else only when the machine has a GPU render node.
pub fn use_compositing(overridden: Option<&str>, has_render_node: bool) -> bool {
    match overridden.map(str::trim) {
        Some("on") => true,
        Some("off") => false,
        _ => has_render_node,
    }
}

/// Whether a DRM render node (`/dev/dri/renderD*`) exists, i.e. a GPU WebKit can render on.
pub fn has_render_node(dri_dir: &std::path::Path) -> bool {
    std::fs::read_dir(dri_dir)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false)
}

/// Apply the settings to `window`'s webview (called once, right after the window is built,
/// before the page has painted).
pub fn tune<R: tauri::Runtime>(
    window: &tauri::WebviewWindow<R>,
    camera_asked: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> tauri::Result<()> {
    let compositing = use_compositing(
        std::env::var(COMPOSITING_ENV).ok().as_deref(),
        has_render_node(std::path::Path::new("/dev/dri")),
    );
    let mock_camera = std::env::var(MOCK_CAMERA_ENV).is_ok_and(|v| v.trim() == "1");
    // The page the app shows: the only origin that may ever use the camera.
    let own_origin = crate::camera::origin(window.url()?.as_str()).to_owned();
    tracing::info!(compositing, mock_camera, "webview renderer");
    window.with_webview(move |webview| {
        use webkit2gtk::glib::Cast;
        use webkit2gtk::{
            CacheModel, HardwareAccelerationPolicy, PermissionRequestExt, SettingsExt,
            UserMediaPermissionRequest, UserMediaPermissionRequestExt, WebContextExt, WebViewExt,
        };
        let view = webview.inner();
        view.connect_permission_request(move |view, request| {
            let Some(media) = request.downcast_ref::<UserMediaPermissionRequest>() else {
                // Not ours to decide: WebKit's default (denied) applies.
                return false;
            };
            let page = view.uri().map(|u| u.to_string()).unwrap_or_default();
            let allowed = crate::camera::allow_capture(
                camera_asked.load(std::sync::atomic::Ordering::SeqCst),
                &page,
                &own_origin,
                media.is_for_video_device(),
                media.is_for_audio_device(),
            );
            tracing::info!(allowed, "camera permission");
            if allowed {
                request.allow();
            } else {
                request.deny();
            }
            true
        });
        if let Some(context) = view.context() {
            // One local page, no browsing: the smallest memory and page caches.
            context.set_cache_model(CacheModel::DocumentViewer);
        }
        if let Some(settings) = WebViewExt::settings(&view) {
            if !compositing {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
            // Features the app never uses.
            settings.set_enable_webgl(false);
            settings.set_enable_webaudio(false);
            // The capture screen's camera (getUserMedia), behind the handler above.
            settings.set_enable_media_stream(true);
            settings.set_enable_mock_capture_devices(mock_camera);
            settings.set_enable_mediasource(false);
            settings.set_enable_encrypted_media(false);
            settings.set_enable_page_cache(false);
            settings.set_enable_dns_prefetching(false);
            settings.set_enable_html5_database(false);
            settings.set_enable_offline_web_application_cache(false);
            settings.set_enable_spatial_navigation(false);
        }
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compositing_follows_the_gpu_unless_overridden() {
        assert!(use_compositing(None, true));
        assert!(!use_compositing(None, false));
        assert!(use_compositing(Some("on"), false));
        assert!(!use_compositing(Some("off"), true));
        assert!(!use_compositing(Some(" off "), true));
        assert!(use_compositing(Some("auto"), true));
        assert!(!use_compositing(Some(""), false));
    }

    #[test]
    fn render_node_is_found_by_name() -> std::io::Result<()> {
        let dir = std::env::temp_dir().join(format!("okpay-dri-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        assert!(!has_render_node(&dir));
        std::fs::write(dir.join("card0"), b"")?;
        assert!(!has_render_node(&dir));
        std::fs::write(dir.join("renderD128"), b"")?;
        assert!(has_render_node(&dir));
        std::fs::remove_dir_all(&dir)?;
        assert!(!has_render_node(&dir.join("missing")));
        Ok(())
    }
}
