//! Replacing a file's content all at once, with a file only this user can read: the bytes go
//! to a new temporary file next to it, which is synced and then renamed over it. The
//! temporary name is random and the file is created exclusively (`O_CREAT | O_EXCL`), so a
//! link planted in the directory — at a name guessed in advance, even a dangling one — is
//! refused, never followed; the rename replaces a link at the final name itself, never its
//! target. (`O_EXCL` already refuses any existing final path component, symlinks included,
//! so `O_NOFOLLOW` would add nothing, and it would need the `libc` crate.)

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Random temporary names tried before giving up (a clash is already very unlikely).
const ATTEMPTS: usize = 8;

/// Write `data` as the whole content of `path` (mode 0600 on unix), atomically.
pub(crate) fn write_atomically(path: &Path, data: &[u8]) -> io::Result<()> {
    let (tmp, file) = create_temp(path)?;
    let written = fill_and_rename(file, data, &tmp, path);
    if written.is_err() {
        // Never leave a partial temporary file behind; the error that matters is the first.
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    sync_dir(path);
    Ok(())
}

fn fill_and_rename(mut file: File, data: &[u8], tmp: &Path, path: &Path) -> io::Result<()> {
    file.write_all(data)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(tmp, path)
}

/// A new file `<name>.<random>.tmp` beside `path`, created exclusively.
fn create_temp(path: &Path) -> io::Result<(PathBuf, File)> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file path"))?;
    for _ in 0..ATTEMPTS {
        let mut tmp_name = OsString::from(name);
        tmp_name.push(format!(".{:016x}.tmp", rand::random::<u64>()));
        let tmp = path.with_file_name(tmp_name);
        match open_new(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary file name",
    ))
}

/// Create `path`, failing when anything (a link included) is already there.
fn open_new(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Make the rename itself durable (unix; elsewhere the rename is all there is). Best effort:
/// some file systems refuse to sync a directory, and the data is already safe in the file.
fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent()
        && let Err(e) = File::open(dir).and_then(|d| d.sync_all())
    {
        tracing::debug!(error = %e.kind(), "syncing the directory after a rename failed");
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[cfg(unix)]
    #[test]
    fn creating_refuses_a_dangling_link_and_leaves_its_target_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = open_new(&link).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert!(!target.exists());
    }

    #[test]
    fn replaces_the_content_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
