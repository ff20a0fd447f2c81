//! The durable outbox: a submission waiting to reach the server — personal info not yet
//! saved, prepared photo bytes not yet acknowledged, and the submit's idempotency key —
//! kept on disk so that a cut connection, an offline start or a closed app loses nothing.
//! One file per account and environment, sealed ([`crate::sealed`]) with ChaCha20-Poly1305
//! under a key that lives only in the OS keychain (entry `outbox-key`); without a keychain there
//! is no outbox (a coded keychain error), never a plaintext file. Each acknowledged step
//! shrinks the file; the server's acknowledgement of the submit deletes it.

use crate::Error;
use crate::keychain::Keychain;
use crate::sealed::{Kind, SealedFiles, b64};
use okpay_rules::contract::{PersonalInfo, PhotoSide};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Outbox files: magic with format version 1, extension `outbox`.
const KIND: Kind = Kind {
    magic: b"OKPOB1",
    extension: "outbox",
    what: "outbox entry",
};

/// A photo waiting for the server's acknowledgement.
#[derive(Clone, Serialize, Deserialize)]
pub struct QueuedPhoto {
    pub side: PhotoSide,
    /// The prepared upload, base64 inside the sealed file.
    #[serde(with = "b64")]
    pub bytes: bytes::Bytes,
}

/// One account's submission waiting in the outbox.
#[derive(Clone, Serialize, Deserialize)]
pub struct Queued {
    /// Personal info the server has not acknowledged yet.
    pub personal: Option<PersonalInfo>,
    /// Photos the server has not acknowledged yet.
    pub photos: Vec<QueuedPhoto>,
    /// The submit's `Idempotency-Key`, the same on every attempt.
    pub idempotency_key: String,
}

impl std::fmt::Debug for Queued {
    /// Never prints the personal info or the photos.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queued")
            .field("personal", &self.personal.as_ref().map(|_| "<redacted>"))
            .field(
                "photos",
                &self.photos.iter().map(|p| p.side).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// The outbox of one environment in one directory, unlocked with the keychain's key.
#[derive(Debug)]
pub struct Outbox {
    files: SealedFiles,
}

impl Outbox {
    /// Open the outbox in `dir` for `environment` (the API origin), taking the key from
    /// `keychain` or creating it there on first use. A keychain that fails → its coded
    /// error, and nothing is written.
    pub async fn open(dir: &Path, environment: &str, keychain: &Keychain) -> Result<Outbox, Error> {
        let files = SealedFiles::open(dir, environment, keychain, KIND).await?;
        Ok(Outbox { files })
    }

    /// The file of `login`'s queued submission (named by a keyed hash: no login on disk).
    pub fn path_of(&self, login: &str) -> PathBuf {
        self.files.path_of(login)
    }

    /// Seal and write `queued` for `login`, replacing what was there (atomically).
    pub fn put(&self, login: &str, queued: &Queued) -> Result<(), Error> {
        self.files.put(login, queued)
    }

    /// `login`'s queued submission, if any. A file that cannot be opened with this key
    /// (another key, damaged) is removed: nobody can ever read it.
    pub fn get(&self, login: &str) -> Result<Option<Queued>, Error> {
        self.files.get(login)
    }

    /// Delete `login`'s queued submission (the server has it, or it was given up).
    pub fn remove(&self, login: &str) -> Result<(), Error> {
        self.files.remove(login)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn queued() -> Queued {
        Queued {
            personal: Some(PersonalInfo {
                name: "张三".into(),
                id_number: "11010519491231002X".into(),
                validity: None,
            }),
            photos: vec![QueuedPhoto {
                side: PhotoSide::Portrait,
                bytes: bytes::Bytes::from(vec![0xAB; 5000]),
            }],
            idempotency_key: "key-1".into(),
        }
    }

    #[tokio::test]
    async fn round_trips_sealed_and_nothing_in_clear() {
        let dir = tempfile::tempdir().unwrap();
        let k = crate::keychain::mock();
        let ob = Outbox::open(dir.path(), "http://127.0.0.1:1", &k)
            .await
            .unwrap();
        assert!(ob.get("a@b.test").unwrap().is_none());
        ob.put("a@b.test", &queued()).unwrap();
        let raw = std::fs::read(ob.path_of("a@b.test")).unwrap();
        let text = String::from_utf8_lossy(&raw);
        assert!(!text.contains("11010519491231002X"));
        assert!(!text.contains("a@b.test"));
        assert!(!raw.windows(64).any(|w| w.iter().all(|b| *b == 0xAB)));
        assert!(!text.contains("q6ur")); // base64 of 0xAB 0xAB 0xAB
        let back = ob.get("a@b.test").unwrap().unwrap();
        assert_eq!(back.idempotency_key, "key-1");
        assert_eq!(back.photos[0].bytes.len(), 5000);
        assert_eq!(back.personal.unwrap().id_number, "11010519491231002X");
        ob.remove("a@b.test").unwrap();
        assert!(!ob.path_of("a@b.test").exists());
    }

    #[tokio::test]
    async fn a_file_for_another_key_or_account_is_unreadable() {
        let dir = tempfile::tempdir().unwrap();
        let ob = Outbox::open(dir.path(), "e", &crate::keychain::mock())
            .await
            .unwrap();
        ob.put("a@b.test", &queued()).unwrap();
        // Another keychain, another key (the first one lost): the entry is gone, not readable.
        let other = Outbox::open(dir.path(), "e", &crate::keychain::mock())
            .await
            .unwrap();
        assert!(other.get("a@b.test").unwrap().is_none());
        assert!(!ob.path_of("a@b.test").exists());
        // Sealed under the other key and put at this key's name: unreadable, removed.
        other.put("a@b.test", &queued()).unwrap();
        std::fs::rename(other.path_of("a@b.test"), ob.path_of("a@b.test")).unwrap();
        assert!(ob.get("a@b.test").unwrap().is_none());
        assert!(!ob.path_of("a@b.test").exists());
        // Moved to another account's name: refused.
        ob.put("a@b.test", &queued()).unwrap();
        std::fs::rename(ob.path_of("a@b.test"), ob.path_of("c@d.test")).unwrap();
        assert!(ob.get("c@d.test").unwrap().is_none());
    }
}
