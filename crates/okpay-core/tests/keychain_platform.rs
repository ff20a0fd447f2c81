//! The platform keychain for real (Secret Service on Linux). These tests need a keychain
//! session, so they are ignored by a plain `cargo test`; `scripts/test.sh` runs them inside
//! a throw-away unlocked gnome-keyring (`scripts/with-keyring.sh`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use okpay_core::keychain::{DEFAULT_TIMEOUT, Keychain};
use okpay_core::{ErrorCode, Sensitive};

#[tokio::test]
#[ignore = "needs a Secret Service session: run through scripts/with-keyring.sh"]
async fn real_keychain_round_trip() {
    let service = format!("com.okpay.wallet:test-{}", std::process::id());
    let k = Keychain::open(service, DEFAULT_TIMEOUT).await.unwrap();
    k.delete("session").await.unwrap();
    assert!(k.load("session").await.unwrap().is_none());
    k.save("session", &Sensitive::new("refresh-abc".into()))
        .await
        .unwrap();
    assert_eq!(
        k.load("session").await.unwrap().unwrap().expose(),
        "refresh-abc"
    );
    k.delete("session").await.unwrap();
    assert!(k.load("session").await.unwrap().is_none());
}

/// Without a session bus there is no keychain: a coded error within the timeout, no panic.
#[tokio::test]
#[ignore = "runs itself in a child process without a session bus"]
async fn no_keychain_is_a_coded_error() {
    if std::env::var_os("OKPAY_KEYCHAIN_CHILD").is_some() {
        let started = std::time::Instant::now();
        let e = Keychain::open("com.okpay.wallet:test".into(), DEFAULT_TIMEOUT)
            .await
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::KeychainUnavailable);
        assert!(started.elapsed() <= DEFAULT_TIMEOUT + std::time::Duration::from_secs(1));
        return;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "no_keychain_is_a_coded_error",
            "--include-ignored",
            "--nocapture",
        ])
        .env("OKPAY_KEYCHAIN_CHILD", "1")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/okpay-test-bus",
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 passed"), "{stdout}");
}
