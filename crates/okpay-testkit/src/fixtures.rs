//! What the tests share besides a server: the seeded account, the tester-controls token,
//! valid ID numbers, and good photos of either side of a specimen ID card drawn by
//! `okpay_photo::specimen` (the one card drawer; its `Side` and `Fault` are re-exported).

use image::{DynamicImage, ImageFormat};
use std::io::Cursor;

pub use okpay_photo::specimen::{self, Fault, Side};

/// The account [`crate::staging`] seeds.
pub const LOGIN: &str = "tester@okpay.test";
/// Its password (a throw-away test value).
pub const PASSWORD: &str = "correct-horse-9";
/// The tester-controls token (`X-Admin-Token`) of the servers [`crate::staging`] starts.
pub const ADMIN: &str = "test-admin-token-0123456789";
/// The GB 11643 example number.
pub const ID_NUMBER: &str = "11010519491231002X";

/// A valid ID number from a 17-digit body (appends the check character).
pub fn with_check(body: &str) -> String {
    let mut b = [0u8; 17];
    b.copy_from_slice(body.as_bytes());
    format!("{body}{}", okpay_rules::validate::check_char(&b) as char)
}

/// A good photo of one side of the specimen card, as JPEG; `variant` makes a retake that
/// differs.
pub fn card_jpeg(side: Side, variant: u32) -> Vec<u8> {
    specimen::photo_jpeg(side, Fault::None, variant)
}

/// The same photo as PNG.
pub fn card_png(side: Side, variant: u32) -> Vec<u8> {
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(specimen::photo(side, Fault::None, variant))
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .expect("encode");
    out
}
