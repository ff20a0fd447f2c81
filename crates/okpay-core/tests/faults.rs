//! The flow through a fault-injecting proxy in front of a real okpay-staging: uploads cut
//! half-way, 503s, replies held past the timeout, the server restarted mid-upload. Each
//! time the flow ends submitted, the server holds exactly one application, and the stored
//! photos are byte-identical to what the client prepared.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_core::ErrorCode;
use okpay_core::contract::{PhotoSide, VerificationStatus};
use okpay_core::flow::{CancellationToken, Flow};
use okpay_testkit::ReviewMode;
use okpay_testkit::proxy::Fault;
use std::sync::Arc;
use std::time::Duration;
use support::rig::*;

#[tokio::test]
async fn an_upload_cut_half_way_is_sent_again() {
    let rig = rig(Flow::default()).await;
    rig.proxy
        .inject("/photos/portrait", Fault::CutAfter(20_000), 2);
    let app = submit(&rig).await.unwrap();
    assert_eq!(app.status, VerificationStatus::Pending);
    assert_eq!(rig.proxy.counts("/photos/portrait"), (2, 3));
    assert_one_intact_application(&rig.server, &rig.session, &rig.prepared).await;
}

#[tokio::test]
async fn service_unavailable_is_waited_out() {
    let rig = rig(Flow::default()).await;
    rig.proxy.inject("/photos/emblem", Fault::Unavailable, 2);
    rig.proxy.inject("/submit", Fault::Unavailable, 3);
    let app = submit(&rig).await.unwrap();
    assert_eq!(app.status, VerificationStatus::Pending);
    assert_eq!(rig.proxy.counts("/submit"), (3, 4));
    assert_one_intact_application(&rig.server, &rig.session, &rig.prepared).await;
}

#[tokio::test]
async fn a_submit_reply_lost_to_a_timeout_is_retried_under_the_same_key() {
    let rig = rig(Flow::default()).await;
    // The server takes the submission, but its reply comes after the client gave up.
    rig.proxy
        .inject("/submit", Fault::DelayReply(Duration::from_secs(5)), 1);
    let app = submit(&rig).await.unwrap();
    assert_eq!(app.status, VerificationStatus::Pending);
    assert_eq!(rig.proxy.counts("/submit"), (1, 2));
    assert_one_intact_application(&rig.server, &rig.session, &rig.prepared).await;
}

#[tokio::test]
async fn too_many_failures_end_with_a_code_and_a_later_submit_finishes() {
    let rig = rig(Flow::default()).await;
    rig.proxy.inject("/submit", Fault::Unavailable, 8);
    let e = submit(&rig).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::ServiceUnavailable);
    // Photos went up already; the same key goes out again.
    let app = submit(&rig).await.unwrap();
    assert_eq!(app.status, VerificationStatus::Pending);
    assert_eq!(rig.proxy.counts("/photos/"), (0, 2));
    assert_one_intact_application(&rig.server, &rig.session, &rig.prepared).await;
}

#[tokio::test]
async fn the_server_restarting_mid_upload_is_survived() {
    let Rig {
        server,
        proxy,
        session,
        flow,
        prepared,
        ..
    } = rig(Flow::default()).await;
    proxy.throttle(Some(64 * 1024));
    let restart = async {
        tokio::time::sleep(Duration::from_millis(600)).await;
        // The server goes away: its connections end with it.
        proxy.cut_all();
        let server = server
            .restart(ReviewMode::Manual, Duration::from_millis(300))
            .await;
        proxy.throttle(None);
        server
    };
    let (done, server) = tokio::join!(flow.submit(&session, Arc::new(|_, _, _| {})), restart);
    let app = done.unwrap();
    assert_eq!(app.status, VerificationStatus::Pending);
    let (_, portrait_attempts) = proxy.counts("/photos/portrait");
    assert!(portrait_attempts >= 2, "the cut upload went out again");
    assert_one_intact_application(&server, &session, &prepared).await;
}

#[tokio::test]
async fn a_cancelled_submit_stops_and_resumes_later() {
    let rig = rig(Flow::default()).await;
    rig.proxy.throttle(Some(32 * 1024));
    let cancel = CancellationToken::new();
    let stop = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        stop.cancel();
    });
    let e = rig
        .flow
        .submit_cancellable(&rig.session, Arc::new(|_, _, _| {}), &cancel)
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Cancelled);
    assert!(
        rig.flow.local_view(PhotoSide::Portrait).is_some(),
        "still pending"
    );
    rig.proxy.throttle(None);
    let app = submit(&rig).await.unwrap();
    assert_eq!(app.status, VerificationStatus::Pending);
    assert_one_intact_application(&rig.server, &rig.session, &rig.prepared).await;
}

#[tokio::test]
async fn a_slow_upload_that_keeps_moving_outlasts_the_request_timeout() {
    let rig = rig(Flow::default()).await;
    let size = rig.prepared[0].1.len();
    // Slow enough that the portrait alone takes about 4 s, beyond the 3 s request timeout.
    rig.proxy.throttle(Some(size / 4));
    let app = rig
        .flow
        .submit(&rig.session, Arc::new(|_, _, _| {}))
        .await
        .unwrap();
    assert_eq!(app.status, VerificationStatus::Pending);
    assert_eq!(
        rig.proxy.counts("/photos/portrait"),
        (0, 1),
        "one attempt, no cut"
    );
    assert_one_intact_application(&rig.server, &rig.session, &rig.prepared).await;
}
