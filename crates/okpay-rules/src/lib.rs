//! OKPay verification rules and the wire contract shared by the app, the CLI and the
//! staging server: stable error codes, API request/response types, the `Sensitive`
//! wrapper for secrets, field validation and photo checks. Pure Rust, no I/O.

pub mod contract;
pub mod error;
pub mod photo;
pub mod quality;
pub mod secret;
#[cfg(any(test, feature = "specimen"))]
pub mod specimen;
pub mod validate;

pub use error::{ApiError, ErrorCode};
pub use secret::Sensitive;
