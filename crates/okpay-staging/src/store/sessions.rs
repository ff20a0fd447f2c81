//! Sessions: a family per login, rotating refresh tokens and short-lived access tokens.
//! Only SHA-256 fingerprints of tokens are stored.

use crate::clock;
use crate::secrets;
use okpay_rules::contract::TokenReply;
use rusqlite::{Connection, OptionalExtension, params};

/// Token lifetimes in milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    pub access_ms: i64,
    pub refresh_ms: i64,
}

/// Who an access token belongs to.
#[derive(Debug, Clone)]
pub struct Authed {
    pub user_id: String,
    pub family_id: String,
}

/// What presenting a refresh token led to.
pub enum RefreshOutcome {
    /// The token was valid: it is consumed and these replace it.
    Rotated(TokenReply),
    /// The token had already been used: its whole family is now revoked.
    Reused,
    /// Unknown, expired or revoked.
    Invalid,
}

fn fingerprint(token: &str) -> String {
    secrets::sha256_hex(token.as_bytes())
}

/// Start a new session family for a user and issue its first tokens.
pub fn start(conn: &Connection, user_id: &str, lt: Lifetimes) -> rusqlite::Result<TokenReply> {
    let family = secrets::new_id();
    conn.execute(
        "INSERT INTO session_families (id, user_id, created_at) VALUES (?1, ?2, ?3)",
        params![family, user_id, clock::now_secs()],
    )?;
    issue(conn, &family, lt)
}

fn issue(conn: &Connection, family_id: &str, lt: Lifetimes) -> rusqlite::Result<TokenReply> {
    let now = clock::now_ms();
    let access = secrets::new_token();
    let refresh = secrets::new_token();
    conn.execute(
        "INSERT INTO access_tokens (token_hash, family_id, expires_at_ms) VALUES (?1, ?2, ?3)",
        params![
            fingerprint(&access),
            family_id,
            now.saturating_add(lt.access_ms)
        ],
    )?;
    conn.execute(
        "INSERT INTO refresh_tokens (token_hash, family_id, expires_at_ms) VALUES (?1, ?2, ?3)",
        params![
            fingerprint(&refresh),
            family_id,
            now.saturating_add(lt.refresh_ms)
        ],
    )?;
    Ok(TokenReply {
        access_token: access,
        refresh_token: refresh,
        expires_in: super::sql::to_u64(lt.access_ms / 1000),
    })
}

/// The owner of a live access token (not expired, family not revoked).
pub fn authenticate(conn: &Connection, access_token: &str) -> rusqlite::Result<Option<Authed>> {
    conn.query_row(
        "SELECT f.user_id, f.id FROM access_tokens a JOIN session_families f ON f.id = a.family_id
         WHERE a.token_hash = ?1 AND a.expires_at_ms > ?2 AND f.revoked_at IS NULL",
        params![fingerprint(access_token), clock::now_ms()],
        |r| {
            Ok(Authed {
                user_id: r.get(0)?,
                family_id: r.get(1)?,
            })
        },
    )
    .optional()
}

/// Exchange a refresh token for new tokens; a second use revokes the family.
pub fn rotate(
    conn: &Connection,
    refresh_token: &str,
    lt: Lifetimes,
) -> rusqlite::Result<RefreshOutcome> {
    let hash = fingerprint(refresh_token);
    let row: Option<(String, i64, Option<i64>, Option<i64>)> = conn
        .query_row(
            "SELECT r.family_id, r.expires_at_ms, r.consumed_at, f.revoked_at
             FROM refresh_tokens r JOIN session_families f ON f.id = r.family_id
             WHERE r.token_hash = ?1",
            [&hash],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((family, expires_at_ms, consumed_at, revoked_at)) = row else {
        return Ok(RefreshOutcome::Invalid);
    };
    if revoked_at.is_some() || expires_at_ms <= clock::now_ms() {
        return Ok(RefreshOutcome::Invalid);
    }
    if consumed_at.is_some() {
        revoke_family(conn, &family)?;
        tracing::warn!("refresh token reused: session family revoked");
        return Ok(RefreshOutcome::Reused);
    }
    conn.execute(
        "UPDATE refresh_tokens SET consumed_at = ?2 WHERE token_hash = ?1",
        params![hash, clock::now_secs()],
    )?;
    issue(conn, &family, lt).map(RefreshOutcome::Rotated)
}

/// The family a refresh token belongs to, if it exists.
pub fn family_of_refresh(
    conn: &Connection,
    refresh_token: &str,
) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT family_id FROM refresh_tokens WHERE token_hash = ?1",
        [fingerprint(refresh_token)],
        |r| r.get(0),
    )
    .optional()
}

/// End a session: its refresh and access tokens stop working.
pub fn revoke_family(conn: &Connection, family_id: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE session_families SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![family_id, clock::now_secs()],
    )?;
    conn.execute(
        "DELETE FROM access_tokens WHERE family_id = ?1",
        [family_id],
    )?;
    Ok(())
}
