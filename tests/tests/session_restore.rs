//! The session survives a restart of the app and sign-out ends it: sign in, quit the app
//! (its WebDriver session ends), start it again with the same data directory and keyring and
//! land on home without signing in; sign out, restart, and land on the sign-in screen.

use okpay_e2e::staging::PASSWORD;
use okpay_e2e::{App, E2eError, E2eResult, Env, SCREEN_TIMEOUT, flows};

#[tokio::test]
async fn session_is_restored_after_a_restart_and_cleared_by_sign_out() -> E2eResult<()> {
    let mut env = Env::start("session-restore", 60).await?;
    let outcome = scenario(&mut env).await;
    env.finish(outcome).await
}

/// After a start, the first of home or sign-in the app settles on; fails on an error banner.
async fn first_screen(app: &App) -> E2eResult<String> {
    let (id, _) = app
        .wait_for_any(
            &["home-screen", "signin-screen", "error-banner"],
            SCREEN_TIMEOUT,
        )
        .await?;
    if id == "error-banner" {
        return Err(E2eError::App(format!(
            "error banner after a restart: {:?}",
            app.banner().await?.unwrap_or_default()
        )));
    }
    Ok(id)
}

async fn scenario(env: &mut Env) -> E2eResult<()> {
    let app = &mut env.app;
    flows::sign_in(app).await?;
    app.wait_for("signout", SCREEN_TIMEOUT).await?;
    app.shot("signed-in-before-restart").await?;

    // Quit and start again: the stored session opens home directly.
    app.restart().await?;
    let first = first_screen(app).await?;
    if first != "home-screen" {
        return Err(E2eError::App(format!(
            "after a restart the app opened on `{first}`, not on home with the stored session"
        )));
    }
    app.wait_attr("tier", "data-tier", "unverified", SCREEN_TIMEOUT)
        .await?;
    app.wait_for("signout", SCREEN_TIMEOUT).await?;
    app.shot("restored-home").await?;

    // Sign out, quit and start again: nothing is restored.
    app.click("signout").await?;
    app.wait_for("signin-screen", SCREEN_TIMEOUT).await?;
    app.shot("signed-out").await?;
    app.restart().await?;
    let first = first_screen(app).await?;
    if first != "signin-screen" {
        return Err(E2eError::App(format!(
            "after signing out and restarting the app opened on `{first}`, not on sign-in"
        )));
    }
    if app.visible("signout").await?.is_some() {
        return Err(E2eError::App(
            "a sign-out button is shown after a signed-out restart".into(),
        ));
    }
    app.shot("signed-out-after-restart").await?;

    flows::check_logs_free_of(env, &[PASSWORD])
}
