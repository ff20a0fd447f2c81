//! Where things are: the repository, the shared cargo target directory, the two binaries
//! under test and the screenshot directory.

use crate::error::{E2eError, E2eResult};
use std::path::{Path, PathBuf};

/// Address tauri-driver listens on (scripts/e2e.sh starts it there).
pub const DRIVER_ADDR: &str = "127.0.0.1:4444";

/// How to get a ready environment; part of every environment error.
pub const RUN_HINT: &str = "run the end-to-end tests through scripts/e2e.sh: it starts Xvfb, \
     a throw-away unlocked keyring and tauri-driver, then runs `cargo test -p okpay-e2e`";

/// The repository root (the parent of this package).
pub fn repo_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent()
        .map_or_else(|| here.to_path_buf(), Path::to_path_buf)
}

/// The cargo target directory the binaries were built into.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                repo_root().join(dir)
            }
        }
        None => repo_root().join("target"),
    }
}

fn built_binary(name: &str, build: &str) -> E2eResult<PathBuf> {
    let path = target_dir().join("debug").join(name);
    if path.is_file() {
        Ok(path)
    } else {
        Err(E2eError::Environment(format!(
            "{} does not exist; build it first with `{build}` (CARGO_TARGET_DIR must match)",
            path.display()
        )))
    }
}

/// Environment variable naming another app binary to test (e.g. a release build).
pub const APP_OVERRIDE_VAR: &str = "OKPAY_E2E_APP";

/// The app binary under test: `$OKPAY_E2E_APP` when set, else the debug build.
pub fn app_binary() -> E2eResult<PathBuf> {
    if let Some(path) = std::env::var_os(APP_OVERRIDE_VAR) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(E2eError::Environment(format!(
                "{APP_OVERRIDE_VAR}={} is not a file",
                path.display()
            )))
        };
    }
    built_binary(
        "okpay-app",
        "npm --prefix ui ci && npm --prefix ui run build && cargo build -p okpay-app",
    )
}

/// The staging server binary.
pub fn staging_binary() -> E2eResult<PathBuf> {
    built_binary("okpay-staging", "cargo build -p okpay-staging")
}

/// `<repo>/target/e2e-screens`, created on demand.
pub fn screens_dir() -> E2eResult<PathBuf> {
    let dir = repo_root().join("target").join("e2e-screens");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
