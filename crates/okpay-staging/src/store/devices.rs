//! Known devices: a token handed to a client on a successful sign-in, by which the login
//! limits (`crate::ratelimit`) tell an account's own devices from everyone else. Only the
//! token's SHA-256 fingerprint is stored; a device unused for the configured time, or
//! beyond the most recent [`MAX_PER_ACCOUNT`] of its account, is forgotten.

use crate::secrets;
use rusqlite::{Connection, OptionalExtension, params};

/// Known devices kept per account (a client that never keeps its token makes a new one
/// at every sign-in).
pub const MAX_PER_ACCOUNT: i64 = 20;

/// The stored fingerprint of a device token.
pub fn fingerprint(token: &str) -> String {
    secrets::sha256_hex(token.as_bytes())
}

/// The account whose device `fingerprint` is, if it signed in within `ttl_secs`.
pub fn owner(
    conn: &Connection,
    fingerprint: &str,
    now_secs: i64,
    ttl_secs: i64,
) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT user_id FROM known_devices WHERE token_hash = ?1 AND last_used_at > ?2",
        params![fingerprint, now_secs.saturating_sub(ttl_secs)],
        |r| r.get(0),
    )
    .optional()
}

/// A new device token for `user_id`; devices unused for `ttl_secs`, and the account's
/// beyond its most recent [`MAX_PER_ACCOUNT`], forgotten.
pub fn remember(
    conn: &Connection,
    user_id: &str,
    now_secs: i64,
    ttl_secs: i64,
) -> rusqlite::Result<String> {
    conn.execute(
        "DELETE FROM known_devices WHERE last_used_at <= ?1",
        [now_secs.saturating_sub(ttl_secs)],
    )?;
    let token = secrets::new_token();
    conn.execute(
        "INSERT INTO known_devices (token_hash, user_id, created_at, last_used_at)
         VALUES (?1, ?2, ?3, ?3)",
        params![fingerprint(&token), user_id, now_secs],
    )?;
    conn.execute(
        "DELETE FROM known_devices WHERE user_id = ?1 AND token_hash NOT IN (
             SELECT token_hash FROM known_devices WHERE user_id = ?1
             ORDER BY last_used_at DESC, rowid DESC LIMIT ?2)",
        params![user_id, MAX_PER_ACCOUNT],
    )?;
    Ok(token)
}

/// Note a successful sign-in from a known device.
pub fn touch(conn: &Connection, fingerprint: &str, now_secs: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE known_devices SET last_used_at = ?2 WHERE token_hash = ?1",
        params![fingerprint, now_secs],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_known_to_its_account_until_unused_for_the_ttl() -> rusqlite::Result<()> {
        let mut conn = Connection::open_in_memory()?;
        crate::migrate::run(&mut conn).unwrap_or_else(|e| panic!("{e}"));
        conn.execute(
            "INSERT INTO users (id, login, password_hash, created_at) VALUES ('u', 'l', 'h', 0)",
            [],
        )?;
        let token = remember(&conn, "u", 100, 50)?;
        let fp = fingerprint(&token);
        assert_eq!(owner(&conn, &fp, 149, 50)?.as_deref(), Some("u"));
        assert_eq!(owner(&conn, &fp, 150, 50)?, None);
        touch(&conn, &fp, 140)?;
        assert_eq!(owner(&conn, &fp, 189, 50)?.as_deref(), Some("u"));
        assert_eq!(owner(&conn, &fingerprint("made-up"), 120, 50)?, None);
        // Remembering another device forgets the ones unused for the ttl…
        remember(&conn, "u", 300, 50)?;
        let count = |conn: &Connection| -> rusqlite::Result<i64> {
            conn.query_row("SELECT COUNT(*) FROM known_devices", [], |r| r.get(0))
        };
        assert_eq!(count(&conn)?, 1);
        // … and the account keeps its most recent ones only.
        let mut last = String::new();
        for _ in 0..MAX_PER_ACCOUNT + 5 {
            last = remember(&conn, "u", 300, 50)?;
        }
        assert_eq!(count(&conn)?, MAX_PER_ACCOUNT);
        assert_eq!(
            owner(&conn, &fingerprint(&last), 300, 50)?.as_deref(),
            Some("u")
        );
        Ok(())
    }
}
