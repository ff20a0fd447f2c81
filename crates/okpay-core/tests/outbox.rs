//! The sealed outbox against a real okpay-staging behind the fault proxy: a submission cut
//! off, or made while offline, waits on disk — never in clear — and a restarted client
//! finishes it with one application and byte-identical photos; no keychain, no outbox.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_core::ErrorCode;
use okpay_core::api::ApiClient;
use okpay_core::contract::{PhotoSide, VerificationStatus};
use okpay_core::flow::{CancellationToken, Flow};
use okpay_core::session::{KeychainSource, Session};
use okpay_testkit::ReviewMode;
use okpay_testkit::pick::{pick_both, pick_card};
use okpay_testkit::proxy::Fault;
use std::path::Path;
use std::sync::Arc;
use support::rig::*;
use support::*;

const ID: &str = "11010519491231002X";

fn outbox_files(dir: &Path) -> Vec<std::path::PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(rd) => rd.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

/// Nothing personal in clear in any file under `dir`.
fn assert_sealed(dir: &Path, prepared: &[(PhotoSide, Vec<u8>)]) {
    let files = outbox_files(dir);
    assert!(!files.is_empty());
    for f in files {
        let raw = std::fs::read(&f).unwrap();
        let text = String::from_utf8_lossy(&raw);
        assert!(!text.contains(ID), "ID number in clear in {f:?}");
        assert!(!text.contains("张三"), "name in clear in {f:?}");
        assert!(!text.contains(LOGIN), "login in clear in {f:?}");
        for (_, bytes) in prepared {
            let probe = &bytes[bytes.len() / 2..bytes.len() / 2 + 48];
            assert!(!raw.windows(48).any(|w| w == probe), "photo bytes in clear");
            let b64 = base64_probe(bytes);
            assert!(!text.contains(&b64), "photo base64 in clear");
        }
    }
}

fn base64_probe(bytes: &[u8]) -> String {
    use base64::Engine;
    let enc = base64::engine::general_purpose::STANDARD.encode(bytes);
    enc[enc.len() / 2..enc.len() / 2 + 64].to_owned()
}

#[tokio::test]
async fn a_submission_cut_off_half_way_is_finished_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let rig = rig(Flow::default().with_outbox(dir.path())).await;
    rig.proxy.inject("/photos/emblem", Fault::Unavailable, 1000);
    let e = submit(&rig).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::ServiceUnavailable);
    assert!(rig.flow.has_queued(&rig.session).await.unwrap());
    assert_sealed(dir.path(), &rig.prepared);

    // The network comes back; a new process (new session, new flow) finishes the job.
    rig.proxy.clear();
    let session = rig.restored_session().await;
    let flow = Flow::default().with_outbox(dir.path());
    let app = flow
        .resume(&session, Arc::new(|_, _, _| {}), &CancellationToken::new())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(app.status, VerificationStatus::Pending);
    assert!(
        outbox_files(dir.path()).is_empty(),
        "deleted once acknowledged"
    );
    assert_eq!(
        rig.proxy.counts("/photos/portrait").1,
        1,
        "the portrait went up once"
    );
    assert_one_intact_application(&rig.server, &session, &rig.prepared).await;
    // Nothing left to do.
    assert!(
        flow.resume(&session, Arc::new(|_, _, _| {}), &CancellationToken::new())
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_submission_made_offline_waits_then_goes_out() {
    let dir = tempfile::tempdir().unwrap();
    let server = Staging::start(ReviewMode::Manual).await;
    let proxy = okpay_testkit::proxy::FaultProxy::start(server.handle.addr()).await;
    let keychain = mock_keychain();
    let session = Session::new(
        ApiClient::with_options(&proxy.url(), options()).unwrap(),
        KeychainSource::Given(keychain.clone()),
    );
    let flow = Flow::default().with_outbox(dir.path());
    signed_in_with_consent(&session, &flow).await;

    // Offline from here: every request fails.
    proxy.inject("/v1/", Fault::Unavailable, 1_000_000);
    let offline = flow
        .save_personal(&session, "张三", ID, None)
        .await
        .unwrap_err();
    assert_eq!(offline.code(), ErrorCode::ServiceUnavailable);
    let prepared = pick_both(&flow);
    let e = flow
        .submit(&session, Arc::new(|_, _, _| {}))
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::ServiceUnavailable);
    assert_sealed(dir.path(), &prepared);
    drop(flow);
    drop(session);

    // Online again, after a restart.
    proxy.clear();
    let session = Session::new(
        ApiClient::with_options(&proxy.url(), options()).unwrap(),
        KeychainSource::Given(keychain),
    );
    session.restore().await.unwrap().unwrap();
    let flow = Flow::default().with_outbox(dir.path());
    let app = flow
        .resume(&session, Arc::new(|_, _, _| {}), &CancellationToken::new())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(app.status, VerificationStatus::Pending);
    assert_eq!(app.personal.as_ref().unwrap().id_number, ID);
    assert!(outbox_files(dir.path()).is_empty());
    assert_one_intact_application(&server, &session, &prepared).await;
}

#[tokio::test]
async fn a_lost_submit_acknowledgement_is_settled_by_the_same_key() {
    let dir = tempfile::tempdir().unwrap();
    let rig = rig(Flow::default().with_outbox(dir.path())).await;
    // The server takes the submit but every reply is lost.
    rig.proxy.inject(
        "/submit",
        Fault::DelayReply(std::time::Duration::from_secs(5)),
        1000,
    );
    let e = submit(&rig).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::NetworkTimeout);
    assert!(rig.flow.has_queued(&rig.session).await.unwrap());
    rig.proxy.clear();
    let session = rig.restored_session().await;
    let flow = Flow::default().with_outbox(dir.path());
    let app = flow
        .resume(&session, Arc::new(|_, _, _| {}), &CancellationToken::new())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(app.status, VerificationStatus::Pending);
    assert!(outbox_files(dir.path()).is_empty());
    assert_one_intact_application(&rig.server, &session, &rig.prepared).await;

    // A later change the server refuses for good (the application is under review) is
    // dropped from the outbox rather than retried forever; discarding works too.
    pick_card(&flow, PhotoSide::Portrait, 1);
    let e = flow
        .submit(&session, Arc::new(|_, _, _| {}))
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::ApplicationLocked);
    assert!(
        outbox_files(dir.path()).is_empty(),
        "refused for good: dropped"
    );
    flow.discard_queued(&session).await.unwrap();
    assert!(!flow.has_queued(&session).await.unwrap());
}

#[tokio::test]
async fn without_a_keychain_there_is_no_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let server = Staging::start(ReviewMode::Manual).await;
    let session = Session::new(
        ApiClient::new(&server.url()).unwrap(),
        KeychainSource::Disabled,
    );
    let flow = Flow::default().with_outbox(dir.path().join("outbox"));
    signed_in_with_consent(&session, &flow).await;
    flow.save_personal(&session, "张三", ID, None)
        .await
        .unwrap();
    pick_both(&flow);
    // No key for the outbox: the submission goes out from memory, nothing is written.
    let app = flow.submit(&session, Arc::new(|_, _, _| {})).await.unwrap();
    assert_eq!(app.status, VerificationStatus::Pending);
    assert!(!dir.path().join("outbox").exists(), "nothing written");
    assert!(!flow.has_queued(&session).await.unwrap_or(false));
}
