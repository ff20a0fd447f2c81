//! A wrong password: the app says so (the catalog text for AUTH_INVALID_CREDENTIALS, in the
//! banner or under a field), stays on the sign-in screen, keeps working, and the right
//! password then signs in.

use okpay_e2e::app::ERROR_BANNER;
use okpay_e2e::staging::{LOGIN, PASSWORD};
use okpay_e2e::{E2eError, E2eResult, Env, SCREEN_TIMEOUT, catalog, flows};
use std::time::Instant;

const WRONG_PASSWORD: &str = "e2e-Wrong-Password-7";
const FIELD_ERRORS: [&str; 2] = ["login-error", "password-error"];

#[tokio::test]
async fn wrong_password_shows_an_error_and_the_app_survives() -> E2eResult<()> {
    let mut env = Env::start("wrong-password", 30).await?;
    let outcome = scenario(&mut env).await;
    env.finish(outcome).await
}

/// Wait for the banner or a field error; returns (where, text, banner code).
async fn shown_error(env: &Env) -> E2eResult<(String, String, Option<String>)> {
    let app = &env.app;
    let started = Instant::now();
    loop {
        if let Some(el) = app.visible(ERROR_BANNER).await? {
            let text = el.text().await.unwrap_or_default();
            let code = el.attr("data-code").await.ok().flatten();
            return Ok((ERROR_BANNER.to_owned(), text, code));
        }
        for field in FIELD_ERRORS {
            if let Some(text) = app.current_text(field).await?
                && !text.trim().is_empty()
            {
                return Ok((field.to_owned(), text, None));
            }
        }
        if app.visible("home-screen").await?.is_some() {
            return Err(E2eError::App("signed in with a wrong password".into()));
        }
        if started.elapsed() > SCREEN_TIMEOUT {
            return Err(E2eError::Timeout {
                what: "an error after a wrong password".into(),
                after: SCREEN_TIMEOUT,
            });
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn scenario(env: &mut Env) -> E2eResult<()> {
    env.app.wait_for("signin-screen", SCREEN_TIMEOUT).await?;
    env.app.type_into("login-input", LOGIN).await?;
    env.app.type_into("password-input", WRONG_PASSWORD).await?;
    env.app.click("signin-submit").await?;

    let (place, text, code) = shown_error(env).await?;
    env.app.shot("wrong-password-error").await?;
    if let Some(code) = &code
        && code != "AUTH_INVALID_CREDENTIALS"
    {
        return Err(E2eError::App(format!(
            "banner code {code}, expected AUTH_INVALID_CREDENTIALS"
        )));
    }
    let expected = catalog::texts("error.AUTH_INVALID_CREDENTIALS")?;
    if !expected.iter().any(|t| text.contains(t.as_str())) {
        return Err(E2eError::App(format!(
            "{place} shows {text:?}, not the wrong-credentials text {expected:?}"
        )));
    }
    if text.contains(WRONG_PASSWORD) {
        return Err(E2eError::App("the error shows the typed password".into()));
    }

    // Still on the sign-in screen, still answering, nothing signed in.
    if !env.app.is_alive().await {
        return Err(E2eError::App(
            "the app stopped answering after the wrong password".into(),
        ));
    }
    if env.app.visible("signin-screen").await?.is_none() {
        return Err(E2eError::App(
            "the sign-in screen went away after the error".into(),
        ));
    }
    if env.app.visible("signout").await?.is_some() {
        return Err(E2eError::App(
            "a sign-out button is shown after a failed sign-in".into(),
        ));
    }

    // The right password now works, and the error goes away.
    env.app.type_into("password-input", PASSWORD).await?;
    env.app.click("signin-submit").await?;
    env.app.wait_for("home-screen", SCREEN_TIMEOUT).await?;
    env.app.wait_gone(ERROR_BANNER, SCREEN_TIMEOUT).await?;
    env.app.shot("wrong-password-then-signed-in").await?;
    flows::check_logs_free_of(env, &[PASSWORD, WRONG_PASSWORD])
}
