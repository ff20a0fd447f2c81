//! The SQLite handle: one connection behind a mutex, used only from the blocking pool so
//! the async runtime never waits on disk.

use crate::error::{AppError, AppResult, StagingError};
use crate::migrate;
use rusqlite::Connection;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Shared database handle. Cloning shares the connection.
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

impl Db {
    /// Open (or create) the database file and bring its schema up to date.
    pub fn open(path: &Path) -> Result<Db, StagingError> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate::run(&mut conn)?;
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Use the connection on the current thread. Only for start-up and the blocking pool.
    pub fn with<R>(&self, f: impl FnOnce(&mut Connection) -> R) -> R {
        f(&mut lock(&self.conn))
    }

    /// Run `f` with the connection on the blocking pool.
    pub async fn call<R, F>(&self, f: F) -> AppResult<R>
    where
        F: FnOnce(&mut Connection) -> AppResult<R> + Send + 'static,
        R: Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || f(&mut lock(&conn)))
            .await
            .map_err(AppError::from)?
    }
    /// Run `f` inside one transaction on the blocking pool: committed when `f` succeeds,
    /// rolled back when it fails.
    pub async fn transaction<R, F>(&self, f: F) -> AppResult<R>
    where
        F: FnOnce(&rusqlite::Transaction<'_>) -> AppResult<R> + Send + 'static,
        R: Send + 'static,
    {
        self.call(move |c| {
            let tx = c.transaction()?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })
        .await
    }
}

/// A poisoned lock only means another request panicked mid-way; SQLite rolled its
/// transaction back, so the connection is still usable.
fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    conn.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
