//! Test support: a real okpay-staging on a loopback port, a signed-out session over a mock
//! keychain, and generated photos.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use keyring_core::CredentialStore;
use okpay_core::Sensitive;
use okpay_core::api::ApiClient;
use okpay_core::keychain::{DEFAULT_TIMEOUT, Keychain};
use okpay_core::session::{KeychainSource, Session};
use okpay_staging::{Config, ReviewMode, ServerHandle};
use std::sync::Arc;

pub mod proxy;
pub mod rig;

pub const LOGIN: &str = "tester@okpay.test";
pub const PASSWORD: &str = "correct-horse-9";
pub const ADMIN: &str = "admin-token-for-tests";

pub struct Server {
    pub handle: ServerHandle,
    pub dir: tempfile::TempDir,
}

impl Server {
    pub fn url(&self) -> String {
        self.handle.url()
    }
}

fn config(dir: &std::path::Path, review: ReviewMode) -> Config {
    let mut config = Config::new(dir, ADMIN);
    config.review = review;
    config.seed_accounts = vec![(LOGIN.into(), PASSWORD.into())];
    config.fast_password_hashing_for_tests = true;
    config
}

pub async fn staging(review: ReviewMode) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let (_, handle) =
        okpay_staging::spawn(config(dir.path(), review), "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
    Server { handle, dir }
}

/// Stop the server and start it again on the same port over the same data dir.
pub async fn restart(server: Server, review: ReviewMode, down_for: std::time::Duration) -> Server {
    let Server { handle, dir } = server;
    let addr = handle.addr();
    handle.stop().await;
    tokio::time::sleep(down_for).await;
    let (_, handle) = okpay_staging::spawn(config(dir.path(), review), addr)
        .await
        .unwrap();
    Server { handle, dir }
}

pub fn mock_keychain() -> Keychain {
    let store: Arc<CredentialStore> = keyring_core::mock::Store::new().unwrap();
    Keychain::with_store(store, "com.okpay.wallet:test".into(), DEFAULT_TIMEOUT)
}

pub fn session(url: &str, keychain: Keychain) -> Session {
    Session::new(
        ApiClient::new(url).unwrap(),
        KeychainSource::Given(keychain),
    )
}

/// A good photo of one side of a specimen ID card (JPEG); `variant` makes a retake.
pub fn card(side: okpay_photo::specimen::Side, variant: u32) -> Vec<u8> {
    okpay_photo::specimen::photo_jpeg(side, okpay_photo::specimen::Fault::None, variant)
}

/// Sign in as the seeded account and agree to the consent text.
pub async fn signed_in_with_consent(session: &Session, flow: &okpay_core::flow::Flow) {
    session
        .sign_in(LOGIN, &Sensitive::new(PASSWORD.to_owned()))
        .await
        .unwrap();
    flow.consent(session, okpay_core::contract::CONSENT_VERSION)
        .await
        .unwrap();
}
