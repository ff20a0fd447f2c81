//! Harness for the end-to-end tests of the OKPay app: the staging server under test control,
//! the app under WebDriver (tauri-driver + WebKitWebDriver), the native file dialog under
//! xdotool, and generated photo fixtures. The tests themselves live in `tests/`; run them
//! with `scripts/e2e.sh`.

pub mod app;
pub mod catalog;
pub mod dialog;
pub mod error;
pub mod fixtures;
pub mod flows;
pub mod launcher;
pub mod paths;
pub mod staging;

pub use app::{App, SCREEN_TIMEOUT};
pub use error::{E2eError, E2eResult};
pub use flows::Env;
pub use staging::Staging;
