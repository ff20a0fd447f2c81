//! okpay-staging: the stand-in of the OKPay wallet verification API for local runs and
//! tests. A real HTTP server (axum) over a real embedded database (SQLite) serving the
//! `/v1` API described in `docs/openapi.yaml`: accounts and sessions, the real-name
//! verification application with photo uploads, an automatic reviewer (which can read the
//! cards with the app's own reader) or a manual one, and
//! tester controls behind an admin token.
//!
//! In-process use (tests):
//! ```no_run
//! # async fn demo() -> Result<(), okpay_staging::StagingError> {
//! let dir = std::env::temp_dir().join("okpay-staging-example");
//! let mut config = okpay_staging::Config::new(dir, "admin-secret");
//! config.review = okpay_staging::ReviewMode::Manual;
//! config.fast_password_hashing_for_tests = true;
//! let (addr, server) = okpay_staging::spawn(config, ([127, 0, 0, 1], 0).into()).await?;
//! // ... talk to http://{addr}/v1/...
//! server.stop().await;
//! # Ok(()) }
//! ```

mod admin_token;
mod api;
mod card_review;
mod clock;
mod config;
mod connections;
mod data_dir;
mod db;
mod deadline;
mod error;
mod extract;
mod migrate;
mod notify;
mod password;
mod poll_slots;
mod ratelimit;
mod reviewer;
mod routes;
mod secrets;
mod server;
mod state;
mod store;

pub use admin_token::{ADMIN_TOKEN_FILE, load_or_create as load_or_create_admin_token};
pub use config::{Config, DEMO_LOGIN, DEMO_PASSWORD, ReviewMode};
pub use error::StagingError;
pub use password::HashingStats;
pub use routes::{NO_ROUTE_MESSAGE, route_table};
pub use server::{ServerHandle, compose, spawn};
pub use state::{DB_FILE, PHOTOS_DIR, Staging};
