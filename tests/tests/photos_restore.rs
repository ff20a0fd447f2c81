//! Photos picked before quitting are there after a restart: sign in, fill in the form, pick
//! both sides through the native dialog, quit the app, start it again, and find both photos
//! on the photo step and the review step without picking again; submit them, and the server
//! stores exactly the bytes the app prepared from the original files. While kept, the photos
//! sit sealed under the app's data dir (no ID number, password or photo in clear); once
//! submitted, the file is gone.

use okpay_e2e::flows::{self, ID_NUMBER};
use okpay_e2e::staging::{LOGIN, PASSWORD};
use okpay_e2e::{App, E2eError, E2eResult, Env, SCREEN_TIMEOUT, fixtures};
use std::path::PathBuf;

#[tokio::test]
async fn picked_photos_survive_a_restart_and_are_submitted() -> E2eResult<()> {
    let mut env = Env::start("photos-restore", 80).await?;
    let photos_dir = tempfile::tempdir()?;
    let photos = fixtures::write_all(photos_dir.path())?;
    let outcome = scenario(&mut env, &photos).await;
    env.finish(outcome).await
}

/// The sealed photo files under the app's data dir.
fn kept_files(app: &App) -> Vec<PathBuf> {
    std::fs::read_dir(app.data_dir().join("photo-drafts"))
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default()
}

fn sha256_at<'a>(value: &'a serde_json::Value, side: &str) -> E2eResult<&'a str> {
    value
        .get("photos")
        .and_then(|p| p.get(side))
        .and_then(|p| p.get("sha256"))
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| E2eError::Staging(format!("no photos.{side}.sha256 in {value}")))
}

async fn scenario(env: &mut Env, photos: &fixtures::Photos) -> E2eResult<()> {
    // Up to the photo step, both sides picked.
    flows::sign_in(&env.app).await?;
    flows::open_and_fill_form(&env.app).await?;
    flows::form_next(&env.app).await?;
    flows::pick_photo(&env.app, "portrait", &photos.portrait).await?;
    env.app.wait_for("preview-portrait", SCREEN_TIMEOUT).await?;
    flows::pick_photo(&env.app, "emblem", &photos.emblem).await?;
    flows::both_photos_shown(&env.app, "after picking").await?;
    env.app.shot("photos-picked-before-quit").await?;
    let kept = kept_files(&env.app);
    if kept.len() != 1 {
        return Err(E2eError::App(format!(
            "expected one sealed photo file under the data dir, found {kept:?}"
        )));
    }
    // Sealed: no ID number or password in any file the app wrote, the kept photos included.
    flows::check_logs_free_of(env, &[PASSWORD, ID_NUMBER])?;

    // Quit and start again: the app reopens on the photos step (the form was saved), with
    // both photos there without picking again.
    let app = &mut env.app;
    app.restart().await?;
    let (first, _) = app
        .wait_for_any(
            &[
                "photos-screen",
                "form-screen",
                "home-screen",
                "error-banner",
            ],
            SCREEN_TIMEOUT,
        )
        .await?;
    if first != "photos-screen" {
        return Err(E2eError::App(format!(
            "after the restart the app opened on `{first}`, not on the photos step ({:?})",
            app.banner().await?.unwrap_or_default()
        )));
    }
    flows::both_photos_shown(app, "after the restart").await?;
    app.shot("photos-restored-after-restart").await?;

    // Review shows both thumbnails; submit.
    app.click("photos-next").await?;
    app.wait_for("review-screen", SCREEN_TIMEOUT).await?;
    for side in ["portrait", "emblem"] {
        app.wait_for(&format!("thumb-{side}"), SCREEN_TIMEOUT)
            .await?;
    }
    app.shot("review-restored-photos").await?;
    app.click("submit").await?;
    app.wait_for("waiting-screen", SCREEN_TIMEOUT).await?;
    app.shot("waiting-after-restored-submit").await?;

    // The server holds one application with the bytes prepared from the original files.
    let id = env
        .staging
        .wait_single_pending(LOGIN, SCREEN_TIMEOUT)
        .await?;
    let approved = env.staging.approve(&id).await?;
    for (side, file) in [("portrait", &photos.portrait), ("emblem", &photos.emblem)] {
        let want = fixtures::upload_sha256(file)?;
        let got = sha256_at(&approved, side)?;
        if got != want {
            return Err(E2eError::App(format!(
                "the server stored a {side} photo with SHA-256 {got}, the app prepared {want}"
            )));
        }
    }
    let kept = kept_files(&env.app);
    if !kept.is_empty() {
        return Err(E2eError::App(format!(
            "the sealed photo file is still there after the submission: {kept:?}"
        )));
    }
    flows::check_logs_free_of(env, &[PASSWORD, ID_NUMBER])
}
