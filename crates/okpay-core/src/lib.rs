//! okpay-core.
