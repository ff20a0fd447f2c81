//! OKPay client core: everything the app and the CLI do that needs no window. The API
//! client ([`api`]), the keychain-backed session ([`session`], [`keychain`]), the
//! verification flow ([`flow`]) and configuration ([`config`]). The rules shared with the
//! server (validation, wire types) and the photo engine are re-exported from `okpay-rules` and
//! `okpay-photo`.

#[cfg(target_os = "android")]
pub mod android_assets;
#[cfg(target_os = "android")]
pub mod android_context;
pub mod api;
mod atomic_write;
pub mod card;
pub mod config;
pub mod error;
pub mod flow;
pub mod keychain;
pub mod local_photos;
pub mod outbox;
pub mod photo_drafts;
mod retry;
pub mod sealed;
pub mod session;
mod upload;

pub use error::Error;
pub use okpay_ocr as ocr;
pub use okpay_photo::{self as photo, quality};
pub use okpay_rules::{ApiError, ErrorCode, Sensitive, contract, validate};
pub use retry::RetryPolicy;
