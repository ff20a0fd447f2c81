//! Test support: a signed-out session over a mock keychain and the seeded account signed
//! in; the server, the fault proxy and the photos come from okpay-testkit.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use keyring_core::CredentialStore;
use okpay_core::Sensitive;
use okpay_core::api::ApiClient;
use okpay_core::keychain::{DEFAULT_TIMEOUT, Keychain};
use okpay_core::session::{KeychainSource, Session};
use std::sync::Arc;

#[allow(unused_imports)]
pub use okpay_testkit::fixtures::card_jpeg;
pub use okpay_testkit::{ADMIN, LOGIN, PASSWORD, Staging};

pub mod rig;

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
