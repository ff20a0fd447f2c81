//! Database access, one module per table group. Plain synchronous functions over a
//! `rusqlite::Connection`; callers run them through [`crate::db::Db::call`].

pub mod applications;
pub mod devices;
pub mod sessions;
mod sql;
pub mod support;
pub mod support_desk;
pub mod throttle;
pub mod users;
