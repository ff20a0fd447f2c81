//! A `.jpg` that is really text, picked through the native dialog: the portrait slot shows a
//! photo error from the catalog, no preview, Next stays disabled; a real photo picked next
//! replaces the error with a preview.

use okpay_e2e::{E2eError, E2eResult, Env, SCREEN_TIMEOUT, catalog, fixtures, flows};

#[tokio::test]
async fn photo_not_an_image_shows_a_photo_error() -> E2eResult<()> {
    let mut env = Env::start("photo-not-an-image", 40).await?;
    let photos_dir = tempfile::tempdir()?;
    let photos = fixtures::write_all(photos_dir.path())?;
    let outcome = scenario(&mut env, &photos).await;
    env.finish(outcome).await
}

async fn scenario(env: &mut Env, photos: &fixtures::Photos) -> E2eResult<()> {
    let app = &mut env.app;
    flows::sign_in(app).await?;
    flows::open_and_fill_form(app).await?;
    flows::form_next(app).await?;

    flows::pick_photo(app, "portrait", &photos.not_an_image).await?;
    let shown = app
        .wait_text("photo-error-portrait", SCREEN_TIMEOUT)
        .await?;
    app.shot("photo-not-an-image-error").await?;
    let photo_errors = catalog::error_texts_with_prefix("PHOTO_")?;
    let Some((code, _)) = photo_errors
        .iter()
        .find(|(_, text)| shown.contains(text.as_str()))
    else {
        return Err(E2eError::App(format!(
            "photo-error-portrait shows {shown:?}, which is no photo error text of the catalog"
        )));
    };
    eprintln!("photo-error-portrait shows the text of {code}");
    if app.visible("preview-portrait").await?.is_some() {
        return Err(E2eError::App(
            "a preview is shown for a file that is not an image".into(),
        ));
    }
    if app.is_enabled("photos-next").await? {
        return Err(E2eError::App(
            "photos-next is enabled after a refused photo".into(),
        ));
    }
    if let Some(text) = app.banner().await? {
        return Err(E2eError::App(format!(
            "the photo error also raised the banner: {text:?}"
        )));
    }

    // A real photo replaces the error with a preview.
    flows::pick_photo(app, "portrait", &photos.portrait).await?;
    app.wait_for("preview-portrait", SCREEN_TIMEOUT).await?;
    let after = app
        .current_text("photo-error-portrait")
        .await?
        .unwrap_or_default();
    if !after.trim().is_empty() {
        return Err(E2eError::App(format!(
            "the photo error stays after a good photo: {after:?}"
        )));
    }
    app.shot("photo-replaced-with-real-one").await?;
    Ok(())
}
