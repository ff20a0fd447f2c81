//! Request handlers of the `/v1` API, one module per area.

pub mod account;
pub mod admin;
pub mod auth;
pub mod health;
pub mod photos;
pub mod submit;
pub mod support;
pub mod support_desk;
pub mod verification;
