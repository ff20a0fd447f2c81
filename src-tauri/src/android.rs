//! Android start-up: hands the app's context to the keychain store from the main webview's
//! Java thread (see `okpay_core::android_context`). Until that has run, the first keychain
//! call waits for it.

use tauri::Manager;

/// Schedule the hand-over on the main window's Java thread.
pub fn init_keychain(app: &tauri::App) {
    let Some(window) = app.get_webview_window("main") else {
        tracing::error!("no main window: the keychain cannot reach the Android context");
        return;
    };
    let scheduled = window.with_webview(|webview| {
        webview
            .jni_handle()
            .exec(|env, activity, _webview| okpay_core::android_context::init(env, activity));
    });
    if let Err(e) = scheduled {
        tracing::error!(error = %e, "the keychain cannot reach the Android context");
    }
}
