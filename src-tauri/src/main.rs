//! okpay-app.

fn main() {}
