//! Reading the ID card on the device, on top of the photo engine, in one-way layers:
//! [`models`] (the PP-OCR networks, loaded once) → [`rectify`] (the card cut flat) →
//! [`detect`] (where the lines are) → [`recognize`] (what each says) → [`layout`] (the side and
//! the fields) → [`crosscheck`] (against what was typed). [`Reading`] is one photo's result.
//! Nothing read is logged or stored: it lives in memory until the caller drops it.

pub mod crosscheck;
pub mod detect;
mod error;
pub mod layout;
pub mod models;
pub mod read;
pub mod recognize;
pub mod rectify;
mod variants;

pub use crosscheck::{Check, Checked, NotChecked, Outcome, Typed, cross_check};
pub use error::OcrError;
pub use layout::{CardSide, Field, Fields};
pub use models::Models;
pub use read::{Cut, Reading, cut};
