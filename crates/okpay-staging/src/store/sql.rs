//! What the table modules share: SQLite integers read and written as `u64`, and the
//! unique-constraint error.

/// Whether an error is a UNIQUE/PRIMARY KEY violation.
pub fn is_unique_violation(err: &rusqlite::Error) -> bool {
    matches!(
        err,
        rusqlite::Error::SqliteFailure(e, _) if e.code == rusqlite::ErrorCode::ConstraintViolation
    )
}

/// An `INTEGER` column read as `u64` (negative values read as 0).
pub fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// A `u64` stored as `INTEGER` (saturating).
pub fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}
