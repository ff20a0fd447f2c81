//! One WebDriver session on the real app: launch it through tauri-driver with its own data
//! directory and API address (and restart it on the same ones), find elements by
//! `data-testid`, wait for them by polling the DOM, click, type, take screenshots of settled
//! frames, and on failure leave a screenshot, the visible test ids and the app's log behind.

use crate::error::{E2eError, E2eResult};
use crate::launcher::{self, PID_FILE};
use crate::paths;
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How long a screen may take to appear after the action that leads to it.
pub const SCREEN_TIMEOUT: Duration = Duration::from_secs(20);
/// Test id of the global error banner.
pub const ERROR_BANNER: &str = "error-banner";
const POLL: Duration = Duration::from_millis(100);
const SESSION_TIMEOUT: Duration = Duration::from_secs(90);
const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);
const SETTLE_TIMEOUT: Duration = Duration::from_secs(4);
/// How long the app may take to exit once its WebDriver session has ended.
const EXIT_TIMEOUT: Duration = Duration::from_secs(15);
/// See [`App::pump_frames`]: repaints one transparent pixel every 100 ms, installed once per
/// page. The pixel is `aria-hidden` and takes no pointer events.
const FRAME_PUMP: &str = "if (!window.__okpayFramePump) {\
      const d = document.createElement('div');\
      d.setAttribute('aria-hidden', 'true');\
      d.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none';\
      document.documentElement.appendChild(d);\
      let n = 0;\
      window.__okpayFramePump = setInterval(() => {\
        d.style.backgroundColor = n++ % 2 ? 'rgba(0,0,0,0)' : 'rgba(255,255,255,0)';\
      }, 100);\
    }";

/// The running app, driven over WebDriver.
pub struct App {
    client: Client,
    test: String,
    next_shot: u32,
    last_shot: Option<Vec<u8>>,
    log: PathBuf,
    launcher: PathBuf,
    dir: tempfile::TempDir,
}

fn testid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

async fn bounded<T, F>(what: &str, timeout: Duration, fut: F) -> E2eResult<T>
where
    F: Future<Output = Result<T, fantoccini::error::CmdError>>,
{
    match tokio::time::timeout(timeout, fut).await {
        Ok(result) => result.map_err(|source| E2eError::WebDriver {
            what: what.to_owned(),
            source,
        }),
        Err(_) => Err(E2eError::Timeout {
            what: what.to_owned(),
            after: timeout,
        }),
    }
}

impl App {
    /// Start the app against `api_url` with a fresh data directory. `test` names the test in
    /// screenshots; they are numbered from `first_shot`.
    pub async fn launch(test: &str, api_url: &str, first_shot: u32) -> E2eResult<App> {
        App::launch_with(test, api_url, first_shot, &[]).await
    }

    /// [`App::launch`] with more environment variables for the app (e.g. WebKit's mock
    /// camera, `OKPAY_MOCK_CAMERA=1`).
    pub async fn launch_with(
        test: &str,
        api_url: &str,
        first_shot: u32,
        env: &[(&str, &str)],
    ) -> E2eResult<App> {
        launcher::check_environment()?;
        let app = paths::app_binary()?;
        let dir = tempfile::Builder::new()
            .prefix("okpay-e2e-app-")
            .tempdir()?;
        let log = dir.path().join("app.log");
        let launcher = launcher::write_launcher(dir.path(), &app, api_url, &log, env)?;
        let client = connect(&launcher, &log).await?;
        Ok(App {
            client,
            test: test.to_owned(),
            next_shot: first_shot,
            last_shot: None,
            log,
            launcher,
            dir,
        })
    }

    /// End the WebDriver session, check that the app process exits, then start the app again
    /// with the same data directory and API address (and, through the test run's D-Bus
    /// session, the same keyring). Screenshots keep their numbering.
    pub async fn restart(&mut self) -> E2eResult<()> {
        let pid = self.process_state().map(|(pid, _)| pid);
        let closed = tokio::time::timeout(COMMAND_TIMEOUT, self.client.clone().close()).await;
        match closed {
            Ok(Ok(())) => {}
            Ok(Err(source)) => {
                return Err(E2eError::WebDriver {
                    what: "close the session before a restart".into(),
                    source,
                });
            }
            Err(_) => {
                return Err(E2eError::Timeout {
                    what: "the WebDriver session to close before a restart".into(),
                    after: COMMAND_TIMEOUT,
                });
            }
        }
        let started = Instant::now();
        while let Some((pid, true)) = self.process_state() {
            if started.elapsed() > EXIT_TIMEOUT {
                return Err(E2eError::App(format!(
                    "app process {pid} still runs {EXIT_TIMEOUT:?} after its session ended"
                )));
            }
            tokio::time::sleep(POLL).await;
        }
        if pid.is_none() {
            return Err(E2eError::Environment(
                "the app's pid was never recorded, so its exit cannot be checked".into(),
            ));
        }
        // The pid file still names the exited process; the new launch writes a fresh one.
        std::fs::remove_file(self.dir.path().join(PID_FILE))?;
        self.client = connect(&self.launcher, &self.log).await?;
        self.last_shot = None;
        match (pid, self.process_state()) {
            (Some(old), Some((new, true))) if new != old => Ok(()),
            (old, new) => Err(E2eError::App(format!(
                "after the restart the app process is {new:?} (pid, running), before it was {old:?}"
            ))),
        }
    }

    /// The app's data directory for this test.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Every directory the app and its webview may write to in this test: its data
    /// directory and its XDG data, config and cache homes.
    pub fn written_dirs(&self) -> Vec<PathBuf> {
        vec![self.data_dir(), self.dir.path().join("xdg")]
    }

    /// The first displayed element with this test id, if any.
    pub async fn visible(&self, id: &str) -> E2eResult<Option<Element>> {
        let found = bounded(
            &format!("find `{id}`"),
            COMMAND_TIMEOUT,
            self.client.find_all(Locator::Css(&testid(id))),
        )
        .await?;
        for el in found {
            // An element can vanish between find and the check: that counts as not shown.
            if el.is_displayed().await.unwrap_or(false) {
                return Ok(Some(el));
            }
        }
        Ok(None)
    }

    /// The text of the error banner when it is shown.
    pub async fn banner(&self) -> E2eResult<Option<String>> {
        match self.visible(ERROR_BANNER).await? {
            Some(el) => Ok(Some(el.text().await.unwrap_or_default())),
            None => Ok(None),
        }
    }

    /// Wait until the element with this test id is displayed. While it is not, fails at once
    /// if the error banner is shown instead (the flow went wrong).
    pub async fn wait_for(&self, id: &str, timeout: Duration) -> E2eResult<Element> {
        let started = Instant::now();
        loop {
            if let Some(el) = self.visible(id).await? {
                return Ok(el);
            }
            if id != ERROR_BANNER
                && let Some(text) = self.banner().await?
            {
                return Err(E2eError::App(format!(
                    "error banner shown while waiting for `{id}`: {text:?}"
                )));
            }
            if started.elapsed() > timeout {
                return Err(E2eError::Timeout {
                    what: format!("`{id}` to be shown"),
                    after: timeout,
                });
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Wait until any of these test ids is displayed (no banner check); returns which one.
    pub async fn wait_for_any(
        &self,
        ids: &[&str],
        timeout: Duration,
    ) -> E2eResult<(String, Element)> {
        let started = Instant::now();
        loop {
            for id in ids {
                if let Some(el) = self.visible(id).await? {
                    return Ok(((*id).to_owned(), el));
                }
            }
            if started.elapsed() > timeout {
                return Err(E2eError::Timeout {
                    what: format!("any of {ids:?} to be shown"),
                    after: timeout,
                });
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Wait until the element with this test id has non-empty text and return it. For
    /// elements that are always in the page but empty until they have something to say
    /// (field and photo error lines), so no visibility check.
    pub async fn wait_text(&self, id: &str, timeout: Duration) -> E2eResult<String> {
        let started = Instant::now();
        loop {
            if let Some(text) = self.current_text(id).await?
                && !text.trim().is_empty()
            {
                return Ok(text.trim().to_owned());
            }
            if started.elapsed() > timeout {
                return Err(E2eError::Timeout {
                    what: format!("text in `{id}`"),
                    after: timeout,
                });
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The text of the first element with this test id, shown or not; `None` when absent.
    pub async fn current_text(&self, id: &str) -> E2eResult<Option<String>> {
        let found = bounded(
            &format!("find `{id}`"),
            COMMAND_TIMEOUT,
            self.client.find_all(Locator::Css(&testid(id))),
        )
        .await?;
        match found.first() {
            // The element can be replaced between find and read: treat as absent.
            Some(el) => Ok(el.text().await.ok()),
            None => Ok(None),
        }
    }

    /// Wait until the displayed element's attribute `name` equals `want`.
    pub async fn wait_attr(
        &self,
        id: &str,
        name: &str,
        want: &str,
        timeout: Duration,
    ) -> E2eResult<()> {
        let started = Instant::now();
        let mut last = None;
        loop {
            if let Some(el) = self.visible(id).await? {
                last = el.attr(name).await.ok().flatten();
                if last.as_deref() == Some(want) {
                    return Ok(());
                }
            }
            if started.elapsed() > timeout {
                return Err(E2eError::App(format!(
                    "`{id}` {name}={want:?} expected within {timeout:?}, last seen {last:?}"
                )));
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Whether the displayed element can be used (not `disabled`).
    pub async fn is_enabled(&self, id: &str) -> E2eResult<bool> {
        let el = self.wait_for(id, SCREEN_TIMEOUT).await?;
        bounded(
            &format!("is `{id}` enabled"),
            COMMAND_TIMEOUT,
            el.is_enabled(),
        )
        .await
    }

    /// Wait until no element with this test id is displayed.
    pub async fn wait_gone(&self, id: &str, timeout: Duration) -> E2eResult<()> {
        let started = Instant::now();
        while self.visible(id).await?.is_some() {
            if started.elapsed() > timeout {
                return Err(E2eError::Timeout {
                    what: format!("`{id}` to go away"),
                    after: timeout,
                });
            }
            tokio::time::sleep(POLL).await;
        }
        Ok(())
    }

    /// Wait for the element, for it to be enabled, and click it. The click must return
    /// promptly: a command that blocks the app's main thread shows up here.
    pub async fn click(&self, id: &str) -> E2eResult<()> {
        let el = self.wait_for(id, SCREEN_TIMEOUT).await?;
        let started = Instant::now();
        while !bounded(
            &format!("is `{id}` enabled"),
            COMMAND_TIMEOUT,
            el.is_enabled(),
        )
        .await?
        {
            if started.elapsed() > SCREEN_TIMEOUT {
                return Err(E2eError::Timeout {
                    what: format!("`{id}` to be enabled"),
                    after: SCREEN_TIMEOUT,
                });
            }
            tokio::time::sleep(POLL).await;
        }
        bounded(&format!("click `{id}`"), COMMAND_TIMEOUT, el.click()).await
    }

    /// Type `text` into an input and check that the input now holds exactly it.
    pub async fn type_into(&self, id: &str, text: &str) -> E2eResult<()> {
        let el = self.wait_for(id, SCREEN_TIMEOUT).await?;
        bounded(&format!("clear `{id}`"), COMMAND_TIMEOUT, el.clear()).await?;
        bounded(
            &format!("type into `{id}`"),
            COMMAND_TIMEOUT,
            el.send_keys(text),
        )
        .await?;
        let value = self.value(id).await?;
        if value == text {
            Ok(())
        } else {
            Err(E2eError::App(format!(
                "typed {text:?} into `{id}` but it holds {value:?}"
            )))
        }
    }

    /// The `value` of an input.
    pub async fn value(&self, id: &str) -> E2eResult<String> {
        let el = self.wait_for(id, SCREEN_TIMEOUT).await?;
        Ok(bounded(
            &format!("read value of `{id}`"),
            COMMAND_TIMEOUT,
            el.prop("value"),
        )
        .await?
        .unwrap_or_default())
    }

    /// The rendered text of a displayed element.
    pub async fn text(&self, id: &str) -> E2eResult<String> {
        let el = self.wait_for(id, SCREEN_TIMEOUT).await?;
        bounded(&format!("read text of `{id}`"), COMMAND_TIMEOUT, el.text()).await
    }

    /// An attribute of a displayed element.
    pub async fn attr(&self, id: &str, name: &str) -> E2eResult<Option<String>> {
        let el = self.wait_for(id, SCREEN_TIMEOUT).await?;
        bounded(
            &format!("read {name} of `{id}`"),
            COMMAND_TIMEOUT,
            el.attr(name),
        )
        .await
    }

    /// Run `script` in the page as an asynchronous WebDriver script (it ends by calling its
    /// last argument with the result) and return the result.
    pub async fn run_async(&self, script: &str) -> E2eResult<serde_json::Value> {
        bounded(
            "run async script",
            COMMAND_TIMEOUT,
            self.client.execute_async(script, vec![]),
        )
        .await
    }

    /// Run `script` in the page and return what it returns.
    pub async fn run(&self, script: &str) -> E2eResult<serde_json::Value> {
        bounded(
            "run script",
            COMMAND_TIMEOUT,
            self.client.execute(script, vec![]),
        )
        .await
    }

    /// Test ids of every displayed element, in document order (for diagnostics).
    pub async fn visible_testids(&self) -> E2eResult<Vec<String>> {
        let script = "return Array.from(document.querySelectorAll('[data-testid]'))\
            .filter(e => e.getClientRects().length > 0)\
            .map(e => e.getAttribute('data-testid'));";
        let value = bounded(
            "run script",
            COMMAND_TIMEOUT,
            self.client.execute(script, vec![]),
        )
        .await?;
        Ok(value
            .as_array()
            .map(|ids| {
                ids.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Keep the page painting while screenshots are taken. Where the app paints without
    /// accelerated compositing (no GPU, as under Xvfb), WebKit's WebDriver answers a
    /// screenshot only after the page paints again, and a settled page never does; one
    /// transparent pixel that changes every 100 ms keeps frames coming and changes nothing
    /// in the picture. Installed once per page.
    async fn pump_frames(&self) -> E2eResult<()> {
        bounded(
            "run script",
            COMMAND_TIMEOUT,
            self.client.execute(FRAME_PUMP, vec![]),
        )
        .await?;
        Ok(())
    }

    /// Whether the app still answers WebDriver commands (it has not crashed or hung).
    pub async fn is_alive(&self) -> bool {
        let probe = self.client.execute("return document.readyState;", vec![]);
        matches!(
            tokio::time::timeout(Duration::from_secs(5), probe).await,
            Ok(Ok(_))
        )
    }

    /// Save a screenshot of the current screen as `target/e2e-screens/NN-name.png`, once the
    /// frame has settled: WebKit can still hand out the previous frame right after a DOM
    /// change, so poll until the picture differs from the last saved one and stays the same
    /// for a few polls (or give up waiting after a few seconds and keep the latest).
    pub async fn shot(&mut self, name: &str) -> E2eResult<PathBuf> {
        self.pump_frames().await?;
        let started = Instant::now();
        let mut previous: Option<Vec<u8>> = None;
        let mut same = 0;
        let png = loop {
            let png = bounded("screenshot", COMMAND_TIMEOUT, self.client.screenshot()).await?;
            if previous.as_ref() == Some(&png) {
                same += 1;
            } else {
                same = 0;
            }
            let stale = self.last_shot.as_ref() == Some(&png);
            if (same >= 2 && !stale) || started.elapsed() > SETTLE_TIMEOUT {
                break png;
            }
            previous = Some(png);
            tokio::time::sleep(Duration::from_millis(150)).await;
        };
        let path = paths::screens_dir()?.join(format!("{:02}-{name}.png", self.next_shot));
        std::fs::write(&path, &png)?;
        self.next_shot += 1;
        self.last_shot = Some(png);
        Ok(path)
    }

    /// Whether the app's process still runs: `None` when its pid is unknown.
    pub fn process_state(&self) -> Option<(u32, bool)> {
        let pid: u32 = std::fs::read_to_string(self.dir.path().join(PID_FILE))
            .ok()?
            .trim()
            .parse()
            .ok()?;
        // Field 3 of /proc/PID/stat is the state; a zombie has exited.
        let alive = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| {
                stat.rsplit_once(") ")
                    .map(|(_, rest)| !rest.starts_with('Z'))
            })
            .unwrap_or(false);
        Some((pid, alive))
    }

    /// What the app printed so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// End the session (which closes the app). When `outcome` is an error, first save a
    /// screenshot and print what was on screen and the app's log, for the reader of the
    /// failure. Returns `outcome`.
    pub async fn finish<T>(self, outcome: E2eResult<T>) -> E2eResult<T> {
        if let Err(err) = &outcome {
            eprintln!("\n=== {} failed: {err}", self.test);
            let _ = tokio::time::timeout(COMMAND_TIMEOUT, self.pump_frames()).await;
            if let Ok(Ok(png)) =
                tokio::time::timeout(COMMAND_TIMEOUT, self.client.screenshot()).await
                && let Ok(dir) = paths::screens_dir()
            {
                let path = dir.join(format!("FAILED-{}.png", self.test));
                if std::fs::write(&path, png).is_ok() {
                    eprintln!("screenshot: {}", path.display());
                }
            }
            match self.process_state() {
                Some((pid, true)) => eprintln!("app process {pid}: still running"),
                Some((pid, false)) => eprintln!("app process {pid}: gone (exited or crashed)"),
                None => eprintln!("app process: pid unknown"),
            }
            match self.visible_testids().await {
                Ok(ids) => eprintln!("visible test ids: {ids:?}"),
                Err(e) => eprintln!("visible test ids: unavailable ({e})"),
            }
            if let Ok(Some(text)) = self.banner().await {
                eprintln!("error banner: {text:?}");
            }
            eprintln!(
                "--- app log ---\n{}\n--- end of app log ---",
                tail(&self.log_text(), 80)
            );
        }
        let closed = tokio::time::timeout(COMMAND_TIMEOUT, self.client.close()).await;
        match (outcome, closed) {
            (Err(e), _) => Err(e),
            (Ok(v), Ok(Ok(()))) => Ok(v),
            (Ok(_), Ok(Err(source))) => Err(E2eError::WebDriver {
                what: "close the session".into(),
                source,
            }),
            (Ok(_), Err(_)) => Err(E2eError::Timeout {
                what: "the WebDriver session to close".into(),
                after: COMMAND_TIMEOUT,
            }),
        }
    }
}

/// Open a WebDriver session that starts the app through `launcher` (whose output goes to
/// `log`).
async fn connect(launcher: &std::path::Path, log: &std::path::Path) -> E2eResult<Client> {
    // Both rustls crypto providers are compiled in; pick one before any TLS config.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": launcher, "args": [] }),
    );
    let mut builder = ClientBuilder::rustls()?;
    builder.capabilities(caps);
    let url = format!("http://{}", paths::DRIVER_ADDR);
    match tokio::time::timeout(SESSION_TIMEOUT, builder.connect(&url)).await {
        Ok(client) => client.map_err(|e| {
            let log_text = std::fs::read_to_string(log).unwrap_or_default();
            E2eError::Environment(format!(
                "tauri-driver could not start the app ({e}); app log:\n{log_text}"
            ))
        }),
        Err(_) => Err(E2eError::Timeout {
            what: "tauri-driver to start the app and open a session".into(),
            after: SESSION_TIMEOUT,
        }),
    }
}

/// The last `lines` lines of `text`.
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
