//! okpay-cli.

fn main() {}
