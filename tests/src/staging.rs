//! The staging server as the tests run it: started on a free port with a throw-away data
//! directory, one seeded account and manual review; stopped when the guard is dropped. Also
//! the tester controls (list applications, approve, reject) over HTTP.

use crate::error::{E2eError, E2eResult};
use crate::paths;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The account the server is seeded with.
pub const LOGIN: &str = "e2e.tester@example.com";
/// Its password (a throw-away test value).
pub const PASSWORD: &str = "e2e-Correct-Horse-42";

const ADMIN_HEADER: &str = "X-Admin-Token";
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The staging server's photo directory under its data dir (`okpay_staging::PHOTOS_DIR`).
const PHOTOS_DIR: &str = "photos";

/// A running staging server; killed on drop.
pub struct Staging {
    child: Child,
    url: String,
    admin_token: String,
    http: reqwest::Client,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

fn free_port() -> E2eResult<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// How the server reviews submissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// Only through the tester controls.
    Manual,
    /// The automatic reviewer, a second after submission, reading the cards with the models
    /// in `$OKPAY_OCR_MODELS`.
    ReadsCards,
}

impl Staging {
    /// Start the server with manual review and wait until `GET /healthz` answers 200.
    pub async fn start() -> E2eResult<Staging> {
        Staging::start_with(Review::Manual).await
    }

    /// Start the server reviewing as `review` and wait until `GET /healthz` answers 200.
    pub async fn start_with(review: Review) -> E2eResult<Staging> {
        let binary = paths::staging_binary()?;
        let dir = tempfile::Builder::new()
            .prefix("okpay-e2e-staging-")
            .tempdir()?;
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data)?;
        let log = dir.path().join("staging.log");
        let out = std::fs::File::create(&log)?;
        let err = out.try_clone()?;
        let port = free_port()?;
        let admin_token = format!("e2e-admin-{}-{port}", std::process::id());
        let mut command = Command::new(&binary);
        command
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data")
            .arg(&data)
            .arg("--seed-account")
            .arg(format!("{LOGIN}:{PASSWORD}"))
            .arg("--admin-token")
            .arg(&admin_token);
        match review {
            Review::Manual => {
                command.arg("--manual-review");
            }
            Review::ReadsCards => {
                let models = std::env::var_os("OKPAY_OCR_MODELS").ok_or_else(|| {
                    E2eError::Staging("OKPAY_OCR_MODELS is not set (scripts/env.sh)".into())
                })?;
                command
                    .arg("--review-delay")
                    .arg("1")
                    .arg("--card-models")
                    .arg(models);
            }
        }
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| E2eError::Staging(format!("cannot start {}: {e}", binary.display())))?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()?;
        let mut staging = Staging {
            child,
            url: format!("http://127.0.0.1:{port}"),
            admin_token,
            http,
            log,
            _dir: dir,
        };
        staging.wait_healthy().await?;
        Ok(staging)
    }

    async fn wait_healthy(&mut self) -> E2eResult<()> {
        let started = Instant::now();
        let health = format!("{}/healthz", self.url);
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Err(E2eError::Staging(format!(
                    "exited with {status} before listening; its log:\n{}",
                    self.log_text()
                )));
            }
            if let Ok(reply) = self.http.get(&health).send().await
                && reply.status().as_u16() == 200
            {
                return Ok(());
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(E2eError::Staging(format!(
                    "{health} did not answer 200 within {START_TIMEOUT:?}; its log:\n{}",
                    self.log_text()
                )));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Base URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// How many photo files the server has stored.
    pub fn stored_photos(&self) -> usize {
        std::fs::read_dir(self._dir.path().join("data").join(PHOTOS_DIR))
            .map(|d| d.filter_map(Result::ok).count())
            .unwrap_or(0)
    }

    /// What the server printed so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `GET /v1/admin/applications?status=STATUS&login=LOGIN`: the rows (`id`, `login`,
    /// `status`, `submitted_at`), oldest first.
    pub async fn applications(
        &self,
        login: &str,
        status: &str,
    ) -> E2eResult<Vec<serde_json::Value>> {
        let reply = self
            .http
            .get(format!("{}/v1/admin/applications", self.url))
            .query(&[("status", status), ("login", login)])
            .header(ADMIN_HEADER, &self.admin_token)
            .send()
            .await?;
        let status = reply.status();
        let body = reply.text().await?;
        if !status.is_success() {
            return Err(E2eError::Staging(format!(
                "listing applications: {status}: {body}"
            )));
        }
        let rows: serde_json::Value = serde_json::from_str(&body)
            .map_err(|e| E2eError::Staging(format!("listing applications: {e}: {body}")))?;
        match rows {
            serde_json::Value::Array(rows) => Ok(rows),
            _ => Err(E2eError::Staging(format!(
                "listing is not an array: {body}"
            ))),
        }
    }

    /// The ids of the pending applications of `login`.
    pub async fn pending_ids(&self, login: &str) -> E2eResult<Vec<String>> {
        self.applications(login, "pending")
            .await?
            .iter()
            .map(|row| {
                row.get("id")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| E2eError::Staging(format!("row without id: {row}")))
            })
            .collect()
    }

    /// Wait until exactly one application of `login` is pending and return its id.
    pub async fn wait_single_pending(&self, login: &str, timeout: Duration) -> E2eResult<String> {
        let started = Instant::now();
        loop {
            let mut ids = self.pending_ids(login).await?;
            if ids.len() > 1 {
                return Err(E2eError::App(format!(
                    "the app submitted {} applications for {login}, expected one: {ids:?}",
                    ids.len()
                )));
            }
            if let Some(id) = ids.pop() {
                return Ok(id);
            }
            if started.elapsed() > timeout {
                return Err(E2eError::Timeout {
                    what: format!("a pending application of {login} on the server"),
                    after: timeout,
                });
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// `POST /v1/admin/applications/{id}/approve` → the approved application as JSON.
    pub async fn approve(&self, id: &str) -> E2eResult<serde_json::Value> {
        self.decide(id, "approve", None).await
    }

    /// `POST /v1/admin/applications/{id}/reject` with these reason codes → the rejected
    /// application as JSON.
    pub async fn reject(&self, id: &str, reasons: &[&str]) -> E2eResult<serde_json::Value> {
        self.decide(
            id,
            "reject",
            Some(serde_json::json!({ "reasons": reasons })),
        )
        .await
    }

    async fn decide(
        &self,
        id: &str,
        action: &str,
        body: Option<serde_json::Value>,
    ) -> E2eResult<serde_json::Value> {
        let mut request = self
            .http
            .post(format!("{}/v1/admin/applications/{id}/{action}", self.url))
            .header(ADMIN_HEADER, &self.admin_token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let reply = request.send().await?;
        let status = reply.status();
        let text = reply.text().await?;
        if !status.is_success() {
            return Err(E2eError::Staging(format!(
                "{action} {id}: {status}: {text}"
            )));
        }
        serde_json::from_str(&text)
            .map_err(|e| E2eError::Staging(format!("{action} {id}: {e}: {text}")))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
