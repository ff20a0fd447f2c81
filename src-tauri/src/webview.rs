//! WebKitGTK settings for the main window (Linux): the renderer chosen for the machine and
//! the web features the app never uses turned off, to shorten the start and save memory.
//!
//! Without a GPU (no DRM render node, e.g. a VM or Xvfb) WebKitGTK's accelerated compositing
//! runs on Mesa's software rasteriser: every process loads LLVM and compiles shaders, which
//! costs about 0.7 s of the first paint and ~90 MB in the web process. There the app paints
//! without compositing. `OKPAY_WEBVIEW_COMPOSITING=on|off` overrides the choice. (WebKit's
//! WebDriver then answers a screenshot only once the page paints again; the E2E support
//! keeps frames coming while it takes one.)

/// The environment variable that overrides the renderer choice (`on`, `off`, else automatic).
pub const COMPOSITING_ENV: &str = "OKPAY_WEBVIEW_COMPOSITING";

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
pub fn tune<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) -> tauri::Result<()> {
    let compositing = use_compositing(
        std::env::var(COMPOSITING_ENV).ok().as_deref(),
        has_render_node(std::path::Path::new("/dev/dri")),
    );
    tracing::info!(compositing, "webview renderer");
    window.with_webview(move |webview| {
        use webkit2gtk::{
            CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt,
        };
        let view = webview.inner();
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
            settings.set_enable_media_stream(false);
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
