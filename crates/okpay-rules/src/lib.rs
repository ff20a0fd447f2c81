//! OKPay's rules and wire contract, shared by the app, the CLI and the staging server: the
//! closed set of error codes and the one `{code, message}` shape ([`error`]), the `/v1`
//! request and response types ([`contract`]), [`Sensitive`] for secrets, and field validation
//! ([`validate`]). Pure Rust, no I/O, no images: the photo engine is `okpay-photo`.

pub mod contract;
pub mod error;
pub mod secret;
pub mod validate;

pub use error::{ApiError, ErrorCode};
pub use secret::Sensitive;
