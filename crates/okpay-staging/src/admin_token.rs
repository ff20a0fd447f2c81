//! The admin token kept in the data directory (`admin-token`, owner-only) when none is
//! given on the command line or in the environment.

use crate::data_dir;
use crate::secrets;
use std::io;
use std::path::Path;

/// File name of the persisted admin token inside the data directory.
pub const ADMIN_TOKEN_FILE: &str = "admin-token";

/// Read the persisted admin token, or create, persist and return a new random one.
pub fn load_or_create(dir: &Path) -> io::Result<String> {
    let path = dir.join(ADMIN_TOKEN_FILE);
    match std::fs::read_to_string(&path) {
        Ok(s) if !s.trim().is_empty() => return Ok(s.trim().to_owned()),
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    data_dir::create_private_dir(dir)?;
    let token = secrets::new_token();
    let tmp = dir.join(format!("{ADMIN_TOKEN_FILE}.tmp"));
    data_dir::write_private(&tmp, token.as_bytes())?;
    std::fs::rename(&tmp, &path)?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_once_then_reused() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let a = load_or_create(dir.path())?;
        let b = load_or_create(dir.path())?;
        assert_eq!(a, b);
        assert_eq!(a.len(), 43);
        Ok(())
    }
}
