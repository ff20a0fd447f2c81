//! Files sealed on this device: one file per account and environment in a directory, mode
//! 0600, written atomically ([`crate::atomic_write`]), and sealed with ChaCha20-Poly1305
//! under one device key that lives only in the OS keychain (entry [`DEVICE_KEY_ACCOUNT`]).
//! A file is named by a hash of the environment and login keyed with that key (BLAKE2b), so
//! a directory listing tells nothing about whose it is, not even to someone trying every
//! phone number; the name starts with tags of the environment and of the key, so that the
//! files of this environment left by a lost key are found and removed. Each kind of file has
//! its own magic bytes, bound into the associated data with the file's name, so a file cannot
//! be moved to another account or passed off as another kind. A file this key cannot open is
//! removed. A file under the unkeyed name of earlier versions is sealed again under the new
//! name when read. The outbox ([`crate::outbox`]) and the photo drafts
//! ([`crate::photo_drafts`]) are built on it.

use crate::Error;
use crate::atomic_write::write_atomically;
use crate::keychain::{Keychain, KeychainError};
use base64::Engine;
use blake2::Blake2bMac;
use blake2::digest::Mac;
use blake2::digest::consts::U16;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use okpay_rules::Sensitive;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Keychain entry holding the device key (base64 of 32 random bytes). Its historical name
/// comes from the outbox, the first file sealed with it.
pub const DEVICE_KEY_ACCOUNT: &str = "outbox-key";
const NONCE_LEN: usize = 12;
/// BLAKE2b personalisation of the file-name hash: the device key also seals the files, and
/// this keeps the two uses apart.
const NAME_PERSONA: &[u8] = b"okpay-file-name";

/// The keyed hash naming the files (16 bytes, 32 hex digits).
type NameMac = Blake2bMac<U16>;

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
    /// The keyed hash, ready to name a file (shared: its state is a few hundred bytes).
    names: Arc<NameMac>,
    /// `<environment tag>-`: the start of every name of this environment's files.
    env_prefix: String,
    /// `<environment tag>-<key tag>-`: the start of every name this key gives.
    prefix: String,
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
        let names = NameMac::new_with_salt_and_personal(&key, &[], NAME_PERSONA)
            .map_err(|_| Error::File("the file-name key does not fit".into()))?;
        private_dir(dir).map_err(|e| Error::File(e.kind().to_string()))?;
        // Tags of 4 bytes: the environment's is no secret (it is the API origin), the key's
        // is the keyed hash of nothing (every other input holds a line break).
        let env_tag = Sha256::digest(format!("okpay-sealed-environment\n{environment}"));
        let key_tag = names.clone().finalize().into_bytes();
        let env_prefix = format!("{}-", hex::encode(&env_tag[..4]));
        let files = SealedFiles {
            dir: dir.to_owned(),
            environment: environment.to_owned(),
            kind,
            cipher: ChaCha20Poly1305::new(Key::from_slice(&key)),
            names: Arc::new(names),
            prefix: format!("{env_prefix}{}-", hex::encode(&key_tag[..4])),
            env_prefix,
        };
        files.sweep();
        Ok(files)
    }

    /// The file of `login`, named by a hash keyed with the device key: no login on disk, and
    /// no way to test a guessed login against a name without the key.
    pub fn path_of(&self, login: &str) -> PathBuf {
        let mut mac = NameMac::clone(&self.names);
        mac.update(format!("{}\n{login}", self.environment).as_bytes());
        let digest = mac.finalize().into_bytes();
        self.dir.join(format!(
            "{}{}.{}",
            self.prefix,
            hex::encode(digest),
            self.kind.extension
        ))
    }

    /// Remove this environment's files of this kind named under another key: sealed under a
    /// key the keychain lost, nobody can ever read them. Best effort: a file that cannot be
    /// removed now is tried again at the next open.
    fn sweep(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let extension = format!(".{}", self.kind.extension);
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.starts_with(&self.env_prefix)
                && name.ends_with(&extension)
                && !name.starts_with(&self.prefix)
            {
                tracing::warn!(
                    what = self.kind.what,
                    "a sealed file of a lost device key removed"
                );
                if let Err(e) = remove_file(&entry.path()) {
                    tracing::warn!(what = self.kind.what, error = %e, "could not remove it");
                }
            }
        }
    }

    /// The name earlier versions gave `login`'s file: an unkeyed hash, read once more to
    /// move its content to [`SealedFiles::path_of`].
    fn legacy_path_of(&self, login: &str) -> PathBuf {
        let digest = Sha256::digest(format!("{}\n{login}", self.environment).as_bytes());
        self.dir.join(format!(
            "{}.{}",
            hex::encode(&digest[..16]),
            self.kind.extension
        ))
    }

    /// Seal `value` as JSON and write it for `login`, replacing what was there (atomically).
    pub fn put(&self, login: &str, value: &impl Serialize) -> Result<(), Error> {
        let plain =
            Sensitive::new(serde_json::to_vec(value).map_err(|e| Error::File(e.to_string()))?);
        self.write(&self.path_of(login), &plain)?;
        remove_file(&self.legacy_path_of(login))
    }

    /// Seal `plain` for the file at `path` and write it there.
    fn write(&self, path: &Path, plain: &Sensitive<Vec<u8>>) -> Result<(), Error> {
        let nonce_bytes: [u8; NONCE_LEN] = rand::random();
        let aad = self.aad(path);
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
        write_atomically(path, &out).map_err(|e| Error::File(e.kind().to_string()))
    }

    /// `login`'s value, if any. A file that cannot be opened with this key (another key,
    /// damaged, another kind, moved from another account) is removed: nobody can ever read it.
    /// A file found under the legacy name only is sealed again under the keyed name.
    pub fn get<T: DeserializeOwned>(&self, login: &str) -> Result<Option<T>, Error> {
        let path = self.path_of(login);
        let plain = match self.read(&path)? {
            Some(plain) => plain,
            None => match self.read(&self.legacy_path_of(login))? {
                Some(plain) => {
                    self.move_legacy(login, &path, &plain);
                    plain
                }
                None => return Ok(None),
            },
        };
        match serde_json::from_slice(plain.expose()) {
            Ok(v) => Ok(Some(v)),
            Err(_) => {
                self.discard(&path)?;
                Ok(None)
            }
        }
    }

    /// Seal `plain`, read under `login`'s legacy name, again at its keyed `path`, then remove
    /// the legacy file. Best effort: what failed is tried again at the next read or write.
    fn move_legacy(&self, login: &str, path: &Path, plain: &Sensitive<Vec<u8>>) {
        let moved = self
            .write(path, plain)
            .and_then(|()| remove_file(&self.legacy_path_of(login)));
        if let Err(e) = moved {
            tracing::warn!(what = self.kind.what, error = %e, "renaming a sealed file failed");
        }
    }

    /// The opened content of the file at `path`; `None` when there is none, or when it
    /// cannot be opened with this key (then it is removed).
    fn read(&self, path: &Path) -> Result<Option<Sensitive<Vec<u8>>>, Error> {
        let data = match std::fs::read(path) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::File(e.kind().to_string())),
        };
        match self.open_sealed(path, &data) {
            Some(plain) => Ok(Some(plain)),
            None => {
                self.discard(path)?;
                Ok(None)
            }
        }
    }

    fn discard(&self, path: &Path) -> Result<(), Error> {
        tracing::warn!(
            what = self.kind.what,
            "a sealed file could not be opened with the keychain's key; removed"
        );
        remove_file(path)
    }

    fn open_sealed(&self, path: &Path, data: &[u8]) -> Option<Sensitive<Vec<u8>>> {
        let rest = data.strip_prefix(self.kind.magic.as_slice())?;
        if rest.len() < NONCE_LEN {
            return None;
        }
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let aad = self.aad(path);
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: &aad,
                },
            )
            .ok()
            .map(Sensitive::new)
    }

    /// Delete `login`'s file (under either name); a missing one is not an error.
    pub fn remove(&self, login: &str) -> Result<(), Error> {
        remove_file(&self.path_of(login))?;
        remove_file(&self.legacy_path_of(login))
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

/// Delete the file at `path`; a missing one is not an error.
fn remove_file(path: &Path) -> Result<(), Error> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::File(e.kind().to_string())),
    }
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

/// Create `dir` if needed, readable by this user only (the files are sealed; their number,
/// sizes and times are nobody else's business either).
fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
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

    #[cfg(unix)]
    #[tokio::test]
    async fn the_directory_is_made_private_whatever_it_was() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("drafts");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        SealedFiles::open(&dir, "e", &crate::keychain::mock(), A)
            .await
            .unwrap();
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }

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
    /// The name earlier versions gave a file: an unkeyed hash of the environment and login,
    /// which anyone could compute for a guessed phone number.
    fn unkeyed_name(environment: &str, login: &str, kind: Kind) -> String {
        let digest = Sha256::digest(format!("{environment}\n{login}").as_bytes());
        format!("{}.{}", hex::encode(&digest[..16]), kind.extension)
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[tokio::test]
    async fn file_names_are_keyed_by_the_device_key() {
        let dir = tempfile::tempdir().unwrap();
        let login = "13800138000";
        let a = SealedFiles::open(dir.path(), "e", &crate::keychain::mock(), A)
            .await
            .unwrap();
        let b = SealedFiles::open(dir.path(), "e", &crate::keychain::mock(), A)
            .await
            .unwrap();
        a.put(login, &"hello").unwrap();
        let names = names_in(dir.path());
        let unkeyed = unkeyed_name("e", login, A);
        let unkeyed_hash = unkeyed.trim_end_matches(".a");
        assert!(
            !names.iter().any(|n| n.contains(unkeyed_hash)),
            "the login's unkeyed hash is on disk: {names:?}"
        );
        assert_eq!(names.len(), 1, "{names:?}");
        assert_ne!(
            a.path_of(login),
            b.path_of(login),
            "another key, another name"
        );
        assert_eq!(a.get::<String>(login).unwrap().as_deref(), Some("hello"));
        assert!(b.get::<String>(login).unwrap().is_none());
    }

    #[tokio::test]
    async fn files_of_a_lost_key_are_removed_those_of_another_environment_kept() {
        let dir = tempfile::tempdir().unwrap();
        let login = "13800138000";
        let open = |env: &'static str, k: Keychain| {
            let dir = dir.path().to_owned();
            async move { SealedFiles::open(&dir, env, &k, A).await.unwrap() }
        };
        let lost = open("e", crate::keychain::mock()).await;
        lost.put(login, &"lost").unwrap();
        let elsewhere = open("f", crate::keychain::mock()).await;
        elsewhere.put(login, &"kept").unwrap();
        let legacy = lost.legacy_path_of(login);
        std::fs::write(&legacy, b"an earlier version's file").unwrap();

        let fresh = open("e", crate::keychain::mock()).await;
        assert!(
            !lost.path_of(login).exists(),
            "the lost key's file is removed"
        );
        assert!(legacy.exists(), "an unkeyed name waits for its login");
        assert_eq!(
            elsewhere.get::<String>(login).unwrap().as_deref(),
            Some("kept")
        );
        assert!(fresh.get::<String>(login).unwrap().is_none());
        assert!(
            !legacy.exists(),
            "unreadable with this key: removed when read"
        );
    }

    #[tokio::test]
    async fn a_file_under_the_unkeyed_name_is_moved_to_the_keyed_one() {
        let dir = tempfile::tempdir().unwrap();
        let files = SealedFiles::open(dir.path(), "e", &crate::keychain::mock(), A)
            .await
            .unwrap();
        let login = "13800138000";
        let legacy = dir.path().join(unkeyed_name("e", login, A));
        assert_eq!(files.legacy_path_of(login), legacy);
        let old = |text: &str| Sensitive::new(serde_json::to_vec(text).unwrap());

        // Read: sealed again under the keyed name, the old name gone.
        files.write(&legacy, &old("kept")).unwrap();
        assert_eq!(files.get::<String>(login).unwrap().as_deref(), Some("kept"));
        assert_eq!(
            names_in(dir.path()),
            [files.path_of(login).file_name().unwrap().to_string_lossy()]
        );
        assert_eq!(files.get::<String>(login).unwrap().as_deref(), Some("kept"));

        // Written over or removed: the old name goes too.
        files.write(&legacy, &old("stale")).unwrap();
        files.put(login, &"new").unwrap();
        assert!(!legacy.exists());
        files.write(&legacy, &old("stale")).unwrap();
        files.remove(login).unwrap();
        assert!(names_in(dir.path()).is_empty());

        // One that does not open with this key is removed, not moved.
        std::fs::write(&legacy, b"OKPTA1 not sealed with this key").unwrap();
        assert!(files.get::<String>(login).unwrap().is_none());
        assert!(names_in(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_link_planted_at_a_temporary_name_is_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let files = SealedFiles::open(dir.path(), "e", &crate::keychain::mock(), A)
            .await
            .unwrap();
        let with_suffix = |path: &Path, suffix: &str| {
            let mut name = path.file_name().unwrap().to_owned();
            name.push(suffix);
            path.with_file_name(name)
        };
        // At the name the temporary file used to have: a link to a file elsewhere, and for
        // another login a link to nowhere (opening it to create would create its target).
        let (login, other) = ("13800138000", "13900139000");
        let path = files.path_of(login);
        let victim = outside.path().join("victim");
        std::fs::write(&victim, b"untouched").unwrap();
        std::os::unix::fs::symlink(&victim, with_suffix(&path, ".tmp")).unwrap();
        let nowhere = outside.path().join("created-through-the-link");
        let other_path = files.path_of(other);
        std::os::unix::fs::symlink(&nowhere, with_suffix(&other_path, ".tmp")).unwrap();

        files.put(login, &"hello").unwrap();
        files.put(login, &"again").unwrap();
        files.put(other, &"other").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"untouched");
        assert!(
            !nowhere.exists(),
            "a file was created through a dangling link"
        );
        for p in [&path, &other_path] {
            assert!(std::fs::symlink_metadata(p).unwrap().is_file(), "{p:?}");
        }
        assert_eq!(
            files.get::<String>(login).unwrap().as_deref(),
            Some("again")
        );
        assert_eq!(
            files.get::<String>(other).unwrap().as_deref(),
            Some("other")
        );

        // A link at the file's own name is replaced, not written through.
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        files.put(login, &"third").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"untouched");
        assert!(std::fs::symlink_metadata(&path).unwrap().is_file());
        assert_eq!(
            files.get::<String>(login).unwrap().as_deref(),
            Some("third")
        );
    }
}
