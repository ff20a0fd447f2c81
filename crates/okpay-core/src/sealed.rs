//! Files sealed on this device: one file per account and environment in a directory, named
//! by a hash (no login on disk), mode 0600, written atomically (temp file + rename), and
//! sealed with ChaCha20-Poly1305 under one device key that lives only in the OS keychain
//! (entry [`DEVICE_KEY_ACCOUNT`]). Each kind of file has its own magic bytes, bound into
//! the associated data with the file's name, so a file cannot be moved to another account
//! or passed off as another kind. A file this key cannot open is removed. The outbox
//! ([`crate::outbox`]) and the photo drafts ([`crate::photo_drafts`]) are built on it.

use crate::Error;
use crate::keychain::{Keychain, KeychainError};
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use okpay_rules::Sensitive;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Keychain entry holding the device key (base64 of 32 random bytes). Its historical name
/// comes from the outbox, the first file sealed with it.
pub const DEVICE_KEY_ACCOUNT: &str = "outbox-key";
const NONCE_LEN: usize = 12;

/// Creating the key is load-then-save: two first uses at once in this process must not
/// each make a key of their own (files sealed under the lost one could never be read).
static KEY_INIT: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// One kind of sealed file.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// First bytes of every file of this kind (with the format version).
    pub magic: &'static [u8; 6],
    /// File name extension.
    pub extension: &'static str,
    /// What the files hold, for log lines.
    pub what: &'static str,
}

/// The sealed files of one kind and environment in one directory.
#[derive(Clone)]
pub struct SealedFiles {
    dir: PathBuf,
    environment: String,
    kind: Kind,
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for SealedFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedFiles")
            .field("dir", &self.dir)
            .field("kind", &self.kind.what)
            .finish_non_exhaustive()
    }
}

impl SealedFiles {
    /// Open the files of `kind` in `dir` for `environment` (the API origin), taking the key
    /// from `keychain` or creating it there on first use. A keychain that fails → its coded
    /// error, and nothing is written.
    pub async fn open(
        dir: &Path,
        environment: &str,
        keychain: &Keychain,
        kind: Kind,
    ) -> Result<SealedFiles, Error> {
        let key = device_key(keychain).await?;
        std::fs::create_dir_all(dir).map_err(|e| Error::File(e.kind().to_string()))?;
        Ok(SealedFiles {
            dir: dir.to_owned(),
            environment: environment.to_owned(),
            kind,
            cipher: ChaCha20Poly1305::new(Key::from_slice(&key)),
        })
    }

    /// The file of `login` (named by a hash: no login on disk).
    pub fn path_of(&self, login: &str) -> PathBuf {
        let digest = Sha256::digest(format!("{}\n{login}", self.environment).as_bytes());
        self.dir.join(format!(
            "{}.{}",
            hex::encode(&digest[..16]),
            self.kind.extension
        ))
    }

    /// Seal `value` as JSON and write it for `login`, replacing what was there (atomically).
    pub fn put(&self, login: &str, value: &impl Serialize) -> Result<(), Error> {
        let path = self.path_of(login);
        let plain =
            Sensitive::new(serde_json::to_vec(value).map_err(|e| Error::File(e.to_string()))?);
        let nonce_bytes: [u8; NONCE_LEN] = rand::random();
        let aad = self.aad(&path);
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce_bytes),
                Payload {
                    msg: plain.expose(),
                    aad: &aad,
                },
            )
            .map_err(|_| Error::File(format!("sealing the {} failed", self.kind.what)))?;
        let magic = self.kind.magic.as_slice();
        let mut out = Vec::with_capacity(magic.len() + NONCE_LEN + sealed.len());
        out.extend_from_slice(magic);
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&sealed);
        write_atomically(&path, &out).map_err(|e| Error::File(e.kind().to_string()))
    }

    /// `login`'s value, if any. A file that cannot be opened with this key (another key,
    /// damaged, another kind, moved from another account) is removed: nobody can ever read it.
    pub fn get<T: DeserializeOwned>(&self, login: &str) -> Result<Option<T>, Error> {
        let path = self.path_of(login);
        let data = match std::fs::read(&path) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::File(e.kind().to_string())),
        };
        match self.open_sealed(&path, &data) {
            Some(v) => Ok(Some(v)),
            None => {
                tracing::warn!(
                    what = self.kind.what,
                    "a sealed file could not be opened with the keychain's key; removed"
                );
                self.remove(login)?;
                Ok(None)
            }
        }
    }

    fn open_sealed<T: DeserializeOwned>(&self, path: &Path, data: &[u8]) -> Option<T> {
        let rest = data.strip_prefix(self.kind.magic.as_slice())?;
        if rest.len() < NONCE_LEN {
            return None;
        }
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let aad = self.aad(path);
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

    /// Delete `login`'s file; a missing one is not an error.
    pub fn remove(&self, login: &str) -> Result<(), Error> {
        match std::fs::remove_file(self.path_of(login)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::File(e.kind().to_string())),
        }
    }

    /// The associated data: the kind's magic and the file's name, so an entry cannot be
    /// moved to another account or read as another kind.
    fn aad(&self, path: &Path) -> Vec<u8> {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        [
            self.kind.magic.as_slice(),
            name.unwrap_or_default().as_bytes(),
        ]
        .concat()
    }
}

/// The device key from the keychain, created there on first use.
async fn device_key(keychain: &Keychain) -> Result<[u8; 32], Error> {
    let _creating = KEY_INIT.lock().await;
    match keychain.load(DEVICE_KEY_ACCOUNT).await? {
        Some(stored) => decode_key(stored.expose()),
        None => {
            let fresh: [u8; 32] = rand::random();
            let text = base64::engine::general_purpose::STANDARD.encode(fresh);
            keychain
                .save(DEVICE_KEY_ACCOUNT, &Sensitive::new(text))
                .await?;
            Ok(fresh)
        }
    }
}

fn decode_key(text: &str) -> Result<[u8; 32], Error> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
        .and_then(|v| <[u8; 32]>::try_from(v.as_slice()).ok())
        .ok_or_else(|| {
            Error::Keychain(KeychainError::Unavailable(
                "the device key in the keychain is damaged".into(),
            ))
        })
}

fn write_atomically(path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut tmp_name = path.file_name().unwrap_or_default().to_owned();
    tmp_name.push(".tmp");
    let tmp = path.with_file_name(tmp_name);
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

/// The blocking thread pool for sealed-file work (sealing megabytes, fsync), so the async
/// runtime never waits on the disk.
pub(crate) async fn off_runtime<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::File(format!("sealed-file work failed: {e}")))?
}

pub(crate) mod b64 {
    //! Bytes as base64 inside sealed JSON.
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

    const A: Kind = Kind {
        magic: b"OKPTA1",
        extension: "a",
        what: "test a",
    };
    const B: Kind = Kind {
        magic: b"OKPTB1",
        extension: "a",
        what: "test b",
    };

    #[tokio::test]
    async fn one_key_for_concurrent_first_uses_and_kinds_do_not_mix() {
        let dir = tempfile::tempdir().unwrap();
        let k = crate::keychain::mock();
        let (a, b) = tokio::join!(
            SealedFiles::open(dir.path(), "e", &k, A),
            SealedFiles::open(dir.path(), "e", &k, B)
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        a.put("x@y.test", &"hello").unwrap();
        // Same key, same file name, another kind: refused and removed.
        assert!(b.get::<String>("x@y.test").unwrap().is_none());
        assert!(!a.path_of("x@y.test").exists());
        a.put("x@y.test", &"hello").unwrap();
        assert_eq!(
            a.get::<String>("x@y.test").unwrap().as_deref(),
            Some("hello")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(a.path_of("x@y.test"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
    }
}
