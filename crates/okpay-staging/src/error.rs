//! Errors: [`StagingError`] for opening and starting the server, and [`AppError`], the
//! `{code, message}` reply every failing request gets.

use axum::Json;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use okpay_rules::{ApiError, ErrorCode};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Why the server could not be opened or started.
#[derive(Debug, thiserror::Error)]
pub enum StagingError {
    #[error("cannot use the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("the database schema version {found} is newer than this build knows ({known})")]
    SchemaTooNew { found: i64, known: i64 },
    #[error("seed account {login:?} is not valid: {code}")]
    InvalidSeedAccount { login: String, code: ErrorCode },
    #[error("password hashing failed: {0}")]
    PasswordHash(String),
    #[error("{what} failed: {message}")]
    Startup { what: &'static str, message: String },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// A failed request: answered as `okpay_rules::ApiError` with the code's HTTP status, and
/// a `Retry-After` (seconds) when the server knows when trying again can succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppError(pub ApiError, Option<u64>);

/// What handlers return.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(code: ErrorCode) -> AppError {
        AppError(ApiError::new(code), None)
    }

    pub fn with_message(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError(ApiError::with_message(code, message), None)
    }

    /// The same error, telling the client to wait `secs` seconds (at least 1) first.
    pub fn retry_after(self, secs: u64) -> AppError {
        AppError(self.0, Some(secs.max(1)))
    }

    pub fn code(&self) -> ErrorCode {
        self.0.code
    }

    /// An internal failure: logged here (without request data), answered as `INTERNAL`.
    pub fn internal(what: &str, err: impl std::fmt::Display) -> AppError {
        tracing::error!(%err, "{what}");
        AppError::new(ErrorCode::Internal)
    }
}

impl From<ErrorCode> for AppError {
    fn from(code: ErrorCode) -> Self {
        AppError::new(code)
    }
}

impl From<rusqlite::Error> for AppError {
    fn from(err: rusqlite::Error) -> Self {
        AppError::internal("database error", err)
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(err: tokio::task::JoinError) -> Self {
        AppError::internal("background task failed", err)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut res = error_response(self.0);
        if let Some(secs) = self.1 {
            res.headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(secs));
        }
        res
    }
}

/// The HTTP status of a code.
pub fn status_of(code: ErrorCode) -> StatusCode {
    StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// `{code, message}` with the code's status.
pub fn error_response(err: ApiError) -> Response {
    (status_of(err.code), Json(err)).into_response()
}
