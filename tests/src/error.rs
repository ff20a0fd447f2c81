//! The one error type of the end-to-end harness. Every failure carries enough text to tell
//! what the app, the staging server or the test environment did wrong.

use std::fmt;
use std::time::Duration;

/// Why a step of an end-to-end test failed.
#[derive(thiserror::Error)]
pub enum E2eError {
    /// The machine is not set up to drive the app (no tauri-driver, binaries not built...).
    #[error("end-to-end environment not ready: {0}")]
    Environment(String),
    /// A condition the test waits for did not come true in time.
    #[error("timed out after {after:?} waiting for {what}")]
    Timeout { what: String, after: Duration },
    /// The app showed something it should not have, or did not show what it should.
    #[error("app misbehaved: {0}")]
    App(String),
    /// The staging server did not start or answered a tester call unexpectedly.
    #[error("staging server: {0}")]
    Staging(String),
    /// The native file dialog could not be driven.
    #[error("file dialog: {0}")]
    Dialog(String),
    #[error("WebDriver session could not be created: {0}")]
    NewSession(#[from] fantoccini::error::NewSessionError),
    #[error("WebDriver command ({what}) failed: {source}")]
    WebDriver {
        what: String,
        source: fantoccini::error::CmdError,
    },
    #[error("HTTP call to the staging server failed: {0}")]
    Http(#[from] reqwest::Error),
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
    #[error("fixture image: {0}")]
    Image(#[from] image::ImageError),
}

/// A test that returns `Err` prints the error with `Debug`; show the readable text.
impl fmt::Debug for E2eError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Result of a harness step.
pub type E2eResult<T> = Result<T, E2eError>;
