//! Test support: a real okpay-staging on a loopback port, a signed-out session over a mock
//! keychain, and generated photos.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use keyring_core::CredentialStore;
use okpay_core::api::ApiClient;
use okpay_core::keychain::{DEFAULT_TIMEOUT, Keychain};
use okpay_core::session::{KeychainSource, Session};
use okpay_staging::{Config, ReviewMode, ServerHandle};
use std::sync::Arc;

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

pub async fn staging(review: ReviewMode) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(dir.path(), ADMIN);
    config.review = review;
    config.seed_accounts = vec![(LOGIN.into(), PASSWORD.into())];
    config.fast_password_hashing_for_tests = true;
    let (_, handle) = okpay_staging::spawn(config, "127.0.0.1:0".parse().unwrap())
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

/// A card-like test photo: a light card with dark text bars on a wooden-brown background.
pub fn photo_png(seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(1200, 800, |x, y| {
        let on_card = (150..1050).contains(&x) && (150..650).contains(&y);
        let bar = on_card && (y / 40) % 3 == 0 && x > 500;
        match (on_card, bar) {
            (true, true) => image::Rgb([30, 30, seed]),
            (true, false) => image::Rgb([235, 235, 225]),
            _ => image::Rgb([120, 80, (x % 50) as u8 + seed]),
        }
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}
