//! How the app gets started: the check that the end-to-end environment is up (tauri-driver,
//! an X display), and the launcher script that gives the app its API address, data
//! directory and log file.

use crate::error::{E2eError, E2eResult};
use crate::paths;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the launcher records the app's pid, in its directory.
pub const PID_FILE: &str = "app.pid";

/// Fail with [`paths::RUN_HINT`] unless tauri-driver answers and an X display is set.
pub fn check_environment() -> E2eResult<()> {
    let addr: SocketAddr = paths::DRIVER_ADDR
        .parse()
        .map_err(|e| E2eError::Environment(format!("bad driver address: {e}")))?;
    if TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err() {
        return Err(E2eError::Environment(format!(
            "tauri-driver is not listening on {}; {}",
            paths::DRIVER_ADDR,
            paths::RUN_HINT
        )));
    }
    let Some(display) = std::env::var_os("DISPLAY") else {
        return Err(E2eError::Environment(format!(
            "DISPLAY is not set (the file dialog is driven with xdotool); {}",
            paths::RUN_HINT
        )));
    };
    // A local display `:N` is the socket /tmp/.X11-unix/XN; without a live X server the app
    // cannot start and session creation would only time out.
    let display = display.to_string_lossy().into_owned();
    if let Some(number) = display.strip_prefix(':').and_then(|d| d.split('.').next()) {
        let socket = format!("/tmp/.X11-unix/X{number}");
        if std::os::unix::net::UnixStream::connect(&socket).is_err() {
            return Err(E2eError::Environment(format!(
                "no X server answers on DISPLAY={display} ({socket}); {}",
                paths::RUN_HINT
            )));
        }
    }
    Ok(())
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Write the launcher script into `dir` (with a `data/` directory and the app's own XDG data,
/// config and cache directories under `xdg/` beside it, so everything the app and its webview
/// write stays inside the test's directory) and return its path. tauri-driver can pass
/// arguments to the app but not environment variables, so the app is started through this
/// script, which sets them and execs it. The app's output goes to
/// `log`, its pid to [`PID_FILE`] in `dir`.
pub fn write_launcher(
    dir: &Path,
    app: &Path,
    api_url: &str,
    log: &Path,
    env: &[(&str, &str)],
) -> E2eResult<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let data = dir.join("data");
    std::fs::create_dir_all(&data)?;
    let xdg = dir.join("xdg");
    for sub in ["data", "config", "cache"] {
        std::fs::create_dir_all(xdg.join(sub))?;
    }
    let utf8 = |p: &Path| {
        p.to_str()
            .map(str::to_owned)
            .ok_or_else(|| E2eError::Environment(format!("{} is not UTF-8", p.display())))
    };
    // `$$` is the app's pid after exec: kept so a failed test can tell a crash from a hang.
    let extra: String = env
        .iter()
        .map(|(k, v)| format!("export {k}={}\n", sh_quote(v)))
        .collect();
    let script = format!(
        "#!/bin/sh\nexport OKPAY_API_URL={}\nexport OKPAY_DATA_DIR={}\nexport RUST_BACKTRACE=1\n\
         export XDG_DATA_HOME={}\nexport XDG_CONFIG_HOME={}\nexport XDG_CACHE_HOME={}\n{extra}\
         echo $$ >{}\nexec {} \"$@\" >>{} 2>&1\n",
        sh_quote(api_url),
        sh_quote(&utf8(&data)?),
        sh_quote(&utf8(&xdg.join("data"))?),
        sh_quote(&utf8(&xdg.join("config"))?),
        sh_quote(&utf8(&xdg.join("cache"))?),
        sh_quote(&utf8(&dir.join(PID_FILE))?),
        sh_quote(&utf8(app)?),
        sh_quote(&utf8(log)?),
    );
    let path = dir.join("okpay-app-launcher.sh");
    std::fs::write(&path, script)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
    Ok(path)
}
