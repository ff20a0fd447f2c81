//! Android only: hands the application's `Context` to the keychain store at start-up, and
//! keeps its `AssetManager` for reading the bundled resources ([`crate::android_assets`]).
//!
//! `android-native-keyring-store` reaches the Android Keystore and SharedPreferences through
//! the `ndk-context` crate, which nothing in Tauri initialises. The app shell calls [`init`]
//! once, on the webview's Java thread, with the activity; the store crate's own JNI entry
//! point then records the Java VM and the application context. The first keychain call (or
//! asset read) may come before that thread has run, so [`wait_ready`] lets it wait (on its
//! blocking thread) instead of failing.

use jni::objects::{GlobalRef, JObject};
use jni::{JNIEnv, JavaVM};
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};
use std::time::Duration;

/// `None` until [`init`] ran; then whether the hand-over worked.
static STATE: Mutex<Option<Result<(), String>>> = Mutex::new(None);
static CHANGED: Condvar = Condvar::new();
/// The Java VM and the application's `AssetManager`, once [`init`] got them.
static ASSETS: OnceLock<(JavaVM, GlobalRef)> = OnceLock::new();

/// Hand the application context to the keychain store. Call once, from the Java thread of
/// the main activity (the app shell does it through the webview's JNI handle); later calls
/// change nothing.
pub fn init(env: &mut JNIEnv, activity: &JObject) {
    let mut state = STATE.lock().unwrap_or_else(PoisonError::into_inner);
    if state.is_some() {
        return;
    }
    if let Err(e) = keep_assets(env, activity) {
        tracing::error!(error = %e, "the app's bundled resources cannot be read");
    }
    let result = hand_over(env, activity).map_err(|e| e.to_string());
    match &result {
        Ok(()) => tracing::info!("android context handed to the keychain store"),
        Err(e) => tracing::error!(error = %e, "android context not handed to the keychain store"),
    }
    *state = Some(result);
    CHANGED.notify_all();
}

fn hand_over(env: &mut JNIEnv, activity: &JObject) -> jni::errors::Result<()> {
    let context = env
        .call_method(
            activity,
            "getApplicationContext",
            "()Landroid/content/Context;",
            &[],
        )?
        .l()?;
    if context.is_null() {
        return Err(jni::errors::Error::NullPtr("getApplicationContext"));
    }
    let vm = env.get_java_vm()?;
    let owned_env = vm.get_env()?;
    // The store crate's JNI entry point (io.crates.keyring.Keyring.initializeNdkContext):
    // it keeps a global reference to the context and initialises `ndk-context` exactly once.
    android_native_keyring_store::Java_io_crates_keyring_Keyring_00024Companion_initializeNdkContext(
        owned_env,
        JObject::null(),
        context,
    );
    Ok(())
}

fn keep_assets(env: &mut JNIEnv, activity: &JObject) -> jni::errors::Result<()> {
    let assets = env
        .call_method(
            activity,
            "getAssets",
            "()Landroid/content/res/AssetManager;",
            &[],
        )?
        .l()?;
    let kept = (env.get_java_vm()?, env.new_global_ref(assets)?);
    let _ = ASSETS.set(kept);
    Ok(())
}

/// The Java VM and the application's `AssetManager` (after [`wait_ready`]).
pub(crate) fn assets() -> Option<&'static (JavaVM, GlobalRef)> {
    ASSETS.get()
}

/// Wait up to `timeout` for [`init`]; blocking, so call it from a blocking thread. The
/// error says why the store cannot be used.
pub(crate) fn wait_ready(timeout: Duration) -> Result<(), String> {
    let state = STATE.lock().unwrap_or_else(PoisonError::into_inner);
    let (state, _) = CHANGED
        .wait_timeout_while(state, timeout, |s| s.is_none())
        .unwrap_or_else(PoisonError::into_inner);
    match &*state {
        Some(Ok(())) => Ok(()),
        Some(Err(e)) => Err(format!(
            "the Android context could not be handed to the keychain store: {e}"
        )),
        None => Err("the Android context was not handed to the keychain store at start-up".into()),
    }
}
