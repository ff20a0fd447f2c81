//! Counted attempts for the rate limits (`crate::ratelimit` decides the buckets): one row
//! per bucket an attempt is counted in, until it expires. An attempt is counted in all its
//! buckets or in none, checked and written in one write transaction, so parallel requests
//! (and servers sharing the database) cannot all pass the same check. It stays pending
//! until its password is checked: then released (right) or settled (wrong).

use crate::secrets;
use rusqlite::{Connection, OptionalExtension, params};

/// The wait told while a full bucket holds attempts still being checked: one may be
/// released in a moment.
const PENDING_WAIT_MS: i64 = 1000;

/// One counter: its key (a fingerprint, never a login or an address in clear), how many
/// live events it may hold, and how long an event lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    pub key: String,
    pub limit: u32,
    pub window_ms: i64,
}

/// What [`reserve`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reserved {
    /// Counted in every bucket under this attempt id.
    Taken(String),
    /// A bucket is full, so nothing was counted; a slot frees in this many ms (a second
    /// when the bucket holds attempts still being checked).
    Full { retry_after_ms: i64 },
}

/// Count one attempt in every bucket, or in none when one of them is full. Expired events
/// are deleted first. Run it inside a write (`IMMEDIATE`) transaction.
pub fn reserve(conn: &Connection, buckets: &[Bucket], now_ms: i64) -> rusqlite::Result<Reserved> {
    purge(conn, now_ms)?;
    let mut full = false;
    let mut wait_ms = 0;
    for b in buckets {
        let live = live(conn, &b.key, now_ms)?;
        let limit = i64::from(b.limit);
        if live < limit {
            continue;
        }
        full = true;
        // The event whose expiry brings the bucket below its limit.
        let frees_at: Option<i64> = conn
            .query_row(
                "SELECT expires_at_ms FROM throttle_events WHERE bucket = ?1 AND expires_at_ms > ?2
                 ORDER BY expires_at_ms LIMIT 1 OFFSET ?3",
                params![b.key, now_ms, live - limit],
                |r| r.get(0),
            )
            .optional()?;
        let frees_at = frees_at.unwrap_or(now_ms.saturating_add(b.window_ms));
        let pending: i64 = conn.query_row(
            "SELECT COUNT(*) FROM throttle_events WHERE bucket = ?1 AND expires_at_ms > ?2 AND pending = 1",
            params![b.key, now_ms],
            |r| r.get(0),
        )?;
        let wait = if pending > 0 {
            PENDING_WAIT_MS
        } else {
            frees_at - now_ms
        };
        wait_ms = wait_ms.max(wait);
    }
    if full {
        return Ok(Reserved::Full {
            retry_after_ms: wait_ms,
        });
    }
    let attempt = secrets::new_id();
    for b in buckets {
        conn.execute(
            "INSERT INTO throttle_events (bucket, attempt, expires_at_ms) VALUES (?1, ?2, ?3)",
            params![b.key, attempt, now_ms.saturating_add(b.window_ms)],
        )?;
    }
    Ok(Reserved::Taken(attempt))
}

/// A wrong password: the attempt's events stay until they expire.
pub fn settle(conn: &Connection, attempt: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE throttle_events SET pending = 0 WHERE attempt = ?1",
        [attempt],
    )?;
    Ok(())
}

/// Take an attempt's events back: its password was right, or it was never checked.
pub fn release(conn: &Connection, attempt: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM throttle_events WHERE attempt = ?1", [attempt])?;
    Ok(())
}

/// Empty a bucket: whoever it counts proved the password.
pub fn clear(conn: &Connection, bucket: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM throttle_events WHERE bucket = ?1", [bucket])?;
    Ok(())
}

/// The events of a bucket that have not expired.
pub fn live(conn: &Connection, bucket: &str, now_ms: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) FROM throttle_events WHERE bucket = ?1 AND expires_at_ms > ?2",
        params![bucket, now_ms],
        |r| r.get(0),
    )
}

/// Delete expired events; how many there were.
fn purge(conn: &Connection, now_ms: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM throttle_events WHERE expires_at_ms <= ?1",
        [now_ms],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        crate::migrate::run(&mut conn).unwrap_or_else(|e| panic!("{e}"));
        conn
    }

    fn bucket(key: &str, limit: u32) -> Bucket {
        Bucket {
            key: key.to_owned(),
            limit,
            window_ms: 1000,
        }
    }

    fn rows(conn: &Connection) -> i64 {
        conn.query_row("SELECT COUNT(*) FROM throttle_events", [], |r| r.get(0))
            .unwrap_or(-1)
    }

    #[test]
    fn counts_in_all_buckets_or_none() -> rusqlite::Result<()> {
        let conn = db();
        let (small, big) = (bucket("small", 2), bucket("big", 10));
        let both = [big.clone(), small.clone()];
        let Reserved::Taken(first) = reserve(&conn, &both, 0)? else {
            panic!("first attempt refused");
        };
        let Reserved::Taken(second) = reserve(&conn, &both, 100)? else {
            panic!("second attempt refused");
        };
        // `small` is full of attempts being checked: come back in a second.
        assert_eq!(
            reserve(&conn, &both, 200)?,
            Reserved::Full {
                retry_after_ms: 1000
            }
        );
        // Both were wrong: the slot taken at 0 frees at 1000.
        settle(&conn, &first)?;
        settle(&conn, &second)?;
        assert_eq!(
            reserve(&conn, &both, 200)?,
            Reserved::Full {
                retry_after_ms: 800
            }
        );
        assert_eq!(
            (live(&conn, "small", 200)?, live(&conn, "big", 200)?),
            (2, 2)
        );
        assert!(matches!(reserve(&conn, &[big], 200)?, Reserved::Taken(_)));
        Ok(())
    }

    #[test]
    fn release_and_clear_free_slots_and_expired_rows_are_purged() -> rusqlite::Result<()> {
        let conn = db();
        let b = [bucket("b", 1)];
        let Reserved::Taken(first) = reserve(&conn, &b, 0)? else {
            panic!("first attempt refused");
        };
        assert!(matches!(reserve(&conn, &b, 10)?, Reserved::Full { .. }));
        release(&conn, &first)?;
        assert!(matches!(reserve(&conn, &b, 20)?, Reserved::Taken(_)));
        clear(&conn, "b")?;
        assert_eq!(rows(&conn), 0);

        reserve(&conn, &[bucket("old", 5)], 0)?;
        reserve(&conn, &[bucket("old", 5)], 500)?;
        assert_eq!(rows(&conn), 2);
        // At 1000 the first has expired: deleted by the next reservation, whatever its bucket.
        reserve(&conn, &[bucket("new", 5)], 1000)?;
        assert_eq!(rows(&conn), 2);
        assert_eq!(live(&conn, "old", 1000)?, 1);
        Ok(())
    }

    #[test]
    fn a_limit_of_zero_waits_a_whole_window() -> rusqlite::Result<()> {
        let conn = db();
        assert_eq!(
            reserve(&conn, &[bucket("none", 0)], 0)?,
            Reserved::Full {
                retry_after_ms: 1000
            }
        );
        Ok(())
    }
}
