//! okpay-e2e.
