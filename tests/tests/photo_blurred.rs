//! A blurred photo of the card, picked through the native dialog: the app judges it on the
//! device, draws what it found on the preview (the card outline, marked as failing) with the
//! fix-it tip, keeps Next disabled, and the server never receives it. A sharp photo picked
//! next passes.

use okpay_e2e::{E2eError, E2eResult, Env, SCREEN_TIMEOUT, fixtures, flows};

#[tokio::test]
async fn a_blurred_photo_is_refused_on_the_device() -> E2eResult<()> {
    let mut env = Env::start("photo-blurred", 70).await?;
    let photos_dir = tempfile::tempdir()?;
    let photos = fixtures::write_all(photos_dir.path())?;
    let outcome = scenario(&mut env, &photos).await;
    env.finish(outcome).await
}

async fn scenario(env: &mut Env, photos: &fixtures::Photos) -> E2eResult<()> {
    let Env { app, staging } = env;
    flows::sign_in(app).await?;
    flows::open_and_fill_form(app).await?;
    flows::form_next(app).await?;

    flows::pick_photo(app, "portrait", &photos.blurred).await?;
    app.wait_for("overlay-portrait", SCREEN_TIMEOUT).await?;
    app.wait_attr("quad-portrait", "data-ok", "false", SCREEN_TIMEOUT)
        .await?;
    app.wait_for("tip-portrait-PHOTO_BLURRY", SCREEN_TIMEOUT)
        .await?;
    app.shot("photo-blurred-explained").await?;
    if app.is_enabled("photos-next").await? {
        return Err(E2eError::App(
            "photos-next is enabled with a blurred portrait".into(),
        ));
    }
    flows::pick_photo(app, "emblem", &photos.emblem).await?;
    app.wait_for("preview-emblem", SCREEN_TIMEOUT).await?;
    if app.is_enabled("photos-next").await? {
        return Err(E2eError::App(
            "photos-next is enabled while the portrait still fails".into(),
        ));
    }
    if staging.stored_photos() != 0 || staging.log_text().contains("photo stored") {
        return Err(E2eError::App(
            "the server received a photo before submission".into(),
        ));
    }

    // A sharp photo replaces it: outline passes, the tip is gone, Next is enabled.
    flows::pick_photo(app, "portrait", &photos.portrait).await?;
    app.wait_attr("quad-portrait", "data-ok", "true", SCREEN_TIMEOUT)
        .await?;
    app.wait_gone("tip-portrait-PHOTO_BLURRY", SCREEN_TIMEOUT)
        .await?;
    if !app.is_enabled("photos-next").await? {
        return Err(E2eError::App(
            "photos-next stays disabled with two good photos".into(),
        ));
    }
    app.shot("photo-sharp-accepted").await?;
    Ok(())
}
