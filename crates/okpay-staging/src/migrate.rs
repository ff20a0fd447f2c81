//! Schema migrations, applied in order at open and tracked in `PRAGMA user_version`.
//! Times are unix seconds, except the `*_ms` columns (unix milliseconds) that the token
//! expiry and the reviewer's timer need. `applications.kept_tier` keeps a verified account
//! verified while an approved change of details is resubmitted.

use crate::error::StagingError;
use rusqlite::Connection;

/// Each entry moves the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE TABLE session_families (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE TABLE refresh_tokens (
    token_hash    TEXT PRIMARY KEY,
    family_id     TEXT NOT NULL REFERENCES session_families(id),
    expires_at_ms INTEGER NOT NULL,
    consumed_at   INTEGER
);
CREATE TABLE access_tokens (
    token_hash    TEXT PRIMARY KEY,
    family_id     TEXT NOT NULL REFERENCES session_families(id),
    expires_at_ms INTEGER NOT NULL
);
CREATE TABLE applications (
    id                 TEXT PRIMARY KEY,
    user_id            TEXT NOT NULL UNIQUE REFERENCES users(id),
    status             TEXT NOT NULL,
    revision           INTEGER NOT NULL,
    name               TEXT,
    id_number          TEXT,
    validity_json      TEXT,
    submitted_at_ms    INTEGER,
    submitted_revision INTEGER,
    decided_at         INTEGER,
    reasons_json       TEXT NOT NULL DEFAULT '[]',
    created_at         INTEGER NOT NULL
);
CREATE INDEX applications_by_status ON applications(status, submitted_at_ms);
CREATE TABLE photos (
    application_id TEXT NOT NULL REFERENCES applications(id),
    side           TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    bytes          INTEGER NOT NULL,
    width          INTEGER NOT NULL,
    height         INTEGER NOT NULL,
    uploaded_at    INTEGER NOT NULL,
    PRIMARY KEY (application_id, side)
);
CREATE TABLE idempotency_keys (
    user_id            TEXT NOT NULL REFERENCES users(id),
    key                TEXT NOT NULL,
    application_id     TEXT NOT NULL REFERENCES applications(id),
    submitted_revision INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
);
"#,
    r#"
ALTER TABLE applications ADD COLUMN consent_version TEXT;
ALTER TABLE applications ADD COLUMN consent_at INTEGER;
"#,
    r#"
ALTER TABLE applications ADD COLUMN card_read_json TEXT;
"#,
    r#"
ALTER TABLE photos ADD COLUMN fingerprint TEXT;
CREATE TABLE photo_uploads (
    user_id TEXT NOT NULL,
    at_ms   INTEGER NOT NULL
);
CREATE INDEX photo_uploads_by_user ON photo_uploads(user_id, at_ms);
"#,
    r#"
ALTER TABLE session_families ADD COLUMN created_at_ms INTEGER NOT NULL DEFAULT 0;
UPDATE session_families SET created_at_ms = created_at * 1000;
CREATE INDEX session_families_by_age ON session_families(created_at_ms);
CREATE INDEX session_families_revoked ON session_families(revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens(expires_at_ms);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens(family_id);
CREATE INDEX access_tokens_by_expiry ON access_tokens(expires_at_ms);
CREATE INDEX access_tokens_by_family ON access_tokens(family_id);
"#,
    r#"
CREATE TABLE throttle_events (
    bucket        TEXT NOT NULL,
    attempt       TEXT NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    pending       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX throttle_events_by_bucket ON throttle_events(bucket, expires_at_ms);
CREATE INDEX throttle_events_by_attempt ON throttle_events(attempt);
CREATE INDEX throttle_events_by_expiry ON throttle_events(expires_at_ms);
CREATE TABLE known_devices (
    token_hash   TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL
);
CREATE INDEX known_devices_by_use ON known_devices(last_used_at);
"#,
    r#"
ALTER TABLE applications ADD COLUMN kept_tier INTEGER NOT NULL DEFAULT 0;
CREATE TABLE support_seq (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO support_seq (id, seq) VALUES (1, 0);
CREATE TABLE support_conversations (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(id),
    topic          TEXT NOT NULL,
    status         TEXT NOT NULL,
    subject        TEXT NOT NULL,
    application_id TEXT REFERENCES applications(id),
    created_at_ms  INTEGER NOT NULL,
    updated_at_ms  INTEGER NOT NULL,
    seq            INTEGER NOT NULL
);
CREATE INDEX support_conversations_by_user ON support_conversations(user_id, seq);
CREATE INDEX support_conversations_by_status ON support_conversations(status, created_at_ms);
CREATE TABLE support_messages (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    conversation_id TEXT NOT NULL REFERENCES support_conversations(id),
    author          TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX support_messages_by_conversation ON support_messages(conversation_id, seq);
CREATE TABLE support_read_markers (
    conversation_id TEXT NOT NULL REFERENCES support_conversations(id),
    reader          TEXT NOT NULL,
    last_seq        INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, reader)
);
CREATE TABLE support_change_requests (
    conversation_id TEXT PRIMARY KEY REFERENCES support_conversations(id),
    name            TEXT NOT NULL,
    id_number       TEXT NOT NULL,
    validity_json   TEXT,
    state           TEXT NOT NULL,
    reason          TEXT,
    decided_at      INTEGER
);
"#,
];

/// Apply every migration the database has not seen yet.
pub fn run(conn: &mut Connection) -> Result<(), StagingError> {
    let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > known {
        return Err(StagingError::SchemaTooNew { found, known });
    }
    for (version, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(found).unwrap_or(0))
    {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(
            None,
            "user_version",
            i64::try_from(version + 1).unwrap_or(i64::MAX),
        )?;
        tx.commit()?;
        tracing::info!(version = version + 1, "database schema migrated");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_is_idempotent() -> Result<(), StagingError> {
        let mut conn = Connection::open_in_memory()?;
        run(&mut conn)?;
        run(&mut conn)?;
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        assert_eq!(v, MIGRATIONS.len() as i64);
        Ok(())
    }
}
