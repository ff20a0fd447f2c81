//! A stranger's failed sign-ins do not lock the owner's device out: the first sign-in keeps
//! the device token the server answers in the keychain, and later sign-ins present it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_core::api::ApiClient;
use okpay_core::session::device_account;
use okpay_core::{ErrorCode, Sensitive};
use okpay_testkit::ReviewMode;
use support::*;

fn pw(s: &str) -> Sensitive<String> {
    Sensitive::new(s.to_owned())
}

#[tokio::test]
async fn the_owners_device_signs_in_after_a_strangers_failures() {
    let server = Staging::start(ReviewMode::Manual).await;
    let keychain = mock_keychain();
    let owner = session(&server.url(), keychain.clone());
    owner.sign_in(LOGIN, &pw(PASSWORD)).await.unwrap();
    assert!(
        keychain
            .load(&device_account(LOGIN))
            .await
            .unwrap()
            .is_some(),
        "the device token is kept"
    );

    // Someone else at the same address guesses the password until the limit answers.
    let stranger = ApiClient::new(&server.url()).unwrap();
    let mut limited = false;
    for _ in 0..10 {
        let e = stranger
            .login(LOGIN, &pw("wrong-password"))
            .await
            .unwrap_err();
        limited |= e.code() == ErrorCode::RateLimited;
    }
    assert!(limited, "the stranger is stopped");

    // A new device with the right password waits; the owner's known device does not.
    let fresh = session(&server.url(), mock_keychain());
    let e = fresh.sign_in(LOGIN, &pw(PASSWORD)).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::RateLimited);
    owner.sign_in(LOGIN, &pw(PASSWORD)).await.unwrap();
}
