//! A locked Secret Service keychain: reading the session gives a clear coded error
//! (`KEYCHAIN_LOCKED`, or `KEYCHAIN_TIMEOUT` when an unlock prompt never answers) within the
//! keychain timeout, never a hang or a panic. The test runs itself again inside a keyring of
//! its own (`scripts/with-keyring.sh`), so locking it touches no other test's keyring.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use okpay_core::keychain::{DEFAULT_TIMEOUT, Keychain};
use okpay_core::{ErrorCode, Sensitive};
use std::process::Command;
use std::time::{Duration, Instant};

const CHILD: &str = "OKPAY_KEYCHAIN_LOCKED_CHILD";
const TEST: &str = "a_locked_keychain_is_a_clear_error_within_the_timeout";

fn lock_login_collection() {
    let out = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login",
        ])
        .output()
        .expect("dbus-send");
    assert!(
        out.status.success(),
        "locking failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn locked_scenario() {
    let k = Keychain::open("com.okpay.wallet:locked-test".into(), DEFAULT_TIMEOUT)
        .await
        .unwrap();
    k.save("session", &Sensitive::new("refresh-locked".into()))
        .await
        .unwrap();
    assert_eq!(
        k.load("session").await.unwrap().unwrap().expose(),
        "refresh-locked"
    );
    lock_login_collection();
    for attempt in ["load", "save"] {
        let started = Instant::now();
        let code = match attempt {
            "load" => k.load("session").await.err(),
            _ => k
                .save("session", &Sensitive::new("refresh-2".into()))
                .await
                .err(),
        }
        .map(|e| e.code());
        let took = started.elapsed();
        assert!(
            matches!(
                code,
                Some(ErrorCode::KeychainLocked | ErrorCode::KeychainTimeout)
            ),
            "{attempt} on a locked keychain gave {code:?}"
        );
        assert!(
            took <= DEFAULT_TIMEOUT + Duration::from_secs(1),
            "{attempt}: {took:?}"
        );
    }
}

#[tokio::test]
#[ignore = "needs a Secret Service session: run through scripts/with-keyring.sh"]
async fn a_locked_keychain_is_a_clear_error_within_the_timeout() {
    if std::env::var_os(CHILD).is_some() {
        locked_scenario().await;
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/with-keyring.sh");
    let out = Command::new("bash")
        .arg(script)
        .arg(std::env::current_exe().unwrap())
        .args(["--exact", TEST, "--include-ignored", "--nocapture"])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
