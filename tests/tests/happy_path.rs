//! The whole verification journey in the real app: sign in, fill in the form, pick both ID
//! photos through the native dialog, review, submit, get approved by the staging reviewer,
//! and see the verified tier. Screenshots of every screen go to `target/e2e-screens/`.

use okpay_e2e::flows::{self, ID_MASKED, ID_NUMBER, NAME};
use okpay_e2e::staging::PASSWORD;
use okpay_e2e::{E2eError, E2eResult, Env, SCREEN_TIMEOUT, fixtures};
use std::time::Duration;

/// The app watches the review: approval must show up by itself well within this.
const APPROVAL_TIMEOUT: Duration = Duration::from_secs(45);

#[tokio::test]
async fn happy_path_reaches_verified() -> E2eResult<()> {
    let mut env = Env::start("happy-path", 1).await?;
    let photos_dir = tempfile::tempdir()?;
    let photos = fixtures::write_all(photos_dir.path())?;
    let outcome = journey(&mut env, &photos).await;
    env.finish(outcome).await
}

fn expect_eq(what: &str, got: &str, want: &str) -> E2eResult<()> {
    if got.trim() == want {
        Ok(())
    } else {
        Err(E2eError::App(format!(
            "{what}: expected {want:?}, shown {got:?}"
        )))
    }
}

async fn journey(env: &mut Env, photos: &fixtures::Photos) -> E2eResult<()> {
    let Env { app, staging } = env;

    // Sign-in screen, marked as talking to a staging server.
    app.wait_for("signin-screen", SCREEN_TIMEOUT).await?;
    app.wait_for("staging-badge", SCREEN_TIMEOUT).await?;
    app.shot("signin").await?;

    // Home: unverified, nothing started.
    flows::sign_in(app).await?;
    app.wait_attr("tier", "data-tier", "unverified", SCREEN_TIMEOUT)
        .await?;
    app.wait_attr("verification-status", "data-status", "none", SCREEN_TIMEOUT)
        .await?;
    app.shot("home-unverified").await?;

    // Before starting: what is needed and the tips, then the separate consent for sensitive
    // personal information; nothing is accepted without it.
    app.click("start-verification").await?;
    app.wait_for("intro-screen", SCREEN_TIMEOUT).await?;
    app.shot("intro").await?;
    app.click("intro-next").await?;
    app.wait_for("consent-screen", SCREEN_TIMEOUT).await?;
    app.shot("consent").await?;
    app.click("consent-check").await?;
    app.click("consent-accept").await?;

    // Step 1: personal information.
    app.wait_for("form-screen", SCREEN_TIMEOUT).await?;
    app.shot("form-empty").await?;
    app.type_into("name-input", NAME).await?;
    app.type_into("id-input", ID_NUMBER).await?;
    app.type_into("validity-start", flows::VALIDITY_START)
        .await?;
    app.click("validity-long-term").await?;
    app.shot("form-filled").await?;
    flows::form_next(app).await?;

    // Step 2: both photos through the native dialog.
    app.shot("photos-empty").await?;
    if app.is_enabled("photos-next").await? {
        return Err(E2eError::App(
            "photos-next is enabled before any photo is picked".into(),
        ));
    }
    flows::pick_photo(app, "portrait", &photos.portrait).await?;
    app.wait_for("preview-portrait", SCREEN_TIMEOUT).await?;
    app.shot("photos-portrait-picked").await?;
    flows::pick_photo(app, "emblem", &photos.emblem).await?;
    flows::both_photos_shown(app, "after picking both").await?;
    app.shot("photos-both-picked").await?;

    // Step 3: review, the ID number masked.
    app.click("photos-next").await?;
    app.wait_for("review-screen", SCREEN_TIMEOUT).await?;
    expect_eq("review-name", &app.text("review-name").await?, NAME)?;
    expect_eq("review-id", &app.text("review-id").await?, ID_MASKED)?;
    app.shot("review").await?;

    // Submit: upload progress (when the upload is slow enough to catch), then waiting.
    app.click("submit").await?;
    let (first, _) = app
        .wait_for_any(
            &["progress-portrait", "waiting-screen", "error-banner"],
            SCREEN_TIMEOUT,
        )
        .await?;
    if first == "progress-portrait" {
        app.shot("review-uploading").await?;
    }
    app.wait_for("waiting-screen", SCREEN_TIMEOUT).await?;
    app.shot("waiting").await?;

    // The reviewer approves on the server; the app must notice by itself.
    flows::approve_pending(staging, SCREEN_TIMEOUT).await?;
    app.wait_for("approved-screen", APPROVAL_TIMEOUT).await?;
    app.wait_attr("tier", "data-tier", "verified", SCREEN_TIMEOUT)
        .await?;
    app.shot("approved-verified").await?;

    // Sign out: back to the sign-in screen.
    app.click("signout").await?;
    app.wait_for("signin-screen", SCREEN_TIMEOUT).await?;
    app.shot("signed-out").await?;

    flows::check_logs_free_of(env, &[PASSWORD, ID_NUMBER])
}
