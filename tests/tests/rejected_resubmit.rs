//! A rejection and its fix in the real app: submit, the reviewer rejects for glare on the
//! portrait side, the app shows the rejection with that reason by itself, the user resubmits
//! the same application with only the portrait side retaken, and the approval shows up by
//! itself. The server must hold the same application, pending again, with the new portrait
//! and the old emblem side.

use okpay_e2e::flows::{self, ID_NUMBER, NAME};
use okpay_e2e::staging::{LOGIN, PASSWORD};
use okpay_e2e::{App, E2eError, E2eResult, Env, SCREEN_TIMEOUT, catalog, fixtures};
use std::time::{Duration, Instant};

/// The app watches the review: a decision must show up by itself well within this.
const DECISION_TIMEOUT: Duration = Duration::from_secs(45);
const REASON: &str = "PORTRAIT_GLARE";

#[tokio::test]
async fn rejected_application_is_fixed_resubmitted_and_approved() -> E2eResult<()> {
    let mut env = Env::start("rejected-resubmit", 50).await?;
    let photos_dir = tempfile::tempdir()?;
    let photos = fixtures::write_all(photos_dir.path())?;
    let retake = fixtures::write_portrait_retake(photos_dir.path())?;
    let outcome = scenario(&mut env, &photos, &retake).await;
    env.finish(outcome).await
}

/// A string field of a JSON value, by path.
fn field<'a>(value: &'a serde_json::Value, path: &[&str]) -> E2eResult<&'a str> {
    let mut at = value;
    for key in path {
        at = at
            .get(key)
            .ok_or_else(|| E2eError::Staging(format!("no `{}` in {value}", path.join("."))))?;
    }
    at.as_str().ok_or_else(|| {
        E2eError::Staging(format!("`{}` is not a string in {value}", path.join(".")))
    })
}

fn revision(value: &serde_json::Value) -> E2eResult<u64> {
    value
        .get("revision")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| E2eError::Staging(format!("no revision in {value}")))
}

fn expect_same(what: &str, got: &str, want: &str) -> E2eResult<()> {
    if got == want {
        Ok(())
    } else {
        Err(E2eError::App(format!("{what}: expected {want}, got {got}")))
    }
}

/// Wait until input `id` holds `want` (the form fills itself in from the server).
async fn wait_value(app: &App, id: &str, want: &str) -> E2eResult<()> {
    let started = Instant::now();
    loop {
        let value = app.value(id).await?;
        if value == want {
            return Ok(());
        }
        if started.elapsed() > SCREEN_TIMEOUT {
            return Err(E2eError::App(format!(
                "`{id}` should be filled in with the submitted value, holds {value:?}"
            )));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// From the review screen: submit and wait for the waiting screen.
async fn submit(app: &App) -> E2eResult<()> {
    app.click("submit").await?;
    app.wait_for("waiting-screen", SCREEN_TIMEOUT).await?;
    Ok(())
}

async fn scenario(
    env: &mut Env,
    photos: &fixtures::Photos,
    retake: &std::path::Path,
) -> E2eResult<()> {
    let Env { app, staging } = env;

    // First submission: form, both photos, review, submit.
    flows::sign_in(app).await?;
    flows::open_and_fill_form(app).await?;
    flows::form_next(app).await?;
    flows::pick_photo(app, "portrait", &photos.portrait).await?;
    app.wait_for("preview-portrait", SCREEN_TIMEOUT).await?;
    flows::pick_photo(app, "emblem", &photos.emblem).await?;
    app.wait_for("preview-emblem", SCREEN_TIMEOUT).await?;
    app.click("photos-next").await?;
    app.wait_for("review-screen", SCREEN_TIMEOUT).await?;
    submit(app).await?;
    app.shot("first-submission-waiting").await?;

    // The reviewer rejects for glare on the portrait side.
    let id = staging.wait_single_pending(LOGIN, SCREEN_TIMEOUT).await?;
    let rejected = staging.reject(&id, &[REASON]).await?;
    let old_portrait = field(&rejected, &["photos", "portrait", "sha256"])?.to_owned();
    let old_emblem = field(&rejected, &["photos", "emblem", "sha256"])?.to_owned();
    expect_same(
        "portrait hash after the first submission",
        &old_portrait,
        &fixtures::upload_sha256(&photos.portrait)?,
    )?;
    let rejected_revision = revision(&rejected)?;

    // The app notices by itself and shows the reason, with its catalog text, on the portrait.
    app.wait_for("rejected-screen", DECISION_TIMEOUT).await?;
    let reason_id = format!("reason-{REASON}");
    app.wait_for(&reason_id, SCREEN_TIMEOUT).await?;
    let target = app.attr(&reason_id, "data-target").await?;
    if target.as_deref() != Some("portrait") {
        return Err(E2eError::App(format!(
            "`{reason_id}` is filed under {target:?}, expected the portrait side"
        )));
    }
    let text = app.text(&reason_id).await?;
    let expected = catalog::texts(&format!("reason.{REASON}"))?;
    if !expected.iter().any(|t| text.trim() == t) {
        return Err(E2eError::App(format!(
            "`{reason_id}` shows {text:?}, not the catalog text {expected:?}"
        )));
    }
    app.shot("rejected-portrait-glare").await?;

    // Fix and resubmit: the form comes back filled in and goes through unchanged.
    app.click("resubmit").await?;
    app.wait_for("form-screen", SCREEN_TIMEOUT).await?;
    wait_value(app, "name-input", NAME).await?;
    wait_value(app, "id-input", ID_NUMBER).await?;
    app.shot("resubmit-form").await?;
    flows::form_next(app).await?;

    // Only the portrait side is picked again; the emblem side stays the uploaded one.
    flows::pick_photo(app, "portrait", retake).await?;
    app.wait_for("preview-portrait", SCREEN_TIMEOUT).await?;
    let error = app
        .current_text("photo-error-portrait")
        .await?
        .unwrap_or_default();
    if !error.trim().is_empty() {
        return Err(E2eError::App(format!(
            "the retaken portrait photo was refused: {error:?}"
        )));
    }
    app.shot("resubmit-portrait-retaken").await?;
    app.click("photos-next").await?;
    app.wait_for("review-screen", SCREEN_TIMEOUT).await?;
    submit(app).await?;
    app.shot("resubmitted-waiting").await?;

    // The server holds the same application, pending again.
    let again = staging.wait_single_pending(LOGIN, SCREEN_TIMEOUT).await?;
    expect_same("application id after resubmitting", &again, &id)?;
    let rejected_left = staging.applications(LOGIN, "rejected").await?;
    if !rejected_left.is_empty() {
        return Err(E2eError::App(format!(
            "applications still rejected after resubmitting: {rejected_left:?}"
        )));
    }

    // Approve; the decided application shows what was resubmitted.
    let approved = staging.approve(&id).await?;
    expect_same(
        "new portrait hash",
        field(&approved, &["photos", "portrait", "sha256"])?,
        &fixtures::upload_sha256(retake)?,
    )?;
    if field(&approved, &["photos", "portrait", "sha256"])? == old_portrait {
        return Err(E2eError::App("the portrait photo was not replaced".into()));
    }
    expect_same(
        "emblem hash (not picked again)",
        field(&approved, &["photos", "emblem", "sha256"])?,
        &old_emblem,
    )?;
    let approved_revision = revision(&approved)?;
    if approved_revision <= rejected_revision + 1 {
        return Err(E2eError::App(format!(
            "revision went from {rejected_revision} (rejected) to only {approved_revision} \
             (approved): the resubmission did not change the application"
        )));
    }

    app.wait_for("approved-screen", DECISION_TIMEOUT).await?;
    app.wait_attr("tier", "data-tier", "verified", SCREEN_TIMEOUT)
        .await?;
    app.shot("resubmitted-approved").await?;

    flows::check_logs_free_of(env, &[PASSWORD, ID_NUMBER])
}
