//! Field validation shared by the app, the CLI and the staging server, to the letter of the
//! standards: resident ID numbers (GB 11643-1999, GB/T 2260), names, the card's validity
//! period and login identifiers. Every failure is a stable [`ErrorCode`]; warnings use codes
//! too. The submission checks (`id_number`, `name`) are what the server re-runs.

pub mod date;
pub mod id_number;
pub mod login;
pub mod name;
pub mod personal;
pub mod region;
pub mod validity;

#[cfg(test)]
mod tests;

pub use crate::error::ErrorCode;
pub use date::Date;
pub use id_number::{
    IdKind, IdReport, Policy, Sex, analyze, check_char, id_number, id_number_on, mask_id_number,
};
pub use login::{LoginId, MIN_PASSWORD_CHARS, login_id, password};
pub use name::name;
pub use personal::personal;

/// ID numbers: `validate::id::analyze(input, today, &Policy)`.
pub mod id {
    pub use super::id_number::*;
}
