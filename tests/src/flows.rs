//! Steps several tests share: start the environment, sign in, fill in the personal form,
//! pick a photo through the native dialog, and report a failed test with the server's log.

use crate::app::{App, SCREEN_TIMEOUT};
use crate::error::{E2eError, E2eResult};
use crate::staging::{self, Staging};
use crate::{app, dialog, launcher};
use std::path::Path;
use std::time::Duration;

/// The name typed into the form.
pub const NAME: &str = "张三";
/// A valid resident ID number (checksum X).
pub const ID_NUMBER: &str = "11010519491231002X";
/// How the review screen must show it.
pub const ID_MASKED: &str = "1101**********002X";

/// Everything one test runs against: the staging server and the app pointed at it.
pub struct Env {
    pub staging: Staging,
    pub app: App,
}

impl Env {
    /// Check the machine is ready, start the staging server, then launch the app against it.
    pub async fn start(test: &str, first_shot: u32) -> E2eResult<Env> {
        Env::start_with(test, first_shot, staging::Review::Manual).await
    }

    /// [`Env::start`] with the server reviewing as `review`.
    pub async fn start_with(
        test: &str,
        first_shot: u32,
        review: staging::Review,
    ) -> E2eResult<Env> {
        Env::start_app_with(test, first_shot, review, &[]).await
    }

    /// [`Env::start_with`] with more environment variables for the app.
    pub async fn start_app_with(
        test: &str,
        first_shot: u32,
        review: staging::Review,
        env: &[(&str, &str)],
    ) -> E2eResult<Env> {
        launcher::check_environment()?;
        let staging = Staging::start_with(review).await?;
        let app = App::launch_with(test, staging.url(), first_shot, env).await?;
        Ok(Env { staging, app })
    }

    /// Close the app; on failure also print the staging server's log. Returns `outcome`.
    pub async fn finish(self, outcome: E2eResult<()>) -> E2eResult<()> {
        if outcome.is_err() {
            eprintln!(
                "--- staging log ---\n{}\n--- end of staging log ---",
                app::tail(&self.staging.log_text(), 60)
            );
        }
        self.app.finish(outcome).await
        // `self.staging` is dropped here, which stops the server.
    }
}

/// Fail if any of `secrets` (passwords, a full ID number) shows up in the app's or the
/// staging server's log, or in any file the app or its webview wrote (data, config, cache,
/// the webview's storage): secrets stay out of logs and files, ID numbers are logged masked.
pub fn check_logs_free_of(env: &Env, secrets: &[&str]) -> E2eResult<()> {
    let mut files = Vec::new();
    for dir in env.app.written_dirs() {
        collect_files(&dir, &mut files);
    }
    for file in &files {
        let Ok(bytes) = std::fs::read(file) else {
            continue;
        };
        for secret in secrets {
            if contains(&bytes, secret.as_bytes()) {
                return Err(E2eError::App(format!(
                    "{} contains a secret or an unmasked ID number (len {})",
                    file.display(),
                    secret.chars().count()
                )));
            }
        }
    }
    eprintln!(
        "checked {} files the app wrote: no secret in any",
        files.len()
    );
    for (whose, log) in [
        ("app", env.app.log_text()),
        ("staging server", env.staging.log_text()),
    ] {
        for secret in secrets {
            if log.contains(secret) {
                return Err(E2eError::App(format!(
                    "the {whose} log contains a secret or an unmasked ID number (len {})",
                    secret.chars().count()
                )));
            }
        }
    }
    Ok(())
}

/// From the sign-in screen, sign in with the seeded account and wait for home.
pub async fn sign_in(app: &App) -> E2eResult<()> {
    app.wait_for("signin-screen", SCREEN_TIMEOUT).await?;
    app.type_into("login-input", staging::LOGIN).await?;
    app.type_into("password-input", staging::PASSWORD).await?;
    app.click("signin-submit").await?;
    app.wait_for("home-screen", SCREEN_TIMEOUT).await?;
    Ok(())
}

/// Start of the card's validity period typed into the form (长期 for a holder born in 1949).
pub const VALIDITY_START: &str = "2016-03-01";

/// From home, start verification: through the intro and the consent (the first time), to
/// the form.
pub async fn open_form(app: &App) -> E2eResult<()> {
    app.click("start-verification").await?;
    let (first, _) = app
        .wait_for_any(
            &["intro-screen", "consent-screen", "form-screen"],
            SCREEN_TIMEOUT,
        )
        .await?;
    if first == "intro-screen" {
        app.click("intro-next").await?;
    }
    if first != "form-screen" {
        let (next, _) = app
            .wait_for_any(&["consent-screen", "form-screen"], SCREEN_TIMEOUT)
            .await?;
        if next == "consent-screen" {
            app.click("consent-check").await?;
            app.click("consent-accept").await?;
        }
        app.wait_for("form-screen", SCREEN_TIMEOUT).await?;
    }
    Ok(())
}

/// From home, open the form, fill in a valid name, ID number and validity period.
pub async fn open_and_fill_form(app: &App) -> E2eResult<()> {
    open_form(app).await?;
    app.type_into("name-input", NAME).await?;
    app.type_into("id-input", ID_NUMBER).await?;
    app.type_into("validity-start", VALIDITY_START).await?;
    app.click("validity-long-term").await?;
    Ok(())
}

/// Submit the filled form and check it leads to the photos screen without a field error.
pub async fn form_next(app: &App) -> E2eResult<()> {
    app.click("form-next").await?;
    match app
        .wait_for_any(&["photos-screen", "error-banner"], SCREEN_TIMEOUT)
        .await
    {
        Ok((id, _)) if id == "photos-screen" => Ok(()),
        Ok(_) => Err(E2eError::App(format!(
            "the form showed an error banner: {:?}",
            app.banner().await?.unwrap_or_default()
        ))),
        Err(timeout) => {
            for field in ["name-error", "id-error", "validity-error"] {
                if let Some(text) = app.current_text(field).await?
                    && !text.trim().is_empty()
                {
                    return Err(E2eError::App(format!(
                        "valid input refused: `{field}` says {text:?}"
                    )));
                }
            }
            Err(timeout)
        }
    }
}

/// Click `pick-<side>` and choose `file` in the native dialog.
pub async fn pick_photo(app: &App, side: &str, file: &Path) -> E2eResult<()> {
    if dialog::is_open().await? {
        return Err(E2eError::Dialog(
            "a file dialog is already open before picking".into(),
        ));
    }
    app.click(&format!("pick-{side}")).await?;
    dialog::choose_file(file).await
}

/// Both previews shown on the photo step, no error under either, Next enabled.
pub async fn both_photos_shown(app: &App, when: &str) -> E2eResult<()> {
    for side in ["portrait", "emblem"] {
        app.wait_for(&format!("preview-{side}"), SCREEN_TIMEOUT)
            .await
            .map_err(|e| E2eError::App(format!("{when}: no {side} preview: {e}")))?;
        let error = app
            .current_text(&format!("photo-error-{side}"))
            .await?
            .unwrap_or_default();
        if !error.trim().is_empty() {
            return Err(E2eError::App(format!(
                "{when}: the {side} photo shows an error: {error:?}"
            )));
        }
    }
    if !app.is_enabled("photos-next").await? {
        return Err(E2eError::App(format!(
            "{when}: photos-next is disabled with both photos shown"
        )));
    }
    Ok(())
}

/// Wait up to `timeout` for the server to see the application and approve it.
pub async fn approve_pending(staging: &Staging, timeout: Duration) -> E2eResult<String> {
    let id = staging.wait_single_pending(staging::LOGIN, timeout).await?;
    staging.approve(&id).await?;
    Ok(id)
}

/// Every regular file under `dir`, recursively.
fn collect_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect_files(&path, out),
            Ok(t) if t.is_file() => out.push(path),
            _ => {}
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}
