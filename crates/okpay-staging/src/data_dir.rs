//! The data directory holds names, ID numbers and photos, so it is kept to its owner whatever
//! the umask or an earlier run left: every directory in it 0700 and every file 0600. Made so
//! at start-up ([`make_private`]) and kept so by creating everything owner-only
//! ([`create_private_dir`], [`private_file`], [`write_private`]). Modes are Unix only.

use std::io;
use std::path::Path;

/// Mode of every directory in the data directory, itself included.
pub const DIR_MODE: u32 = 0o700;
/// Mode of every file in the data directory.
pub const FILE_MODE: u32 = 0o600;

/// Create `dir` (and missing parents) if needed and make it owner-only, new or not.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(DIR_MODE);
    }
    builder.create(dir)?;
    set_mode(dir, DIR_MODE)
}

/// Make `root` and everything under it owner-only: directories [`DIR_MODE`], files
/// [`FILE_MODE`]. Symbolic links inside are left alone (neither they nor their targets).
pub fn make_private(root: &Path) -> io::Result<()> {
    set_mode(root, DIR_MODE)?;
    let mut dirs = vec![root.to_owned()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                set_mode(&entry.path(), DIR_MODE)?;
                dirs.push(entry.path());
            } else if kind.is_file() {
                set_mode(&entry.path(), FILE_MODE)?;
            }
        }
    }
    Ok(())
}

/// Create `path` empty if it is missing, and make it owner-only either way (a database file
/// before SQLite opens it: SQLite gives its `-wal` and `-shm` files the same mode).
pub fn private_file(path: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    drop(options.open(path)?);
    set_mode(path, FILE_MODE)
}

/// Write `bytes` to `path` (created or truncated), owner-only, and flush it to disk.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    let mut f = options.open(path)?;
    set_mode(path, FILE_MODE)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Give `path` (followed if a link) exactly `mode`, unless it has it already.
#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if std::fs::metadata(path)?.permissions().mode() & 0o7777 == mode {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> io::Result<u32> {
        Ok(std::fs::symlink_metadata(path)?.permissions().mode() & 0o7777)
    }

    #[test]
    fn tightens_what_exists_and_leaves_links_alone() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let root = tmp.path().join("data");
        let sub = root.join("photos");
        std::fs::create_dir_all(&sub)?;
        std::fs::write(root.join("db"), b"x")?;
        std::fs::write(sub.join("photo"), b"x")?;
        let outside = tmp.path().join("outside");
        std::fs::write(&outside, b"x")?;
        std::os::unix::fs::symlink(&outside, sub.join("link"))?;
        for p in [&root, &sub] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755))?;
        }
        for p in [root.join("db"), sub.join("photo"), outside.clone()] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o644))?;
        }
        make_private(&root)?;
        assert_eq!(mode(&root)?, DIR_MODE);
        assert_eq!(mode(&sub)?, DIR_MODE);
        assert_eq!(mode(&root.join("db"))?, FILE_MODE);
        assert_eq!(mode(&sub.join("photo"))?, FILE_MODE);
        assert_eq!(mode(&outside)?, 0o644, "a link's target is not touched");
        Ok(())
    }

    #[test]
    fn an_existing_file_becomes_private_when_rewritten() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let path = tmp.path().join("f");
        std::fs::write(&path, b"old")?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666))?;
        write_private(&path, b"new")?;
        assert_eq!(mode(&path)?, FILE_MODE);
        assert_eq!(std::fs::read(&path)?, b"new");
        private_file(&path)?;
        assert_eq!(
            std::fs::read(&path)?,
            b"new",
            "an existing file keeps its content"
        );
        Ok(())
    }
}
