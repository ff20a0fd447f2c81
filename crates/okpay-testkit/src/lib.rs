//! The workspace's test kit, shared by every crate's tests so that each set-up is written
//! once: [`staging`] starts an in-process okpay-staging on a loopback port in a temporary
//! data dir (seeded account, cheap password hashing, manual or delayed automatic review),
//! [`proxy`] puts a fault-injecting TCP proxy in front of a server, and [`fixtures`] holds
//! the shared account, tokens, ID numbers and specimen ID-card photos, and [`pick`] puts
//! them into a client's flow as if the user had picked them.
//!
//! A dev-dependency only, never a dependency of a shipped crate. Like the tests that use
//! it, it panics when its set-up fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod fixtures;
pub mod pick;
pub mod proxy;
pub mod staging;

pub use fixtures::{ADMIN, ID_NUMBER, LOGIN, PASSWORD};
pub use okpay_staging::ReviewMode;
pub use proxy::{Fault, FaultProxy};
pub use staging::Staging;
