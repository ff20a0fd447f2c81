//! An in-process okpay-staging for tests: listening on a free loopback port, its data in a
//! temporary dir, the [`LOGIN`] account seeded, [`ADMIN`] as the tester-controls token and
//! cheap password hashing, with the review mode the test asks for (manual, or automatic
//! approval after a delay). [`config`] and [`spawn`] are the parts, for tests that change
//! the configuration or keep the data dir themselves.

use crate::fixtures::{ADMIN, LOGIN, PASSWORD};
use okpay_staging::{Config, ReviewMode, ServerHandle};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The test configuration over `dir`: seeded account, test token, fast hashing, `review`.
pub fn config(dir: &Path, review: ReviewMode) -> Config {
    let mut config = Config::new(dir, ADMIN);
    config.review = review;
    config.seed_accounts = vec![(LOGIN.into(), PASSWORD.into())];
    config.fast_password_hashing_for_tests = true;
    config
}

/// Start a server with `config` on a free loopback port.
pub async fn spawn(config: Config) -> ServerHandle {
    spawn_on(config, ([127, 0, 0, 1], 0).into()).await
}

async fn spawn_on(config: Config, addr: SocketAddr) -> ServerHandle {
    let (_, handle) = okpay_staging::spawn(config, addr)
        .await
        .expect("spawn staging");
    handle
}

/// A running server that owns its temporary data dir (removed when dropped).
pub struct Staging {
    pub handle: ServerHandle,
    pub dir: tempfile::TempDir,
}

impl Staging {
    /// Start a server with the test configuration in a fresh data dir.
    pub async fn start(review: ReviewMode) -> Staging {
        let dir = tempfile::tempdir().expect("temp dir");
        Staging {
            handle: spawn(config(dir.path(), review)).await,
            dir,
        }
    }

    /// Stop the server, wait `down_for`, and start it again on the same port over the same
    /// data dir with `review`.
    pub async fn restart(self, review: ReviewMode, down_for: Duration) -> Staging {
        let Staging { handle, dir } = self;
        let addr = handle.addr();
        handle.stop().await;
        tokio::time::sleep(down_for).await;
        Staging {
            handle: spawn_on(config(dir.path(), review), addr).await,
            dir,
        }
    }

    /// Base URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> String {
        self.handle.url()
    }

    pub fn addr(&self) -> SocketAddr {
        self.handle.addr()
    }

    /// Where the server keeps the photo whose SHA-256 is `sha256` (hex).
    pub fn photo_path(&self, sha256: &str) -> PathBuf {
        self.dir.path().join(okpay_staging::PHOTOS_DIR).join(sha256)
    }

    /// The stored bytes of that photo.
    pub fn stored_photo(&self, sha256: &str) -> Vec<u8> {
        std::fs::read(self.photo_path(sha256)).expect("stored photo")
    }
}
