//! Build script: Tauri's code generation, with the app's own commands under the ACL.

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&[
        "app_info",
        "app_set_locale",
        "session_restore",
        "auth_login",
        "auth_register",
        "auth_logout",
        "account_get",
        "verification_get",
        "verification_consent",
        "validate_fields",
        "verification_save_personal",
        "photo_pick",
        "photo_drop",
        "photo_capture",
        "photos_local",
        "verification_submit",
    ]);
    if let Err(e) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        println!("cargo::error=tauri build step failed: {e:#}");
    }
}
