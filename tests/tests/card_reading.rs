//! Reading the card in the real app: a portrait photo in the emblem slot is named the wrong
//! side on the slot; a mistyped name is shown against what the card says, with the field cut
//! from the photo, and blocks submitting; "use what the card says" fills the form to confirm;
//! the submission is then approved by the staging reviewer, which reads the cards too.

use okpay_e2e::flows::{self, ID_NUMBER, NAME};
use okpay_e2e::staging::{PASSWORD, Review};
use okpay_e2e::{E2eError, E2eResult, Env, SCREEN_TIMEOUT, fixtures};
use std::time::Duration;

/// Reading a card in the debug build takes a few seconds.
const READ_TIMEOUT: Duration = Duration::from_secs(60);
/// The reader on the server decides a second after submission, after reading both sides.
const APPROVAL_TIMEOUT: Duration = Duration::from_secs(90);
/// The name typed by mistake.
const TYPO: &str = "张山";

#[tokio::test]
async fn a_mistyped_name_is_caught_on_the_device_and_fixed_from_the_card() -> E2eResult<()> {
    let mut env = Env::start_with("card-reading", 1, Review::ReadsCards).await?;
    let dir = tempfile::tempdir()?;
    let photos = fixtures::write_printed(dir.path())?;
    let outcome = journey(&mut env, &photos).await;
    env.finish(outcome).await
}

async fn journey(env: &mut Env, photos: &fixtures::Printed) -> E2eResult<()> {
    let Env { app, .. } = env;
    flows::sign_in(app).await?;
    flows::open_form(app).await?;
    app.type_into("name-input", TYPO).await?;
    app.type_into("id-input", ID_NUMBER).await?;
    app.type_into("validity-start", flows::VALIDITY_START)
        .await?;
    app.click("validity-long-term").await?;
    flows::form_next(app).await?;

    // The portrait side again, in the emblem slot: the slot says it is the other side.
    flows::pick_photo(app, "portrait", &photos.portrait).await?;
    flows::pick_photo(app, "emblem", &photos.portrait_again).await?;
    app.wait_for("preview-emblem", SCREEN_TIMEOUT).await?;
    let wrong = wait_text_nonempty(app, "photo-error-emblem").await?;
    let said = okpay_e2e::catalog::texts("error.PHOTO_WRONG_SIDE")?;
    if !said.iter().any(|t| wrong.contains(t.as_str())) {
        return Err(E2eError::App(format!("the emblem slot says {wrong:?}")));
    }
    app.shot("card-wrong-side").await?;
    let portrait_read = app.text("card-read-portrait").await?;
    if portrait_read.trim().is_empty() {
        return Err(E2eError::App(
            "the portrait slot says nothing of its card".into(),
        ));
    }
    flows::pick_photo(app, "emblem", &photos.emblem).await?;
    wait_text_nonempty(app, "card-read-emblem").await?;
    flows::both_photos_shown(app, "with the right emblem photo").await?;

    // Review: the name differs from the card; submitting is blocked.
    app.click("photos-next").await?;
    app.wait_for("card-checks", SCREEN_TIMEOUT).await?;
    let shown = wait_text_nonempty(app, "mismatch-name").await?;
    if !(shown.contains(NAME) && shown.contains(TYPO)) {
        return Err(E2eError::App(format!("the name mismatch says {shown:?}")));
    }
    app.wait_for("checks-resolve", SCREEN_TIMEOUT).await?;
    if app.is_enabled("submit").await? {
        return Err(E2eError::App("submit is enabled with a mismatch".into()));
    }
    app.shot("card-name-mismatch").await?;

    // Use what the card says: the form shows it; the user confirms with Next.
    app.click("use-card").await?;
    app.wait_for("from-card", SCREEN_TIMEOUT).await?;
    let name = app.value("name-input").await?;
    if name != NAME {
        return Err(E2eError::App(format!(
            "the form shows {name:?}, not the card's name"
        )));
    }
    app.shot("card-form-from-card").await?;
    flows::form_next(app).await?;
    app.click("photos-next").await?;
    app.wait_for("card-checks", SCREEN_TIMEOUT).await?;
    wait_until(app, "check-name", |t| {
        !t.contains('✗') && !t.trim().is_empty()
    })
    .await?;
    if app.visible("checks-resolve").await?.is_some() {
        return Err(E2eError::App(
            "a mismatch is still shown after using the card".into(),
        ));
    }
    app.click("submit").await?;
    app.wait_for("waiting-screen", SCREEN_TIMEOUT).await?;
    app.wait_for("approved-screen", APPROVAL_TIMEOUT).await?;
    app.shot("card-approved").await?;
    flows::check_logs_free_of(env, &[PASSWORD, ID_NUMBER])
}

async fn wait_text_nonempty(app: &okpay_e2e::App, id: &str) -> E2eResult<String> {
    wait_until(app, id, |t| !t.trim().is_empty()).await
}

/// Wait up to [`READ_TIMEOUT`] until `id`'s text satisfies `ok`.
async fn wait_until(
    app: &okpay_e2e::App,
    id: &str,
    ok: impl Fn(&str) -> bool,
) -> E2eResult<String> {
    let started = std::time::Instant::now();
    loop {
        let text = app.current_text(id).await?.unwrap_or_default();
        if ok(&text) {
            return Ok(text);
        }
        if started.elapsed() > READ_TIMEOUT {
            return Err(E2eError::App(format!("{id} still says {text:?}")));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
