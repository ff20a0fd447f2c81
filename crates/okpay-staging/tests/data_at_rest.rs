//! The data directory is its owner's alone whatever the umask and an earlier run left: the
//! real binary, started under `umask 000` over an existing 0755 directory holding a 0644
//! file, then sent a photo, leaves every directory in it 0700 and every file (the database
//! with its `-wal` and `-shm`, the photo) 0600.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_rules::contract::CONSENT_VERSION;
use okpay_staging::{DB_FILE, PHOTOS_DIR};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;
use std::io::BufRead;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use support::{PASSWORD, client, portrait};

/// The server process, stopped when the test ends (passing or not), and its standard output,
/// kept open so that what it prints later does not fail on a closed pipe.
struct Server(Child, std::io::BufReader<std::process::ChildStdout>);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start `okpay-staging` over `data` under `umask 000`; → the process and its base URL.
fn start(data: &Path) -> (Server, String) {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("umask 000 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_okpay-staging"))
        .args(["--listen", "127.0.0.1:0", "--manual-review"])
        .args(["--admin-token", "data-at-rest-admin"])
        .arg("--data")
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut server = Server(child, stdout);
    let url = (&mut server.1)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| {
            line.trim()
                .strip_prefix("listening on:")
                .map(|u| u.trim().to_owned())
        })
        .expect("the server printed its address");
    (server, url)
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o7777
}

/// Every path under `root` (itself included) whose mode is not owner-only.
fn not_private(root: &Path) -> Vec<(PathBuf, u32)> {
    let mut wrong = Vec::new();
    let mut dirs = vec![root.to_owned()];
    if mode(root) != 0o700 {
        wrong.push((root.to_owned(), mode(root)));
    }
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let want = if path.is_dir() { 0o700 } else { 0o600 };
            if mode(&path) != want {
                wrong.push((path.clone(), mode(&path)));
            }
            if path.is_dir() {
                dirs.push(path);
            }
        }
    }
    wrong
}

#[tokio::test]
async fn the_data_dir_and_everything_in_it_is_owner_only() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let photos = data.join(PHOTOS_DIR);
    std::fs::create_dir_all(&photos).unwrap();
    let leftover = photos.join("left-by-an-earlier-run");
    std::fs::write(&leftover, b"x").unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&photos, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&leftover, std::fs::Permissions::from_mode(0o644)).unwrap();

    let (_server, base) = start(&data);
    let http = client();
    let creds = json!({"login": "rest@example.com", "password": PASSWORD});
    let resp = http
        .post(format!("{base}/v1/auth/register"))
        .json(&creds)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let tokens: serde_json::Value = http
        .post(format!("{base}/v1/auth/login"))
        .json(&creds)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = tokens["access_token"].as_str().unwrap().to_owned();
    let resp = http
        .put(format!("{base}/v1/verification/consent"))
        .bearer_auth(&token)
        .json(&json!({"version": CONSENT_VERSION}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let part = Part::bytes(portrait())
        .file_name("p.jpg")
        .mime_str("image/jpeg")
        .unwrap();
    let resp = http
        .put(format!("{base}/v1/verification/photos/portrait"))
        .bearer_auth(&token)
        .multipart(Form::new().part("photo", part))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let photo: serde_json::Value = resp.json().await.unwrap();
    let stored = photos.join(photo["sha256"].as_str().unwrap());

    for file in [
        data.join(DB_FILE),
        data.join(format!("{DB_FILE}-wal")),
        data.join(format!("{DB_FILE}-shm")),
        stored,
    ] {
        assert!(file.is_file(), "{} exists", file.display());
    }
    assert_eq!(not_private(&data), Vec::new());
}
