//! IPC commands, one module per domain. Each is a few lines handing off to `okpay-core`;
//! every error crosses as `{code, message}` (`okpay_core::ApiError`). The list of them all is
//! `list.rs` (`with_ipc_commands!`).

pub mod account;
pub mod app;
pub mod auth;
pub mod camera;
pub mod card;
pub mod photos;
pub mod verification;

include!("list.rs");
pub(crate) use with_ipc_commands;

/// The result type of every command.
pub type CmdResult<T> = Result<T, okpay_core::ApiError>;
