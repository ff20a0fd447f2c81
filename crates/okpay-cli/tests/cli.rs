//! The `okpay` binary against a real okpay-staging on loopback: coded errors for bad input,
//! tester controls, and (with a keychain session) login/status/logout.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use okpay_core::Sensitive;
use okpay_core::api::ApiClient;
use okpay_core::contract::{CONSENT_VERSION, PhotoSide, VerificationStatus};
use okpay_core::flow::Flow;
use okpay_core::session::{KeychainSource, Session};
use okpay_testkit::fixtures::{Side, card_jpeg};
use okpay_testkit::pick::{pick_bytes, pick_card};
use okpay_testkit::{ADMIN, ID_NUMBER, LOGIN, PASSWORD, ReviewMode, Staging};
use std::sync::Arc;

mod support;

use support::{json_lines, okpay, okpay_async, okpay_lines};

async fn staging() -> Staging {
    Staging::start(ReviewMode::Manual).await
}

/// `[--json] staging --api-url URL --admin-token TOKEN ACTION...`
fn staging_args<'a>(json: bool, url: &'a str, token: &'a str, action: &[&'a str]) -> Vec<&'a str> {
    let mut args = if json { vec!["--json"] } else { vec![] };
    args.extend(["staging", "--api-url", url, "--admin-token", token]);
    args.extend_from_slice(action);
    args
}

#[test]
fn help_explains_the_commands() {
    let out = okpay(&["--help"], "");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    for word in ["login", "status", "staging", "validate", "check-photo"] {
        assert!(text.contains(word), "--help lacks {word}:\n{text}");
    }
}

#[test]
fn a_file_that_is_not_an_image_is_refused_with_its_code() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("card.jpg");
    std::fs::write(&fake, "this is text, not a photo").unwrap();
    let out = okpay(&["--json", "check-photo", fake.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(1));
    let v = json_lines(&out);
    assert_eq!(v[0]["ok"], false);
    assert_eq!(v[0]["reasons"][0], "PHOTO_UNSUPPORTED_FORMAT");
}

#[test]
fn id_numbers_are_validated_with_codes() {
    let out = okpay(
        &[
            "--json",
            "validate",
            "id",
            "11010519491231002x",
            "110105194912310021",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json_lines(&out);
    assert_eq!(v[0]["ok"], true);
    assert_eq!(v[0]["normalized"], "11010519491231002X");
    assert_eq!(v[1]["codes"][0], "ID_BAD_CHECKSUM");
}

#[test]
fn an_unreachable_server_is_a_coded_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let out = okpay(&staging_args(true, &url, "x", &["list"]), "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_lines(&out)[0]["code"], "NETWORK_UNREACHABLE");
    let plain = okpay(&staging_args(false, &url, "x", &["list"]), "");
    assert!(String::from_utf8_lossy(&plain.stderr).starts_with("error: NETWORK_UNREACHABLE: "));
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    let out = okpay(
        &staging_args(true, "http://example.com", "x", &["list"]),
        "",
    );
    assert_eq!(json_lines(&out)[0]["code"], "INSECURE_URL");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_a_coded_error() {
    let server = staging().await;
    let url = server.url();
    let out = okpay_async(
        &[
            "--json",
            "login",
            "--api-url",
            &url,
            LOGIN,
            "--password-stdin",
        ],
        "not-the-password\n",
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_lines(&out)[0]["code"], "AUTH_INVALID_CREDENTIALS");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tester_controls_approve_and_reject_a_pending_application() {
    let server = staging().await;
    let session = Session::new(
        ApiClient::new(&server.url()).unwrap(),
        KeychainSource::Disabled,
    );
    session
        .sign_in(LOGIN, &Sensitive::new(PASSWORD.into()))
        .await
        .unwrap();
    let flow = Flow::default();
    flow.consent(&session, CONSENT_VERSION).await.unwrap();
    flow.save_personal(&session, "李四", ID_NUMBER, None)
        .await
        .unwrap();
    pick_card(&flow, PhotoSide::Portrait, 0);
    pick_card(&flow, PhotoSide::Emblem, 0);
    flow.submit(&session, Arc::new(|_, _, _| {})).await.unwrap();

    let url = server.url();
    let out = okpay_async(
        &staging_args(
            false,
            &url,
            ADMIN,
            &["reject", "--login", LOGIN, "--reason", "EMBLEM_GLARE"],
        ),
        "",
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let app = session.verification().await.unwrap();
    assert_eq!(app.status, VerificationStatus::Rejected);
    assert_eq!(app.reasons[0].code.as_str(), "EMBLEM_GLARE");

    let bad = okpay_async(
        &staging_args(true, &url, "wrong", &["approve", "--login", LOGIN]),
        "",
    )
    .await;
    assert_eq!(json_lines(&bad)[0]["code"], "FORBIDDEN");

    let retake = card_jpeg(Side::Emblem, 1);
    pick_bytes(&flow, PhotoSide::Emblem, &retake);
    flow.submit(&session, Arc::new(|_, _, _| {})).await.unwrap();
    let out = okpay_async(
        &staging_args(false, &url, ADMIN, &["approve", "--login", LOGIN]),
        "",
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let app = session.verification().await.unwrap();
    assert_eq!(app.status, VerificationStatus::Approved);
}

/// Needs the Secret Service: `scripts/test.sh` runs it inside a throw-away keyring.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a Secret Service session: run through scripts/with-keyring.sh"]
async fn login_is_kept_in_the_keychain_until_logout() {
    let server = staging().await;
    let url = server.url();
    let password = format!("{PASSWORD}\n");
    let login_args = [
        "--json",
        "login",
        "--api-url",
        &url,
        LOGIN,
        "--password-stdin",
    ];
    let login = okpay_async(&login_args, &password).await;
    let status = okpay_async(&["--json", "status", "--api-url", &url], "").await;
    let logout = okpay_async(&["--json", "logout", "--api-url", &url], "").await;
    let after = okpay_async(&["--json", "status", "--api-url", &url], "").await;
    assert_eq!(
        json_lines(&login)[0]["saved_in_keychain"],
        true,
        "{}",
        String::from_utf8_lossy(&login.stdout)
    );
    assert_eq!(json_lines(&status)[0]["verification"], "none");
    assert!(logout.status.success());
    assert_eq!(json_lines(&after)[0]["code"], "AUTH_REQUIRED");
}

/// Needs the Secret Service: `scripts/test.sh` runs it inside a throw-away keyring.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a Secret Service session: run through scripts/with-keyring.sh"]
async fn submit_then_watch_the_review_until_approved() {
    let server = staging().await;
    let dir = &server.dir;
    let url = server.url();
    let password = format!("{PASSWORD}\n");
    let login = okpay_async(
        &["login", "--api-url", &url, LOGIN, "--password-stdin"],
        &password,
    )
    .await;
    assert!(
        login.status.success(),
        "{}",
        String::from_utf8_lossy(&login.stderr)
    );

    let portrait = dir.path().join("portrait.jpg");
    let emblem = dir.path().join("emblem.jpg");
    std::fs::write(&portrait, card_jpeg(Side::Portrait, 0)).unwrap();
    std::fs::write(&emblem, card_jpeg(Side::Emblem, 0)).unwrap();
    let (p, e) = (portrait.to_str().unwrap(), emblem.to_str().unwrap());
    let bad_id = okpay_async(
        &[
            "--json",
            "submit",
            "--api-url",
            &url,
            "--name",
            "王五",
            "--id",
            "110105194912310021",
            "--portrait",
            p,
            "--emblem",
            e,
        ],
        "",
    )
    .await;
    assert_eq!(json_lines(&bad_id)[0]["code"], "ID_BAD_CHECKSUM");

    let submitted = okpay_async(
        &[
            "--json",
            "submit",
            "--api-url",
            &url,
            "--name",
            "王五",
            "--id",
            ID_NUMBER,
            "--validity",
            "2010-01-01:长期",
            "--consent",
            "--portrait",
            p,
            "--emblem",
            e,
        ],
        "",
    )
    .await;
    assert!(
        submitted.status.success(),
        "{}",
        String::from_utf8_lossy(&submitted.stdout)
    );
    assert_eq!(json_lines(&submitted)[0]["status"], "pending");
    assert!(json_lines(&submitted)[0]["photos"]["emblem"]["sha256"].is_string());

    // Follow the review: the first line is the pending status; approve only after it.
    let (mut watcher, lines) = okpay_lines(&["--json", "status", "--api-url", &url, "--watch"]);
    let next = move || {
        lines
            .recv_timeout(std::time::Duration::from_secs(30))
            .unwrap()
    };
    let first: serde_json::Value = serde_json::from_str(&next()).unwrap();
    assert_eq!(first["verification"], "pending");
    let api = ApiClient::new(&url).unwrap();
    let admin = Sensitive::new(ADMIN.to_owned());
    let rows = api
        .admin_list(&admin, Some("pending"), Some(LOGIN))
        .await
        .unwrap();
    api.admin_approve(&admin, &rows[0].id).await.unwrap();
    let last: serde_json::Value = tokio::task::spawn_blocking(move || {
        let line = next();
        assert!(watcher.wait().unwrap().success());
        serde_json::from_str(&line).unwrap()
    })
    .await
    .unwrap();
    assert_eq!(last["verification"], "approved");
    assert_eq!(last["tier"], "verified");

    // Hermetic: the refresh token (read back from the keychain, the only place it is kept),
    // the password and the full ID number appear in no output and no file the CLI wrote.
    let endpoint = okpay_core::config::Endpoint::resolve(Some(&url)).unwrap();
    let service = format!("{}.cli", okpay_core::session::keychain_service(&endpoint));
    let keychain =
        okpay_core::keychain::Keychain::open(service, okpay_core::keychain::DEFAULT_TIMEOUT)
            .await
            .unwrap();
    let stored = keychain.load("session").await.unwrap().unwrap();
    let entry: serde_json::Value = serde_json::from_str(stored.expose()).unwrap();
    let refresh = entry["refresh_token"].as_str().unwrap().to_owned();
    assert!(refresh.len() >= 20);
    let secrets = [refresh.as_str(), PASSWORD, ID_NUMBER];
    let mut outputs: Vec<Vec<u8>> = [&login, &bad_id, &submitted]
        .iter()
        .flat_map(|o| [o.stdout.clone(), o.stderr.clone()])
        .collect();
    outputs.push(first.to_string().into_bytes());
    outputs.push(last.to_string().into_bytes());
    if let Some(data) = std::env::var_os("XDG_DATA_HOME") {
        outputs.extend(files_under(
            &std::path::PathBuf::from(data).join("okpay-cli"),
        ));
    }
    for (i, bytes) in outputs.iter().enumerate() {
        for secret in secrets {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "output or file #{i} holds a secret (len {})",
                secret.len()
            );
        }
    }
    okpay_async(&["logout", "--api-url", &url], "").await;
}

/// The contents of every regular file under `dir`.
fn files_under(dir: &std::path::Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push(bytes);
        }
    }
    out
}
