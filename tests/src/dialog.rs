//! Drives the app's native GTK "Open File" dialog with xdotool: find the window, give it
//! keyboard focus (there is no window manager under Xvfb), type the absolute path into the
//! location bar, confirm, and check that the dialog went away.

use crate::error::{E2eError, E2eResult};
use std::path::Path;
use std::time::{Duration, Instant};
use tokio::process::Command;

/// The dialog's title (rfd's default for a file picker).
pub const TITLE_PATTERN: &str = "^Open File$";
const APPEAR_TIMEOUT: Duration = Duration::from_secs(20);
const STEP_TIMEOUT: Duration = Duration::from_secs(10);
const CLOSE_TIMEOUT: Duration = Duration::from_secs(10);
/// GTK needs a moment after ctrl+L before the location entry takes input, and after typing
/// before Return picks the typed path rather than a completion.
const GTK_SETTLE: Duration = Duration::from_millis(300);

/// Run xdotool with `args`, killed after `timeout`; returns its stdout.
async fn xdotool(args: &[&str], timeout: Duration) -> E2eResult<String> {
    let child = Command::new("xdotool")
        .args(args)
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(timeout, child)
        .await
        .map_err(|_| E2eError::Timeout {
            what: format!("xdotool {}", args.join(" ")),
            after: timeout,
        })?
        .map_err(|e| E2eError::Dialog(format!("cannot run xdotool (is it installed?): {e}")))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(E2eError::Dialog(format!(
            "xdotool {} failed ({}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

/// Visible windows whose title matches the dialog's (empty when none).
async fn dialog_windows() -> E2eResult<Vec<String>> {
    let out = Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", TITLE_PATTERN])
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(STEP_TIMEOUT, out)
        .await
        .map_err(|_| E2eError::Timeout {
            what: "xdotool search".into(),
            after: STEP_TIMEOUT,
        })?
        .map_err(|e| E2eError::Dialog(format!("cannot run xdotool: {e}")))?;
    // xdotool search exits 1 when nothing matches.
    Ok(String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(str::to_owned)
        .collect())
}

/// True when an "Open File" dialog is on screen.
pub async fn is_open() -> E2eResult<bool> {
    Ok(!dialog_windows().await?.is_empty())
}

/// Wait for the dialog the app just opened, choose `file` in it, and wait until it closes.
pub async fn choose_file(file: &Path) -> E2eResult<()> {
    if !file.is_absolute() {
        return Err(E2eError::Dialog(format!(
            "{} is not an absolute path",
            file.display()
        )));
    }
    let path = file
        .to_str()
        .ok_or_else(|| E2eError::Dialog(format!("{} is not UTF-8", file.display())))?;
    let found = xdotool(
        &["search", "--sync", "--onlyvisible", "--name", TITLE_PATTERN],
        APPEAR_TIMEOUT,
    )
    .await
    .map_err(|e| match e {
        E2eError::Timeout { after, .. } => E2eError::Timeout {
            what: "the native \"Open File\" dialog to appear".into(),
            after,
        },
        other => other,
    })?;
    let window = found
        .split_whitespace()
        .next()
        .ok_or_else(|| E2eError::Dialog("xdotool found the dialog but printed no id".into()))?
        .to_owned();
    xdotool(&["windowfocus", "--sync", &window], STEP_TIMEOUT).await?;
    xdotool(&["key", "--clearmodifiers", "ctrl+l"], STEP_TIMEOUT).await?;
    tokio::time::sleep(GTK_SETTLE).await;
    xdotool(&["type", "--delay", "20", path], STEP_TIMEOUT).await?;
    tokio::time::sleep(GTK_SETTLE).await;
    xdotool(&["key", "Return"], STEP_TIMEOUT).await?;
    let started = Instant::now();
    while is_open().await? {
        if started.elapsed() > CLOSE_TIMEOUT {
            return Err(E2eError::Dialog(format!(
                "the dialog is still open {CLOSE_TIMEOUT:?} after choosing {path}"
            )));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}
