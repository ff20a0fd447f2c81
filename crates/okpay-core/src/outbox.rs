//! The durable outbox: a submission waiting to reach the server — personal info not yet
//! saved, prepared photo bytes not yet acknowledged, and the submit's idempotency key —
//! kept on disk so that a cut connection, an offline start or a closed app loses nothing.
//! One file per account and environment, sealed with ChaCha20-Poly1305 under a key that
//! lives only in the OS keychain (entry [`OUTBOX_KEY_ACCOUNT`]); without a keychain there
//! is no outbox (a coded keychain error), never a plaintext file. Each acknowledged step
//! shrinks the file; the server's acknowledgement of the submit deletes it.

use crate::Error;
use crate::keychain::{Keychain, KeychainError};
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use okpay_rules::Sensitive;
use okpay_rules::contract::{PersonalInfo, PhotoSide};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Keychain entry holding the outbox key (base64 of 32 random bytes).
pub const OUTBOX_KEY_ACCOUNT: &str = "outbox-key";
/// Extension of outbox files.
pub const OUTBOX_EXTENSION: &str = "outbox";
/// First bytes of every outbox file (format version 1).
const MAGIC: &[u8; 6] = b"OKPOB1";
const NONCE_LEN: usize = 12;

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
pub struct Outbox {
    dir: PathBuf,
    environment: String,
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Outbox {
    /// Open the outbox in `dir` for `environment` (the API origin), taking the key from
    /// `keychain` or creating it there on first use. A keychain that fails → its coded
    /// error, and nothing is written.
    pub async fn open(dir: &Path, environment: &str, keychain: &Keychain) -> Result<Outbox, Error> {
        let key = match keychain.load(OUTBOX_KEY_ACCOUNT).await? {
            Some(stored) => decode_key(stored.expose())?,
            None => {
                let fresh: [u8; 32] = rand::random();
                let text = base64::engine::general_purpose::STANDARD.encode(fresh);
                keychain
                    .save(OUTBOX_KEY_ACCOUNT, &Sensitive::new(text))
                    .await?;
                fresh
            }
        };
        std::fs::create_dir_all(dir).map_err(|e| Error::File(e.kind().to_string()))?;
        Ok(Outbox {
            dir: dir.to_owned(),
            environment: environment.to_owned(),
            cipher: ChaCha20Poly1305::new(Key::from_slice(&key)),
        })
    }

    /// The file of `login`'s queued submission (named by a hash: no login on disk).
    pub fn path_of(&self, login: &str) -> PathBuf {
        let digest = Sha256::digest(format!("{}\n{login}", self.environment).as_bytes());
        self.dir
            .join(format!("{}.{OUTBOX_EXTENSION}", hex::encode(&digest[..16])))
    }

    /// Seal and write `queued` for `login`, replacing what was there (atomically).
    pub fn put(&self, login: &str, queued: &Queued) -> Result<(), Error> {
        let path = self.path_of(login);
        let plain =
            Sensitive::new(serde_json::to_vec(queued).map_err(|e| Error::File(e.to_string()))?);
        let nonce_bytes: [u8; NONCE_LEN] = rand::random();
        let aad = aad(&path);
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce_bytes),
                Payload {
                    msg: plain.expose(),
                    aad: &aad,
                },
            )
            .map_err(|_| Error::File("sealing the outbox failed".into()))?;
        let mut out = Vec::with_capacity(MAGIC.len() + NONCE_LEN + sealed.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&sealed);
        write_atomically(&path, &out).map_err(|e| Error::File(e.kind().to_string()))
    }

    /// `login`'s queued submission, if any. A file that cannot be opened with this key
    /// (another key, damaged) is removed: nobody can ever read it.
    pub fn get(&self, login: &str) -> Result<Option<Queued>, Error> {
        let path = self.path_of(login);
        let data = match std::fs::read(&path) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::File(e.kind().to_string())),
        };
        match self.open_sealed(&path, &data) {
            Some(q) => Ok(Some(q)),
            None => {
                tracing::warn!(
                    "an outbox entry could not be opened with the keychain's key; removed"
                );
                self.remove(login)?;
                Ok(None)
            }
        }
    }

    fn open_sealed(&self, path: &Path, data: &[u8]) -> Option<Queued> {
        let rest = data.strip_prefix(MAGIC.as_slice())?;
        if rest.len() < NONCE_LEN {
            return None;
        }
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let aad = aad(path);
        let plain = Sensitive::new(
            self.cipher
                .decrypt(
                    Nonce::from_slice(nonce),
                    Payload {
                        msg: sealed,
                        aad: &aad,
                    },
                )
                .ok()?,
        );
        serde_json::from_slice(plain.expose()).ok()
    }

    /// Delete `login`'s queued submission (the server has it, or it was given up).
    pub fn remove(&self, login: &str) -> Result<(), Error> {
        match std::fs::remove_file(self.path_of(login)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::File(e.kind().to_string())),
        }
    }
}

/// The associated data: the file's name, so an entry cannot be moved to another account.
fn aad(path: &Path) -> Vec<u8> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    [MAGIC.as_slice(), name.unwrap_or_default().as_bytes()].concat()
}

fn decode_key(text: &str) -> Result<[u8; 32], Error> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
        .and_then(|v| <[u8; 32]>::try_from(v.as_slice()).ok())
        .ok_or_else(|| {
            Error::Keychain(KeychainError::Unavailable(
                "the outbox key in the keychain is damaged".into(),
            ))
        })
}

fn write_atomically(path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension(format!("{OUTBOX_EXTENSION}.tmp"));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(&tmp)?;
    f.write_all(data)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)
}

mod b64 {
    //! Bytes as base64 inside the sealed JSON.
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(b: &bytes::Bytes, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(b))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<bytes::Bytes, D::Error> {
        let text = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map(bytes::Bytes::from)
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::sync::Arc;

    fn keychain() -> Keychain {
        let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
        Keychain::with_store(store, "test".into(), crate::keychain::DEFAULT_TIMEOUT)
    }

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
        let k = keychain();
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
        let ob = Outbox::open(dir.path(), "e", &keychain()).await.unwrap();
        ob.put("a@b.test", &queued()).unwrap();
        // Another keychain, another key: the entry is gone, not readable.
        let other = Outbox::open(dir.path(), "e", &keychain()).await.unwrap();
        assert!(other.get("a@b.test").unwrap().is_none());
        assert!(!ob.path_of("a@b.test").exists());
        // Moved to another account's name: refused.
        ob.put("a@b.test", &queued()).unwrap();
        std::fs::rename(ob.path_of("a@b.test"), ob.path_of("c@d.test")).unwrap();
        assert!(ob.get("c@d.test").unwrap().is_none());
    }
}
