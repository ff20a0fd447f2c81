//! Accounts: normalised login and argon2 password hash.

use crate::clock;
use crate::error::{AppError, AppResult};
use crate::secrets;
use okpay_rules::ErrorCode;
use rusqlite::{Connection, OptionalExtension, params};

/// One account.
pub struct UserRow {
    pub id: String,
    pub login: String,
    pub password_hash: String,
}

/// Create an account; `ACCOUNT_EXISTS` when the login is taken.
pub fn insert(conn: &Connection, login: &str, password_hash: &str) -> AppResult<String> {
    let id = secrets::new_id();
    match conn.execute(
        "INSERT INTO users (id, login, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![id, login, password_hash, clock::now_secs()],
    ) {
        Ok(_) => Ok(id),
        Err(e) if super::sql::is_unique_violation(&e) => {
            Err(AppError::new(ErrorCode::AccountExists))
        }
        Err(e) => Err(e.into()),
    }
}

fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        id: r.get(0)?,
        login: r.get(1)?,
        password_hash: r.get(2)?,
    })
}

pub fn by_login(conn: &Connection, login: &str) -> rusqlite::Result<Option<UserRow>> {
    conn.query_row(
        "SELECT id, login, password_hash FROM users WHERE login = ?1",
        [login],
        user_row,
    )
    .optional()
}

pub fn by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<UserRow>> {
    conn.query_row(
        "SELECT id, login, password_hash FROM users WHERE id = ?1",
        [id],
        user_row,
    )
    .optional()
}
