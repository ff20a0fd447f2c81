//! A signed-in flow behind the fault proxy, ready to submit, and the check that the server
//! ends with exactly one application whose stored photos are the prepared bytes.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use super::*;
use okpay_core::RetryPolicy;
use okpay_core::api::{ApiClient, ClientOptions, Timeouts};
use okpay_core::contract::{PhotoSide, VerificationStatus};
use okpay_core::flow::Flow;
use okpay_core::session::{KeychainSource, Session};
use okpay_testkit::FaultProxy;
use okpay_testkit::ReviewMode;
use okpay_testkit::pick::pick_both;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;

pub fn options() -> ClientOptions {
    ClientOptions {
        timeouts: Timeouts {
            connect: Duration::from_secs(2),
            request: Duration::from_secs(3),
            upload: Duration::from_secs(60),
            stall: Duration::from_secs(2),
        },
        retry: RetryPolicy {
            attempts: 8,
            base: Duration::from_millis(200),
            cap: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(5),
        },
    }
}

pub struct Rig {
    pub server: Staging,
    pub proxy: FaultProxy,
    pub keychain: okpay_core::keychain::Keychain,
    pub session: Session,
    pub flow: Flow,
    pub prepared: Vec<(PhotoSide, Vec<u8>)>,
}

impl Rig {
    /// A second session of the same user over the same keychain (a restarted app).
    pub async fn restored_session(&self) -> Session {
        let s = Session::new(
            ApiClient::with_options(&self.proxy.url(), options()).unwrap(),
            KeychainSource::Given(self.keychain.clone()),
        );
        s.restore().await.unwrap().unwrap();
        s
    }
}

/// Staging behind the proxy, signed in with consent, personal info saved, both photos
/// prepared and waiting in the flow.
pub async fn rig(flow: Flow) -> Rig {
    let server = Staging::start(ReviewMode::Manual).await;
    let proxy = FaultProxy::start(server.handle.addr()).await;
    let keychain = mock_keychain();
    let session = Session::new(
        ApiClient::with_options(&proxy.url(), options()).unwrap(),
        KeychainSource::Given(keychain.clone()),
    );
    signed_in_with_consent(&session, &flow).await;
    flow.save_personal(&session, "张三", "11010519491231002X", None)
        .await
        .unwrap();
    let prepared = pick_both(&flow);
    Rig {
        server,
        proxy,
        keychain,
        session,
        flow,
        prepared,
    }
}

pub async fn submit(rig: &Rig) -> Result<okpay_core::contract::Application, okpay_core::Error> {
    rig.flow.submit(&rig.session, Arc::new(|_, _, _| {})).await
}

/// Exactly one application, pending, whose photos are the prepared bytes on the server's disk.
pub async fn assert_one_intact_application(
    server: &Staging,
    session: &Session,
    prepared: &[(PhotoSide, Vec<u8>)],
) {
    let rows = session
        .api()
        .admin_list(&Sensitive::new(ADMIN.to_owned()), None, Some(LOGIN))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "exactly one application");
    let app = session.verification().await.unwrap();
    assert_eq!(app.status, VerificationStatus::Pending);
    for (side, bytes) in prepared {
        let want = hex::encode(Sha256::digest(bytes));
        let info = match side {
            PhotoSide::Portrait => app.photos.portrait.clone(),
            PhotoSide::Emblem => app.photos.emblem.clone(),
        }
        .unwrap();
        assert_eq!(info.sha256, want, "{side:?} on record");
        let stored = server.stored_photo(&info.sha256);
        assert_eq!(
            hex::encode(Sha256::digest(&stored)),
            want,
            "{side:?} on disk"
        );
        assert_eq!(&stored[..], &bytes[..]);
    }
}
