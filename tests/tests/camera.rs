//! The live camera in the real app, with WebKit's mock camera (a 640 x 480 test pattern, no
//! card): the shell judges frames only while the capture screen is open; on that screen
//! frames reach the shell and the "no card" guidance shows; leaving the screen stops the
//! camera and the shell refuses frames again. Without any camera the screen says so and
//! offers the file dialog, through which a photo is picked as usual.
//!
//! WebKitGTK grants its mock devices without asking the view's permission handler (and
//! asks nothing when there is no device), so the handler's decision is proven by the
//! shell's unit tests (`camera::allow_capture`), not here.

use okpay_e2e::{
    E2eError, E2eResult, Env, SCREEN_TIMEOUT, catalog, dialog, fixtures, flows, staging,
};
use std::time::{Duration, Instant};

/// Sends the shell one blank frame from the page itself; answers "judged" or the error's
/// code.
const SEND_FRAME: &str = "const done = arguments[arguments.length - 1];\
    window.__TAURI_INTERNALS__.invoke('camera_frame', new Uint8Array(4 * 640 * 480),\
      { headers: { 'x-okpay-frame': '640x480' } }).then(\
      () => done('judged'), (e) => done((e && e.code) || String(e)));";

#[tokio::test]
async fn the_camera_is_used_only_on_the_capture_screen() -> E2eResult<()> {
    let mut env = Env::start_app_with(
        "camera",
        90,
        staging::Review::Manual,
        &[("OKPAY_MOCK_CAMERA", "1")],
    )
    .await?;
    let outcome = with_mock_camera(&mut env).await;
    env.finish(outcome).await
}

async fn with_mock_camera(env: &mut Env) -> E2eResult<()> {
    let app = &mut env.app;
    flows::sign_in(app).await?;
    flows::open_and_fill_form(app).await?;
    flows::form_next(app).await?;

    // On the photo step the camera is closed: the shell refuses frames.
    let answer = app.run_async(SEND_FRAME).await?;
    if answer.as_str() != Some("FORBIDDEN") {
        return Err(E2eError::App(format!(
            "a frame was not refused outside the capture screen: {answer}"
        )));
    }

    app.click("camera-portrait").await?;
    app.wait_attr("capture-screen", "data-stage", "live", SCREEN_TIMEOUT)
        .await?;
    // Frames reach the shell and are judged: a test pattern is no card.
    let frames = wait_frames(app, 5).await?;
    app.wait_attr("capture-screen", "data-guidance", "no_card", SCREEN_TIMEOUT)
        .await?;
    let said = app.text("capture-guidance").await?;
    let want = catalog::texts("camera.guide.no_card")?;
    if !want.iter().any(|w| said.trim() == w) {
        return Err(E2eError::App(format!(
            "guidance {said:?}, want one of {want:?}"
        )));
    }
    // A few seconds of the live loop: frames a second and frame-to-outline time.
    let t0 = Instant::now();
    tokio::time::sleep(Duration::from_secs(4)).await;
    let after = wait_frames(app, frames).await?;
    let latency = app.attr("capture-screen", "data-latency").await?;
    eprintln!(
        "camera: {:.1} frames judged a second, last frame-to-outline {} ms",
        (after - frames) as f64 / t0.elapsed().as_secs_f64(),
        latency.unwrap_or_default()
    );
    app.shot("camera-no-card").await?;
    // The shutter: the still at the stream's resolution is checked like any photo, and a
    // test pattern fails with the reason shown; then the camera starts again.
    app.click("capture-shutter").await?;
    app.wait_attr("capture-screen", "data-stage", "taken", SCREEN_TIMEOUT)
        .await?;
    app.wait_for("tip-portrait-PHOTO_CARD_NOT_FOUND", SCREEN_TIMEOUT)
        .await?;
    if app.is_enabled("capture-use").await? {
        return Err(E2eError::App("a photo without a card can be used".into()));
    }
    app.shot("camera-still-refused").await?;
    app.click("capture-retake").await?;
    app.wait_attr("capture-screen", "data-stage", "live", SCREEN_TIMEOUT)
        .await?;
    // Keep the track to see it end.
    let live = app
        .run(
            "window.__okpayTrack = document.querySelector('video').srcObject.getVideoTracks()[0];\
              return window.__okpayTrack.readyState;",
        )
        .await?;
    if live.as_str() != Some("live") {
        return Err(E2eError::App(format!("the camera track is {live}")));
    }

    app.click("capture-back").await?;
    app.wait_for("photos-screen", SCREEN_TIMEOUT).await?;
    let ended = app.run("return window.__okpayTrack.readyState;").await?;
    if ended.as_str() != Some("ended") {
        return Err(E2eError::App(format!(
            "the camera still runs after leaving the screen: {ended}"
        )));
    }
    let answer = app.run_async(SEND_FRAME).await?;
    if answer.as_str() != Some("FORBIDDEN") {
        return Err(E2eError::App(format!(
            "a frame was not refused after the screen closed: {answer}"
        )));
    }
    Ok(())
}

/// Wait until the capture screen has judged at least `n` frames; returns how many.
async fn wait_frames(app: &okpay_e2e::App, n: u64) -> E2eResult<u64> {
    let start = Instant::now();
    loop {
        let frames: u64 = app
            .attr("capture-screen", "data-frames")
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if frames >= n {
            return Ok(frames);
        }
        if start.elapsed() > SCREEN_TIMEOUT {
            return Err(E2eError::App(format!(
                "only {frames} frames judged in {SCREEN_TIMEOUT:?}"
            )));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn without_a_camera_the_file_dialog_is_offered() -> E2eResult<()> {
    let mut env = Env::start("camera-none", 95).await?;
    let photos_dir = tempfile::tempdir()?;
    let photos = fixtures::write_all(photos_dir.path())?;
    let outcome = without_camera(&mut env, &photos).await;
    env.finish(outcome).await
}

async fn without_camera(env: &mut Env, photos: &fixtures::Photos) -> E2eResult<()> {
    let app = &mut env.app;
    flows::sign_in(app).await?;
    flows::open_and_fill_form(app).await?;
    flows::form_next(app).await?;
    app.click("camera-emblem").await?;
    app.wait_attr("capture-screen", "data-stage", "trouble", SCREEN_TIMEOUT)
        .await?;
    let trouble = app.attr("camera-trouble", "data-trouble").await?;
    if trouble.as_deref() != Some("none") {
        return Err(E2eError::App(format!("no camera told as {trouble:?}")));
    }
    app.shot("camera-none").await?;
    app.click("camera-choose-file").await?;
    dialog::choose_file(&photos.emblem).await?;
    app.wait_for("photos-screen", SCREEN_TIMEOUT).await?;
    app.wait_for("preview-emblem", SCREEN_TIMEOUT).await?;
    Ok(())
}
