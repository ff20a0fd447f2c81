//! Photo drafts against a real okpay-staging: photos picked and passed survive a restart —
//! sealed on this device, never in clear — and the restarted flow submits them with
//! byte-identical uploads; a side replaced by a failing photo or cleared is dropped; a
//! damaged or foreign file is ignored and removed; another login sees nothing; sign-out and
//! the submission delete the file; without a keychain nothing is written.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_core::ErrorCode;
use okpay_core::api::ApiClient;
use okpay_core::contract::{PhotoSide, VerificationStatus};
use okpay_core::flow::{APP_STRICTNESS, Flow, LocalPhotoView, prepare_photo};
use okpay_core::keychain::Keychain;
use okpay_core::session::{KeychainSource, Session};
use okpay_core::{ApiError, Sensitive};
use okpay_testkit::ReviewMode;
use okpay_testkit::fixtures::specimen::{self, Fault, Side};
use okpay_testkit::proxy::{Fault as NetFault, FaultProxy};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use support::rig::{assert_one_intact_application, options};
use support::*;

const ID: &str = "11010519491231002X";
const OTHER: &str = "someone.else@okpay.test";

/// One run of the app: a session over the device's keychain and a flow with drafts and an
/// outbox under the device's data dir.
struct Run {
    session: Session,
    flow: Flow,
}

struct Device {
    data: tempfile::TempDir,
    keychain: Keychain,
    url: String,
}

impl Device {
    fn new(url: String) -> Device {
        Device {
            data: tempfile::tempdir().unwrap(),
            keychain: mock_keychain(),
            url,
        }
    }

    fn drafts_dir(&self) -> PathBuf {
        self.data.path().join("photo-drafts")
    }

    fn outbox_dir(&self) -> PathBuf {
        self.data.path().join("outbox")
    }

    fn run_with(&self, keychain: KeychainSource) -> Run {
        Run {
            session: Session::new(
                ApiClient::with_options(&self.url, options()).unwrap(),
                keychain,
            ),
            flow: Flow::default()
                .with_outbox(self.outbox_dir())
                .with_photo_drafts(self.drafts_dir()),
        }
    }

    /// A fresh run, signed in as the seeded user with consent.
    async fn signed_in(&self) -> Run {
        let run = self.run_with(KeychainSource::Given(self.keychain.clone()));
        signed_in_with_consent(&run.session, &run.flow).await;
        run
    }

    /// The app started again: the session comes back from the keychain.
    async fn restarted(&self) -> Run {
        let run = self.run_with(KeychainSource::Given(self.keychain.clone()));
        run.session.restore().await.unwrap().unwrap();
        run
    }

    /// [`Device::restarted`], then the kept photos read back into the flow.
    async fn restarted_with_photos(&self) -> Run {
        let run = self.restarted().await;
        run.flow.restore_photos(&run.session).await.unwrap();
        run
    }

    fn files(&self) -> Vec<PathBuf> {
        files_in(&self.drafts_dir())
    }
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(rd) => rd.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

/// Check and keep a photo of `side` from `file`, as the app does for a picked file.
async fn keep(run: &Run, side: PhotoSide, file: &[u8]) -> (LocalPhotoView, Option<bytes::Bytes>) {
    let photo = prepare_photo(side, file, APP_STRICTNESS).unwrap();
    let upload = photo.upload.clone();
    (run.flow.keep_photo(&run.session, photo).await, upload)
}

async fn keep_both(run: &Run) -> Vec<(PhotoSide, Vec<u8>)> {
    let mut prepared = Vec::new();
    for (side, card_side) in [
        (PhotoSide::Portrait, Side::Portrait),
        (PhotoSide::Emblem, Side::Emblem),
    ] {
        let (view, upload) = keep(run, side, &card_jpeg(card_side, 0)).await;
        assert!(view.check.ok, "{:?}", view.check);
        prepared.push((side, upload.unwrap().to_vec()));
    }
    prepared
}

fn views(run: &Run) -> (Option<LocalPhotoView>, Option<LocalPhotoView>) {
    (
        run.flow.local_view(PhotoSide::Portrait),
        run.flow.local_view(PhotoSide::Emblem),
    )
}

fn base64_probe(bytes: &[u8]) -> String {
    use base64::Engine;
    let enc = base64::engine::general_purpose::STANDARD.encode(bytes);
    enc[enc.len() / 2..enc.len() / 2 + 64].to_owned()
}

#[tokio::test]
async fn picked_photos_survive_a_restart_and_go_out_byte_identical() {
    let server = Staging::start(ReviewMode::Manual).await;
    let device = Device::new(server.url());
    let first = device.signed_in().await;
    first
        .flow
        .save_personal(&first.session, "张三", ID, None)
        .await
        .unwrap();
    let prepared = keep_both(&first).await;
    let before = views(&first);

    // One sealed file, 0600, with neither the ID number, the name, the login, nor the
    // photo bytes (raw or base64) in clear.
    let files = device.files();
    assert_eq!(files.len(), 1, "{files:?}");
    let raw = std::fs::read(&files[0]).unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert!(!text.contains(ID) && !text.contains("张三") && !text.contains(LOGIN));
    for (_, bytes) in &prepared {
        let probe = &bytes[bytes.len() / 2..bytes.len() / 2 + 48];
        assert!(!raw.windows(48).any(|w| w == probe), "photo bytes in clear");
        assert!(
            !text.contains(&base64_probe(bytes)),
            "photo base64 in clear"
        );
    }
    assert!(!text.contains("data:image"), "preview in clear");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    drop(first);

    // Quit and start again: the same views come back, and the submission sends the same bytes.
    let second = device.restarted().await;
    assert_eq!(views(&second), (None, None), "nothing before the read-back");
    second.flow.restore_photos(&second.session).await.unwrap();
    assert_eq!(views(&second), before);
    let app = second
        .flow
        .submit(&second.session, Arc::new(|_, _, _| {}))
        .await
        .unwrap();
    assert_eq!(app.status, VerificationStatus::Pending);
    assert_one_intact_application(&server, &second.session, &prepared).await;
    assert!(device.files().is_empty(), "deleted once submitted");
    assert!(files_in(&device.outbox_dir()).is_empty());

    // Nothing comes back after that.
    let third = device.restarted_with_photos().await;
    assert_eq!(views(&third), (None, None));
}

#[tokio::test]
async fn a_side_replaced_by_a_failing_photo_or_cleared_is_dropped() {
    let server = Staging::start(ReviewMode::Manual).await;
    let device = Device::new(server.url());
    let first = device.signed_in().await;
    keep_both(&first).await;
    let emblem = first.flow.local_view(PhotoSide::Emblem);

    let blurred = specimen::photo_jpeg(Side::Portrait, Fault::Blur(4.0), 0);
    let (view, upload) = keep(&first, PhotoSide::Portrait, &blurred).await;
    assert_eq!(view.check.reasons, vec![ErrorCode::PhotoBlurry]);
    assert!(upload.is_none());

    let second = device.restarted_with_photos().await;
    assert_eq!(
        views(&second),
        (None, emblem),
        "only the passing side is kept"
    );

    // A photo picked in this run wins over the kept one of its side.
    let (retake, _) = keep(&second, PhotoSide::Emblem, &card_jpeg(Side::Emblem, 1)).await;
    let third = device.restarted_with_photos().await;
    assert_eq!(views(&third), (None, Some(retake)));

    // Cleared: the last side goes, and the file with it.
    third
        .flow
        .remove_photo(&third.session, PhotoSide::Emblem)
        .await;
    assert!(device.files().is_empty());
    let fourth = device.restarted_with_photos().await;
    assert_eq!(views(&fourth), (None, None));
}

#[tokio::test]
async fn a_damaged_file_or_another_key_is_ignored_and_removed() {
    let server = Staging::start(ReviewMode::Manual).await;
    let device = Device::new(server.url());
    let first = device.signed_in().await;
    keep_both(&first).await;

    // One byte flipped in the sealed part.
    let path = device.files().pop().unwrap();
    let mut raw = std::fs::read(&path).unwrap();
    let last = raw.len() - 1;
    raw[last] ^= 0x01;
    std::fs::write(&path, &raw).unwrap();
    let second = device.restarted_with_photos().await;
    assert_eq!(views(&second), (None, None));
    assert!(device.files().is_empty(), "the damaged file is removed");

    // Not even a sealed file.
    keep_both(&second).await;
    std::fs::write(device.files().pop().unwrap(), b"not sealed at all").unwrap();
    let third = device.restarted_with_photos().await;
    assert_eq!(views(&third), (None, None));
    assert!(device.files().is_empty());

    // Kept under another device key (another keychain): unreadable, removed.
    keep_both(&third).await;
    assert_eq!(device.files().len(), 1);
    let other_keychain = Run {
        session: Session::new(
            ApiClient::with_options(&device.url, options()).unwrap(),
            KeychainSource::Given(mock_keychain()),
        ),
        flow: Flow::default().with_photo_drafts(device.drafts_dir()),
    };
    signed_in_with_consent(&other_keychain.session, &other_keychain.flow).await;
    other_keychain
        .flow
        .restore_photos(&other_keychain.session)
        .await
        .unwrap();
    assert_eq!(views(&other_keychain), (None, None));
    assert!(device.files().is_empty());
}

#[tokio::test]
async fn another_login_on_the_same_device_sees_nothing() {
    let server = Staging::start(ReviewMode::Manual).await;
    let device = Device::new(server.url());
    let first = device.signed_in().await;
    let kept = {
        keep_both(&first).await;
        views(&first)
    };

    // Someone else signs in in the same run, without a sign-out in between (a lost session).
    first
        .session
        .register(OTHER, &Sensitive::new(PASSWORD.to_owned()))
        .await
        .unwrap();
    first.flow.restore_photos(&first.session).await.unwrap();
    assert_eq!(
        views(&first),
        (None, None),
        "the first user's photos are gone"
    );
    let refused = first
        .flow
        .submit(&first.session, Arc::new(|_, _, _| {}))
        .await
        .unwrap_err();
    assert_ne!(refused.code(), ErrorCode::Internal);
    assert_eq!(
        first.session.verification().await.unwrap().photos.portrait,
        None,
        "nothing of the first user's went to the second user's application"
    );

    // Their own restarted run sees nothing either.
    let other = device.restarted().await;
    assert_eq!(other.session.login_name().as_deref(), Some(OTHER));
    other.flow.restore_photos(&other.session).await.unwrap();
    assert_eq!(views(&other), (None, None));

    // The first user's file is untouched: signing in again brings the photos back.
    let back = device.signed_in().await;
    back.flow.restore_photos(&back.session).await.unwrap();
    assert_eq!(views(&back), kept);

    // Signing out deletes them.
    back.flow.discard_photo_drafts(&back.session).await.unwrap();
    assert_eq!(views(&back), (None, None));
    assert!(device.files().is_empty());
}

#[tokio::test]
async fn a_submission_queued_in_the_outbox_takes_the_photos_over() {
    let server = Staging::start(ReviewMode::Manual).await;
    let proxy = FaultProxy::start(server.handle.addr()).await;
    let device = Device::new(proxy.url());
    let first = device.signed_in().await;
    first
        .flow
        .save_personal(&first.session, "张三", ID, None)
        .await
        .unwrap();
    let prepared = keep_both(&first).await;
    assert_eq!(device.files().len(), 1);

    proxy.inject("/photos/emblem", NetFault::Unavailable, 1000);
    let e = first
        .flow
        .submit(&first.session, Arc::new(|_, _, _| {}))
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::ServiceUnavailable);
    assert!(device.files().is_empty(), "the outbox holds the photos now");
    assert_eq!(files_in(&device.outbox_dir()).len(), 1);

    proxy.clear();
    let second = device.restarted().await;
    let app = second
        .flow
        .resume(
            &second.session,
            Arc::new(|_, _, _| {}),
            &okpay_core::flow::CancellationToken::new(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(app.status, VerificationStatus::Pending);
    assert_one_intact_application(&server, &second.session, &prepared).await;
}

#[tokio::test]
async fn without_a_keychain_nothing_is_written() {
    let server = Staging::start(ReviewMode::Manual).await;
    let device = Device::new(server.url());
    let run = device.run_with(KeychainSource::Disabled);
    signed_in_with_consent(&run.session, &run.flow).await;
    let (view, _) = keep(&run, PhotoSide::Portrait, &card_jpeg(Side::Portrait, 0)).await;
    assert!(view.check.ok);
    assert_eq!(run.flow.local_view(PhotoSide::Portrait), Some(view));
    run.flow.restore_photos(&run.session).await.unwrap();
    assert!(run.flow.local_view(PhotoSide::Portrait).is_some());
    assert!(
        !device.drafts_dir().exists(),
        "nothing written without a keychain"
    );
    let discarded: Result<(), ApiError> = run
        .flow
        .discard_photo_drafts(&run.session)
        .await
        .map_err(ApiError::from);
    assert!(discarded.is_ok());
}
