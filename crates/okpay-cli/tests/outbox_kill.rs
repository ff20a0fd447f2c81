//! `okpay submit` killed half-way through a slow upload, then started again: the encrypted
//! outbox finishes the job — one application, photos byte-identical to what the CLI
//! prepared — and the outbox file never holds the ID number or the photo bytes in clear.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use okpay_core::Sensitive;
use okpay_core::api::ApiClient;
use okpay_core::contract::{PhotoSide, VerificationStatus};
use okpay_core::flow::{APP_STRICTNESS, prepare_photo};
use okpay_testkit::fixtures::{Side, card_jpeg};
use okpay_testkit::{ADMIN, FaultProxy, ID_NUMBER as ID, LOGIN, PASSWORD, ReviewMode, Staging};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn okpay(data: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_okpay"));
    c.args(args)
        .env_remove("OKPAY_API_URL")
        .env("OKPAY_DATA_DIR", data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

async fn run(data: &Path, args: &[&str], stdin: &str) -> Output {
    let mut cmd = okpay(data, args);
    let stdin = stdin.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut child = cmd.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

fn outbox_files(data: &Path) -> Vec<std::path::PathBuf> {
    match std::fs::read_dir(data.join("outbox")) {
        Ok(rd) => rd.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

/// Needs the Secret Service: run through `scripts/with-keyring.sh`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a Secret Service session: run through scripts/with-keyring.sh"]
async fn a_killed_submit_is_finished_by_the_outbox() {
    let server = Staging::start(ReviewMode::Manual).await;
    let proxy = FaultProxy::start(server.addr()).await;
    let url = proxy.url();
    let data = tempfile::tempdir().unwrap();

    let login = run(
        data.path(),
        &["login", "--api-url", &url, LOGIN, "--password-stdin"],
        &format!("{PASSWORD}\n"),
    )
    .await;
    assert!(
        login.status.success(),
        "{}",
        String::from_utf8_lossy(&login.stderr)
    );

    let files = tempfile::tempdir().unwrap();
    let mut prepared = Vec::new();
    for (side, card_side, name) in [
        (PhotoSide::Portrait, Side::Portrait, "portrait.jpg"),
        (PhotoSide::Emblem, Side::Emblem, "emblem.jpg"),
    ] {
        let bytes = card_jpeg(card_side, 0);
        std::fs::write(files.path().join(name), &bytes).unwrap();
        let upload = prepare_photo(side, &bytes, APP_STRICTNESS)
            .unwrap()
            .upload
            .unwrap();
        prepared.push((side, upload.to_vec()));
    }
    let (p, e) = (
        files.path().join("portrait.jpg"),
        files.path().join("emblem.jpg"),
    );

    // A slow link: kill the process while the portrait is on its way.
    proxy.throttle(Some(16 * 1024));
    let mut child = okpay(
        data.path(),
        &[
            "--json",
            "submit",
            "--api-url",
            &url,
            "--consent",
            "--name",
            "张三",
            "--id",
            ID,
            "--portrait",
            p.to_str().unwrap(),
            "--emblem",
            e.to_str().unwrap(),
        ],
    )
    .spawn()
    .unwrap();
    let start = Instant::now();
    while proxy.counts("/photos/portrait").1 == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "upload never started"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    child.kill().unwrap();
    let killed = child.wait().unwrap();
    assert!(!killed.success());

    let queued = outbox_files(data.path());
    assert_eq!(queued.len(), 1, "the submission waits in the outbox");
    let raw = std::fs::read(&queued[0]).unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert!(!text.contains(ID), "no ID number in clear");
    assert!(!text.contains(LOGIN), "no login in clear");
    for (_, bytes) in &prepared {
        let probe = &bytes[bytes.len() / 2..bytes.len() / 2 + 48];
        assert!(
            !raw.windows(48).any(|w| w == probe),
            "no photo bytes in clear"
        );
    }

    // Started again on a good link: the outbox finishes the job.
    proxy.throttle(None);
    let resumed = run(
        data.path(),
        &["--json", "submit", "--api-url", &url, "--resume"],
        "",
    )
    .await;
    assert!(
        resumed.status.success(),
        "{}{}",
        String::from_utf8_lossy(&resumed.stdout),
        String::from_utf8_lossy(&resumed.stderr)
    );
    let app: serde_json::Value =
        serde_json::from_slice(resumed.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(app["status"], "pending");
    assert!(
        outbox_files(data.path()).is_empty(),
        "deleted once acknowledged"
    );

    let api = ApiClient::new(&url).unwrap();
    let rows = api
        .admin_list(&Sensitive::new(ADMIN.to_owned()), None, Some(LOGIN))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "exactly one application");
    assert_eq!(rows[0].status, VerificationStatus::Pending);
    for (side, bytes) in &prepared {
        let sha = app["photos"][side.as_str()]["sha256"].as_str().unwrap();
        let stored = server.stored_photo(sha);
        assert_eq!(&stored, bytes, "{side:?} byte-identical");
    }

    // Nothing left: `okpay status` has nothing to send and shows the pending review.
    let status = run(data.path(), &["--json", "status", "--api-url", &url], "").await;
    assert!(status.status.success());
    let line: serde_json::Value =
        serde_json::from_slice(status.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(line["verification"], "pending");
}
