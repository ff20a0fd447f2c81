//! Sessions: a family per login, rotating refresh tokens and short-lived access tokens.
//! Only SHA-256 fingerprints of tokens are stored. A family ends a fixed time after its
//! login however often it is refreshed (no token is issued past that end), and [`purge`]
//! deletes, a bounded batch at a time, the rows nothing can use any more.

use crate::clock;
use crate::secrets;
use okpay_rules::contract::TokenReply;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::BTreeSet;

/// Most rows of each kind one [`purge`] deletes.
pub const PURGE_BATCH: usize = 200;

/// Token lifetimes and the absolute session lifetime, in milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    pub access_ms: i64,
    pub refresh_ms: i64,
    /// From login to the end of the family.
    pub session_ms: i64,
}

/// What one [`purge`] deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub access_tokens: usize,
    pub refresh_tokens: usize,
    pub families: usize,
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
    let now = clock::now_ms();
    conn.execute(
        "INSERT INTO session_families (id, user_id, created_at, created_at_ms)
         VALUES (?1, ?2, ?3, ?4)",
        params![family, user_id, now / 1000, now],
    )?;
    issue(conn, &family, now.saturating_add(lt.session_ms), lt)
}

/// Issue a token pair in the family, neither living past `ends_at_ms`, the family's end.
fn issue(
    conn: &Connection,
    family_id: &str,
    ends_at_ms: i64,
    lt: Lifetimes,
) -> rusqlite::Result<TokenReply> {
    let now = clock::now_ms();
    let access_until = now.saturating_add(lt.access_ms).min(ends_at_ms);
    let refresh_until = now.saturating_add(lt.refresh_ms).min(ends_at_ms);
    let access = secrets::new_token();
    let refresh = secrets::new_token();
    conn.execute(
        "INSERT INTO access_tokens (token_hash, family_id, expires_at_ms) VALUES (?1, ?2, ?3)",
        params![fingerprint(&access), family_id, access_until],
    )?;
    conn.execute(
        "INSERT INTO refresh_tokens (token_hash, family_id, expires_at_ms) VALUES (?1, ?2, ?3)",
        params![fingerprint(&refresh), family_id, refresh_until],
    )?;
    Ok(TokenReply {
        access_token: access,
        refresh_token: refresh,
        expires_in: super::sql::to_u64(access_until.saturating_sub(now) / 1000),
    })
}

/// The owner of a live access token (not expired, family not revoked). No access token
/// outlives its family: [`issue`] caps its expiry at the family's end.
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

/// A presented refresh token's row and its family's.
struct Presented {
    family: String,
    expires_at_ms: i64,
    consumed: bool,
    revoked: bool,
    family_created_at_ms: i64,
}

/// Exchange a refresh token for new tokens; a second use revokes the family. A family past
/// its absolute lifetime refreshes no more.
pub fn rotate(
    conn: &Connection,
    refresh_token: &str,
    lt: Lifetimes,
) -> rusqlite::Result<RefreshOutcome> {
    let hash = fingerprint(refresh_token);
    let row = conn
        .query_row(
            "SELECT r.family_id, r.expires_at_ms, r.consumed_at IS NOT NULL,
                    f.revoked_at IS NOT NULL, f.created_at_ms
             FROM refresh_tokens r JOIN session_families f ON f.id = r.family_id
             WHERE r.token_hash = ?1",
            [&hash],
            |r| {
                Ok(Presented {
                    family: r.get(0)?,
                    expires_at_ms: r.get(1)?,
                    consumed: r.get(2)?,
                    revoked: r.get(3)?,
                    family_created_at_ms: r.get(4)?,
                })
            },
        )
        .optional()?;
    let Some(token) = row else {
        return Ok(RefreshOutcome::Invalid);
    };
    let now = clock::now_ms();
    let ends_at_ms = token.family_created_at_ms.saturating_add(lt.session_ms);
    if token.revoked || token.expires_at_ms <= now || ends_at_ms <= now {
        return Ok(RefreshOutcome::Invalid);
    }
    let family = token.family;
    if token.consumed {
        revoke_family(conn, &family)?;
        tracing::warn!("refresh token reused: session family revoked");
        return Ok(RefreshOutcome::Reused);
    }
    conn.execute(
        "UPDATE refresh_tokens SET consumed_at = ?2 WHERE token_hash = ?1",
        params![hash, clock::now_secs()],
    )?;
    issue(conn, &family, ends_at_ms, lt).map(RefreshOutcome::Rotated)
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

/// Delete, at most `limit` of each, the token rows nothing can use any more — expired access
/// and refresh tokens, refresh tokens of revoked families and of families past their
/// lifetime (as of `now_ms`) — and the families left without tokens. A consumed refresh
/// token stays until it expires, so that presenting it again still revokes its family.
pub fn purge(
    conn: &Connection,
    now_ms: i64,
    lt: Lifetimes,
    limit: usize,
) -> rusqlite::Result<Purged> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut touched = BTreeSet::new();
    let access_tokens = delete_tokens(
        conn,
        "access_tokens",
        "SELECT rowid, family_id FROM access_tokens WHERE expires_at_ms <= ?1 LIMIT ?2",
        params![now_ms, limit],
        &mut touched,
    )?;
    let expired = delete_tokens(
        conn,
        "refresh_tokens",
        "SELECT rowid, family_id FROM refresh_tokens WHERE expires_at_ms <= ?1 LIMIT ?2",
        params![now_ms, limit],
        &mut touched,
    )?;
    let ended = delete_tokens(
        conn,
        "refresh_tokens",
        "SELECT r.rowid, r.family_id FROM refresh_tokens r
         JOIN session_families f ON f.id = r.family_id
         WHERE f.revoked_at IS NOT NULL OR f.created_at_ms <= ?1 LIMIT ?2",
        params![now_ms.saturating_sub(lt.session_ms), limit],
        &mut touched,
    )?;
    let mut families = 0;
    for family in &touched {
        families += conn.execute(
            "DELETE FROM session_families WHERE id = ?1
             AND NOT EXISTS (SELECT 1 FROM refresh_tokens WHERE family_id = ?1)
             AND NOT EXISTS (SELECT 1 FROM access_tokens WHERE family_id = ?1)",
            [family],
        )?;
    }
    Ok(Purged {
        access_tokens,
        refresh_tokens: expired + ended,
        families,
    })
}

/// Delete the rows of `table` that `select` lists as `(rowid, family_id)`, noting their
/// families in `touched`; → how many.
fn delete_tokens(
    conn: &Connection,
    table: &str,
    select: &str,
    args: impl rusqlite::Params,
    touched: &mut BTreeSet<String>,
) -> rusqlite::Result<usize> {
    let rows = conn
        .prepare(select)?
        .query_map(args, |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut delete = conn.prepare(&format!("DELETE FROM {table} WHERE rowid = ?1"))?;
    for (rowid, family) in &rows {
        delete.execute([rowid])?;
        touched.insert(family.clone());
    }
    Ok(rows.len())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const DAY_MS: i64 = 24 * 3600 * 1000;
    const LT: Lifetimes = Lifetimes {
        access_ms: 15 * 60 * 1000,
        refresh_ms: 30 * DAY_MS,
        session_ms: 90 * DAY_MS,
    };

    fn db() -> (Connection, String) {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        crate::migrate::run(&mut conn).unwrap();
        let user = crate::store::users::insert(&conn, "a@example.com", "hash").unwrap();
        (conn, user)
    }

    fn count(conn: &Connection, table: &str) -> i64 {
        conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    fn counts(conn: &Connection) -> [i64; 3] {
        [
            count(conn, "session_families"),
            count(conn, "refresh_tokens"),
            count(conn, "access_tokens"),
        ]
    }

    #[test]
    fn a_purge_deletes_a_bounded_batch_and_the_families_it_empties() {
        let (conn, user) = db();
        for _ in 0..3 {
            start(&conn, &user, LT).unwrap();
        }
        let later = clock::now_ms() + 31 * DAY_MS;
        let first = purge(&conn, later, LT, 2).unwrap();
        assert_eq!((first.access_tokens, first.refresh_tokens), (2, 2));
        assert_eq!(counts(&conn)[1..], [1, 1]);
        let second = purge(&conn, later, LT, 2).unwrap();
        assert_eq!((second.access_tokens, second.refresh_tokens), (1, 1));
        assert_eq!(first.families + second.families, 3);
        assert_eq!(counts(&conn), [0, 0, 0]);
    }

    #[test]
    fn a_purge_keeps_what_still_works_and_reuse_is_still_caught() {
        let (conn, user) = db();
        let live = start(&conn, &user, LT).unwrap();
        let rotated = match rotate(&conn, &live.refresh_token, LT).unwrap() {
            RefreshOutcome::Rotated(reply) => reply,
            _ => panic!("a fresh token rotates"),
        };
        let revoked = start(&conn, &user, LT).unwrap();
        let family = family_of_refresh(&conn, &revoked.refresh_token)
            .unwrap()
            .unwrap();
        revoke_family(&conn, &family).unwrap();
        assert_eq!(counts(&conn), [2, 3, 2]);

        let purged = purge(&conn, clock::now_ms(), LT, PURGE_BATCH).unwrap();
        assert_eq!(
            purged,
            Purged {
                access_tokens: 0,
                refresh_tokens: 1,
                families: 1
            }
        );
        // The live family keeps both refresh rows: the consumed one still catches a replay.
        assert_eq!(counts(&conn), [1, 2, 2]);
        assert!(
            authenticate(&conn, &rotated.access_token)
                .unwrap()
                .is_some()
        );
        assert!(matches!(
            rotate(&conn, &live.refresh_token, LT).unwrap(),
            RefreshOutcome::Reused
        ));
    }

    #[test]
    fn a_family_past_its_lifetime_is_purged_even_with_unexpired_tokens() {
        let (conn, user) = db();
        start(&conn, &user, LT).unwrap();
        let shorter = Lifetimes {
            session_ms: 0,
            ..LT
        };
        let purged = purge(&conn, clock::now_ms(), shorter, PURGE_BATCH).unwrap();
        assert_eq!(purged.refresh_tokens, 1);
        assert_eq!(
            counts(&conn),
            [1, 0, 1],
            "its access token waits for its expiry"
        );
        purge(&conn, clock::now_ms() + LT.access_ms, shorter, PURGE_BATCH).unwrap();
        assert_eq!(counts(&conn), [0, 0, 0]);
    }

    #[test]
    fn no_token_outlives_its_family() {
        let (conn, user) = db();
        let lt = Lifetimes {
            session_ms: 60_000,
            ..LT
        };
        let reply = start(&conn, &user, lt).unwrap();
        assert!(reply.expires_in <= 60);
        let latest: i64 = conn
            .query_row("SELECT MAX(expires_at_ms) FROM refresh_tokens", [], |r| {
                r.get(0)
            })
            .unwrap();
        let created: i64 = conn
            .query_row("SELECT created_at_ms FROM session_families", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(latest, created + 60_000);
    }
}
