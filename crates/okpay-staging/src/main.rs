//! okpay-staging.

fn main() {}
