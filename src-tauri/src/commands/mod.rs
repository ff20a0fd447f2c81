//! IPC commands, one module per domain. Each is a few lines handing off to `okpay-core`;
//! every error crosses as `{code, message}` (`okpay_core::ApiError`).

pub mod account;
pub mod app;
pub mod auth;
pub mod photos;
pub mod verification;

/// The result type of every command.
pub type CmdResult<T> = Result<T, okpay_core::ApiError>;
